"""Mock-interview sessions: save what was asked and how it went, and feed the schedule.

A mock is the closest rehearsal of the real thing, so its results must count: each
question is self-scored on a four-point rubric (correct, complete, concise,
confident) and the score becomes an FSRS answer in mode "mock" for the items the
question exercised. A failed question becomes due (rating Again); a good one is a
Good. The session row keeps the drawn set as JSON, so past sessions can be shown as
asked and the drawer can avoid repeating their questions. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import json

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import dumps, iso, transaction
from prep.study import engine

RUBRIC = ("correct", "complete", "concise", "confident")
RUBRIC_HELP = {
    "correct": {"en": "the facts and the mechanism were right", "zh": "事实和机制都对"},
    "complete": {"en": "the key points were all there (numbers, trade-off, failure mode)", "zh": "要点齐全（数字、取舍、故障模式）"},
    "concise": {"en": "to the point, within the time", "zh": "切题，没有超时"},
    "confident": {"en": "said without hedging or long pauses", "zh": "表达笃定，没有含糊或长时间停顿"},
}


def score_of(rubric: dict) -> float:
    return sum(bool(rubric.get(k)) for k in RUBRIC) / len(RUBRIC)


def passed(rubric: dict) -> bool:
    """A wrong answer fails whatever else was good; otherwise half the rubric passes."""
    return bool(rubric.get("correct")) and score_of(rubric) >= 0.5


def rating_for(rubric: dict) -> int:
    """FSRS rating of a mock answer: failed -> Again (1), 3-4 of 4 -> Good (3), else Hard (2)."""
    if not passed(rubric):
        return 1
    return 3 if score_of(rubric) >= 0.75 else 2


def start_session(db: Database, drawn, now: dt.datetime) -> int:
    """Save a drawn set (a `prep.mock.draw.Draw`) as a running session; returns its id."""
    d = drawn.to_dict()
    with transaction(db):
        cur = db.conn.execute(
            "INSERT INTO mock_sessions (profile, title, seed, lang, minutes, draw, started_at, status) VALUES (?,?,?,?,?,?,?, 'running')",
            [d["profile"], d["title"], d["seed"], d["lang"], d["minutes"], dumps(d), iso(now)],
        )
        assert cur.lastrowid is not None  # set by every INSERT
        return cur.lastrowid


def get_session(db: Database, session_id: int) -> dict:
    row = db.execute(
        "SELECT id, profile, title, seed, lang, minutes, draw, started_at, finished_at, status FROM mock_sessions WHERE id = ?",
        [session_id],
    ).fetchone()
    if not row:
        raise PrepError(f"no mock session #{session_id}", zh=f"没有模拟面试 #{session_id}")
    keys = ("id", "profile", "title", "seed", "lang", "minutes", "draw", "started_at", "finished_at", "status")
    out = dict(zip(keys, row, strict=True))
    out["draw"] = json.loads(out["draw"])
    out["answers"] = answers(db, session_id)
    return out


def answers(db: Database, session_id: int) -> list[dict]:
    keys = ("position", "item_type", "item_id", *RUBRIC, "score", "passed", "rating", "followups_shown", "duration_ms", "answered_at", "log_ids")
    rows = db.execute(f"SELECT {', '.join(keys)} FROM mock_answers WHERE session_id = ? ORDER BY position", [session_id]).fetchall()
    out = []
    for r in rows:
        a = dict(zip(keys, r, strict=True))
        a["log_ids"] = json.loads(a["log_ids"] or "[]")
        out.append(a)
    return out


def _exists(db: Database, item_type: str, item_id: str) -> bool:
    table = {"card": "cards", "story": "stories"}[item_type]
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [item_id]).fetchone() is not None


def targets(question: dict, rating: int, followups_shown: int) -> list[tuple[str, str]]:
    """The reviewable items a scored question is evidence about.

    The question's own card or story; the followup cards the interviewer actually
    asked. A failed resume deep-dive (whose lead is a claim, not a reviewable item)
    makes its whole followup chain due: not being able to walk through the claim is
    evidence about every card behind it.
    """
    out = []
    if question["item_type"] in ("card", "story"):
        out.append((question["item_type"], question["item_id"]))
    chain = [f["card"] for f in question.get("followups", []) if f.get("card")]
    asked = [f["card"] for f in question.get("followups", [])[:followups_shown] if f.get("card")]
    out += [("card", c) for c in (chain if question["item_type"] == "claim" and rating == 1 else asked)]
    return list(dict.fromkeys(out))  # first occurrence of each, in order


def score_question(
    db: Database,
    session_id: int,
    position: int,
    rubric: dict,
    now: dt.datetime,
    *,
    followups_shown: int = 0,
    duration_ms: int | None = None,
    settings=None,
) -> dict:
    """Record the self-score of question `position`; returns the saved answer."""
    unknown = set(rubric) - set(RUBRIC)
    if unknown:
        raise PrepError(
            f"unknown rubric criteria {sorted(unknown)}; use {', '.join(RUBRIC)}", zh=f"没有评分项 {sorted(unknown)}；可用：{', '.join(RUBRIC)}"
        )
    session = db.execute("SELECT draw, status FROM mock_sessions WHERE id = ?", [session_id]).fetchone()
    if not session:
        raise PrepError(f"no mock session #{session_id}", zh=f"没有模拟面试 #{session_id}")
    questions = json.loads(session[0])["questions"]
    if not 0 <= position < len(questions):
        raise PrepError(f"mock session #{session_id} has no question {position + 1}", zh=f"模拟面试 #{session_id} 没有第 {position + 1} 题")
    if db.execute("SELECT 1 FROM mock_answers WHERE session_id = ? AND position = ?", [session_id, position]).fetchone():
        raise PrepError(
            f"question {position + 1} of mock session #{session_id} is already scored",
            zh=f"模拟面试 #{session_id} 的第 {position + 1} 题已经打过分了",
        )
    q = questions[position]
    rating = rating_for(rubric)
    log_ids = []
    for item_type, item_id in targets(q, rating, followups_shown):
        if _exists(db, item_type, item_id):
            # Each answer commits on its own, like in review: a crash loses nothing recorded.
            log_ids.append(engine.record_answer(db, item_type, item_id, rating, now, duration_ms=duration_ms, mode="mock", settings=settings))
    row = {
        "session_id": session_id,
        "position": position,
        "item_type": q["item_type"],
        "item_id": q["item_id"],
        **{k: int(bool(rubric.get(k))) for k in RUBRIC},
        "score": score_of(rubric),
        "passed": int(passed(rubric)),
        "rating": rating,
        "followups_shown": followups_shown,
        "duration_ms": duration_ms,
        "answered_at": iso(now),
        "log_ids": dumps(log_ids),
    }
    with transaction(db):
        db.conn.execute(f"INSERT INTO mock_answers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    return row | {"log_ids": log_ids}


def finish_session(db: Database, session_id: int, now: dt.datetime, status: str = "finished") -> dict:
    """Close a session ("finished", or "abandoned" when left early); returns its summary."""
    with transaction(db):
        db.conn.execute(
            "UPDATE mock_sessions SET finished_at = coalesce(finished_at, ?), status = ? WHERE id = ?",
            [iso(now), status, session_id],
        )
    return summary(db, session_id)


def summary(db: Database, session_id: int) -> dict:
    s = get_session(db, session_id)
    ans = s["answers"]
    return {
        "id": s["id"],
        "profile": s["profile"],
        "status": s["status"],
        "questions": len(s["draw"]["questions"]),
        "answered": len(ans),
        "passed": sum(a["passed"] for a in ans),
        "score": round(sum(a["score"] for a in ans) / len(ans), 3) if ans else None,
        "failed": [a["item_id"] for a in ans if not a["passed"]],
    }


def recent_items(db: Database, sessions: int, now: dt.datetime | None = None) -> set[tuple[str, str]]:
    """(item_type, item_id) of every question actually asked, and every followup card shown,
    in the last `sessions` sessions that asked anything.

    Only answers count: a drawn sheet never used, or a TUI mock left after one question,
    must not hide the rest of its questions from the next draw."""
    if sessions <= 0:
        return set()
    where, params = "", []
    if now is not None:
        where, params = "AND s.started_at <= ?", [iso(now)]
    rows = db.execute(
        f"""SELECT s.id, s.draw FROM mock_sessions s
            WHERE EXISTS (SELECT 1 FROM mock_answers a WHERE a.session_id = s.id) {where}
            ORDER BY s.started_at DESC, s.id DESC LIMIT ?""",
        [*params, sessions],
    ).fetchall()
    out: set[tuple[str, str]] = set()
    for session_id, draw in rows:
        questions = json.loads(draw)["questions"]
        for position, shown in db.execute("SELECT position, followups_shown FROM mock_answers WHERE session_id = ?", [session_id]):
            if not 0 <= position < len(questions):
                continue
            q = questions[position]
            out.add((q["item_type"], q["item_id"]))
            out |= {("card", f["card"]) for f in q.get("followups", [])[:shown] if f.get("card")}
    return out


def list_sessions(db: Database, limit: int = 20) -> list[dict]:
    rows = db.execute(
        """SELECT s.id, s.profile, s.started_at, s.status, count(a.id), avg(a.score)
           FROM mock_sessions s LEFT JOIN mock_answers a ON a.session_id = s.id
           GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC LIMIT ?""",
        [limit],
    ).fetchall()
    return [
        {"id": r[0], "profile": r[1], "started_at": r[2], "status": r[3], "answered": r[4], "score": round(r[5], 3) if r[5] is not None else None}
        for r in rows
    ]
