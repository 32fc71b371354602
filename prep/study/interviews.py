"""Scheduled interviews: the date that the plan and the queue work towards.

An interview is a moment (stored in UTC) that the user gave as a local date and time;
the time zone it meant is kept beside it, so "Friday 14:00" stays what the user typed
even when the plan is read elsewhere. Which claims it is about (none: all of them) and
which mock profile fits it drive the plan and `prep draw`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import dumps, iso, transaction

DEFAULT_TIME = "09:00"  # an interview given without a time: a morning one


@dataclass(frozen=True)
class Interview:
    id: int
    at: dt.datetime  # UTC
    date: str  # as typed, in `tz`
    time: str | None
    tz: str
    company: str | None
    role: str | None
    profile: str | None
    claims: tuple[str, ...]  # empty: every claim

    def local(self) -> dt.datetime:
        return self.at.astimezone(zone(self.tz))

    def title(self) -> str:
        who = " · ".join(x for x in (self.company, self.role) if x)
        return f"#{self.id} {self.local():%Y-%m-%d %H:%M} ({self.tz})" + (f" {who}" if who else "")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "at": iso(self.at),
            "date": self.date,
            "time": self.time,
            "tz": self.tz,
            "company": self.company,
            "role": self.role,
            "profile": self.profile,
            "claims": list(self.claims),
        }


def zone(name: str | None = None) -> dt.tzinfo:
    """The user's time zone: `name` (a stored label), else the system's (TZ when it names
    an IANA zone, so the label is a name, not an offset)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # ~3 ms, on the paths that show a time only

    if name:
        fixed = _offset(name)
        if fixed is not None:
            return fixed
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(name)
    value = os.environ.get("TZ", "").lstrip(":")
    if value:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(value)
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def _offset(text: str) -> dt.timezone | None:
    # Stored labels for zones without an IANA name: "UTC+08:00".
    if not text.startswith("UTC") or len(text) != 9:
        return None if text != "UTC" else dt.UTC
    sign = 1 if text[3] == "+" else -1
    return dt.timezone(sign * dt.timedelta(hours=int(text[4:6]), minutes=int(text[7:9])))


def zone_label(tz: dt.tzinfo, at: dt.datetime) -> str:
    from zoneinfo import ZoneInfo

    if isinstance(tz, ZoneInfo):
        return tz.key
    off = at.astimezone(tz).utcoffset() or dt.timedelta(0)
    sign = "-" if off < dt.timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_when(date: str, time: str | None, tz: dt.tzinfo) -> dt.datetime:
    """The UTC moment of a local date (YYYY-MM-DD) and time (HH:MM)."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise PrepError(f"DATE must look like 2026-12-31, not '{date}'", zh=f"DATE 要写成 2026-12-31 这样，不能是 '{date}'") from None
    try:
        clock = dt.time.fromisoformat(time or DEFAULT_TIME)
    except ValueError:
        raise PrepError(f"--time must look like 14:30, not '{time}'", zh=f"--time 要写成 14:30 这样，不能是 '{time}'") from None
    return dt.datetime.combine(day, clock.replace(tzinfo=None), tzinfo=tz).astimezone(dt.UTC)


def _row(r) -> Interview:
    i, at, date, time, tz, company, role, profile, claims = r
    return Interview(i, dt.datetime.fromisoformat(at), date, time, tz, company, role, profile, tuple(json.loads(claims or "[]")))


COLS = "id, at, date, time, tz, company, role, profile, claims"


def add(
    db: Database,
    date: str,
    now: dt.datetime,
    *,
    time: str | None = None,
    company: str | None = None,
    role: str | None = None,
    profile: str | None = None,
    claims: list[str] | None = None,
    tz_name: str | None = None,
) -> Interview:
    tz = zone(tz_name)
    at = parse_when(date, time, tz)
    if at <= now:
        when = f"{date} {time or DEFAULT_TIME}"
        raise PrepError(f"{when} is in the past; an interview must be ahead", zh=f"{when} 已经过去了；面试必须在将来")
    claims = [c.strip() for c in claims or [] if c.strip()]
    live = {r[0] for r in db.execute("SELECT id FROM claims WHERE archived = 0")}
    unknown = [c for c in claims if c not in live]
    if unknown:
        raise PrepError(
            f"--claims: unknown claim '{unknown[0]}' (try: prep list claims)", zh=f"--claims：没有条目 '{unknown[0]}'（试试：prep list claims）"
        )
    with transaction(db):
        cur = db.conn.execute(
            "INSERT INTO interviews (at, date, time, tz, company, role, profile, claims, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            [iso(at), date, time, zone_label(tz, at), company, role, profile, dumps(list(dict.fromkeys(claims))), iso(now)],
        )
        new_id = cur.lastrowid
    return get(db, int(new_id or 0))


def get(db: Database, interview_id: int) -> Interview:
    r = db.execute(f"SELECT {COLS} FROM interviews WHERE id = ?", [interview_id]).fetchone()
    if not r:
        raise PrepError(f"no interview #{interview_id} (see: prep interview list)", zh=f"没有面试 #{interview_id}（见：prep interview list）")
    return _row(r)


def all_interviews(db: Database, now: dt.datetime | None = None) -> list[Interview]:
    """Every interview in time order; only those still ahead when `now` is given."""
    sql, params = f"SELECT {COLS} FROM interviews", []
    if now is not None:
        sql += " WHERE at > ?"
        params.append(iso(now))
    return [_row(r) for r in db.execute(sql + " ORDER BY at, id", params)]


def next_interview(db: Database, now: dt.datetime) -> Interview | None:
    ahead = all_interviews(db, now)
    return ahead[0] if ahead else None


def remove(db: Database, interview_id: int) -> Interview:
    with transaction(db):
        iv = get(db, interview_id)
        db.conn.execute("DELETE FROM interviews WHERE id = ?", [interview_id])
    return iv
