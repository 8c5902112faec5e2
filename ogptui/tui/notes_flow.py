"""Notes and bookmarks from the TUI: `n` (edit the note of what is selected), `b` (toggle its bookmark), and
jumping to a note's target (the Notes screen's and search's `enter`).

A save names the revision the editor opened (`expected_rev`): when `ogptui note` (or another window) saved
the same note in between, the save is refused by the store and the person is asked (keep both, overwrite,
discard theirs) — the later save asks, no update is lost. After every write the app's `notes_version`
moves, and the screens that show marks or notes reload.
"""

from __future__ import annotations

from typing import Any

from ogptui.i18n import _
from ogptui.notes import HERE, Target, describe, new_bookmark, new_note, state_words
from ogptui.store import StoreError, utcnow_ms
from ogptui.store.notes import ANY_REV, NoteConflict

MARK_NOTE = "✎"
MARK_BOOKMARK = "⚑"


def mark_text(has_note: bool, bookmarked: bool) -> str:
    return (MARK_NOTE if has_note else "") + (MARK_BOOKMARK if bookmarked else "")


def marks(app: Any, keys: list[str]) -> dict[str, str]:
    """{target key: mark} of the keys that have a note or a bookmark (empty without a readable user.db)."""
    try:
        found = app.store.notes.marks(keys)
    except Exception:  # a damaged user.db: no marks rather than no screen
        return {}
    return {k: mark_text(*v) for k, v in found.items()}


def _changed(app: Any) -> None:
    app.notes_version += 1


def edit_note(app: Any, target: Target | None, why_not: str = "") -> None:
    """Open the editor on the note of `target`; save what it returns (asking on a conflict)."""
    from ogptui.tui.screens.note_editor import NoteEditor

    if target is None:
        app.notify(_("No note here: {why_not}.").format(why_not=why_not or _("nothing selected")), severity="warning", markup=False)
        return
    if app.store.user is None:
        app.notify(
            _("Notes are off: your user.db cannot be read (run `ogptui restore-notes`)."),
            severity="warning",
            markup=False,
        )
        return
    target, state = describe(app.store, target)
    current = app.store.notes.note(target.key)
    rev = current.rev if current else None

    def done(text: str | None) -> None:
        if text is not None:
            save_note(app, target, text, rev)

    app.push_screen(NoteEditor(target, current, state_words(state)), done)


def save_note(app: Any, target: Target, text: str, rev: int | None) -> None:
    """Save the editor's text: an empty text deletes the note (after asking); a conflict asks."""
    from ogptui.tui.screens.note_editor import Confirm, Conflict

    note = new_note(target, text)
    store = app.store
    if not note.text:
        if rev is None:
            return

        def delete(yes: bool | None) -> None:
            if yes:
                apply_change(app, lambda: store.notes.delete(target.key), _("Note on {label} deleted.").format(label=target.label()))

        app.push_screen(Confirm(_("The note is empty: delete the note on {label}?").format(label=target.label())), delete)
        return
    try:
        store.notes.save(note, rev, utcnow_ms())
    except NoteConflict as e:

        def resolved(choice: str | None) -> None:
            if choice == "overwrite":
                apply_change(app, lambda: store.notes.save(note, ANY_REV, utcnow_ms()), _("Note saved (theirs replaced)."))
            elif choice == "discard":
                app.notify(_("Your text was discarded; the note is as the other save left it."), markup=False)
                _changed(app)
            else:
                apply_change(
                    app,
                    lambda: store.notes.add_copy(note, "TUI edit saved while the note changed elsewhere", utcnow_ms()),
                    _("Both kept: yours is a conflict copy beside the other text (N lists both)."),
                )

        app.push_screen(Conflict(target, e.current), resolved)
        return
    except StoreError as e:
        app.notify(_("Note not saved: {e}.").format(e=e), severity="error", markup=False)
        return
    _changed(app)
    app.notify(_("Note on {label} saved.").format(label=target.label()), markup=False)


def apply_change(app: Any, do: Any, message: str) -> None:
    try:
        do()
    except StoreError as e:
        app.notify(_("Not changed: {e}.").format(e=e), severity="error", markup=False)
        return
    _changed(app)
    app.notify(message, markup=False)


def toggle_bookmark(app: Any, target: Target | None, why_not: str = "") -> None:
    if target is None:
        app.notify(_("No bookmark here: {why_not}.").format(why_not=why_not or _("nothing selected")), severity="warning", markup=False)
        return
    target, _state = describe(app.store, target)
    store = app.store
    try:
        if store.notes.bookmark(target.key) is not None:
            store.notes.remove_bookmark(target.key)
            message = _("Bookmark on {label} removed.").format(label=target.label())
        else:
            store.notes.add_bookmark(new_bookmark(target), utcnow_ms())
            message = _("Bookmarked {label}.").format(label=target.label())
    except StoreError as e:
        app.notify(_("Not changed: {e}.").format(e=e), severity="warning", markup=False)
        return
    _changed(app)
    app.notify(message, markup=False)


def jump_hit(app: Any, target: Target) -> Any:
    """A search `Hit` that shows `target` in its pane (None when its member is not cached)."""
    from ogptui.search import Hit
    from ogptui.store.notes import contact_rows, resource_rows

    target, state = describe(app.store, target)
    slug = target.member
    if not slug:
        return None
    kind, ref = "member", slug
    if state == HERE and target.kind == "commitment":
        kind, ref = "commitment", target.key.split("/", 1)[1]
    elif state == HERE and target.kind == "document":
        ref_key = target.key[4:]
        rows = resource_rows(app.store, url=ref_key) if "://" in ref_key else resource_rows(app.store, doc_slug=ref_key)
        row = next((r for r in rows if r["member_slug"] == slug), None)
        if row is not None:
            kind, ref = "resource", str(row["position"])
    elif state == HERE and target.kind == "contact":
        rows = contact_rows(app.store, member=slug)
        row = next((r for r in rows if target.title and r["name"] == target.title), None)
        if row is not None:
            kind, ref = "contact", str(row["position"])
    return Hit(kind=kind, member_slug=slug, member_name=None, ref=ref, id=None, title=target.label(), url=None,
               snippet="", score=0.0, year=None, type=None)  # fmt: skip


async def open_target(app: Any, target: Target) -> None:
    """Show a note's target: its member on the right tab with the row selected (a commitment opens its
    detail); a target gone from the site opens its member and says so."""
    from ogptui.tui.screens.search import open_hit

    hit = jump_hit(app, target)
    _target, state = describe(app.store, target)
    if hit is None or app.store.get_member(hit.member_slug) is None:
        why = state_words(state) or _("no member to show it in")
        app.notify(f"{target.label()}: {why}.", severity="warning", markup=False)
        return
    if state != HERE:
        app.notify(_("{label}: {state}; showing its member.").format(label=target.label(), state=state_words(state)), severity="warning", markup=False)
    await open_hit(app, hit)
