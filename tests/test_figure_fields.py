"""A figure's `from`/`to` (a change) and `other_version` (the other resume's wording)."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.export.item import figure_line
from prep.kb.models import Claim, Figure


def test_from_to_written_three_ways_is_one_figure():
    a = Figure.model_validate({"from": "24 h", "to": "5 minutes"})
    b = Figure.model_validate({"value": "from 24 h to 5 minutes"})
    c = Claim(id="c", text="t", numbers=["24 h -> 5 minutes"]).numbers[0]
    assert (a.from_, a.value) == (b.from_, b.value) == (c.from_, c.value) == ("24 h", "5 minutes")
    zh = Figure.model_validate({"value": "从 800ms 降到 120ms"})
    assert (zh.from_, zh.value) == ("800ms", "120ms")
    assert Figure.model_validate({"value": "up to 5 tasks"}).from_ is None  # 'to' alone is no change


def test_before_is_read_as_other_version():
    fig = Figure.model_validate({"value": "2000 tasks", "before": "上几千个任务"})
    assert fig.other_version == "上几千个任务"
    line = figure_line(fig.model_dump(mode="json"), "en")
    assert line == "**2000 tasks** (other version: 上几千个任务)"
    assert figure_line(Figure.model_validate({"from": "24 h", "to": "5 min"}).model_dump(mode="json")) == "**24 h → 5 min**"


def test_validate_notes_the_old_key_with_its_line(kb):
    path = kb / "stories/resume.yaml"
    text = path.read_text()
    text = text.replace("          - 800 ms p99 before\n", "          - value: 800 ms\n            before: 800ms\n")
    path.write_text(text)
    result = CliRunner().invoke(cli, ["--kb", str(kb), "validate"])
    assert result.exit_code == 0, result.output
    assert "note: stories/resume.yaml:18: projects[0].claims[0].numbers[0].before: `before:` is now `other_version:`" in result.output


def _flags(root, figure: str) -> list[str]:
    import json

    write(
        root,
        "stories/resume.yaml",
        f"""
        projects:
          - id: acme
            company: ACME
            claims:
              - id: acme.p99
                text: Cut checkout p99 latency to 120 ms
                numbers:
                  - {figure}
        """,
    )
    write(
        root,
        "decks/perf.yaml",
        """
        name: Perf
        cards:
          - id: perf.tail
            q: What did you change?
            a: Checkout p99 was 800 ms; the N+1 queries went, p99 is 120 ms now.
            claims: [acme.p99]
            kind: design
        """,
    )
    result = CliRunner().invoke(cli, ["--kb", str(root), "audit", "--json"])
    assert result.exit_code == 0, result.output
    claim = next(c for c in json.loads(result.stdout)["claims"] if c["id"] == "acme.p99")
    return [f["kind"] + ": " + f["message"] for f in claim["flags"]]


def test_a_from_value_is_the_old_figure_not_a_contradiction(tmp_path):
    without = _flags(tmp_path, "120 ms")
    assert any("800" in f for f in without), without  # the old figure alone reads as a contradiction
    assert not any("800" in f for f in _flags(tmp_path, "{from: 800 ms, to: 120 ms}"))
    assert not any("800" in f for f in _flags(tmp_path, "from 800 ms to 120 ms"))


def _claim(**fields) -> dict:
    """A claim view as prep.index.show builds it, with `fields` changed."""
    claim = {
        "type": "claim",
        "id": "c",
        "project": "p",
        "text": "2000 tasks",
        "en": None,
        "source": "after",
        "before": None,
        "risk": "high",
        "numbers": [],
        "tech": [],
        "notes": "",
        "facts": [],
        "stories": [],
        "cards": [],
        "archived": False,
        "file": "stories/resume.yaml",
        "line": 3,
    }
    return claim | fields


def test_a_claims_other_version_is_labelled_as_such():
    from prep.export.item import render

    out = render(_claim(before="several thousand tasks"), lang="en")
    assert "> Other resume version: several thousand tasks" in out and "Before" not in out


def test_a_claims_english_line_is_labelled_in_a_chinese_view():
    """A claim written in Chinese with its English resume line: the Chinese view labels the
    English line (a bare English sentence under the heading read as a note), the English view
    heads with it and does not repeat it."""
    from prep.export.item import render

    claim = _claim(text="支持 2000 个后台任务", en="Ran 2,000 background tasks")
    zh = render(claim, lang="zh")
    assert "英文简历：Ran 2,000 background tasks" in zh and zh.startswith("# 支持 2000 个后台任务")
    en = render(dict(claim, text="Ran 2,000 background tasks"), lang="en")
    assert en.count("Ran 2,000 background tasks") == 1 and "In English" not in en
