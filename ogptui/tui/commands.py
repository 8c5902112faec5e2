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
    "app": "Everywhere",
    "members": "Members list",
    "member": "Member",
    "commitment": "Commitment detail",
    "resource": "Resource",
    "search": "Search",
    "changes": "What changed",
    "help": "Help",
    "lists": "Tables and lists",
    "notes": "Notes and bookmarks",
    "note": "Note editor",
    "compare": "Compare members",
    "reader": "Document reader",
    "item": "Post or contact",
}

_TABS = ("overview", "commitments", "resources", "metrics", "contacts", "participation", "posts")
_TAB_TITLES = (
    "Overview",
    "Commitments",
    "Resources",
    "Starred metrics",
    "Contacts",
    "Participation & Global Report",
    "Recent posts",
)

COMMANDS: tuple[Command, ...] = (
    # --- everywhere ---
    Command("help", "question_mark,f1", "Help", "Show every key", "app.help", "app"),
    Command("palette", "ctrl+p", "Commands", "Open the command palette", "app.command_palette", "app", False),
    Command(
        "search",
        "ctrl+f",
        "Search",
        "Search everything cached: every tab of every member",
        "app.search",
        "app",
    ),
    # Not in the footer (it would push "q Quit" off an 80-120 column footer); in help and the palette.
    Command("changes", "c", "Changes", "What changed in recent syncs", "app.changes", "app", False),
    Command(
        "autosync", "a", "Auto-sync", "Turn automatic sync on or off", "app.toggle_autosync", "app", False
    ),
    Command("quit", "q", "Quit", "Quit ogptui", "app.quit", "app"),
    # --- members list ---
    Command("members.open", "enter", "Open", "Open the selected member", "open_selected", "members"),
    Command("members.filter", "slash", "Filter", "Filter members as you type", "filter", "members"),
    Command("members.watch", "w", "Watch", "Watch or unwatch the selected member", "toggle_watch", "members"),
    Command("members.sync", "s", "Sync", "Sync the watchlist now", "sync", "members"),
    # --- member ---
    *(
        Command(
            f"member.tab.{name}",
            str(i + 1),
            title,
            f"Show the {title} tab",
            f"tab('{name}')",
            "member",
            False,
        )
        for i, (name, title) in enumerate(zip(_TABS, _TAB_TITLES, strict=True))
    ),
    Command("member.back", "escape", "Back", "Back to the members list", "back", "member"),
    Command(
        "member.open",
        "enter",
        "Open",
        "Open the selected commitment, resource, contact or post",
        "open_selected",
        "member",
    ),
    Command("member.filter", "slash", "Filter", "Filter this tab's table as you type", "filter", "member"),
    Command("member.types", "t", "Type", "Resources: cycle the type filter", "cycle_type", "member"),
    Command("member.copy", "y", "Copy", "Copy the selected link or email", "copy", "member"),
    Command("member.browse", "o", "Open link", "Open the selected link in a browser", "browse", "member"),
    Command("member.watch", "w", "Watch", "Watch or unwatch this member", "toggle_watch", "member"),
    Command("member.sync", "s", "Sync", "Sync this member now", "sync", "member"),
    Command(
        "member.brief",
        "e",
        "Brief",
        "Write this member's Markdown brief (to the folder ogptui where shows)",
        "brief",
        "member",
    ),
    # --- commitment detail ---
    Command("commitment.back", "escape", "Back", "Back to the member", "back", "commitment"),
    Command("commitment.copy", "y", "Copy link", "Copy the commitment's link", "copy", "commitment"),
    Command(
        "commitment.browse", "o", "Open link", "Open the commitment page in a browser", "browse", "commitment"
    ),
    # --- resource ---
    Command("resource.back", "escape", "Back", "Close the resource", "back", "resource"),
    Command("resource.copy", "y", "Copy link", "Copy the resource's link", "copy", "resource"),
    Command("resource.browse", "o", "Open link", "Open the resource in a browser", "browse", "resource"),
    # --- document reader ---
    Command("reader.back", "escape", "Back", "Close the document", "back", "reader"),
    Command("reader.find", "slash", "Find", "Find in the document (enter keeps the matches)", "find", "reader"),
    Command("reader.next", "n", "Next", "Next match", "next_match", "reader"),
    Command("reader.previous", "N", "Previous", "Previous match", "previous_match", "reader", False),
    Command(
        "reader.open",
        "o",
        "Open",
        "Open the file on this device (else the link in a browser)",
        "open",
        "reader",
    ),
    Command("reader.copy", "y", "Copy link", "Copy the document's link (or the file's)", "copy", "reader"),
    Command("reader.fetch", "s", "Fetch", "Fetch this document now", "fetch", "reader"),
    Command("reader.down", "j", "Down", "Scroll down a line", "line_down", "reader", False, False),
    Command("reader.up", "k", "Up", "Scroll up a line", "line_up", "reader", False, False),
    Command("reader.page_down", "space", "Page down", "Scroll down a page", "page_down", "reader", False, False),
    Command("reader.page_up", "b", "Page up", "Scroll up a page", "page_up", "reader", False, False),
    Command("reader.top", "g", "Top", "Go to the beginning", "top", "reader", False, False),
    Command("reader.bottom", "G", "Bottom", "Go to the end", "bottom", "reader", False, False),
    # --- search (keys work while typing in the search box) ---
    Command(
        "search.open",
        "enter",
        "Open",
        "Open the highlighted result, or re-run a recent search",
        "open_selected",
        "search",
        priority=True,
    ),
    Command("search.down", "down,ctrl+j", "Next", "Next result", "cursor_down", "search", False, False, True),
    Command(
        "search.up", "up,ctrl+k", "Previous", "Previous result", "cursor_up", "search", False, False, True
    ),
    Command(
        "search.back", "escape", "Back", "Close search (back where you were)", "back", "search", priority=True
    ),
    # --- what changed / help ---
    Command("changes.back", "escape", "Back", "Close what changed", "back", "changes"),
    Command("help.back", "escape", "Close", "Close help", "back", "help"),
    # --- any table or list ---
    Command("lists.down", "j", "Down", "Move down", "cursor_down", "lists", False, False),
    Command("lists.up", "k", "Up", "Move up", "cursor_up", "lists", False, False),
    Command("lists.top", "g", "Top", "Go to the first row", "scroll_top", "lists", False, False),
    Command("lists.bottom", "G", "Bottom", "Go to the last row", "scroll_bottom", "lists", False, False),
    # --- the user's own layer: notes, bookmarks, compare (issue 16) ---
    Command("notes", "N", "Notes", "All your notes and bookmarks, by member", "app.notes", "app", False),
    Command(
        "compare",
        "C",
        "Compare",
        "Compare the members marked with m (or open Compare)",
        "app.compare",
        "app",
        False,
    ),
    Command(
        "members.note", "n", "Note", "Add or edit your note on the selected member", "note", "members", False
    ),
    Command(
        "members.bookmark",
        "b",
        "Bookmark",
        "Bookmark the selected member (or remove it)",
        "bookmark",
        "members",
        False,
    ),
    Command(
        "members.mark",
        "m",
        "Mark",
        "Mark the selected member to compare (C compares)",
        "mark",
        "members",
        False,
    ),
    Command(
        "members.region",
        "r",
        "Region",
        "Filter by OGP region (cycles, with counts)",
        "cycle_region",
        "members",
        False,
    ),
    Command(
        "members.level",
        "l",
        "Level",
        "Filter by level: national or local (cycles)",
        "cycle_level",
        "members",
        False,
    ),
    Command(
        "member.note",
        "n",
        "Note",
        "Add or edit your note on what is selected (else the member)",
        "note",
        "member",
        False,
    ),
    Command(
        "member.bookmark",
        "b",
        "Bookmark",
        "Bookmark what is selected (else the member), or remove it",
        "bookmark",
        "member",
        False,
    ),
    Command(
        "commitment.note",
        "n",
        "Note",
        "Add or edit your note on this commitment",
        "note",
        "commitment",
        False,
    ),
    Command(
        "commitment.bookmark",
        "b",
        "Bookmark",
        "Bookmark this commitment (or remove it)",
        "bookmark",
        "commitment",
        False,
    ),
    Command(
        "resource.note", "n", "Note", "Add or edit your note on this resource", "note", "resource", False
    ),
    Command(
        "resource.bookmark",
        "b",
        "Bookmark",
        "Bookmark this resource (or remove it)",
        "bookmark",
        "resource",
        False,
    ),
    Command("notes.open", "enter", "Go to", "Show the selected note's target", "open_selected", "notes"),
    Command("notes.filter", "slash", "Filter", "Filter notes as you type", "filter", "notes"),
    Command("notes.edit", "n", "Edit", "Edit the selected note", "note", "notes"),
    Command(
        "notes.delete",
        "d",
        "Delete",
        "Delete the selected note or conflict copy (asks first)",
        "delete",
        "notes",
    ),
    Command("notes.back", "escape", "Back", "Close the notes", "back", "notes"),
    Command(
        "compare.members",
        "slash",
        "Members",
        "Change the members compared (slugs, region:NAME)",
        "edit_members",
        "compare",
    ),
    Command("compare.back", "escape", "Back", "Close the comparison", "back", "compare"),
    Command("note.save", "ctrl+s", "Save", "Save the note", "save", "note", priority=True),
    Command(
        "note.cancel",
        "escape",
        "Close",
        "Close the editor (asks before discarding changes)",
        "cancel",
        "note",
    ),
    # --- sorting (issue 14.11), a post or a contact in full (14.7) ---
    Command(
        "members.sort",
        "S",
        "Sort",
        "Sort by the next column, then the other way (or click a header)",
        "cycle_sort",
        "members",
    ),
    Command(
        "member.sort",
        "S",
        "Sort",
        "Sort commitments or resources by the next column, then the other way",
        "cycle_sort",
        "member",
    ),
    Command("changes.open", "enter", "Go to", "Go to what changed (its tab and row)", "open_selected", "changes"),
    Command("item.back", "escape", "Back", "Close the post or contact", "back", "item"),
    Command("item.copy", "y", "Copy", "Copy the post's link or the contact's email", "copy", "item"),
    Command("item.browse", "o", "Open link", "Open the post in a browser", "browse", "item"),
)


def commands(scope: str) -> list[Command]:
    return [c for c in COMMANDS if c.scope == scope]


def bindings(scope: str) -> list[BindingType]:
    return [
        Binding(c.keys, c.action.removeprefix("app.") if scope == "app" else c.action, c.footer,
                show=c.show, id=c.id, priority=c.priority, tooltip=c.description)
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
    return [(SCOPE_TITLES[c.scope], key_display(c.keys), c.description) for c in COMMANDS]


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
        return f"{command.footer}  ({key_display(command.keys)})"

    async def discover(self) -> Hits:
        for c in self._available():
            yield DiscoveryHit(self._prompt(c), partial(self._run, c), help=c.description)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for c in self._available():
            prompt = self._prompt(c)
            # the short name or the description may match ("watch or unwatch" finds "Watch  (w)")
            score = max(matcher.match(prompt), matcher.match(c.description))
            if score > 0:
                yield Hit(
                    score, matcher.highlight(prompt), partial(self._run, c), text=prompt, help=c.description
                )
