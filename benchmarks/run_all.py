"""Every benchmark of issue 15 in one table: `python benchmarks/run_all.py [--sizes 1000,10000,50000,100000]`.

Run by hand, never in CI. Every figure stands beside a baseline measured in the same
run on the same files, so the ratio means something on any machine:
- warm read commands (`stats`, `show`, `list`, `search`) and `prep --help` vs `python -c pass`,
  plain `sqlite3` (open + the same query) and the `sqlite-utils` CLI
- `prep draw --json` (a new process) vs `prep stats` on the same KB; draw in-process
- resync after editing one card vs a warm (unchanged) sync: time and peak memory, and vs its
  floor: one process doing a warm sync, then importing pydantic and the content models and
  validating a one-card deck (what any edit needs: the first validation builds the schemas);
  resync after editing the resume (one claim's wording) vs resync after one edited card
- `list cards --json` vs `sqlite-utils` selecting the same columns: time and peak memory
- warm sync vs reading path/mtime/size only
- TUI launch and browse keys (benchmarks/bench_tui.py) vs an empty Textual app, a no-op key
- Anki export and re-export (benchmarks/bench_anki_export.py) vs a bare genanki script
Whole-process figures are medians; bytecode is compiled before timing. The growth
exponent is the least-squares slope of log(figure) over log(cards) across the sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import generate  # noqa: E402

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
PY = sys.executable
# Peak memory of a child, measured inside it (VmHWM at exit): ru_maxrss of a child can
# carry over the parent's size on Linux.
WRAP = (
    "import atexit, os, runpy, sys\n"
    "def _hwm():\n"
    "    v = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
    "    open(os.environ['BENCH_HWM'], 'w').write(v)\n"
    "atexit.register(_hwm)\n"
    "mod = sys.argv[1]; sys.argv = sys.argv[1:]\n"
    "runpy.run_module(mod, run_name='__main__', alter_sys=True)\n"
)
STATS_SQL = (
    "SELECT c.deck, count(*), sum(s.item_id IS NULL), sum(s.due <= ?) FROM cards c LEFT JOIN review_state s "
    "ON s.item_type = 'card' AND s.item_id = c.id WHERE c.archived = 0 GROUP BY c.deck ORDER BY min(c.position)"
)
LIST_COLS = "id, deck, q, kind, difficulty, claims, tags, followups, file, line"

Row = tuple[str, str, str, str, str]  # measure, size, prep, baseline, ratio


def proc(args: list[str], env: dict, n: int = 5, stdout=subprocess.DEVNULL) -> float:
    """Median wall time (s) of a command in a new process."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=stdout, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def procs(commands: dict[str, list[str]], env: dict, n: int = 9) -> dict[str, float]:
    """Median wall time (s) of each command in a new process, run in turns: a ratio of two
    is then not skewed by the machine getting busier between one's runs and the other's."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(n):
        for name, args in commands.items():
            t = time.perf_counter()
            subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - t)
    return {name: statistics.median(ts) for name, ts in times.items()}


def proc_mem(module: str, args: list[str], env: dict, tmp: Path, n: int = 3) -> tuple[float, float]:
    """(median seconds, peak MB) of `python -m module args` with VmHWM taken at exit."""
    hwm = tmp / "hwm"
    env = dict(env, BENCH_HWM=str(hwm))
    times, mems = [], []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([PY, "-c", WRAP, module, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
        mems.append(int(hwm.read_text()) / 1024)
    return statistics.median(times), statistics.median(mems)


def code_mem(code: str, env: dict, n: int = 5) -> tuple[float, float]:
    """(median seconds, median peak MB) of `python -c code`."""
    hwm = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    times, mems = [], []
    for _ in range(n):
        t = time.perf_counter()
        out = subprocess.run([PY, "-c", f"{code}\n{hwm}"], env=env, check=True, capture_output=True, text=True).stdout
        times.append(time.perf_counter() - t)
        mems.append(int(out.split()[-1]) / 1024)
    return statistics.median(times), statistics.median(mems)


def median_ms(fn, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def exponent(sizes: list[int], values: list[float]) -> float | None:
    pts = [(math.log(n), math.log(v)) for n, v in zip(sizes, values, strict=True) if v and v > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def ms(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s >= 0.0095 else f"{s * 1000:.1f} ms"


def startup_rows(tmp: Path, env: dict) -> list[Row]:
    """Warm read commands on the built-in KB against the floor and the peers."""
    prep = [PY, "-m", "prep"]
    db = tmp / "builtin.db"
    subprocess.run([*prep, "--db", str(db), "stats"], env=env, check=True, capture_output=True)
    bare = proc([PY, "-c", "pass"], env, 9)
    helps = proc([*prep, "--help"], env, 9)
    plain = proc([PY, "-c", f"import sqlite3; c = sqlite3.connect({str(db)!r}); c.execute({STATS_SQL!r}, ['9']).fetchall()"], env, 9)
    su = proc(["sqlite-utils", str(db), STATS_SQL.replace("?", "'9'")], env, 9) if shutil.which("sqlite-utils") else float("nan")
    rows: list[Row] = [("prep --help", "built-in", ms(helps), f"{ms(bare)} python -c pass", f"{helps / bare:.1f}x")]
    card = subprocess.run([*prep, "--db", str(db), "list", "--json"], env=env, check=True, capture_output=True, text=True).stdout
    first = json.loads(card)[0]["id"] if card.strip().startswith("[") else "x"
    for name, args in (("stats", ["stats"]), ("show", ["show", first]), ("list", ["list"]), ("search", ["search", "etcd"])):
        t = proc([*prep, "--db", str(db), *args], env, 9)
        base = f"{ms(bare)} pass / {ms(helps)} --help"
        ratio = f"{t / bare:.1f}x / {t / helps:.2f}x"
        if name == "stats":
            base += f" / {ms(plain)} sqlite3 / {ms(su)} sqlite-utils"
            ratio += f" / {t / plain:.1f}x / {t / su:.2f}x"
        rows.append((f"warm `prep {name}`", "built-in", ms(t), base, ratio))
    return rows


def edit_one_card(root: Path) -> None:
    """Change one answer in the middle of one deck (a real edit: the content hash changes)."""
    deck = sorted((root / "decks").glob("*.yaml"))[len(list((root / "decks").glob("*.yaml"))) // 2]
    text = deck.read_text(encoding="utf-8")
    marker = "      - 要点二\n"
    i = text.find(marker, len(text) // 2)
    stamp = f"      - 要点二 edited {time.perf_counter_ns()}\n"
    deck.write_text(text[:i] + stamp + text[i + len(marker) :], encoding="utf-8")


def edit_resume(root: Path) -> None:
    """Change one claim's wording (its figure kept): the edit interviewers' follow-ups chase."""
    resume = root / "stories" / "resume.yaml"
    text = resume.read_text(encoding="utf-8")
    i = text.index("text: ") + len("text: ")
    resume.write_text(text[:i] + ("最终" if not text[i:].startswith("最终") else "") + text[i:].removeprefix("最终"), encoding="utf-8")


def size_figures(n: int, tmp: Path, env: dict, with_tui: bool) -> dict[str, float]:
    """Every per-size figure, in seconds or MB, keyed by name."""
    from prep.index.db import open_db
    from prep.index.sync import sync
    from prep.mock import draw
    from prep.mock.profiles import load_profiles
    from prep.study import engine
    from prep.study.srs import Settings

    root = generate(tmp / f"kb{n}", n)
    db_path = tmp / f"prep{n}.db"
    prep = [PY, "-m", "prep", "--kb", str(root), "--db", str(db_path)]
    subprocess.run([*prep, "sync"], env=env, check=True, capture_output=True)
    db = open_db(db_path)
    settings = Settings(enable_fuzzing=False)
    ids = [r[0] for r in db.execute("SELECT id FROM cards ORDER BY position LIMIT 200")]
    for i, cid in enumerate(ids):
        engine.record_answer(db, "card", cid, 1 + i % 4, NOW - dt.timedelta(days=30), settings=settings)
    f: dict[str, float] = {}
    sqlite3_stats = [PY, "-c", f"import sqlite3; c = sqlite3.connect({str(db_path)!r}); c.execute({STATS_SQL!r}, ['9']).fetchall()"]
    draw_json = [*prep, "draw", "--json", "--seed", "1", "--allow-repeats"]
    proc(draw_json, env, n=1)  # the first draw validates the profiles and caches them
    f |= procs({"stats": [*prep, "stats"], "stats_sqlite3": sqlite3_stats, "draw_proc": draw_json}, env)
    onsite = load_profiles(root)["backend-onsite"]
    if hasattr(draw, "DrawOptions"):
        options = draw.DrawOptions(name="backend-onsite", seed=1, no_repeat=0)
        f["draw_inproc"] = median_ms(lambda: draw.draw(db, onsite, options, now=NOW), 5) / 1000
    else:  # before the options dataclass
        f["draw_inproc"] = median_ms(lambda: draw.draw(db, onsite, name="backend-onsite", seed=1, now=NOW, no_repeat=0), 5) / 1000
    # warm sync, in process: what it costs to learn that nothing changed
    f["warm_sync_inproc"] = median_ms(lambda: sync(db, root), 9) / 1000

    def stat_only():
        rows = db.execute("SELECT path, mtime_ns, size FROM files").fetchall()
        for path, _, _ in rows:
            (root / path).stat()

    f["stat_only"] = median_ms(stat_only, 9) / 1000
    f["warm_sync"], f["warm_sync_mb"] = proc_mem("prep", [*prep[3:], "sync"], env, tmp)

    def resync_after(edit: Callable[[Path], None]) -> tuple[float, float]:
        """Median time and peak memory of `prep sync` after each of three edits."""
        times, mems = [], []
        for _ in range(3):
            edit(root)
            t, m = proc_mem("prep", [*prep[3:], "sync"], env, tmp, n=1)
            times.append(t)
            mems.append(m)
        return statistics.median(times), statistics.median(mems)

    f["resync_one"], f["resync_one_mb"] = resync_after(edit_one_card)
    f["resync_resume"], f["resync_resume_mb"] = resync_after(edit_resume)
    # What any edit must load: pydantic and the content models (the one validator), and what its
    # first validation builds (the schemas; pydantic.plugin, with plugins disabled as `prep`
    # disables them: prep.cli.main's stand-in for the loader, which would import importlib.metadata).
    # A resync can be no lighter than one process doing a warm sync and then that. (Summing a warm
    # sync and a bare process's import counted twice what both load: 41 MB, not 32, at 50k.)
    floor = (
        "import os, sys, types\nos.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__')\n"
        "sys.modules.setdefault('pydantic.plugin._loader', types.SimpleNamespace(get_plugins=lambda: ()))\n"
        f"sys.argv = ['prep', *{prep[3:]!r}, 'sync']\nfrom prep.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nimport prep.kb.loader\nfrom prep.kb.models import Deck\n"
        "Deck.model_validate({'name': 'N', 'cards': [{'id': 'n.c', 'q': 'Q?', 'a': 'A.'}]})"
    )
    f["resync_floor"], f["resync_floor_mb"] = code_mem(floor, env)
    f["list_json"], f["list_json_mb"] = proc_mem("prep", [*prep[3:], "list", "cards", "--json"], env, tmp)
    f["list_su"], f["list_su_mb"] = proc_mem(
        "sqlite_utils", [str(db_path), f"SELECT {LIST_COLS} FROM cards WHERE archived = 0 ORDER BY position"], env, tmp
    )
    if with_tui:
        out = subprocess.run([PY, str(HERE / "bench_tui.py"), str(n), str(root), str(db_path), "--json"], env=env, capture_output=True, text=True)
        if out.returncode == 0:
            f |= {f"tui_{k}": v / 1000 for k, v in json.loads(out.stdout.splitlines()[-1]).items()}
        else:
            print(f"bench_tui failed at {n}: {out.stderr[-400:]}", file=sys.stderr)
    db.close()
    return f


def export_figures(n: int, env: dict) -> dict[str, float]:
    out = subprocess.run([PY, str(HERE / "bench_anki_export.py"), str(n), "--json"], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"bench_anki_export failed at {n}: {out.stderr[-400:]}", file=sys.stderr)
        return {}
    return json.loads(out.stdout.splitlines()[-1])


# (label, prep key, baseline key, baseline label, unit); unit "s" or "MB"
MEASURES = [
    ("warm `prep stats`", "stats", "stats_sqlite3", "sqlite3 open + same query", "s"),
    ("`prep draw --json` (process)", "draw_proc", "stats", "`prep stats` same KB", "s"),
    ("draw in-process", "draw_inproc", None, "target 150 ms", "s"),
    ("warm sync in-process", "warm_sync_inproc", "stat_only", "path/mtime/size + stat only", "s"),
    ("resync after 1 edited card", "resync_one", "warm_sync", "warm `prep sync`", "s"),
    ("  vs its floor", "resync_one", "resync_floor", "warm sync, then the models' import + a first check", "s"),
    ("  its peak memory", "resync_one_mb", "warm_sync_mb", "warm `prep sync`", "MB"),
    ("  vs its floor", "resync_one_mb", "resync_floor_mb", "warm sync, then the models' import + a first check", "MB"),
    ("resync after a resume edit", "resync_resume", "resync_one", "resync after 1 edited card", "s"),
    ("  its peak memory", "resync_resume_mb", "resync_one_mb", "resync after 1 edited card", "MB"),
    ("`list cards --json`", "list_json", "list_su", "sqlite-utils same columns", "s"),
    ("  its peak memory", "list_json_mb", "list_su_mb", "sqlite-utils", "MB"),
    ("TUI launch to painted dashboard", "tui_launch_ms", "tui_empty_app_ms", "empty Textual app", "s"),
    ("TUI browse: type -> card (wall)", "tui_type_card_ms", "tui_noop_ms", "no-op key round trip", "s"),
    ("  UI thread blocked", "tui_type_card_blocked_ms", "tui_noop_blocked_ms", "no-op key", "s"),
    ("TUI browse: type -> claim, blocked", "tui_type_claim_blocked_ms", "tui_noop_blocked_ms", "no-op key", "s"),
    ("TUI open browse, blocked", "tui_open_browse_blocked_ms", "tui_noop_blocked_ms", "no-op key", "s"),
    ("TUI search keystroke, blocked", "tui_search_key2_blocked_ms", "tui_noop_blocked_ms", "no-op key", "s"),
    ("TUI back to dashboard, blocked", "tui_back_blocked_ms", "tui_noop_blocked_ms", "no-op key", "s"),
    ("TUI next card (wall)", "tui_next_card_ms", "tui_next_card_noop_ms", "no-op key", "s"),
    ("Anki first export", "first", "minimal", "bare genanki script", "s"),
    ("Anki re-export, unchanged", "again", "minimal", "bare genanki script", "s"),
]


def fmt(v: float | None, unit: str) -> str:
    if v is None or v != v:
        return "-"
    return f"{v:.0f} MB" if unit == "MB" else ms(v)


def table(sizes: list[int], per_size: dict[int, dict[str, float]]) -> list[str]:
    lines = []
    head = ["measure", *[f"{n // 1000}k" for n in sizes], "baseline (largest size)", "ratio per size", "exponent"]
    body = []
    for label, key, base, base_label, unit in MEASURES:
        vals = [per_size.get(n, {}).get(key) for n in sizes]
        if all(v is None for v in vals):
            continue
        bases = [per_size.get(n, {}).get(base) if base else None for n in sizes]
        ratios = " / ".join(f"{v / b:.2f}" if v and b else "-" for v, b in zip(vals, bases, strict=True))
        got = [(n, v) for n, v in zip(sizes, vals, strict=True) if v]
        e = exponent([n for n, _ in got], [v for _, v in got])
        last_base = next((b for b in reversed(bases) if b), None)
        body.append(
            [
                label,
                *[fmt(v, unit) for v in vals],
                f"{fmt(last_base, unit)} {base_label}" if base else base_label,
                ratios if base else "",
                f"{e:.2f}" if e is not None else "-",
            ]
        )
        if base:  # the baseline's own growth, so a grower can be told from a noisy floor
            bvals = [(n, b) for n, b in zip(sizes, bases, strict=True) if b]
            be = exponent([n for n, _ in bvals], [b for _, b in bvals])
            body[-1][-1] += f" (baseline {be:.2f})" if be is not None else ""
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines.append(" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000,100000")
    ap.add_argument("--export-sizes", default="1000,10000", help="Anki export is slow: these sizes only")
    ap.add_argument("--no-tui", action="store_true")
    ap.add_argument("--json", metavar="FILE", help="Also write every raw figure here.")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    export_sizes = [int(s) for s in args.export_sizes.split(",") if s]
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(__import__("prep").__file__).parent)], check=False)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        env = dict(os.environ, PREP_HOME=str(tmp / "home"))
        env.pop("PREP_KB", None)
        print("... start-up", file=sys.stderr, flush=True)
        rows = startup_rows(tmp, env)
        per_size: dict[int, dict[str, float]] = {}
        for n in sizes:
            print(f"... {n:,} cards", file=sys.stderr, flush=True)
            per_size[n] = size_figures(n, tmp, env, not args.no_tui)
        for n in export_sizes:
            print(f"... export {n:,} cards", file=sys.stderr, flush=True)
            per_size.setdefault(n, {}).update(export_figures(n, env))
    widths = [max(len(r[i]) for r in [*rows, ("measure", "", "prep", "baseline", "ratio")]) for i in range(5)]
    for r in [("measure", "KB", "prep", "baseline", "ratio"), *rows]:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    print()
    all_sizes = sorted(set(sizes) | set(export_sizes))
    print("\n".join(table(all_sizes, per_size)))
    meta = {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "machine": platform.processor() or platform.machine(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
    }
    print(json.dumps(meta))
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "startup": rows, "sizes": per_size}, indent=1))


if __name__ == "__main__":
    main()
