"""The knowledge base as one Markdown document: to print, read on a phone, or feed
to other tools. Ordered the way an interviewer reads a resume: project, claim, then
the stories and cards that back it, with figures and how to defend them."""

from __future__ import annotations

from prep.export.item import Detail, render
from prep.export.render import neutralize_html
from prep.index import read
from prep.index.conn import Database
from prep.index.views import CardView, StoryView
from prep.kb.marks import LEGEND, MARK_OPEN

# A project heads its claims (level 2), a claim its stories and cards (level 3, then 4).
PROJECT = Detail(level=2, where=False, links=False, history=False)
CLAIM = Detail(level=3, where=False, links=False, history=False)
ITEM = Detail(level=4, where=False, links=False, history=False)


def document(db: Database, *, lang: str = "zh", deck=None, claim=None, tag=None, kind=None) -> tuple[str, int, int]:
    """(markdown, cards, stories) for the selection."""
    cards = read.list_cards(db, deck=deck, claim=claim, tag=tag, kind=kind, lang=lang)
    wanted = {c["id"] for c in cards}
    stories = read.list_stories(db, deck=deck, claim=claim, tag=tag, kind=kind, lang=lang)
    story_ids = {s["id"] for s in stories}
    out = ["# Interview prep", ""]
    done_cards: set[str] = set()
    done_stories: dict[str, str] = {}  # a story backing several claims is printed once
    for project in db.execute("SELECT id FROM projects WHERE archived = 0 ORDER BY position").fetchall():
        p = read.show_project(db, project[0], lang)
        if p is None:
            continue
        claims = [c for c in (read.show_claim(db, cid, lang) for cid in p["claims"] if not claim or cid == claim) if c]
        claims = [c for c in claims if any(x["id"] in wanted for x in c["cards"]) or any(s["id"] in story_ids for s in c["stories"])]
        if not claims:
            continue
        out += [render(p, PROJECT, lang), ""]
        for c in claims:
            out += [render(c, CLAIM, lang), ""]
            for s in stories:
                if s["id"] not in {x["id"] for x in c["stories"]}:
                    continue
                if s["id"] in done_stories:
                    out += [f"*Story: {s['title']} (above, under {done_stories[s['id']]})*", ""]
                else:
                    done_stories[s["id"]] = c["id"]
                    out += _story(read.show_story(db, s["id"], lang), lang)
            for card in c["cards"]:
                if card["id"] in wanted and card["id"] not in done_cards:
                    done_cards.add(card["id"])
                    out += _card(read.show_card(db, card["id"], lang), lang)
    rest = [c for c in cards if c["id"] not in done_cards]
    if rest:
        out += ["## Other cards", ""]
        for row in rest:
            out += _card(read.show_card(db, row["id"], lang), lang)
    if any(MARK_OPEN in part for part in out):
        out[1:1] = [f"*{LEGEND.get(lang, LEGEND['en'])}*", ""]
    return neutralize_html("\n".join(out).rstrip() + "\n"), len(cards), len(stories)


def _card(c: CardView | None, lang: str) -> list[str]:
    return [render(c, ITEM, lang), ""] if c else []


def _story(s: StoryView | None, lang: str) -> list[str]:
    return [render(s, ITEM, lang), ""] if s else []
