"""One item (card, story, claim, project, deck) as Markdown: the one renderer behind
`prep show`, the TUI's detail screen and `prep export markdown`, so an item reads the
same everywhere. Callers choose how much to show (`Detail`), never how to show it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prep.export.when import when
from prep.index.db import utcnow
from prep.kb.marks import markers
from prep.kb.vocab import code_word, pick, say

if TYPE_CHECKING:  # annotations only: `prep show` need not build the read models' classes
    from prep.index.views import CardView, ClaimView, DeckView, HistoryEntry, ItemView, ProjectView, ReviewState, StoryView


@dataclass(frozen=True)
class Detail:
    """What to include beyond the item's own content."""

    level: int = 1  # heading level of the item's title
    where: bool = True  # the file:line it is written at
    links: bool = True  # what the item backs or is backed by
    history: bool = True  # review state and every answer


FULL = Detail()


def figure_line(fig: Mapping[str, Any], lang: str = "zh") -> str:
    """One figure of a claim: `**from → value** (other version: ...): note`."""
    note = " ".join(pick(fig.get("note"), lang).split())
    value = f"{fig['from_']} → {fig['value']}" if fig.get("from_") else fig["value"]
    other = f" ({_w('other_figure', lang)}: {fig['other_version']})" if fig.get("other_version") else ""
    return f"**{value}**{other}" + (f": {note}" if note else "")


def render(item: ItemView, detail: Detail = FULL, lang: str = "zh", assumed: str = "text") -> str:
    """The item as Markdown (no trailing newline). Assumption spans become visible
    markers (`assumed="text"`: ⟦..⟧, "tui": styled), or stay spans for HTML ("span")."""
    if item["type"] == "card":
        lines = _card(item, detail, lang)
    elif item["type"] == "story":
        lines = _story(item, detail, lang)
    elif item["type"] == "claim":
        lines = _claim(item, detail, lang)
    elif item["type"] == "project":
        lines = _project(item, detail, lang)
    else:
        lines = _deck(item, detail, lang)
    out = "\n".join(lines).strip()
    return out if assumed == "span" else markers(out, assumed)


def _h(detail: Detail, text: str, sub: int = 0) -> str:
    return "#" * min(detail.level + sub, 6) + " " + text


# The renderer's own words, in both languages (the item's text is already in `lang`).
WORDS: dict[str, dict[str, str]] = {
    "q": {"en": "Q", "zh": "问"},
    "difficulty": {"en": "difficulty {n}", "zh": "难度 {n}"},
    "next": {"en": "Next they ask: ", "zh": "接下来会问："},
    "source": {"en": "Source: ", "zh": "出处："},
    "backs": {"en": "Backs:", "zh": "支撑的简历条目："},
    "min": {"en": "min", "zh": "分钟"},
    "Situation": {"en": "Situation", "zh": "情境（Situation）"},
    "Task": {"en": "Task", "zh": "任务（Task）"},
    "Action": {"en": "Action", "zh": "行动（Action）"},
    "Result": {"en": "Result", "zh": "结果（Result）"},
    "Follow-ups": {"en": "Follow-ups", "zh": "追问"},
    "Lessons": {"en": "Lessons", "zh": "收获"},
    "risk": {"en": "risk {r}", "zh": "风险 {r}"},
    "tech": {"en": "Tech: ", "zh": "技术："},
    "facts": {"en": "Facts", "zh": "事实"},
    "confirm": {"en": " (assumed: confirm it)", "zh": "（假设：请确认）"},
    "defend": {"en": "How to defend it", "zh": "怎么答"},
    "stories": {"en": "Stories ({n}):", "zh": "故事（{n}）："},
    "cards": {"en": "Cards ({n}):", "zh": "卡片（{n}）："},
    "stack": {"en": "Stack: ", "zh": "技术栈："},
    "claims": {"en": "Claims: ", "zh": "简历条目："},
    "deck_cards": {"en": "{n} cards: ", "zh": "{n} 张卡："},
    "history": {"en": "History", "zh": "复习记录"},
    "due": {"en": "Due {when} · reps {reps} · lapses {lapses}", "zh": "到期 {when} · 复习 {reps} 次 · 遗忘 {lapses} 次"},
    "leech": {"en": " · **leech**", "zh": " · **顽固卡**"},
    "not_reviewed": {"en": "Not reviewed yet.", "zh": "还没复习过。"},
    "other_figure": {"en": "other version", "zh": "另一版简历"},
    "other_line": {"en": "Other resume version: ", "zh": "另一版简历："},
    "en_line": {"en": "In English: ", "zh": "英文简历："},
    "archived": {"en": "**archived**: no longer in the files (history kept)", "zh": "**已归档**：文件里已没有它（复习记录保留）"},
}


def _w(key: str, lang: str, **kw: object) -> str:
    return say(WORDS, key, lang, **kw)


def _meta(detail: Detail, item: Mapping[str, Any], *parts: str | None, lang: str = "en") -> list[str]:
    where = (
        f"`{item['file']}:{item['line']}`" if detail.where and "line" in item else f"`{item['file']}`" if detail.where and "file" in item else None
    )
    if item.get("archived"):
        # Its file:line is where it used to be: saying so would send the reader to the wrong place.
        where = _w("archived", lang)
    shown = [p for p in (*parts, f"`{item['id']}`", where) if p]
    return [f"*{' · '.join(shown)}*", ""]


def _card(c: CardView, detail: Detail, lang: str = "en") -> list[str]:
    lines = [_h(detail, f"{_w('q', lang)}: {c['q']}"), ""]
    lines += _meta(detail, c, c["deck"], c["kind"], _w("difficulty", lang, n=c["difficulty"]), lang=lang)
    if c.get("gist"):  # the answer in one breath comes first
        lines += [f"**{' '.join(c['gist'].split())}**", ""]
    lines += [c["a"].strip(), ""]
    if c["followups"]:
        lines += [_w("next", lang) + " · ".join(f["q"] for f in c["followups"]), ""]
    if c["source"]:
        lines += [_w("source", lang) + c["source"], ""]
    if detail.links and c["claims"]:
        lines += [_w("backs", lang), *[f"- `{x['id']}` {x['text']}" for x in c["claims"]], ""]
    return lines + _history(c["review"], c["history"], detail, lang)


def _story(s: StoryView, detail: Detail, lang: str = "en") -> list[str]:
    lines = [_h(detail, f"STAR: {s['title']} ({s['minutes']:g} {_w('min', lang)})"), ""]
    lines += _meta(detail, s, ", ".join(s["competencies"]), lang=lang)
    for name, text in s["sections"].items():
        if name != "Follow-ups":
            lines += [_h(detail, _w(name, lang) if name in WORDS else name, 1), "", text.strip(), ""]
    if s["followups"]:
        lines += [_h(detail, _w("Follow-ups", lang), 1), ""]
        for f in s["followups"]:
            lines.append(f"- {f['question']}")
            lines += ["  " + line for line in f["notes"].strip().splitlines()]
        lines.append("")
    if detail.links and s["claims"]:
        lines += [_w("backs", lang), *[f"- `{x['id']}` {x['text']}" for x in s["claims"]], ""]
    return lines + _history(s["review"], s["history"], detail, lang)


def _claim(c: ClaimView, detail: Detail, lang: str) -> list[str]:
    lines = [_h(detail, c["text"]), ""]
    lines += _meta(detail, c, c["project"], _w("risk", lang, r=code_word("risk", c["risk"], lang)), lang=lang)
    if c["en"] and c["en"] != c["text"]:
        # The line as the English resume states it: labelled, or a Chinese reader takes it for a note.
        lines += [f"{_w('en_line', lang)}{c['en']}", ""]
    if c["before"]:
        # The other resume version's line, not an old value of the metric (a new user read "Before" so).
        lines += [f"> {_w('other_line', lang)}{c['before']}", ""]
    if c["numbers"]:
        lines += [*[f"- {figure_line(n, lang)}" for n in c["numbers"]], ""]
    if c["tech"]:
        lines += [_w("tech", lang) + ", ".join(c["tech"]), ""]
    if c.get("facts"):
        lines += [_h(detail, _w("facts", lang), 1), ""]
        for f in c["facts"]:
            text = f"[{f['text']}]{{.assumed}}" if f["status"] == "assumed" else f["text"]
            lines.append(f"- {text} `{f['id']}`" + (_w("confirm", lang) if f["status"] == "assumed" else ""))
        lines.append("")
    if c["notes"]:
        lines += [_h(detail, _w("defend", lang), 1), "", c["notes"].strip(), ""]
    if detail.links:
        lines += [_w("stories", lang, n=len(c["stories"])), *[f"- `{s['id']}` {s['title']}" for s in c["stories"]], ""]
        lines += [_w("cards", lang, n=len(c["cards"])), *[f"- `{x['id']}` {x['q']}" for x in c["cards"]], ""]
    return lines


def _project(p: ProjectView, detail: Detail, lang: str = "en") -> list[str]:
    lines = [_h(detail, f"{p['company']} — {p['name']}" if p["name"] else p["company"]), ""]
    lines += _meta(detail, p, p["role"], p["period"], lang=lang)
    if p["stack"]:
        lines += [_w("stack", lang) + ", ".join(p["stack"]), ""]
    if detail.links:
        lines += [_w("claims", lang) + ", ".join(f"`{c}`" for c in p["claims"]), ""]
    return lines


def _deck(d: DeckView, detail: Detail, lang: str = "en") -> list[str]:
    lines = [_h(detail, d["name"]), ""]
    lines += _meta(detail, d, d["project"], lang=lang)
    if d["description"]:
        lines += [d["description"].strip(), ""]
    if detail.links:
        lines += [_w("deck_cards", lang, n=len(d["cards"])) + ", ".join(f"`{c}`" for c in d["cards"]), ""]
    return lines


def _history(review: ReviewState | None, history: Sequence[HistoryEntry], detail: Detail, lang: str = "en") -> list[str]:
    if not detail.history:
        return []
    lines = [_h(detail, _w("history", lang), 1), ""]
    now = utcnow()
    if review:
        leech = _w("leech", lang) if review["leech"] else ""
        lines.append(_w("due", lang, when=when(review["due"], now, lang), reps=review["reps"], lapses=review["lapses"]) + leech)
    answers = [
        f"- {when(h['reviewed_at'], now, lang)} {code_word('rating', h['rating'], lang)} ({code_word('mode', h['mode'], lang)})" for h in history
    ]
    return lines + (answers or [_w("not_reviewed", lang)]) + [""]
