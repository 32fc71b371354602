"""One item (card, story, claim, project, deck) as Markdown: the one renderer behind
`prep show`, the TUI's detail screen and `prep export markdown`, so an item reads the
same everywhere. Callers choose how much to show (`Detail`), never how to show it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prep.export.when import when
from prep.index.db import utcnow
from prep.index.views import CardView, ClaimView, DeckView, HistoryEntry, ItemView, ProjectView, ReviewState, StoryView
from prep.kb.marks import markers
from prep.kb.vocab import pick
from prep.study.ratings import RATING_NAMES


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
    other = f" ({'另一版简历' if lang == 'zh' else 'other version'}: {fig['other_version']})" if fig.get("other_version") else ""
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
        lines = _project(item, detail)
    else:
        lines = _deck(item, detail)
    out = "\n".join(lines).strip()
    return out if assumed == "span" else markers(out, assumed)


def _h(detail: Detail, text: str, sub: int = 0) -> str:
    return "#" * min(detail.level + sub, 6) + " " + text


def _meta(detail: Detail, item: Mapping[str, Any], *parts: str | None) -> list[str]:
    where = f"`{item['file']}:{item['line']}`" if detail.where and "line" in item else f"`{item['file']}`" if detail.where and "file" in item else None
    if item.get("archived"):
        # Its file:line is where it used to be: saying so would send the reader to the wrong place.
        where = "**archived**: no longer in the files (history kept)"
    shown = [p for p in (*parts, f"`{item['id']}`", where) if p]
    return [f"*{' · '.join(shown)}*", ""]


def _card(c: CardView, detail: Detail, lang: str = "en") -> list[str]:
    lines = [_h(detail, f"Q: {c['q']}"), ""]
    lines += _meta(detail, c, c["deck"], c["kind"], f"difficulty {c['difficulty']}")
    if c.get("gist"):  # the answer in one breath comes first
        lines += [f"**{' '.join(c['gist'].split())}**", ""]
    lines += [c["a"].strip(), ""]
    if c["followups"]:
        lines += ["Next they ask: " + " · ".join(f["q"] for f in c["followups"]), ""]
    if c["source"]:
        lines += [f"Source: {c['source']}", ""]
    if detail.links and c["claims"]:
        lines += ["Backs:", *[f"- `{x['id']}` {x['text']}" for x in c["claims"]], ""]
    return lines + _history(c["review"], c["history"], detail, lang)


def _story(s: StoryView, detail: Detail, lang: str = "en") -> list[str]:
    lines = [_h(detail, f"STAR: {s['title']} ({s['minutes']:g} min)"), ""]
    lines += _meta(detail, s, ", ".join(s["competencies"]))
    for name, text in s["sections"].items():
        if name != "Follow-ups":
            lines += [_h(detail, name, 1), "", text.strip(), ""]
    if s["followups"]:
        lines += [_h(detail, "Follow-ups", 1), ""]
        for f in s["followups"]:
            lines.append(f"- {f['question']}")
            lines += ["  " + line for line in f["notes"].strip().splitlines()]
        lines.append("")
    if detail.links and s["claims"]:
        lines += ["Backs:", *[f"- `{x['id']}` {x['text']}" for x in s["claims"]], ""]
    return lines + _history(s["review"], s["history"], detail, lang)


def _claim(c: ClaimView, detail: Detail, lang: str) -> list[str]:
    lines = [_h(detail, c["text"]), ""]
    lines += _meta(detail, c, c["project"], f"risk {c['risk']}")
    if c["en"] and c["en"] != c["text"]:
        lines += [c["en"], ""]
    if c["before"]:
        # The other resume version's line, not an old value of the metric (a new user read "Before" so).
        lines += [f"> {'另一版简历' if lang == 'zh' else 'Other resume version'}: {c['before']}", ""]
    if c["numbers"]:
        lines += [*[f"- {figure_line(n, lang)}" for n in c["numbers"]], ""]
    if c["tech"]:
        lines += ["Tech: " + ", ".join(c["tech"]), ""]
    if c.get("facts"):
        lines += [_h(detail, "Facts", 1), ""]
        for f in c["facts"]:
            text = f"[{f['text']}]{{.assumed}}" if f["status"] == "assumed" else f["text"]
            lines.append(f"- {text} `{f['id']}`" + (" (assumed: confirm it)" if f["status"] == "assumed" else ""))
        lines.append("")
    if c["notes"]:
        lines += [_h(detail, "How to defend it", 1), "", c["notes"].strip(), ""]
    if detail.links:
        lines += [f"Stories ({len(c['stories'])}):", *[f"- `{s['id']}` {s['title']}" for s in c["stories"]], ""]
        lines += [f"Cards ({len(c['cards'])}):", *[f"- `{x['id']}` {x['q']}" for x in c["cards"]], ""]
    return lines


def _project(p: ProjectView, detail: Detail) -> list[str]:
    lines = [_h(detail, f"{p['company']} — {p['name']}" if p["name"] else p["company"]), ""]
    lines += _meta(detail, p, p["role"], p["period"])
    if p["stack"]:
        lines += ["Stack: " + ", ".join(p["stack"]), ""]
    if detail.links:
        lines += ["Claims: " + ", ".join(f"`{c}`" for c in p["claims"]), ""]
    return lines


def _deck(d: DeckView, detail: Detail) -> list[str]:
    lines = [_h(detail, d["name"]), ""]
    lines += _meta(detail, d, d["project"])
    if d["description"]:
        lines += [d["description"].strip(), ""]
    if detail.links:
        lines += [f"{len(d['cards'])} cards: " + ", ".join(f"`{c}`" for c in d["cards"]), ""]
    return lines


def _history(review: ReviewState | None, history: Sequence[HistoryEntry], detail: Detail, lang: str = "en") -> list[str]:
    if not detail.history:
        return []
    lines = [_h(detail, "History", 1), ""]
    now = utcnow()
    if review:
        leech = " · **leech**" if review["leech"] else ""
        lines.append(f"Due {when(review['due'], now, lang)} · reps {review['reps']} · lapses {review['lapses']}{leech}")
    answers = [f"- {when(h['reviewed_at'], now, lang)} {RATING_NAMES.get(h['rating'], h['rating'])} ({h['mode']})" for h in history]
    return lines + (answers or ["Not reviewed yet."]) + [""]
