"""Where a resync's peak memory goes: `python benchmarks/resync_floor.py KB DB`.

Run by hand, never in CI. One process does what `prep sync` after an edit does, a step at
a time, and prints its peak resident memory (VmHWM) after each: a warm sync, then every
import the validator needs, the first validation (which builds the schemas), then one
edited card's resync. Everything before the last line is the floor no resync can go
under while pydantic validates edits; the last line's growth is the resync's own work.

The script syncs KB into DB first (another process), then edits one card of KB's
middle deck, as run_all.py does. SQLite's own peak is printed beside it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import subprocess
import sys
from pathlib import Path


def hwm() -> float:
    """This process's peak resident memory so far, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return 0.0


def sqlite_peak() -> str:
    name = ctypes.util.find_library("sqlite3")
    if not name:
        return ""
    lib = ctypes.CDLL(name)
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.argtypes = [ctypes.c_int]
    return f" (SQLite's own peak {lib.sqlite3_memory_highwater(0) / 2**20:.2f} MB)"


def sync(kb: str, db: str) -> None:
    from prep.cli import cli

    with contextlib.suppress(SystemExit):
        cli(["--kb", kb, "--db", db, "sync"], standalone_mode=False)


def main() -> None:
    kb, db = sys.argv[1:3]
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from prep.cli import _no_pydantic_plugins

    _no_pydantic_plugins()  # as prep.cli.main does
    # Up to date first, in another process: the sync here must be a warm one.
    subprocess.run([sys.executable, "-m", "prep", "--kb", kb, "--db", db, "sync"], check=True, capture_output=True)
    sync(kb, db)
    steps = [("a warm `prep sync`", hwm())]
    import pydantic_core  # noqa: F401

    steps.append(("+ import pydantic_core", hwm()))
    from pydantic import BaseModel  # noqa: F401

    steps.append(("+ from pydantic import BaseModel", hwm()))
    import prep.kb.models

    steps.append(("+ import prep.kb.models", hwm()))
    import prep.kb.loader  # noqa: F401

    steps.append(("+ import prep.kb.loader", hwm()))
    from prep.kb.models import Deck

    Deck.model_validate({"name": "N", "cards": [{"id": "n.c", "q": "Q?", "a": "A."}]})
    steps.append(("+ a first Deck.model_validate", hwm()))
    # The edit in another process, so that what it imports is not counted here.
    edit = f"from run_all import edit_one_card; from pathlib import Path; edit_one_card(Path({kb!r}))"
    subprocess.run([sys.executable, "-c", edit], cwd=Path(__file__).parent, check=True)
    sync(kb, db)
    steps.append(("+ the resync of one edited card", hwm()))
    for label, mb in steps:
        print(f"{label:34s} {mb:5.1f} MB", file=sys.stderr)
    print(f"the resync's own work: {steps[-1][1] - steps[-2][1]:.1f} MB{sqlite_peak()}", file=sys.stderr)


if __name__ == "__main__":
    main()
