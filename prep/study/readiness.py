"""How ready is each resume claim: can I defend this line today?

A claim is as defensible as the cards and stories behind it are remembered. We use
FSRS retrievability (the probability of recall now) of every backing card and story
rehearsal (FSRS folds in how recently and how well each was told); never-studied
items count as 0, so an unprepared claim reads as unready. Mock-interview answers
about the claim (the claim's deep-dive, or a backing card or story asked in a mock)
are the closest thing to the real test, so a recent mock score moves the readiness
toward itself; its pull fades with age (half-life MOCK_HALF_LIFE_DAYS).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TypedDict

from prep.index.conn import Database
from prep.index.db import iso
from prep.index.read import link_counts
from prep.kb.vocab import claim_text
from prep.study import srs
from prep.study.engine import load_settings

CARD_WEIGHT = 0.7  # cards carry the facts; the story carries the delivery
MOCK_WEIGHT = 0.25  # the pull of a mock answered today
MOCK_HALF_LIFE_DAYS = 30.0
CONTRADICTION_FACTOR = 0.7  # each unresolved contradiction
ASSUMPTION_FACTOR = 0.95  # each detail still to confirm
TRUTH_FLOOR = 0.3


def item_retrievability(db: Database, now: dt.datetime, settings=None) -> dict[tuple[str, str], float]:
    settings = settings or load_settings(db)
    scheduler = srs.make_scheduler(settings)
    return {(t, i): srs.retrievability(scheduler, json.loads(f), now) for t, i, f in db.execute("SELECT item_type, item_id, fsrs FROM review_state")}


def _age_days(now: dt.datetime, at: str) -> float:
    return max((now - dt.datetime.fromisoformat(at)).total_seconds() / 86400, 0.0)


def mock_scores(db: Database, now: dt.datetime) -> dict[str, dict]:
    """claim id -> {score, answers, last, recency}: recency-weighted mean of its mock answers
    (a claim's own deep-dive, or an answer about a card or story backing it)."""
    acc: dict[str, list[tuple[float, str]]] = {}
    # DISTINCT: an item listing a claim twice still answers for it once
    for _, claim, score, at in db.execute(
        """SELECT DISTINCT m.rowid, CASE WHEN m.item_type = 'claim' THEN m.item_id ELSE l.dst END, m.score, m.answered_at
           FROM mock_answers m LEFT JOIN links l
             ON m.item_type != 'claim' AND l.src_type = m.item_type AND l.src = m.item_id AND l.rel = 'backs' AND l.dst_type = 'claim'
           WHERE m.answered_at <= ?""",
        [iso(now)],
    ):
        if claim is not None:
            acc.setdefault(claim, []).append((score, at))
    out = {}
    for cid, answers in acc.items():
        weights = [0.5 ** (_age_days(now, at) / MOCK_HALF_LIFE_DAYS) for _, at in answers]
        last = max(at for _, at in answers)
        out[cid] = {
            "score": sum(w * s for w, (s, _) in zip(weights, answers, strict=True)) / sum(weights),
            "answers": len(answers),
            "last": last,
            "recency": 0.5 ** (_age_days(now, last) / MOCK_HALF_LIFE_DAYS),
        }
    return out


def _last_rehearsals(db: Database) -> dict[str, str]:
    return {
        i: at
        for i, at in db.execute(
            "SELECT item_id, max(reviewed_at) FROM review_log WHERE item_type = 'story' AND undone = 0 AND mode != 'cram' GROUP BY item_id"
        )
    }


def truth_factor(contradictions: int, to_confirm: int) -> float:
    """How much a claim's unresolved contradictions and unconfirmed assumptions take off
    its readiness: a remembered answer that contradicts the story told ten minutes
    earlier, or rests on a detail nobody confirmed, is not ready."""
    return max(TRUTH_FLOOR, CONTRADICTION_FACTOR**contradictions * ASSUMPTION_FACTOR**to_confirm)


def cached_checks(db: Database) -> dict[str, tuple[int, int]] | None:
    """Per-claim (contradictions, assumptions) from the last audit of the current content."""
    from prep.index.db import get_meta

    if get_meta(db, "audit_checks_version") != get_meta(db, "content_version", "0"):
        return None
    raw = get_meta(db, "audit_checks")
    return {k: (v[0], v[1]) for k, v in json.loads(raw).items()} if raw else None


def _recall(db: Database, r: dict[tuple[str, str], float]) -> dict[tuple[str, str], tuple[float, int]]:
    """(claim, type) -> (sum of R, how many with R >= 0.9) over the backing items with a
    recall above 0 (the rest add nothing): joined in SQL through a temporary table, so the
    cost follows the studied items, not the size of the knowledge base."""
    items = [(t, i, v) for (t, i), v in r.items() if v > 0]
    if not items:
        return {}
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS readiness_recall (t TEXT, i TEXT, v REAL, PRIMARY KEY (t, i))")
    conn.execute("DELETE FROM temp.readiness_recall")
    try:
        conn.executemany("INSERT OR REPLACE INTO temp.readiness_recall VALUES (?, ?, ?)", items)
        # Each studied item's links by links_src: CROSS JOIN keeps the studied items outside,
        # and `+` keeps SQLite from walking every 'backs' link of links_backs for each (it
        # did: 15 ms for 40 studied items at 50k cards, 0.4 ms this way; 274 -> 178 ms with
        # every card studied).
        rows = conn.execute(
            """SELECT l.dst, l.src_type, sum(x.v), sum(x.v >= 0.9) FROM temp.readiness_recall x
               CROSS JOIN links l ON l.src_type = x.t AND l.src = x.i AND +l.rel = 'backs' AND +l.dst_type = 'claim'
               GROUP BY l.dst, l.src_type"""
        ).fetchall()
    finally:
        conn.execute("DELETE FROM temp.readiness_recall")
    return {(dst, t): (total, known) for dst, t, total, known in rows}


class ClaimReadiness(TypedDict):
    """How ready one claim is (0-1 `score`), and what it is made of."""

    id: str
    project: str
    risk: str
    text: str
    cards: int
    cards_known: int  # recall at least 0.9
    stories: int
    stories_known: int
    card_score: float
    story_score: float
    last_rehearsed: str | None
    mock_score: float | None
    mock_answers: int
    last_mock: str | None
    contradictions: int
    to_confirm: int
    score: float


def claim_readiness(
    db: Database, now: dt.datetime, settings=None, lang: str = "zh", retrievability=None, checks: dict[str, tuple[int, int]] | None = None
) -> list[ClaimReadiness]:
    """Each live claim's readiness. `retrievability`: (type, id) -> R to use instead of the
    stored states' (a forecast). `checks` (claim -> (contradictions, assumptions), from the
    audit) lowers it; by default the last audit's counts, when the content is unchanged."""
    checks = cached_checks(db) if checks is None else checks
    r = item_retrievability(db, now, settings) if retrievability is None else retrievability
    counts = link_counts(db)
    recall = _recall(db, r)
    stories_of: dict[str, list[str]] = {}
    # by links_src, the stories' own links: `+` keeps SQLite off links_backs, whose walk
    # passes every card's link too (8 ms at 100k cards for 200 stories' links, 0.1 ms so)
    for claim, story in db.execute("SELECT dst, src FROM links WHERE src_type = 'story' AND +rel = 'backs' AND +dst_type = 'claim'"):
        stories_of.setdefault(claim, []).append(story)
    mocks = mock_scores(db, now)
    rehearsed = _last_rehearsals(db)
    out: list[ClaimReadiness] = []
    for cid, project, text, en, risk in db.execute("SELECT id, project, text, en, risk FROM claims WHERE archived = 0 ORDER BY position"):
        n_cards, n_stories = counts.get((cid, "card"), 0), counts.get((cid, "story"), 0)
        card_sum, cards_known = recall.get((cid, "card"), (0.0, 0))
        story_sum, stories_known = recall.get((cid, "story"), (0.0, 0))
        card_score = card_sum / n_cards if n_cards else 0.0
        story_score = story_sum / n_stories if n_stories else 0.0
        score = CARD_WEIGHT * card_score + (1 - CARD_WEIGHT) * story_score
        mock = mocks.get(cid)
        if mock:
            pull = MOCK_WEIGHT * mock["recency"]
            score = (1 - pull) * score + pull * mock["score"]
        contradictions, to_confirm = (checks or {}).get(cid, (0, 0))
        score *= truth_factor(contradictions, to_confirm)
        told = [rehearsed[s] for s in stories_of.get(cid, ()) if s in rehearsed]
        out.append(
            {
                "id": cid,
                "project": project,
                "risk": risk,
                "text": claim_text(json.loads(text), en, lang),
                "cards": n_cards,
                "cards_known": cards_known,
                "stories": n_stories,
                "stories_known": stories_known,
                "card_score": round(card_score, 3),
                "story_score": round(story_score, 3),
                "last_rehearsed": max(told) if told else None,
                "mock_score": round(mock["score"], 3) if mock else None,
                "mock_answers": mock["answers"] if mock else 0,
                "last_mock": mock["last"] if mock else None,
                "contradictions": contradictions,
                "to_confirm": to_confirm,
                "score": round(score, 3),
            }
        )
    return out
