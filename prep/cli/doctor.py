"""`prep doctor`: the database check, as a command."""

from __future__ import annotations

import sys

import click

from prep.cli.base import WORDS as HEADER_WORDS
from prep.cli.base import Ctx
from prep.kb.vocab import say

# The report's lines in Chinese; English is the report's own (prep.index.doctor.Report.lines).
WORDS: dict[str, dict[str, str]] = {
    "all_ok": {"zh": "完整性检查（quick_check）：正常；搜索索引：正常", "en": "quick_check: ok; search index: ok"},
    "problem": {"zh": "完整性检查（quick_check）：{p}", "en": "quick_check: {p}"},
    "more": {"zh": "完整性检查（quick_check）：……另有 {n} 处", "en": "quick_check: ... and {n} more"},
    "search_damaged": {"zh": "搜索索引：已损坏（{p}）", "en": "search index: damaged ({p})"},
    "search_rebuilt": {
        "zh": "搜索索引：已重建（下次同步会从条目重新填充）",
        "en": "search index: rebuilt (it is refilled from the items by the next sync)",
    },
    "compacted": {"zh": "文件已压缩（VACUUM）：丢弃了损坏的空闲页", "en": "file compacted (VACUUM): damaged free pages dropped"},
    "remaining": {"zh": "修复后仍有损坏：{p}", "en": "still damaged after repair: {p}"},
    "history": {"zh": "复习记录可能受到影响：{hint}", "en": "your review history may be affected: {hint}"},
    "no_backup": {"zh": "没有备份（备份在每次升级数据库结构前写入）", "en": "no backup exists (backups are written before each schema upgrade)"},
    "restore": {
        "zh": "恢复一个备份（最新的在最后）：{names}；先把损坏的文件另存一边",
        "en": "restore a backup (newest last): {names}; keep the damaged file aside first",
    },
    "repaired": {"zh": "修复后的完整性检查（quick_check）：正常", "en": "quick_check after repair: ok"},
    "refilled": {"zh": "搜索索引：已从知识库重新填充（{summary}）", "en": "search index: refilled from the knowledge base ({summary})"},
}


@click.command()
@click.pass_obj
def doctor(obj: Ctx) -> None:
    """Check the database and repair what can be repaired (like Anki's Check Database):
    SQLite's quick_check, the search index rebuilt if damaged, the backups named if the
    review history itself is damaged. Exit status 1 if damage remains.

    Example: prep doctor
    """
    from prep.index.doctor import check

    report = check(obj.db_path)
    lang = obj.quiet_lang()  # the database may be the damaged thing: never open it for this
    for line in report.lines() if lang != "zh" else zh_lines(report):
        click.echo(line)
    if report.search_rebuilt and report.ok:
        _, result = obj.synced()
        click.echo(say(WORDS, "refilled", lang, summary=result.summary(lang)))
    if not report.ok:
        sys.exit(1)


def zh_lines(r) -> list[str]:
    """`Report.lines()`, line for line, in Chinese."""
    zh = "zh"
    out = [say(HEADER_WORDS, "db", zh, path=r.path)]
    if not r.problems and not r.search_problem:
        out.append(say(WORDS, "all_ok", zh))
    out += [say(WORDS, "problem", zh, p=p) for p in r.problems[:10]]
    if len(r.problems) > 10:
        out.append(say(WORDS, "more", zh, n=len(r.problems) - 10))
    if r.search_problem:
        out.append(say(WORDS, "search_damaged", zh, p=r.search_problem))
    if r.search_rebuilt:
        out.append(say(WORDS, "search_rebuilt", zh))
    if r.compacted:
        out.append(say(WORDS, "compacted", zh))
    if r.remaining:
        out.append(say(WORDS, "remaining", zh, p="; ".join(r.remaining[:3])))
        names = ", ".join(str(b) for b in r.backups[-3:])
        hint = say(WORDS, "restore", zh, names=names) if r.backups else say(WORDS, "no_backup", zh)
        out.append(say(WORDS, "history", zh, hint=hint))
    elif r.problems or r.search_problem:
        out.append(say(WORDS, "repaired", zh))
    return out
