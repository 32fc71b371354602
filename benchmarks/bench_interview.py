"""Interview mode on a large knowledge base: the queue with an interview ahead, and the plan.

Run by hand: `python benchmarks/bench_interview.py [N_CARDS ...]` (default 10,000 and
50,000). The baseline, measured in the same run on the same database, is the normal
queue (no interview), so the ratio is what interview mode adds to the next card.
2,000 cards are answered first (a spread of due dates), the interview is 5 days out.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import generate  # noqa: E402

from prep.index.db import open_db  # noqa: E402
from prep.index.sync import sync  # noqa: E402
from prep.study import engine, interviews  # noqa: E402
from prep.study.plan import build_plan  # noqa: E402
from prep.study.srs import Settings  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


def best_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def bench(n: int, tmp: Path) -> None:
    root = generate(tmp / f"kb{n}", n)
    db = open_db(tmp / f"i{n}.db")
    sync(db, root, now=NOW)
    settings = Settings(enable_fuzzing=False)
    rng = random.Random(1)
    for (cid,) in db.execute("SELECT id FROM cards ORDER BY position LIMIT 2000").fetchall():
        engine.record_answer(db, "card", cid, rng.choice([1, 3, 3, 4]), NOW - dt.timedelta(days=rng.randint(1, 40)), settings=settings)
    normal = best_ms(lambda: engine.build_queue(db, NOW, settings))
    interviews.add(db, (NOW + dt.timedelta(days=5)).date().isoformat(), NOW, time="14:00")
    ahead = best_ms(lambda: engine.build_queue(db, NOW, settings))
    plan = best_ms(lambda: build_plan(db, NOW, settings=settings), 1)
    print(f"{n:>7,} cards | queue {normal:6.1f} ms | with an interview ahead {ahead:6.1f} ms ({ahead / normal:.1f}x) | prep plan {plan:7.0f} ms")


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 50_000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            bench(n, Path(tmp))


if __name__ == "__main__":
    main()
