"""`prep confirm`: walk the assumptions written for you, one by one, and confirm them."""

from __future__ import annotations

import click

from prep.cli.base import Ctx, emit_json, lang_option, resolve_lang
from prep.errors import PrepError

CHOICES = {"t": "true as written", "r": "replace the text", "s": "skip", "q": "quit"}


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
    from prep.audit.confirm import ConfirmError
    from prep.audit.confirm import confirm as do_confirm

    db, _ = obj.synced()
    if claim and not db.execute("SELECT 1 FROM claims WHERE id = ? AND archived = 0", [claim]).fetchone():
        raise PrepError(f"unknown claim '{claim}'", zh=f"没有条目 '{claim}'")
    items = to_confirm(db, resolve_lang(obj, lang), claim)
    if as_json:
        emit_json([a.to_dict() for a in items])
        return
    if as_list or not items:
        for a in items:
            click.echo(f"{a.file}:{a.line}: {a.item}: {a.text}" + (f"\n    {a.context}" if a.context else ""))
        click.echo(f"{len(items)} to confirm." if items else "Nothing to confirm.")
        return
    done = 0
    for n, a in enumerate(items, 1):
        click.echo("")
        click.secho(f"[{n}/{len(items)}] {a.file}:{a.line}  {a.item}  (claim {a.claim})", bold=True)
        if a.context:
            click.echo(f"    …{a.context}…")
        click.echo("    assumed: " + click.style(a.text, fg="yellow"))
        options = {k: v for k, v in CHOICES.items() if not (a.kind == "fact" and k == "r")}
        key = click.prompt(
            "    " + " / ".join(f"[{k}] {v}" for k, v in options.items()), type=click.Choice(list(options)), default="s", show_choices=False
        )
        if key == "q":
            break
        if key == "s":
            continue
        text = click.prompt("    the truth", type=str) if key == "r" else None
        try:
            click.echo("    " + do_confirm(obj.kb.path, a, text))
            done += 1
        except ConfirmError as e:
            click.secho(f"    {e}", fg="red")
    click.echo(f"\n{done} confirmed; run `prep audit` to see what is left.")
