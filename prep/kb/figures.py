"""Figures as intervals with units, in Chinese and English.

A resume says "上几千个任务" in one version and "2000 个后台任务" in the other; a story
says "百万级别" where the claim says "300百万用户". To hold figures against each other
they must be comparable: every figure becomes an interval (几千 is 2000-9999, 上千 is
at least 1000, "under 5 minutes" is just under 5) with a unit normalised across the
two languages (任务/tasks, 分钟/minutes, 笔/orders). Two figures agree when their
intervals of the same unit overlap.

Chinese numerals (两千, 三千五百) go through `cn2an`; the vague magnitudes, the units
and the modifiers (约, 以上, under, from ... to) are ours, in the tables below.
`format_interval` prints an interval in a form `parse_figure` reads back unchanged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

INF = math.inf

# -- units -------------------------------------------------------------------------

# normalised unit -> aliases (ascii aliases are matched case-insensitively, singular or plural)
UNITS: dict[str, tuple[str, ...]] = {
    "tasks": ("后台任务", "定时任务", "批处理任务", "任务", "task"),
    "jobs": ("作业", "job"),
    "users": ("用户", "user"),
    "slots": ("槽位", "槽", "格", "slot", "bucket"),
    "orders": ("笔", "订单", "交易", "order", "transaction"),
    "QPS": ("qps", "rps", "req/s", "requests/s"),
    "restaurants": ("餐厅", "restaurant"),
    "enterprises": ("企业", "enterprise", "company", "companies"),
    "modules": ("模块", "module"),
    "services": ("微服务", "服务", "microservice", "service"),
    "pods": ("pod",),
    "nodes": ("节点", "node"),
    "machines": ("机器", "台", "machine", "server"),
    "workers": ("worker",),
    "requests": ("请求", "request"),
    "messages": ("消息", "message"),
    "rows": ("行", "row", "record"),
    "partitions": ("分区", "partition"),
    "%": ("%", "percent"),
    "x": ("倍", "x", "times"),
    "ms": ("毫秒", "ms", "millisecond"),
    "s": ("秒钟", "秒", "s", "sec", "second"),
    "min": ("分钟", "min", "minute"),
    "h": ("小时", "h", "hr", "hour"),
    "days": ("天", "day", "d"),
    "weeks": ("周", "week"),
    "months": ("个月", "月", "month"),
    "years": ("年", "year"),
    "TB": ("tb",),
}
# Sizes are compared in one unit: 500 GB is half a TB.
_BYTES = {"kb": 1e-9, "mb": 1e-6, "gb": 1e-3, "tb": 1.0, "pb": 1e3}
_ALIAS: dict[str, str] = {}
for _key, _aliases in UNITS.items():
    for _a in _aliases:
        _ALIAS[_a.lower()] = _key
    _ALIAS[_key.lower()] = _key
_CJK_ALIASES = sorted((a for a in _ALIAS if not a.isascii()), key=len, reverse=True)
# 个/家/条... may stand between a number and its unit, with a few words in between
# ("6个主要的微服务", "上万的用户").
_CLASSIFIER = re.compile(r"\s*(?:(?:个|家|次|条|位|名|种|套|款|项|只)(?:[\u4e00-\u9fff]{0,4}?(?=" + "|".join(_CJK_ALIASES) + r"))?|的)?\s*")
_WORD = re.compile(r"(?:\s*|-)([A-Za-z%][A-Za-z0-9]*(?:/[A-Za-z]+)?|%)")
_STOP = {
    "to",
    "from",
    "and",
    "or",
    "of",
    "in",
    "at",
    "on",
    "for",
    "per",
    "the",
    "a",
    "an",
    "by",
    "with",
    "than",
    "is",
    "are",
    "was",
    "were",
    "down",
    "up",
    "under",
    "over",
    "more",
    "less",
    "about",
    "around",
    "vs",
    "into",
    "peak",
    "each",
    "every",
    "after",
    "before",
    "it",
    "we",
    "i",
    "that",
    "this",
    "then",
    "but",
    "so",
    "as",
}
# Words that may stand between a number and its unit without changing what is counted
# ("2000 concurrent tasks"); a proper noun may too ("8 Kafka partitions").
_QUALIFIERS = {"concurrent", "background", "active", "daily", "peak", "online", "registered", "scheduled", "total", "new", "paying"}
# Subjects written just before their number ("入口 QPS 峰值在 10000 以上", "用户数量百万级别").
_SUBJECT = re.compile(
    r"(qps|用户|任务|订单|餐厅|企业|模块|微服务|槽位|users?|tasks?|orders?)"
    r"(?:数量|总数|数|量|峰值|高峰|达到|达|在|为|约|是|有|超过|of|at|peak|:|：|\s)*$",
    re.I,
)
_CLAUSE_END = re.compile(r"[，。,;；:：!?！？\n()（）]")


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and word[-2] != "s" else word


_PER_SECOND = re.compile(r"\s*(?:/\s*|per\s+|每)(?:s|sec|second|秒)(?![A-Za-z])", re.I)
_RATE_SUFFIX = ("s", "sec", "second", "秒")


def _rate(unit: str, text: str, end: int) -> tuple[str, int]:
    """`3.5 笔/秒`, `11.6 MB/s`: a rate is another unit than the total it is a rate of."""
    m = _PER_SECOND.match(text, end)
    if m and unit not in ("QPS", "%", "x", "ms", "s", "min", "h", "days", "weeks", "months", "years"):
        return unit + "/s", m.end()
    return unit, end


def _unit_at(text: str, pos: int) -> tuple[str, float, int]:
    """(unit, factor, end) of the unit written at `pos` ('' if none)."""
    p = _CLASSIFIER.match(text, pos).end()  # type: ignore[union-attr]
    for alias in _CJK_ALIASES:
        if text.startswith(alias, p):
            unit, end = _rate(_ALIAS[alias], text, p + len(alias))
            return unit, 1.0, end
    first: tuple[str, float, int] | None = None
    at = p if p > pos else pos
    for _ in range(3):  # "2000 concurrent tasks", "8 Kafka partitions": a known word after a qualifier
        w = _WORD.match(text, at)
        if not w:
            break
        word = w.group(1).lower()
        if word in _STOP:
            break
        base, _, per = word.partition("/")
        suffix = "/s" if per in _RATE_SUFFIX else ""
        for cand in (word, _singular(word), base, _singular(base)):
            if cand in _BYTES:
                unit, end = _rate("TB" + suffix, text, w.end())
                return unit, _BYTES[cand], end
            if cand in _ALIAS:
                unit, end = _rate(_ALIAS[cand] + (suffix if _ALIAS[cand] not in ("QPS",) else ""), text, w.end())
                return unit, 1.0, end
        if first is None and len(word) <= 20 and "/" not in word and _singular(word) not in _MULT:
            first = (_singular(word), 1.0, w.end())
        at = w.end()
        if not text.startswith(" ", at) or not (word in _QUALIFIERS or w.group(1)[:1].isupper()):
            break
    return first or ("", 1.0, pos)


def _unit_before(text: str, start: int, floor: int) -> str:
    window = text[max(floor, start - 14) : start]
    cut = [m.end() for m in _CLAUSE_END.finditer(window)]
    window = window[cut[-1] :] if cut else window
    found = _SUBJECT.search(window)
    return _ALIAS.get(found.group(1).lower(), "") if found else ""


# -- numbers -----------------------------------------------------------------------

_MULT = {
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
_ABOUT = re.compile(r"(?:about|around|approximately|roughly|nearly|almost|~|≈|约|大约|大概|将近|接近|近)\s*$", re.I)
_ATLEAST = re.compile(r"(?:over|more than|above|at least|upwards of|超过|超|逾|多于|大于|高于|至少|不少于|>=|≥|(?<![-=])>)\s*$", re.I)
_UNDER = re.compile(r"(?:under|below|less than|fewer than|within|不到|低于|少于|小于|不足|<=|≤|<)\s*$", re.I)
_UPTO = re.compile(r"(?:up to|at most|最多|至多|最高)\s*$", re.I)
_PLUS_AFTER = re.compile(r"\s*(?:\+|多|余|以上|及以上)")
_UNDER_AFTER = re.compile(r"\s*(?:以内|以下|之内)")
_FROM = re.compile(r"(?:from|从|由)\s*$", re.I)
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


def _cn(text: str) -> float | None:
    try:
        import cn2an  # imported on first use: ~120 ms, and most texts have no Chinese numerals

        value = float(cn2an.cn2an(text, "normal"))
    except Exception:  # cn2an raises ValueError or worse on odd runs; they are not figures
        return None
    return value if math.isfinite(value) else None


def _scan_number(text: str, m: re.Match) -> tuple[float, float, int] | None:
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
        return (v := _MULT[g.split()[-1].lower()]), v, m.end()
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
        mult = _MULT[(mm.group(1) or mm.group(2) or mm.group(3)).lower()]
        lo, hi, end = lo * mult, hi * mult, mm.end()
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return lo, hi, end


def _modifier(text: str, start: int, end: int, lo: float, hi: float) -> tuple[float, float, bool, int]:
    """Apply 约/over/under/以上/+ around a number: (lo, hi, hi_open, end)."""
    before = text[max(0, start - 16) : start]
    plus = _PLUS_AFTER.match(text, end)
    if plus or _ATLEAST.search(before):
        return lo, INF, False, plus.end() if plus else end
    if lo != hi:
        return lo, hi, False, end
    under = _UNDER_AFTER.match(text, end)
    if under or _UNDER.search(before):
        return lo / 2, lo, True, under.end() if under else end
    if _UPTO.search(before):
        return lo / 2, lo, False, end
    if _ABOUT.search(before):
        return lo * 0.8, lo * 1.2, False, end
    return lo, hi, False, end


def _range(text: str, start: int, lo: float, hi: float, end: int, plain_first: bool) -> tuple[float, float, int] | None:
    """A second number after a range separator: `500-1000`, `10-20万`, `2k-3k`, `3 到 5`."""
    sep = _RANGE_SEP.match(text, end)
    if not sep or lo != hi or _FROM.search(text[max(0, start - 12) : start]):
        return None  # "from 500 to 1000" is a change, not a range
    m = _NUMBER.match(text, sep.end())
    if not m or m.lastgroup != "ar":
        return None
    second = _scan_number(text, m)
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


def _search(text: str, pos: int) -> re.Match | None:
    while True:
        start = _START.search(text, pos)
        if start is None:
            return None
        m = _NUMBER.match(text, start.start())
        if m:
            return m
        pos = start.start() + 1


def figures(text: str) -> list[Found]:
    """Every figure in `text`, left to right."""
    return list(_figures(text or ""))


@lru_cache(maxsize=4096)
def _figures(text: str) -> tuple[Found, ...]:
    # cached: the audit reads a card once for every claim it backs
    out: list[Found] = []
    pos = 0
    while True:
        m = _search(text, pos)
        if not m:
            break
        scanned = _scan_number(text, m)
        if scanned is None:
            pos = m.end()
            continue
        lo, hi, end = scanned
        start = m.start()
        rng = _range(text, start, lo, hi, end, end == m.end()) if m.lastgroup == "ar" else None
        if rng:
            lo, hi, end = rng
        if m.lastgroup == "mag" and not (_ATLEAST.search(text[max(0, start - 8) : start]) or _ABOUT.search(text[max(0, start - 8) : start])):
            pos = m.end()  # a bare 万 or 百万 is a number only after 超过/近/约 ("超过百万用户")
            continue
        lo, hi, hi_open, end = _modifier(text, start, end, lo, hi)
        unit, factor, uend = _unit_at(text, end)
        if m.lastgroup == "blvl":
            unit = {"毫": "ms", "秒": "s", "分": "min"}.get(m.group()[0], "TB")
        if not unit:
            unit = _unit_before(text, start, out[-1].end if out else 0)
        else:
            after = _UNDER_AFTER.match(text, uend) or _PLUS_AFTER.match(text, uend)
            if after and lo == hi and not hi_open:
                lo, hi, hi_open, _ = _modifier(text, start, uend, lo, hi)
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
        if bare and not _FROM.search(text[max(0, a.start - 12) : a.start]):
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
    return any(r.search(p) for r in (_ABOUT, _ATLEAST, _UNDER, _UPTO)) and len(p) <= 12


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
