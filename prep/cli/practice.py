"""Commands for practice: study, config, draw, audit and export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from prep.cli.base import Ctx, check_filters, emit_json, lang_option, resolve_lang
from prep.errors import PrepError
from prep.kb.vocab import count, say

# What config, draw and export print around their results, in the reader's language.
WORDS: dict[str, dict[str, str]] = {
    "fitted": {"zh": "由 prep optimize 拟合（{n} 个值）", "en": "fitted by prep optimize ({n} values)"},
    "fsrs_defaults": {"zh": "FSRS 默认值", "en": "FSRS defaults"},
    "drawn": {
        "zh": "{n} 道题，{minutes:g} 分钟，种子 {seed}（同一种子，同一套题）。",
        "en": "{n} questions, {minutes:g} min, seed {seed} (same seed, same set).",
    },
    "note": {"zh": "注意：{text}", "en": "Note: {text}"},
    "drawing_for": {"zh": "注意：按面试 {title} 抽题", "en": "Note: drawing for interview {title}"},
    "drawing_claims": {"zh": "（{n} 个条目）", "en": " ({claims})"},
    "wrote_apkg": {
        "zh": "已写入 {path}：{notes} 条笔记（{qa} 条问答、{stories} 个故事），{cards} 张 Anki 卡，{media} 个媒体文件，{decks} 个卡组。",
        "en": "Wrote {path}: {summary}.",
    },
    "apkg_hint": {
        "zh": "在 Anki 里导入它（文件 > 导入）；上次导入后改过的笔记会原地更新。",
        "en": "Import it in Anki (File > Import); notes edited since the last import are updated in place.",
    },
    "wrote_md": {"zh": "已写入 {out}：{cards} 张卡、{stories} 个故事。", "en": "Wrote {out}: {cards_en}, {stories_en}."},
}


@click.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_obj
def config(obj: Ctx, key, value):
    """Show or set study settings (desired_retention, new_per_day, max_reviews_per_day, ...).

    Example: prep config new_per_day 10
    """
    import dataclasses

    from prep.study.engine import load_settings, save_settings

    if key == "lang":
        return _config_lang(obj, value)
    settings = load_settings(obj.db)
    fields = {f.name: f for f in dataclasses.fields(settings)}
    if key is None:
        for name in fields:
            value = getattr(settings, name)
            if name == "parameters":  # 21 floats: say where they come from instead
                value = say(WORDS, "fitted", obj.lang, n=len(value)) if value else say(WORDS, "fsrs_defaults", obj.lang)
            click.echo(f"{name} = {value}")
        _config_lang(obj, None, named=True)
        return
    if key not in fields:
        raise PrepError(f"unknown setting '{key}'; one of: {', '.join(fields)}", zh=f"没有设置 '{key}'；可选：{', '.join(fields)}")
    if key == "parameters" and value is not None:
        raise PrepError(
            "the FSRS parameters are fitted from your reviews by `prep optimize` (--reset for the defaults)",
            zh="FSRS 参数由 `prep optimize` 根据你的复习拟合（--reset 恢复默认值）",
        )
    if value is None:
        click.echo(getattr(settings, key))
        return
    kind = type(getattr(settings, key))
    try:
        parsed = (value.lower() in ("1", "true", "yes", "on")) if kind is bool else kind(value)
    except ValueError:
        words = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}
        words_zh = {int: "整数", float: "数字", bool: "true 或 false", str: "文字"}
        raise PrepError(
            f"{key} must be {words.get(kind, kind.__name__)}, not '{value}'", zh=f"{key} 必须是{words_zh.get(kind, kind.__name__)}，不能是 '{value}'"
        ) from None
    changes: dict[str, Any] = {key: parsed}
    save_settings(obj.db, dataclasses.replace(settings, **changes))
    click.echo(f"{key} = {parsed}")


def _config_lang(obj: Ctx, value: str | None, named: bool = False) -> None:
    """`prep config lang [zh|en|auto]`: this KB's output language (auto: the KB's default)."""
    from prep.cli.base import CONFIG_LANG_KEY, LANGS
    from prep.index.db import get_meta, set_meta, transaction

    if value is None:
        current = get_meta(obj.db, CONFIG_LANG_KEY) or "auto"
        click.echo(f"lang = {current}" if named else current)
        return
    value = value.strip().lower()
    if value not in (*LANGS, "auto"):
        raise PrepError(
            f"lang must be one of {', '.join(LANGS)} or auto, not '{value}'", zh=f"lang 必须是 {', '.join(LANGS)} 或 auto，不能是 '{value}'"
        )
    with transaction(obj.db):
        if value == "auto":
            obj.db.execute("DELETE FROM meta WHERE key = ?", [CONFIG_LANG_KEY])
        else:
            set_meta(obj.db, CONFIG_LANG_KEY, value)
    click.echo(f"lang = {value}")


@click.command()
@click.option("--deck", help="Only this deck.")
@click.option("--claim", help="Only cards backing this claim.")
@click.option("--tag", help="Only cards with this tag.")
@click.option("--kind", help="Only cards of this kind.")
@click.option("--cram", is_flag=True, help="Study the selected cards now without changing their schedule.")
@click.option("--dashboard", is_flag=True, help="Open the dashboard instead of starting to review (what `prep` alone does).")
@click.pass_obj
def study(obj: Ctx, deck, claim, tag, kind, cram, dashboard):
    """Review the due and new cards now, in the study TUI (`prep` alone opens its dashboard).

    Example: prep study --deck kafka
    """
    from prep.study.engine import load_settings
    from prep.tui import launch

    db, _ = obj.synced()
    check_filters(db, deck=deck, claim=claim, tag=tag, kind=kind)
    settings = load_settings(db)
    # The dashboard's figures are read on a thread while Textual is imported (~150 ms).
    prefetch = launch.begin(db, settings, obj.lang)
    from prep.tui.app import run

    run(
        db,
        kb_root=obj.kb.path,
        lang=obj.lang,
        filters={"deck": deck, "claim": claim, "tag": tag, "kind": kind},
        cram=cram,
        start="dashboard" if dashboard else "review",
        settings=settings,
        prefetch=prefetch,
    )


@click.command()
@click.option(
    "--profile",
    "profile_name",
    help="Interview profile: built-in, or profiles/<name>.yaml in the knowledge base or data dir (default: the next interview's, else backend-onsite).",
)
@click.option("--n", "n", type=click.IntRange(1, 100), help="Number of questions, spread over the profile's slots.")
@click.option("--claim", help="Only questions about this claim.")
@click.option("--project", help="Only questions about this project.")
@click.option("--minutes", type=click.FloatRange(1, 600), help="Time budget: scales the number of questions and each one's time.")
@click.option(
    "--seed", type=click.IntRange(0, 2**31 - 1), help="Random seed; the same seed on the same history draws the same set (default: random, printed)."
)
@click.option(
    "--out", type=click.Path(file_okay=False), help="Write interviewer.md and candidate.md into this folder (default: print the candidate sheet)."
)
@click.option("--allow-repeats", is_flag=True, help="Also draw questions asked in the last mock sessions.")
@click.option("--json", "as_json", is_flag=True, help="Print the drawn set as JSON instead of writing the sheets.")
@click.option("--profiles", "list_profiles", is_flag=True, help="List the available profiles and exit.")
@lang_option
@click.pass_obj
def draw(obj: Ctx, profile_name, n, claim, project, minutes, seed, out, allow_repeats, as_json, list_profiles, lang):
    """Draw a mock interview: interviewer and candidate sheets as Markdown.

    Without --out, prints the candidate sheet (the questions only); with --out, writes
    both sheets, the interviewer's with key points and followups.

    Example: prep draw --profile phone-screen --out mock/ --seed 7
    """
    import random

    from prep.index.db import utcnow
    from prep.mock.draw import DrawOptions
    from prep.mock.draw import draw as do_draw
    from prep.mock.specs import describe, draw_profiles

    lang = resolve_lang(obj, lang)
    profiles = draw_profiles(obj.kb.path)
    if list_profiles:
        for name, p in sorted(profiles.items()):
            click.echo(describe(name, p, lang))
        return
    profile_name, claims = draw_defaults(obj, profile_name, claim, project)
    if profile_name not in profiles:
        choices = ", ".join(sorted(profiles))
        raise PrepError(f"unknown profile '{profile_name}'; one of: {choices}", zh=f"没有配置 '{profile_name}'；可选：{choices}")
    db, _ = obj.synced()
    check_filters(db, claim=claim, project=project)
    claim = claim or claims
    seed = random.SystemRandom().randrange(1, 1_000_000) if seed is None else seed
    now = utcnow()
    options = DrawOptions(
        name=profile_name, seed=seed, lang=lang, n=n, claim=claim, project=project, minutes=minutes, no_repeat=0 if allow_repeats else None
    )
    drawn = do_draw(db, profiles[profile_name], options, now=now)
    if not drawn.questions:
        reasons = "; ".join(drawn.warnings) or "no question matches"
        hint = "" if allow_repeats else " (--allow-repeats also draws questions asked in the last sessions)"
        hint_zh = "" if allow_repeats else "（--allow-repeats 也会抽最近几次问过的题）"
        raise PrepError(f"drew no questions: {reasons}{hint}", zh=f"没有抽到题：{'；'.join(drawn.warnings) or '没有符合的题'}{hint_zh}")
    if as_json:
        emit_json(drawn.to_dict())
        return
    for warning in drawn.warnings:
        click.echo(say(WORDS, "note", lang, text=warning), err=True)
    from prep.mock import sheets

    if out:
        for path in sheets.write(drawn, Path(out)):
            click.echo(path)
    else:
        click.echo(sheets.candidate(drawn), nl=False)
    click.echo(say(WORDS, "drawn", lang, n=len(drawn.questions), minutes=drawn.minutes, seed=seed), err=True)


def draw_defaults(obj: Ctx, profile: str | None, claim: str | None, project: str | None) -> tuple[str, tuple[str, ...]]:
    """`prep draw` with no --profile/--claim/--project rehearses the next interview: its
    profile and its claims (a note on stderr says so)."""
    from prep.index.db import utcnow
    from prep.study.interviews import next_interview

    iv = next_interview(obj.db, utcnow())
    if iv is None:
        return profile or "backend-onsite", ()
    claims = () if (claim or project) else iv.claims
    if (not profile and iv.profile) or claims:
        lang = obj.lang
        some = say(WORDS, "drawing_claims", lang, n=len(claims), claims=count(len(claims), "claim")) if claims else ""
        click.echo(say(WORDS, "drawing_for", lang, title=iv.title()) + some, err=True)
    return profile or iv.profile or "backend-onsite", claims


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the audit as a JSON object.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 1 on a coverage gap, a contradiction, an unanswered before/after difference or an item `prep new` left unfinished (for CI).",
)
@click.option("--confirmed", is_flag=True, help="With --strict: also fail while any assumption is left to confirm.")
@click.option("--min-cards", default=3, show_default=True, type=click.IntRange(0, 1000), help="Flag claims backed by fewer cards than this.")
@lang_option
@click.pass_obj
def audit(obj: Ctx, as_json, strict, confirmed, min_cards, lang):
    """Audit every claim: backing stories and cards, figures and contradictions,
    assumptions to confirm, gists, readiness.

    Example: prep audit --strict --confirmed
    """
    from prep.audit.report import audit as run_audit
    from prep.audit.report import failed, format_text
    from prep.index.db import utcnow

    db, _ = obj.synced()
    report = run_audit(db, utcnow(), lang=resolve_lang(obj, lang), min_cards=min_cards)
    if as_json:
        emit_json(report | {"kb": str(obj.kb.path)})
    else:
        click.echo(format_text(report))
    if strict and failed(report, confirmed=confirmed):
        sys.exit(1)


def export_selection(f):
    """--deck/--claim/--tag/--kind, the same for every export format."""
    for option in reversed(
        [
            click.option("--deck", help="Only cards of this deck (no stories)."),
            click.option("--claim", help="Only cards and stories backing this claim."),
            click.option("--tag", help="Only cards and stories with this tag."),
            click.option("--kind", help="Only cards of this kind (no stories)."),
        ]
    ):
        f = option(f)
    return f


@click.group()
def export():
    """Export cards and stories for other tools (Anki, Markdown)."""


@export.command(name="anki")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False),
    help="The .apkg file to write (default: exports/<KB id>.apkg in the data dir, not your KB's folder).",
)
@export_selection
@click.option("--stories/--no-stories", default=True, show_default=True, help="Include STAR stories.")
@lang_option
@click.pass_obj
def export_anki(obj: Ctx, out, deck, claim, tag, kind, stories, lang):
    """Write an Anki package; re-importing it updates edited notes in place.

    Example: prep export anki --deck kafka -o ~/Desktop/kafka.apkg
    """
    from prep.cli.progress import progress_bar
    from prep.export.anki import export as do_export

    db, _ = obj.synced()
    if out is None:
        from prep.paths import data_dir

        folder = data_dir() / "exports"
        from prep import fsio

        fsio.ensure_folder(folder)
        out = folder / f"{obj.kb.manifest.id}.apkg"
    check_filters(db, deck=deck, claim=claim, tag=tag, kind=kind)
    with progress_bar(lang=obj.lang) as progress:
        result = do_export(
            db, obj.kb.path, Path(out), lang=resolve_lang(obj, lang), deck=deck, claim=claim, tag=tag, kind=kind, stories=stories, progress=progress
        )
    lang = obj.lang
    counts = {k: getattr(result, k) for k in ("notes", "qa", "stories", "cards", "media", "decks")}
    click.echo(say(WORDS, "wrote_apkg", lang, path=Path(result.path).resolve(), summary=result.summary(), **counts))
    click.echo(say(WORDS, "apkg_hint", lang), err=True)


@export.command(name="markdown")
@click.option("-o", "--out", type=click.Path(dir_okay=False), default="-", show_default=True, help="The .md file to write (- for standard output).")
@export_selection
@lang_option
@click.pass_obj
def export_markdown(obj: Ctx, out, deck, claim, tag, kind, lang):
    """Write the knowledge base as one Markdown document, claim by claim, for printing.

    Example: prep export markdown --claim meican.scheduler -o scheduler.md
    """
    from prep.export.markdown import document

    db, _ = obj.synced()
    check_filters(db, deck=deck, claim=claim, tag=tag, kind=kind)
    text, cards, stories = document(db, lang=resolve_lang(obj, lang), deck=deck, claim=claim, tag=tag, kind=kind)
    if out == "-":
        click.echo(text, nl=False)
    else:
        from prep import fsio

        fsio.write_text(Path(out), text)
        counted = {"cards_en": count(cards, "card"), "stories_en": count(stories, "story")}
        click.echo(say(WORDS, "wrote_md", obj.lang, out=out, cards=cards, stories=stories, **counted))
