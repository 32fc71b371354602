"""Units in figures, normalised across Chinese and English.

`prep.kb.figures` holds two figures against each other only in the same unit, so
任务 and tasks, 分钟 and minutes, 笔 and orders must read as one unit, 500 GB as half a
TB and 3.5 笔/秒 as a rate, not a count. This module has the unit tables and finds the
unit written after a number (across a classifier or a qualifier: "6个主要的微服务",
"2000 concurrent tasks") or, failing that, the subject written just before it
("入口 QPS 峰值在 10000 以上").
"""

from __future__ import annotations

import re

from prep.kb.figure_numbers import MULT

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


def unit_at(text: str, pos: int) -> tuple[str, float, int]:
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
        if first is None and len(word) <= 20 and "/" not in word and _singular(word) not in MULT:
            first = (_singular(word), 1.0, w.end())
        at = w.end()
        if not text.startswith(" ", at) or not (word in _QUALIFIERS or w.group(1)[:1].isupper()):
            break
    return first or ("", 1.0, pos)


def unit_before(text: str, start: int, floor: int) -> str:
    window = text[max(floor, start - 14) : start]
    cut = [m.end() for m in _CLAUSE_END.finditer(window)]
    window = window[cut[-1] :] if cut else window
    found = _SUBJECT.search(window)
    return _ALIAS.get(found.group(1).lower(), "") if found else ""
