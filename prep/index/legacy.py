"""Moving review history out of the database every KB used to share.

Before knowledge bases had their own databases, every KB lived in one `prep.db`, so
syncing one archived the other's cards. That file still holds real answers: it is
assigned whole to the KB it last indexed (its `meta.kb`), copied with SQLite's backup
API (never a file copy: see sqlite.org/howtocorrupt.html 2.2), and the original is
renamed, never deleted, so nothing is lost if the guess is wrong.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from prep.index.db import copy_database

LEGACY_NAME = "prep.db"
KEPT_SUFFIX = ".shared-before-0.2.bak"


def legacy_owner(legacy: Path) -> str | None:
    """The KB folder the shared database last indexed, or None if it is not ours."""
    try:
        conn = sqlite3.connect(f"file:{legacy}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'kb'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _same_folder(a: str, b: Path) -> bool:
    try:
        return Path(a).resolve() == b.resolve()
    except OSError:
        return False


def adopt_legacy(data_dir: Path, target: Path, kb_root: Path, builtin: bool) -> Path | None:
    """Give the shared database to this KB if it is the one it belongs to.

    Returns where the shared file was kept, or None when there was nothing to adopt.
    The built-in KB moves with each install, so a shared DB that indexed any copy of
    the built-in KB (a folder named `builtin` or `kb` inside a `prep` package, or the
    source checkout) belongs to it.
    """
    legacy = data_dir / LEGACY_NAME
    if target.exists() or not legacy.is_file():
        return None
    owner = legacy_owner(legacy)
    if owner is None:
        return None
    owner_path = Path(owner)
    looks_builtin = owner_path.parent.name == "prep" and owner_path.name in ("builtin", "kb")
    if not (_same_folder(owner, kb_root) or (builtin and looks_builtin)):
        return None
    tmp = target.with_name(target.name + ".adopting")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    copy_database(legacy, target, tmp)
    kept = legacy.with_name(LEGACY_NAME + KEPT_SUFFIX)
    # A -wal left behind means another (older) prep still has it open: leave it be.
    if not legacy.with_name(LEGACY_NAME + "-wal").exists() and not kept.exists():
        os.replace(legacy, kept)
        return kept
    return legacy
