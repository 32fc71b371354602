"""The YAML reader (prep.kb.yamlsrc) builds values from libyaml's events: what
`yaml.compose` + a constructor gave, with lines, for every shape a content file can take."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.kb.yamlsrc import parse_yaml


def parse(text: str, offset: int = 0):
    return parse_yaml(text, "decks/x.yaml", offset)


def messages(text: str) -> list[str]:
    return [f"{e.line}: {e.field}: {e.message}" for e in parse(text)[2]]


def test_values_and_lines_of_a_deck():
    text = "name: Kafka\ncards:\n  - id: a\n    q: {en: Why?}\n    difficulty: 4\n    tags: [x, y]\n  - id: b\n"
    data, lines, errors = parse(text)
    assert errors == []
    assert data == {"name": "Kafka", "cards": [{"id": "a", "q": {"en": "Why?"}, "difficulty": 4, "tags": ["x", "y"]}, {"id": "b"}]}
    assert lines["name"] == 1 and lines["cards.0"] == 3 and lines["cards.0.q.en"] == 4 and lines["cards.1.id"] == 7
    assert lines["cards.0.tags.1"] == 6
    assert parse(text, offset=3)[1]["cards.1.id"] == 10  # a story's front matter starts lower


def test_scalars_resolve_as_the_safe_loader_does():
    text = 'a: !!str 1\nb: !!int "3"\nc: ~\nd: yes\ne: 1.5\nf: 0x10\ng: "1"\nh: 2020-01-02\n'
    data, _, errors = parse(text)
    assert errors == []
    assert data == {"a": "1", "b": 3, "c": None, "d": True, "e": 1.5, "f": 16, "g": "1", "h": "2020-01-02"}


def test_an_alias_is_a_copy_of_its_anchor_with_the_anchors_lines():
    data, lines, errors = parse("a: &t [x, y]\nb: *t\nc: [*t]\n")
    assert errors == []
    assert data == {"a": ["x", "y"], "b": ["x", "y"], "c": [["x", "y"]]}
    assert data["b"] is not data["a"]  # editing one never changes the other
    assert lines["b.0"] == 1  # where the value is written


def test_aliases_inside_anchors_and_anchors_inside_aliases():
    data, _, errors = parse("- &a [&b 1, *b]\n- *a\n- *b\n")
    assert errors == []
    assert data == [[1, 1], [1, 1], 1]


def test_a_mapping_key_may_be_an_alias_to_a_string():
    assert parse("&k a: 1\nb: *k\n")[0] == {"a": 1, "b": "a"}


def test_anchor_and_alias_mistakes_are_named_with_their_line():
    assert messages("a: 1\nb: *nope\n") == ["2: : invalid YAML: found undefined alias 'nope'"]
    assert messages("a: &x 1\nb: &x 2\n") == ["2: : invalid YAML: found duplicate anchor; first occurrence second occurrence"]
    assert messages("a: &x [1, &x 2]\n") == ["1: : invalid YAML: found duplicate anchor; first occurrence second occurrence"]
    assert messages("a: &x\n  - *x\n") == ["2: : invalid YAML: alias *x is inside its own anchor &x (a cycle)"]


def test_alias_bomb_is_capped():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    data, _, errors = parse("\n".join(lines) + "\n")
    assert data is None and "alias bomb" in errors[0].message


def test_bad_keys_and_tags_skip_their_value_and_go_on():
    text = "? [a]\n: {deep: [1, 2]}\n<<: {m: 1}\nt: !!set {x, y}\nname: A\nname: B\nok: [1]\n"
    data, _, errors = parse(text)
    assert data == {"t": None, "name": "A", "ok": [1]}
    assert [f"{e.line}: {e.field}: {e.message}" for e in errors] == [
        "1: : mapping keys must be plain strings",
        "3: : merge keys (<<) are not supported",
        "4: t: unsupported value: tag tag:yaml.org,2002:set",
        "6: name: duplicate key 'name'",
    ]


def test_only_a_plain_or_tagged_double_less_than_is_a_merge_key():
    assert parse('"<<": quoted\n') == ({"<<": "quoted"}, {"": 1, "<<": 1}, [])
    for text in ("k: 1\n!!merge <<: {m: 1}\n", "k: 1\n<< : {m: 2}\n"):
        data, _, errors = parse(text)
        assert data == {"k": 1} and [f"{e.line}: {e.message}" for e in errors] == ["2: merge keys (<<) are not supported"]


def test_tags_other_than_plain_scalars_take_their_default():
    data, _, errors = parse("a: ! 12\nb: !!str 3\nc: !!seq [1]\nd: ! [1]\ne: !!map {k: v}\nf: '12'\ng: 12\nh: |\n  12\n")
    assert errors == []
    assert data == yaml.load("a: ! 12\nb: !!str 3\nc: !!seq [1]\nd: ! [1]\ne: !!map {k: v}\nf: '12'\ng: 12\nh: |\n  12\n", Loader=yaml.CSafeLoader)
    assert data["b"] == "3" and data["g"] == 12 and data["h"] == "12\n"


def test_unsafe_tags_are_content_errors():
    data, _, errors = parse("a: !!python/object/apply:os.system [ls]\nb: !!python/name:os.system x\nc: 1\n")
    assert data["c"] == 1 and data["b"] is None
    assert {e.field for e in errors} == {"a", "b"}


def test_documents_empty_and_many():
    assert parse("") == (None, {"": 1}, [])
    assert parse("# only a comment\n", offset=2) == (None, {"": 3}, [])
    assert parse("---\n...\n")[0] is None
    assert messages("a: 1\n---\nb: 2\n") == ["2: : invalid YAML: expected a single document in the stream but found another document"]


def test_syntax_errors_keep_their_line():
    assert messages("a: 1\nb: [1, 2\n")[0].startswith("3: : invalid YAML: while parsing a flow sequence")


_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.floats(allow_nan=False, allow_infinity=False))
_value = st.recursive(
    _scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3), max_leaves=12
)


@settings(max_examples=150, deadline=None)
@given(_value, st.sampled_from([None, False, True]))
def test_any_document_reads_back_as_the_safe_loader_reads_it(value, flow):
    text = yaml.safe_dump({"root": value}, allow_unicode=True, default_flow_style=flow)
    data, lines, errors = parse(text)
    assert errors == []
    assert data == yaml.load(text, Loader=yaml.CSafeLoader)
    assert lines["root"] >= 1
