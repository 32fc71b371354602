"""`prep confirm` and the TUI's "to confirm" screen: each assumption walked with its
file, line and context, confirmed by a one-line edit of the knowledge base."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import run_app, write
from textual.widgets import DataTable, Markdown, Static

from prep.audit.assumptions import to_confirm
from prep.audit.confirm import ConfirmError, confirm
from prep.cli import cli
from prep.index.sync import sync
from prep.tui.app import PrepApp
from prep.tui.screens.assumptions import AssumptionsScreen
from prep.tui.screens.detail import DetailScreen

STORY = "stories/checkout-latency.md"


@pytest.fixture
def kb2(tmp_path):
    """The init sample with a second span and an assumed fact."""
    root = tmp_path / "kb2"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    story = (root / STORY).read_text(encoding="utf-8")
    story = story.replace("found N+1 queries on the cart", "found [N+1 queries on the cart]{.assumed}")
    (root / STORY).write_text(story, encoding="utf-8")
    resume = (root / "stories/resume.yaml").read_text(encoding="utf-8")
    resume += """\
          - id: acme.checkout-latency.load
            text: {en: "the peak was about 300 checkouts a second"}
            status: assumed
"""
    (root / "stories/resume.yaml").write_text(resume, encoding="utf-8")
    return root


def test_cli_walks_each_assumption_and_edits_one_line(kb2):
    run = CliRunner().invoke
    listed = run(cli, ["--kb", str(kb2), "confirm", "--list"])
    assert listed.exit_code == 0 and "3 to confirm." in listed.stdout
    assert f"{STORY}:13: story checkout-latency: about 3% of carts" in listed.stdout
    # by file and line: the story's two spans (replace the 1st, skip the 2nd), then the fact (true)
    r = run(cli, ["--kb", str(kb2), "confirm"], input="r\nabout 1.5% of carts, from the funnel dashboard\ns\nt\n")
    assert r.exit_code == 0, r.output
    assert f"[1/3] {STORY}:13" in r.stdout and "[3/3] stories/resume.yaml:" in r.stdout
    assert "assumed: the peak was about 300 checkouts a second" in r.stdout
    assert "…at peak and conversion dropped on slow requests ([about 3% of carts" in r.stdout
    assert "2 confirmed" in r.stdout
    resume = (kb2 / "stories/resume.yaml").read_text(encoding="utf-8")
    assert "status: assumed" not in resume and resume.count("status: confirmed") == 2
    story = (kb2 / STORY).read_text(encoding="utf-8")
    assert "(about 1.5% of carts, from the funnel dashboard)." in story and "3% of carts" not in story
    assert "[N+1 queries on the cart]{.assumed}" in story  # skipped: left alone
    after = run(cli, ["--kb", str(kb2), "confirm", "--json"])
    assert [a["text"] for a in __import__("json").loads(after.stdout)] == ["N+1 queries on the cart"]
    assert run(cli, ["--kb", str(kb2), "validate"]).exit_code == 0


def test_a_stale_or_breaking_confirmation_is_refused_with_nothing_written(kb2, db, now):
    sync(db, kb2, now=now)
    span = next(a for a in to_confirm(db, "en") if a.kind == "span")
    before = (kb2 / STORY).read_text(encoding="utf-8")
    with pytest.raises(ConfirmError, match="one non-empty line"):
        confirm(kb2, span, "two\nlines")
    (kb2 / STORY).write_text(before.replace("about 3% of carts", "about 4% of carts"), encoding="utf-8")
    with pytest.raises(ConfirmError, match="no longer on this line"):
        confirm(kb2, span)
    write(kb2, "decks/q.yaml", 'name: Q\ncards:\n  - id: q.one\n    q: "Q [x]{.assumed}?"\n    a: A\n    claims: [acme.checkout-latency]\n')
    sync(db, kb2, now=now)
    quoted = next(a for a in to_confirm(db, "en") if a.file == "decks/q.yaml")
    with pytest.raises(ConfirmError, match="would break the file"):
        confirm(kb2, quoted, 'say "hi')
    assert 'q: "Q [x]{.assumed}?"' in (kb2 / "decks/q.yaml").read_text(encoding="utf-8")


def test_tui_to_confirm_from_the_dashboard_and_the_claim_detail(kb2, db, now, settings):
    sync(db, kb2, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en", kb_root=kb2)

    async def steps(pilot):
        await pilot.press("c")
        screen = app.screen
        assert isinstance(screen, AssumptionsScreen)
        assert str(screen.query_one("#title", Static).content).startswith("3 to confirm")
        table = screen.query_one("#items", DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "story checkout-latency"  # 100 columns: no file:line column
        context = str(screen.query_one("#context", Static).content)
        assert context.startswith(f"{STORY}:13 · story checkout-latency · claim acme.checkout-latency")
        assert "conversion dropped on slow requests" in context
        await pilot.press("t")
        await pilot.pause()
        assert str(screen.query_one("#title", Static).content).startswith("2 to confirm")
        assert "[about 3% of carts" not in (kb2 / STORY).read_text(encoding="utf-8")
        await pilot.press("escape")
        app.push_screen(DetailScreen("acme.checkout-latency"))
        await pilot.pause()
        doc = app.screen.query_one("#doc", Markdown).source
        assert "## Facts" in doc and "the peak was about 300 checkouts a second" in doc and "**2 to confirm**" in doc
        assert "*⟦N+1 queries" not in doc  # the claim's own text has no span; its story does
        await pilot.press("c")
        assert isinstance(app.screen, AssumptionsScreen) and app.screen.claim == "acme.checkout-latency"

    run_app(app, steps)


def test_tui_to_confirm_speaks_the_kbs_language(kb2, db, now, settings):
    sync(db, kb2, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="zh", kb_root=kb2)

    async def steps(pilot):
        await pilot.press("c")
        screen = app.screen
        assert str(screen.query_one("#title", Static).content).startswith("待确认 3 处（t：按原文确认属实")
        table = screen.query_one("#items", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["位置", "所在", "待确认的内容"]  # wide: file:line too
        assert str(table.get_row_at(table.cursor_row)[1]) == "故事 checkout-latency"
        assert "· 故事 checkout-latency · 条目 acme.checkout-latency" in str(screen.query_one("#context", Static).content)
        await pilot.press("escape")
        app.push_screen(DetailScreen("acme.checkout-latency"))
        await pilot.pause()
        assert "**待确认 3 处**（c：逐条确认）" in app.screen.query_one("#doc", Markdown).source

    run_app(app, steps, size=(160, 40))
