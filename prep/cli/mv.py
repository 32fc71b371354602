"""`prep mv OLD NEW`: rename an id in the files and move its history with it."""

from __future__ import annotations

import re
from pathlib import Path

import click

from prep.cli.base import Ctx
from prep.cli.report import kind_word
from prep.errors import ContentErrors, PrepError
from prep.kb.vocab import count, say

KINDS = ("card", "claim", "story", "project", "fact")
WORDS: dict[str, dict[str, str]] = {
    "would_edit": {"zh": "将修改 {rel}：第 {lines} 行", "en": "would edit {rel}: {at}"},
    "would_move": {
        "zh": "将把{kind} '{old}' 的 {n} 次复习/模拟面试回答移到 '{new}'",
        "en": "would move {entries} (reviews and mock answers) of {kind} '{old}' to '{new}'",
    },
    "edited": {"zh": "已修改 {rel}：第 {lines} 行", "en": "edited {rel}: {at}"},
    "renamed": {
        "zh": "已把{kind} '{old}' 改名为 '{new}'：移动了 {reviews} 次复习{state}和 {mock} 个模拟面试回答。",
        "en": "Renamed {kind} '{old}' to '{new}': {review_count}{state} and {mock_answers} moved.",
    },
    "state": {"zh": "、FSRS 状态", "en": ", its FSRS state"},
    "anki_note": {
        "zh": "之前导出的 Anki 卡组还用旧 id 认它：重新导出，Anki 会把它作为新笔记加入。",
        "en": "An Anki deck exported before knows it by the old id: export again and Anki adds it as a new note.",
    },
}


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
def mv(obj: Ctx, old, new, dry_run):
    """Rename the id of a card, claim, story, project or fact: every file that names it is
    edited in place (comments and formatting kept) and its reviews, FSRS state and mock
    answers move to the new id in one transaction. If you already renamed it by hand and
    the sync archived the old id, this brings the history to the new one.

    Example: prep mv perf.p99 perf.p99-latency
    """
    from prep.index.db import transaction
    from prep.index.rename import history_count, known_kind, move
    from prep.index.sync import sync
    from prep.kb import loader, rename
    from prep.kb.models import ID_PATTERN

    root = obj.kb.path
    if not re.match(ID_PATTERN, new) or len(new) > 200:
        raise PrepError(
            f"'{new}' is not an id: lowercase letters, digits and . _ - (e.g. 'meican.scheduler')",
            zh=f"'{new}' 不是合法的 id：只能用小写字母、数字和 . _ -（例如 'meican.scheduler'）",
        )
    if old == new:
        raise PrepError("the old and the new id are the same", zh="新旧 id 相同")
    kb, _ = loader.build(root, [loader.parse_file(root, rel) for rel in loader.list_files(root)])
    where = {item_id: (kind, loc) for (kind, item_id), loc in kb.where.items()}
    db = obj.db
    kind = _kind(old, new, where, db, known_kind)
    edits = rename.plan(root, old, new) if old in where else []
    _check_result(root, edits)
    reviews = history_count(db, kind, old)
    lang = obj.lang
    named = kind_word(kind, lang)
    if dry_run:
        for e in edits:
            click.echo(_edit_line("would_edit", e, lang))
        click.echo(say(WORDS, "would_move", lang, n=reviews, entries=count(reviews, "history entry"), kind=named, old=old, new=new))
        return
    written = False
    try:
        with transaction(db):
            moved = move(db, kind, old, new)
            rename.write(root, edits)
            written = True
    except BaseException:
        if written:
            rename.undo(root, edits)
        raise
    sync(db, root)
    for e in edits:
        click.echo(_edit_line("edited", e, lang))
    state = say(WORDS, "state", lang) if moved.state else ""
    click.echo(
        say(
            WORDS,
            "renamed",
            lang,
            kind=named,
            old=old,
            new=new,
            reviews=moved.reviews,
            state=state,
            mock=moved.mock_answers,
            review_count=count(moved.reviews, "review"),
            mock_answers=count(moved.mock_answers, "mock answer"),
        )
    )
    if kind == "card":
        click.echo(say(WORDS, "anki_note", lang), err=True)


def _edit_line(key: str, e, lang: str) -> str:
    """An edit's file and lines: "line 3" or "lines 3, 5" (in zh "第 3, 5 行")."""
    lines = ", ".join(map(str, e.lines))
    return say(WORDS, key, lang, rel=e.rel, lines=lines, at=("line " if len(e.lines) == 1 else "lines ") + lines)


def _kind(old: str, new: str, where: dict, db, known_kind) -> str:
    """The kind of item `old` names, after refusing what cannot be renamed."""
    from prep.kb.spelling import did_you_mean

    if new in where:
        kind, (rel, line) = where[new]
        if old in where or kind not in KINDS:
            raise PrepError(f"'{new}' already exists: the {kind} at {rel}:{line}", zh=f"'{new}' 已存在：它是 {rel}:{line} 的{kind_word(kind, 'zh')}")
    if old in where:
        kind = where[old][0]
        if kind == "deck":
            raise PrepError(
                f"a deck's id is its file name: rename {where[old][1][0]} instead", zh=f"卡组的 id 就是它的文件名：请改名 {where[old][1][0]}"
            )
        if kind not in KINDS:
            raise PrepError(f"cannot rename a {kind}", zh=f"{kind_word(kind, 'zh')}不能改名")
        return kind
    # Renamed by hand already: the old id is archived in the database, the new one in the files.
    kind = known_kind(db, old)
    if kind is None:
        raise PrepError(f"no item has the id '{old}'" + did_you_mean(old, where), zh=f"没有任何一项的 id 是 '{old}'" + did_you_mean(old, where, "zh"))
    if new not in where:
        raise PrepError(
            f"'{old}' is no longer in the files (archived) and '{new}' is not in them either; nothing to move it to",
            zh=f"'{old}' 已不在文件里（已归档），'{new}' 也不在；没有可以移过去的地方",
        )
    if where[new][0] != kind:
        raise PrepError(
            f"'{old}' was a {kind} and '{new}' is a {where[new][0]}",
            zh=f"'{old}' 是{kind_word(kind, 'zh')}，而 '{new}' 是{kind_word(where[new][0], 'zh')}",
        )
    return kind


def _check_result(root: Path, edits) -> None:
    """The knowledge base after the edits must validate: a rename never leaves it broken."""
    from prep.kb import loader

    changed = {e.rel: e.after.encode("utf-8") for e in edits}
    parsed = [loader.parse_file(root, rel, changed.get(rel)) for rel in loader.list_files(root)]
    _, errors = loader.build(root, parsed)
    if errors:
        raise ContentErrors(errors)
