"""`ogptui note`, `ogptui notes`, `ogptui bookmark` and `ogptui restore-notes`: the user's own layer.

Notes live in user.db, which sync never touches; every write is one transaction, after the day's backup.
A save that finds the note changed since it was read (an `--edit` session while the TUI saved) asks what to
do; with no one to ask it keeps both texts (the new one as a conflict copy), so nothing is ever lost.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ogptui.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    AddCommand,
    UsageError,
    ask,
    open_store,
    out,
    print_json,
    read_stdin,
    say,
)
from ogptui.i18n import _

if TYPE_CHECKING:
    from ogptui.model import Note
    from ogptui.notes import Target
    from ogptui.store import Store
    from ogptui.store.notes import NoteConflict

TEXT_STDIN_CAP = 400_000


def _now() -> str:
    from ogptui.store import utcnow_ms

    return utcnow_ms()


def _target(store: Store, text: str, *, must_exist: bool = True) -> Target:
    from ogptui.notes import TargetError, parse_target

    try:
        return parse_target(text, store, must_exist=must_exist)
    except TargetError as e:
        raise UsageError(str(e)) from None


def _header(target: Target, state: str) -> str:
    from ogptui.notes import state_words

    extra = f" ({state_words(state)})" if state_words(state) else ""
    member = f" · {target.member}" if target.member and target.kind != "member" else ""
    return f"{target.label()} [{target.key}]{member}{extra}"


def cmd_note(args: argparse.Namespace) -> int:
    from ogptui.notes import describe, new_note
    from ogptui.store import StoreError
    from ogptui.store.notes import ANY_REV

    if args.text is not None and (args.edit or args.delete or args.drop_copies):
        raise UsageError(_("give the note's TEXT, or one of --edit, --delete, --drop-copies, not both"))
    if sum(bool(x) for x in (args.edit, args.delete, args.drop_copies)) > 1:
        raise UsageError(_("give one of --edit, --delete, --drop-copies"))
    with open_store() as store:
        seen = len(store.notices)
        reading = args.text is None and not args.edit
        target = _target(store, args.target, must_exist=not reading)
        target, state = describe(store, target)
        try:
            if args.delete or args.drop_copies:
                n = (
                    store.notes.drop_copies(target.key)
                    if args.drop_copies
                    else store.notes.delete(target.key)
                )
                label = target.label()
                if args.drop_copies:
                    done = _("deleted the conflict copies of {label}") if n else _("no conflict copies on {label}")
                else:
                    done = _("deleted the note of {label}") if n else _("no note on {label}")
                out(done.format(label=label))
                return EXIT_OK
            if reading:
                return _print_notes(store, target, state)
            if args.edit:
                return _edit(store, target)
            text = read_stdin(TEXT_STDIN_CAP) if args.text == "-" else args.text
            note = new_note(target, text)
            if not note.text:
                raise UsageError(_("the note is empty; give some text, or --delete to remove the note"))
            before = store.notes.note(target.key)
            store.notes.save(note, ANY_REV, _now())
        except StoreError as e:
            raise UsageError(str(e)) from None
        for notice in store.notices[seen:]:  # e.g. today's backup could not be made
            say(notice)
    done = _("replaced the note of {target}") if before else _("saved a note on {target}")
    out(done.format(target=_header(target, state)))
    return EXIT_OK


def _print_notes(store: Store, target: Target, state: str) -> int:
    notes = store.notes.notes_of(target.key)
    booked = store.notes.bookmark(target.key) is not None
    if not notes:
        out(_("no note on {label}").format(label=_header(target, state)) + (_(" (bookmarked)") if booked else ""))
        return EXIT_OK
    out(_header(target, state) + (_(" · bookmarked") if booked else ""))
    for n in notes:
        label = _("conflict copy {n} ({origin})").format(n=n.copy, origin=n.origin) if n.copy else _("note")
        out("-- " + _("{label}, updated {when}").format(label=label, when=n.updated_at))
        out(n.text)
    return EXIT_OK


def _edit(store: Store, target: Target) -> int:
    from ogptui.notes import new_note
    from ogptui.store.notes import NoteConflict

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(_("--edit needs an editor: set EDITOR (e.g. `export EDITOR=nano`), or give the text"))
    current = store.notes.note(target.key)
    with tempfile.TemporaryDirectory(prefix="ogptui-note-") as folder:
        path = Path(folder) / "note.txt"
        path.write_text(current.text + "\n" if current else "", encoding="utf-8")
        try:
            code = subprocess.call([*shlex.split(editor), str(path)])
        except (OSError, ValueError) as e:
            raise UsageError(_("cannot start the editor {editor} ({e}); check EDITOR").format(editor=repr(editor), e=e)) from None
        if code != 0:
            say(_("the editor exited with {code}; the note is unchanged").format(code=code))
            return EXIT_PARTIAL
        text = path.read_text(encoding="utf-8", errors="replace")
    note = new_note(target, text)
    if current is not None and note.text == current.text:
        out(_("the note of {label} is unchanged").format(label=target.label()))
        return EXIT_OK
    if not note.text:
        if current is None:
            out(_("nothing written: no note on {label}").format(label=target.label()))
            return EXIT_OK
        raise UsageError(_("the edited note is empty; use --delete to remove it (the note is unchanged)"))
    try:
        store.notes.save(note, current.rev if current else None, _now())
    except NoteConflict as e:
        return _conflict(store, note, e)
    out(_("saved the note of {label}").format(label=target.label()))
    return EXIT_OK


def _conflict(store: Store, note: Note, e: NoteConflict) -> int:
    """The note changed while it was being edited: ask; with no one to ask, keep both."""
    from ogptui.store.notes import ANY_REV

    answer = ask(
        _("{e}. [k]eep both (yours as a conflict copy), [o]verwrite theirs, or [d]iscard yours?").format(e=e), "kod"
    )
    if answer == "o":
        store.notes.save(note, ANY_REV, _now())
        out(_("saved the note of {target} (the other text was replaced)").format(target=note.title or note.target))
    elif answer == "d":
        out(_("your text was discarded; the note is as the other save left it"))
    else:
        store.notes.add_copy(note, "ogptui note --edit (saved while the note changed elsewhere)", _now())
        out(_("{e}; your text was kept as a conflict copy beside it (`ogptui note {target}` shows both)").format(e=e, target=note.target))
    return EXIT_OK


def cmd_notes(args: argparse.Namespace) -> int:
    from ogptui.notes import entries

    if args.export and args.import_file:
        raise UsageError(_("give --export or --import, not both"))
    with open_store() as store:
        if args.import_file:
            return _import(store, Path(args.import_file).expanduser())
        if args.export:
            return _export(store, Path(args.export).expanduser())
        member = args.member.strip().lower() if args.member else None
        found = entries(store, member)
    if args.json:
        print_json([e.to_dict() for e in found])
        return EXIT_OK
    if not found:
        out(
            _("No notes or bookmarks on {member}.").format(member=member)
            if member
            else _("No notes or bookmarks yet: `ogptui note TARGET TEXT` adds one.")
        )
        return EXIT_OK
    current: object = object()
    for e in found:
        if e.member != current:
            current = e.member
            who = e.member_name or e.member or _("No cached member")
            out(who + (f" ({e.member})" if e.member else ""))
        mark = ("✎" if e.note else " ") + ("⚑" if e.bookmark else " ")
        state = f"  ({e.state_text()})" if e.state_text() else ""
        copy = "  " + _("conflict copy {n}: {origin}").format(n=e.note.copy, origin=e.note.origin) if e.note and e.note.copy else ""
        when = "  " + _("updated {when}").format(when=e.note.updated_at) if e.note else ""
        out(f"  {mark} {e.target.label()}  [{e.target.key}]{when}{state}{copy}")
        if e.note:
            for line in e.note.text.split("\n"):
                out(f"      {line}")
    return EXIT_OK


def _export(store: Store, path: Path) -> int:
    from ogptui.notes_files import export_json, export_markdown

    suffix = path.suffix.lower()
    if suffix not in (".md", ".json"):
        raise UsageError(_("--export writes FILE.md or FILE.json, not {name}").format(name=repr(path.name)))
    if path.is_dir():
        raise UsageError(_("{path} is a folder; give a file name such as {json}").format(path=path, json=path / 'notes.json'))
    text = export_json(store) if suffix == ".json" else export_markdown(store)
    _write_file(path, text)
    counts = store.notes.counts()
    out(_("wrote {path}: {notes} notes, {bookmarks} bookmarks").format(path=path, notes=counts['notes'], bookmarks=counts['bookmarks']))
    return EXIT_OK


def _write_file(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, renamed into place (whole or absent)."""
    from ogptui.clean import safe_output

    if not path.parent.is_dir():
        raise UsageError(_("the folder {parent} does not exist; create it or choose another place").format(parent=path.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(safe_output(text))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(_("cannot write {path}: {e}; check the folder and free space").format(path=path, e=e.strerror or e)) from None


def _import(store: Store, path: Path) -> int:
    from ogptui.notes import TargetError
    from ogptui.notes_files import import_notes, read_notes_file
    from ogptui.store import StoreError

    try:
        notes, books, skipped = read_notes_file(path)
        result = import_notes(store, notes, books, f"import of {path.name}", _now())
    except (TargetError, StoreError) as e:
        raise UsageError(str(e)) from None
    result.skipped = skipped
    out(result.text(str(path)))
    return EXIT_OK


def cmd_bookmark(args: argparse.Namespace) -> int:
    from ogptui.notes import describe, new_bookmark
    from ogptui.store import StoreError

    with open_store() as store:
        target = _target(store, args.target, must_exist=not args.remove)
        target, state = describe(store, target)
        try:
            if args.remove:
                done = store.notes.remove_bookmark(target.key)
                out(
                    _("removed the bookmark of {label}").format(label=target.label())
                    if done
                    else _("{label} was not bookmarked").format(label=target.label())
                )
                return EXIT_OK
            added = store.notes.add_bookmark(new_bookmark(target), _now())
        except StoreError as e:
            raise UsageError(str(e)) from None
    said = _("bookmarked {target}") if added else _("already bookmarked: {target}")
    out(said.format(target=_header(target, state)))
    return EXIT_OK


def cmd_restore_notes(args: argparse.Namespace) -> int:
    from ogptui import config
    from ogptui.store import StoreError, backup

    paths = config.ensure_home()
    found = backup.candidates(paths.user_db)
    if args.list or not (found or args.source):
        if not found:
            out(
                _("no backups of {user_db} yet (one is made each day a note, bookmark or watch is written)").format(user_db=paths.user_db)
            )
        for c in found:
            out(c.text())
        return EXIT_OK
    chosen: backup.Candidate | None
    if args.source:
        chosen = backup.check(Path(args.source).expanduser())
        if not chosen.good:
            raise UsageError(_("{path} cannot be restored: {problem}; choose another backup").format(path=chosen.path, problem=chosen.problem))
    else:
        chosen = next((c for c in found if c.good), None)
        if chosen is None:
            raise UsageError(
                _("none of the {found} backups of {user_db} can be read; see `ogptui restore-notes --list`").format(found=len(found), user_db=paths.user_db)
            )
    current = backup.check(paths.user_db) if paths.user_db.exists() else None
    now_text = (
        _("no user.db")
        if current is None
        else (_("damaged: {problem}").format(problem=current.problem) if current.problem else current.text())
    )
    out(_("newest good backup: {value}").format(value=chosen.text()))
    out(_("current {name}: {now_text}").format(name=paths.user_db.name, now_text=now_text))
    if not args.yes:
        answer = ask(_("restore it? The current file is moved aside, not deleted. [y/N]"), "ny")
        if answer is None:
            raise UsageError(_("add --yes to restore without being asked (nothing was changed)"))
        if answer != "y":
            out(_("nothing was changed"))
            return EXIT_OK
    try:
        moved = backup.restore(chosen.path, paths.user_db)
    except (StoreError, OSError) as e:
        raise UsageError(_("the restore failed ({e}); your current file is unchanged").format(e=e)) from None
    out(
        _("restored {name} as {path}").format(name=chosen.path.name, path=paths.user_db)
        + (_("; the previous file is now {path}").format(path=moved) if moved else "")
    )
    return EXIT_OK


def register(add: AddCommand) -> None:
    s = add(
        "note",
        cmd_note,
        _("Show, write or edit your note on a member, commitment, document or contact (kept in user.db)."),
    )
    s.add_argument(
        "target",
        metavar="TARGET",
        help=_("peru, peru/PE0084, a document slug or address, or a contact's email (contact:SLUG/NAME without one)"),
    )
    s.add_argument(
        "text", nargs="?", metavar="TEXT", help=_("the note (replaces the note there); - reads standard input")
    )
    s.add_argument("--edit", action="store_true", help=_("edit the note in $EDITOR"))
    s.add_argument("--delete", action="store_true", help=_("delete the note"))
    s.add_argument(
        "--drop-copies", action="store_true", help=_("delete the conflict copies kept beside the note")
    )

    s = add("notes", cmd_notes, _("List your notes and bookmarks by member, or export / import them."))
    s.add_argument("--member", metavar="SLUG", help=_("only this member's"))
    s.add_argument("--json", action="store_true", help=_("print as JSON"))
    s.add_argument("--export", metavar="FILE", help=_("write every note and bookmark to FILE.md or FILE.json"))
    s.add_argument(
        "--import",
        dest="import_file",
        metavar="FILE",
        help=_("merge FILE.json (from --export); a different text on the same target keeps both"),
    )

    s = add("bookmark", cmd_bookmark, _("Bookmark a member, commitment, document or contact."))
    s.add_argument("target", metavar="TARGET", help=_("as for `ogptui note`"))
    s.add_argument("--remove", action="store_true", help=_("remove the bookmark"))

    s = add(
        "restore-notes",
        cmd_restore_notes,
        _("Put back the newest good daily backup of user.db (notes, bookmarks, watchlist)."),
    )
    s.add_argument("--list", action="store_true", help=_("list the backups and whether each can be read"))
    s.add_argument(
        "--from", dest="source", metavar="FILE", help=_("restore this backup instead of the newest good one")
    )
    s.add_argument("--yes", action="store_true", help=_("do not ask"))
