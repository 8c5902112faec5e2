"""The suite never reaches the user's real data folder, even when a test loses its OGPTUI_HOME."""

from __future__ import annotations

import os
import tempfile

from ogptui import config


def test_without_ogptui_home_the_data_folder_is_the_runs_sandbox(monkeypatch):
    monkeypatch.delenv("OGPTUI_HOME")
    home = config.paths().home
    assert str(home).startswith(tempfile.gettempdir()), home
    assert "ogptui-tests-" in str(home)
    assert os.path.expanduser("~") not in str(home) or str(home).startswith(tempfile.gettempdir())
