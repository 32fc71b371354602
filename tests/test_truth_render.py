"""Facts and assumptions read the same everywhere outside Anki (tested in
test_anki_truth): `prep show`, the Markdown export, the mock sheets, the TUI."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import run_app
from textual.widgets import Markdown

from prep.cli import cli
from prep.index.sync import sync
from prep.tui.app import PrepApp

FACT = "checkout p99 at peak fell from 800 ms to 120 ms, measured with Prometheus histograms over 7 days"
SPAN = "about 3% of carts were abandoned after a slow page"


def test_show_and_markdown_export_render_facts_and_mark_assumptions(kb, tmp_path):
    run = CliRunner().invoke
    shown = run(cli, ["--kb", str(kb), "--lang", "en", "show", "checkout-latency"]).stdout
    assert f"{FACT}; conversion rose 2%." in shown and "{{fact:" not in shown
    assert f"(⟦{SPAN}⟧)" in shown and "{.assumed}" not in shown
    claim = run(cli, ["--kb", str(kb), "--lang", "en", "show", "acme.checkout-latency"]).stdout
    assert "## Facts" in claim and f"- {FACT} `acme.checkout-latency.p99`" in claim
    card = run(cli, ["--kb", str(kb), "--lang", "en", "show", "perf.p99"]).stdout
    assert card.index("**The latency 99% of requests beat.") < card.index("are faster than")  # gist first
    out = tmp_path / "kb.md"
    assert run(cli, ["--kb", str(kb), "--lang", "en", "export", "markdown", "-o", str(out)]).exit_code == 0
    doc = out.read_text(encoding="utf-8")
    assert f"⟦{SPAN}⟧" in doc and FACT in doc and "*⟦…⟧ marks an assumption written for you: confirm or correct it*" in doc


def test_mock_sheet_key_points_are_the_gist_and_assumptions_stay_marked(kb, tmp_path):
    story = kb / "stories/checkout-latency.md"
    story.write_text(story.read_text(encoding="utf-8").replace("found N+1", "found [N+1]{.assumed}"), encoding="utf-8")
    out = tmp_path / "mock"
    r = CliRunner().invoke(cli, ["--kb", str(kb), "--lang", "en", "draw", "--profile", "behavioural", "--seed", "1", "--out", str(out)])
    assert r.exit_code == 0, r.output
    sheet = (out / "interviewer.md").read_text(encoding="utf-8")
    assert "found ⟦N+1⟧ queries" in sheet and "marks an assumption" in sheet
    assert f"{FACT}; conversion rose 2%." in sheet and "{{fact:" not in sheet


def test_a_card_question_expects_its_gist(kb, db, now):
    from prep.mock.draw import _card_text

    sync(db, kb, now=now)
    q, points = _card_text(db, "perf.p99", "en")
    assert q.startswith("What does p99 latency mean") and points.startswith("The latency 99% of requests beat.")
    assert _card_text(db, "tw.basic", "zh")[1].startswith("时间轮是一个环形数组")  # no gist: the answer


def test_tui_review_shows_the_gist_first_and_styles_assumptions(db, kb, now, settings):
    sync(db, kb, now=now)
    app = PrepApp(db, clock=lambda: now, settings=settings, lang="en", kb_root=kb)

    async def steps(pilot):
        await pilot.press("s")
        await pilot.press("space")
        answer = app.screen.query_one("#answer", Markdown).source
        assert answer.startswith("**The latency 99% of requests beat.") and "are faster than" in answer
        await pilot.press("escape")
        await pilot.pause()
        from prep.tui.screens.rehearse import RehearseScreen

        app.push_screen(RehearseScreen("checkout-latency"))
        await pilot.pause()
        await pilot.press("a")  # reveal all
        await pilot.pause()
        story = "\n".join(m.source for m in app.screen.query("Markdown.section").results(Markdown))
        assert f"*⟦{SPAN}⟧*" in story and FACT in story

    run_app(app, steps)
