"""How an Anki export looks up the HTML cache: for nothing it cannot hold, and a chunk of
cards at a time.

An empty cache, or one holding only another renderer's entries, can answer no lookup
but for texts the export itself wrote; a marker row per renderer says which is which.
Getting this wrong either costs a lookup per text (a first export ~4% slower) or, worse,
a re-export that renders everything again. A re-export asks for a chunk's texts in one
query, and must find what probes of one key each find. All checked here by the
statements the export sends and the texts it renders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from conftest import write
from test_anki_export import N_NOTES, col, counts, do_export, import_apkg, rich_kb  # noqa: F401  (fixtures)
from test_export_cache import cached_rows, package_notes

from prep.export import anki, anki_rows, html_cache, render

pytest.importorskip("anki")

PROBE = "SELECT html FROM export_html WHERE key = "
BATCH = "SELECT key, html FROM export_html WHERE key IN ("


def lookups(db, run: Callable[[], object]) -> tuple[list[str], list[str]]:
    """The cache lookups `run` makes, as SQLite ran them (keys as blob literals): the
    probes of one key, and the queries of a chunk's keys."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        db.conn.set_trace_callback(None)
    return [s for s in statements if s.startswith(PROBE)], [s for s in statements if s.startswith(BATCH)]


def probes(db, run: Callable[[], object]) -> list[str]:
    """Every lookup `run` makes, checked to be a probe of one key."""
    one, batches = lookups(db, run)
    assert batches == []
    return one


def marker_probe(renderer: bytes) -> str:
    return f"{PROBE}x'{html_cache.marker_key(renderer).hex()}'"


def rendered(monkeypatch) -> list[tuple[str, str]]:
    """(mode, text) of every text the cache can hold handed to markdown-it from now on."""
    seen: list[tuple[str, str]] = []
    block, inline = render.markdown_to_html, render.inline_html

    def cacheable(text: str) -> bool:
        return bool(text) and "![" not in text and not render._plain(text)

    def counted_block(text, *, image=None):
        seen.extend([("block", text)] if cacheable(text) else [])
        return block(text, image=image)

    def counted_inline(text):
        seen.extend([("inline", text)] if cacheable(text) else [])
        return inline(text)

    monkeypatch.setattr(render, "markdown_to_html", counted_block)
    monkeypatch.setattr(render, "inline_html", counted_inline)
    return seen


def markers(db) -> set[bytes]:
    return {k for (k,) in db.execute("SELECT key FROM export_html WHERE html = ''")}


def test_a_first_export_probes_only_the_marker_and_a_second_one_hits(rich_kb, db, col, tmp_path, monkeypatch):  # noqa: F811
    renderer = html_cache.current_renderer()
    assert renderer is not None and cached_rows(db) == 0
    seen = rendered(monkeypatch)
    sent = probes(db, lambda: do_export(db, rich_kb, tmp_path / "first.apkg"))
    assert sent == [marker_probe(renderer)]  # nothing else can be found in an empty table
    first = set(seen)
    assert len(first) > 5 and cached_rows(db) == len(first) + 1  # the renderings and the marker
    assert markers(db) == {html_cache.marker_key(renderer)}
    seen.clear()
    one, batches = lookups(db, lambda: anki.export(db, rich_kb, tmp_path / "again.apkg"))
    assert one[0] == marker_probe(renderer) and len(batches) == 1  # the cards: one chunk
    assert seen == []  # every one from the cache
    assert package_notes(tmp_path / "again.apkg") == package_notes(tmp_path / "first.apkg")
    assert counts(import_apkg(col, tmp_path / "again.apkg")) == (N_NOTES, 0, 0, 0)  # into a real collection


def test_a_text_repeated_in_a_first_export_is_rendered_once(kb, db, tmp_path, monkeypatch):
    """The second card comes after the first one's rendering was written (one row per
    write): without the marker, the table holds exactly what this export wrote."""
    answer = "**The same** answer:\\n\\n- twice"
    write(
        kb,
        "decks/twice.yaml",
        f"""
        name: {{en: Twice}}
        cards:
          - id: twice.one
            q: {{en: First?}}
            a: {{en: "{answer}"}}
          - id: twice.two
            q: {{en: Second?}}
            a: {{en: "{answer}"}}
        """,
    )
    monkeypatch.setattr(html_cache, "FLUSH_ROWS", 1)
    seen = rendered(monkeypatch)
    do_export(db, kb, tmp_path / "a.apkg", lang="en", deck="twice")
    assert seen.count(("block", "**The same** answer:\n\n- twice")) == 1
    fields = [f[0] for f in package_notes(tmp_path / "a.apkg").values()]
    assert len(fields) == 2 and all(b"<strong>The same</strong>" in f for f in fields)


def test_another_renderers_entries_are_not_probed(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    """After an upgrade (a new renderer identity) the old entries answer nothing: the
    first export probes only for its own marker; pruning then drops the old entries
    with their marker, and the old renderer would start afresh."""
    old, new = html_cache.renderer_identity(b"render.py, old"), html_cache.renderer_identity(b"render.py, new")
    monkeypatch.setattr(html_cache, "current_renderer", lambda: old)
    do_export(db, rich_kb, tmp_path / "old.apkg")
    stored = cached_rows(db)
    monkeypatch.setattr(html_cache, "current_renderer", lambda: new)
    seen = rendered(monkeypatch)
    assert probes(db, lambda: anki.export(db, rich_kb, tmp_path / "new.apkg")) == [marker_probe(new)]
    assert len(set(seen)) == stored - 1  # everything rendered afresh
    assert markers(db) == {html_cache.marker_key(old), html_cache.marker_key(new)} and cached_rows(db) == 2 * stored
    assert package_notes(tmp_path / "new.apkg") == package_notes(tmp_path / "old.apkg")
    monkeypatch.setattr(html_cache, "PRUNE_FACTOR", 1)
    one, batches = lookups(db, lambda: anki.export(db, rich_kb, tmp_path / "again.apkg"))
    assert one[0] == marker_probe(new) and len(batches) == 1
    assert markers(db) == {html_cache.marker_key(new)} and cached_rows(db) == stored
    monkeypatch.setattr(html_cache, "current_renderer", lambda: old)
    assert probes(db, lambda: anki.export(db, rich_kb, tmp_path / "old-again.apkg")) == [marker_probe(old)]


def test_a_chunks_texts_looked_up_at_once_give_what_probes_give(rich_kb, db, col, tmp_path, monkeypatch):  # noqa: F811
    """A re-export asks for each chunk's card texts in one query (here 2 cards a chunk);
    only the stories' few texts are probed one by one. The package is the one per-key
    probes make, and the one a fresh rendering makes, and Anki imports it."""
    do_export(db, rich_kb, tmp_path / "first.apkg")
    monkeypatch.setattr(anki_rows, "CHUNK", 2)
    seen = rendered(monkeypatch)
    one, batches = lookups(db, lambda: anki.export(db, rich_kb, tmp_path / "batched.apkg"))
    assert 2 <= len(batches) <= 4 and seen == []  # 7 cards in 4 chunks (one of plain texts only asks for nothing)
    with monkeypatch.context() as m:
        m.setattr(html_cache.HtmlCache, "prefetch", lambda self, blocks, inlines: None)
        per_key = probes(db, lambda: anki.export(db, rich_kb, tmp_path / "probed.apkg"))
    assert seen == []
    assert len(per_key) > len(one) >= 2  # per key: every text; batched: the marker and the stories' texts
    with monkeypatch.context() as m:
        m.setattr(html_cache, "current_renderer", lambda: None)  # no cache at all
        anki.export(db, rich_kb, tmp_path / "fresh.apkg")
    batched = package_notes(tmp_path / "batched.apkg")
    assert batched == package_notes(tmp_path / "probed.apkg") == package_notes(tmp_path / "fresh.apkg")
    assert counts(import_apkg(col, tmp_path / "batched.apkg")) == (N_NOTES, 0, 0, 0)


def test_a_failed_chunk_lookup_costs_probes_not_the_export(rich_kb, db, tmp_path, monkeypatch):  # noqa: F811
    do_export(db, rich_kb, tmp_path / "first.apkg")
    real, refused = db.conn, []

    class Failing:
        """The database connection, refusing the chunk queries (a locked schema)."""

        def execute(self, sql, *args):
            if sql.startswith(BATCH):
                refused.append(sql)
                raise sqlite3.OperationalError("database schema is locked")
            return real.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(html_cache.HtmlCache, "conn", property(lambda self: Failing(), lambda self, v: None), raising=False)
    seen = rendered(monkeypatch)
    anki.export(db, rich_kb, tmp_path / "again.apkg")
    assert refused and seen == []  # probed one by one instead, and found
    assert package_notes(tmp_path / "again.apkg") == package_notes(tmp_path / "first.apkg")
