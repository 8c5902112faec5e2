"""The one command list: bindings, footer, command palette and help are all generated from it.

Each command names its scope: `app` (everywhere), a screen's scope, or `lists` (focused tables). A screen
declares `SCOPE` and gets `BINDINGS = bindings("its scope")`; the palette offers the commands of the active
screen plus the app-wide ones; the help screen lists them all. Ids let users remap keys (`App.set_keymap`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider

from ogptui.i18n import N_, _


@dataclass(frozen=True)
class Command:
    id: str
    keys: str  # Textual key names, comma-separated ("question_mark,f1")
    footer: str  # short label shown in the footer
    description: str  # one line for help and the palette
    action: str  # action string, run on the scope's namespace (app or screen)
    scope: str  # "app", "members", "member", "commitment", "resource", "reader", "search", "changes", "help",
    # "lists"
    show: bool = True  # shown in the footer
    palette: bool = True  # offered in the command palette
    priority: bool = False


SCOPE_TITLES = {
    "app": N_("Everywhere"),
    "members": N_("Members list"),
    "member": N_("Member"),
    "commitment": N_("Commitment detail"),
    "resource": N_("Resource"),
    "search": N_("Search"),
    "changes": N_("What changed"),
    "help": N_("Help"),
    "lists": N_("Tables and lists"),
    "notes": N_("Notes and bookmarks"),
    "note": N_("Note editor"),
    "compare": N_("Compare members"),
    "reader": N_("Document reader"),
    "item": N_("Post or contact"),
}

_TABS = ("overview", "commitments", "resources", "metrics", "contacts", "participation", "posts")
_TAB_TITLES = (
    N_("Overview"),
    N_("Commitments"),
    N_("Resources"),
    N_("Starred metrics"),
    N_("Contacts"),
    N_("Participation & Global Report"),
    N_("Recent posts"),
)

_TAB_HELP = (N_("Show the Overview tab"), N_("Show the Commitments tab"), N_("Show the Resources tab"),
             N_("Show the Starred metrics tab"), N_("Show the Contacts tab"),
             N_("Show the Participation & Global Report tab"), N_("Show the Recent posts tab"))  # fmt: skip

COMMANDS: tuple[Command, ...] = (
    # --- everywhere ---
    Command("help", "question_mark,f1", N_("Help"), N_("Show every key"), "app.help", "app"),
    Command("palette", "ctrl+p", N_("Commands"), N_("Open the command palette"), "app.command_palette", "app", False),
    Command(
        "search",
        "ctrl+f",
        N_("Search"),
        N_("Search everything cached: every tab of every member"),
        "app.search",
        "app",
    ),
    # Not in the footer (it would push "q Quit" off an 80-120 column footer); in help and the palette.
    Command("changes", "c", N_("Changes"), N_("What changed in recent syncs"), "app.changes", "app", False),
    Command(
        "autosync", "a", N_("Auto-sync"), N_("Turn automatic sync on or off"), "app.toggle_autosync", "app", False
    ),
    Command("quit", "q", N_("Quit"), N_("Quit ogptui"), "app.quit", "app"),
    Command("language", "L", N_("Language"), N_("Switch the interface language: English, Español, Français"),
            "app.cycle_language", "app", False),  # fmt: skip
    Command("content_language", "D", N_("Data language"),
            N_("Switch the language of the site's data: as the interface, English, Español, Français"),
            "app.cycle_content_language", "app", False),  # fmt: skip
    # --- members list ---
    Command("members.open", "enter", N_("Open"), N_("Open the selected member"), "open_selected", "members"),
    Command("members.filter", "slash", N_("Filter"), N_("Filter members as you type"), "filter", "members"),
    Command("members.watch", "w", N_("Watch"), N_("Watch or unwatch the selected member"), "toggle_watch", "members"),
    Command("members.sync", "s", N_("Sync"), N_("Sync the watchlist now"), "sync", "members"),
    # --- member ---
    *(
        Command(
            f"member.tab.{name}",
            str(i + 1),
            title,
            description,
            f"tab('{name}')",
            "member",
            False,
        )
        for i, (name, title, description) in enumerate(zip(_TABS, _TAB_TITLES, _TAB_HELP, strict=True))
    ),
    Command("member.back", "escape", N_("Back"), N_("Back to the members list"), "back", "member"),
    Command(
        "member.open",
        "enter",
        N_("Open"),
        N_("Open the selected commitment, resource, contact or post"),
        "open_selected",
        "member",
    ),
    Command("member.filter", "slash", N_("Filter"), N_("Filter this tab's table as you type"), "filter", "member"),
    Command("member.types", "t", N_("Type"), N_("Resources: cycle the type filter"), "cycle_type", "member"),
    Command("member.copy", "y", N_("Copy"), N_("Copy the selected link or email"), "copy", "member"),
    Command("member.browse", "o", N_("Open link"), N_("Open the selected link in a browser"), "browse", "member"),
    Command("member.watch", "w", N_("Watch"), N_("Watch or unwatch this member"), "toggle_watch", "member"),
    Command("member.sync", "s", N_("Sync"), N_("Sync this member now"), "sync", "member"),
    Command(
        "member.brief",
        "e",
        N_("Brief"),
        N_("Write this member's Markdown brief (to the folder ogptui where shows)"),
        "brief",
        "member",
    ),
    # --- commitment detail ---
    Command("commitment.back", "escape", N_("Back"), N_("Back to the member"), "back", "commitment"),
    Command("commitment.copy", "y", N_("Copy link"), N_("Copy the commitment's link"), "copy", "commitment"),
    Command(
        "commitment.browse", "o", N_("Open link"), N_("Open the commitment page in a browser"), "browse", "commitment"
    ),
    # --- resource ---
    Command("resource.back", "escape", N_("Back"), N_("Close the resource"), "back", "resource"),
    Command("resource.copy", "y", N_("Copy link"), N_("Copy the resource's link"), "copy", "resource"),
    Command("resource.browse", "o", N_("Open link"), N_("Open the resource in a browser"), "browse", "resource"),
    # --- document reader ---
    Command("reader.back", "escape", N_("Back"), N_("Close the document"), "back", "reader"),
    Command("reader.find", "slash", N_("Find"), N_("Find in the document (enter keeps the matches)"), "find", "reader"),
    Command("reader.next", "n", N_("Next"), N_("Next match"), "next_match", "reader"),
    Command("reader.previous", "N", N_("Previous"), N_("Previous match"), "previous_match", "reader", False),
    Command(
        "reader.open",
        "o",
        N_("Open"),
        N_("Open the file on this device (else the link in a browser)"),
        "open",
        "reader",
    ),
    Command("reader.copy", "y", N_("Copy link"), N_("Copy the document's link (or the file's)"), "copy", "reader"),
    Command("reader.fetch", "s", N_("Fetch"), N_("Fetch this document now"), "fetch", "reader"),
    Command("reader.down", "j", N_("Down"), N_("Scroll down a line"), "line_down", "reader", False, False),
    Command("reader.up", "k", N_("Up"), N_("Scroll up a line"), "line_up", "reader", False, False),
    Command("reader.page_down", "space", N_("Page down"), N_("Scroll down a page"), "page_down", "reader", False, False),
    Command("reader.page_up", "b", N_("Page up"), N_("Scroll up a page"), "page_up", "reader", False, False),
    Command("reader.top", "g", N_("Top"), N_("Go to the beginning"), "top", "reader", False, False),
    Command("reader.bottom", "G", N_("Bottom"), N_("Go to the end"), "bottom", "reader", False, False),
    # --- search (keys work while typing in the search box) ---
    Command(
        "search.open",
        "enter",
        N_("Open"),
        N_("Open the highlighted result, or re-run a recent search"),
        "open_selected",
        "search",
        priority=True,
    ),
    Command("search.down", "down,ctrl+j", N_("Next"), N_("Next result"), "cursor_down", "search", False, False, True),
    Command(
        "search.up", "up,ctrl+k", N_("Previous"), N_("Previous result"), "cursor_up", "search", False, False, True
    ),
    Command(
        "search.back", "escape", N_("Back"), N_("Close search (back where you were)"), "back", "search", priority=True
    ),
    # --- what changed / help ---
    Command("changes.back", "escape", N_("Back"), N_("Close what changed"), "back", "changes"),
    Command("help.back", "escape", N_("Close"), N_("Close help"), "back", "help"),
    # --- any table or list ---
    Command("lists.down", "j", N_("Down"), N_("Move down"), "cursor_down", "lists", False, False),
    Command("lists.up", "k", N_("Up"), N_("Move up"), "cursor_up", "lists", False, False),
    Command("lists.top", "g", N_("Top"), N_("Go to the first row"), "scroll_top", "lists", False, False),
    Command("lists.bottom", "G", N_("Bottom"), N_("Go to the last row"), "scroll_bottom", "lists", False, False),
    # --- the user's own layer: notes, bookmarks, compare (issue 16) ---
    Command("notes", "N", N_("Notes"), N_("All your notes and bookmarks, by member"), "app.notes", "app", False),
    Command(
        "compare",
        "C",
        N_("Compare"),
        N_("Compare the members marked with m (or open Compare)"),
        "app.compare",
        "app",
        False,
    ),
    Command(
        "members.note", "n", N_("Note"), N_("Add or edit your note on the selected member"), "note", "members", False
    ),
    Command(
        "members.bookmark",
        "b",
        N_("Bookmark"),
        N_("Bookmark the selected member (or remove it)"),
        "bookmark",
        "members",
        False,
    ),
    Command(
        "members.mark",
        "m",
        N_("Mark"),
        N_("Mark the selected member to compare (C compares)"),
        "mark",
        "members",
        False,
    ),
    Command(
        "members.region",
        "r",
        N_("Region"),
        N_("Filter by OGP region (cycles, with counts)"),
        "cycle_region",
        "members",
        False,
    ),
    Command(
        "members.level",
        "l",
        N_("Level"),
        N_("Filter by level: national or local (cycles)"),
        "cycle_level",
        "members",
        False,
    ),
    Command(
        "member.note",
        "n",
        N_("Note"),
        N_("Add or edit your note on what is selected (else the member)"),
        "note",
        "member",
        False,
    ),
    Command(
        "member.bookmark",
        "b",
        N_("Bookmark"),
        N_("Bookmark what is selected (else the member), or remove it"),
        "bookmark",
        "member",
        False,
    ),
    Command(
        "commitment.note",
        "n",
        N_("Note"),
        N_("Add or edit your note on this commitment"),
        "note",
        "commitment",
        False,
    ),
    Command(
        "commitment.bookmark",
        "b",
        N_("Bookmark"),
        N_("Bookmark this commitment (or remove it)"),
        "bookmark",
        "commitment",
        False,
    ),
    Command(
        "resource.note", "n", N_("Note"), N_("Add or edit your note on this resource"), "note", "resource", False
    ),
    Command(
        "resource.bookmark",
        "b",
        N_("Bookmark"),
        N_("Bookmark this resource (or remove it)"),
        "bookmark",
        "resource",
        False,
    ),
    Command("notes.open", "enter", N_("Go to"), N_("Show the selected note's target"), "open_selected", "notes"),
    Command("notes.filter", "slash", N_("Filter"), N_("Filter notes as you type"), "filter", "notes"),
    Command("notes.edit", "n", N_("Edit"), N_("Edit the selected note"), "note", "notes"),
    Command(
        "notes.delete",
        "d",
        N_("Delete"),
        N_("Delete the selected note or conflict copy (asks first)"),
        "delete",
        "notes",
    ),
    Command("notes.back", "escape", N_("Back"), N_("Close the notes"), "back", "notes"),
    Command(
        "compare.members",
        "slash",
        N_("Members"),
        N_("Change the members compared (slugs, region:NAME)"),
        "edit_members",
        "compare",
    ),
    Command("compare.back", "escape", N_("Back"), N_("Close the comparison"), "back", "compare"),
    Command("note.save", "ctrl+s", N_("Save"), N_("Save the note"), "save", "note", priority=True),
    Command(
        "note.cancel",
        "escape",
        N_("Close"),
        N_("Close the editor (asks before discarding changes)"),
        "cancel",
        "note",
    ),
    # --- sorting (issue 14.11), a post or a contact in full (14.7) ---
    Command(
        "members.sort",
        "S",
        N_("Sort"),
        N_("Sort by the next column, then the other way (or click a header)"),
        "cycle_sort",
        "members",
    ),
    Command(
        "member.sort",
        "S",
        N_("Sort"),
        N_("Sort commitments or resources by the next column, then the other way"),
        "cycle_sort",
        "member",
    ),
    Command("changes.open", "enter", N_("Go to"), N_("Go to what changed (its tab and row)"), "open_selected", "changes"),
    Command("item.back", "escape", N_("Back"), N_("Close the post or contact"), "back", "item"),
    Command("item.copy", "y", N_("Copy"), N_("Copy the post's link or the contact's email"), "copy", "item"),
    Command("item.browse", "o", N_("Open link"), N_("Open the post in a browser"), "browse", "item"),
)


def commands(scope: str) -> list[Command]:
    return [c for c in COMMANDS if c.scope == scope]


def bindings(scope: str) -> list[BindingType]:
    return [
        Binding(c.keys, c.action.removeprefix("app.") if scope == "app" else c.action, _(c.footer),
                show=c.show, id=c.id, priority=c.priority, tooltip=_(c.description))
        for c in commands(scope)
    ]  # fmt: skip


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "enter": "enter",
    "ctrl+p": "ctrl+p",
    "f1": "F1",
    "space": "space",
}


def key_display(keys: str) -> str:
    return " / ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def help_rows() -> list[tuple[str, str, str]]:
    """(scope title, keys, description) for every command, in list order."""
    return [(_(SCOPE_TITLES[c.scope]), key_display(c.keys), _(c.description)) for c in COMMANDS]


class OgpCommands(Provider):
    """Command palette provider: the active screen's commands and the app-wide ones."""

    def _available(self) -> Iterable[Command]:
        scope = getattr(self.screen, "SCOPE", None)
        for c in COMMANDS:
            if c.palette and c.scope in ("app", scope) and c.id != "palette":
                yield c

    async def _run(self, command: Command) -> None:
        target = self.app if command.scope == "app" else self.screen
        await self.app.run_action(command.action.removeprefix("app."), target)

    def _prompt(self, command: Command) -> str:
        """The main line: the command's short name and its key (the description goes under it)."""
        return f"{_(command.footer)}  ({key_display(command.keys)})"

    async def discover(self) -> Hits:
        for c in self._available():
            yield DiscoveryHit(self._prompt(c), partial(self._run, c), help=_(c.description))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for c in self._available():
            prompt = self._prompt(c)
            # the short name or the description may match ("watch or unwatch" finds "Watch  (w)")
            score = max(matcher.match(prompt), matcher.match(_(c.description)))
            if score > 0:
                yield Hit(
                    score, matcher.highlight(prompt), partial(self._run, c), text=prompt, help=_(c.description)
                )
