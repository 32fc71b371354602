"""English counts agree in number ("1 error", "3 errors"), through the one helper
`prep.kb.vocab.count`; the Chinese strings print as before, and no "(s)" is left."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.kb.vocab import count
from prep.tui.words import t

PREP = Path(__file__).resolve().parent.parent / "prep"
S_COUNT = re.compile(r"[A-Za-z]\(s\)")


def run(*args, ok=True):
    r = CliRunner().invoke(cli, list(args))
    if ok:
        assert r.exit_code == 0, r.output
    return r


def s_counts(source: str) -> list[str]:
    """The "word(s)" in a module's strings and comments; `http(s)` (a URL scheme) is not one."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.STRING, tokenize.COMMENT):
            found += [tok.line.strip() for m in S_COUNT.finditer(tok.string) if not tok.string[: m.end()].endswith("http(s)")]
    return found


def test_the_scan_finds_an_s_count_and_passes_a_url_scheme():
    assert s_counts('x = f"{n} card(s)"\n') and s_counts("# 3 review(s)\n")
    assert not s_counts('x = "http(s) URLs"\ny = f(s)\n')


def test_no_s_count_left_in_prep():
    found = {str(p.relative_to(PREP)): hits for p in sorted(PREP.rglob("*.py")) if (hits := s_counts(p.read_text(encoding="utf-8")))}
    assert found == {}


def test_count_singular_and_plural():
    assert (count(1, "error"), count(3, "error"), count(2, "history entry"), count(0, "mock answer")) == (
        "1 error",
        "3 errors",
        "2 history entries",
        "0 mock answers",
    )


def test_sync_says_file_and_files(kb):
    first = run("--kb", str(kb), "sync").output
    assert re.search(r"parsed [02-9]\d* files;", first) or re.search(r"parsed 1\d+ files;", first), first
    (kb / "decks/time-wheel.yaml").write_text((kb / "decks/time-wheel.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    write(kb, "decks/extra.yaml", "name: Extra\ncards:\n  - id: extra.one\n    q: What?\n    a: This.\n")
    two = run("--kb", str(kb), "sync").output
    assert "parsed 2 files; 1 added" in two, two
    write(kb, "decks/extra.yaml", "name: Extra\ncards:\n  - id: extra.one\n    q: What now?\n    a: This.\n")
    one = run("--kb", str(kb), "sync").output
    assert "parsed 1 file; 0 added, 1 updated" in one, one
    zh = run("--kb", str(kb), "--lang", "zh", "sync", "--force").output
    assert re.search(r"已同步：解析了 \d+ 个文件；新增 0，更新 0，归档 0，恢复 0。", zh), zh


def test_content_errors_singular_and_plural(kb):
    write(kb, "decks/bad.yaml", "name: x\nwrong: 1\ncards:\n  - id: a\n    q: Q?\n    a: A.\n")
    one = run("--kb", str(kb), "--lang", "en", "validate", ok=False)
    assert "1 error in the knowledge base; the database was not changed." in one.output, one.output
    write(kb, "decks/bad.yaml", "name: x\nwrong: 1\ncards:\n  - id: a\n")
    three = run("--kb", str(kb), "--lang", "en", "validate", ok=False)
    assert "3 errors in the knowledge base;" in three.output and "error(s)" not in three.output, three.output
    zh = run("--kb", str(kb), "--lang", "zh", "validate", ok=False)
    assert "知识库里有 3 处错误；数据库没有改动。" in zh.output, zh.output


def test_tui_words_agree_in_number():
    def leave(n, left):
        return t("leave_review", "en", left=left, n=n, cards_left=count(left, "card"), answers=count(n, "answer"), are="is" if n == 1 else "are")

    assert leave(1, 1) == "Leave with 1 card left? Your 1 answer is saved."
    assert leave(2, 3) == "Leave with 3 cards left? Your 2 answers are saved."
    zh = t("leave_review", "zh", left=3, n=2, cards_left=count(3, "card"), answers=count(2, "answer"), are="are")
    assert zh == "还剩 3 张，确定离开？已答的 2 张都已保存。"
    assert t("browse_info", "en", n=1, results=count(1, "result"), type="all").startswith("1 result · type: all")
    assert t("confirm_claim_line", "en", facts=1, fact_count=count(1, "fact"), n=2) == "*1 fact · **2 to confirm** (c: walk them)*"
    assert t("confirm_claim_line", "en", facts=3, fact_count=count(3, "fact"), n=2).startswith("*3 facts · ")
