"""`pip install .` (not only -e) ships the built-in knowledge base and every asset."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_contains_builtin_kb_and_assets(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("prep-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    decks = {p.name for p in (REPO / "decks").glob("*.yaml")}
    stories = {p.name for p in (REPO / "stories").iterdir() if p.is_file()}
    assert {f"prep/builtin/decks/{d}" for d in decks} <= names
    assert {f"prep/builtin/stories/{s}" for s in stories} <= names
    tcss = {str(p.relative_to(REPO)) for p in (REPO / "prep").rglob("*.tcss")}
    assert tcss and tcss <= names
    assert {"prep/kb/templates/resume.yaml", "prep/kb/templates/story.md", "prep/kb/templates/deck.yaml"} <= names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "prep = prep.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()
