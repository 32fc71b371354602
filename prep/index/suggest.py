"""Unknown filter values are errors with a suggestion, never an empty result.

`prep study --deck nope` used to open an empty session and `prep list cards --deck nope`
printed nothing with exit 0: a typo looked like "nothing to do". Every filter a command
takes is checked here against what the index holds, with difflib's close matches.
"""

from __future__ import annotations

from typing import get_args

from prep.errors import PrepError
from prep.index.conn import Database
from prep.kb.spelling import did_you_mean
from prep.kb.vocab import Kind

KINDS: tuple[str, ...] = get_args(Kind)

_VALUES = {
    "deck": ("SELECT id FROM decks WHERE archived = 0", "prep list cards"),
    "claim": ("SELECT id FROM claims WHERE archived = 0", "prep list claims"),
    "project": ("SELECT id FROM projects WHERE archived = 0", "prep list claims"),
    "tag": (
        """SELECT DISTINCT j.value FROM cards, json_each(cards.tags) j WHERE cards.archived = 0
           UNION SELECT DISTINCT j.value FROM stories, json_each(stories.tags) j WHERE stories.archived = 0
           UNION SELECT DISTINCT j.value FROM claims, json_each(claims.tech) j WHERE claims.archived = 0""",
        "prep list cards --json",
    ),
}


WHAT_ZH = {"deck": "卡组", "claim": "条目", "project": "项目", "tag": "标签", "kind": "类型", "profile": "配置"}


def unknown(what: str, value: str, choices, hint: str = "", hint_zh: str = "") -> PrepError:
    """'unknown deck 'x'; did you mean 'y'?', else with the hint (if any) in brackets; and in Chinese."""
    en = f"unknown {what} '{value}'" + (did_you_mean(value, choices) or (f" ({hint})" if hint else ""))
    zh = f"没有{WHAT_ZH.get(what, what)} '{value}'" + (did_you_mean(value, choices, "zh") or (f"（{hint_zh}）" if hint_zh else ""))
    return PrepError(en, zh=zh)


def check_filters(db: Database, **filters: str | None) -> None:
    """Raise a PrepError naming the first unknown value (deck, claim, project, tag, kind)."""
    for what, value in filters.items():
        if not value:
            continue
        if what == "kind":
            choices: list[str] = list(KINDS)
            hint, hint_zh = f"one of: {', '.join(KINDS)}", f"可选：{', '.join(KINDS)}"
        else:
            sql, listing = _VALUES[what]
            choices = [r[0] for r in db.execute(sql)]
            hint, hint_zh = f"see `{listing}`", f"见 `{listing}`"
        if value not in choices:
            raise unknown(what, value, choices, hint, hint_zh)
