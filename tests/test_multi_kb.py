"""Two knowledge bases in one PREP_HOME never archive, count or mix each other's items,
and the database every KB used to share is handed to the KB it belongs to, whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.index.db import open_db, utcnow
from prep.index.sync import sync
from prep.kb.manifest import read_manifest
from prep.paths import builtin_kb
from prep.study import engine


def run(*args, ok=True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def stats(kb: Path) -> dict:
    return json.loads(run("--kb", str(kb), "stats", "--json").output)


def test_english_kb_beside_builtin_keeps_separate_state(tmp_path, prep_home):
    en = tmp_path / "northwind"
    run("init", str(en), "--lang", "en", "--title", "Northwind data engineering")
    manifest = read_manifest(en)
    assert manifest.pinned and manifest.lang == "en" and manifest.title == "Northwind data engineering"
    builtin = builtin_kb()
    assert read_manifest(builtin).id == "builtin-3bd26acf"

    en_before, builtin_before = stats(en), stats(builtin)
    # Syncing one KB never archives the other's items.
    assert en_before["archived_cards"] == 0 and builtin_before["archived_cards"] == 0
    assert stats(en)["archived_cards"] == 0
    assert run("--kb", str(en), "list", "cards", "--archived", "--json").output.strip() == "[]"

    db = open_db(kb_db_file(prep_home, en))
    engine.record_answer(db, "card", "perf.p99", 3, utcnow())
    assert stats(en)["reviews"] == 1
    assert stats(builtin)["reviews"] == 0
    assert kb_db_file(prep_home, en) != kb_db_file(prep_home, builtin)
    assert builtin_before["cards"] > 400 and en_before["cards"] < 10


def test_sync_says_which_kb_and_database(kb, prep_home):
    result = run("--kb", str(kb), "sync")
    assert f"Database: {kb_db_file(prep_home, kb)}" in result.output
    assert read_manifest(kb).id in result.output


def _legacy_db_with_history(prep_home: Path, kb: Path) -> int:
    prep_home.mkdir(parents=True, exist_ok=True)
    db = open_db(prep_home / "prep.db")
    sync(db, kb)
    now = utcnow()
    for card in ("perf.p99", "tw.basic"):
        engine.record_answer(db, "card", card, 3, now)
    count = db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    db.conn.close()
    return count


def test_shared_database_goes_to_the_kb_it_indexed(kb, tmp_path, prep_home):
    reviews = _legacy_db_with_history(prep_home, kb)
    other = tmp_path / "other"
    run("init", str(other))
    # Another KB opened first starts fresh and leaves the shared file alone.
    assert stats(other)["reviews"] == 0
    assert (prep_home / "prep.db").exists()

    result = run("--kb", str(kb), "stats")
    assert "Moved this knowledge base's review history" in result.output
    assert stats(kb)["reviews"] == reviews == 2
    kept = prep_home / "prep.db.shared-before-0.2.bak"
    assert kept.exists() and not (prep_home / "prep.db").exists()
    conn = sqlite3.connect(kept)
    assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == reviews  # nothing deleted
    conn.close()
    # Adopted once: running again changes nothing and says nothing.
    assert "Moved" not in run("--kb", str(kb), "stats").output


def test_bad_manifest_is_a_sentence_naming_file_and_field(kb):
    (kb / "prep.toml").write_text('id = "Has Spaces"\n')
    result = run("--kb", str(kb), "stats", ok=False)
    assert result.exit_code == 1
    assert "prep.toml: id: must be lowercase" in result.output
    (kb / "prep.toml").write_text('id = "ok-1"\nlnag = "en"\n')
    result = run("--kb", str(kb), "stats", ok=False)
    assert "prep.toml: unknown key 'lnag'" in result.output
    (kb / "prep.toml").write_text("id = \n")
    assert "not valid TOML" in run("--kb", str(kb), "stats", ok=False).output


def test_init_pins_an_existing_kb_without_touching_its_files(kb):
    (kb / "prep.toml").unlink()
    assert not read_manifest(kb).pinned
    before = {p: p.read_bytes() for p in kb.rglob("*") if p.is_file()}
    result = run("init", str(kb))
    assert "is now" in result.output and read_manifest(kb).pinned
    assert {p: p.read_bytes() for p in before} == before
    assert run("init", str(kb), ok=False).exit_code == 1


def test_language_precedence(kb, monkeypatch):
    """--lang, then PREP_LANG, then `prep config lang`, then prep.toml, then the content."""

    def q(*args):
        out = run("--kb", str(kb), *args, "list", "cards", "--deck", "time-wheel", "--json").output
        return json.loads(out)[0]["q"]

    zh, en = "什么是时间轮？", "What is a timing wheel?"
    assert q() == en  # the sample resume is written in English
    (kb / "prep.toml").write_text((kb / "prep.toml").read_text() + 'lang = "zh"\n')
    assert q() == zh
    assert run("--kb", str(kb), "config", "lang", "en").output.strip() == "lang = en"
    assert q() == en
    monkeypatch.setenv("PREP_LANG", "zh")
    assert q() == zh
    assert q("--lang", "en") == en
    monkeypatch.delenv("PREP_LANG")
    assert "lang = en" in run("--kb", str(kb), "config").output
    run("--kb", str(kb), "config", "lang", "auto")
    assert q() == zh
    bad = run("--lang", "en", "--kb", str(kb), "config", "lang", "fr", ok=False)  # the KB is zh now: ask for English
    assert bad.exit_code == 1 and "lang must be one of zh, en or auto" in bad.output
