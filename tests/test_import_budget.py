"""Read commands start near the floor: they import no content models, YAML, sqlite_utils,
Textual or genanki when nothing changed (issue 15), and `prep draw` no pydantic once its
profiles are validated. Checked in a new process with `-X importtime`, which lists
every module a command imported."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from conftest import kb_db_file

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


@pytest.mark.parametrize("command", [["draw", "--json", "--seed", "1"], ["draw", "--seed", "2", "--profile", "decks"], ["draw", "--profiles"]])
def test_a_warm_draw_imports_no_models(kb, prep_home, command):
    """The first draw validates the profiles (pydantic); later ones read the cache. With
    nothing reviewed there is no retrievability to ask fsrs for."""
    first = imported(["--kb", str(kb), "draw", "--json"], prep_home)
    assert "pydantic" in first
    heavy = sorted(set(HEAVY) & imported(["--kb", str(kb), *command], prep_home))
    assert heavy == [], f"prep {' '.join(command)} imported {heavy}"


def test_a_draw_imports_fsrs_once_something_is_reviewed(kb, prep_home):
    """Reviewed items are weighed by their retrievability, which only fsrs computes."""
    imported(["--kb", str(kb), "draw", "--json"], prep_home)
    from prep.index.db import open_db
    from prep.study import engine
    from prep.study.srs import Settings

    db = open_db(kb_db_file(prep_home, kb))
    engine.record_answer(db, "card", "tw.basic", 3, dt.datetime(2026, 11, 1, tzinfo=dt.UTC), settings=Settings(enable_fuzzing=False))
    db.close()
    heavy = set(HEAVY) & imported(["--kb", str(kb), "draw", "--json", "--seed", "1"], prep_home)
    assert heavy == {"fsrs"}


def test_an_edited_profile_brings_validation_back(kb, prep_home):
    imported(["--kb", str(kb), "draw", "--json"], prep_home)
    (kb / "profiles").mkdir()
    (kb / "profiles" / "quick.yaml").write_text("title: Quick\nslots: [{kind: card}]\n", encoding="utf-8")
    assert "pydantic" in imported(["--kb", str(kb), "draw", "--json", "--profile", "quick"], prep_home)
    assert "pydantic" not in imported(["--kb", str(kb), "draw", "--json", "--profile", "quick"], prep_home)


def test_only_the_command_that_runs_is_imported(kb, prep_home):
    """The lazy group: `prep stats` loads the module of `stats`, not every command's."""
    names = set()
    env = dict(os.environ, PREP_HOME=str(prep_home))
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "prep", "--kb", str(kb), "stats"], env=env, capture_output=True, text=True)
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert "prep.cli.content" in names
    assert not {"prep.cli.practice", "prep.cli.interview", "prep.cli.mv", "prep.cli.anki_import"} & names


def test_a_warm_audit_imports_no_content_models(kb, prep_home):
    """The audit reads the index: no pydantic, YAML, Textual or genanki once synced."""
    imported(["--kb", str(kb), "sync"], prep_home)
    heavy = sorted({"pydantic", "yaml", "textual", "genanki"} & imported(["--kb", str(kb), "audit"], prep_home))
    assert heavy == [], f"prep audit imported {heavy}"


@pytest.mark.parametrize(("given", "seen"), [(None, "__all__"), ("logfire", "logfire")])
def test_prep_asks_pydantic_to_load_no_plugins_unless_the_user_said(given, seen):
    """Looking for them reads every installed distribution's entry points (~8 ms) at the
    first validation, as a resync's; a user's own setting is kept."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    code = "import os, sys; from prep.cli import main; sys.argv = ['prep', '--help']\ntry: main()\nexcept SystemExit: pass\nprint(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == seen


def modules(args: list[str], env: dict[str, str]) -> set[str]:
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "prep", *args], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if line.startswith("import time:") and "|" in line}


@pytest.mark.parametrize(("given", "scanned"), [(None, False), ("logfire", True)])
def test_a_resync_reads_no_entry_points_unless_the_user_names_plugins(kb, prep_home, given, scanned):
    """pydantic's plugin loader imports importlib.metadata (~20 ms) at the first validation;
    prep stands in for it while plugins are all disabled. The edit is still validated and
    indexed through the stand-in; a user's own setting gets pydantic's loader."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"} | {"PREP_HOME": str(prep_home)}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    modules(["--kb", str(kb), "sync"], env)
    deck = kb / "decks/time-wheel.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("上层轮。", "上层轮（改）。"), encoding="utf-8")
    names = modules(["--kb", str(kb), "sync"], env)
    assert "pydantic.plugin._schema_validator" in names  # a validator was built
    assert ("importlib.metadata" in names) is scanned
    out = subprocess.run(
        [sys.executable, "-m", "prep", "--kb", str(kb), "search", "上层轮（改）"], env=env, capture_output=True, text=True, check=True
    )
    assert "tw." in out.stdout


def test_the_plugin_loaders_stand_in_hands_any_other_name_to_pydantics_own():
    """A later pydantic may import more from its loader than `get_plugins`: it gets the real one."""
    code = (
        "import os, sys\nos.environ.pop('PYDANTIC_DISABLE_PLUGINS', None)\nfrom prep.cli import _no_pydantic_plugins\n_no_pydantic_plugins()\n"
        "from pydantic.plugin._loader import get_plugins\nprint(list(get_plugins()), 'importlib.metadata' in sys.modules)\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"
        "print(PYDANTIC_ENTRY_POINT_GROUP, getattr(sys.modules['pydantic.plugin._loader'], '__file__', None) is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["[] False", "pydantic True"]


@pytest.mark.parametrize("command", [["sync"], ["stats"], ["draw", "--json"]])
def test_a_command_closes_its_database(kb, prep_home, command):
    """Closed, SQLite folds the write-ahead log into the file and removes it. The process
    skips the shutdown collections, so a connection left to them would stay open and the
    log would grow from one command to the next."""
    env = dict(os.environ, PREP_HOME=str(prep_home))
    deck = kb / "decks/time-wheel.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("上层轮。", "上层轮（改）。"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "prep", "--kb", str(kb), *command], env=env, capture_output=True, check=True)
    db = kb_db_file(prep_home, kb)
    assert db.exists()
    assert not db.with_name(db.name + "-wal").exists()
