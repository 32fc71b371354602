"""The TUI in a real terminal: `prep` inside tmux, timed by what the screen shows.

Run by hand (needs tmux): `python benchmarks/bench_tmux.py [--cards N | --kb DIR] [--runs 3]
[--tree DIR ...]` (`--tree /work/main --tree .`: before and after, in the same run).
With neither, the built-in knowledge base. Each run gets a fresh PREP_HOME (a temp dir), a
warm-up sync and one untimed launch (until the audit line is cached), then for each terminal size (80x24 and 120x40):

- launch: from `tmux new-session` running `prep --lang en` until `capture-pane` shows the
  dashboard's figures ("Due N · New N", not "Loading…"); median of `--runs` launches;
- baseline, same run and size: an empty Textual app until it shows its one word;
- keys, once: from `send-keys` until the screen shows the result: `b` opens browse (its
  listing shown), ctrl+t to claims, ctrl+t to cards, `e` (a search, debounced 0.15 s: until the
  listing changes),
  Escape back to the dashboard (its figures shown again).

The screen is polled every few ms, so each figure includes tmux's own round trip (a
capture-pane is ~2-5 ms); the key figures are wall times, UI blocking is measured by
`bench_tui.py`. A private tmux server (`-L`) is used and killed at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
SOCKET = f"prep-bench-{os.getpid()}"
SIZES = ((80, 24), (120, 40))
DASHBOARD = re.compile(r"Due \d+ · New \d+")
EMPTY_APP = "from textual.app import App\nfrom textual.widgets import Static\nclass E(App):\n    def compose(self):\n        yield Static('hello-empty')\nE().run()\n"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True).stdout


def shown(session: str) -> str:
    try:
        return tmux("capture-pane", "-p", "-t", session)
    except subprocess.CalledProcessError:
        return ""  # not started yet, or gone


def wait_for(session: str, test, timeout: float = 60.0) -> float:
    """perf_counter when the screen first passes `test`; fails with the last screen."""
    end = time.perf_counter() + timeout
    text = ""
    while time.perf_counter() < end:
        text = shown(session)
        if test(text):
            return time.perf_counter()
        time.sleep(0.003)
    raise SystemExit(f"{session}: the screen never showed what was expected; last screen:\n{text}")


def dashboard_shown(text: str) -> bool:
    return bool(DASHBOARD.search(text)) and "Loading…" not in text


def start(session: str, size: tuple[int, int], command: list[str], env: dict[str, str]) -> float:
    width, height = size
    exports = [f"{k}={v}" for k, v in env.items()]
    args = ("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), "env", *exports, *command)
    started = time.perf_counter()
    try:
        tmux(*args)
    except subprocess.CalledProcessError:  # the server was exiting with the last session: once more
        time.sleep(0.2)
        started = time.perf_counter()
        tmux(*args)
    return started


def stop(session: str) -> None:
    tmux("send-keys", "-t", session, "C-q")
    end = time.perf_counter() + 10
    while time.perf_counter() < end and session in tmux_sessions():
        time.sleep(0.02)
    if session in tmux_sessions():
        tmux("kill-session", "-t", session)


def tmux_sessions() -> str:
    try:
        return tmux("list-sessions", "-F", "#S")
    except subprocess.CalledProcessError:
        return ""


def audit_shown(text: str) -> bool:
    return dashboard_shown(text) and "Audit:" in text and "checking" not in text


def launch(size, prep: list[str], env, n: int, settle: bool = False) -> float:
    """`settle`: also wait for the audit line, so its result is cached for the later runs
    (quit before its worker starts, the audit ran again at every launch, and during the
    keys: seconds at 50k cards, whichever checkout's quit came first)."""
    name = f"launch-{size[0]}x{size[1]}-{n}"
    t = start(name, size, prep, env)
    took = wait_for(name, dashboard_shown) - t
    if settle:
        wait_for(name, audit_shown, timeout=300)
    stop(name)
    return took * 1000


def empty_app(size, env, n: int) -> float:
    name = f"empty-{size[0]}x{size[1]}-{n}"
    script = Path(env["PREP_HOME"]) / "empty_app.py"  # in a temp dir
    script.write_text(EMPTY_APP, encoding="utf-8")
    t = start(name, size, [sys.executable, str(script)], env)
    took = wait_for(name, lambda s: "hello-empty" in s) - t
    stop(name)
    return took * 1000


INFO = re.compile(r"(\d+ results?|\d+ result\(s\)|first \d+ of \d+)[^\n]*type: (\w+) \(ctrl\+t\)")


def listing(text: str) -> str:
    """Browse's info line and rows (below the search box, which echoes a key at once)."""
    m = INFO.search(text)
    return text[m.start() :] if m else ""


def browse_shows(kind: str, before: str):
    """Browse lists `kind` (no search running) and its listing is not the one `before`."""

    def test(text: str) -> bool:
        m = INFO.search(text)
        return m is not None and m.group(2) == kind and "searching…" not in text and listing(text) != listing(before)

    return test


def keys(size, prep: list[str], env) -> dict[str, float]:
    name = f"keys-{size[0]}x{size[1]}"
    start(name, size, prep, env)
    wait_for(name, dashboard_shown)
    time.sleep(0.5)  # the audit line and other extras settle
    out: dict[str, float] = {}
    for label, key, kind in (
        ("open_browse", "b", "all"),
        ("type_claim", "C-t", "claim"),
        ("type_card", "C-t", "card"),
        ("search_key", "e", "card"),
        ("back", "Escape", None),
    ):
        before = shown(name)
        test = dashboard_shown if kind is None else browse_shows(kind, before)
        t = time.perf_counter()
        tmux("send-keys", "-t", name, key)
        out[f"{label}_ms"] = (wait_for(name, test) - t) * 1000
        time.sleep(0.3)
    stop(name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, help="a synthetic KB of N cards (benchmarks/synth.py)")
    ap.add_argument("--kb", help="an existing knowledge base folder")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tree", action="append", help="run prep from this checkout (repeat to compare, e.g. main and a branch; default: this one)")
    args = ap.parse_args()
    if not shutil.which("tmux"):
        raise SystemExit("tmux is not installed")
    print("load:", os.getloadavg(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        kb: list[str] = []
        if args.cards:
            sys.path.insert(0, str(HERE))
            from synth import generate

            kb = ["--kb", str(generate(Path(tmp) / "kb", args.cards))]
        elif args.kb:
            kb = ["--kb", args.kb]
        prep = [str(Path(sys.executable).parent / "prep"), *kb, "--lang", "en"]
        trees = [Path(t).resolve() for t in args.tree or [TREE]]
        # One PREP_HOME (so one database) per checkout: a newer schema is refused by older code.
        homes = {tree: Path(tmp) / f"home-{i}" for i, tree in enumerate(trees)}
        envs = {tree: {"PREP_HOME": str(homes[tree]), "PYTHONPATH": str(tree), "TERM": "xterm-256color"} for tree in trees}
        for tree in trees:
            homes[tree].mkdir()
            t = time.perf_counter()
            subprocess.run([*prep, "sync"], env={**os.environ, **envs[tree]}, check=True, capture_output=True)
            print(f"first sync ({tree}): {time.perf_counter() - t:.1f} s", flush=True)
        try:
            for tree in trees:
                launch(SIZES[0], prep, envs[tree], 0, settle=True)  # untimed: bytecode, OS cache, the audit line
            for size in SIZES:
                tag = f"{size[0]}x{size[1]}"
                empty = statistics.median(empty_app(size, envs[trees[0]], n) for n in range(args.runs))
                print(f"{tag}  empty Textual app {empty:.0f} ms", flush=True)
                runs: dict[Path, list[float]] = {tree: [] for tree in trees}
                for n in range(args.runs):  # round-robin, so a change in load hits every checkout alike
                    for tree in trees:
                        runs[tree].append(launch(size, prep, envs[tree], n + 1))
                for tree in trees:
                    print(
                        f"{tag}  {tree}: launch to dashboard figures, median {statistics.median(runs[tree]):.0f} ms  {[round(r) for r in runs[tree]]}"
                    )
                for tree in trees:
                    for label, ms in keys(size, prep, envs[tree]).items():
                        print(f"{tag}  {tree}: {label:<14}{ms:>8.0f} ms", flush=True)
        finally:
            subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    print("load:", os.getloadavg())


if __name__ == "__main__":
    main()
