"""`prep confirm`: walk the assumptions written for you, one by one, and confirm them."""

from __future__ import annotations

import click

from prep.cli.base import Ctx, emit_json, lang_option, resolve_lang
from prep.errors import PrepError
from prep.kb.vocab import say

CHOICES = {
    "zh": {"t": "照原文属实", "r": "替换文字", "s": "跳过", "q": "退出"},
    "en": {"t": "true as written", "r": "replace the text", "s": "skip", "q": "quit"},
}
WORDS: dict[str, dict[str, str]] = {
    "to_confirm": {"zh": "{n} 处待确认。", "en": "{n} to confirm."},
    "nothing": {"zh": "没有需要确认的。", "en": "Nothing to confirm."},
    "head": {"zh": "[{n}/{total}] {where}  {item}（条目 {claim}）", "en": "[{n}/{total}] {where}  {item}  (claim {claim})"},
    "assumed": {"zh": "    假设：", "en": "    assumed: "},
    "truth": {"zh": "    实际情况", "en": "    the truth"},
    "done": {"zh": "\n已确认 {n} 处；运行 `prep audit` 查看还剩什么。", "en": "\n{n} confirmed; run `prep audit` to see what is left."},
}


@click.command()
@click.option("--claim", help="Only the assumptions of this claim.")
@click.option("--list", "as_list", is_flag=True, help="List them (file:line, text, context) and exit.")
@click.option("--json", "as_json", is_flag=True, help="List them as JSON and exit.")
@lang_option
@click.pass_obj
def confirm(obj: Ctx, claim, as_list, as_json, lang):
    """Walk the assumptions (`[..]{.assumed}` spans, assumed facts) one by one: confirm
    each as written, replace it with the truth, or skip it. Each answer edits one line of
    the knowledge base (the marker goes, the text stays or is replaced).

    Example: prep confirm --claim meican.scheduler
    """
    from prep.audit.assumptions import to_confirm

    db, _ = obj.synced()
    if claim and not db.execute("SELECT 1 FROM claims WHERE id = ? AND archived = 0", [claim]).fetchone():
        raise PrepError(f"unknown claim '{claim}'", zh=f"没有条目 '{claim}'")
    lang = resolve_lang(obj, lang)
    items = to_confirm(db, lang, claim)
    if as_json:
        emit_json([a.to_dict() for a in items])
        return
    if as_list or not items:
        for a in items:
            click.echo(f"{a.file}:{a.line}: {a.item}: {a.text}" + (f"\n    {a.context}" if a.context else ""))
        click.echo(say(WORDS, "to_confirm", lang, n=len(items)) if items else say(WORDS, "nothing", lang))
        return
    _walk(obj, items, lang)


def _walk(obj: Ctx, items, lang: str) -> None:
    """Ask about each assumption in turn; each answer edits one line."""
    from prep.audit.confirm import ConfirmError
    from prep.audit.confirm import confirm as do_confirm

    choices = CHOICES["zh" if lang == "zh" else "en"]
    done = 0
    for n, a in enumerate(items, 1):
        click.echo("")
        click.secho(say(WORDS, "head", lang, n=n, total=len(items), where=f"{a.file}:{a.line}", item=a.item, claim=a.claim), bold=True)
        if a.context:
            click.echo(f"    …{a.context}…")
        click.echo(say(WORDS, "assumed", lang) + click.style(a.text, fg="yellow"))
        options = {k: v for k, v in choices.items() if not (a.kind == "fact" and k == "r")}
        key = click.prompt(
            "    " + " / ".join(f"[{k}] {v}" for k, v in options.items()), type=click.Choice(list(options)), default="s", show_choices=False
        )
        if key == "q":
            break
        if key == "s":
            continue
        text = click.prompt(say(WORDS, "truth", lang), type=str) if key == "r" else None
        try:
            click.echo("    " + do_confirm(obj.kb.path, a, text))
            done += 1
        except ConfirmError as e:
            click.secho(f"    {e.text(lang)}", fg="red")
    click.echo(say(WORDS, "done", lang, n=done))
