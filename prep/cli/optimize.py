"""`prep optimize`: FSRS parameters fitted to your own review history."""

from __future__ import annotations

import click

from prep.cli.base import Ctx, emit_json


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
        click.echo("FSRS parameters reset to the defaults.")
        return
    fit = opt.optimize(obj.db, save=not dry_run)
    if as_json:
        emit_json(dataclasses.asdict(fit))
        return
    click.echo(f"{fit.reviews} reviews, {fit.items} predictions (a review a day or more after the one before)")
    click.echo(f"{'parameters':<10} {'log loss':>9} {'RMSE (bins)':>12}")
    rows = [("default", fit.default), ("saved", fit.current), ("fitted", fit.fitted)]
    for name, score in rows:
        if score is not None:
            click.echo(f"{name:<10} {score.log_loss:>9.4f} {score.rmse_bins:>12.4f}")
    if fit.saved:
        click.echo("Saved the fitted parameters; the scheduler uses them from now on (desired retention unchanged).")
    elif dry_run:
        click.echo("Dry run: nothing saved.")
    else:
        click.echo("The fitted parameters do not predict your history better; nothing changed.")
