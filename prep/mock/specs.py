"""Interview profiles as plain data, validated by pydantic only when something changed.

`prep draw` needs a profile's slots, not its validation; importing pydantic and building
the profile models cost a draw ~80 ms, more than the draw itself at 50k cards. So the
profiles `prep.mock.profiles.load_profiles` validates are kept, dumped, in a small JSON
file in the data dir (`cache/`), under a key that changes with anything that could
change them: prep's profile code (built-ins and defaults), the deck file names (the
generated `decks` profile) and the bytes of every user profile file. When the key
matches, the draw reads the file; otherwise it validates as before (a bad file is still
reported as `file:line: field: message`) and rewrites the cache. The cache holds nothing
that cannot be rebuilt, so it is written on a best-effort basis and never trusted
beyond its key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from prep.kb.vocab import pick

if TYPE_CHECKING:
    from prep.mock.profiles import Profile

CACHE_VERSION = 1
# prep's own files that decide what a profile validates to (the built-ins and defaults,
# the content types they use) and how it is dumped here
_CODE = ("mock/profiles.py", "kb/models.py", "mock/specs.py")


@dataclass(frozen=True)  # not a NamedTuple, whose `count` would be tuple.count
class SlotSpec:
    """A validated `prep.mock.profiles.Slot`, its defaults filled in."""

    kind: str
    count: int
    minutes: float
    label: Any
    depth: int
    risk: list[str]
    competencies: list[str]
    card_kinds: list[str]
    tags: list[str]
    decks: list[str]
    skills: bool
    min_difficulty: int
    max_difficulty: int


class ProfileSpec(NamedTuple):  # a NamedTuple: a tenth of a dataclass' start-up cost
    """A validated `prep.mock.profiles.Profile`, as plain data."""

    title: Any
    description: Any
    minutes: float
    no_repeat_sessions: int
    slots: list[SlotSpec]

    @classmethod
    def from_dump(cls, data: dict[str, Any]) -> ProfileSpec:
        return cls(**(data | {"slots": [SlotSpec(**s) for s in data["slots"]]}))

    @classmethod
    def of(cls, profile: Profile | ProfileSpec) -> ProfileSpec:
        return profile if isinstance(profile, ProfileSpec) else cls.from_dump(profile.model_dump())


def describe(pid: str, profile: Profile | ProfileSpec, lang: str = "zh") -> str:
    n = sum(s.count for s in profile.slots)
    return f"{pid}: {pick(profile.title, lang)} — {n} questions, {profile.minutes:g} min"


def profile_dirs(kb_root: Path | None) -> list[tuple[Path, Path]]:
    """(folder, base for display) in increasing precedence: user data dir, then the knowledge base."""
    from prep.paths import data_dir

    out = [(data_dir() / "profiles", data_dir())]
    if kb_root:
        out.append((Path(kb_root) / "profiles", Path(kb_root)))
    return out


def _listing(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError:  # missing (the usual case) or unreadable: validation will say which
        return []


def cache_key(kb_root: Path | None) -> str | None:
    """What the profiles of `kb_root` validate to depends on, hashed; None if unreadable."""
    h = hashlib.sha256(f"v{CACHE_VERSION}\0{kb_root}\0".encode())
    package = Path(__file__).resolve().parent.parent
    try:
        for rel in _CODE:
            h.update((package / rel).read_bytes())
        h.update("\0".join(_listing(Path(kb_root) / "decks") if kb_root else []).encode())
        for folder, _ in profile_dirs(kb_root):
            for name in _listing(folder):
                path = folder / name
                h.update(f"\0{path}\0".encode())
                if path.is_file():
                    h.update(path.read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def _cache_file(kb_root: Path | None) -> Path:
    from prep.paths import data_dir

    return data_dir() / "cache" / f"profiles-{hashlib.sha256(str(kb_root).encode()).hexdigest()[:16]}.json"


def _read(path: Path, key: str) -> dict[str, ProfileSpec] | None:
    from prep.index.db import loads

    try:
        data = loads(path.read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        return {pid: ProfileSpec.from_dump(d) for pid, d in data["profiles"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # missing, or not ours: validate
        return None


def _write(path: Path, key: str, profiles: dict[str, Profile]) -> None:
    import json

    from prep import fsio
    from prep.errors import PrepError

    # python-mode dumps (a default 45 stays 45, not 45.0), keys in their order: read back,
    # the specs are exactly those of the validated profiles
    data = {"key": key, "profiles": {pid: p.model_dump() for pid, p in profiles.items()}}
    with contextlib.suppress(OSError, PrepError):  # a read-only data dir: validate next time too
        fsio.ensure_folder(path.parent)
        fsio.write_text(path, json.dumps(data, ensure_ascii=False))


def draw_profiles(kb_root: Path | None = None) -> dict[str, ProfileSpec]:
    """`load_profiles(kb_root)` as plain specs, validated only when the cache key changed."""
    key = cache_key(kb_root)
    path = _cache_file(kb_root)
    cached = _read(path, key) if key else None
    if cached is not None:
        return cached
    from prep.mock.profiles import load_profiles

    profiles = load_profiles(kb_root)
    if key and cache_key(kb_root) == key:  # no file changed while it was being validated
        _write(path, key, profiles)
    return {pid: ProfileSpec.of(p) for pid, p in profiles.items()}
