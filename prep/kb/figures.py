"""Figures as intervals with units, in Chinese and English.

A resume says "上几千个任务" in one version and "2000 个后台任务" in the other; a story
says "百万级别" where the claim says "300百万用户". To hold figures against each other
they must be comparable: every figure becomes an interval (几千 is 2000-9999, 上千 is
at least 1000, "under 5 minutes" is just under 5) with a unit normalised across the
two languages (任务/tasks, 分钟/minutes, 笔/orders). Two figures agree when their
intervals of the same unit overlap.

Chinese numerals (两千, 三千五百) go through `cn2an`; the vague magnitudes, the units
and the modifiers (约, 以上, under, from ... to) are ours, in tables: the numbers in
`prep.kb.figure_numbers`, the units in `prep.kb.figure_units`. This module reads a
text with them (a number, then its unit, then "from X to Y"), and `format_interval`
prints an interval in a form `parse_figure` reads back unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from prep.kb.figure_numbers import (
    ABOUT,
    ATLEAST,
    FROM,
    INF,
    PLUS_AFTER,
    UNDER,
    UNDER_AFTER,
    UPTO,
    find_number,
    modifier,
    number_range,
    scan_number,
)
from prep.kb.figure_units import unit_at, unit_before

_TO = re.compile(r"\s*(?:down to|up to|to|->|→|=>|降到|降至|降低到|缩短到|缩短至|提升到|提升至|提高到|增加到|减少到|涨到|变成|到|至)\s*", re.I)
_BEFORE_WORD = re.compile(r"\bbefore\b|之前|以前|原来|旧版", re.I)


@dataclass(frozen=True)
class Interval:
    """[lo, hi] of `unit` ('' when unknown); `hi_open` excludes hi ("under 5")."""

    lo: float
    hi: float
    unit: str = ""
    hi_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        if self.unit != other.unit:
            return False
        if self.lo > other.hi or other.lo > self.hi:
            return False
        if self.lo == other.hi and (other.hi_open or (self.hi_open and self.hi == self.lo)):
            return False
        return not (other.lo == self.hi and (self.hi_open or (other.hi_open and other.hi == other.lo)))


@dataclass(frozen=True)
class Found:
    """A figure found in a text: its interval, the words it was read from, where, and
    `role` 'before' when the text says it changed ("from 24 h to ...", "从 800ms 降到")."""

    interval: Interval
    raw: str
    start: int
    end: int
    role: str = ""


def figures(text: str) -> list[Found]:
    """Every figure in `text`, left to right."""
    return list(_figures(text or ""))


@lru_cache(maxsize=4096)
def _figures(text: str) -> tuple[Found, ...]:
    # cached: the audit reads a card once for every claim it backs
    out: list[Found] = []
    pos = 0
    while True:
        m = find_number(text, pos)
        if not m:
            break
        scanned = scan_number(text, m)
        if scanned is None:
            pos = m.end()
            continue
        lo, hi, end = scanned
        start = m.start()
        rng = number_range(text, start, lo, hi, end, end == m.end()) if m.lastgroup == "ar" else None
        if rng:
            lo, hi, end = rng
        if m.lastgroup == "mag" and not (ATLEAST.search(text[max(0, start - 8) : start]) or ABOUT.search(text[max(0, start - 8) : start])):
            pos = m.end()  # a bare 万 or 百万 is a number only after 超过/近/约 ("超过百万用户")
            continue
        lo, hi, hi_open, end = modifier(text, start, end, lo, hi)
        unit, factor, uend = unit_at(text, end)
        if m.lastgroup == "blvl":
            unit = {"毫": "ms", "秒": "s", "分": "min"}.get(m.group()[0], "TB")
        if not unit:
            unit = unit_before(text, start, out[-1].end if out else 0)
        else:
            after = UNDER_AFTER.match(text, uend) or PLUS_AFTER.match(text, uend)
            if after and lo == hi and not hi_open:
                lo, hi, hi_open, _ = modifier(text, start, uend, lo, hi)
            end = uend
        iv = Interval(lo * factor, hi * factor, unit, hi_open)
        out.append(Found(iv, text[start:end].strip(), start, end))
        pos = max(end, m.end())
    return tuple(_roles(text, out))


def _roles(text: str, found: list[Found]) -> list[Found]:
    """Mark X in "from X to Y" / "从 X 降到 Y" / "X -> Y" as the before value (taking
    Y's unit when X has none: "from 3 to 12 nodes")."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        between = text[a.end : b.start]
        to = _TO.fullmatch(between) or re.fullmatch(r"\s*(?:to|到)\s*(?:under|below|不到|低于)?\s*", between)
        if not to:
            continue
        bare = between.strip() in ("到", "至", "to")
        if bare and not FROM.search(text[max(0, a.start - 12) : a.start]):
            continue
        iv = a.interval if a.interval.unit else replace(a.interval, unit=b.interval.unit)
        out[i] = replace(a, interval=iv, role="before")
    return out


def parse_figure(value: str) -> Found | None:
    """The figure a value starts with (`2000 tasks`, `几w QPS`, `800 ms p99 before`), or None."""
    found = figures(value)
    if not found or (value[: found[0].start].strip() and not _lead_ok(value[: found[0].start])):
        return None
    first = found[0]
    if _BEFORE_WORD.search(value[first.end :]):
        first = replace(first, role="before")
    return first


def _lead_ok(prefix: str) -> bool:
    # modifiers may come first: "under 5 minutes", "超过百万用户", "约 2000"
    p = prefix.strip()
    return any(r.search(p) for r in (ABOUT, ATLEAST, UNDER, UPTO)) and len(p) <= 12


def _num(x: float) -> str:
    if x.is_integer() and abs(x) < 1e18:
        return str(int(x))
    return repr(x)


def _short(x: float) -> str:
    if x.is_integer() and abs(x) < 1e6:
        return str(int(x))
    return f"{x:.4g}".replace("e+0", "e").replace("e+", "e")


def show(iv: Interval) -> str:
    """An interval for people, rounded: '18.4-27.6 tasks'."""
    return format_interval(iv, _short)


def format_interval(iv: Interval, num=_num) -> str:
    """An interval as text that `parse_figure` reads back as the same interval."""
    _num = num
    unit = iv.unit
    sep = "" if unit in ("%", "x") else " "
    tail = f"{sep}{unit}" if unit else ""
    if iv.hi == INF:
        return f"{_num(iv.lo)}+{tail}"
    if iv.hi_open:
        return f"under {_num(iv.hi)}{tail}" if iv.lo == iv.hi / 2 else f"{_num(iv.lo)}-{_num(iv.hi)}{tail}"
    if iv.lo == iv.hi:
        return f"{_num(iv.lo)}{tail}"
    return f"{_num(iv.lo)}-{_num(iv.hi)}{tail}"
