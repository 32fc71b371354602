"""Drawing mock interviews: reproducible, within the profile's quotas and exclusions,
weighted toward weak and high-risk material; profiles from YAML; the sheets and CLI."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from prep.cli import cli
from prep.errors import ContentErrors, PrepError
from prep.index.sync import sync
from prep.mock import session
from prep.mock.draw import Draw, DrawOptions, draw, scale_counts
from prep.mock.profiles import BUILTIN, Profile, get_profile, load_profiles
from prep.mock.sheets import candidate, interviewer
from prep.study import engine

REPO = Path(__file__).resolve().parent.parent
PROJECTS = {"alpha": ["alpha.big", "alpha.small"], "beta": ["beta.big", "beta.mid"], "gamma": ["gamma.low"]}
RISK = {"alpha.big": "high", "alpha.small": "low", "beta.big": "high", "beta.mid": "medium", "gamma.low": "low"}
COMPS = ["ownership", "conflict", "failure", "performance", "scaling", "incident"]


def dump(root: Path, rel: str, data) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML


def make_kb(root: Path, cards_per_claim: int = 4) -> Path:
    """3 projects, 5 claims of mixed risk, 4 cards per claim in followup chains, 2 stories per project."""
    dump(
        root,
        "stories/resume.yaml",
        {
            "projects": [
                {
                    "id": p,
                    "company": p.title(),
                    "claims": [{"id": c, "text": f"{c} did 2000 things", "numbers": ["2000 things"], "risk": RISK[c]} for c in claims],
                }
                for p, claims in PROJECTS.items()
            ]
        },
    )
    for p, claims in PROJECTS.items():
        cards = []
        for c in claims:
            ids = [f"{c}.q{i}" for i in range(cards_per_claim)]
            for i, cid in enumerate(ids):
                cards.append(
                    {
                        "id": cid,
                        "q": f"Question {cid}?",
                        "a": f"Answer {cid}: 2000 things.",
                        "claims": [c],
                        "kind": ["concept", "design", "defend-the-number", "trivia"][i % 4],
                        "difficulty": 1 + i % 5,
                        "followups": [ids[i + 1]] if i + 1 < len(ids) else [],
                    }
                )
            cards.append({"id": f"{c}.behave", "q": f"Behavioural {c}?", "a": "A story.", "claims": [c], "kind": "behavioural"})
        dump(root, f"decks/{p}-cards.yaml", {"name": p, "project": p, "cards": cards})
        for i in range(2):
            sid = f"{p}-story{i}"
            comp = COMPS[(list(PROJECTS).index(p) * 2 + i) % len(COMPS)]
            (root / "stories" / f"{sid}.md").write_text(
                f"---\nid: {sid}\ntitle: Story {sid}\nclaims: [{claims[0]}]\ncompetencies: [{comp}]\nlang: en\n---\n"
                "## Situation\nS.\n## Task\nT.\n## Action\nI did 2000 things.\n## Result\nR.\n"
                "## Follow-ups\n- Why?\n  Because.\n- What next?\n",
                encoding="utf-8",
            )
    return root


@pytest.fixture
def big(tmp_path, db, now):
    root = make_kb(tmp_path / "big")
    sync(db, root, now=now)
    return root


def go(db, now, name="backend-onsite", seed=1, profile=None, *, settings, **kw):
    kw.setdefault("lang", "en")
    return draw(db, profile or get_profile(name), DrawOptions(name=name, seed=seed, **kw), now=now, settings=settings)


def items(d: Draw) -> list[tuple[str, str]]:
    return [(q.item_type, q.item_id) for q in d.questions]


def test_same_seed_same_set_other_seeds_differ(big, db, now, settings):
    a, b = go(db, now, seed=42, settings=settings), go(db, now, seed=42, settings=settings)
    assert a.to_dict() == b.to_dict()
    assert Draw.from_dict(json.loads(json.dumps(a.to_dict()))) == a
    others = {tuple(items(go(db, now, seed=s, settings=settings))) for s in range(1, 11)}
    assert len(others) > 1


def test_backend_onsite_respects_quotas(big, db, now, settings):
    for seed in range(20):
        d = go(db, now, seed=seed, settings=settings)
        assert [q.slot for q in d.questions] == ["deep-dive"] + ["story"] * 2 + ["card"] * 4
        assert d.warnings == []
        dive = d.questions[0]
        assert dive.item_type == "claim" and RISK[dive.item_id] == "high"
        chain = [f.card for f in dive.followups]
        assert 1 <= len(chain) <= 3 and all(c.startswith(dive.item_id) for c in chain)
        for parent, child in itertools.pairwise(chain):
            # a drill-down follows the followup links; at a chain's end, another backing card
            nxt = {f"{dive.item_id}.q{i}": f"{dive.item_id}.q{i + 1}" for i in range(3)}.get(parent)
            assert child == nxt or nxt is None
        cards = [q.item_id for q in d.questions if q.slot == "card"]
        assert not any(c.endswith(".behave") for c in cards)
        used = cards + chain + [f.card for q in d.questions for f in q.followups if f.card]
        assert len(cards + chain) == len(set(cards + chain))  # no card twice in one set
        assert len(set(items(d))) == len(d.questions)
        assert all(q.q and q.key_points for q in d.questions) and used
        assert abs(sum(q.minutes for q in d.questions) - 45) < 0.5


def test_n_minutes_claim_and_project(big, db, now, settings):
    assert scale_counts([1, 2, 4], 14) == [2, 4, 8] and scale_counts([1, 2, 4], 3) == [1, 1, 1]
    assert scale_counts([1, 2, 4], 2) == [1, 1, 0] and scale_counts([1, 0, 9], 4) == [1, 0, 3]
    d = go(db, now, n=2, settings=settings)
    assert [q.slot for q in d.questions] == ["deep-dive", "story"] and [q.minutes for q in d.questions] == [12, 6]
    d = go(db, now, minutes=90, settings=settings)
    assert len(d.questions) == 14 and d.minutes == 90
    assert abs(sum(q.minutes for q in d.questions) - 90) < 1
    d = go(db, now, claim="beta.mid", settings=settings)
    assert d.questions and all("beta.mid" in q.claims for q in d.questions)
    d = go(db, now, project="gamma", seed=3, settings=settings)
    assert d.questions and all(q.project == "gamma" for q in d.questions)
    assert any("drew" in w for w in d.warnings)  # gamma has no high-risk claim, one story...
    with pytest.raises(PrepError, match="unknown claim"):
        go(db, now, claim="nope", settings=settings)
    with pytest.raises(PrepError, match="unknown project"):
        go(db, now, project="nope", settings=settings)


def _asked(db, drawn, now, upto=None, followups=None, *, settings):
    """Run a mock session answering the first `upto` questions, showing `followups` followups each."""
    sid = session.start_session(db, drawn, now)
    for i, q in enumerate(drawn.questions[:upto]):
        shown = len(q.followups) if followups is None else followups
        session.score_question(db, sid, i, {"correct": True}, now, followups_shown=shown, settings=settings)
    return sid


def test_recent_sessions_are_excluded(big, db, now, settings):
    first = go(db, now, seed=1, settings=settings)
    _asked(db, first, now - dt.timedelta(hours=1), settings=settings)
    seen = set(items(first)) | {("card", f.card) for q in first.questions for f in q.followups if f.card}
    for seed in range(2, 12):
        d = go(db, now, seed=seed, settings=settings)
        assert not set(items(d)) & seen, seed
    # no_repeat=0 lifts the exclusion: asked questions come up again
    assert any(set(items(go(db, now, seed=seed, no_repeat=0, settings=settings))) & seen for seed in range(1, 12))
    # only the last N sessions that asked something count
    second = go(db, now, seed=2, settings=settings)
    _asked(db, second, now - dt.timedelta(minutes=30), settings=settings)
    assert session.recent_items(db, 1, now) == set(items(second)) | {("card", f.card) for q in second.questions for f in q.followups if f.card}
    assert set(items(first)) <= session.recent_items(db, 2, now)


def test_only_questions_actually_asked_count(big, db, now, settings):
    """An abandoned mock (nothing answered) hides nothing; a half-done one hides only what
    was asked, and of the followups only those shown."""
    drawn = go(db, now, seed=5, settings=settings)
    session.start_session(db, drawn, now - dt.timedelta(hours=2))  # abandoned at once
    assert session.recent_items(db, 3, now) == set()
    assert items(go(db, now, seed=5, settings=settings)) == items(drawn)
    lead = drawn.questions[0]
    _asked(db, drawn, now - dt.timedelta(hours=1), upto=1, followups=1, settings=settings)
    expected = {(lead.item_type, lead.item_id)} | {("card", f.card) for f in lead.followups[:1] if f.card}
    assert session.recent_items(db, 3, now) == expected


def _answer(db, card_id, ratings, start, *, settings):
    for i, r in enumerate(ratings):
        engine.record_answer(db, "card", card_id, r, start + dt.timedelta(days=i), settings=settings)


def test_weighting_prefers_weak_cards(big, db, now, settings):
    """Over many seeded draws, weak cards (never studied, lapsed) come up far more often
    than well-known ones, and high-risk claims more often than low-risk ones."""
    one_card = Profile(
        title="one",
        minutes=5,
        no_repeat_sessions=0,
        slots=[{"kind": "card", "count": 1, "depth": 0, "card_kinds": ["concept", "design", "defend-the-number", "trivia"]}],
    )
    # alpha.big (high) and beta.big (high): alpha.big's cards are all well known.
    strong = [f"alpha.big.q{i}" for i in range(4)]
    for c in strong:
        _answer(db, c, [4], now - dt.timedelta(days=1), settings=settings)
    counts = Counter()
    for seed in range(400):
        (q,) = go(db, now, profile=one_card, name="one", seed=seed, claim=None, settings=settings).questions
        counts[q.item_id.rsplit(".", 1)[0]] += 1
    # Same risk, same number of cards: only weakness differs.
    assert counts["beta.big"] > 4 * counts["alpha.big"]
    # Same weakness (never studied): high risk beats low risk.
    assert counts["beta.big"] > 1.5 * counts["gamma.low"]
    # A lapsed card outweighs a merely reviewed one at the same recall.
    _answer(db, "gamma.low.q0", [3, 3, 1, 3], now - dt.timedelta(days=30), settings=settings)
    _answer(db, "gamma.low.q1", [3, 3, 3, 3], now - dt.timedelta(days=30), settings=settings)
    assert engine.get_state(db, "card", "gamma.low.q0")["lapses"] == 1
    picks = Counter(
        go(db, now, profile=one_card, name="one", seed=seed, claim="gamma.low", settings=settings).questions[0].item_id for seed in range(300)
    )
    assert picks["gamma.low.q0"] > picks["gamma.low.q1"]


def test_coverage_spreads_over_projects(big, db, now, monkeypatch, settings):
    three = Profile(title="three", minutes=20, no_repeat_sessions=0, slots=[{"kind": "card", "count": 3, "depth": 0}])

    def mean_projects():
        sets = [go(db, now, profile=three, name="three", seed=s, settings=settings).questions for s in range(300)]
        return sum(len({q.project for q in qs}) for qs in sets) / len(sets)

    spread = mean_projects()
    monkeypatch.setattr("prep.mock.draw.COVERAGE", 1.0)  # no discount for a project already drawn
    assert spread > mean_projects() + 0.2


def test_user_profiles_from_yaml(kb, tmp_path, prep_home):
    (kb / "profiles").mkdir()
    (kb / "profiles" / "quick.yaml").write_text("title: {en: Quick}\nminutes: 10\nslots:\n  - kind: card\n    count: 2\n", encoding="utf-8")
    (prep_home / "profiles").mkdir(parents=True)
    (prep_home / "profiles" / "quick.yaml").write_text("title: shadowed\nslots: [{kind: story}]\n", encoding="utf-8")
    (prep_home / "profiles" / "mine.yaml").write_text("title: Mine\nslots: [{kind: story}]\n", encoding="utf-8")
    profiles = load_profiles(kb)
    assert set(BUILTIN) | {"quick", "mine", "decks"} == set(profiles)
    assert profiles["quick"].minutes == 10 and profiles["quick"].slots[0].count == 2  # the kb's wins
    (kb / "profiles" / "bad.yaml").write_text("title: Bad\nslots:\n  - kind: card\n    cont: 2\n  - kind: quiz\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as e:
        load_profiles(kb)
    msgs = [str(x) for x in e.value.errors]
    assert "profiles/bad.yaml:4: slots[0].cont: unknown key 'cont'" in msgs
    assert any(m.startswith("profiles/bad.yaml:5: slots[1].kind:") for m in msgs)


def test_sheets(big, db, now, settings):
    d = go(db, now, seed=7, settings=settings)
    iv, cand = interviewer(d), candidate(d)
    for q in d.questions:
        assert " ".join(q.q.split()) in cand
        for f in q.followups:
            assert " ".join(f.q.split()) in iv
            assert f.q not in cand
    card = next(q for q in d.questions if q.item_type == "card")
    assert card.key_points in iv and card.key_points not in cand
    assert "Expected key points" in iv and "Expected key points" not in cand


def test_cli_draw_writes_sheets_and_json(big, tmp_path):
    out = tmp_path / "sheets"
    r = CliRunner().invoke(cli, ["--kb", str(big), "draw", "--seed", "5", "--out", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} == {"interviewer.md", "candidate.md"}
    assert str(out / "interviewer.md") in r.stdout
    runs = [CliRunner().invoke(cli, ["--kb", str(big), "draw", "--seed", "5", "--json", "--n", "4", "--lang", "en"]) for _ in range(2)]
    sets = [json.loads(x.stdout) for x in runs]
    assert sets[0]["questions"] == sets[1]["questions"] and len(sets[0]["questions"]) == 4
    r = CliRunner().invoke(cli, ["--kb", str(big), "draw", "--profile", "nope"])
    assert r.exit_code == 1 and "unknown profile 'nope'" in r.output
    r = CliRunner().invoke(cli, ["--kb", str(big), "draw", "--profiles"])
    assert "system-design" in r.output


def test_builtin_kb_draws_every_profile(db, now, settings):
    sync(db, REPO, now=now)  # an invalid built-in knowledge base fails here: it ships
    for name in BUILTIN:
        d = go(db, now, name=name, seed=1, settings=settings)
        assert d.questions and d.to_dict() == go(db, now, name=name, seed=1, settings=settings).to_dict()
