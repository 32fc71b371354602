"""The TUI at 80x24 and 120x40, in zh and en: names and ids fit, the footer is whole,
help lists every screen's keys, a followup toast is whole, a revealed section is in view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_app, write
from rich.cells import cell_len
from textual.widgets import DataTable, Markdown

from prep.index.sync import sync
from prep.study.srs import Settings
from prep.tui.app import PrepApp
from prep.tui.screens.dashboard import DashboardScreen
from prep.tui.screens.review import ReviewScreen
from prep.tui.widgets.footer import PrepFooter

S = Settings(enable_fuzzing=False)
NORTHWIND = Path(__file__).parent / "data" / "northwind"
LONG_DECK = {"zh": "数据分发网关：UDP/TCP、协议识别与路由", "en": "Data-distribution gateway: UDP/TCP and routing"}
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def wide_kb(kb):
    write(
        kb,
        "decks/gateway.yaml",
        f"""
        name: {{zh: "{LONG_DECK["zh"]}", en: "{LONG_DECK["en"]}"}}
        project: acme
        cards:
          - id: gw.route
            q: How does the gateway route a packet it has not seen before?
            a: By the protocol recogniser's verdict.
            claims: [acme.checkout-latency]
        """,
    )
    return kb


def app_for(db, now, lang="en", **kw):
    return PrepApp(db, clock=lambda: now, settings=S, lang=lang, **kw)


def cells(table: DataTable, column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


def assert_no_sideways_scroll(table: DataTable) -> None:
    assert table.virtual_size.width <= table.scrollable_content_region.width, table.id


def assert_footer_whole(app) -> None:
    footer = app.screen.query_one(PrepFooter)
    assert footer.needed() <= app.size.width
    keys = list(footer.query("FooterKey"))
    assert keys and max(k.region.right for k in keys) <= app.size.width


async def figures(pilot):
    """The dashboard's figures come from a worker: wait for it, and for the repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_names_and_ids_fit(db, wide_kb, now, size, lang):
    sync(db, wide_kb, now=now)
    app = app_for(db, now, lang)

    async def steps(pilot):
        await figures(pilot)
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        decks, claims = screen.query_one("#decks", DataTable), screen.query_one("#claims", DataTable)
        assert LONG_DECK[lang] in cells(decks, 0)  # whole, no ellipsis
        assert "acme.checkout-latency" in cells(claims, 0)
        assert_no_sideways_scroll(decks)
        assert_no_sideways_scroll(claims)
        assert cell_len(LONG_DECK[lang]) > 16  # the old fixed width would have cut it
        assert_footer_whole(app)
        # the tables sit side by side when they fit, else one above the other
        side_by_side = decks.region.y == claims.region.y
        assert side_by_side == (size == (120, 40))

    run_app(app, steps, size=size)


@pytest.mark.parametrize("size", SIZES)
def test_northwind_dashboard_fits_with_english_labels(db, tmp_path, now, size):
    root = tmp_path / "northwind"
    shutil.copytree(NORTHWIND, root)
    sync(db, root, now=now)
    app = app_for(db, now, "en")

    async def steps(pilot):
        await figures(pilot)
        claims = app.screen.query_one("#claims", DataTable)
        assert {"northwind.cdc", "northwind.dbt", "northwind.quality"} <= set(cells(claims, 0))
        risks = set(cells(claims, 1))
        assert risks <= {"high", "medium", "low"} and "medi" not in risks
        assert_no_sideways_scroll(claims)
        assert_footer_whole(app)
        labels = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"Study", "Browse", "Mock", "Help"} <= labels

    run_app(app, steps, size=size)


def test_chinese_app_has_chinese_labels(db, kb, now):
    sync(db, kb, now=now)
    app = app_for(db, now, "zh")

    async def steps(pilot):
        await figures(pilot)
        screen = app.screen
        labels = {b.binding.description for b in screen.active_bindings.values() if b.binding.show}
        assert {"学习", "浏览", "模拟", "帮助"} <= labels
        assert str(screen.query_one("#decks", DataTable).columns[next(iter(screen.query_one("#decks", DataTable).columns))].label) == "卡组"
        assert "待复习" in str(screen.query_one("#summary").content)

    run_app(app, steps, size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_footer_is_whole_at_80_columns_with_every_key(db, kb, now, lang):
    sync(db, kb, now=now)
    app = app_for(db, now, lang, start="review")

    async def steps(pilot):
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("space", "3", "space", "3", "space")  # two answers, then a card with a followup
        await pilot.pause()
        assert screen.card["followups"] and screen.answered
        shown = {b.binding.key for b in screen.active_bindings.values() if b.binding.show and b.enabled}
        assert {"1", "2", "3", "4", "u", "f", "q", "question_mark"} <= shown
        assert_footer_whole(app)
        footer_text = " ".join(str(k.render()) for k in screen.query_one(PrepFooter).query("FooterKey"))
        assert ("Help" if lang == "en" else "帮助") in footer_text

    run_app(app, steps, size=(80, 24))


def test_followup_toast_is_the_whole_question(db, kb, now):
    sync(db, kb, now=now)
    long_q = "How did you measure the 120 ms and which percentile was it and over what window of traffic did you take it?"
    deck = kb / "decks" / "performance.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("How did you measure the 120 ms?", long_q), encoding="utf-8")
    sync(db, kb, now=now)
    app = app_for(db, now, "en", start="review")

    async def steps(pilot):
        await pilot.press("space", "f")
        messages = [n.message for n in app._notifications]
        assert any(m.endswith(long_q) for m in messages), messages

    run_app(app, steps, size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_lists_the_mock_keys(db, kb, now, lang):
    sync(db, kb, now=now)
    app = app_for(db, now, lang)

    async def steps(pilot):
        await pilot.press("question_mark")
        text = app.screen.query_one(Markdown).source
        assert ("**Mock interview**" if lang == "en" else "**模拟面试**") in text
        for key in ("`m`", "`f`", "`Enter`", "`1`", "`4`"):
            assert key in text.split("**Mock interview**" if lang == "en" else "**模拟面试**")[1] or key == "`m`"
        assert "`m`" in text

    run_app(app, steps, size=(80, 24))


def test_revealing_a_story_scrolls_to_what_was_revealed(db, kb, now):
    story = kb / "stories" / "checkout-latency.md"
    long = "\n".join(f"- step {i}: a line long enough to fill the body of the story screen" for i in range(30))
    story.write_text(story.read_text(encoding="utf-8").replace("## Action\n", f"## Action\n{long}\n", 1), encoding="utf-8")
    sync(db, kb, now=now)
    app = app_for(db, now, "en")

    async def steps(pilot):
        await pilot.press("r", "enter")
        screen = app.screen
        body = screen.query_one("#body")
        for _ in range(len(screen.sections)):
            await pilot.press("space")
            await pilot.pause()
            newest = list(screen.query(".section"))[-1]
            # the revealed section's first line (its heading) is on screen
            assert body.region.y <= newest.region.y < body.region.bottom, (newest.region, body.region)
        await pilot.press("3")

    run_app(app, steps, size=(80, 24))


def test_reveal_all_scrolls_to_the_first_revealed_section(db, kb, now):
    sync(db, kb, now=now)
    app = app_for(db, now, "en")

    async def steps(pilot):
        await pilot.press("r", "enter", "space", "a")
        await pilot.pause()
        screen = app.screen
        sections = list(screen.query(".section"))
        assert len(sections) == len(screen.sections) and screen.shown == len(screen.sections)
        body = screen.query_one("#body")
        assert body.region.y <= sections[1].region.y < body.region.bottom

    run_app(app, steps, size=(80, 24))


def test_browse_highlights_the_hit_and_fits(db, kb, now):
    sync(db, kb, now=now)
    app = app_for(db, now, "en")

    async def steps(pilot):
        await pilot.press("b", *"Kafka")
        await pilot.pause(0.3)  # typing is debounced, the query runs in a worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count
        texts = [table.get_row_at(i)[2] for i in range(table.row_count)]
        assert any(span.style == "bold reverse" and "kafka" in t.plain[span.start : span.end].lower() for t in texts for span in t.spans)
        assert_no_sideways_scroll(table)

    run_app(app, steps, size=(80, 24))


async def settled(pilot):
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_dashboard_zh_120x40(db, wide_kb, now, snap_compare):
    sync(db, wide_kb, now=now)
    assert snap_compare(app_for(db, now, "zh"), terminal_size=(120, 40), run_before=settled)


def test_snapshot_review_back_en_80x24(db, kb, now, snap_compare):
    sync(db, kb, now=now)
    assert snap_compare(app_for(db, now, "en"), terminal_size=(80, 24), press=["s", "space", "3", "space", "3", "space"])


def test_mock_status_line_is_whole_at_80_columns(db, kb, now):
    from rich.cells import cell_len as width_of

    from prep.tui.screens.mock import MockSessionScreen

    sync(db, kb, now=now)
    app = app_for(db, now, "en")

    async def steps(pilot):
        await pilot.press("m")
        app.screen.seed = 11
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockSessionScreen)
        status = screen.query_one("#status")
        text = str(status.content)
        assert "total 0:00" in text and width_of(text) > 80  # this long line would be cut at one row
        assert status.size.height * status.size.width >= width_of(text)
        assert_footer_whole(app)

    run_app(app, steps, size=(80, 24))


def test_dashboard_drawn_again_after_a_live_resize(db, wide_kb, now):
    """The tables keep their drawn lines across focus moves and screens; a resize must still
    draw them at the new widths (the deck name cut at 50 columns, whole at 120)."""
    sync(db, wide_kb, now=now)
    app = app_for(db, now, "en")

    def drawn(table: DataTable) -> str:
        return "\n".join(table.render_line(y).text for y in range(table.size.height))

    async def steps(pilot):
        await figures(pilot)
        decks = app.screen.query_one("#decks", DataTable)
        assert LONG_DECK["en"] in drawn(decks)
        await pilot.press("b", "escape")  # another screen over the dashboard and back
        await figures(pilot)
        assert LONG_DECK["en"] in drawn(decks)
        await pilot.resize_terminal(50, 24)
        await figures(pilot)
        narrow = drawn(decks)
        assert LONG_DECK["en"] not in narrow and "Data-distribution" in narrow and "…" in narrow
        assert_no_sideways_scroll(decks)
        await pilot.resize_terminal(120, 40)
        await figures(pilot)
        assert LONG_DECK["en"] in drawn(decks)

    run_app(app, steps, size=(120, 40))


def test_the_footer_is_rebuilt_only_when_its_keys_change(db, kb, now):
    sync(db, kb, now=now)
    app = app_for(db, now, "en", start="review")

    async def steps(pilot):
        screen = app.screen
        footer = screen.query_one(PrepFooter)
        before = list(footer.query("FooterKey"))
        screen.refresh_bindings()  # what a focus change or a mount signals: the same keys
        await pilot.pause()
        await pilot.pause()
        assert list(footer.query("FooterKey")) == before and all(a is b for a, b in zip(footer.query("FooterKey"), before, strict=True))
        await pilot.press("space")  # revealed: the rating keys come
        await pilot.pause()
        keys = {str(k.key) for k in footer.query("FooterKey")}
        assert {"1", "2", "3", "4"} <= keys and not any(a is b for a, b in zip(footer.query("FooterKey"), before, strict=False))

    run_app(app, steps, size=(80, 24))
