"""What the read commands print around the content (stats, list, validate, sync, search),
in the reader's language (`ctx.lang`, so the built-in Chinese KB gets Chinese reports).

Every sentence goes through `say`, every count through `count`, every stored code (risk)
through `code_word`, and the columns of a table are padded by terminal cells (`pad`),
since a Chinese word is twice as wide as its length. Ids, file:line locations and
`--json` output never come here: they read the same in every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from prep.kb.vocab import code_word, count, pad, say

WORDS: dict[str, dict[str, str]] = {
    "kb_counts": {"zh": "{claims}、{stories}、{cards}，共 {decks}", "en": "{claims}, {stories}, {cards} in {decks}"},
    "archived": {"zh": "{counts}（另有 {n} 张已归档）", "en": "{counts} ({n} archived)"},
    "due": {
        "zh": "现在到期：{due}   新卡：{new}   待讲故事：{stories}   已复习：{reviews} 次（其中 Anki {anki} 次）   顽固卡：{leeches}",
        "en": "Due now: {due}   New: {new}   Stories due: {stories}   Reviews done: {reviews} ({anki} from Anki)   Leeches: {leeches}",
    },
    "next_due": {"zh": "下次到期：{when}", "en": "Next due: {when}"},
    "ok": {"zh": "通过：{counts}。", "en": "OK: {counts}."},
    "unfinished": {
        "zh": "注意：{where}：{kind} {id}：{fields} 没写完（还是 `prep new` 写的提示，或待办标记）；换成真正的内容",
        "en": "note: {where}: {kind} {id}: {fields} unfinished (the hint `prep new` wrote, or a to-do); write the real text",
    },
    "synced": {"zh": "已同步：{summary}。", "en": "Synced: {summary}."},
    "claim_row": {"zh": "{stories:>2} 个故事 {cards:>3} 张卡", "en": "{stories:>2} stories {cards:>3} cards"},
    "story_row": {"zh": "{minutes:>4g} 分钟", "en": "{minutes:>4g} min"},
    "results": {"zh": "{n} 条结果", "en": "{results}"},
}
# An item's kind (a code in JSON) as the list, search and validate lines name it.
KINDS: dict[str, dict[str, str]] = {
    "card": {"zh": "卡片", "en": "card"},
    "story": {"zh": "故事", "en": "story"},
    "claim": {"zh": "条目", "en": "claim"},
    "project": {"zh": "项目", "en": "project"},
    "deck": {"zh": "卡组", "en": "deck"},
    "fact": {"zh": "事实", "en": "fact"},
}
# The stats table's heads and widths (negative: left-aligned), in terminal cells.
DECK_HEADS = {"zh": ("卡组", "卡片", "新卡", "到期"), "en": ("deck", "cards", "new", "due")}
DECK_WIDTHS = (-28, 5, 5, 5)


def kind_word(kind: str, lang: str) -> str:
    return say(KINDS, kind, lang) if kind in KINDS else kind


def kb_counts(claims: int, stories: int, cards: int, decks: int, lang: str) -> str:
    """'49 claims, 19 stories, 518 cards in 29 decks' (validate, stats)."""
    n = {"claims": count(claims, "claim", lang), "stories": count(stories, "story", lang), "cards": count(cards, "card", lang)}
    return say(WORDS, "kb_counts", lang, decks=count(decks, "deck", lang), **n)


def stats_lines(s: Mapping[str, Any], lang: str) -> list[str]:
    """The counts and what is due, before the next-due line."""
    counts = kb_counts(s["claims"], s["stories"], s["cards"], s["decks"], lang)
    due = {"due": s["due"], "new": s["new"], "stories": s["stories_due"], "reviews": s["reviews"], "anki": s["anki_reviews"]}
    return [say(WORDS, "archived", lang, counts=counts, n=s["archived_cards"]), say(WORDS, "due", lang, leeches=len(s["leeches"]), **due)]


def deck_table(per_deck: Iterable[Mapping[str, Any]], lang: str) -> list[str]:
    """The per-deck table, its heads in `lang`, padded by cells."""
    heads = DECK_HEADS["zh" if lang == "zh" else "en"]
    lines = [" ".join(pad(h, w) for h, w in zip(heads, DECK_WIDTHS, strict=True))]
    for d in per_deck:
        lines.append(" ".join(pad(str(d[k]), w) for k, w in zip(("deck", "cards", "new", "due"), DECK_WIDTHS, strict=True)))
    return lines


def claim_line(r: Mapping[str, Any], lang: str) -> str:
    """A claim in `prep list claims`: id, risk, how many stories and cards back it, text."""
    backing = say(WORDS, "claim_row", lang, stories=r["stories"], cards=r["cards"])
    return f"{r['id']:<24} {pad(code_word('risk', r['risk'], lang), -6)} {backing}  {r['text']}"


def story_line(r: Mapping[str, Any], lang: str) -> str:
    return f"{r['id']:<32} {say(WORDS, 'story_row', lang, minutes=r['minutes'])}  {r['title']}"


def listed(n: int, what: str, lang: str) -> str:
    """The count `prep list` ends with on stderr: '518 cards', '518 张卡'."""
    noun = {"cards": "card", "stories": "story", "claims": "claim"}[what]
    return count(n, noun, lang) if lang == "zh" else f"{n} {what}"


def unfinished_note(where: str, kind: str, item_id: str, fields: list[str], lang: str) -> str:
    """`prep validate`'s note on an item still holding the hints `prep new` wrote."""
    return say(WORDS, "unfinished", lang, where=where, kind=kind_word(kind, lang), id=item_id, fields=", ".join(fields))
