"""Mock-interview profiles: what a round of a given type asks, as data.

A profile is a list of slots ("1 deep-dive on a high-risk claim, 2 STAR prompts,
4 technical questions") with a time budget. The built-in ones live here as plain
data; a user adds or overrides profiles with YAML files in `<kb>/profiles/` or
`<data dir>/profiles/` (the file name is the profile id), checked as strictly as
the content files so a typo is reported as `file:line: field: message`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from prep.errors import ContentError, ContentErrors, PrepError
from prep.kb.models import ID_PATTERN, Competency, Id, Kind, Risk, Strict, Tag, Text
from prep.mock.specs import describe, profile_dirs  # noqa: F401 (re-exported)

SlotKind = Literal["deep-dive", "story", "card"]


class Slot(Strict):
    """One kind of question in a round, `count` times."""

    kind: SlotKind
    count: int = Field(1, ge=0, le=50)
    minutes: float = Field(5, gt=0, le=120)  # per question
    label: Text | None = None
    depth: int = Field(3, ge=0, le=10)  # followups prepared for the interviewer
    risk: list[Risk] = []  # deep-dive: claims of these risks (empty: any)
    competencies: list[Competency] = []  # story: only stories showing one of these
    card_kinds: list[Kind] = []  # card: only these kinds (empty: any but behavioural)
    tags: list[Tag] = []  # card: only cards with one of these tags
    decks: list[Id] = []  # card: only cards of these decks
    skills: bool = False  # card: only cards tagged with a skill the resume lists (skills:, a project's stack)
    min_difficulty: int = Field(1, ge=1, le=5)
    max_difficulty: int = Field(5, ge=1, le=5)

    @model_validator(mode="after")
    def _range(self) -> Slot:
        if self.min_difficulty > self.max_difficulty:
            raise ValueError("min_difficulty is above max_difficulty")
        return self


class Profile(Strict):
    """`profiles/<id>.yaml`: a type of interview round."""

    title: Text
    description: Text | None = None
    minutes: float = Field(45, gt=0, le=600)
    no_repeat_sessions: int = Field(3, ge=0, le=1000)  # skip questions drawn in the last N mock sessions
    slots: list[Slot] = Field(min_length=1)


BUILTIN: dict[str, dict] = {
    "backend-onsite": {
        "title": {"zh": "后端现场面（45 分钟）", "en": "Backend onsite (45 min)"},
        "description": {"en": "A resume deep-dive on a high-risk claim with its followup chain, two STAR prompts, four technical questions."},
        "minutes": 45,
        "slots": [
            {"kind": "deep-dive", "count": 1, "minutes": 12, "risk": ["high"], "depth": 3, "label": {"zh": "简历深挖", "en": "Resume deep-dive"}},
            {"kind": "story", "count": 2, "minutes": 6, "depth": 2, "label": {"zh": "行为面", "en": "Behavioural"}},
            {
                "kind": "card",
                "count": 4,
                "minutes": 3.5,
                "depth": 2,
                "label": {"zh": "技术问题", "en": "Technical"},
                "card_kinds": ["concept", "design", "defend-the-number", "trivia"],
            },
        ],
    },
    "phone-screen": {
        "title": {"zh": "电话初筛（30 分钟）", "en": "Phone screen (30 min)"},
        "description": {"en": "One claim walk-through, one STAR prompt, three quick technical questions."},
        "minutes": 30,
        "slots": [
            {"kind": "deep-dive", "count": 1, "minutes": 8, "risk": ["high", "medium"], "depth": 2, "label": {"zh": "简历", "en": "Resume"}},
            {"kind": "story", "count": 1, "minutes": 7, "depth": 1, "label": {"zh": "行为面", "en": "Behavioural"}},
            {
                "kind": "card",
                "count": 3,
                "minutes": 5,
                "depth": 1,
                "max_difficulty": 3,
                "card_kinds": ["concept", "trivia", "defend-the-number"],
                "label": {"zh": "技术问题", "en": "Technical"},
            },
        ],
    },
    "data-engineering": {
        "title": {"zh": "数据工程现场面（45 分钟）", "en": "Data engineering onsite (45 min)"},
        "description": {"en": "A pipeline deep-dive on a high-risk claim, two data-design questions, three fundamentals, one STAR prompt."},
        "minutes": 45,
        "slots": [
            {
                "kind": "deep-dive",
                "count": 1,
                "minutes": 12,
                "risk": ["high", "medium"],
                "depth": 3,
                "label": {"zh": "数据链路深挖", "en": "Pipeline deep-dive"},
            },
            {
                "kind": "card",
                "count": 2,
                "minutes": 6,
                "depth": 2,
                "card_kinds": ["design", "defend-the-number"],
                "label": {"zh": "数据设计", "en": "Data design"},
            },
            {
                "kind": "card",
                "count": 3,
                "minutes": 3,
                "depth": 1,
                "card_kinds": ["concept", "trivia"],
                "label": {"zh": "基础", "en": "Fundamentals"},
            },
            {
                "kind": "story",
                "count": 1,
                "minutes": 6,
                "depth": 2,
                "competencies": ["ownership", "failure", "quality", "incident"],
                "label": {"zh": "行为面", "en": "Behavioural"},
            },
        ],
    },
    "behavioural": {
        "title": {"zh": "行为面（45 分钟）", "en": "Behavioural (45 min)"},
        "description": {"en": "Five STAR prompts across competencies and one behavioural card."},
        "minutes": 45,
        "slots": [
            {"kind": "story", "count": 5, "minutes": 7.5, "depth": 3, "label": {"zh": "STAR", "en": "STAR"}},
            {
                "kind": "card",
                "count": 1,
                "minutes": 7.5,
                "depth": 1,
                "card_kinds": ["behavioural"],
                "label": {"zh": "行为问题", "en": "Behavioural question"},
            },
        ],
    },
    "system-design": {
        "title": {"zh": "系统设计（60 分钟）", "en": "System design (60 min)"},
        "description": {"en": "A deep-dive on a system you built, then design questions drilled down."},
        "minutes": 60,
        "slots": [
            {
                "kind": "deep-dive",
                "count": 1,
                "minutes": 15,
                "risk": ["high", "medium"],
                "depth": 4,
                "label": {"zh": "你做过的系统", "en": "A system you built"},
            },
            {
                "kind": "card",
                "count": 3,
                "minutes": 15,
                "depth": 3,
                "card_kinds": ["design"],
                "min_difficulty": 3,
                "label": {"zh": "设计问题", "en": "Design"},
            },
        ],
    },
}


def _validate(raw, lines, rel: str) -> Profile:
    from prep.kb.loader import Parsed, _pydantic_errors
    from prep.kb.yamlsrc import line_for

    if not isinstance(raw, dict):
        raise ContentErrors([ContentError(rel, line_for(lines, ()) or 1, "", "the file must be a mapping of keys")])
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise ContentErrors(_pydantic_errors(Parsed(rel, "profile", raw, lines, []), exc)) from None


def load_file(path: Path, rel: str | None = None) -> Profile:
    """One user profile file, strictly checked."""
    from prep.kb.yamlsrc import parse_yaml, read_text

    rel = rel or str(path)
    if not re.match(ID_PATTERN, path.stem):
        raise ContentErrors([ContentError(rel, 0, "", "profile file names are ids: lowercase letters, digits and . _ -")])
    text, errors = read_text(path, rel)
    if errors or text is None:
        raise ContentErrors(errors)
    raw, lines, errors = parse_yaml(text, rel)
    if errors:
        raise ContentErrors(errors)
    return _validate(raw if raw is not None else {}, lines, rel)


MAX_DECK_SLOTS = 8


def from_decks(kb_root: Path | None) -> Profile | None:
    """`decks`: a round built from this KB's own topics, one technical question per deck
    (up to 8), after a deep-dive and a STAR prompt. Whatever the role, it asks what the
    KB covers; deck ids come from file names, so nothing is parsed."""
    folder = Path(kb_root) / "decks" if kb_root else None
    if folder is None or not folder.is_dir():
        return None
    decks = sorted(p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and re.match(ID_PATTERN, p.stem))
    if not decks:
        return None
    slots: list[dict] = [
        {"kind": "deep-dive", "count": 1, "minutes": 10, "depth": 3, "label": {"zh": "简历深挖", "en": "Resume deep-dive"}},
        {"kind": "story", "count": 1, "minutes": 6, "depth": 2, "label": {"zh": "行为面", "en": "Behavioural"}},
    ]
    slots += [{"kind": "card", "count": 1, "minutes": 4, "depth": 1, "decks": [d], "label": d} for d in decks[:MAX_DECK_SLOTS]]
    minutes = sum(s["count"] * s["minutes"] for s in slots)
    return Profile.model_validate(
        {
            "title": {"zh": f"本知识库的话题（{minutes:g} 分钟）", "en": f"This knowledge base's topics ({minutes:g} min)"},
            "description": {"en": "One question per deck of this knowledge base, after a deep-dive and a STAR prompt."},
            "minutes": minutes,
            "slots": slots,
        }
    )


def load_profiles(kb_root: Path | None = None) -> dict[str, Profile]:
    """Built-in profiles, overridden by user ones (data dir, then the knowledge base's)."""
    out = {pid: Profile.model_validate(data) for pid, data in BUILTIN.items()}
    generated = from_decks(kb_root)
    if generated is not None:
        out["decks"] = generated
    errors: list[ContentError] = []
    for folder, base in profile_dirs(kb_root):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yaml", ".yml") or path.name.startswith((".", "_")) or not path.is_file():
                continue
            try:
                out[path.stem] = load_file(path, str(path.relative_to(base)))
            except ContentErrors as e:
                errors += e.errors
    if errors:
        raise ContentErrors(errors)
    return out


def get_profile(name: str, kb_root: Path | None = None) -> Profile:
    profiles = load_profiles(kb_root)
    if name not in profiles:
        choices = ", ".join(sorted(profiles))
        raise PrepError(f"unknown profile '{name}'; one of: {choices}", zh=f"没有配置 '{name}'；可选：{choices}")
    return profiles[name]
