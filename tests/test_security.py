"""Content is data, never code: raw HTML is shown as text in every output prep writes."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.export.render import neutralize_html

SCRIPT = "<script>alert(1)</script>"


def test_neutralize_html_keeps_code_literal():
    md = f"Text {SCRIPT} & more `<b>code</b>`\n```html\n<p>fenced</p>\n```\n<img src=x onerror=alert(1)>"
    out = neutralize_html(md)
    assert "<script>" not in out and "&lt;script>alert(1)&lt;/script>" in out
    assert "`<b>code</b>`" in out and "<p>fenced</p>" in out
    assert "&lt;img src=x" in out and "&amp; more" in out


def test_draw_sheets_escape_raw_html(kb, tmp_path):
    write(
        kb,
        "decks/evil.yaml",
        f"""
        name: Evil
        cards:
          - id: evil.q
            q: "What does {SCRIPT} do?"
            a: "It runs {SCRIPT} unless escaped; `{SCRIPT}` in code stays literal."
            claims: [acme.checkout-latency]
        """,
    )
    out = tmp_path / "sheets"
    result = CliRunner().invoke(
        cli, ["--kb", str(kb), "draw", "--profile", "phone-screen", "--seed", "3", "--n", "6", "--claim", "acme.checkout-latency", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for name in ("interviewer.md", "candidate.md"):
        text = (out / name).read_text(encoding="utf-8")
        outside_code = "".join(text.split("`")[::2])
        assert "<script" not in outside_code, name
        assert "alert(1)" in text, f"{name}: the evil card was not drawn, the test proves nothing"


def test_json_outputs_carry_text_not_markup_changes(kb):
    write(
        kb,
        "decks/evil.yaml",
        f"""
        name: Evil
        cards:
          - id: evil.q
            q: "{SCRIPT}"
            a: plain
        """,
    )
    result = CliRunner().invoke(cli, ["--kb", str(kb), "show", "evil.q", "--json"])
    # JSON is data for programs: the text is kept verbatim, and it is valid JSON
    assert json.loads(result.stdout)["q"] == SCRIPT
