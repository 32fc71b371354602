"""`prep interview add|list|rm` and `prep plan`: study towards a date."""

from __future__ import annotations

import click

from prep.cli.base import Ctx, emit_json, lang_option, resolve_lang
from prep.errors import PrepError
from prep.kb.vocab import code_word, count, pad, say

# What `interview list` and `plan` print around the dates and ids, in the reader's language.
WORDS: dict[str, dict[str, str]] = {
    "row": {"zh": "{title}  配置：{profile}  条目：{claims}", "en": "{title}  profile: {profile}  claims: {claims}"},
    "all_claims": {"zh": "全部条目", "en": "all claims"},
    "interviews": {"zh": "{n} 场面试", "en": "{interviews}"},
    "plan_head": {"zh": "面试 {title}：还有 {days:.1f} 天；配置 {profile}", "en": "Interview {title}: in {days:.1f} days; profile {profile}"},
    "unstarted": {
        "zh": "按每日上限，这场面试有 {n} 张卡/个故事到当天还是新的（prep config new_per_day）。",
        "en": "{n} of the interview's cards and stories will still be new on the day within the daily limits (prep config new_per_day).",
    },
    "added": {"zh": "已添加面试 {title}；计划见：prep plan", "en": "Added interview {title}; see the plan: prep plan"},
    "removed": {"zh": "已删除面试 {title}", "en": "Removed interview {title}"},
}
# The plan's two tables: heads and widths in terminal cells (negative: left-aligned).
DAY_HEADS: dict[str, tuple[str, ...]] = {"zh": ("日期", "复习", "新卡", "故事", "提前"), "en": ("day", "reviews", "new", "stories", "ahead")}
DAY_WIDTHS = (-12, 7, 5, 7, 6)
CLAIM_HEADS: dict[str, tuple[str, ...]] = {"zh": ("条目", "风险", "今天", "不学", "按计划"), "en": ("claim", "risk", "today", "no study", "planned")}
CLAIM_WIDTHS = (-28, -6, 5, 8, 7)


def _heads(heads: dict[str, tuple[str, ...]], widths: tuple[int, ...], lang: str) -> str:
    return " ".join(pad(h, w) for h, w in zip(heads["zh" if lang == "zh" else "en"], widths, strict=True))


@click.group()
def interview():
    """Interviews ahead: the plan and the study queue work towards the next one."""


@interview.command(name="add")
@click.argument("date")
@click.option("--time", "time_", metavar="HH:MM", help="Local time of the interview (default 09:00).")
@click.option("--company", help="Who the interview is with.")
@click.option("--role", help="The role interviewed for.")
@click.option("--profile", help="Mock-interview profile for `prep draw` (see: prep draw --profiles).")
@click.option("--claims", metavar="ID,...", help="The claims it is about (default: all).")
@click.pass_obj
def interview_add(obj: Ctx, date, time_, company, role, profile, claims):
    """Add an interview on DATE (YYYY-MM-DD, your time zone).

    Example: prep interview add 2026-12-08 --time 14:00 --company ACME --claims meican.scheduler,meican.qps
    """
    from prep.index.db import utcnow
    from prep.study import interviews

    db, _ = obj.synced()
    if profile:
        from prep.mock.profiles import load_profiles

        names = load_profiles(obj.kb.path)
        if profile not in names:
            choices = ", ".join(sorted(names))
            raise PrepError(f"--profile: unknown profile '{profile}'; one of: {choices}", zh=f"--profile：没有配置 '{profile}'；可选：{choices}")
    iv = interviews.add(db, date, utcnow(), time=time_, company=company, role=role, profile=profile, claims=claims.split(",") if claims else None)
    click.echo(say(WORDS, "added", obj.lang, title=iv.title()))


@interview.command(name="list")
@click.option("--all", "show_all", is_flag=True, help="Past interviews too.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")
@click.pass_obj
def interview_list(obj: Ctx, show_all, as_json):
    """List the interviews ahead (with --all, past ones too).

    Example: prep interview list --json
    """
    from prep.index.db import utcnow
    from prep.study import interviews

    rows = interviews.all_interviews(obj.db, None if show_all else utcnow())
    if as_json:
        emit_json([iv.to_dict() for iv in rows])
        return
    lang = obj.lang
    for iv in rows:
        claims = ", ".join(iv.claims) if iv.claims else say(WORDS, "all_claims", lang)
        click.echo(say(WORDS, "row", lang, title=iv.title(), profile=iv.profile or "-", claims=claims))
    click.echo(say(WORDS, "interviews", lang, n=len(rows), interviews=count(len(rows), "interview")), err=True)


@interview.command(name="rm")
@click.argument("interview_id", type=int)
@click.pass_obj
def interview_rm(obj: Ctx, interview_id):
    """Remove an interview (the review history is not touched).

    Example: prep interview rm 3
    """
    from prep.study import interviews

    iv = interviews.remove(obj.db, interview_id)
    click.echo(say(WORDS, "removed", obj.lang, title=iv.title()))


def _bar(x: float, width: int = 10) -> str:
    n = round(max(0.0, min(1.0, x)) * width)
    return "█" * n + "·" * (width - n)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the plan as a JSON object.")
@lang_option
@click.pass_obj
def plan(obj: Ctx, as_json, lang):
    """The plan to the next interview: each day's reviews, new cards and story rehearsals,
    and each claim's readiness on the day (FSRS retrievability at the interview time).

    Example: prep plan --json
    """
    from prep.index.db import utcnow
    from prep.study.plan import build_plan

    db, _ = obj.synced()
    now = utcnow()
    lang = resolve_lang(obj, lang)
    p = build_plan(db, now, lang=lang)
    if p is None:
        raise PrepError("no interview ahead; add one: prep interview add YYYY-MM-DD", zh="前面没有面试；添加一场：prep interview add YYYY-MM-DD")
    if as_json:
        emit_json(p.to_dict())
        return
    days = (p.interview.at - now).total_seconds() / 86400
    click.echo(say(WORDS, "plan_head", lang, title=p.interview.title(), days=days, profile=p.interview.profile or "-"))
    click.echo(_heads(DAY_HEADS, DAY_WIDTHS, lang))
    for d in p.days:
        click.echo(f"{d.date:<12} {d.reviews:>7} {d.new:>5} {d.stories:>7} {d.pulled:>6}")
    if p.unstarted:
        click.echo(say(WORDS, "unstarted", lang, n=p.unstarted))
    click.echo("")
    click.echo(_heads(CLAIM_HEADS, CLAIM_WIDTHS, lang))
    for c in p.claims:
        risk = pad(code_word("risk", c.risk, lang), -6)
        click.echo(f"{c.id:<28} {risk} {c.today:>5.2f} {c.untouched:>8.2f} {c.planned:>7.2f} {_bar(c.planned)}")
