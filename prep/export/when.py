"""Times as a person reads them: local, and relative ("due in 3 days", "3天后").

The database keeps UTC ISO strings (`2026-12-01T16:31:46.766445+00:00`), which is right
for storage and wrong on a screen. Everything prep shows a person goes through here;
JSON output keeps the ISO strings. `humanize` words the distance, in zh_CN too.
"""

from __future__ import annotations

import datetime as dt

_NOW_WORDS = {"zh": "现在", "en": "now"}


def _parse(value: str | dt.datetime) -> dt.datetime:
    t = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def relative(value: str | dt.datetime, now: dt.datetime, lang: str = "en") -> str:
    """'in 3 days' / '2 hours ago' (zh: '3天后' / '2小时前'); 'now' within a minute."""
    delta = _parse(value) - now
    if abs(delta) < dt.timedelta(minutes=1):
        return _NOW_WORDS.get(lang, "now")
    import humanize  # ~3 ms, and `prep show` of an unreviewed item never words a distance

    if lang == "zh":
        humanize.i18n.activate("zh_CN")
        try:
            words = humanize.naturaldelta(abs(delta))
        finally:
            humanize.i18n.deactivate()
        return f"{words}后" if delta > dt.timedelta(0) else f"{words}前"
    words = humanize.naturaldelta(abs(delta))
    return f"in {words}" if delta > dt.timedelta(0) else f"{words} ago"


def local(value: str | dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """'2026-12-04 18:30' in the local time zone (or `tz`)."""
    return _parse(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def when(value: str | dt.datetime, now: dt.datetime, lang: str = "en", tz: dt.tzinfo | None = None) -> str:
    """'in 3 days (2026-12-04 18:30)': relative, then the local time."""
    return f"{relative(value, now, lang)} ({local(value, tz)})"
