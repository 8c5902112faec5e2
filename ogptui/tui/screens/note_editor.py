"""The note editor (a TextArea in a modal: ctrl+s saves, esc asks before discarding) and two small questions
(a yes/no confirmation, and what to do when the note changed elsewhere while it was being edited).

What the modals show of the target and of stored notes is plain text (`render.safe`), never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ogptui.i18n import _
from ogptui.model import Note
from ogptui.notes import Target
from ogptui.tui import render
from ogptui.tui.commands import bindings
from ogptui.tui.widgets.common import Footer


class NoteEditor(ModalScreen[str | None]):
    """Returns the edited text (ctrl+s), or None (esc, after asking when the text was changed)."""

    SCOPE = "note"
    BINDINGS = bindings("note")

    def __init__(self, target: Target, note: Note | None, state_text: str = "") -> None:
        super().__init__(id="note-editor")
        self.target = target
        self.original = render.safe_block(note.text) if note else ""
        self.state_text = state_text

    def compose(self) -> ComposeResult:
        head = Text()
        head.append(_("Note on "), style="dim")
        head.append(render.safe(self.target.label()), style="bold")
        head.append(f"  [{render.safe(self.target.key)}]", style="dim")
        if self.state_text:
            head.append(f"  ({render.safe(self.state_text)})", style="italic")
        with Vertical(id="note-box"):
            yield Static(head, id="note-head")
            yield TextArea(self.original, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(Text(_("ctrl+s save · esc close (asks before discarding changes)"), style="dim"), id="note-help")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.cursor_blink = getattr(self.app, "blink", True)
        area.move_cursor(area.document.end)
        area.focus()

    @property
    def text(self) -> str:
        return self.query_one("#note-text", TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm(_("Discard the changes to this note?"), yes=_("Discard"), no=_("Keep editing")), answered)


class Confirm(ModalScreen[bool]):
    """A yes/no question: y or enter says yes, n or esc says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, *, yes: str = "", no: str = "") -> None:
        super().__init__(classes="question")
        self.question = question
        self.yes, self.no = yes or _("Yes"), no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="question-box"):
            yield Static(Text(render.safe(self.question), style="bold"))
            yield Static(Text(f"y {self.yes} · n {self.no}", style="dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Conflict(ModalScreen[str]):
    """The note was saved elsewhere (`ogptui note`, another window) while it was being edited.

    Answers "keep" (both: yours as a conflict copy beside theirs), "overwrite" (yours replaces theirs) or
    "discard" (yours is dropped); esc keeps both, which loses nothing.
    """

    BINDINGS = [
        Binding("k,escape", "answer('keep')", "Keep both"),
        Binding("o", "answer('overwrite')", "Overwrite"),
        Binding("d", "answer('discard')", "Discard mine"),
    ]

    def __init__(self, target: Target, current: Note | None) -> None:
        super().__init__(classes="question")
        self.target = target
        self.current = current

    def compose(self) -> ComposeResult:
        t = Text()
        t.append(_("The note on "), style="bold")
        t.append(render.safe(self.target.label()), style="bold")
        if self.current is None:
            t.append(_(" was deleted elsewhere while you were editing it.\n\n"), style="bold")
        else:
            t.append(_(" was changed elsewhere while you were editing it "), style="bold")
            t.append(_("(saved {updated_at}):\n\n").format(updated_at=render.safe(self.current.updated_at)), style="dim")
            t.append(render.safe_block(self.current.text)[:600])
            t.append("\n\n")
        t.append(_("k keep both (yours as a conflict copy) · o overwrite theirs · d discard yours"), style="dim")
        with Vertical(classes="question-box"):
            yield Static(t)

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice)
