"""The plain-document reader (prep.kb.yamlplain) answers as the full builder does: the
same data (types and key order too), the same line map (its order too) and, by handing
the document back, the same errors; and it does read the plain documents itself."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from prep.kb.yamlplain import plain_document
from prep.kb.yamlsrc import MAX_NODES, Loader, parse_events, parse_yaml

DATA = Path(__file__).parent / "data"


def same(text: str, offset: int = 0) -> tuple:
    """parse_yaml's answer, checked against the full builder's (by repr: 1, 1.0 and True
    differ there, and so does the order of a mapping or of the line map)."""
    got, full = parse_yaml(text, "decks/x.yaml", offset), parse_events(text, "decks/x.yaml", offset)
    assert repr(got) == repr(full)
    assert list(got[1].items()) == list(full[1].items())
    return got


def is_plain(text: str) -> bool:
    return plain_document(text, Loader, 0, MAX_NODES) is not None


# Plain scalars of every type the safe loader resolves, and texts that only look like one.
PLAIN = [
    *["1", "-3", "+7", "0", "017", "0o17", "0x1F", "1_000", "0b101", "190:20:30", "12e3"],
    *["1.5", "-.5", "1e3", "1.0e+3", "6.8523015e+5", ".inf", "-.Inf", ".nan", ".NaN", "1_0.5"],
    *["true", "True", "yes", "No", "off", "ON", "y", "n", "false"],
    *["~", "null", "Null", "NULL", ""],
    *["2020-01-02", "2001-12-14t21:59:43.10-05:00", "2002-12-14 21:59:43.10 -5"],
    *["text", "d49.c0", "t0", "nothing", "tilde~", "1.2.3", "0x", "o", "a b", "要点二", "索引 shard？", "<<x", "=x"],
]
QUOTED = ["'1'", '"true"', "'~'", '""', "'it''s'", '"tab\\tnew\\nline"', '"\\u8981\\u70b9"', "'要点 ok'", "'a: b, c'"]
BLOCKS = ["|\n  line one\n  - 要点\n", "|-\n  kept\n\n  gap\n", ">\n  folded\n  text\n", "|+\n  keep\n\n", ">-\n  x\n"]
# Each of these sends the document to the full builder (which alone reports errors).
SPECIAL = ["!!str 1", '!!int "3"', "! 12", "!!binary aGk=", "!!python/name:os.system x", "&a 1", "*a", "!!timestamp 2020-01-02", "="]
# (as written, the key it is); None: a key only the full builder reads.
KEYS = [("id", "id"), ("q", "q"), ("1", "1"), ("true", "true"), ("~", "~"), ("a.b", "a.b"), ("'x y'", "x y"), ("要点", "要点")]
KEYS += [("'<<'", "<<"), ("''", ""), ('"q"', "q")]
SPECIAL_KEYS = [("<<", None), ("!!merge <<", None), ("? [a]", None), ("&k id", None), ("*k", None)]


def _scalars(special: bool):
    plain = st.sampled_from(PLAIN + QUOTED + BLOCKS).map(lambda t: ("scalar", t, False))
    return plain | st.sampled_from(SPECIAL).map(lambda t: ("scalar", t, True)) if special else plain


def _mappings(children, special: bool):
    keys = st.sampled_from(KEYS + SPECIAL_KEYS) if special else st.sampled_from(KEYS)
    return st.lists(st.tuples(keys, children), max_size=4).map(lambda items: ("map", items, _special_map(items)))


def _special_map(items) -> bool:
    names = [name for (_, name), _ in items]
    return None in names or len(set(names)) < len(names) or any(child[2] for _, child in items)


def _sequences(children):
    return st.lists(children, max_size=4).map(lambda items: ("seq", items, any(child[2] for child in items)))


def trees(special: bool):
    """(kind, body, special): special if anything in it is for the full builder only."""
    return st.recursive(_scalars(special), lambda inner: _mappings(inner, special) | _sequences(inner), max_leaves=10)


def render(node, indent: int = 0) -> list[str]:
    """Block style; an empty container in flow style; a block scalar indented under its key."""
    kind, body, _ = node
    pad = " " * indent
    if kind == "scalar":
        return [body]
    if not body:
        return ["{}" if kind == "map" else "[]"]
    out = []
    for item in body:
        if kind == "seq":
            head, child = f"{pad}-", item
        elif item[0][0].startswith("?"):  # a complex key: its value follows on a line of its own
            head, child = f"{pad}{item[0][0]}\n{pad}:", item[1]
        else:
            head, child = f"{pad}{item[0][0]}:", item[1]
        if child[0] == "scalar" and "\n" in child[1]:
            first, *rest = child[1].rstrip("\n").split("\n")
            out += [f"{head} {first}", *(f"{pad}{line}" if line else "" for line in rest)]
        elif child[0] == "scalar" or not child[1]:
            out.append(f"{head} {render(child)[0]}".rstrip())
        else:
            out += [head, *render(child, indent + 2)]
    return out


def text_of(tree) -> str:
    return "\n".join(render(tree)) + "\n"


@settings(max_examples=500, deadline=None)
@given(trees(special=True), st.integers(0, 4))
def test_every_document_reads_as_the_full_builder_reads_it(tree, offset):
    same(text_of(tree), offset)


@settings(max_examples=300, deadline=None)
@given(trees(special=False))
def test_a_plain_document_is_read_by_the_plain_reader(tree):
    text = text_of(tree)
    errors = same(text)[2]
    assert (errors == []) == (not tree[2])  # special here: a duplicate key
    assert is_plain(text) == (not tree[2] and text.strip() != "")  # an empty stream is the full builder's


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3),
        max_leaves=12,
    ),
    st.sampled_from([None, False, True]),
)
def test_any_dumped_document_is_plain_and_reads_the_same(value, flow):
    text = yaml.safe_dump({"root": value}, allow_unicode=True, default_flow_style=flow)
    assert is_plain(text)
    same(text)


def test_what_the_plain_reader_hands_back():
    handed_back = ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "<<: {b: 1}\n", "? [a]\n: 1\n", "a: 1\n---\nb: 2\n", "", "a: [1\n", "a: =\n"]
    for text in handed_back:
        assert not is_plain(text), text
        same(text)
    assert all(is_plain(text) for text in ["'<<': 1\n", "~\n", "[]\n", "a: 2020-01-02\n"])


def test_a_document_past_the_node_cap_or_too_deep_is_the_full_builders():
    flat = "[" + ",".join(["1"] * 50) + "]\n"  # 51 nodes
    assert plain_document(flat, Loader, 0, 51) is not None and plain_document(flat, Loader, 0, 50) is None
    deep = "a:\n" + "".join(" " * (2 * i) + "-\n" for i in range(1, 80))
    assert not is_plain(deep)
    same(deep)


def test_the_line_map_keeps_the_full_builders_order_and_collisions():
    # "a.b" is a key and the path of a nested key: the line written last wins, in both.
    data, lines, _ = same("a.b: 1\na:\n  b: 2\n'': top\n")
    assert lines["a.b"] == 3 and lines[""] == 4 and data == {"a.b": 1, "a": {"b": 2}, "": "top"}
    # Under a key '', the value's keys have the paths of the key and of its siblings.
    data, lines, _ = same("x: 0\n'':\n  '': 1\n  x: 2\n")
    assert lines == {"": 2, "x": 4} and is_plain("'':\n  '': 1\n")


def test_every_file_of_the_test_knowledge_bases_reads_the_same():
    files = sorted(DATA.rglob("*.yaml"))
    assert files
    for path in files:
        same(path.read_text(encoding="utf-8"))
