"""The content model: what a claim, a story, a card and a deck may hold.

Pydantic with `extra="forbid"` so a misspelt key is an error, not silently ignored
content; the same models publish the JSON Schemas editors use (`prep schema`).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

# The vocabulary and text helpers live in prep.kb.vocab (no pydantic there); re-exported for the content code.
from prep.kb.vocab import LANGS, REQUIRED_SECTIONS, STORY_SECTIONS, Kind, all_text, claim_text, count, pick  # noqa: F401

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
TAG_PATTERN = r"^[^\s]+$"


def _check_text(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("must not be empty")
        return value
    if isinstance(value, dict):
        unknown = set(value) - set(LANGS)
        if unknown:
            raise ValueError(f"{count(len(unknown), 'unknown language key')}: {sorted(unknown)}; use zh and/or en")
        if not value:
            raise ValueError("needs at least one of zh, en")
        for k, v in value.items():
            if not isinstance(v, str):
                raise ValueError(f"'{k}' must be a string")
            if not v.strip():
                raise ValueError(f"'{k}' must not be empty")
        return dict(value)
    raise ValueError("must be a string or a mapping {zh: ..., en: ...}")


_TEXT_SCHEMA = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ]
}

Text = Annotated[Any, BeforeValidator(_check_text), WithJsonSchema(_TEXT_SCHEMA)]
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=200)]
Tag = Annotated[str, Field(pattern=TAG_PATTERN, max_length=100)]
Risk = Literal["low", "medium", "high"]
Competency = Literal[
    "ownership",
    "design",
    "failure",
    "incident",
    "oncall",
    "conflict",
    "ambiguity",
    "performance",
    "scaling",
    "learning",
    "leadership",
    "communication",
    "delivery",
    "mentoring",
    "prioritization",
    "quality",
]


class Strict(BaseModel):
    # Schemas are built on first use: a resync of one deck needs Deck's (with Card's) alone,
    # and building all of them at import was ~20 ms of every command that loads the models.
    model_config = ConfigDict(extra="forbid", frozen=False, defer_build=True)


# "from 24 h to 5 minutes", "24 h -> 5 min", "从 800ms 降到 120ms": the figure changed.
_FROM_TO = re.compile(
    r"^\s*(?:(?:from|从)\s*(?P<a>.+?)\s*(?:\bto\b|->|→|降到|降至|升到|提升到|提升至|增至|到)|(?P<b>.+?)\s*(?:->|→))\s*(?P<to>\S.*?)\s*$",
    re.I,
)


class Figure(Strict):
    """A figure the claim asserts. `value` is the figure as the resume states it now;
    `from` what it was before the change (`from: 24 h`, `to: 5 minutes`, or written
    `value: from 24 h to 5 minutes`); `other_version` how the other version of the
    resume worded the same figure (not an old value)."""

    model_config = ConfigDict(populate_by_name=True)

    value: str = Field(min_length=1)
    from_: str | None = Field(None, alias="from", min_length=1)
    other_version: str | None = None
    note: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if "before" in data and "other_version" not in data:
            data["other_version"] = data.pop("before")  # the old name; `prep validate` notes it
        if "to" in data and "value" not in data:
            data["value"] = data.pop("to")
        value = data.get("value")
        if isinstance(value, str) and "from" not in data and "from_" not in data:
            m = _FROM_TO.match(value)
            if m:
                data["from"], data["value"] = (m.group("a") or m.group("b")).strip(), m.group("to")
        return data


def _figure(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


FactStatus = Literal["confirmed", "assumed"]
GIST_MAX = 240


class Fact(Strict):
    """One statement about the candidate's own system that every story and card must agree with.

    `assumed` means written on the candidate's behalf: to confirm or correct before the interview.
    Stories and cards cite it as `{{fact:ID}}`, which renders to the fact's text.
    """

    id: Id
    text: Text
    figure: str | None = None
    status: FactStatus
    source: str | None = None


def _check_gist(value: Any) -> Any:
    value = _check_text(value)
    for lang_text in [value] if isinstance(value, str) else value.values():
        if not lang_text.strip():
            raise ValueError("must not be empty")
        if len(lang_text) > GIST_MAX:
            raise ValueError(f"is {len(lang_text)} characters; a gist is at most {GIST_MAX}")
    return value


_GIST_TEXT = {"type": "string", "minLength": 1, "maxLength": GIST_MAX}
_GIST_SCHEMA = {
    "oneOf": [
        _GIST_TEXT,
        {"type": "object", "properties": {"zh": _GIST_TEXT, "en": _GIST_TEXT}, "additionalProperties": False, "minProperties": 1},
    ]
}
Gist = Annotated[Any, BeforeValidator(_check_gist), WithJsonSchema(_GIST_SCHEMA)]


class Claim(Strict):
    id: Id
    text: Text
    en: str | None = None
    source: Literal["after", "before"] = "after"
    before: str | None = None
    numbers: list[Annotated[str | Figure, BeforeValidator(_figure)]] = []
    tech: list[str] = []
    risk: Risk = "medium"
    notes: Text | None = None
    facts: list[Fact] = []

    @field_validator("numbers", mode="after")
    @classmethod
    def _figures(cls, value: list) -> list[Figure]:
        # A bare string is shorthand for {value: ...}; downstream code sees Figures only.
        return [Figure.model_validate({"value": v}) if isinstance(v, str) else v for v in value]


class Project(Strict):
    id: Id
    company: Text
    name: Text | None = None
    role: Text | None = None
    period: str | None = None
    stack: list[str] = []
    before: Text | None = None
    after: Text | None = None
    claims: list[Claim] = []


class Candidate(Strict):
    name: Text | None = None
    summary: Text | None = None


class Resume(Strict):
    """`stories/resume.yaml`."""

    candidate: Candidate | None = None
    # The resume's "Skills:" / "技术栈" line: what it lists beyond any one project's `stack`.
    # The audit says which have nothing to study.
    skills: list[Annotated[str, Field(min_length=1)]] = []
    projects: list[Project] = []


class Card(Strict):
    id: Id
    q: Text
    a: Text
    gist: Gist | None = None
    claims: list[Id] = []
    tags: list[Tag] = []
    kind: Kind = "concept"
    difficulty: int = Field(3, ge=1, le=5, strict=True)  # `true` or '3' is a typo, not a 1 or a 3
    followups: list[Id] = []
    source: str | None = None


class Deck(Strict):
    """`decks/<deck-id>.yaml`."""

    name: Text
    project: Id | None = None
    description: Text | None = None
    cards: list[Card] = []


class StoryFront(Strict):
    """The YAML front matter of `stories/<story>.md`."""

    id: Id
    title: Text
    claims: list[Id] = []
    competencies: list[Competency] = []
    minutes: float = Field(2, gt=0, le=60)
    tags: list[Tag] = []
    lang: Literal["zh", "en"] = "zh"


class FollowUp(BaseModel):
    model_config = ConfigDict(defer_build=True)  # as Strict's: built with Story, when a story is read

    question: Text
    notes: Text | None = None


class Story(StoryFront):
    """A parsed story: front matter plus sections (each a Text)."""

    sections: dict[str, Any] = {}
    followups: list[FollowUp] = []


SCHEMAS: dict[str, type[BaseModel]] = {"resume": Resume, "deck": Deck, "story-front-matter": StoryFront}
