"""TUI latency on a large knowledge base: start to first paint, keypress to next card.

Run by hand: `python benchmarks/bench_tui.py [N_CARDS]` (default 10,000). Baselines
measured in the same run: an empty Textual app's first paint, and a keypress that
does nothing (the pilot's own round trip), so the ratios show prep's own cost.
Targets (issue 3): next card under 50 ms, first paint under 1 s. The pilot's round
trip (press + wait for idle, which includes Textual's frame pacing) is included in the
wall-clock figures; the CPU-time line is the work actually done per card.
"""

from __future__ import annotations

import asyncio
import datetime as dt
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
from prep.tui.app import PrepApp
from prep.tui.screens.review import ReviewScreen

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


class Empty(App):
    def compose(self):
        yield Static("hello")
        yield Footer()


async def first_paint(make) -> float:
    start = time.perf_counter()
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        took = time.perf_counter() - start
    return took


async def next_card(db, rounds: int) -> tuple[list[float], ...]:
    app = PrepApp(db, clock=lambda: NOW, settings=Settings(enable_fuzzing=False, new_per_day=100_000))
    per_card, noop, reveal, cpu, noop_cpu = [], [], [], [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for _ in range(rounds):
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("z")  # unbound: the pilot's round trip
            await pilot.pause()
            noop.append(time.perf_counter() - t)
            noop_cpu.append(time.process_time() - c)
            t = time.perf_counter()
            await pilot.press("space")
            await pilot.pause()
            reveal.append(time.perf_counter() - t)
            before = screen.current
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("3")
            await pilot.pause()
            per_card.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            assert screen.current != before
    return per_card, noop, reveal, cpu, noop_cpu


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = generate(Path(tmp) / "kb", n)
        db = open_db(Path(tmp) / "prep.db")
        sync(db, root)
        empty = statistics.median(asyncio.run(first_paint(Empty)) for _ in range(3))
        prep = statistics.median(
            asyncio.run(first_paint(lambda: PrepApp(db, clock=lambda: NOW, settings=Settings(enable_fuzzing=False))))
            for _ in range(3)
        )
        per_card, noop, reveal, cpu, noop_cpu = asyncio.run(next_card(db, 30))
    card_ms = statistics.median(per_card) * 1000
    noop_ms = statistics.median(noop) * 1000
    print(f"TUI benchmark, {n:,} cards")
    print(f"{'measure':<34}{'prep':>10}{'baseline':>10}{'ratio':>8}{'target':>10}")
    print(f"{'first paint (dashboard)':<34}{prep * 1000:>8.0f}ms{empty * 1000:>8.0f}ms{prep / empty:>8.1f}{'< 1000ms':>10}")
    print(f"{'keypress -> next card (median)':<34}{card_ms:>8.1f}ms{noop_ms:>8.1f}ms{card_ms / noop_ms:>8.1f}{'< 50ms':>10}")
    cpu_ms, noop_cpu_ms = statistics.median(cpu) * 1000, statistics.median(noop_cpu) * 1000
    print(f"{'  CPU time of it (median)':<34}{cpu_ms:>8.1f}ms{noop_cpu_ms:>8.1f}ms{cpu_ms / max(noop_cpu_ms, 1e-9):>8.1f}{'< 50ms':>10}")
    reveal_ms = statistics.median(reveal) * 1000
    print(f"{'Space -> answer rendered (median)':<34}{reveal_ms:>8.1f}ms{noop_ms:>8.1f}ms{reveal_ms / noop_ms:>8.1f}")
    print(f"{'keypress -> next card (p90)':<34}{sorted(per_card)[int(len(per_card) * 0.9)] * 1000:>8.1f}ms")


if __name__ == "__main__":
    main()
