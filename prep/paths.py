"""Where things are: the user's data (review history) and the knowledge base in use.

Review history is precious and per user, so it lives in the platform's data dir
(overridable with PREP_HOME for tests and portable setups), one database per knowledge
base (keyed by the KB's id in its `prep.toml`), so two KBs never mix. The knowledge base
is whatever folder the user is working in, falling back to the one shipped with prep.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from prep.errors import PrepError
from prep.kb.manifest import Manifest, read_manifest

DB_NAME = "prep.db"  # before 0.2 every KB shared this one file; see adopt_legacy()
KB_DIR = "kbs"


def data_dir() -> Path:
    home = os.environ.get("PREP_HOME")
    if home:
        path = Path(home).expanduser()
    else:  # imported here: platformdirs costs a read command ~5 ms of start-up
        import platformdirs

        path = Path(platformdirs.user_data_dir("prep", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_path(explicit: str | os.PathLike | None = None, kb: KbChoice | None = None, *, make_folder: bool = True) -> Path:
    """--db, else the database of this knowledge base in the data dir (its folder made,
    unless `make_folder` is False: a command that only reads a setting touches nothing)."""
    if explicit:
        return Path(explicit).expanduser()
    if kb is None:
        return data_dir() / DB_NAME
    folder = data_dir() / KB_DIR
    if make_folder:
        folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{kb.manifest.id}.db"


def is_kb(path: Path) -> bool:
    return (path / "decks").is_dir() and (path / "stories").is_dir()


def builtin_kb() -> Path:
    """The knowledge base shipped with prep: inside the wheel, or the source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "builtin", here.parent):
        if is_kb(candidate):
            return candidate
    raise PrepError("the built-in knowledge base is missing from this installation", zh="这次安装里缺少内置知识库")


class KbChoice(NamedTuple):  # a NamedTuple: built by every command, cheaper to define
    path: Path
    reason: str  # why this one: --kb, PREP_KB, cwd, built-in
    manifest: Manifest


def _choice(path: Path, reason: str) -> KbChoice:
    return KbChoice(path, reason, read_manifest(path))


def _named_kb(value: str, label: str) -> Path:
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise PrepError(f"{label}: no such folder", zh=f"{label}：没有这个文件夹")
    # Syncing a folder with no content would archive every card of the previous one.
    if not ((path / "decks").is_dir() or (path / "stories").is_dir()):
        raise PrepError(
            f"{label}: not a knowledge base (no decks/ or stories/ folder); start one with `prep init {value}`",
            zh=f"{label}：不是知识库（没有 decks/ 或 stories/ 文件夹）；用 `prep init {value}` 新建一个",
        )
    return path


def find_kb(explicit: str | os.PathLike | None = None, cwd: Path | None = None) -> KbChoice:
    """--kb, then PREP_KB, then the nearest folder up from cwd with decks/ and stories/, then built-in."""
    if explicit:
        return _choice(_named_kb(str(explicit), f"--kb {explicit}"), "--kb")
    env = os.environ.get("PREP_KB")
    if env:
        return _choice(_named_kb(env, f"PREP_KB={env}"), "PREP_KB")
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if is_kb(folder):
            return _choice(folder, "found from the current directory")
    return _choice(builtin_kb(), "built-in")
