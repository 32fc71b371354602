"""A "did you mean" for every name a user types: ids in links, keys, filter values.

One helper (difflib) so a typo gets the same kind of hint wherever it is made; it lives
in the lowest layer because the content checks need it as much as the CLI filters do.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

_PREFILTER = 300


def _grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def close_matches(value: str, choices: Iterable[str]) -> list[str]:
    """Up to three choices about as close to `value` as the best one (ratio >= 0.6)."""
    pool = set(choices)
    if len(pool) > _PREFILTER:
        # difflib costs ~20 us a choice: over 50k ids keep the few sharing most letter pairs.
        grams = _grams(value.lower())
        pool = set(heapq.nlargest(_PREFILTER, pool, key=lambda c: len(grams & _grams(c.lower()))))
    scored = []
    m = difflib.SequenceMatcher()
    m.set_seq2(value.lower())  # difflib caches what it learns about seq2: one value, many choices
    for choice in pool:
        m.set_seq1(choice.lower())
        if m.real_quick_ratio() >= 0.6 and m.quick_ratio() >= 0.6:
            scored.append((m.ratio(), choice))
    scored = sorted((s for s in scored if s[0] >= 0.6), key=lambda s: (-s[0], s[1]))
    if not scored:
        return []
    best = scored[0][0]
    return [c for r, c in scored if r >= best - 0.03][:3]


def did_you_mean(value: str, choices: Iterable[str], lang: str = "en") -> str:
    """'; did you mean 'x'?' ('；是不是想写 'x'？' in zh) or '' when nothing is close. Ids
    share long prefixes (`northwind.cdc`, `northwind.dbt`), so only the matches about as
    close as the best one are offered."""
    close = close_matches(value, choices)
    if not close:
        return ""
    if lang == "zh":
        return "；是不是想写 " + " 或 ".join(f"'{c}'" for c in close) + "？"
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
