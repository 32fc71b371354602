"""`prep optimize`: FSRS parameters fitted to your own review history."""

from __future__ import annotations

import click

from prep.cli.base import Ctx, emit_json
from prep.kb.vocab import pad, say

WORDS: dict[str, dict[str, str]] = {
    "reset": {"zh": "FSRS 参数已恢复默认值。", "en": "FSRS parameters reset to the defaults."},
    "fit": {
        "zh": "{reviews} 次复习，{items} 次预测（距上一次复习一天或更久的复习）",
        "en": "{reviews} reviews, {items} predictions (a review a day or more after the one before)",
    },
    "saved": {
        "zh": "已保存拟合的参数；调度从现在起使用它们（期望记忆率不变）。",
        "en": "Saved the fitted parameters; the scheduler uses them from now on (desired retention unchanged).",
    },
    "dry_run": {"zh": "试运行：什么都没保存。", "en": "Dry run: nothing saved."},
    "no_better": {
        "zh": "拟合的参数并不能更好地预测你的复习记录；没有改动。",
        "en": "The fitted parameters do not predict your history better; nothing changed.",
    },
}
# The comparison table: heads and row names (codes in --json), padded by terminal cells.
HEADS = {"zh": ("参数", "对数损失", "RMSE（分组）"), "en": ("parameters", "log loss", "RMSE (bins)")}
ROWS = {"zh": {"default": "默认", "saved": "已保存", "fitted": "拟合"}, "en": {"default": "default", "saved": "saved", "fitted": "fitted"}}


@click.command()
@click.option("--dry-run", is_flag=True, help="Fit and compare, but save nothing.")
@click.option("--reset", is_flag=True, help="Go back to the default FSRS parameters.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as a JSON object.")
@click.pass_obj
def optimize(obj: Ctx, dry_run, reset, as_json):
    """Fit FSRS to your reviews (needs a few hundred): prints the log loss and RMSE of the
    default and the fitted parameters on the same history, and saves the fitted ones only
    when they predict it better. Needs the optional extra: pip install 'prep[optimize]'.

    Example: prep optimize --dry-run
    """
    import dataclasses

    from prep.study import optimize as opt

    if reset:
        opt.reset(obj.db)
        click.echo(say(WORDS, "reset", obj.lang))
        return
    fit = opt.optimize(obj.db, save=not dry_run)
    if as_json:
        emit_json(dataclasses.asdict(fit))
        return
    lang = "zh" if obj.lang == "zh" else "en"
    click.echo(say(WORDS, "fit", lang, reviews=fit.reviews, items=fit.items))
    heads = HEADS[lang]
    click.echo(f"{pad(heads[0], -10)} {pad(heads[1], 9)} {pad(heads[2], 12)}")
    rows = [("default", fit.default), ("saved", fit.current), ("fitted", fit.fitted)]
    for name, score in rows:
        if score is not None:
            click.echo(f"{pad(ROWS[lang][name], -10)} {score.log_loss:>9.4f} {score.rmse_bins:>12.4f}")
    if fit.saved:
        click.echo(say(WORDS, "saved", lang))
    elif dry_run:
        click.echo(say(WORDS, "dry_run", lang))
    else:
        click.echo(say(WORDS, "no_better", lang))
