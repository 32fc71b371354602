"""TUI latency on a large knowledge base, driven by the pilot.

Run by hand: `python benchmarks/bench_tui.py [N_CARDS [KB DB]] [--json] [--profile]` (default 10,000).
Baselines measured in the same run: an empty Textual app's first paint, and a keypress
that does nothing (the pilot's own round trip), so the ratios show prep's own cost.

"Blocked" is the longest stretch the event loop (the UI thread) could not run while a
key was handled: a heartbeat task on the app's loop wakes every 2 ms and records the
largest gap. It is the figure that matters to a user (a frozen terminal), unlike the
pilot's wall clock, which includes Textual's frame pacing and waits for workers.
"Launch" runs until the dashboard's figures (counts, tables, charts) are painted: they
are gathered by a worker, so a placeholder shows before; "launch_settled" until every
worker is done (the audit line, the interview plan). `--profile` prints cProfile's view
of the UI thread for the launch and for the browse keys instead of the figures.
Targets (issue 15): launch to painted dashboard at 50k under 500 ms; nothing blocks
the UI thread over 50 ms (browse type filter, search keystroke, back to dashboard).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App
from textual.widgets import Footer, Static

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate

from prep.index.db import open_db
from prep.index.sync import sync
from prep.study.srs import Settings
from prep.tui import launch
from prep.tui.app import PrepApp

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


class Empty(App):
    def compose(self):
        yield Static("hello")
        yield Footer()


class Stall:
    """The longest gap between heartbeats on the running loop, per measured step."""

    def __init__(self) -> None:
        self.max_gap = 0.0
        self._task: asyncio.Task | None = None

    async def _beat(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.002)
            now = time.perf_counter()
            self.max_gap = max(self.max_gap, now - last)
            last = now

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._beat())

    def reset(self) -> None:
        self.max_gap = 0.0

    def stop(self) -> None:
        if self._task:
            self._task.cancel()


async def settle(app, pilot) -> None:
    """Until the screen is idle and no worker is running."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def figures_shown(app) -> bool:
    """The dashboard shows its figures (not the loading placeholder); an empty app at once."""
    from prep.tui.screens.dashboard import DashboardScreen

    return not isinstance(app, PrepApp) or (isinstance(app.screen, DashboardScreen) and app.screen.data is not None)


async def first_paint(make) -> tuple[float, float]:
    """(figures painted, every worker done): the app built, run, and its dashboard's counts,
    tables and charts drawn; then the slower extras (the audit line, the interview plan)."""
    start = time.perf_counter()
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        while not figures_shown(app):
            await asyncio.sleep(0.001)
        await pilot.pause()  # the refresh that paints them
        shown = time.perf_counter() - start
        await settle(app, pilot)
        took = time.perf_counter() - start
    return shown, took


def _app(db) -> PrepApp:
    # As `prep` does (prep.tui.launch): the cyclic GC off from before the app is built until
    # its first figures are painted. Without it the launch's objects, promoted to the oldest
    # generation before the freeze, made the GC run full collections during the first keys.
    launch.pause_gc()
    return PrepApp(db, clock=lambda: NOW, settings=Settings(enable_fuzzing=False, new_per_day=10_000))


async def browse_keys(db) -> dict[str, float]:
    """Wall clock (until results are shown) and UI-thread blocking of each browse key, ms."""
    app = _app(db)
    out: dict[str, float] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        stall = Stall()
        stall.start()

        async def step(name: str, *keys: str, wait: float = 0.0) -> None:
            await pilot.pause()
            stall.reset()
            t = time.perf_counter()
            await pilot.press(*keys)
            if wait:  # a debounced search starts after the pause in typing
                await pilot.pause(wait)
            await settle(app, pilot)
            out[f"{name}_ms"] = (time.perf_counter() - t) * 1000
            out[f"{name}_blocked_ms"] = stall.max_gap * 1000

        await step("noop", "z")  # unbound: the pilot's own round trip
        await step("open_browse", "b")
        await step("type_claim", "ctrl+t")
        await step("type_card", "ctrl+t")
        await step("search_key", "l", wait=0.2)
        await step("search_key2", "e", wait=0.2)
        await step("back", "escape")
        stall.stop()
    return out


async def next_card(db, rounds: int) -> tuple[list[float], list[float], list[float]]:
    from prep.tui.screens.review import ReviewScreen

    app = _app(db)
    per_card, noop, cpu = [], [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for _ in range(rounds):
            t = time.perf_counter()
            await pilot.press("z")
            await pilot.pause()
            noop.append(time.perf_counter() - t)
            await pilot.press("space")
            await pilot.pause()
            before = screen.current
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("3")
            await pilot.pause()
            per_card.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert screen.current != before
    return per_card, noop, cpu


def measure(n: int, tmp: Path, root: Path | None = None, db_path: Path | None = None) -> dict[str, float]:
    """Every figure for a KB of `n` cards, in ms (synthesised unless `root`/`db_path` given)."""
    if root is None or db_path is None:
        root = generate(tmp / "kb", n)
        db_path = tmp / "prep.db"
    db = open_db(db_path)
    sync(db, root)
    empty = statistics.median(asyncio.run(first_paint(Empty))[0] for _ in range(3))
    runs = [asyncio.run(first_paint(lambda: _app(db))) for _ in range(3)]
    out = {
        "empty_app_ms": empty * 1000,
        "launch_ms": statistics.median(r[0] for r in runs) * 1000,
        "launch_settled_ms": statistics.median(r[1] for r in runs) * 1000,
    }
    out |= asyncio.run(browse_keys(db))
    per_card, noop, cpu = asyncio.run(next_card(db, 10))
    out |= {
        "next_card_ms": statistics.median(per_card) * 1000,
        "next_card_cpu_ms": statistics.median(cpu) * 1000,
        "next_card_noop_ms": statistics.median(noop) * 1000,
    }
    return out


def profile(n: int, tmp: Path, root: Path | None, db_path: Path | None) -> None:
    """cProfile (the UI thread only: workers run in other threads) of launch and browse keys."""
    import cProfile
    import pstats

    if root is None or db_path is None:
        root, db_path = generate(tmp / "kb", n), tmp / "prep.db"
    db = open_db(db_path)
    sync(db, root)
    asyncio.run(first_paint(lambda: _app(db)))  # warm caches, as `measure` does
    for name, run in (("launch", lambda: first_paint(lambda: _app(db))), ("browse keys", lambda: browse_keys(db))):
        prof = cProfile.Profile()
        prof.runcall(asyncio.run, run())
        print(f"== {name}")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(r"prep/|_data_table|_compositor", 30)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 10_000
    kb, db = (Path(args[1]), Path(args[2])) if len(args) == 3 else (None, None)  # an existing KB and database
    with tempfile.TemporaryDirectory() as tmp:
        if "--profile" in sys.argv:
            profile(n, Path(tmp), kb, db)
            return
        figures = measure(n, Path(tmp), kb, db)
    if "--json" in sys.argv:
        print(json.dumps(figures))
        return
    print(f"TUI benchmark, {n:,} cards (ms)")
    for key, value in figures.items():
        print(f"{key:<28}{value:>10.1f}")


if __name__ == "__main__":
    main()
