"""The incremental resync (prep.index.incremental) must decide exactly as the full sync.

For each kind of edit, the same database is synced twice from the same state: once as
`prep sync` does (the fast path, when it applies) and once with the fast path switched
off. Both must accept or reject alike; on accept they must leave the same database,
row for row (rowids too: search entries and the audit read by rowid), equal to a
rebuild from scratch; on reject the errors must be those of a full `loader.load`, with
nothing written. An accepted edit must have taken the fast path (`checked`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write

from prep.errors import ContentErrors, PrepError
from prep.index import incremental
from prep.index.db import open_db
from prep.index.sync import SyncResult, sync
from prep.kb import loader

# Rows whose rowid matters (search entries are keyed by the item's rowid; facts are read in rowid order).
# (Links are compared as a set: the full sync writes all of a parsed file's links again, at the
# end of the table, the incremental one only those of items whose content changed.)
BY_ROWID = ("cards", "stories", "claims", "facts")
# Rewritten by INSERT OR REPLACE on every full sync: only their content counts.
BY_KEY = {"decks": "id", "projects": "id", "files": "kb, path", "meta": "key"}


def dump(db) -> dict[str, list]:
    out = {t: db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in BY_ROWID}
    out |= {t: db.execute(f"SELECT * FROM {t} ORDER BY {key}").fetchall() for t, key in BY_KEY.items()}
    out["search"] = db.execute("SELECT rowid, type, id, title, body FROM search ORDER BY rowid").fetchall()
    out["links"] = sorted(db.execute("SELECT * FROM links").fetchall())
    return out


def live(db) -> dict[str, list]:
    """What a rebuild from scratch must also give: the live items, without their history."""
    cols = {
        "cards": "id, deck, q, a, claims, tags, kind, difficulty, followups, source, gist, hash, file, line, position",
        "stories": "id, title, claims, competencies, minutes, tags, sections, followups, hash, file, line, position",
        "claims": "id, project, text, hash, file, line, position",
        "decks": "id, position, file, name, project, description",
        "projects": "id, position, company, name",
    }
    out = {t: db.execute(f"SELECT {c} FROM {t} WHERE archived = 0 ORDER BY id").fetchall() for t, c in cols.items()}
    out["links"] = sorted(db.execute("SELECT * FROM links").fetchall())
    out["facts"] = db.execute("SELECT * FROM facts ORDER BY rowid").fetchall()
    out["search"] = sorted(db.execute("SELECT type, id, title, body FROM search").fetchall())
    return out


def copy(db, path: Path):
    dest = sqlite3.connect(path)
    db.conn.backup(dest)
    dest.close()
    return open_db(path)


def full_only(monkeypatch) -> None:
    monkeypatch.setattr(incremental, "resync", lambda *a, **k: None)


def both(db, kb: Path, tmp_path: Path, now, monkeypatch) -> tuple[object, object]:
    """Sync a copy of `db` with the full sync only, then `db` as `prep sync` does: the
    outcomes (a SyncResult or the ContentErrors raised)."""
    other = copy(db, tmp_path / f"full-{len(list(tmp_path.glob('full-*')))}.db")
    outcomes = []
    for target, fast in ((other, False), (db, True)):
        with monkeypatch.context() as m:
            if not fast:
                full_only(m)
            try:
                outcomes.append(sync(target, kb, now=now))
            except (ContentErrors, PrepError) as e:
                outcomes.append(e)
    if isinstance(outcomes[0], SyncResult):
        assert dump(db) == dump(other)
    other.close()
    return outcomes[0], outcomes[1]


def counts(r: SyncResult) -> tuple:
    return (r.parsed, r.added, r.updated, r.archived, r.restored, r.archived_history, r.hints())


def accepted(db, kb, tmp_path, now, monkeypatch) -> SyncResult:
    full, fast = both(db, kb, tmp_path, now, monkeypatch)
    assert isinstance(full, SyncResult), full
    assert isinstance(fast, SyncResult), fast
    assert fast.checked == "incremental" and full.checked == "full"
    assert counts(fast) == counts(full)
    scratch = open_db(tmp_path / f"scratch-{len(list(tmp_path.glob('scratch-*')))}.db")
    sync(scratch, kb, now=now, force=True)
    assert live(db) == live(scratch)
    return fast


def rejected(db, kb, tmp_path, now, monkeypatch) -> list:
    before = dump(db)
    full, fast = both(db, kb, tmp_path, now, monkeypatch)
    assert isinstance(fast, ContentErrors) and isinstance(full, ContentErrors)
    with pytest.raises(ContentErrors) as loaded:
        loader.load(kb)
    assert fast.errors == full.errors == loaded.value.errors
    assert dump(db) == before  # nothing written
    return fast.errors


def edit(kb: Path, rel: str, old: str, new: str) -> None:
    path = kb / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


PERF, TW = "decks/performance.yaml", "decks/time-wheel.yaml"
CARD = """  - id: {id}
    q: {{en: "{q}"}}
    a: "{a}"
"""


def add_card(kb: Path, rel: str, card_id: str, a: str = "An answer.", extra: str = "") -> None:
    path = kb / rel
    path.write_text(path.read_text(encoding="utf-8") + CARD.format(id=card_id, q=f"About {card_id}?", a=a) + extra, encoding="utf-8")


@pytest.fixture
def synced(db, kb, now):
    sync(db, kb, now=now)
    return db


def test_editing_a_cards_text(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, TW, "放到上层轮", "放到上一层的轮")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.parsed, result.updated, result.added) == ([TW], 1, 0)


def test_adding_a_card_moves_every_later_card(synced, kb, tmp_path, now, monkeypatch):
    add_card(kb, PERF, "perf.new")  # performance.yaml sorts before time-wheel.yaml
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert result.added == 1
    assert synced.execute("SELECT position FROM cards WHERE id = 'tw.basic'").fetchone() == (3,)


def test_removing_a_card_archives_it_and_keeps_its_history(synced, kb, tmp_path, now, monkeypatch):
    synced.execute("INSERT INTO review_log (item_type, item_id, reviewed_at, rating) VALUES ('card', 'tw.hier', '2026-11-20T00:00:00+00:00', 3)")
    text = (kb / TW).read_text(encoding="utf-8")
    (kb / TW).write_text(text[: text.index("  - id: tw.hier")].replace("    followups: [tw.hier]\n", ""), encoding="utf-8")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.archived, result.archived_history) == (1, [("card", "tw.hier", 1)])
    # ... and it comes back with its history when its id returns
    (kb / TW).write_text(text, encoding="utf-8")
    assert accepted(synced, kb, tmp_path, now, monkeypatch).restored == 1


def test_removing_a_card_another_deck_follows_is_refused(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, TW, "    followups: [tw.hier]\n", "    followups: [tw.hier, perf.measure]\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    text = (kb / PERF).read_text(encoding="utf-8")
    (kb / PERF).write_text(text[: text.index("  - id: perf.measure")].replace("    followups: [perf.measure]", ""), encoding="utf-8")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert [(e.file, e.field) for e in errors] == [(TW, "cards[0].followups[1]")]


@pytest.mark.parametrize(
    "taken",
    ["perf.p99", "acme.checkout-latency", "acme.checkout-latency.p99", "checkout-latency", "acme", "performance"],
    ids=["card", "claim", "fact", "story", "project", "deck"],
)
def test_an_id_another_file_uses_is_refused(synced, kb, tmp_path, now, monkeypatch, taken):
    add_card(kb, TW, taken)
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert any(f"'{taken}'" in e.message for e in errors)


def test_a_deck_file_named_as_a_card_is_refused(synced, kb, tmp_path, now, monkeypatch):
    write(kb, "decks/perf.p99.yaml", "name: Clash\n")
    rejected(synced, kb, tmp_path, now, monkeypatch)


def test_an_id_moving_between_two_edited_files_is_kept(synced, kb, tmp_path, now, monkeypatch):
    text = (kb / TW).read_text(encoding="utf-8")
    (kb / TW).write_text(text[: text.index("  - id: tw.hier")].replace("    followups: [tw.hier]\n", ""), encoding="utf-8")
    add_card(kb, PERF, "tw.hier", a="Moved here.")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.added, result.archived, result.updated) == (0, 0, 2)  # tw.hier moved, tw.basic lost its followup
    assert synced.execute("SELECT deck FROM cards WHERE id = 'tw.hier'").fetchone() == ("performance",)


@pytest.mark.parametrize(
    "change",
    [
        lambda kb: edit(kb, TW, "claims: [acme.checkout-latency]\n    tags", "claims: [acme.nope]\n    tags"),
        lambda kb: edit(kb, TW, "followups: [tw.hier]", "followups: [tw.nope]"),
        lambda kb: edit(kb, TW, "project: acme", "project: nope"),
        lambda kb: edit(kb, "stories/checkout-latency.md", "claims: [acme.checkout-latency]", "claims: [acme.nope]"),
    ],
    ids=["card-claim", "followup", "deck-project", "story-claim"],
)
def test_a_link_to_an_unknown_item_is_refused(synced, kb, tmp_path, now, monkeypatch, change):
    change(kb)
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert "unknown" in errors[0].message


def test_a_followup_cycle_across_two_decks_is_refused(synced, kb, tmp_path, now, monkeypatch):
    add_card(kb, TW, "tw.next", extra="    followups: [perf.p99]\n")
    edit(kb, TW, "    kind: design\n", "    kind: design\n    followups: [tw.next]\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)  # tw.basic -> tw.hier -> tw.next -> perf.p99 -> perf.measure
    edit(kb, PERF, "    kind: defend-the-number\n", "    kind: defend-the-number\n    followups: [tw.basic]\n")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert [e.message for e in errors] == ["followup cycle: perf.p99 -> perf.measure -> tw.basic -> tw.hier -> tw.next -> perf.p99"]


def test_a_followup_chain_into_another_deck_is_accepted(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, PERF, "    kind: defend-the-number\n", "    kind: defend-the-number\n    followups: [tw.basic]\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)


def test_a_card_following_itself_is_refused(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, TW, "followups: [tw.hier]", "followups: [tw.basic]")
    rejected(synced, kb, tmp_path, now, monkeypatch)


def test_citations(synced, kb, tmp_path, now, monkeypatch):
    edit(
        kb,
        TW,
        "    claims: [acme.checkout-latency]\n    kind",
        "    gist: 'Cites {{fact:acme.checkout-latency.p99}}.'\n    claims: [acme.checkout-latency]\n    kind",
    )
    accepted(synced, kb, tmp_path, now, monkeypatch)
    edit(kb, TW, "{{fact:acme.checkout-latency.p99}}", "{{fact:acme.nope}}")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert "unknown fact 'acme.nope'" in errors[0].message


def test_a_malformed_assumption_span_is_refused(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, "stories/checkout-latency.md", "after a slow page]{.assumed})", "after a slow page]{.assumed)")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert "malformed assumption" in errors[0].message


def test_editing_a_story(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, "stories/checkout-latency.md", "one quarter", "one [short]{.assumed} quarter")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.parsed, result.updated) == (["stories/checkout-latency.md"], 1)


def test_adding_and_deleting_a_story(synced, kb, tmp_path, now, monkeypatch):
    story = (kb / "stories/checkout-latency.md").read_text(encoding="utf-8").replace("id: checkout-latency", "id: another")
    (kb / "stories/a-story.md").write_text(story, encoding="utf-8")  # sorts first: the other story moves
    assert accepted(synced, kb, tmp_path, now, monkeypatch).added == 1
    (kb / "stories/a-story.md").unlink()
    assert accepted(synced, kb, tmp_path, now, monkeypatch).archived == 1


def test_adding_a_deck_file(synced, kb, tmp_path, now, monkeypatch):
    write(kb, "decks/a-extra.yaml", "name: Extra\ncards:\n" + CARD.format(id="ex.one", q="One?", a="One.") + "    followups: [perf.p99]\n")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.parsed, result.added) == (["decks/a-extra.yaml"], 1)
    assert synced.execute("SELECT id FROM decks WHERE archived = 0 ORDER BY position").fetchall() == [("a-extra",), ("performance",), ("time-wheel",)]


def test_deleting_a_deck_file(synced, kb, tmp_path, now, monkeypatch):
    (kb / TW).unlink()
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.parsed, result.archived) == ([], 2)
    assert synced.execute("SELECT archived FROM decks WHERE id = 'time-wheel'").fetchone() == (1,)


def test_deleting_a_deck_another_deck_follows_is_refused(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, PERF, "    kind: defend-the-number\n", "    kind: defend-the-number\n    followups: [tw.basic]\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    (kb / TW).unlink()
    rejected(synced, kb, tmp_path, now, monkeypatch)


def test_renaming_a_deck_file(synced, kb, tmp_path, now, monkeypatch):
    (kb / TW).rename(kb / "decks/wheels.yaml")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.added, result.archived, result.updated) == (0, 0, 2)  # same cards, now in deck "wheels"


def test_a_file_touched_but_not_edited(synced, kb, tmp_path, now, monkeypatch):
    (kb / TW).write_text((kb / TW).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    (kb / TW).write_text((kb / TW).read_text(encoding="utf-8")[:-1], encoding="utf-8")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    path = kb / PERF
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # a new mtime, the same bytes
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert result.parsed == []


def test_a_per_file_error_is_the_full_syncs_to_report(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, TW, "difficulty: 4", "difficulty: 9")
    rejected(synced, kb, tmp_path, now, monkeypatch)


def test_a_deck_emptied_of_every_card_is_the_full_syncs_to_refuse(synced, kb, tmp_path, now, monkeypatch):
    (kb / TW).unlink()
    (kb / PERF).write_text("name: Performance\n", encoding="utf-8")
    full, fast = both(synced, kb, tmp_path, now, monkeypatch)
    assert isinstance(fast, PrepError) and "--allow-empty" in str(fast) and str(fast) == str(full)


Change = Callable[[Path], None]
FULL_ONLY: list[tuple[str, Change]] = [
    ("many files", lambda kb: [write(kb, f"decks/extra-{i}.yaml", "name: Extra\n") for i in range(incremental.MIN_FILES + 1)]),
]


@pytest.mark.parametrize("change", [c for _, c in FULL_ONLY], ids=[n for n, _ in FULL_ONLY])
def test_what_only_the_full_sync_does(synced, kb, tmp_path, now, monkeypatch, change: Change):
    change(kb)
    full, fast = both(synced, kb, tmp_path, now, monkeypatch)
    assert isinstance(fast, SyncResult) and fast.checked == "full"
    assert counts(fast) == counts(full)  # type: ignore[arg-type]


def test_an_index_of_another_sync_meanwhile_is_not_trusted(synced, kb, now, monkeypatch):
    from prep.index.db import set_meta

    edit(kb, TW, "放到上层轮", "放到上一层的轮")
    real = incremental._parse

    def meanwhile(root, plan):  # another process syncs between the plan and the write
        set_meta(synced, "content_version", "99")
        return real(root, plan)

    monkeypatch.setattr(incremental, "_parse", meanwhile)
    assert sync(synced, kb, now=now).checked == "full"


def test_a_sync_left_half_done_is_redone_in_full(synced, kb, now):
    from prep.index.db import set_meta

    set_meta(synced, "index_complete", "0")  # what a batched sync killed between batches leaves
    edit(kb, TW, "放到上层轮", "放到上一层的轮")
    assert sync(synced, kb, now=now).checked == "full"


def test_reordering_a_decks_cards(synced, kb, tmp_path, now, monkeypatch):
    text = (kb / TW).read_text(encoding="utf-8")
    head, first, second = (
        text[: text.index("  - id: tw.basic")],
        text[text.index("  - id: tw.basic") : text.index("  - id: tw.hier")],
        text[text.index("  - id: tw.hier") :],
    )
    (kb / TW).write_text(head + second.rstrip("\n") + "\n" + first, encoding="utf-8")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert result.updated == 0  # moved, not edited: positions and lines change, history and hashes do not
    assert synced.execute("SELECT id FROM cards WHERE deck = 'time-wheel' ORDER BY position").fetchall() == [("tw.hier",), ("tw.basic",)]


def test_an_index_written_by_an_older_prep_is_checked_in_full_once(synced, kb, now):
    synced.execute("DELETE FROM meta WHERE key = 'index_complete'")  # an older prep never said its index was complete
    edit(kb, TW, "放到上层轮", "放到上一层的轮")
    assert sync(synced, kb, now=now).checked == "full"
    edit(kb, TW, "放到上一层的轮", "放到上层轮")
    assert sync(synced, kb, now=now).checked == "incremental"


def test_a_big_sync_marks_the_index_incomplete_until_its_last_batch(db, kb, now, monkeypatch):
    from prep.index import batches
    from prep.index.db import get_meta

    monkeypatch.setattr(batches, "BATCH_ITEMS", 0)
    seen = []
    real = batches.Batches.tick
    monkeypatch.setattr(batches.Batches, "tick", lambda self: (seen.append(get_meta(db, "index_complete")), real(self))[1])
    sync(db, kb, now=now)
    assert seen and set(seen) == {"0"} and get_meta(db, "index_complete") == "1"


def test_an_id_passing_from_a_story_back_to_its_archived_card(synced, kb, tmp_path, now, monkeypatch):
    text = (kb / TW).read_text(encoding="utf-8")
    story = "stories/checkout-latency.md"
    (kb / TW).write_text(text[: text.index("  - id: tw.hier")].replace("    followups: [tw.hier]\n", ""), encoding="utf-8")
    accepted(synced, kb, tmp_path, now, monkeypatch)  # the card tw.hier archived
    edit(kb, story, "id: checkout-latency", "id: tw.hier")
    assert accepted(synced, kb, tmp_path, now, monkeypatch).added == 1  # now a story's id
    edit(kb, story, "id: tw.hier", "id: checkout-latency")
    (kb / TW).write_text(text, encoding="utf-8")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)  # a card again, in the same sync
    assert (result.restored, result.archived) == (2, 1)  # the card tw.hier and the story checkout-latency back; the story tw.hier gone


def test_a_deck_turned_into_a_link_out_of_the_knowledge_base_is_refused(synced, kb, tmp_path, now, monkeypatch):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((kb / TW).read_text(encoding="utf-8").replace("放到上层轮", "elsewhere"), encoding="utf-8")
    (kb / TW).unlink()
    (kb / TW).symlink_to(outside)
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert "outside the knowledge base" in errors[0].message


def test_deleting_the_first_deck_moves_the_others_up(synced, kb, tmp_path, now, monkeypatch):
    (kb / PERF).unlink()
    assert accepted(synced, kb, tmp_path, now, monkeypatch).archived == 2
    assert synced.execute("SELECT id, position FROM cards WHERE archived = 0 ORDER BY position").fetchall() == [("tw.basic", 0), ("tw.hier", 1)]
    assert synced.execute("SELECT id, position FROM decks WHERE archived = 0").fetchall() == [("time-wheel", 0)]


@pytest.mark.parametrize("refused", [False, True])
def test_the_page_cache_is_held_small_while_a_resync_writes_and_given_back(synced, kb, now, monkeypatch, refused):
    synced.execute("PRAGMA cache_size = -1234")  # what the command had set: it reads on with it
    edit(kb, TW, "放到上层轮", "放到上一层的轮")
    seen = []
    real = incremental._apply

    def apply(db, *args):
        seen.append(db.execute("PRAGMA cache_size").fetchone()[0])
        if refused:
            raise incremental.Fallback("as a clash found against the index would")
        return real(db, *args)

    monkeypatch.setattr(incremental, "_apply", apply)
    assert sync(synced, kb, now=now).checked == ("full" if refused else "incremental")
    assert seen == [-incremental.RESYNC_CACHE_KIB]
    assert synced.execute("PRAGMA cache_size").fetchone()[0] == -1234
