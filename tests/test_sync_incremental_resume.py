"""An edited resume resyncs incrementally, and decides exactly as the full sync.

The resume holds the claims, projects and facts every other file is checked against, so
its edit is checked against the index's links to them: the other files are not read.
The fast path must accept what the full sync accepts and leave the same database
(`accepted`), refuse what it refuses with the same errors (`rejected`), and step aside
where it cannot tell from the index (a fact or a project dropped: texts citing a fact
are not indexed).
"""

from __future__ import annotations

import pytest
from test_sync_incremental import TW, accepted, add_card, both, counts, edit, rejected

from prep.index.sync import SyncResult, sync

RESUME = "stories/resume.yaml"
CLAIM = "      - id: acme.checkout-latency"
NEW_CLAIM = """      - id: acme.{id}
        text: "{text}"
"""
FACT = "          - id: acme.checkout-latency.p99"
NEW_FACT = """          - id: {id}
            text: {{en: "a second fact"}}
            status: assumed
"""


@pytest.fixture
def synced(db, kb, now):
    sync(db, kb, now=now)
    return db


def add_claim(kb, claim_id: str, text: str = "Ran 2,000 background tasks") -> None:
    edit(kb, RESUME, CLAIM, NEW_CLAIM.format(id=claim_id, text=text) + CLAIM)


def add_fact(kb, fact_id: str) -> None:
    edit(kb, RESUME, FACT, NEW_FACT.format(id=fact_id) + FACT)


def fell_back(db, kb, tmp_path, now, monkeypatch) -> SyncResult:
    """Accepted, by the full sync."""
    full, fast = both(db, kb, tmp_path, now, monkeypatch)
    assert isinstance(fast, SyncResult) and fast.checked == "full", fast
    assert counts(fast) == counts(full)  # type: ignore[arg-type]
    return fast


def test_editing_a_claims_text(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, RESUME, "Cut checkout", "Cut the checkout")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.parsed, result.updated) == ([RESUME], 1)
    text = synced.execute("SELECT text FROM claims WHERE id = 'acme.checkout-latency'").fetchone()[0]
    assert "Cut the checkout" in text
    assert synced.execute("SELECT count(*) FROM search WHERE type = 'claim' AND title LIKE '%Cut the checkout%'").fetchone() == (1,)


def test_editing_a_facts_text_and_the_skills_line(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, RESUME, "measured with Prometheus histograms", "measured with Prometheus native histograms")
    edit(kb, RESUME, "projects:\n", "skills: [Go, Kafka]\nprojects:\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    assert "native" in synced.execute("SELECT text FROM facts WHERE id = 'acme.checkout-latency.p99'").fetchone()[0]
    assert synced.execute("SELECT value FROM meta WHERE key = 'skills'").fetchone() == ('["Go","Kafka"]',)


def test_adding_a_claim_and_a_card_backing_it(synced, kb, tmp_path, now, monkeypatch):
    add_claim(kb, "tasks")
    add_card(kb, TW, "tw.tasks", extra="    claims: [acme.tasks]\n")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert result.added == 2
    assert synced.execute("SELECT src FROM links WHERE dst = 'acme.tasks'").fetchall() == [("tw.tasks",)]


def test_adding_a_fact_and_a_card_citing_it(synced, kb, tmp_path, now, monkeypatch):
    add_fact(kb, "acme.checkout-latency.load")
    edit(
        kb,
        TW,
        "    claims: [acme.checkout-latency]\n    kind",
        "    gist: 'Cites {{fact:acme.checkout-latency.load}}.'\n    claims: [acme.checkout-latency]\n    kind",
    )
    accepted(synced, kb, tmp_path, now, monkeypatch)
    assert synced.execute("SELECT status FROM facts WHERE id = 'acme.checkout-latency.load'").fetchone() == ("assumed",)


def test_removing_a_claim_nothing_backs_archives_it_and_keeps_its_history(synced, kb, tmp_path, now, monkeypatch):
    add_claim(kb, "tasks")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    synced.execute("INSERT INTO review_log (item_type, item_id, reviewed_at, rating) VALUES ('claim', 'acme.tasks', '2026-11-20T00:00:00+00:00', 3)")
    text = (kb / RESUME).read_text(encoding="utf-8")
    edit(kb, RESUME, NEW_CLAIM.format(id="tasks", text="Ran 2,000 background tasks"), "")
    result = accepted(synced, kb, tmp_path, now, monkeypatch)
    assert (result.archived, result.archived_history) == (1, [("claim", "acme.tasks", 1)])
    (kb / RESUME).write_text(text, encoding="utf-8")  # ... and back, with its history
    assert accepted(synced, kb, tmp_path, now, monkeypatch).restored == 1


def test_removing_a_claim_another_file_backs_is_refused(synced, kb, tmp_path, now, monkeypatch):
    add_claim(kb, "tasks")
    add_card(kb, TW, "tw.tasks", extra="    claims: [acme.tasks]\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    edit(kb, RESUME, NEW_CLAIM.format(id="tasks", text="Ran 2,000 background tasks"), "")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert [(e.file, e.message) for e in errors] == [(TW, "unknown claim 'acme.tasks'")]


def test_removing_a_claim_and_the_card_backing_it(synced, kb, tmp_path, now, monkeypatch):
    add_claim(kb, "tasks")
    add_card(kb, TW, "tw.tasks", extra="    claims: [acme.tasks]\n")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    edit(kb, RESUME, NEW_CLAIM.format(id="tasks", text="Ran 2,000 background tasks"), "")
    edit(kb, TW, "    claims: [acme.tasks]\n", "")
    assert accepted(synced, kb, tmp_path, now, monkeypatch).archived == 1


@pytest.mark.parametrize("taken", ["tw.basic", "checkout-latency", "performance"], ids=["card", "story", "deck"])
def test_a_new_claim_or_fact_id_another_file_uses_is_refused(synced, kb, tmp_path, now, monkeypatch, taken):
    add_claim(kb, "x")
    edit(kb, RESUME, "id: acme.x", f"id: {taken}")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert any(f"'{taken}'" in e.message for e in errors)
    edit(kb, RESUME, f"id: {taken}", "id: acme.x")
    add_fact(kb, taken)
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert any(f"'{taken}'" in e.message for e in errors)


def test_a_card_taking_a_facts_id_with_the_resume_edited_is_refused(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, RESUME, "Cut checkout", "Cut the checkout")
    add_card(kb, TW, "acme.checkout-latency.p99")
    rejected(synced, kb, tmp_path, now, monkeypatch)


def test_a_card_taking_the_id_of_a_claim_the_resume_dropped(synced, kb, tmp_path, now, monkeypatch):
    add_claim(kb, "tasks")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    edit(kb, RESUME, NEW_CLAIM.format(id="tasks", text="Ran 2,000 background tasks"), "")
    add_card(kb, TW, "acme.tasks")
    accepted(synced, kb, tmp_path, now, monkeypatch)


def test_a_citation_of_an_unknown_fact_in_the_resume_is_refused(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, RESUME, "Be ready to say how p99 was measured", "Be ready: {{fact:acme.nope}}")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert "unknown fact 'acme.nope'" in errors[0].message


def test_a_per_file_error_in_the_resume_is_the_full_syncs_to_report(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, RESUME, "risk: high", "risk: extreme")
    rejected(synced, kb, tmp_path, now, monkeypatch)


def test_dropping_a_fact_is_the_full_syncs_to_decide(synced, kb, tmp_path, now, monkeypatch):
    add_fact(kb, "acme.f2")
    accepted(synced, kb, tmp_path, now, monkeypatch)
    edit(kb, RESUME, NEW_FACT.format(id="acme.f2"), "")  # cited nowhere: accepted, by reading every file
    fell_back(synced, kb, tmp_path, now, monkeypatch)


def test_renaming_a_cited_fact_is_refused_by_the_full_sync(synced, kb, tmp_path, now, monkeypatch):
    edit(kb, RESUME, "acme.checkout-latency.p99   #", "acme.checkout-latency.p99x   #")
    errors = rejected(synced, kb, tmp_path, now, monkeypatch)
    assert [e.file for e in errors] == ["stories/checkout-latency.md"]  # the story citing it, found by reading it


def test_deleting_the_resume_is_the_full_syncs_to_decide(synced, kb, tmp_path, now, monkeypatch):
    (kb / RESUME).unlink()
    full, fast = both(synced, kb, tmp_path, now, monkeypatch)
    assert type(fast) is type(full)
    assert not isinstance(fast, SyncResult) or fast.checked == "full"
