"""A first Anki export probes the HTML cache for nothing it cannot hold.

An empty cache, or one holding only another renderer's entries, can answer no probe
but for texts the export itself wrote; a marker row per renderer says which is which.
Getting this wrong either costs a probe per text (a first export ~4% slower) or, worse,
a re-export that renders everything again: both are checked here by the statements
the export sends and the texts it renders.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import write
from test_anki_export import N_NOTES, col, counts, do_export, import_apkg, rich_kb  # noqa: F401  (fixtures)
from test_export_cache import cached_rows, package_notes

from prep.export import anki, html_cache, render

pytest.importorskip("anki")

PROBE = "SELECT html FROM export_html WHERE key = "


def probes(db, run: Callable[[], object]) -> list[str]:
    """The cache lookups `run` makes, as SQLite ran them (keys as blob literals)."""
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        db.conn.set_trace_callback(None)
    return [s for s in statements if s.startswith(PROBE)]


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
    sent = probes(db, lambda: anki.export(db, rich_kb, tmp_path / "again.apkg"))
    assert sent[0] == marker_probe(renderer) and len(sent) == 1 + len(first)
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
    assert len(probes(db, lambda: anki.export(db, rich_kb, tmp_path / "again.apkg"))) == stored  # its marker and entries
    assert markers(db) == {html_cache.marker_key(new)} and cached_rows(db) == stored
    monkeypatch.setattr(html_cache, "current_renderer", lambda: old)
    assert probes(db, lambda: anki.export(db, rich_kb, tmp_path / "old-again.apkg")) == [marker_probe(old)]
