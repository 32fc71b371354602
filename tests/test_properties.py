"""Property tests: whatever bytes are in a content file, the loader answers with
content errors (never another exception), and valid ids and texts round-trip."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prep.errors import ContentErrors
from prep.kb import loader
from prep.kb.models import ID_PATTERN

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_chars = st.text(alphabet=string.printable + "时间轮：，、「」—…\u3000\t", max_size=300)
yaml_like = st.lists(
    st.one_of(
        yaml_chars,
        st.sampled_from(
            [
                "name: x",
                "cards:",
                "  - id: a",
                "    q: Q",
                "    a: A",
                "- [",
                "{",
                "&a [*a]",
                "? x",
                "!!python/object:os.system",
                "<<: *a",
                "---",
                "...",
                "id: 1",
                "  claims: [x]",
            ]
        ),
    ),
    max_size=12,
).map("\n".join)


def load_or_content_error(root):
    try:
        loader.load(root)
    except ContentErrors as e:
        assert e.errors and all(err.file for err in e.errors)


@FUZZ
@given(text=yaml_like)
def test_arbitrary_deck_text_only_raises_content_errors(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("kb")
    (root / "decks").mkdir()
    (root / "stories").mkdir()
    (root / "decks/fuzz.yaml").write_text(text, encoding="utf-8")
    load_or_content_error(root)


@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_content_errors(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("kb")
    (root / "decks").mkdir()
    (root / "stories").mkdir()
    (root / "decks/fuzz.yaml").write_bytes(data)
    (root / "stories/fuzz.md").write_bytes(b"---\n" + data)
    load_or_content_error(root)


@FUZZ
@given(front=yaml_like, body=yaml_like)
def test_arbitrary_story_only_raises_content_errors(tmp_path_factory, front, body):
    root = tmp_path_factory.mktemp("kb")
    (root / "decks").mkdir()
    (root / "stories").mkdir()
    (root / "stories/s.md").write_text(f"---\n{front}\n---\n## Situation\n{body}\n", encoding="utf-8")
    load_or_content_error(root)


ids = st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 60)
# YAML cannot hold C0/C1 control characters (other than tab/newline) unescaped. A text with
# `.assumed` outside a `[text]{.assumed}` span is a content error by design (a stray marker
# would print literally), not a round-trip case: tests/test_truth*.py cover it.
texts = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=80).filter(lambda t: t.strip() and ".assumed" not in t)


@FUZZ
# "rt" is the deck's id (its file name): one id names one item, so no card may take it.
@given(card_ids=st.lists(ids.filter(lambda i: i != "rt"), min_size=1, max_size=5, unique=True), q=texts, a=texts)
def test_ids_and_text_round_trip(tmp_path_factory, card_ids, q, a):
    import json

    root = tmp_path_factory.mktemp("kb")
    (root / "decks").mkdir()
    (root / "stories").mkdir()
    cards = [{"id": cid, "q": {"zh": q, "en": q}, "a": a} for cid in card_ids]
    # JSON is valid YAML: this writes any text safely quoted
    (root / "decks/rt.yaml").write_text(json.dumps({"name": "RT", "cards": cards}, ensure_ascii=False), encoding="utf-8")
    kb = loader.load(root)
    assert list(kb.cards) == card_ids
    for cid in card_ids:
        assert kb.cards[cid].q == {"zh": q, "en": q} and kb.cards[cid].a == a
