"""A sync SIGKILLed while it downloads a document's file (issue 13): no half-written document, the temp file
it left is removed by the next run, which resumes without fetching the finished documents again."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ogptui.seed import open_store
from tests.crashkit import integrity_problems, run_cli, start_cli
from tests.fakesite.documents import file_path

pytestmark = pytest.mark.timeout(180)


def _document_problems(store) -> list[str]:
    """Documents whose stored children do not add up to their record hash, files that are not their hash."""
    problems = []
    for slug, stored, http_hash in store.cache.execute(
        "SELECT d.slug, d.record_hash, h.record_hash FROM documents d LEFT JOIN http_state h ON h.url = d.source_url"
    ).fetchall():
        doc = store.get_document(slug)
        if doc is None or doc.page.record_hash() != stored:
            problems.append(f"{slug}: children do not match the stored record hash")
        if http_hash is not None and http_hash != stored:
            problems.append(f"{slug}: http_state hash differs from the document row")
    for url, sha, rel in store.cache.execute(
        "SELECT url, sha256, path FROM attachments WHERE path IS NOT NULL"
    ):
        path = store.local_file(rel)
        if path is None or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
            problems.append(f"{url}: its file is missing or not its sha256")
        if not store.attachment_pages(sha) and store.attachment_file(url).text_status == "ok":
            problems.append(f"{url}: text status ok without text")
    return problems


def test_sigkill_mid_download_leaves_no_half_document_and_no_orphan_temp_file(make_fake_site, ogptui_home):
    site = make_fake_site(latency=0.005)
    # The file of an action plan whose page comes late in Peru's list answers half its body, then waits:
    # the run is killed while that download's temp file exists.
    slow = file_path("peru-action-plan-2012", 2015)
    site.fault(slow, "slow", times=1, where="body", delay=60)
    folder = ogptui_home / "files"
    args = ("sync", "peru", "--source", site.url, "--quiet", "--concurrency", "1", "--delay", "0")
    proc = start_cli(ogptui_home, *args)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if site.hits(slow) and list(folder.glob(".download.*.tmp")):
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    leftovers = list(folder.glob(".download.*.tmp"))
    assert leftovers, "the kill was meant to land during a download"

    assert integrity_problems(ogptui_home / "cache.db") == []
    with open_store() as store:
        assert _document_problems(store) == []
        done_before = store.document_slugs()
    assert done_before, "some documents were stored before the kill"

    hits_before = {slug: site.hits(f"/documents/{slug}/") for slug in done_before}
    r = run_cli(ogptui_home, *args, timeout=120)
    assert r.returncode == 0, r.stderr
    assert not list(folder.glob(".download.*.tmp"))  # the orphan is gone
    assert not [p for p in Path(folder).rglob("*") if p.is_file() and p.name.startswith(".")]
    with open_store() as store:
        assert _document_problems(store) == []
        assert integrity_problems(ogptui_home / "cache.db") == []
        assert len(store.document_slugs()) == 12
        d = store.get_document("peru-action-plan-2012")
        assert d.attachments[0].path is not None and d.attachments[0].text_status == "ok"
    # The resumed run asked only for what the killed one had not finished.
    assert {slug: site.hits(f"/documents/{slug}/") for slug in done_before} == hits_before
    assert site.hits(slow) == 2


def test_a_temp_file_a_live_download_holds_is_never_swept(ogptui_home):
    """A temp file a live download holds (locked) is never swept by another process's sync."""
    folder = ogptui_home / "files"
    code = (
        "import sys, time; from pathlib import Path; from ogptui import files\n"
        "with files.temp_download(Path(sys.argv[1])) as p:\n"
        "    p.write_bytes(b'%PDF- in progress'); print(p, flush=True); time.sleep(60)\n"
    )
    import sys

    holder = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True)
    try:
        path = Path(holder.stdout.readline().strip())
        assert path.exists()
        from ogptui import files

        assert files.sweep(folder).removed == 0 and path.exists()
        holder.kill()
        holder.wait()
        assert files.sweep(folder).removed == 1 and not path.exists()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
