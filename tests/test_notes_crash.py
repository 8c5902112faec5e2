"""kill -9 during note saves (issue 16): user.db always holds the old note or the new one, never an empty or
half-written one, its full-text index agrees with it, and the file passes SQLite's checks."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time

import pytest

from ogptui.notes import Target, new_note
from ogptui.seed import open_store
from tests.crashkit import cli_env, kill_after, report

# Saves alternate between two long texts as fast as they can; the test kills the process at random times.
SAVER = """
import itertools, sys
from ogptui.notes import Target, new_note
from ogptui.seed import open_store
from ogptui.store.notes import ANY_REV
texts = [open(sys.argv[1]).read(), open(sys.argv[2]).read()]
with open_store(seed=False) as s:
    t = Target("member", "testland", "testland", "Testland")
    print("ready", flush=True)
    for i in itertools.count():
        s.notes.save(new_note(t, texts[i % 2]), ANY_REV, "2025-06-01T00:00:00.000Z")
        if i == 0:
            print("saving", flush=True)
"""
ROUNDS = int(os.environ.get("OGPTUI_NOTE_KILLS", "12"))  # more with OGPTUI_NOTE_KILLS=60


@pytest.mark.slow
def test_kill_9_during_note_saves_leaves_the_old_or_the_new_note(ogptui_home, tmp_path):
    rng = random.Random(16)
    a = "\n".join(f"A{n} old note line, ask about the delay" for n in range(1000))
    b = "\n".join(f"B{n} new note line, the contact changed in March" for n in range(1000))
    (tmp_path / "a.txt").write_text(a)
    (tmp_path / "b.txt").write_text(b)
    with open_store() as s:
        s.notes.save(new_note(Target("member", "testland", "testland"), a), None, "2025-06-01T00:00:00.000Z")
    seen = {"A": 0, "B": 0}
    problems: list[str] = []
    for n in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
            env=cli_env(ogptui_home),
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "ready"
        assert proc.stdout.readline().strip() == "saving"  # at least one save went through this round
        killed = kill_after(proc, rng.uniform(0.0, 0.25))
        proc.stdout.close()
        assert killed, "the saver stopped by itself"
        conn = sqlite3.connect(ogptui_home / "user.db")
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            rows = conn.execute("SELECT text, copy FROM notes WHERE target = 'testland'").fetchall()
            conn.execute("INSERT INTO notes_fts (notes_fts) VALUES ('integrity-check')")
            indexed = conn.execute("SELECT count(*) FROM notes_fts WHERE notes_fts MATCH 'ask OR contact'").fetchone()[0]
        except sqlite3.DatabaseError as e:
            problems.append(f"round {n}: {e}")
            continue
        finally:
            conn.close()
        if check != "ok":
            problems.append(f"round {n}: quick_check {check}")
        if len(rows) != 1 or rows[0][0] not in (a, b) or rows[0][1] != 0:
            problems.append(f"round {n}: {len(rows)} rows, text starts {rows[0][0][:20]!r}" if rows else f"round {n}: no note")
            continue
        if indexed != 1:
            problems.append(f"round {n}: the index has {indexed} rows for one note")
        seen["A" if rows[0][0] == a else "B"] += 1
        time.sleep(0.01)
    report("notes_kill_9", rounds=ROUNDS, old=seen["A"], new=seen["B"], problems=len(problems))
    assert problems == []
    assert seen["A"] + seen["B"] == ROUNDS
    with open_store() as s:  # and the next command opens it as usual
        assert s.notes.note("testland").text in (a, b)
