"""All the user's notes and bookmarks (N, or the palette), grouped by member, filterable as you type;
enter shows the target, n edits, d deletes (after asking). Every text is plain (never markup) and cleaned."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ogptui.i18n import _
from ogptui.notes import Entry, entries
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.notes_flow import MARK_BOOKMARK, MARK_NOTE, edit_note, open_target
from ogptui.tui.widgets.common import (
    FilterInput,
    Footer,
    StatusBar,
    TitleBar,
    reload_on_cache_change,
    reload_on_change,
)
from ogptui.tui.widgets.navtable import NavTable

if TYPE_CHECKING:
    from ogptui.tui.app import OgpApp

KIND_LABELS = {"member": "member", "commitment": "commitment", "document": "document", "contact": "contact"}


def entry_key(e: Entry) -> str:
    return f"{e.target.key}\x00{e.note.copy if e.note else 'b'}"


class NotesScreen(Screen):
    app: OgpApp  # (Textual types it App[Any])
    SCOPE = "notes"
    BINDINGS = bindings("notes")

    def __init__(self) -> None:
        super().__init__(id="notes-screen")
        self.entries: list[Entry] = []
        self._rows: list[tuple[str, str, Entry]] = []  # (key, haystack, entry)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield FilterInput("notes-table", _("/ filter notes (member, target, text)"), id="notes-filter")
        yield Static(id="notes-info", classes="pane-info")
        yield NavTable(id="notes-table")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        t = self.query_one("#notes-table", NavTable)
        for label, key in ((_("Member"), "member"), ("", "mark"), (_("Target"), "target"), (_("Kind"), "kind"),
                           (_("Note"), "note"), (_("Updated"), "updated")):  # fmt: skip
            t.add_column(label, key=key)
        self.reload()
        reload_on_cache_change(self, self.reload)
        reload_on_change(self, "notes_version", self.reload)
        t.focus()

    def reload(self) -> None:
        try:
            self.entries = entries(self.app.store)
        except Exception as e:  # a damaged user.db or cache: say so, keep the screen
            self.entries = []
            self.app.notify(_("Cannot read your notes: {e}.").format(e=e), severity="warning", markup=False)
        self._rows = []
        for entry in self.entries:
            hay = render.haystack(
                entry.member_name, entry.member, entry.target.key, entry.target.title,
                entry.note.text if entry.note else "",
            )
            self._rows.append((entry_key(entry), hay, entry))
        self.refill()

    def refill(self) -> None:
        q = self.query_one("#notes-filter", Input).value
        words = render.query_words(q)
        width = self.app.size.width
        target_w = 34 if width >= 100 else 18
        note_w = max(12, width - 50 - target_w)
        rows = []
        last_member: object = object()
        for key, hay, e in self._rows:
            if words and not all(w in hay for w in words):
                continue
            member_cell = Text("")
            if e.member != last_member:
                member_cell = render.clip(e.member_name or e.member or _("no member"), 20)
                member_cell.stylize("bold")
                last_member = e.member
            mark = (MARK_NOTE if e.note else "") + (MARK_BOOKMARK if e.bookmark else "")
            kind = KIND_LABELS.get(e.target.kind, e.target.kind)
            if e.note and e.note.copy:
                kind = _("conflict copy {copy}").format(copy=e.note.copy)
            note_text = render.safe(e.note.text.split("\n", 1)[0]) if e.note else ""
            if e.state_text():
                note_text = f"({e.state_text()}) {note_text}"
            note_cell = render.clip(note_text, note_w, _("bookmark only"))
            updated = render.safe((e.note.updated_at or "")[:10]) if e.note else ""
            rows.append(
                (key, [member_cell, Text(mark), render.clip(e.target.label(), target_w), Text(kind, style="dim"),
                       note_cell, Text(updated, style="dim")])
            )  # fmt: skip
        self.query_one("#notes-table", NavTable).refill(rows)
        notes = sum(1 for e in self.entries if e.note)
        books = sum(1 for e in self.entries if e.bookmark)
        shown = _("{rows} of {entries} shown · ").format(rows=len(rows), entries=len(self.entries)) if q else ""
        info = _("{shown}{MARK_NOTE} note · {MARK_BOOKMARK} bookmark · enter go to · n edit · d delete").format(shown=shown, MARK_NOTE=MARK_NOTE, MARK_BOOKMARK=MARK_BOOKMARK)
        if not self.entries:
            info = _("No notes or bookmarks yet: n on a member, commitment, resource or contact adds a note, b a bookmark.")
        self.query_one("#notes-info", Static).update(Text(info, style="dim"))
        self.query_one("#title", TitleBar).set_title("ogptui", _("Notes and bookmarks"), _("{notes} notes · {books} bookmarks").format(notes=notes, books=books))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    def selected(self) -> Entry | None:
        key = self.query_one("#notes-table", NavTable).current_key()
        return next((e for k, _, e in self._rows if k == key), None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_selected()

    def action_open_selected(self) -> None:
        e = self.selected()
        if e is not None:
            self.app.call_later(open_target, self.app, e.target)

    def action_filter(self) -> None:
        self.query_one("#notes-filter", Input).focus()

    def action_note(self) -> None:
        e = self.selected()
        edit_note(self.app, e.target if e else None, _("no note selected"))

    def action_delete(self) -> None:
        from ogptui.tui.notes_flow import apply_change
        from ogptui.tui.screens.note_editor import Confirm

        e = self.selected()
        if e is None:
            return
        store = self.app.store
        if e.note is not None:
            what = _("conflict copy {copy} of the note").format(copy=e.note.copy) if e.note.copy else _("the note")
            copy = e.note.copy
            question = _("Delete {what} on {label}?").format(what=what, label=e.target.label())

            def do() -> None:
                store.notes.delete(e.target.key, copy)

        else:
            question = _("Remove the bookmark on {label}?").format(label=e.target.label())

            def do() -> None:
                store.notes.remove_bookmark(e.target.key)

        def answered(yes: bool | None) -> None:
            if yes:
                apply_change(self.app, do, _("Deleted."))

        self.app.push_screen(Confirm(question), answered)

    def action_back(self) -> None:
        self.app.pop_screen()
