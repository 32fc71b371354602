"""The commands that change things speak the KB's language too: on a Chinese knowledge base
their confirmations come out in Chinese, and `--lang en` gives back the English ones word for
word, with the same exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from conftest import kb_db_file

from prep.cli import cli
from prep.index.db import open_db
from prep.kb.manifest import write_manifest
from prep.study import engine


@pytest.fixture
def zh_kb(kb):
    """The small sample KB (with its Chinese time-wheel deck) whose prep.toml says zh."""
    (kb / "prep.toml").unlink()
    write_manifest(kb, "样例", "zh")
    return kb


def run(kb, *args, code=0, input=None):
    result = CliRunner().invoke(cli, ["--kb", str(kb), *args], catch_exceptions=False, input=input)
    assert result.exit_code == code, result.output
    return result


def both(kb, *args, code=0):
    """The same command in the KB's language (zh) and with --lang en."""
    return run(kb, *args, code=code), run(kb, "--lang", "en", *args, code=code)


def a_day_ahead(days=10):
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).strftime("%Y-%m-%d")


def test_interview_add_and_rm(zh_kb):
    day = a_day_ahead()
    out = run(zh_kb, "interview", "add", day, "--company", "ACME").stdout
    assert re.fullmatch(rf"已添加面试 #1 {day} 09:00 \(UTC[^)]*\) ACME；计划见：prep plan\n", out)
    en = run(zh_kb, "--lang", "en", "interview", "add", day, "--company", "ACME").stdout
    assert re.fullmatch(rf"Added interview #2 {day} 09:00 \(UTC[^)]*\) ACME; see the plan: prep plan\n", en)
    assert run(zh_kb, "interview", "rm", "1").stdout.startswith("已删除面试 #1 ")
    assert run(zh_kb, "--lang", "en", "interview", "rm", "2").stdout.startswith("Removed interview #2 ")


def test_config_shows_where_the_parameters_come_from(zh_kb):
    zh, en = both(zh_kb, "config")
    assert "parameters = FSRS 默认值\n" in zh.stdout and "parameters = FSRS defaults\n" in en.stdout
    assert run(zh_kb, "config", "new_per_day", "15").stdout == "new_per_day = 15\n"  # a setting reads the same


def test_export_markdown_and_log_export_import(zh_kb, tmp_path, now, settings, prep_home):
    md = tmp_path / "kb.md"
    zh, en = both(zh_kb, "export", "markdown", "-o", str(md))
    assert zh.stdout == f"已写入 {md}：4 张卡、1 个故事。\n" and en.stdout == f"Wrote {md}: 4 cards, 1 story.\n"
    db = open_db(kb_db_file(prep_home, zh_kb))
    engine.record_answer(db, "card", "tw.hier", 3, now - dt.timedelta(days=1), settings=settings)
    db.close()
    log = tmp_path / "log.jsonl"
    zh, en = both(zh_kb, "log", "export", "-o", str(log))
    assert zh.stdout == f"已写入 {log}：1 条回答。\n" and en.stdout == f"Wrote {log}: 1 answers.\n"
    zh, en = both(zh_kb, "log", "import", str(log))
    assert zh.stdout == f"{log}：0 条新回答，涉及 0 项，1 条已有。\n"
    assert en.stdout == f"{log}: 0 new answers on 0 items, 1 already here.\n"


def test_new_and_mv(zh_kb):
    out = run(zh_kb, "new", "card", "tw.new", "--deck", "time-wheel").stdout
    assert re.fullmatch(r"已添加卡片 'tw\.new'，位于 decks/time-wheel\.yaml:\d+；在那里编辑，然后运行 `prep validate`\n", out)
    en = run(zh_kb, "--lang", "en", "new", "claim", "acme.new").stdout
    assert re.fullmatch(r"added claim 'acme\.new' at stories/resume\.yaml:\d+; edit it there, then `prep validate`\n", en)
    dry = run(zh_kb, "mv", "tw.basic", "tw.base", "--dry-run").stdout
    assert "将修改 decks/time-wheel.yaml：第 " in dry and "将把卡片 'tw.basic' 的 0 次复习/模拟面试回答移到 'tw.base'" in dry
    moved = run(zh_kb, "mv", "tw.basic", "tw.base")
    assert "已把卡片 'tw.basic' 改名为 'tw.base'：移动了 0 次复习和 0 个模拟面试回答。" in moved.stdout
    assert "重新导出" in moved.stderr
    back = run(zh_kb, "--lang", "en", "mv", "tw.base", "tw.basic")
    assert "Renamed card 'tw.base' to 'tw.basic': 0 reviews and 0 mock answers moved." in back.stdout
    assert "export again and Anki adds it as a new note" in back.stderr


def test_optimize_reset_and_doctor(zh_kb):
    zh, en = both(zh_kb, "optimize", "--reset")
    assert zh.stdout == "FSRS 参数已恢复默认值。\n" and en.stdout == "FSRS parameters reset to the defaults.\n"
    zh, en = both(zh_kb, "doctor")
    assert zh.stdout.splitlines()[1] == "完整性检查（quick_check）：正常；搜索索引：正常"
    assert en.stdout.splitlines()[1] == "quick_check: ok; search index: ok" and en.stdout.startswith("Database: ")


def test_draw_summary(zh_kb):
    zh, en = both(zh_kb, "draw", "--seed", "3", "--n", "1")
    assert re.search(r"^1 道题，\d+ 分钟，种子 3（同一种子，同一套题）。$", zh.stderr, re.M)
    assert re.search(r"^1 questions, \d+ min, seed 3 \(same seed, same set\)\.$", en.stderr, re.M)
    assert json.loads(run(zh_kb, "draw", "--seed", "3", "--n", "1", "--json").stdout)["seed"] == 3


def test_init_speaks_the_new_kb_language(tmp_path):
    zh = CliRunner().invoke(cli, ["init", str(tmp_path / "a"), "--lang", "zh"], catch_exceptions=False)
    assert zh.exit_code == 0 and zh.stdout.startswith("已创建 ") and "下一步：编辑这些文件" in zh.stdout
    en = CliRunner().invoke(cli, ["--lang", "en", "init", str(tmp_path / "b"), "--lang", "zh"], catch_exceptions=False)
    assert en.exit_code == 0 and en.stdout.startswith("created ") and "Next: edit the files" in en.stdout


# --- errors -------------------------------------------------------------------------


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_an_unknown_id_filter_and_setting_are_chinese_errors(zh_kb):
    zh, en = both(zh_kb, "show", "nope", code=1)
    assert zh.stderr == "错误：没有 id 为 'nope' 的卡片、故事、条目、项目或卡组（试试：prep search nope）\n"
    assert en.stderr == "Error: no card, story, claim, project or deck has the id 'nope' (try: prep search nope)\n"
    zh, en = both(zh_kb, "list", "cards", "--deck", "time-whee", code=1)
    assert zh.stderr.endswith("错误：没有卡组 'time-whee'；是不是想写 'time-wheel'？\n")
    assert en.stderr.endswith("Error: unknown deck 'time-whee'; did you mean 'time-wheel'?\n")
    zh, en = both(zh_kb, "config", "new_per_day", "many", code=1)
    assert zh.stderr == "错误：new_per_day 必须是整数，不能是 'many'\n" and en.stderr == "Error: new_per_day must be a whole number, not 'many'\n"
    zh, en = both(zh_kb, "interview", "add", "2020-01-01", code=1)
    assert "错误：2020-01-01 09:00 已经过去了；面试必须在将来" in zh.stderr and "Error: 2020-01-01 09:00 is in the past" in en.stderr
    zh, en = both(zh_kb, "optimize", code=1)
    assert "错误：记录里有 0 次复习；拟合 FSRS 至少需要" in zh.stderr and "Error: 0 reviews in the log; fitting FSRS needs" in en.stderr


def test_content_errors_keep_their_messages_and_say_the_count_in_chinese(zh_kb):
    deck = zh_kb / "decks" / "time-wheel.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("    kind: design\n", "    kind: nonsense\n"), encoding="utf-8")
    zh, en = both(zh_kb, "sync", code=1)
    assert "decks/time-wheel.yaml:" in zh.stderr and zh.stderr.endswith("知识库里有 1 处错误；数据库没有改动。\n")
    assert en.stderr.endswith("1 error in the knowledge base; the database was not changed.\n")


def test_a_locked_database_is_a_chinese_sentence(zh_kb, prep_home):
    import sqlite3

    run(zh_kb, "sync")
    db_file = kb_db_file(prep_home, zh_kb)
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        zh, en = both(zh_kb, "config", "new_per_day", "5", code=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert one_line(zh.stderr) == f"错误：{db_file}：数据库正忙（另一个 prep 进程正在写入）；没有丢失任何内容，请稍后再试"
    assert one_line(en.stderr) == (
        f"Error: {db_file}: the database is busy (another prep process is writing to it); nothing was lost, try again in a moment"
    )
    assert run(zh_kb, "config", "new_per_day").stdout == "20\n"  # unchanged


def test_a_read_only_database_is_a_chinese_sentence(zh_kb, prep_home):
    import os
    import shutil
    import subprocess

    run(zh_kb, "sync")
    db_file = kb_db_file(prep_home, zh_kb)
    if os.geteuid() == 0:  # root ignores permissions: make the file immutable instead
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(db_file)], capture_output=True).returncode:
            pytest.skip("cannot make a file immutable here")
        undo = ["chattr", "-i", str(db_file)]
    else:
        db_file.chmod(0o444)
        undo = ["chmod", "644", str(db_file)]
    try:
        zh, en = both(zh_kb, "config", "new_per_day", "5", code=1)
    finally:
        subprocess.run(undo, check=True)
    assert one_line(zh.stderr) == f"错误：{db_file}：数据库是只读的；prep 需要写入它（检查该文件及其所在文件夹的权限）"
    assert one_line(en.stderr).startswith(f"Error: {db_file}: the database is read-only; prep needs to write to it")


def test_a_full_disk_is_a_chinese_sentence(zh_kb, tmp_path):
    from test_rel_io import run_limited

    db_file = tmp_path / "new" / "prep.db"
    result = run_limited(["--kb", str(zh_kb), "--db", str(db_file), "stats"], 0)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert one_line(result.stderr).startswith(f"错误：{db_file}：") and "磁盘已满（或达到了文件大小上限）" in result.stderr
    en = run_limited(["--lang", "en", "--kb", str(zh_kb), "--db", str(db_file), "stats"], 0)
    assert en.returncode == 1 and one_line(en.stderr).startswith(f"Error: {db_file}: ") and "the disk is full" in en.stderr


def test_a_file_that_is_not_a_database_is_a_chinese_sentence(zh_kb, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all " * 512)
    zh, en = both(zh_kb, "--db", str(junk), "stats", code=1)
    assert one_line(zh.stderr).endswith(f"错误：{junk}：不是 SQLite 数据库（原样保留）。把它移走，或用 --db 指定另一个文件。")
    assert one_line(en.stderr).endswith(f"Error: {junk}: not a SQLite database (left untouched). Move it away or pass --db to use another file.")
    assert junk.read_bytes() == b"not sqlite at all " * 512


def test_an_os_error_reaching_the_handler_is_a_chinese_sentence(zh_kb, monkeypatch):
    import errno

    from prep.study import logsync

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device", "/somewhere/x")

    monkeypatch.setattr(logsync, "export_lines", full)
    zh, en = both(zh_kb, "log", "export", code=1)
    assert zh.stderr.endswith("错误：/somewhere/x：磁盘空间不足；没有丢失任何内容\n")
    assert en.stderr.endswith("Error: /somewhere/x: No space left on device; nothing was lost\n")


def test_errors_before_the_language_is_known_are_english(zh_kb, monkeypatch, tmp_path):
    monkeypatch.setenv("PREP_LANG", "xx")
    bad = CliRunner().invoke(cli, ["--kb", str(zh_kb), "stats"])
    assert bad.exit_code == 1 and bad.stderr == "Error: PREP_LANG=xx: must be one of zh, en\n"  # one sentence, not a second error
    monkeypatch.delenv("PREP_LANG")
    missing = CliRunner().invoke(cli, ["--kb", str(tmp_path / "nowhere"), "stats"])
    assert missing.exit_code == 1 and missing.stderr == f"Error: --kb {tmp_path / 'nowhere'}: no such folder\n"
    (zh_kb / "prep.toml").write_text("id = [", encoding="utf-8")  # the KB's own language is unreadable
    broken = CliRunner().invoke(cli, ["--kb", str(zh_kb), "stats"])
    assert broken.exit_code == 1 and broken.stderr.startswith(f"Error: {zh_kb / 'prep.toml'}: not valid TOML (")
    # with the language asked for, even these are in Chinese
    asked = CliRunner().invoke(cli, ["--lang", "zh", "--kb", str(tmp_path / "nowhere"), "stats"])
    assert asked.exit_code == 1 and asked.stderr == f"错误：--kb {tmp_path / 'nowhere'}：没有这个文件夹\n"


def test_init_refuses_in_the_language_it_speaks(tmp_path):
    """No knowledge base yet: not the built-in KB's language (zh) but init's own (en by default)."""
    for _ in range(2):
        again = CliRunner().invoke(cli, ["init", str(tmp_path / "a")])
    assert again.exit_code == 1 and again.stderr.startswith("Error: ") and "not overwriting anything" in again.stderr
    zh = CliRunner().invoke(cli, ["init", str(tmp_path / "a"), "--lang", "zh"])
    assert zh.exit_code == 1 and zh.stderr.startswith("错误：") and "什么都不覆盖" in zh.stderr


def test_confirm_walks_in_chinese(tmp_path):
    """The init sample has one assumed span; with prep.toml in zh, the walk speaks Chinese."""
    root = tmp_path / "zh"
    assert CliRunner().invoke(cli, ["init", str(root), "--lang", "zh"]).exit_code == 0
    assert run(root, "confirm", "--list").stdout.endswith("1 处待确认。\n")
    assert run(root, "--lang", "en", "confirm", "--list").stdout.endswith("1 to confirm.\n")
    walk = CliRunner().invoke(cli, ["--kb", str(root), "confirm"], input="s\n")
    assert walk.exit_code == 0 and "[1/1] stories/" in walk.stdout and "    假设：" in walk.stdout
    assert "[t] 照原文属实 / [r] 替换文字 / [s] 跳过 / [q] 退出" in walk.stdout
    assert walk.stdout.endswith("已确认 0 处；运行 `prep audit` 查看还剩什么。\n")
    assert run(root, "--lang", "en", "confirm", input="s\n").stdout.endswith("\n0 confirmed; run `prep audit` to see what is left.\n")


def test_a_missing_log_and_an_existing_id_are_chinese_sentences(zh_kb, tmp_path):
    zh, en = both(zh_kb, "log", "import", str(tmp_path / "none.jsonl"), code=1)
    assert zh.stderr.endswith(f"错误：{tmp_path / 'none.jsonl'}：无法读取记录（没有这个文件或文件夹）\n")
    assert f"Error: {tmp_path / 'none.jsonl'}: cannot read the log ([Errno 2] No such file or directory" in en.stderr
    zh, en = both(zh_kb, "new", "card", "tw.basic", "--deck", "time-wheel", code=1)
    assert re.search(r"错误：'tw\.basic' 已存在：它是 decks/time-wheel\.yaml:\d+ 的卡片\n$", zh.stderr)
    assert re.search(r"Error: 'tw\.basic' already exists: the card at decks/time-wheel\.yaml:\d+\n$", en.stderr)


def test_export_and_import_errors_are_chinese_sentences(zh_kb, tmp_path):
    missing = tmp_path / "nowhere" / "x.apkg"
    zh, en = both(zh_kb, "export", "anki", "-o", str(missing), code=1)
    assert f"错误：{missing}：文件夹 {missing.parent} 不存在" in zh.output
    assert f"Error: {missing}: the folder {missing.parent} does not exist" in en.output
    zh, en = both(zh_kb, "export", "anki", "-o", str(tmp_path / "x.apkg"), "--deck", "timewheel", "--tag", "no-such-tag", code=1)
    assert "错误：" in zh.output and "Error:" in en.output and "没有" in zh.output
    junk = tmp_path / "junk.apkg"
    junk.write_bytes(b"not a zip, not sqlite")
    zh, en = both(zh_kb, "import", "anki", str(junk), code=1)
    assert f"错误：{junk}：不是 Anki 牌组集合（.anki2）、.colpkg 或 .apkg" in zh.output
    assert f"Error: {junk}: not an Anki collection (.anki2), .colpkg or .apkg" in en.output
    zh, en = both(zh_kb, "import", "anki", str(tmp_path / "none.apkg"), code=1)
    assert "文件不存在" in zh.output and "no such file" in en.output


def test_a_confirm_that_cannot_be_made_is_a_chinese_sentence(tmp_path):
    """An empty replacement is refused, in the walk's language, and nothing is written."""
    root = tmp_path / "zh"
    assert CliRunner().invoke(cli, ["init", str(root), "--lang", "zh"]).exit_code == 0
    before = {f: f.read_bytes() for f in root.rglob("*") if f.is_file()}
    walk = run(root, "confirm", input="r\n \nq\n")
    assert "    替换的文字必须是一行，且不能为空\n" in walk.stdout
    en = run(root, "--lang", "en", "confirm", input="r\n \nq\n")
    assert "    the replacement must be one non-empty line\n" in en.stdout
    assert {f: f.read_bytes() for f in root.rglob("*") if f.is_file()} == before
