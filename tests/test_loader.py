"""The loader: good content loads; every kind of bad content is reported with file:line."""

from __future__ import annotations

import pytest
from conftest import write

from prep.errors import ContentErrors
from prep.kb import loader


def errors_of(root) -> list[str]:
    with pytest.raises(ContentErrors) as exc:
        loader.load(root)
    return [str(e) for e in exc.value.errors]


def test_sample_kb_loads(kb):
    loaded = loader.load(kb)
    assert set(loaded.cards) == {"perf.p99", "perf.measure", "tw.basic", "tw.hier"}
    assert loaded.card_deck["tw.basic"] == "time-wheel"
    assert loaded.claim_project["acme.checkout-latency"] == "acme"
    story = loaded.stories["checkout-latency"]
    assert story.sections["Situation"]["en"].startswith("Checkout p99")
    assert story.followups[0].question == {"en": "How did you measure p99?"}
    assert "Prometheus histogram" in story.followups[0].notes["en"]
    assert loaded.where[("card", "tw.hier")] == ("decks/time-wheel.yaml", 14)


def test_unknown_key_names_file_line_and_field(kb):
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("    kind: design\n", "    kind: design\n    hint: oops\n"))
    assert errors_of(kb) == ["decks/time-wheel.yaml:19: cards[1].hint: unknown key 'hint'"]


def test_wrong_type_and_bad_value(kb):
    path = kb / "decks/time-wheel.yaml"
    text = path.read_text().replace("difficulty: 4", "difficulty: 9").replace("tags: [timer]", "tags: timer")
    path.write_text(text)
    errs = errors_of(kb)
    assert any(e.startswith("decks/time-wheel.yaml:19: cards[1].difficulty:") and "must be at most 5" in e for e in errs)
    assert any(e.startswith("decks/time-wheel.yaml:12: cards[0].tags:") for e in errs)


def test_text_field_rejects_unknown_language(kb):
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("en: What is a timing wheel?", "fr: Quoi?"))
    (err,) = errors_of(kb)
    assert err.startswith("decks/time-wheel.yaml:5: cards[0].q:") and "zh and/or en" in err


def test_duplicate_ids_across_files(kb):
    write(
        kb,
        "decks/zz-dup.yaml",
        """
        name: Dup
        cards:
          - id: tw.basic
            q: again
            a: again
        """,
    )
    (err,) = errors_of(kb)
    assert err == "decks/zz-dup.yaml:3: cards[0].id: id 'tw.basic' is used by the card at decks/time-wheel.yaml:4 and the card at decks/zz-dup.yaml:3"


@pytest.mark.parametrize(
    ("rel", "text", "where"),
    [
        # a card with a claim's id
        (
            "decks/zz-dup.yaml",
            "name: Dup\ncards:\n  - id: acme.checkout-latency\n    q: again\n    a: again\n",
            "decks/zz-dup.yaml:3: cards[0].id: id 'acme.checkout-latency' is used by the claim at stories/resume.yaml:{line} and the card at decks/zz-dup.yaml:3",
        ),
        # a story with a deck's id (the deck file's name)
        (
            "stories/time-wheel.md",
            "---\nid: time-wheel\ntitle: T\n---\n## Situation\ns\n## Task\nt\n## Action\na\n## Result\nr\n",
            "stories/time-wheel.md:2: id: id 'time-wheel' is used by the deck at decks/time-wheel.yaml:1 and the story at stories/time-wheel.md:2",
        ),
    ],
)
def test_one_id_names_one_item_across_kinds(kb, rel, text, where):
    claim_line = loader.load(kb).where[("claim", "acme.checkout-latency")][1]
    (kb / rel).write_text(text, encoding="utf-8")
    assert errors_of(kb) == [where.format(line=claim_line)]


def test_duplicate_yaml_key(kb):
    write(
        kb,
        "decks/dup-key.yaml",
        """
        name: A
        name: B
        """,
    )
    assert errors_of(kb) == ["decks/dup-key.yaml:2: name: duplicate key 'name'"]


def test_dangling_links(kb):
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("followups: [tw.hier]", "followups: [tw.nope]").replace("project: acme", "project: nope"))
    story = kb / "stories/checkout-latency.md"
    story.write_text(story.read_text().replace("claims: [acme.checkout-latency]", "claims: [acme.missing]"))
    assert errors_of(kb) == [
        "decks/time-wheel.yaml:2: project: unknown project 'nope'",
        "decks/time-wheel.yaml:13: cards[0].followups[0]: unknown card 'tw.nope'",
        "stories/checkout-latency.md:6: claims[0]: unknown claim 'acme.missing'",
    ]


def test_followup_cycle(kb):
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("    kind: design\n", "    kind: design\n    followups: [tw.basic]\n"))
    (err,) = errors_of(kb)
    assert "followup cycle: tw.basic -> tw.hier -> tw.basic" in err
    assert err.startswith("decks/time-wheel.yaml:14:")


def test_malformed_yaml(kb):
    write(
        kb,
        "decks/broken.yaml",
        """
        name: ok
        cards:
          - id: x
            q: [unclosed
        """,
    )
    (err,) = errors_of(kb)
    assert err.startswith("decks/broken.yaml:5:") and "invalid YAML" in err


def test_binary_file(kb):
    (kb / "decks/image.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert errors_of(kb) == ["decks/image.yaml: binary file (contains NUL bytes), not YAML/Markdown text"]


def test_invalid_utf8(kb):
    (kb / "decks/latin1.yaml").write_bytes("name: café\n".encode("latin-1"))
    (err,) = errors_of(kb)
    assert err.startswith("decks/latin1.yaml:1:") and "UTF-8" in err


def test_yaml_bomb_is_refused_quickly(kb):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    (kb / "decks/bomb.yaml").write_text("\n".join(lines) + "\n")
    (err,) = errors_of(kb)
    assert err.startswith("decks/bomb.yaml:1:") and "alias bomb" in err


def test_huge_file(kb, monkeypatch):
    import prep.kb.yamlsrc

    monkeypatch.setattr(prep.kb.yamlsrc, "MAX_FILE_BYTES", 5000)
    (kb / "decks/huge.yaml").write_text("name: x\n" + "# pad\n" * 1000)
    (err,) = errors_of(kb)
    assert err.startswith("decks/huge.yaml:") and "limit" in err


def test_story_sections_checked(kb):
    write(
        kb,
        "stories/bad.md",
        """
        ---
        id: bad-story
        title: Bad
        lang: en
        ---
        ## Situation
        Something.
        ## Tasks
        Typo heading.
        ## Action
        Did it.
        """,
    )
    errs = errors_of(kb)
    assert "stories/bad.md:8: body: unknown section '## Tasks'; expected one of Situation, Task, Action, Result, Follow-ups, Lessons" in errs
    assert any(e.startswith("stories/bad.md:6: en.Task: missing") for e in errs)
    assert any(e.startswith("stories/bad.md:6: en.Result: missing") for e in errs)


def test_story_bilingual_and_fences(kb):
    write(
        kb,
        "stories/bi.md",
        """
        ---
        id: bi
        title: {zh: 双语, en: Bilingual}
        claims: [acme.checkout-latency]
        competencies: [learning]
        ---
        # zh
        ## Situation
        情境
        ## Task
        任务
        ## Action
        ```text
        ## not a heading inside a fence
        ```
        ## Result
        结果
        ## Follow-ups
        - 为什么？
          因为。
        # en
        ## Situation
        S
        ## Task
        T
        ## Action
        A
        ## Result
        R
        ## Follow-ups
        - Why?
        """,
    )
    story = loader.load(kb).stories["bi"]
    assert "## not a heading" in story.sections["Action"]["zh"]
    assert story.sections["Result"] == {"zh": "结果", "en": "R"}
    assert story.followups[0].question == {"zh": "为什么？", "en": "Why?"}


def test_all_errors_reported_at_once(kb):
    write(kb, "decks/a.yaml", "name: A\nbogus: 1\n")
    write(kb, "decks/b.yaml", "cards: []\n")
    errs = errors_of(kb)
    assert "decks/a.yaml:2: bogus: unknown key 'bogus'" in errs
    assert "decks/b.yaml:1: name: required field is missing" in errs


def test_bad_id_pattern(kb):
    path = kb / "decks/time-wheel.yaml"
    path.write_text(path.read_text().replace("id: tw.hier", "id: TW Hier").replace("[tw.hier]", "[tw.basic]"))
    errs = errors_of(kb)
    assert any(e.startswith("decks/time-wheel.yaml:14: cards[1].id: ids are lowercase") for e in errs)


def test_front_matter_errors(kb):
    write(kb, "stories/nofront.md", "## Situation\nx\n")
    write(kb, "stories/extra.md", "---\nid: extra\ntitle: T\nmood: happy\n---\n## Situation\na\n## Task\nb\n## Action\nc\n## Result\nd\n")
    errs = errors_of(kb)
    assert "stories/nofront.md:1: a story starts with YAML front matter between '---' lines" in errs
    assert "stories/extra.md:4: mood: unknown key 'mood'" in errs


def test_unsafe_python_tags_are_refused(kb, tmp_path):
    marker = tmp_path / "pwned"
    write(
        kb,
        "decks/evil.yaml",
        f"""
        name: !!python/object/apply:os.system ["touch {marker}"]
        cards: []
        """,
    )
    errs = errors_of(kb)
    assert "decks/evil.yaml:1: name: unsupported value: tag tag:yaml.org,2002:python/object/apply:os.system" in errs
    assert not marker.exists()
