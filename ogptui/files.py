"""The files folder: documents' attachments stored by their content, never under a name a server chose.

    files/<sha256[:2]>/<sha256>.<ext>      a file, placed whole (os.replace) after it was checked
    files/.download.XXXXXXXX.tmp           a download in progress (locked while its run lives)

The extension comes from what the bytes are (`ogptui.extract.sniff`: pdf, docx, xlsx) or, for other kinds,
from a short list of known extensions of the link; anything else is `.bin`. A relative path read back from
the store is used only when it has exactly the shape above and resolves inside the folder
(`resolve_inside`), so a damaged or crafted cache row can never point outside it. No SQL here (the store
keeps which paths are referenced) and no Textual.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ogptui import leftovers

TEMP_NAME = "download"  # temp files are `.download.XXXXXXXX.tmp` in the files folder
# Extensions a link may give a file the bytes cannot name (text is not extracted from them).
LINK_EXTENSIONS = frozenset({"csv", "doc", "xls", "ppt", "pptx", "odt", "ods", "odp", "rtf", "txt", "zip"})
# What the bytes say → (extension, content type).
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
_RELATIVE = re.compile(r"\A([0-9a-f]{2})/(\1[0-9a-f]{62})\.([a-z0-9]{1,5})\Z")
_SHA = re.compile(r"\A[0-9a-f]{64}\Z")


def link_extension(url: str | None) -> str:
    """The extension of a link's last path segment, lower case ('' when there is none)."""
    try:
        name = unquote(urlsplit(url or "").path).rsplit("/", 1)[-1]
    except ValueError:
        return ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def file_problem(kind: str | None, url: str, content_type: str | None) -> str | None:
    """Why downloaded bytes are not the file the link promised (one phrase), or None when they will do.

    The bytes decide (`sniff`): a web page is never a file; a link ending in .pdf/.docx/.xlsx must give
    that kind; other links are kept as what they are."""
    want = link_extension(url)
    if kind == "html":
        return "the server sent a web page instead of the file"
    if want in KINDS and kind != want:
        got = f"a {kind.upper()} file" if kind else "something that is not one"
        said = f" (the server called it {content_type.split(';')[0].strip()})" if content_type else ""
        return f"not a {want.upper()}: the bytes are {got}{said}"
    return None


def extension(kind: str | None, url: str) -> str:
    if kind in KINDS:
        return KINDS[kind][0]
    ext = link_extension(url)
    return ext if ext in LINK_EXTENSIONS else "bin"


def content_type(kind: str | None, server_type: str | None) -> str | None:
    """The content type to keep: the bytes' kind when known, else what the server said (its first part)."""
    if kind in KINDS:
        return KINDS[kind][1]
    mime = (server_type or "").split(";")[0].strip().lower()
    return mime if re.fullmatch(r"[a-z0-9.+-]{1,60}/[a-z0-9.+-]{1,100}", mime) else None


def relative_path(sha256: str, ext: str) -> str:
    if not _SHA.match(sha256) or not re.fullmatch(r"[a-z0-9]{1,5}", ext):
        raise ValueError("not a sha256 and extension")
    return f"{sha256[:2]}/{sha256}.{ext}"


def resolve_inside(folder: Path, relative: str | None) -> Path | None:
    """The file a stored relative path names, when it has the files folder's shape, resolves inside the
    folder (no symlink out) and exists as a regular file; else None."""
    if not relative or not _RELATIVE.match(relative):
        return None
    path = folder / relative
    try:
        if path.is_symlink() or path.parent.is_symlink() or not path.is_file():
            return None
        if not path.resolve().is_relative_to(folder.resolve()):
            return None
    except OSError:
        return None
    return path


@contextlib.contextmanager
def temp_download(folder: Path) -> Iterator[Path]:
    """A locked temporary file in the files folder for one download; removed on the way out unless it was
    placed (`place`). A killed run's temp files are removed by the next run (`sweep`)."""
    folder.mkdir(parents=True, exist_ok=True)
    with leftovers.temp_file(folder / TEMP_NAME) as (_fh, path):
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)


def place(temp: Path, folder: Path, sha256: str, ext: str) -> str:
    """Move a checked download to its content address; returns the relative path. A file already there
    (the same content) is kept and the temp file dropped."""
    rel = relative_path(sha256, ext)
    target = folder / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and not target.is_symlink() and target.stat().st_size == temp.stat().st_size:
        temp.unlink(missing_ok=True)
        return rel
    os.replace(temp, target)
    return rel


def remove(folder: Path, relative: str) -> int:
    """Delete one stored file; returns the bytes freed (0 when it was not there)."""
    path = resolve_inside(folder, relative)
    if path is None:
        return 0
    try:
        size = path.stat().st_size
        path.unlink()
    except OSError:
        return 0
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when empty
    return size


def sweep(folder: Path) -> leftovers.Swept:
    """Remove the temp files of killed downloads (unlocked ones; a live run holds a lock on each of its)."""
    if not folder.is_dir():
        return leftovers.Swept()
    return leftovers.sweep_files(folder / TEMP_NAME, grace=0)


@dataclass
class Unreferenced:
    paths: list[Path]
    nbytes: int


def unreferenced(folder: Path, referenced: set[str]) -> Unreferenced:
    """Files in the folder's content-addressed places that no stored attachment refers to. Only names of
    the folder's own shape are considered; anything else (a user's file, a symlink) is left alone."""
    out = Unreferenced([], 0)
    if not folder.is_dir():
        return out
    for sub in sorted(folder.iterdir()):
        if not (re.fullmatch(r"[0-9a-f]{2}", sub.name) and sub.is_dir() and not sub.is_symlink()):
            continue
        for f in sorted(sub.iterdir()):
            rel = f"{sub.name}/{f.name}"
            if rel in referenced or not _RELATIVE.match(rel) or f.is_symlink() or not f.is_file():
                continue
            out.paths.append(f)
            with contextlib.suppress(OSError):
                out.nbytes += f.stat().st_size
    return out


def folder_size(folder: Path) -> int:
    """Bytes of every regular file under the folder (what it takes on disk, roughly)."""
    total = 0
    for root, _dirs, names in os.walk(folder, followlinks=False):
        for n in names:
            with contextlib.suppress(OSError):
                st = os.lstat(os.path.join(root, n))
                total += st.st_size
    return total
