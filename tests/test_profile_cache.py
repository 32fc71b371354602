"""`prep draw` reads interview profiles from a cache of what pydantic validated
(prep.mock.specs): the same profiles as `load_profiles`, revalidated whenever a
profile file, the deck list or prep's profile code changes, and a bad file is still
reported as file:line: field even when an older, valid version is cached."""

from __future__ import annotations

import pytest

from prep.errors import ContentErrors
from prep.mock import specs
from prep.mock.profiles import load_profiles
from prep.mock.specs import ProfileSpec, draw_profiles

QUICK = "title: {en: Quick}\nminutes: 10\nslots:\n  - kind: card\n    count: 2\n"


def _no_validation(*_args, **_kw):
    raise AssertionError("validated although nothing changed")


def test_cached_profiles_are_the_validated_ones(kb, monkeypatch):
    (kb / "profiles").mkdir()
    (kb / "profiles" / "quick.yaml").write_text(QUICK, encoding="utf-8")
    first = draw_profiles(kb)
    # repr, not ==: 45 == 45.0, but a draw's JSON would print the profile's 45 as 45.0
    assert repr(first) == repr({pid: ProfileSpec.of(p) for pid, p in load_profiles(kb).items()})
    assert repr(draw_profiles(kb)) == repr(first)  # read back from the cache
    assert first["quick"].minutes == 10 and type(first["quick"].slots[0].minutes) is int  # the default 5
    assert first["quick"].slots[0].count == 2
    assert first["quick"].slots[0].depth == 3  # pydantic's default, kept in the cache
    monkeypatch.setattr("prep.mock.profiles.load_profiles", _no_validation)
    assert draw_profiles(kb) == first


def test_an_edited_profile_is_validated_again(kb, monkeypatch):
    (kb / "profiles").mkdir()
    quick = kb / "profiles" / "quick.yaml"
    quick.write_text(QUICK, encoding="utf-8")
    draw_profiles(kb)
    quick.write_text(QUICK.replace("count: 2", "count: 5"), encoding="utf-8")
    assert draw_profiles(kb)["quick"].slots[0].count == 5
    quick.write_text(QUICK.replace("count: 2", "cont: 5"), encoding="utf-8")
    with pytest.raises(ContentErrors) as e:
        draw_profiles(kb)
    assert "profiles/quick.yaml:5: slots[0].cont: unknown key 'cont'" in [str(x) for x in e.value.errors]


def test_a_new_deck_or_user_profile_changes_the_key(kb, prep_home):
    before = draw_profiles(kb)
    assert "mine" not in before
    (kb / "decks" / "zz-new.yaml").write_text("name: New\ncards: []\n", encoding="utf-8")
    (prep_home / "profiles").mkdir(parents=True)
    (prep_home / "profiles" / "mine.yaml").write_text("title: Mine\nslots: [{kind: story}]\n", encoding="utf-8")
    after = draw_profiles(kb)
    assert "mine" in after
    assert after["decks"] != before["decks"]  # one card slot per deck: the new deck has one


def test_a_damaged_cache_is_ignored(kb):
    first = draw_profiles(kb)
    (cache,) = (specs._cache_file(kb).parent).glob("profiles-*.json")
    for junk in ("{not json", '{"key": 1}', "[]", f'{{"key": "{specs.cache_key(kb)}", "profiles": {{"x": {{"title": 1}}}}}}'):
        cache.write_text(junk, encoding="utf-8")
        assert draw_profiles(kb) == first


def test_draw_profiles_work_without_a_writable_cache(kb, monkeypatch):
    def refuse(*_args, **_kw):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr("prep.fsio.write_text", refuse)
    assert draw_profiles(kb) == {pid: ProfileSpec.of(p) for pid, p in load_profiles(kb).items()}
