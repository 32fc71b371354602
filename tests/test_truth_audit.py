"""The truth checks of `prep audit` on a `prep init` knowledge base: contradictions
within a claim's backing, assumptions to confirm, gists, readiness and --strict."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import write

from prep.audit.report import audit
from prep.cli import cli
from prep.index.sync import sync
from prep.study.readiness import claim_readiness
from prep.study.srs import Settings

S = Settings(enable_fuzzing=False)
STORY = "stories/checkout-latency.md"


@pytest.fixture
def init_kb(tmp_path):
    root = tmp_path / "init"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0
    return root


def by_id(report):
    return {c["id"]: c for c in report["claims"]}


def contradictions(claim):
    return [f for f in claim["flags"] if f["kind"] == "contradiction"]


def test_the_init_sample_has_one_fact_one_assumption_and_gists(init_kb, db, now):
    sync(db, init_kb, now=now)
    report = audit(db, now, S, lang="en")
    (claim,) = report["claims"]
    assert contradictions(claim) == [] and claim["to_confirm"] == 1
    (a,) = report["to_confirm"]
    assert (a["file"], a["line"], a["kind"]) == (STORY, 13, "span")
    assert a["text"] == "about 3% of carts were abandoned after a slow page" and "conversion dropped" in a["context"]
    assert report["summary"]["gists"] == {"cards": 2, "with_gist": 2, "missing": []}


def test_a_story_contradicting_its_claim_is_flagged_naming_the_story(init_kb, db, now):
    story = (init_kb / STORY).read_text(encoding="utf-8")
    (init_kb / STORY).write_text(story.replace("{{fact:acme.checkout-latency.p99}}", "p99 fell from 800 ms to 250 ms"), encoding="utf-8")
    sync(db, init_kb, now=now)
    (flag,) = contradictions(by_id(audit(db, now, S, lang="en"))["acme.checkout-latency"])
    assert flag["message"] == "story checkout-latency says 250 ms where the claim says 120 ms (claim acme.checkout-latency)"
    story_quote, claim_quote = flag["quotes"]
    assert story_quote["source"] == f"story checkout-latency ({STORY}:23)" and "250 ms" in story_quote["text"]
    assert claim_quote["source"].startswith("claim acme.checkout-latency (stories/resume.yaml:14)")
    r = CliRunner().invoke(cli, ["--kb", str(init_kb), "audit", "--strict"])
    assert r.exit_code == 1 and "[contradiction] story checkout-latency says 250 ms" in r.stdout


def test_strict_passes_with_assumptions_and_confirmed_fails_on_them(init_kb):
    write(
        init_kb,
        "decks/more.yaml",
        "name: M\ncards:\n" + "".join(f"  - id: m.{i}\n    q: Q{i}?\n    a: A{i}.\n    claims: [acme.checkout-latency]\n" for i in range(2)),
    )
    run = CliRunner().invoke
    r = run(cli, ["--kb", str(init_kb), "audit", "--strict"])
    assert r.exit_code == 0, r.stdout
    assert "1 to confirm" in r.stdout and f"{STORY}:13: story checkout-latency: about 3% of carts" in r.stdout
    r = run(cli, ["--kb", str(init_kb), "audit", "--strict", "--confirmed"])
    assert r.exit_code == 1
    data = json.loads(run(cli, ["--kb", str(init_kb), "audit", "--json"]).stdout)
    assert data["summary"]["to_confirm"] == 1 and data["summary"]["gists"]["missing"] == ["m.0", "m.1"]


USERS = """\
      - id: acme.users
        text: 在中国和东南亚拥有300百万用户
        numbers: [300百万 users]
      - id: acme.reach
        text: 服务超过百万用户
        numbers: [100万+ users]
"""


def test_300_million_contradicts_million_class_but_a_million_plus_does_not(init_kb, db, now):
    resume = (init_kb / "stories/resume.yaml").read_text(encoding="utf-8")
    (init_kb / "stories/resume.yaml").write_text(resume + USERS, encoding="utf-8")
    for sid, claim in (("users-story", "acme.users"), ("reach-story", "acme.reach")):
        write(
            init_kb,
            f"stories/{sid}.md",
            f"""\
            ---
            id: {sid}
            title: Users
            claims: [{claim}]
            ---
            ## Situation
            用户数量百万级别。
            ## Task
            t
            ## Action
            a
            ## Result
            r
            """,
        )
    sync(db, init_kb, now=now)
    claims = by_id(audit(db, now, S, lang="en"))
    (flag,) = contradictions(claims["acme.users"])
    assert flag["message"].startswith("story users-story says 1e6-1e7 users where the claim says 3e8 users")
    assert flag["quotes"][0]["source"] == "story users-story (stories/users-story.md:7)"
    assert contradictions(claims["acme.reach"]) == []


def test_a_note_naming_both_values_explains_the_pair(init_kb, db, now):
    resume = (init_kb / "stories/resume.yaml").read_text(encoding="utf-8")
    resume = resume.replace(
        "Be ready to say how p99 was measured and what the load was.", "p99 was 250 ms during the first week of the rollout; 120 ms after it settled."
    )
    (init_kb / "stories/resume.yaml").write_text(resume, encoding="utf-8")
    story = (init_kb / STORY).read_text(encoding="utf-8").replace("{{fact:acme.checkout-latency.p99}}", "p99 fell to 250 ms")
    (init_kb / STORY).write_text(story, encoding="utf-8")
    sync(db, init_kb, now=now)
    assert contradictions(by_id(audit(db, now, S))["acme.checkout-latency"]) == []


def test_contradictions_and_assumptions_lower_readiness(init_kb, db, now):
    from prep.study import engine

    sync(db, init_kb, now=now)
    for cid in ("perf.p99", "perf.measure"):
        engine.record_answer(db, "card", cid, 3, now, settings=S)
    (base,) = claim_readiness(db, now, S, checks={})
    (lowered,) = claim_readiness(db, now, S, checks={"acme.checkout-latency": (1, 1)})
    assert base["score"] > 0 and lowered["score"] < base["score"] * 0.7
    assert (lowered["contradictions"], lowered["to_confirm"]) == (1, 1)
    report = audit(db, now, S)
    assert report["claims"][0]["readiness_detail"]["to_confirm"] == 1
    assert report["claims"][0]["readiness"] < base["score"]


def test_before_after_is_answered_only_by_a_note_or_defend_card_naming_the_values(init_kb, db, now):
    resume = init_kb / "stories/resume.yaml"
    text = resume.read_text(encoding="utf-8").replace(
        "          - value: 120 ms p99 after\n", "          - value: 120 ms p99 after\n            other_version: 150 ms p99\n"
    )
    resume.write_text(text, encoding="utf-8")
    sync(db, init_kb, now=now)
    claim = by_id(audit(db, now, S))["acme.checkout-latency"]
    # the figure has a note, but it says nothing about 150 vs 120
    assert [f["kind"] for f in claim["flags"] if f["kind"] == "before-after"] == ["before-after"]
    write(
        init_kb,
        "decks/defend.yaml",
        """\
        name: Defend
        cards:
          - id: defend.p99
            q: The other resume says 150 ms. Which is it?
            a: 150 ms was the first week's p99; 120 ms after the cache warmed up.
            claims: [acme.checkout-latency]
            kind: defend-the-number
        """,
    )
    sync(db, init_kb, now=now)
    claim = by_id(audit(db, now, S))["acme.checkout-latency"]
    assert not [f for f in claim["flags"] if f["kind"] == "before-after"]
    assert [f["kind"] for f in claim["answered"]] == ["before-after"]


@pytest.mark.parametrize(
    ("stated", "flagged"),
    [
        ("the proxy's own limit is 250 ms", True),  # prose: the candidate's figure, held against the claim
        ("the proxy's own limit is `timeout 250ms`", False),  # code: another system's setting
        ("the proxy's own limit:\n\n```\ntimeout 250 ms\n```\n", False),
    ],
)
def test_figures_in_code_are_not_held_against_the_claim(init_kb, db, now, stated, flagged):
    """What docs/CONTENT-GUIDE.md promises: a default of another system written as code is
    general knowledge, not a figure contradicting the claim's 120 ms."""
    story = (init_kb / STORY).read_text(encoding="utf-8")
    (init_kb / STORY).write_text(
        story.replace("{{fact:acme.checkout-latency.p99}}", f"{{{{fact:acme.checkout-latency.p99}}}}; {stated}"), encoding="utf-8"
    )
    sync(db, init_kb, now=now)
    assert bool(contradictions(by_id(audit(db, now, S, lang="en"))["acme.checkout-latency"])) is flagged
