"""All benchmarks in one table: `python benchmarks/run_all.py [--sizes 1000,10000,50000]`.

Run by hand, never in CI. Every figure stands beside a baseline measured in the same
run on the same files, so the ratio means something on any machine:
- cold sync (parse + validate + index) vs plain `yaml.safe_load` (and CSafeLoader) of the same files
- warm start (`prep sync` in a new process, nothing changed) and `prep --help` vs `python -c pass`
- next-card selection, search and draw vs a trivial indexed SQLite lookup
- Anki export vs a minimal genanki script writing the same notes
- peak memory of a cold sync in a fresh process (ru_maxrss)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import yaml  # noqa: E402
from synth import generate  # noqa: E402

from prep.index import read as query  # noqa: E402
from prep.index.db import open_db  # noqa: E402
from prep.index.sync import sync  # noqa: E402
from prep.study import engine as review  # noqa: E402
from prep.study.srs import Settings  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
PY = sys.executable
PREP = [PY, "-m", "prep"]


def best(fn, repeat=5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def median_ms(fn, n=50) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def run_proc(args, env) -> float:
    t = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def peak_rss_mb(code: str, env) -> float:
    out = subprocess.run(
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) parent across exec.
        [PY, "-c", code + "\nprint([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"],
        env=env, check=True, capture_output=True, text=True,
    ).stdout.split()[-1]
    return int(out) / 1024


Row = tuple[str, str, str, str, str]


def bench_size(n: int, tmp: Path) -> list[Row]:
    rows: list[Row] = []
    root = generate(tmp / f"kb{n}", n)
    files = [*sorted((root / "decks").glob("*.yaml")), root / "stories/resume.yaml"]
    env = dict(os.environ, PREP_HOME=str(tmp / f"home{n}"))

    def safe_load_all(loader):
        for f in files:
            yaml.load(f.read_text(encoding="utf-8"), Loader=loader)

    plain = best(lambda: safe_load_all(yaml.SafeLoader), 1 if n >= 50_000 else 3)
    c_plain = best(lambda: safe_load_all(yaml.CSafeLoader), 1 if n >= 50_000 else 3)

    def cold():
        db_path = tmp / f"cold{n}.db"
        for p in tmp.glob(f"cold{n}.db*"):
            p.unlink()
        sync(open_db(db_path), root)

    cold_s = best(cold, 1 if n >= 50_000 else 3)
    rows.append((f"{n:,} cards", "cold sync (parse+index)", f"{cold_s:.2f} s", f"{plain:.2f} s safe_load / {c_plain:.2f} s CSafeLoader", f"{cold_s / plain:.2f} / {cold_s / c_plain:.2f}"))

    db_path = tmp / f"cold{n}.db"
    env_db = dict(env)
    subprocess.run([*PREP, "--kb", str(root), "--db", str(db_path), "sync"], env=env_db, check=True, capture_output=True)
    warm = min(run_proc([*PREP, "--kb", str(root), "--db", str(db_path), "sync"], env_db) for _ in range(5))
    bare = min(run_proc([PY, "-c", "pass"], env) for _ in range(5))
    rows.append((f"{n:,} cards", "warm start (prep sync, unchanged)", f"{warm * 1000:.0f} ms", f"{bare * 1000:.0f} ms python -c pass", f"{warm / bare:.1f}"))

    db = open_db(db_path)
    settings = Settings(enable_fuzzing=False)
    ids = [r[0] for r in db.execute("SELECT id FROM cards ORDER BY position LIMIT 200")]
    for i, cid in enumerate(ids):
        review.record_answer(db, "card", cid, 1 + i % 4, NOW - dt.timedelta(days=30), settings=settings)
    lookup = median_ms(lambda: db.execute("SELECT q FROM cards WHERE id = ?", [ids[7]]).fetchone())
    nxt = median_ms(lambda: review.build_queue(db, NOW, settings)[0])
    rows.append((f"{n:,} cards", "next-card selection (queue)", f"{nxt:.2f} ms", f"{lookup:.3f} ms indexed lookup", f"{nxt / lookup:.0f}"))
    s_cjk = median_ms(lambda: query.search(db, "时间轮调度", limit=20), 20)
    s_en = median_ms(lambda: query.search(db, "leader shard", limit=20), 20)
    s_short = median_ms(lambda: query.search(db, "对账", limit=20), 20)
    # what search costs without an index: LIKE over every card's question and answer
    scan = median_ms(lambda: db.execute("SELECT count(*) FROM cards WHERE q LIKE ? OR a LIKE ?", ["%leader%shard%", "%leader%shard%"]).fetchall(), 5)
    rows.append((f"{n:,} cards", "search: 时间轮调度 / leader shard / 对账", f"{s_cjk:.1f} / {s_en:.1f} / {s_short:.1f} ms", f"{scan:.1f} ms LIKE scan", f"{max(s_cjk, s_en, s_short) / scan:.2f}"))
    try:
        from prep.mock import draw
    except ImportError:
        drawer = None
    if drawer is not None and hasattr(drawer, "draw"):
        try:
            from prep.mock.profiles import load_profiles

            onsite = load_profiles(root)["backend-onsite"]
            d = median_ms(lambda: draw.draw(db, onsite, draw.DrawOptions(name="backend-onsite", seed=1), now=NOW), 5)
            rows.append((f"{n:,} cards", "draw backend-onsite", f"{d:.1f} ms", f"{lookup:.3f} ms indexed lookup", f"{d / lookup:.0f}"))
        except Exception as e:
            rows.append((f"{n:,} cards", "draw", f"failed: {e}", "", ""))
    code = f"from prep.index.db import open_db; from prep.index.sync import sync; sync(open_db({str(tmp / f'mem{n}.db')!r}), {str(root)!r})"
    mem = peak_rss_mb(code, env)
    base_mem = peak_rss_mb("import prep.index.sync, prep.index.db", env)
    rows.append((f"{n:,} cards", "peak memory, cold sync", f"{mem:.0f} MB", f"{base_mem:.0f} MB imports only", f"{mem / base_mem:.1f}"))
    return rows


def bench_anki(n: int, tmp: Path) -> list[Row]:
    script = HERE / "bench_anki_export.py"
    if not script.exists():
        return []
    out = subprocess.run([PY, str(script), str(n)], capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    return [(f"{n:,} cards", "anki export (bench_anki_export.py)", line, "", "") for line in lines[-3:]] or [
        (f"{n:,} cards", "anki export", "failed", out.stderr[-200:], "")
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, PREP_HOME=str(tmp / "home"))
        helps = min(run_proc([*PREP, "--help"], env) for _ in range(7))
        bare = min(run_proc([PY, "-c", "pass"], env) for _ in range(7))
        rows.append(("-", "prep --help", f"{helps * 1000:.0f} ms", f"{bare * 1000:.0f} ms python -c pass", f"{helps / bare:.1f}"))
        for n in sizes:
            print(f"... {n:,} cards", file=sys.stderr, flush=True)
            rows += bench_size(n, tmp)
        rows += bench_anki(10_000, tmp)
    widths = [max(len(r[i]) for r in [*rows, ("size", "measure", "prep", "baseline", "ratio")]) for i in range(5)]
    header = ("size", "measure", "prep", "baseline", "ratio")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print(json.dumps({"python": sys.version.split()[0], "cpus": os.cpu_count(), "date": dt.date.today().isoformat()}))


if __name__ == "__main__":
    main()
