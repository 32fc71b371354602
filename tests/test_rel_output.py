"""Content is data in every output: raw HTML, script links, Anki sound tags and terminal
escapes written in a card reach no reader as markup, sound or terminal commands."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest
from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.export.render import markdown_to_html, neutralize_anki, neutralize_html


@pytest.mark.parametrize(
    "markdown",
    [
        "an ` unmatched backtick <img src=x onerror=alert(1)>",
        "    ```\n\n<script>alert(1)</script>",  # an indented "fence" is code, not a fence: what follows is text
        "- list\n\n      ```\n<script>alert(1)</script>",
        "``a`` then `` unmatched <script>alert(1)</script>",
    ],
)
def test_raw_html_after_tricky_code_is_escaped(markdown):
    out = neutralize_html(markdown)
    assert "<script" not in out and "<img" not in out, out


def test_code_stays_literal():
    md = "x `<b>` and ``a ` <i>``\n\n```\n<p>fenced</p>\n```\n\n    <pre>indented</pre>"
    assert neutralize_html(md) == md


@pytest.mark.parametrize(
    "link",
    ["[x](javascript:alert(1))", "[x]( JavaScript:alert(document.cookie) )", "[x](vbscript:msgbox)", "[x](data:text/html;base64,PHNjcmlwdD4=)"],
)
def test_script_links_are_dropped(link):
    out = neutralize_html(f"see {link} now")
    assert out.startswith("see [x]") and ":" not in out.split("[x]", 1)[1], out
    assert "href" not in markdown_to_html(link)


def test_safe_links_are_kept():
    assert neutralize_html("[docs](https://example.com/a_(b))") == "[docs](https://example.com/a_(b))"


def test_reference_definitions_with_script_schemes_are_dropped():
    assert neutralize_html("[x][r]\n\n[r]: javascript:alert(1)") == "[x][r]\n\n[r]: #"


def test_anki_sound_tags_are_inert_even_in_code():
    html = markdown_to_html("Play [sound:evil.mp3] and `[sound:x.mp3]` and [anki:tts lang=en]hi[/anki:tts]")
    out = neutralize_anki(html)
    assert "[sound:" not in out and "[anki:" not in out
    assert out.count("&#91;sound:") == 2 and "&#91;anki:tts" in out


def test_anki_package_carries_no_sound_tag(kb, tmp_path):
    write(
        kb,
        "decks/evil.yaml",
        """
        name: Evil
        cards:
          - id: evil.sound
            q: "Hear [sound:evil.mp3]"
            a: "Code `[sound:x.mp3]`, and [click](javascript:alert(1))"
        """,
    )
    out = tmp_path / "x.apkg"
    result = CliRunner().invoke(cli, ["--kb", str(kb), "export", "anki", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        (tmp_path / "c.anki2").write_bytes(z.read("collection.anki2"))
    fields = " ".join(r[0] for r in sqlite3.connect(tmp_path / "c.anki2").execute("SELECT flds FROM notes"))
    assert "evil.mp3" in fields and "[sound:" not in fields
    assert "javascript:" not in fields.replace("](javascript:", "")  # shown as text, never an href
    assert 'href="javascript' not in fields


def test_markdown_export_and_sheets_drop_script_links(kb, tmp_path):
    write(
        kb,
        "decks/evil.yaml",
        """
        name: Evil
        cards:
          - id: evil.link
            q: What is this?
            a: "An ` unmatched tick <img src=x onerror=alert(1)> and [click](javascript:alert(1))"
            claims: [acme.checkout-latency]
        """,
    )
    result = CliRunner().invoke(cli, ["--kb", str(kb), "export", "markdown"])
    assert result.exit_code == 0, result.output
    assert "<img" not in result.stdout and "javascript:" not in result.stdout
    assert "&lt;img src=x onerror=alert(1)>" in result.stdout and "[click]" in result.stdout


def test_terminal_escapes_are_stripped_from_show_and_list(kb):
    write(
        kb,
        "decks/evil.yaml",
        r"""
        name: Evil
        cards:
          - id: evil.term
            q: "\e]0;pwned\a Title \e[2J cleared"
            a: "Body \e[31m red"
        """,
    )
    runner = CliRunner()
    for args in (["show", "evil.term"], ["list", "--deck", "evil"], ["search", "Title"]):
        result = runner.invoke(cli, ["--kb", str(kb), *args])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
        assert "Title" in result.stdout
    shown = runner.invoke(cli, ["--kb", str(kb), "show", "evil.term", "--json"]).stdout
    assert "\\u001b]0;pwned" in shown  # JSON is data for programs: kept, escaped
