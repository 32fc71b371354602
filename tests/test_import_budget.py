"""Read commands start near the floor: they import no content models, YAML, sqlite_utils,
Textual or genanki when nothing changed (issue 15). Checked in a new process with
`-X importtime`, which lists every module a command imported."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("pydantic", "sqlite_utils", "yaml", "textual", "genanki", "fsrs", "markdown_it", "pygments")


def imported(args: list[str], home) -> set[str]:
    env = dict(os.environ, PREP_HOME=str(home))
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "prep", *args], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    names = set()
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("command", [["stats"], ["show", "tw.basic"], ["list", "cards"], ["list", "claims", "--json"], ["search", "时间轮"]])
def test_warm_read_commands_import_nothing_heavy(kb, prep_home, command):
    imported(["--kb", str(kb), "sync"], prep_home)  # the cold sync parses (and may import anything)
    heavy = sorted(set(HEAVY) & imported(["--kb", str(kb), *command], prep_home))
    assert heavy == [], f"prep {' '.join(command)} imported {heavy}"


def test_a_changed_file_is_parsed_with_the_models(kb, prep_home):
    """The budget is about the warm path: an edit still goes through pydantic validation."""
    imported(["--kb", str(kb), "sync"], prep_home)
    deck = kb / "decks/time-wheel.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert {"pydantic", "yaml"} <= imported(["--kb", str(kb), "stats"], prep_home)
