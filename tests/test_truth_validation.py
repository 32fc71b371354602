"""Validation of facts, citations, assumption spans and gists: every problem with its
file and line, all reported in one run."""

from __future__ import annotations

import pytest
from conftest import write

from prep.errors import ContentErrors
from prep.kb.loader import load
from prep.kb.marks import citations, resolve, spans

RESUME = """\
projects:
  - id: p
    company: P
    claims:
      - id: p.sched
        text: 能够同时支持2000个后台任务
        numbers: [2000 tasks]
        facts:
          - id: p.sched.wheel
            text: {zh: 单层时间轮，1 秒一格，3600 个槽, en: "a single wheel, 1 s tick, 3600 slots"}
            figure: 3600 slots
            status: confirmed
          - id: p.sched.store
            text: 任务存在 Postgres
            status: assumed
"""


def good_kb(root):
    write(root, "stories/resume.yaml", RESUME)
    write(
        root,
        "stories/s.md",
        """\
        ---
        id: s
        title: 调度
        claims: [p.sched]
        ---
        ## Situation
        背景：{{fact:p.sched.wheel}}。
        ## Task
        任务。
        ## Action
        事故发生在 [11:40 午餐高峰]{.assumed}。
        ## Result
        结果。
        """,
    )
    write(
        root,
        "decks/d.yaml",
        """\
        name: D
        cards:
          - id: d.one
            q: 时间轮多少个槽？
            gist: {zh: 3600 个槽，1 秒一格。, en: "3600 slots, 1 s a slot."}
            a: "{{fact:p.sched.wheel}}；{{fact:p.sched.store}}"
            claims: [p.sched]
        """,
    )


def test_a_kb_with_facts_citations_spans_and_gists_loads(tmp_path):
    good_kb(tmp_path)
    kb = load(tmp_path)
    assert [f.id for f in kb.claims["p.sched"].facts] == ["p.sched.wheel", "p.sched.store"]
    assert kb.where[("fact", "p.sched.wheel")] == ("stories/resume.yaml", 9)
    assert kb.cards["d.one"].gist["en"].startswith("3600 slots")


def test_every_problem_is_reported_at_once_with_its_line(tmp_path):
    good_kb(tmp_path)
    story = (tmp_path / "stories/s.md").read_text(encoding="utf-8")
    story = story.replace("{{fact:p.sched.wheel}}", "{{fact:p.sched.whel}}").replace("[11:40 午餐高峰]{.assumed}", "[11:40 午餐高峰]{.assumed")
    (tmp_path / "stories/s.md").write_text(story, encoding="utf-8")
    deck = (tmp_path / "decks/d.yaml").read_text(encoding="utf-8")
    (tmp_path / "decks/d.yaml").write_text(deck.replace("3600 个槽，1 秒一格。", "很长" * 121), encoding="utf-8")
    write(tmp_path, "decks/e.yaml", "name: E\ncards:\n  - id: p.sched.store\n    q: 撞名\n    a: 撞名\n")
    with pytest.raises(ContentErrors) as e:
        load(tmp_path)
    errors = {(x.file, x.line, x.field): x.message for x in e.value.errors}
    assert "unknown fact 'p.sched.whel'" in errors[("stories/s.md", 7, "sections.Situation")]
    assert "unclosed or malformed assumption" in errors[("stories/s.md", 11, "sections.Action")]
    assert "242 characters; a gist is at most 240" in errors[("decks/d.yaml", 5, "cards[0].gist")]
    assert "id 'p.sched.store' is already a card (at decks/e.yaml:3)" in errors[("stories/resume.yaml", 13, "facts.id")]
    assert len(errors) == 4


def test_a_fact_with_an_unknown_status_is_an_error_with_its_line(tmp_path):
    good_kb(tmp_path)
    resume = (tmp_path / "stories/resume.yaml").read_text(encoding="utf-8").replace("status: assumed", "status: guessed")
    (tmp_path / "stories/resume.yaml").write_text(resume, encoding="utf-8")
    with pytest.raises(ContentErrors) as e:
        load(tmp_path)
    (err,) = [x for x in e.value.errors if x.file == "stories/resume.yaml"]
    assert err.line == 15 and err.field.endswith("facts[1].status") and "'confirmed' or 'assumed'" in err.message


def test_marks_helpers():
    found, bad = spans("a [x *y*]{.assumed} b [z]{.note} c")
    assert [s.text for s in found] == ["x *y*"] and bad == []
    assert spans("`[x]{.assumed}` is code")[0] == []  # in code it is not an assumption... but not an error either
    assert spans("[x] {.assumed}")[1]
    assert citations("{{fact:a.b}} and {{ fact:c }}") == ["a.b", "c"]
    facts = {"a.b": ({"zh": "中文", "en": "english"}, "confirmed"), "c": ("guess", "assumed")}
    assert resolve("{{fact:a.b}} / {{fact:c}} / {{fact:zz}}", facts, "en") == "english / [guess]{.assumed} / {{fact:zz}}"


def test_json_schemas_describe_facts_and_gists():
    import jsonschema

    from prep.kb.schemas import json_schema as schema

    deck = schema("deck")
    ok = {"name": "D", "cards": [{"id": "c", "q": "Q", "a": "A", "gist": {"en": "short"}}]}
    jsonschema.validate(ok, deck)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "D", "cards": [{"id": "c", "q": "Q", "a": "A", "gist": "x" * 241}]}, deck)
    resume = schema("resume")
    fact = {"id": "p.c.f", "text": "t", "status": "assumed"}
    claim = {"id": "p.c", "text": "t", "facts": [fact]}
    jsonschema.validate({"projects": [{"id": "p", "company": "P", "claims": [claim]}]}, resume)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"projects": [{"id": "p", "company": "P", "claims": [claim | {"facts": [fact | {"status": "guessed"}]}]}]}, resume)
