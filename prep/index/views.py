"""The shapes `prep.index.read` returns: typed read models of the index.

TypedDicts, not dataclasses: every caller already indexes them like dicts and the CLI
prints them as JSON unchanged, while mypy now checks each key. One shape per question
(a list row is lighter than the full item `show` returns). No `from __future__ import
annotations`: TypedDict turns string annotations into ForwardRefs, compiling each one,
which cost `prep show` and `prep draw` ~1 ms of start-up.
"""

from typing import Any, Literal, TypedDict


class ClaimRef(TypedDict):
    id: str
    text: str


class CardRef(TypedDict):
    id: str
    q: str


class StoryRef(TypedDict):
    id: str
    title: str


class ReviewState(TypedDict):
    due: str
    state: int
    reps: int
    lapses: int
    last_review: str | None
    leech: int


class HistoryEntry(TypedDict):
    reviewed_at: str
    rating: int
    duration_ms: int | None
    mode: str


class FigureRow(TypedDict, total=False):
    value: str
    before: str | None
    note: Any  # a Text: a string or {zh, en}


class StoryFollowUp(TypedDict):
    question: str
    notes: str


# --- list rows -------------------------------------------------------------------


class CardRow(TypedDict):
    id: str
    deck: str
    q: str
    kind: str
    difficulty: int
    claims: list[str]
    tags: list[str]
    followups: list[str]
    file: str
    line: int


class StoryRow(TypedDict):
    id: str
    title: str
    claims: list[str]
    competencies: list[str]
    minutes: float
    tags: list[str]
    file: str
    line: int


class ClaimRow(TypedDict):
    id: str
    project: str
    text: str
    risk: str
    numbers: list[str]
    tech: list[str]
    cards: int
    stories: int
    file: str
    line: int


class SearchHit(TypedDict):
    type: str
    id: str
    title: str
    snippet: str  # the text around the first hit, plain
    marks: list[tuple[int, int]]  # (start, end) of each hit in the snippet


class DeckStats(TypedDict):
    deck: str
    name: str
    cards: int
    new: int
    due: int


class Stats(TypedDict):
    cards: int
    stories: int
    claims: int
    decks: int
    archived_cards: int
    due: int
    new: int
    stories_due: int
    reviews: int
    anki_reviews: int  # of `reviews`, the ones imported from Anki
    leeches: list[str]
    per_deck: list[DeckStats]


# --- one item in full (`show`) -------------------------------------------------------


class CardView(TypedDict):
    type: Literal["card"]
    id: str
    deck: str
    q: str
    a: str
    gist: str  # '' when the card has none
    kind: str
    difficulty: int
    tags: list[str]
    source: str | None
    claims: list[ClaimRef]
    followups: list[CardRef]
    followup_of: list[str]
    archived: bool
    changed_at: str
    file: str
    line: int
    review: ReviewState | None
    history: list[HistoryEntry]


class StoryView(TypedDict):
    type: Literal["story"]
    id: str
    title: str
    minutes: float
    claims: list[ClaimRef]
    competencies: list[str]
    sections: dict[str, str]  # in STAR order
    followups: list[StoryFollowUp]
    archived: bool
    file: str
    line: int
    review: ReviewState | None
    history: list[HistoryEntry]


class FactView(TypedDict):
    id: str
    text: str
    figure: str | None
    status: str  # confirmed | assumed
    source: str | None
    file: str
    line: int


class ClaimView(TypedDict):
    type: Literal["claim"]
    id: str
    project: str
    text: str
    en: str | None
    source: str
    before: str | None
    risk: str
    numbers: list[FigureRow]
    tech: list[str]
    notes: str
    facts: list[FactView]
    stories: list[StoryRef]
    cards: list[CardRef]
    archived: bool
    file: str
    line: int


class ProjectView(TypedDict):
    type: Literal["project"]
    id: str
    company: str
    name: str
    role: str
    period: str | None
    stack: list[str]
    claims: list[str]


class DeckView(TypedDict):
    type: Literal["deck"]
    id: str
    name: str
    project: str | None
    description: str
    file: str
    cards: list[str]


ItemView = CardView | StoryView | ClaimView | ProjectView | DeckView
