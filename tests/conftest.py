"""Shared fixtures: every test gets its own PREP_HOME and no inherited PREP_KB."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from prep.index.db import open_db
from prep.kb.scaffold import scaffold
from prep.study.srs import Settings

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def prep_home(tmp_path, monkeypatch):
    home = tmp_path / "prep-home"
    monkeypatch.setenv("PREP_HOME", str(home))
    monkeypatch.delenv("PREP_KB", raising=False)
    return home


def kb_db_file(prep_home: Path, root: Path) -> Path:
    """Where prep keeps the review history of the knowledge base at `root`."""
    from prep.kb.manifest import read_manifest

    return prep_home / "kbs" / f"{read_manifest(root).id}.db"


@pytest.fixture
def kb(tmp_path) -> Path:
    """A small valid knowledge base (the `prep init` sample plus a CJK deck)."""
    root = tmp_path / "kb"
    scaffold(root)
    write(
        root,
        "decks/time-wheel.yaml",
        """
        name: {zh: 时间轮, en: Time wheels}
        project: acme
        cards:
          - id: tw.basic
            q: {zh: 什么是时间轮？, en: What is a timing wheel?}
            a: |
              时间轮是一个环形数组，每个槽挂一个定时任务链表。
              ```go
              slot := (cur + delay/tick) % size
              ```
            claims: [acme.checkout-latency]
            tags: [timer]
            followups: [tw.hier]
          - id: tw.hier
            q: 分层时间轮如何处理溢出？
            a: Kafka 的 overflowWheel：超出当前轮范围的任务放到上层轮。
            claims: [acme.checkout-latency]
            kind: design
            difficulty: 4
        """,
    )
    return root


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def settings() -> Settings:
    """Study settings for tests: scheduling without fuzz, so every interval is exact."""
    return Settings(enable_fuzzing=False)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "test.db")


@pytest.fixture
def now():
    return dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def builtin_kb(tmp_path) -> Path:
    """A copy of the built-in knowledge base that a test may edit."""
    dest = tmp_path / "builtin"
    shutil.copytree(REPO / "decks", dest / "decks")
    shutil.copytree(REPO / "stories", dest / "stories")
    return dest


def run_app(app, steps, size=(100, 30)):
    """Drive a Textual app with the pilot: `steps(pilot)` is an async function."""

    async def go():
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot)

    asyncio.run(go())
