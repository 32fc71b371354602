"""A Chinese knowledge base gets Chinese screens: an item's detail (its links' kinds, its
counts), and the story list's due times as a person reads them, never UTC ISO dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import run_app as run
from textual.widgets import DataTable, Markdown

from prep.index.sync import sync
from prep.study import engine
from prep.tui.app import PrepApp

# The sample KB's own text is English: only prep's labels are checked, not the content.
ENGLISH = re.compile(r"\b(to confirm|true as written|where|item|assumed|claim|story|card|fact|type|text|Linked)\b")


@pytest.fixture
def zh_app(db, kb, now, settings):
    sync(db, kb, now=now)
    return lambda: PrepApp(db, clock=lambda: now, settings=settings, lang="zh", kb_root=kb)


def labels(screen) -> str:
    """The labels prep puts around the content: column heads, the kind column of each
    table (its first word), titles; ids and paths removed."""
    out = [str(w.content) for w in screen.query(".title, .muted")]
    for table in screen.query(DataTable):
        out += [str(c.label) for c in table.columns.values()]
    return re.sub(r"[\w./-]+\.(md|yaml)(:\d+)?|\b[a-z]+[.-][\w.-]+", "", "\n".join(out))


def cells(screen, table_id: str, column: int) -> list[str]:
    table = screen.query_one(table_id, DataTable)
    return [str(table.get_row_at(r)[column]) for r in range(table.row_count)]


@pytest.mark.parametrize(
    ("item_id", "kinds"), [("acme.checkout-latency", {"故事", "卡片"}), ("tw.basic", {"条目", "卡片"}), ("checkout-latency", {"条目"})]
)
def test_detail_kinds_and_counts_are_chinese(zh_app, item_id, kinds):
    from prep.tui.screens.detail import DetailScreen

    async def steps(pilot):
        await pilot.app.push_screen(DetailScreen(item_id))
        await pilot.pause()
        screen = pilot.app.screen
        assert set(cells(screen, "#links", 0)) == kinds
        assert not ENGLISH.search(labels(screen)), labels(screen)
        if item_id == "acme.checkout-latency":
            doc = screen.query_one("#doc", Markdown).source
            assert "1 条事实 · **待确认 1 处**（c：逐条确认）" in doc and "fact(s)" not in doc

    run(zh_app(), steps)


def test_story_list_shows_due_relative_not_iso(zh_app, db, now, settings):
    from prep.tui.screens.rehearse import StoryListScreen

    engine.record_answer(db, "story", "checkout-latency", 4, now, mode="rehearsal", settings=settings)

    async def steps(pilot):
        await pilot.app.push_screen(StoryListScreen())
        await pilot.pause()
        table = pilot.app.screen.query_one("#stories", DataTable)
        due = str(table.get_row_at(0)[2])
        assert re.fullmatch(r"\d+天后", due), due  # not the UTC date '2026-11-2x'

    run(zh_app(), steps)


def test_story_list_says_due_for_a_story_past_due(zh_app, db, now, settings):
    from prep.tui.screens.rehearse import StoryListScreen

    engine.record_answer(db, "story", "checkout-latency", 3, now - dt.timedelta(days=30), mode="rehearsal", settings=settings)

    async def steps(pilot):
        await pilot.app.push_screen(StoryListScreen())
        await pilot.pause()
        assert str(pilot.app.screen.query_one("#stories", DataTable).get_row_at(0)[2]) == "已到期（1月前）"

    run(zh_app(), steps)
