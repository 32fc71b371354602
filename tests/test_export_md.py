"""`prep export markdown`: every selected card and story once, claim by claim."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import write

from prep.cli import cli


def test_markdown_export_lists_each_item_once(kb, tmp_path):
    write(
        kb,
        "stories/second.md",
        """
        ---
        id: second
        title: Second story
        claims: [acme.checkout-latency]
        lang: en
        ---
        ## Situation
        S <script>x</script>
        ## Task
        T
        ## Action
        A
        ## Result
        R
        """,
    )
    out = tmp_path / "kb.md"
    result = CliRunner().invoke(cli, ["--kb", str(kb), "--lang", "en", "export", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 cards, 2 stories" in result.output
    text = out.read_text(encoding="utf-8")
    assert text.count("#### Q: ") == 4 and text.count("#### STAR: ") == 2
    assert "### Cut checkout p99 latency from 800 ms to 120 ms" in text
    assert text.index("### Cut checkout") < text.index("#### STAR: Cutting checkout latency") < text.index("#### Q: What does p99")
    assert "<script>" not in text and "&lt;script>" in text
    only = CliRunner().invoke(cli, ["--kb", str(kb), "export", "markdown", "--deck", "time-wheel"])
    assert only.stdout.count("#### Q: ") == 2 and "#### STAR" not in only.stdout
