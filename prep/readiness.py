"""How ready is each resume claim: can I defend this line today?

A claim is as defensible as the cards and stories behind it are remembered. We use
FSRS retrievability (the probability of recall now) of every backing card and story
rehearsal; never-studied items count as 0, so an unprepared claim reads as unready.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from prep import scheduling
from prep.models import pick
from prep.review import load_settings

CARD_WEIGHT = 0.7  # cards carry the facts; the story carries the delivery


def item_retrievability(db: Database, now: dt.datetime, settings=None) -> dict[tuple[str, str], float]:
    settings = settings or load_settings(db)
    scheduler = scheduling.make_scheduler(settings)
    return {
        (t, i): scheduling.retrievability(scheduler, json.loads(f), now)
        for t, i, f in db.execute("SELECT item_type, item_id, fsrs FROM review_state")
    }


def claim_readiness(db: Database, now: dt.datetime, settings=None, lang: str = "zh") -> list[dict]:
    r = item_retrievability(db, now, settings)
    backing: dict[str, dict[str, list[str]]] = {}
    for src_type, src, dst in db.execute(
        """SELECT l.src_type, l.src, l.dst FROM links l
           LEFT JOIN cards c ON l.src_type = 'card' AND c.id = l.src
           LEFT JOIN stories s ON l.src_type = 'story' AND s.id = l.src
           WHERE l.rel = 'backs' AND coalesce(c.archived, s.archived, 0) = 0"""
    ):
        backing.setdefault(dst, {"card": [], "story": []})[src_type].append(src)
    out = []
    for cid, project, text, en, risk in db.execute(
        "SELECT id, project, text, en, risk FROM claims WHERE archived = 0 ORDER BY position"
    ):
        b = backing.get(cid, {"card": [], "story": []})
        cards = [r.get(("card", c), 0.0) for c in b["card"]]
        stories = [r.get(("story", s), 0.0) for s in b["story"]]
        card_score = sum(cards) / len(cards) if cards else 0.0
        story_score = sum(stories) / len(stories) if stories else 0.0
        out.append({
            "id": cid, "project": project, "risk": risk,
            "text": en if lang == "en" and en else pick(json.loads(text), lang),
            "cards": len(cards), "cards_known": sum(1 for x in cards if x >= 0.9),
            "stories": len(stories), "stories_known": sum(1 for x in stories if x >= 0.9),
            "card_score": round(card_score, 3), "story_score": round(story_score, 3),
            "score": round(CARD_WEIGHT * card_score + (1 - CARD_WEIGHT) * story_score, 3),
        })
    return out
