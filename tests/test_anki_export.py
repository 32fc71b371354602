"""Anki export, checked by importing into a real Anki collection (the `anki` library).

The acceptance: what the real Anki imports (counts, fields, tags, decks, media), and
what a re-import does: an edited card updates its note in place with its review
history kept, an unchanged export updates nothing, nothing is ever duplicated.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from click.testing import CliRunner
from conftest import REPO, write
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.cli import cli
from prep.export import anki, notetypes, render
from prep.index.db import open_db
from prep.index.sync import sync
from prep.kb import loader

pytest.importorskip("anki")
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition as UC

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
GO_LINE = 'if a < b && c > d { return "<ok>" }'
T0 = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)


@pytest.fixture
def rich_kb(kb) -> Path:
    """The sample knowledge base plus what export must get right: code, CJK, images, HTML."""
    write(
        kb,
        "decks/render.yaml",
        f"""
        name: {{zh: 渲染, en: Rendering}}
        project: acme
        description: Cards that exercise **rendering**.
        cards:
          - id: r.code
            q: "How do you write `a < b && c > d` in Go?"
            a: |
              时间轮的比较如下 ![wheel](images/时间轮.png)
              ```go
              {GO_LINE}
              ```
              ```nosuchlang
              <raw> & more
              ```
            claims: [acme.checkout-latency]
            tags: [go, code]
            followups: [r.script]
            source: "Go spec, https://go.dev/ref/spec"
          - id: r.script
            q: "<script>alert(1)</script> 是什么？"
            a: |
              <b>bold?</b> <script>alert("x")</script>
              | a | b |
              |---|---|
              | 1 | 2 |
            kind: trivia
          - id: r.plain
            q: {{zh: 普通问题？, en: A plain question?}}
            a: {{zh: 原来的答案。, en: The original answer.}}
            difficulty: 1
        """,
    )
    (kb / "decks/images").mkdir()
    (kb / "decks/images/时间轮.png").write_bytes(PNG)
    write(
        kb,
        "stories/render-story.md",
        """
        ---
        id: render-story
        title: {zh: 渲染的故事, en: A rendering story}
        claims: [acme.checkout-latency]
        competencies: [quality]
        tags: [render]
        ---
        ## Situation
        页面很慢 <script>x()</script>
        ## Task
        让它变快。
        ## Action
        ![flow](img/flow.png)
        ```python
        print(1 < 2)
        ```
        ## Result
        p99 从 800 ms 降到 120 ms。
        ## Follow-ups
        - 怎么测的？
          Prometheus 直方图。
        ## Lessons
        先测量。
        """,
    )
    (kb / "stories/img").mkdir()
    (kb / "stories/img/flow.png").write_bytes(PNG + b"flow")
    old = (T0 - dt.timedelta(days=1)).timestamp()
    for image in (kb / "decks/images/时间轮.png", kb / "stories/img/flow.png"):
        os.utime(image, (old, old))  # pictures predate the export, as in real use
    return kb


N_NOTES = 9  # 7 cards (2 perf, 2 time-wheel, 3 render) + 2 stories


def do_export(db, root: Path, out: Path, now=T0, **kw) -> anki.ExportResult:
    sync(db, root, now=now)
    return anki.export(db, root, out, **kw)


def import_apkg(col: Collection, path: Path):
    result = col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(
                merge_notetypes=True,
                update_notes=UC.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                update_notetypes=UC.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                with_scheduling=False,
            ),
        )
    )
    col.models._clear_cache()
    return result.log


def package_notes(path: Path) -> dict[str, tuple]:
    """guid -> (flds as bytes, tags, mod, mid, sort field) of a package's notes."""
    with zipfile.ZipFile(path) as z:
        data = z.read("collection.anki2")
    scratch = path.with_suffix(".anki2")
    scratch.write_bytes(data)
    conn = sqlite3.connect(scratch)
    try:
        rows = conn.execute("SELECT guid, CAST(flds AS BLOB), tags, mod, mid, sfld FROM notes").fetchall()
    finally:
        conn.close()
    return {r[0]: r[1:] for r in rows}


def counts(log) -> tuple[int, int, int, int]:
    return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)


@pytest.fixture
def col(tmp_path):
    (tmp_path / "anki").mkdir()
    c = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield c
    c.close()


def note_for(col: Collection, item_id: str, story: bool = False):
    guid = genanki.guid_for("story", item_id) if story else genanki.guid_for(item_id)
    nid = col.db.scalar("select id from notes where guid = ?", guid)
    assert nid, f"no note for {item_id}"
    return col.get_note(nid)


def text_of(field: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", field))


def snapshot(col: Collection) -> dict:
    notes = {r[0]: r[1:] for r in col.db.all("select id, guid, mod, flds, tags, mid from notes")}
    cards = {r[0]: r[1:] for r in col.db.all("select id, nid, did, ord, type, queue, due, ivl, reps, lapses from cards")}
    return {
        "notes": notes,
        "cards": cards,
        "revlog": col.db.all("select * from revlog order by id"),
        "decks": sorted(col.decks.all_names()),
        "schema": col.db.scalar("select scm from col"),
        # Content only: an import with merge_notetypes re-stamps the note types' mod.
        "models": {
            m["id"]: (m["name"], m["css"], [f["name"] for f in m["flds"]], [(t["qfmt"], t["afmt"]) for t in m["tmpls"]]) for m in col.models.all()
        },
    }


def assert_integrity(col: Collection) -> None:
    message, ok = col.fix_integrity()
    assert ok, message
    assert message.strip() == "Database rebuilt and optimized.", message


# --- rendering ---------------------------------------------------------------


def test_markdown_is_safe_and_code_survives():
    out = render.markdown_to_html(f"<script>alert(1)</script> `x<y&z`\n\n```go\n{GO_LINE}\n```\n\n```\n<p>&amp;\n```")
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<code>x&lt;y&amp;z</code>" in out
    assert '<pre class="highlight" style="background:' in out and 'style="color:' in out  # inline, no classes needed
    assert GO_LINE in text_of(out)
    assert "<pre><code>&lt;p&gt;&amp;amp;\n</code></pre>" in out
    assert render.markdown_to_html("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 时间轮？,.:;-#()'\"\u3000x1>*_`&<|~\\\n!")) | st.characters(), max_size=25))
def test_plain_text_fast_path_matches_the_parser(text):
    if render._plain(text):
        assert render.markdown_to_html(text) == render._md.render(text).rstrip("\n")
        assert render.inline_html(text) == render._md.renderInline(text).strip()


def test_deck_ids_are_stable_and_in_range():
    ids = {anki.deck_id(f"Interview Prep::ACME::deck {i}") for i in range(500)}
    assert len(ids) == 500 and all((1 << 30) <= i < (1 << 31) for i in ids)
    assert anki.deck_id("Interview Prep::时间轮") == anki.deck_id("Interview Prep::时间轮")


# --- the real Anki -------------------------------------------------------------


def test_export_imports_into_real_anki(rich_kb, db, col, tmp_path):
    out = tmp_path / "prep.apkg"
    result = do_export(db, rich_kb, out)
    assert (result.notes, result.cards, result.qa, result.stories, result.media) == (N_NOTES, N_NOTES, 7, 2, 2)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None

    assert counts(import_apkg(col, out)) == (N_NOTES, 0, 0, 0)
    assert col.note_count() == N_NOTES and col.card_count() == N_NOTES

    qa, story = col.models.by_name("prep Q&A"), col.models.by_name("prep STAR story")
    assert qa["id"] == notetypes.QA_MODEL_ID and story["id"] == notetypes.STORY_MODEL_ID
    assert [f["name"] for f in qa["flds"]] == ["Question", "Answer", "Claims", "Followups", "Source", "Gist", "Legend"]
    assert [f["name"] for f in story["flds"]][:7] == ["Title", "Situation", "Task", "Action", "Result", "Followups", "Claims"]
    assert ".nightMode" in qa["css"] and "@media" in qa["css"]

    assert set(col.decks.all_names()) >= {
        "Interview Prep",
        "Interview Prep::ACME Corp",
        "Interview Prep::ACME Corp::时间轮",
        "Interview Prep::ACME Corp::渲染",
        "Interview Prep::ACME Corp::Performance",
        "Interview Prep::ACME Corp::STAR 故事",
    }
    code = note_for(col, "r.code")
    assert col.decks.name(code.cards()[0].did) == "Interview Prep::ACME Corp::渲染"
    assert "<code>a &lt; b &amp;&amp; c &gt; d</code>" in code["Question"]
    assert '<pre class="highlight"' in code["Answer"] and "style=" in code["Answer"]
    assert GO_LINE in text_of(code["Answer"])
    assert "&lt;raw&gt; &amp; more" in code["Answer"]  # unknown language: escaped, not highlighted
    assert "时间轮的比较如下" in code["Answer"]
    assert "普通问题" not in code["Followups"] and "是什么？" in text_of(code["Followups"])
    assert "acme.checkout-latency" in code["Claims"] and "Cut checkout p99 latency" in code["Claims"]
    assert '<a href="https://go.dev/ref/spec">' in code["Source"]
    assert set(code.tags) >= {"go", "code", "deck::render", "kind::concept", "claim::acme.checkout-latency"}
    assert all(" " not in t for t in code.tags)

    # Images: packed once under a content-hash name, referenced by that name.
    names = re.findall(r'<img src="([^"]+)" alt="wheel"', code["Answer"])
    assert len(names) == 1 and re.fullmatch(r"prep-[0-9a-f]{16}\.png", names[0])
    assert (Path(col.media.dir()) / names[0]).read_bytes() == PNG

    script = note_for(col, "r.script")
    every_field = "".join(f for nid in col.find_notes("") for f in col.get_note(nid).fields)
    assert "<script" not in every_field.lower() and "<b>" not in every_field
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in script["Question"]
    assert "<table>" in script["Answer"]
    assert "kind::trivia" in script.tags

    tw = note_for(col, "tw.basic")
    assert "什么是时间轮？" in tw["Question"] and "环形数组" in tw["Answer"] and "分层时间轮" in tw["Followups"]

    s = note_for(col, "render-story", story=True)
    assert "渲染的故事" in s["Title"] and "&lt;script&gt;" in s["Situation"] and "120 ms" in s["Result"]
    assert "怎么测的" in s["Followups"] and "Prometheus" in s["Followups"] and "先测量" in s["Lessons"]
    assert re.search(r'<img src="prep-[0-9a-f]{16}\.png" alt="flow"', s["Action"])
    assert set(s.tags) >= {"story", "render", "competency::quality", "claim::acme.checkout-latency"}

    # New cards come in document order.
    order = col.db.list("select n.guid from cards c join notes n on n.id = c.nid order by c.due")
    expected = [genanki.guid_for(i) for i in ("perf.p99", "perf.measure", "r.code", "r.script", "r.plain", "tw.basic", "tw.hier")]
    assert order[:7] == expected
    assert_integrity(col)


def test_edited_card_updates_in_place_and_keeps_history(rich_kb, db, col, tmp_path):
    do_export(db, rich_kb, tmp_path / "a.apkg")
    import_apkg(col, tmp_path / "a.apkg")
    before_note = note_for(col, "r.plain")
    card = before_note.cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    answered = col.get_card(card.id)
    assert answered.type != 0 and col.db.scalar("select count() from revlog where cid = ?", card.id) == 1
    before = snapshot(col)

    deck = rich_kb / "decks/render.yaml"
    deck.write_text(deck.read_text(encoding="utf-8").replace("原来的答案。", "改过的答案。"), encoding="utf-8")
    do_export(db, rich_kb, tmp_path / "b.apkg", now=T0 + dt.timedelta(minutes=5))
    new, updated, duplicate, conflicting = counts(log := import_apkg(col, tmp_path / "b.apkg"))
    assert (new, updated, duplicate, conflicting) == (0, 1, N_NOTES - 1, 0)
    assert log.updated[0].id.nid == before_note.id

    after = snapshot(col)
    note = note_for(col, "r.plain")
    assert note.id == before_note.id and "改过的答案。" in note["Answer"] and "原来的答案" not in note["Answer"]
    assert after["revlog"] == before["revlog"]
    assert after["cards"] == before["cards"]  # scheduling, decks and order untouched
    changed = {nid for nid in before["notes"] if before["notes"][nid] != after["notes"][nid]}
    assert changed == {note.id} and set(after["notes"]) == set(before["notes"])
    assert (after["decks"], after["models"], after["schema"]) == (before["decks"], before["models"], before["schema"])
    assert_integrity(col)


def test_unchanged_export_updates_nothing(rich_kb, db, col, tmp_path):
    do_export(db, rich_kb, tmp_path / "a.apkg")
    assert counts(import_apkg(col, tmp_path / "a.apkg")) == (N_NOTES, 0, 0, 0)
    before = snapshot(col)
    do_export(db, rich_kb, tmp_path / "b.apkg", now=T0 + dt.timedelta(minutes=5))
    assert counts(import_apkg(col, tmp_path / "b.apkg")) == (0, 0, N_NOTES, 0)
    assert snapshot(col) == before
    assert_integrity(col)


def test_language_switch_updates_every_note_it_changes_once(rich_kb, db, col, tmp_path):
    do_export(db, rich_kb, tmp_path / "zh.apkg", lang="zh")
    import_apkg(col, tmp_path / "zh.apkg")
    do_export(db, rich_kb, tmp_path / "en.apkg", lang="en")
    zh, en = package_notes(tmp_path / "zh.apkg"), package_notes(tmp_path / "en.apkg")
    changed = sum(zh[g][0] != en[g][0] for g in zh)  # a text written in one language only reads the same
    assert 0 < changed < N_NOTES
    assert counts(import_apkg(col, tmp_path / "en.apkg")) == (0, changed, N_NOTES - changed, 0)
    assert "A plain question?" in note_for(col, "r.plain")["Question"]
    do_export(db, rich_kb, tmp_path / "en2.apkg", lang="en")
    assert counts(import_apkg(col, tmp_path / "en2.apkg")) == (0, 0, N_NOTES, 0)
    assert col.note_count() == N_NOTES


def test_filters(rich_kb, db, tmp_path):
    sync(db, rich_kb, now=T0)
    assert anki.export(db, rich_kb, tmp_path / "a.apkg", deck="time-wheel").summary().startswith("2 notes (2 Q&A, 0 stories)")
    one = anki.ExportResult(tmp_path / "b.apkg", notes=1, cards=1, media=1, decks=1, qa=0, stories=1)
    assert one.summary() == "1 note (0 Q&A, 1 story), 1 card, 1 media file, 1 deck"  # counted, not "1 stories"
    assert anki.export(db, rich_kb, tmp_path / "b.apkg", tag="render").stories == 1
    assert anki.export(db, rich_kb, tmp_path / "c.apkg", kind="trivia").notes == 1
    assert anki.export(db, rich_kb, tmp_path / "d.apkg", claim="acme.checkout-latency", stories=False).notes == 5
    with pytest.raises(anki.ExportError, match="nothing to export"):
        anki.export(db, rich_kb, tmp_path / "e.apkg", deck="no-such-deck")


# --- the command line ----------------------------------------------------------


def test_cli_export_and_import(rich_kb, col, tmp_path):
    out = tmp_path / "out.apkg"
    result = CliRunner().invoke(cli, ["--kb", str(rich_kb), "export", "anki", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert str(out) in result.output and f"{N_NOTES} notes" in result.output and f"{N_NOTES} cards" in result.output
    assert "2 media files" in result.output
    assert counts(import_apkg(col, out)) == (N_NOTES, 0, 0, 0)


def test_bad_images_are_clear_errors(rich_kb, tmp_path):
    write(
        rich_kb,
        "decks/bad.yaml",
        """
        name: Bad
        cards:
          - id: bad.missing
            q: Where is the picture?
            a: "![gone](images/nope.png)"
          - id: bad.outside
            q: Outside?
            a: "![x](../../../../etc/hostname.png) ![y](/etc/passwd)"
        """,
    )
    out = tmp_path / "bad.apkg"
    result = CliRunner().invoke(cli, ["--kb", str(rich_kb), "export", "anki", "-o", str(out)])
    assert result.exit_code == 1
    assert "decks/bad.yaml:3: card bad.missing: image 'images/nope.png' not found" in result.output
    assert "decks/bad.yaml:6: card bad.outside: image '../../../../etc/hostname.png' is outside the knowledge base" in result.output
    assert "image '/etc/passwd' is outside" in result.output
    assert not out.exists() and not list(tmp_path.glob(".bad.apkg*"))


def test_builtin_knowledge_base(col, tmp_path):
    kb = loader.load(REPO)  # an invalid built-in knowledge base fails here: it ships
    db = open_db(tmp_path / "builtin.db")
    result = do_export(db, REPO, tmp_path / "builtin.apkg")
    n = len(kb.cards) + len(kb.stories)
    assert (result.notes, result.qa, result.stories) == (n, len(kb.cards), len(kb.stories))
    assert counts(import_apkg(col, tmp_path / "builtin.apkg")) == (n, 0, 0, 0)
    assert col.note_count() == n and col.card_count() == n
    assert all(name == "Interview Prep" or name.startswith("Interview Prep::") for name in col.decks.all_names() if name != "Default")
    first = next(iter(kb.cards))
    assert note_for(col, first)["Question"]
    assert_integrity(col)
