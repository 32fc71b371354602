"""Scaffold one new item where it belongs, with its fields commented.

`prep new card --deck D ID` appends to the deck, `prep new claim --project P ID` to the
project's claims in the resume, `prep new story ID` writes `stories/ID.md`. The text is
inserted, never re-dumped, so the file's comments and layout stay; the result must
validate (a deck whose `cards:` is not its last key is refused, not corrupted).
"""

from __future__ import annotations

from pathlib import Path

from prep.errors import ContentErrors, PrepError
from prep.kb import loader
from prep.kb.placeholders import hint
from prep.kb.yamlsrc import path_key


def _text(lang: str, hint: str) -> str:
    return f'{{{lang}: "{hint}"}}'


def card_block(card_id: str, lang: str, indent: str) -> str:
    q, a = hint("card.q", lang), hint("card.a", lang)
    lines = [
        f"- id: {card_id}                # stable id: edit the text freely, history is kept",
        f"  q: {_text(lang, q)}",
        "  a: |                          # the full answer (study notes)",
        f"    {a}",
        '  # gist: "..."                 # the answer in one breath (at most 240 characters)',
        "  claims: []                    # the claims this card helps you defend",
        "  tags: []                      # no spaces",
        "  kind: concept                 # concept | design | defend-the-number | behavioural | trivia",
        "  difficulty: 3                 # 1..5",
        "  followups: []                 # card ids the interviewer asks next",
        '  # source: "..."               # what it was checked against',
    ]
    return "\n".join(indent + line for line in lines) + "\n"


def claim_block(claim_id: str, lang: str, indent: str) -> str:
    text = hint("claim.text", lang)
    lines = [
        f"- id: {claim_id}               # stable id: cards and stories link to it",
        f'  text: "{text}"',
        "  numbers: []                   # every figure it asserts: 2000 tasks, {from: 24 h, to: 5 minutes}",
        "  tech: []",
        "  risk: medium                  # low | medium | high: how hard an interviewer will probe",
        '  # notes: "..."                # what an interviewer would catch, how to answer',
        "  # facts: []                    # the one design every story and card agrees with",
    ]
    return "\n".join(indent + line for line in lines) + "\n"


def story_text(story_id: str, lang: str, claims: list[str]) -> str:
    title = hint("story.title", lang)
    heads = tuple(hint(f"story.{name}", lang) for name in ("Situation", "Task", "Action", "Result"))
    return "\n".join(
        [
            "---",
            "# A STAR story: about two minutes aloud. Mark anything you are not sure of as [text]{.assumed}.",
            f"id: {story_id}",
            f"title: {_text(lang, title)}",
            f"claims: [{', '.join(claims)}]          # the claims this story backs",
            "competencies: []               # ownership, design, failure, incident, conflict, performance, ...",
            "minutes: 2",
            f"lang: {lang}",
            "---",
            "## Situation",
            heads[0],
            "",
            "## Task",
            heads[1],
            "",
            "## Action",
            heads[2],
            "",
            "## Result",
            heads[3],
            "",
            "## Follow-ups",
            "",
            "## Lessons",
            "",
        ]
    )


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def add_card(root: Path, deck_id: str, card_id: str, lang: str) -> tuple[str, str]:
    """(file, new text) with the card appended to the deck."""
    rel = f"decks/{deck_id}.yaml"
    p = loader.parse_file(root, rel)
    text = (root / rel).read_text(encoding="utf-8")
    lines = text.split("\n")
    cards = p.raw.get("cards") if isinstance(p.raw, dict) else None
    if cards:
        first = p.lines.get(path_key(("cards", 0)), 0)
        indent = _indent_of(lines[first - 1]) if first else "  "
    else:
        indent = "  "
        at = p.lines.get("cards", 0)
        if at:
            lines[at - 1] = lines[at - 1].split("cards:")[0] + "cards:"
        else:
            lines.append("cards:")
    body = "\n".join(lines).rstrip("\n") + "\n" + card_block(card_id, lang, indent)
    return rel, body


def add_claim(root: Path, project_id: str, claim_id: str, lang: str) -> tuple[str, str]:
    """(file, new text) with the claim added at the end of the project's claims."""
    rel = loader.RESUME
    p = loader.parse_file(root, rel)
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    projects = p.raw.get("projects", []) if isinstance(p.raw, dict) else []
    i = next(n for n, proj in enumerate(projects) if isinstance(proj, dict) and proj.get("id") == project_id)
    nxt = p.lines.get(path_key(("projects", i + 1)), 0)
    end = (nxt - 1) if nxt else len(lines)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    claims = projects[i].get("claims")
    proj_line = lines[p.lines[path_key(("projects", i))] - 1]
    key_indent = " " * (len(proj_line) - len(proj_line.lstrip(" -")))
    if claims:
        indent = _indent_of(lines[p.lines[path_key(("projects", i, "claims", 0))] - 1])
        insert = claim_block(claim_id, lang, indent).rstrip("\n").split("\n")
    else:
        at = p.lines.get(path_key(("projects", i, "claims")), 0)
        if at:
            lines[at - 1] = lines[at - 1].split("claims:")[0] + "claims:"
            end = max(end, at)
        else:
            lines.insert(end, f"{key_indent}claims:")
            end += 1
        insert = claim_block(claim_id, lang, key_indent + "  ").rstrip("\n").split("\n")
    lines[end:end] = insert
    return rel, "\n".join(lines)


def check(root: Path, rel: str, text: str, kind: str, item_id: str) -> None:
    """The knowledge base with `text` in `rel` must validate and hold the new item."""
    parsed = [loader.parse_file(root, r, text.encode("utf-8") if r == rel else None) for r in loader.list_files(root)]
    if rel not in loader.list_files(root):
        parsed.append(loader.parse_file(root, rel, text.encode("utf-8")))
    kb, errors = loader.build(root, parsed)
    if errors:
        raise ContentErrors(errors)
    if (kind, item_id) not in kb.where or kb.where[(kind, item_id)][0] != rel:
        raise PrepError(f"{rel}: could not add the {kind} at the end of the file (is `cards:`/`claims:` not the last key?); add it by hand")
