"""`prep new card|story|claim ID`: a new item in the right file, its fields commented."""

from __future__ import annotations

import re

import click

from prep.cli.base import Ctx
from prep.cli.report import kind_word
from prep.errors import PrepError
from prep.kb.vocab import count, say

WORDS: dict[str, dict[str, str]] = {
    "added": {
        "zh": "已添加{kind} '{id}'，位于 {rel}:{line}；在那里编辑，然后运行 `prep validate`",
        "en": "added {kind} '{id}' at {rel}:{line}; edit it there, then `prep validate`",
    },
}


@click.command()
@click.argument("kind", type=click.Choice(["card", "story", "claim"]))
@click.argument("item_id", metavar="ID")
@click.option("--deck", help="The deck a card goes into (its file name without .yaml).")
@click.option("--project", help="The project a claim goes into (default: the only one).")
@click.option("--claim", "claims", multiple=True, help="A claim the new card or story backs (repeatable).")
@click.pass_obj
def new(obj: Ctx, kind, item_id, deck, project, claims):
    """Add a card (to a deck), a claim (to a project in the resume) or a story (its own
    file, stories/ID.md), with every field commented; the id is checked first. Its text
    fields hold hints to replace: `prep audit` lists the item as unfinished until they are.

    Example: prep new card --deck kafka --claim northwind.cdc kafka.exactly-once
    """
    from prep.index.suggest import unknown
    from prep.kb import loader
    from prep.kb import new as scaffold
    from prep.kb.models import ID_PATTERN

    root = obj.kb.path
    if not re.match(ID_PATTERN, item_id) or len(item_id) > 200:
        raise PrepError(
            f"'{item_id}' is not an id: lowercase letters, digits and . _ - (e.g. 'meican.scheduler')",
            zh=f"'{item_id}' 不是合法的 id：只能用小写字母、数字和 . _ -（例如 'meican.scheduler'）",
        )
    kb, errors = loader.build(root, [loader.parse_file(root, rel) for rel in loader.list_files(root)])
    taken = {i: (k, loc) for (k, i), loc in kb.where.items()}
    if item_id in taken:
        k, (rel, line) = taken[item_id]
        raise PrepError(f"'{item_id}' already exists: the {k} at {rel}:{line}", zh=f"'{item_id}' 已存在：它是 {rel}:{line} 的{kind_word(k, 'zh')}")
    for c in claims:
        if c not in kb.claims:
            raise unknown("claim", c, kb.claims, "see `prep list claims`", "见 `prep list claims`")
    lang = obj.lang
    if kind == "card":
        decks = ", ".join(sorted(kb.decks))
        if not deck:
            raise PrepError(f"a card goes into a deck: --deck D (one of: {decks})", zh=f"卡要放进一个卡组：--deck D（可选：{decks}）")
        if deck not in kb.decks:
            raise unknown("deck", deck, kb.decks, f"decks: {decks}", f"卡组：{decks}")
        rel, text = scaffold.add_card(root, deck, item_id, lang)
        if claims:
            text = text.replace("  claims: []                    # the claims", f"  claims: [{', '.join(claims)}]  # the claims", 1)
    elif kind == "claim":
        project = project or (next(iter(kb.projects)) if len(kb.projects) == 1 else None)
        projects = ", ".join(kb.projects)
        if not project:
            raise PrepError(f"which project? --project P (one of: {projects})", zh=f"哪个项目？--project P（可选：{projects}）")
        if project not in kb.projects:
            raise unknown("project", project, kb.projects, f"projects: {projects}", f"项目：{projects}")
        rel, text = scaffold.add_claim(root, project, item_id, lang)
    else:
        rel = f"stories/{item_id}.md"
        if (root / rel).exists():
            raise PrepError(f"{rel} already exists", zh=f"{rel} 已存在")
        text = scaffold.story_text(item_id, lang, list(claims))
    if errors:
        raise PrepError(
            f"the knowledge base has {count(len(errors), 'error')} already; fix them first (prep validate)",
            zh=f"知识库里已经有 {len(errors)} 处错误；先修好它们（prep validate）",
        )
    scaffold.check(root, rel, text, kind, item_id)
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index(next(ln for ln in text.split("\n") if re.search(rf"\bid: {re.escape(item_id)}\b", ln))) + 1
    click.echo(say(WORDS, "added", lang, kind=kind_word(kind, lang), id=item_id, rel=rel, line=line))
