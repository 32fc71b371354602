"""Random small edits to a small synthetic knowledge base: the incremental resync must
accept and reject exactly what the full sync does, and leave the same database.

Each example builds a valid knowledge base, syncs it, then applies a few rounds of
random edits (texts with good and bad citations and assumption spans, cards added and
removed, links to known and unknown items, follow-ups that may close a cycle across
decks, ids that may clash with any kind of item, deck and story files added, removed
and renamed; in the resume, claims and facts added, removed and edited, ids that may
clash, citations in its notes). After each round two copies of the database are synced:
one as `prep sync` does, one with the incremental path switched off. An edit the full
sync accepts must also have been checked incrementally, unless it dropped a fact of the
index (texts citing a fact are not indexed: that one is the full sync's to check).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_sync_incremental import counts, dump, live

from prep.errors import ContentErrors, PrepError
from prep.index import incremental
from prep.index.db import open_db
from prep.index.sync import SyncResult, sync
from prep.kb import loader


def resume() -> dict:
    c1 = {"id": "c1", "text": "First claim", "facts": [{"id": "c1.f", "text": "a fact", "status": "confirmed"}]}
    return {
        "projects": [
            {"id": "p1", "company": "One", "claims": [c1, {"id": "c2", "text": "Second claim"}]},
            {"id": "p2", "company": "Two", "claims": [{"id": "c3", "text": "Third claim"}]},
        ]
    }


# Card ids: mostly free, a few taken by a claim, a fact, a project, a deck or a story.
IDS = [f"k{i}" for i in range(8)] + ["c1", "c1.f", "p2", "d1", "s0"]
TEXTS = ["plain", "cites {{fact:c1.f}}", "cites {{fact:nope}}", "an [ok]{.assumed} guess", "a [bad]{.assumed guess", "**bold**"]
CLAIMS = ["c1", "c2", "c3", "cx"]
DECKS = ["d0", "d1", "d2", "d3"]
STORIES = ["s0", "s1", "s2"]


def card(i: str, text: str = "plain", claims=(), followups=()) -> dict:
    return {"id": i, "q": f"What is {i}?", "a": text, "claims": list(claims), "followups": list(followups)}


def start() -> dict:
    return {
        "decks": {
            "d0": [card("k0", followups=["k1"]), card("k1", claims=["c1"])],
            "d1": [card("k2", "cites {{fact:c1.f}}", followups=["k0"]), card("k3")],
            "d2": [card("k4", claims=["c3"])],
        },
        "stories": {"s0": {"id": "s0", "claims": ["c1"], "text": "plain"}, "s1": {"id": "s1", "claims": [], "text": "an [ok]{.assumed} guess"}},
        "resume": resume(),
    }


def fact_ids(state: dict) -> set[str]:
    return {f["id"] for p in state["resume"]["projects"] for c in p["claims"] for f in c.get("facts", [])}


def write_kb(root: Path, state: dict, clock: list[int]) -> None:
    """The files of `state`; every file written gets a new mtime (same-size edits within
    one clock tick would otherwise look unchanged to any sync)."""
    wanted = {"stories/resume.yaml": json.dumps(state["resume"], indent=1)}
    for name, cards in state["decks"].items():
        wanted[f"decks/{name}.yaml"] = json.dumps({"name": name, "cards": cards}, indent=1)  # JSON is YAML
    for name, s in state["stories"].items():
        front = f"---\nid: {s['id']}\ntitle: Story {name}\nclaims: {json.dumps(s['claims'])}\nlang: en\n---\n"
        wanted[f"stories/{name}.md"] = front + "".join(f"## {sec}\n{s['text']} {sec}\n\n" for sec in ("Situation", "Task", "Action", "Result"))
    for folder in ("decks", "stories"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for path in (root / folder).iterdir():
            if f"{folder}/{path.name}" not in wanted:
                path.unlink()
    for rel, text in wanted.items():
        path = root / rel
        if path.exists() and path.read_text(encoding="utf-8") == text and state.get("touch") != rel:
            continue
        path.write_text(text, encoding="utf-8")
        clock[0] += 1_000_000
        os.utime(path, ns=(clock[0], clock[0]))
    state.pop("touch", None)


ids = st.sampled_from(IDS)
edits = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(DECKS), st.integers(0, 3), st.sampled_from(TEXTS)),
    st.tuples(st.just("add"), st.sampled_from(DECKS), ids, st.lists(st.sampled_from(CLAIMS), max_size=2)),
    st.tuples(st.just("remove"), st.sampled_from(DECKS), st.integers(0, 3)),
    st.tuples(st.just("followups"), st.sampled_from(DECKS), st.integers(0, 3), st.lists(st.sampled_from([*IDS[:6], "kx"]), max_size=2)),
    st.tuples(st.just("claims"), st.sampled_from(DECKS), st.integers(0, 3), st.lists(st.sampled_from(CLAIMS), max_size=2)),
    st.tuples(st.just("deck"), st.sampled_from(DECKS), st.sampled_from(["add", "remove", "rename"])),
    st.tuples(st.just("story"), st.sampled_from(STORIES), st.sampled_from(["add", "remove", "text", "claims", "id"]), st.integers(0, 5)),
    st.tuples(st.just("touch"), st.sampled_from(DECKS)),
    st.tuples(st.just("resume"), st.sampled_from(["text", "notes", "add", "remove", "fact", "unfact"]), st.integers(0, 11)),
)
# New claim and fact ids: mostly free, one a card links to already (cx), some taken by an item of any kind.
NEW_IDS = ["c4", "cx", "c5", "k0", "c1.f", "d1", "s0", "p2", "c2.f", "k3", "c1", "c6"]


def edit_resume(state: dict, what: str, n: int) -> None:
    projects = state["resume"]["projects"]
    claims = [c for p in projects for c in p["claims"]]
    if what == "add":
        projects[n % 2]["claims"].append({"id": NEW_IDS[n], "text": "New claim"})
    elif not claims:
        return
    elif what == "text":
        claims[n % len(claims)]["text"] = f"Claim, edited {n}"
    elif what == "notes":
        claims[n % len(claims)]["notes"] = TEXTS[n % len(TEXTS)]  # citations, assumption spans
    elif what == "remove":
        for p in projects:
            p["claims"] = [c for c in p["claims"] if c is not claims[n % len(claims)]]
    elif what == "fact":
        claims[0].setdefault("facts", []).append({"id": NEW_IDS[n], "text": "another fact", "status": "assumed"})
    elif claims[0].get("facts"):
        claims[0]["facts"].pop()


def apply(state: dict, e: tuple) -> None:
    decks, stories = state["decks"], state["stories"]
    kind, name = e[0], e[1]
    if kind == "resume":
        edit_resume(state, name, e[2])
        return
    if kind == "story":
        _, _, what, n = e
        if what == "add" or name not in stories:
            stories[name] = {"id": name, "claims": [], "text": TEXTS[n]}
        elif what == "remove":
            del stories[name]
        elif what == "text":
            stories[name]["text"] = TEXTS[n]
        elif what == "claims":
            stories[name]["claims"] = [CLAIMS[n % 4]]
        else:
            stories[name]["id"] = IDS[n + 6]  # may clash with an item of any kind
        return
    if kind == "deck":
        if e[2] == "add":
            decks.setdefault(name, [card(f"k{len(name) + len(decks)}")])
        elif e[2] == "remove":
            decks.pop(name, None)
        elif name in decks:
            decks[f"{name}x"] = decks.pop(name)
        return
    if kind == "touch":
        if name in decks:
            state["touch"] = f"decks/{name}.yaml"
        return
    cards = decks.setdefault(name, [])
    if kind == "add":
        cards.insert(len(cards) // 2, card(e[2], claims=e[3]))
        return
    if not cards:
        return
    c = cards[e[2] % len(cards)]
    if kind == "text":
        c["a"] = e[3]
    elif kind == "remove":
        cards.remove(c)
    elif kind in ("followups", "claims"):
        c[kind] = e[3]


def outcome(db, root: Path, now, fast: bool):
    with mock.patch.object(incremental, "resync", incremental.resync if fast else (lambda *a, **k: None)):
        try:
            return sync(db, root, now=now)
        except (ContentErrors, PrepError) as e:
            return e


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(st.lists(edits, min_size=1, max_size=3), min_size=1, max_size=3))
def test_incremental_resync_decides_as_the_full_sync(rounds, now):
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        root, clock, state = tmp_path / "kb", [1_700_000_000_000_000_000], start()
        write_kb(root, state, clock)
        fast_db = open_db(tmp_path / "fast.db")
        sync(fast_db, root, now=now)
        full_db = open_db(tmp_path / "full.db")
        with sqlite3.connect(tmp_path / "full.db") as dest:
            fast_db.conn.backup(dest)
        full, indexed_facts = None, fact_ids(state)
        for edit_round in rounds:
            for e in edit_round:
                apply(state, e)
            write_kb(root, state, clock)
            full, fast = outcome(full_db, root, now, fast=False), outcome(fast_db, root, now, fast=True)
            assert type(full) is type(fast)
            event(f"{type(fast).__name__} {getattr(fast, 'checked', '')}")
            if isinstance(full, SyncResult):
                assert isinstance(fast, SyncResult)
                assert dump(fast_db) == dump(full_db)
                assert counts(fast) == counts(full)
                if indexed_facts <= fact_ids(state):
                    assert fast.checked in ("incremental", "none"), "the full sync accepted an edit the incremental one did not"
                indexed_facts = fact_ids(state)
            else:
                assert str(fast) == str(full)
                if isinstance(full, ContentErrors):
                    try:
                        loader.load(root)
                    except ContentErrors as loaded:
                        assert loaded.errors == full.errors
        scratch = open_db(tmp_path / "scratch.db")
        if isinstance(full, SyncResult) and isinstance(outcome(scratch, root, now, fast=False), SyncResult):
            assert live(fast_db) == live(scratch)
        for db in (fast_db, full_db, scratch):
            db.close()
