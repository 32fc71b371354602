"""Numbers in figures, Chinese and English: values, vague magnitudes, modifiers, ranges.

`prep.kb.figures` reads a figure as a number, then a unit; this module is the number
half. Arabic numerals with their multipliers (2k, 3.5万, 10 million), Chinese numerals
(两千, 三千五百, through `cn2an`), the vague magnitudes as intervals (几千 is 2000-9999,
上千 at least 1000, 百万级 a million to ten), the modifiers around a number (约, over,
under, 以上, +) and ranges (500-1000, 10-20万). The tables are ours; the units are in
`prep.kb.figure_units`.
"""

from __future__ import annotations

import math
import re

INF = math.inf

MULT = {
    "k": 1e3,
    "w": 1e4,
    "m": 1e6,
    "十": 10.0,
    "百": 1e2,
    "千": 1e3,
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "万亿": 1e12,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "mn": 1e6,
    "bn": 1e9,
}
_MAG = {"十万": 1e5, "百万": 1e6, "千万": 1e7, "万": 1e4, "千": 1e3, "亿": 1e8}
_VAGUE: list[tuple[str, float, float]] = [
    ("上几千|好几千|几千|数千|several thousand|a few thousand|thousands of", 2000, 9999),
    ("几十万|数十万|hundreds of thousands of|hundreds of thousands", 2e5, 999999),
    ("几百万|数百万|millions of", 2e6, 9999999),
    ("几千万|数千万|tens of millions of|tens of millions", 2e7, 99999999),
    ("几亿|数亿|hundreds of millions of|hundreds of millions", 2e8, 999999999),
    ("十几万", 110000, 199999),
    ("几万|数万|几[wW]|tens of thousands of|tens of thousands", 20000, 99999),
    ("几百|数百|hundreds of", 200, 999),
    ("几十|数十|dozens of", 20, 99),
    ("十几", 11, 19),
    ("上千万", 1e7, INF),
    ("上百万", 1e6, INF),
    ("上十万", 1e5, INF),
    ("上亿", 1e8, INF),
    ("上万", 1e4, INF),
    ("上千", 1e3, INF),
    ("上百", 100, INF),
]
_NUMBER = re.compile(
    "|".join(f"(?P<v{i}>{p})" for i, (p, _, _) in enumerate(_VAGUE))
    + r"|(?P<lvl>(?:十万|百万|千万|万|千|亿)(?:量)?级(?:别)?)"
    + r"|(?P<blvl>(?:KB|MB|GB|TB|PB)\s?级(?:别)?|毫秒级|秒级|分钟级)"
    + r"|(?P<one>\b(?:a|one)\s+(?:thousand|million|billion)\b)"
    + r"|(?P<ar>(?<![0-9A-Za-z_.])(?<!\d,)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    + r"|(?P<cn>[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]+)"
    + r"|(?P<mag>十万|百万|千万|亿|万)"
)
_AR_MULT = re.compile(r"(?:\s?(万亿|十万|百万|千万|万|亿|千|百|十)|\s?((?i:thousand|million|billion|mn|bn))(?![A-Za-z0-9])|([kKwWM])(?![0-9A-Za-z]))")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|~|～|到|至|to)\s*")
ABOUT = re.compile(r"(?:about|around|approximately|roughly|nearly|almost|~|≈|约|大约|大概|将近|接近|近)\s*$", re.I)
ATLEAST = re.compile(r"(?:over|more than|above|at least|upwards of|超过|超|逾|多于|大于|高于|至少|不少于|>=|≥|(?<![-=])>)\s*$", re.I)
UNDER = re.compile(r"(?:under|below|less than|fewer than|within|不到|低于|少于|小于|不足|<=|≤|<)\s*$", re.I)
UPTO = re.compile(r"(?:up to|at most|最多|至多|最高)\s*$", re.I)
PLUS_AFTER = re.compile(r"\s*(?:\+|多|余|以上|及以上)")
UNDER_AFTER = re.compile(r"\s*(?:以内|以下|之内)")
FROM = re.compile(r"(?:from|从|由)\s*$", re.I)


def _cn(text: str) -> float | None:
    try:
        import cn2an  # imported on first use: ~120 ms, and most texts have no Chinese numerals

        value = float(cn2an.cn2an(text, "normal"))
    except Exception:  # cn2an raises ValueError or worse on odd runs; they are not figures
        return None
    return value if math.isfinite(value) else None


def scan_number(text: str, m: re.Match) -> tuple[float, float, int] | None:
    """(lo, hi, end) of the number matched by `_NUMBER`, multipliers included."""
    kind = m.lastgroup or ""
    if kind.startswith("v"):
        _, lo, hi = _VAGUE[int(kind[1:])]
        return lo, hi, m.end()
    g = m.group()
    if kind == "lvl":
        mag = _MAG[re.match(r"十万|百万|千万|万|千|亿", g).group()]  # type: ignore[union-attr]
        return mag, mag * 10 - 1, m.end()
    if kind == "blvl":
        return (1, 59, m.end()) if g in ("秒级", "分钟级") else (1, 999, m.end())
    if kind == "one":
        return (v := MULT[g.split()[-1].lower()]), v, m.end()
    if kind == "cn":
        cn = _cn(g)
        return None if cn is None else (cn, cn, m.end())
    if kind == "mag":
        v = _MAG[g]
        return v, v, m.end()
    try:
        value = float(g.replace(",", ""))
    except ValueError:
        return None
    end = m.end()
    if text.startswith("几", end) and value % 10 == 0 and 0 < value < 1000:  # 10几 = 11-19
        lo, hi, end = value + 1, value + 9, end + 1
    else:
        lo = hi = value
    mm = _AR_MULT.match(text, end)
    if mm:
        mult = MULT[(mm.group(1) or mm.group(2) or mm.group(3)).lower()]
        lo, hi, end = lo * mult, hi * mult, mm.end()
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return lo, hi, end


def modifier(text: str, start: int, end: int, lo: float, hi: float) -> tuple[float, float, bool, int]:
    """Apply 约/over/under/以上/+ around a number: (lo, hi, hi_open, end)."""
    before = text[max(0, start - 16) : start]
    plus = PLUS_AFTER.match(text, end)
    if plus or ATLEAST.search(before):
        return lo, INF, False, plus.end() if plus else end
    if lo != hi:
        return lo, hi, False, end
    under = UNDER_AFTER.match(text, end)
    if under or UNDER.search(before):
        return lo / 2, lo, True, under.end() if under else end
    if UPTO.search(before):
        return lo / 2, lo, False, end
    if ABOUT.search(before):
        return lo * 0.8, lo * 1.2, False, end
    return lo, hi, False, end


def number_range(text: str, start: int, lo: float, hi: float, end: int, plain_first: bool) -> tuple[float, float, int] | None:
    """A second number after a range separator: `500-1000`, `10-20万`, `2k-3k`, `3 到 5`."""
    sep = _RANGE_SEP.match(text, end)
    if not sep or lo != hi or FROM.search(text[max(0, start - 12) : start]):
        return None  # "from 500 to 1000" is a change, not a range
    m = _NUMBER.match(text, sep.end())
    if not m or m.lastgroup != "ar":
        return None
    second = scan_number(text, m)
    if second is None:
        return None
    lo2, hi2, end2 = second
    plain = float(m.group().replace(",", ""))
    if plain_first and plain and lo2 != plain:  # 10-20万: the multiplier applies to both
        lo = lo * (lo2 / plain)
    if lo >= hi2 or not math.isfinite(lo):
        return None
    return lo, hi2, end2


# Where a figure can start: searching for this first and matching _NUMBER there is ~5x
# faster than searching with _NUMBER's long alternation at every position.
_START = re.compile(r"[0-9上好几数十百千万亿一二两三四五六七八九毫秒分KMGPT]|\b(?i:several|a|one|thousands|hundreds|tens|millions|dozens)\b")


def find_number(text: str, pos: int) -> re.Match | None:
    """The next number at or after `pos` (a `_NUMBER` match for `scan_number`), or None."""
    while True:
        start = _START.search(text, pos)
        if start is None:
            return None
        m = _NUMBER.match(text, start.start())
        if m:
            return m
        pos = start.start() + 1
