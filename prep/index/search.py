"""Full-text search over cards, stories and claims, in two scripts at once.

The FTS5 index uses the trigram tokenizer so Chinese substrings are found (unicode61
cannot split Chinese into words). Trigrams know no word boundaries, so a Latin term would
also match inside longer words (`TB` in "hear**tb**eat"); each Latin term is therefore
checked as a whole word by a SQL function (`prep_word`) in the same query, so LIMIT still
applies in SQLite. CJK terms stay substrings. The snippet is cut around the first real hit
here rather than by FTS5's `snippet()`, which would highlight trigram hits inside words
and has nothing to cut around for terms under three characters (matched by LIKE).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from prep.index.conn import Database
from prep.index.db import loads
from prep.kb import marks
from prep.kb.vocab import char_cells as _cells
from prep.kb.vocab import claim_text, pick

if TYPE_CHECKING:
    from prep.index.views import SearchHit

_TERM = re.compile(r'"([^"]+)"|(\S+)')
# CJK, Hangul, compatibility ideographs, full-width forms. Checked by hand: as a regex
# class this costs ~4 ms to compile, which every command importing the index paid.
_CJK = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
# A Latin word ends where Latin letters and digits end: "Kafka的" still holds the word Kafka.
_LATIN = r"A-Za-z0-9_\u00c0-\u024f"
SNIPPET_CELLS = 72


def has_cjk(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _CJK)


def terms(query: str) -> list[str]:
    return [a or b for a, b in _TERM.findall(query)]


@functools.lru_cache(maxsize=256)
def term_pattern(term: str) -> re.Pattern[str]:
    """Case-insensitive; whole word for a Latin term, substring for one with CJK in it."""
    body = re.escape(term)
    if has_cjk(term):
        return re.compile(body, re.IGNORECASE)
    # The word's own text first, its left edge checked after it (`go(?<![L]go)`, not
    # `(?<![L])go`): the same matches, but the engine can scan for the literal, which
    # halved a short term's check, run on every row its LIKE lets through.
    left = f"(?<![{_LATIN}]{body})" if re.match(f"[{_LATIN}]", term[0]) else ""
    right = f"(?![{_LATIN}])" if re.match(f"[{_LATIN}]", term[-1]) else ""
    return re.compile(body + left + right, re.IGNORECASE)


def _word(title: str | None, body: str | None, term: str) -> bool:
    """Whether `term` is a whole word of the title or the body: one call per row (SQLite's
    calls into Python, and the text each converts, were half the check's cost)."""
    search = term_pattern(term).search
    return bool(title and search(title)) or bool(body and search(body))


def _register(conn: sqlite3.Connection) -> None:
    conn.create_function("prep_word", 3, _word, deterministic=True)


def search(
    db: Database,
    query: str,
    *,
    limit: int = 50,
    types: tuple[str, ...] = (),
    lang: str | None = None,
) -> list[SearchHit]:
    """Every term must match. Terms of 3+ characters narrow by the trigram index, shorter
    ones (two Chinese characters are common: 对账) by LIKE; Latin terms must be whole words.
    With `lang`, each hit's title is the item's own in that language (the index holds both)."""
    words = terms(query)
    if not words:
        return []
    _register(db.conn)
    where: list[str] = []
    params: list[Any] = []
    long_terms = [t for t in words if len(t) >= 3]
    if long_terms:
        where.append("search MATCH ?")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
    for t in words:
        if len(t) < 3:
            where.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
            like = "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [like, like]
        if not has_cjk(t):
            where.append("prep_word(title, body, ?)")
            params.append(t)
    if types:
        where.append(f"type IN ({','.join('?' * len(types))})")
        params += list(types)
    order = "rank" if long_terms else "type, id"
    sql = f"SELECT type, id, title, body FROM search WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    params.append(limit)
    hits: list[SearchHit] = []
    readable = _Readable(db, lang or "zh")
    for kind, item_id, title, body in db.execute(sql, params):
        # A claim's own sentence is what matched, not its notes or tech list; a card's or
        # story's title is shown anyway, so its snippet comes from the answer or the sections.
        title, body = readable(title), readable(body)
        columns = (title, body) if kind == "claim" else (body, title)
        snippet, marks = cut_snippet(columns, words)
        hits.append({"type": kind, "id": item_id, "title": title.split("\n")[0], "snippet": snippet, "marks": marks})
    if lang:
        titles = _titles(db, hits, lang)
        for hit in hits:
            hit["title"] = titles.get((hit["type"], hit["id"])) or hit["title"]
    return hits


_EMPHASIS = re.compile(r"(\*\*|__|`)")


class _Readable:
    """Index text as a reader sees it in a snippet: fact citations resolved to the facts'
    text, assumption spans and Markdown emphasis reduced to their words. The facts are
    loaded only when a hit cites one."""

    def __init__(self, db: Database, lang: str):
        self.db, self.lang = db, lang
        self._cite: Callable[[str, str], str] | None = None

    def __call__(self, text: str | None) -> str:
        if not text:
            return text or ""
        if "{{" in text:
            if self._cite is None:
                from prep.index.facts import Citations

                self._cite = Citations(self.db)
            text = self._cite(text, self.lang)
        return _EMPHASIS.sub("", marks.plain(text))


_TITLE_SQL = {
    "card": "SELECT id, q, NULL FROM cards WHERE id IN ({})",
    "story": "SELECT id, title, NULL FROM stories WHERE id IN ({})",
    "claim": "SELECT id, text, en FROM claims WHERE id IN ({})",
}


def _titles(db: Database, hits: list[SearchHit], lang: str) -> dict[tuple[str, str], str]:
    """Each hit's title in `lang`, read from its item (one query per type)."""
    out: dict[tuple[str, str], str] = {}
    for kind, sql in _TITLE_SQL.items():
        ids = [h["id"] for h in hits if h["type"] == kind]
        if not ids:
            continue
        for item_id, text, en in db.execute(sql.format(",".join("?" * len(ids))), ids):
            title = claim_text(loads(text), en, lang) if kind == "claim" else pick(loads(text), lang)
            out[(kind, item_id)] = " ".join(title.split("\n")[0].split())
    return out


def _inside_word(text: str, i: int) -> bool:
    """Whether a cut at `i` splits a Latin word (CJK can be cut between any two characters)."""
    latin = re.compile(f"[{_LATIN}]")
    return bool(latin.match(text[i - 1]) and latin.match(text[i]))


def hit_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    spans = sorted(m.span() for w in words for m in term_pattern(w).finditer(text))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def cut_snippet(
    columns: tuple[str, str],
    words: list[str],
    cells: int = SNIPPET_CELLS,
) -> tuple[str, list[tuple[int, int]]]:
    """The text around the first hit (in the first column that has one), about `cells`
    terminal cells wide, and where each hit is in it (start, end), for highlighting."""
    for column in columns:
        text = " ".join((column or "").split())
        spans = hit_spans(text, words)
        if spans:
            break
    else:
        text, spans = " ".join((columns[0] or columns[1] or "").split()), []
    at = spans[0][0] if spans else 0
    start = at
    budget = cells // 3  # keep about a third of the width before the hit
    while start > 0 and budget - _cells(text[start - 1]) >= 0:
        start -= 1
        budget -= _cells(text[start])
    if start > 0 and _inside_word(text, start) and " " in text[start:at]:
        start = text.index(" ", start) + 1  # do not open mid-word
    end, used = start, 0
    while end < len(text) and used + (w := _cells(text[end])) <= cells:
        used += w
        end += 1
    if end < len(text) and _inside_word(text, end) and " " in text[max(at + 1, start) : end]:
        end = text.rindex(" ", max(at + 1, start), end)
    lead = "…" if start > 0 else ""
    snippet = lead + text[start:end].strip() + ("…" if end < len(text) else "")
    shift = len(lead) - start - (len(text[start:end]) - len(text[start:end].lstrip()))
    marks = [(max(s + shift, len(lead)), min(e + shift, len(snippet))) for s, e in spans if s >= start and e <= end]
    return snippet, marks


def highlighted(hit: SearchHit, before: str = "[", after: str = "]") -> str:
    """The snippet with its hits between markers (for plain-text output)."""
    out, pos = [], 0
    text = hit["snippet"]
    for s, e in hit["marks"]:
        out += [text[pos:s], before, text[s:e], after]
        pos = e
    return "".join([*out, text[pos:]])
