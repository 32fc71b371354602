"""Anki export of a synthetic knowledge base: `python benchmarks/bench_anki_export.py [N]`.

Run by hand (not a test). Exports N cards (default 10,000) plus their stories from a
warm index, and compares with a minimal genanki script writing the same notes in the
same run: the same texts, rendered with markdown-it + pygments, one deck per topic,
guid from the id. Two figures: the first export (the rendered-HTML cache and the notes'
kept mod times emptied before each run: everything is rendered, as the script does) and
an unchanged re-export (from the cache). The three take turns, best of REPEAT each.
Targets (issue 15): first export within 1.1x the script, re-export at most 0.5x.

Peak memory is each figure's ru_maxrss as a new process (`prep export anki`, and the
script run alone), from os.wait4: first export, re-export, script (the `*_mb` keys).
With `--before TREE` the same two `prep export anki` processes also run with PYTHONPATH
at TREE (another checkout of prep, e.g. `git worktree add --detach /tmp/base main`),
taking turns with this tree's, on the same knowledge base and database (a TREE with
fewer migrations than this tree refuses it as newer): before/after figures from one run
(`before_*` and `cli_*` keys). `--repeat N` sets the turns (3).
With --json, prints one JSON object of the figures (benchmarks/run_all.py reads it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import generate  # noqa: E402

from prep.export import anki  # noqa: E402
from prep.index.db import open_db  # noqa: E402
from prep.index.sync import sync  # noqa: E402
from prep.kb.models import pick  # noqa: E402

REPEAT = 3
HERE_FILE = Path(__file__).resolve()


def minimal_genanki(items: list[tuple[str, str, str, str]], out: Path) -> None:
    """What someone would write in an afternoon: render, one note per item, write."""
    import genanki
    from markdown_it import MarkdownIt
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    fmt = HtmlFormatter(noclasses=True)

    def hl(code, lang, attrs):
        try:
            return highlight(code, get_lexer_by_name(lang), fmt) if lang else ""
        except Exception:
            return ""

    md = MarkdownIt("commonmark", {"html": False, "highlight": hl})
    model = genanki.Model(
        1_900_000_001,
        "minimal",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "c", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}],
    )
    decks: dict[str, genanki.Deck] = {}
    for i, (item_id, deck, q, a) in enumerate(items):
        d = decks.get(deck) or decks.setdefault(deck, genanki.Deck(anki.deck_id(deck), deck))
        d.add_note(genanki.Note(model, [md.render(q), md.render(a)], guid=genanki.guid_for(item_id), due=i))
    genanki.Package(list(decks.values())).write_to_file(str(out))


def load_items(db, lang: str) -> list[tuple[str, str, str, str]]:
    """The same notes prep exports: each card's q/a and each story's title/sections."""
    items = [
        (r["id"], r["deck"], pick(json.loads(r["q"]), lang), pick(json.loads(r["a"]), lang))
        for r in db.query("SELECT id, deck, q, a FROM cards WHERE archived = 0 ORDER BY position")
    ]
    for r in db.query("SELECT id, title, sections FROM stories WHERE archived = 0 ORDER BY position"):
        sections = json.loads(r["sections"])
        body = "\n\n".join(pick(sections.get(s), lang) for s in ("Situation", "Task", "Action", "Result"))
        items.append((r["id"], "stories", pick(json.loads(r["title"]), lang), body))
    return items


# A child's ru_maxrss starts at its parent's peak: exec keeps the old address space's
# high-water mark (and subprocess forks this large benchmark). So the measured command
# is started by a bare interpreter (~10 MB), which reports the command's own peak.
WRAPPER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def child(cmd: list[str], env: dict[str, str]) -> float:
    """Run `cmd` to completion; its peak resident memory in MB (ru_maxrss, KiB on Linux).
    It runs in a scratch folder: `python -m prep` imports the prep of its working
    directory before PYTHONPATH's."""
    with tempfile.TemporaryDirectory() as scratch:
        peak = Path(scratch) / "maxrss"
        wrapped = [sys.executable, "-c", WRAPPER, str(peak), *cmd]
        out = subprocess.run(wrapped, env=env, cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if out.returncode:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr.decode(errors='replace')[-2000:]}")
        return int(peak.read_text()) / 1024


def minimal_child(db_path: str, out: str) -> None:
    """`--minimal-child DB OUT`: the bare script alone in its process, for its peak memory."""
    tempfile.tempdir = str(Path(out).parent)  # genanki leaves its temporary database behind
    db = open_db(Path(db_path))
    minimal_genanki(load_items(db, "zh"), Path(out))


def interleaved(runs: dict[str, tuple]) -> dict[str, float]:
    """Best of REPEAT for each (fn, before) in `runs`, taking turns, so a burst of load on
    this shared machine hits every figure alike rather than one of them. Each run starts
    with nothing left to write back (os.sync, untimed): on ext4 an fsync (prep's, of its
    package) also waits for other files' pending writes, so a run would pay for the one
    before it (the bare script's 30 MB, the cache deletion of `forget`)."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(REPEAT):
        for name, (fn, before) in runs.items():
            if before:
                before()
            os.sync()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return {name: min(ts) for name, ts in times.items()}


def options(argv: list[str]) -> tuple[int, Path | None, int]:
    """N, --before TREE, --repeat N."""
    rest, before, repeat = [], None, REPEAT
    it = iter(argv)
    for a in it:
        if a == "--before":
            before = Path(next(it)).resolve()
        elif a == "--repeat":
            repeat = int(next(it))
        elif not a.startswith("--"):
            rest.append(a)
    return (int(rest[0]) if rest else 10_000), before, repeat


def main() -> None:
    global REPEAT
    if sys.argv[1:2] == ["--minimal-child"]:
        minimal_child(sys.argv[2], sys.argv[3])
        return
    n, before, REPEAT = options(sys.argv[1:])
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        # genanki's write_to_file leaves its temporary database behind (15 MB at 10k, each run):
        # in here, it goes with the rest
        tempfile.tempdir = tmp_dir
        root = generate(tmp / "kb", n)
        db = open_db(tmp / "prep.db")
        t = time.perf_counter()
        sync(db, root)
        cold_sync = time.perf_counter() - t

        result = anki.export(db, root, tmp / "prep.apkg")
        items = load_items(db, "zh")
        assert len(items) == result.notes

        # what an export keeps for the next one (a tree without these tables keeps nothing)
        kept = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE name IN ('export_html', 'anki_notes')")]

        def forget() -> None:
            """A first export: nothing rendered before, no note's mod kept."""
            for table in kept:
                db.execute(f"DELETE FROM {table}")
            if kept:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        env = dict(os.environ, PREP_HOME=str(tmp / "home"))
        cli = [sys.executable, "-m", "prep", "--kb", str(root), "--db", str(tmp / "prep.db"), "export", "anki", "-o", str(tmp / "cli.apkg")]
        peaks: dict[str, float] = {}

        def process(name: str, cmd: list[str], tree: Path | None = None):
            run_env = env if tree is None else dict(env, PYTHONPATH=str(tree))

            def run() -> None:  # the highest of the turns' peaks
                peaks[name] = max(peaks.get(name, 0.0), child(cmd, run_env))

            return run

        runs: dict[str, tuple] = {
            "first": (lambda: anki.export(db, root, tmp / "prep.apkg"), forget),
            "minimal": (lambda: minimal_genanki(items, tmp / "minimal.apkg"), None),
            "again": (lambda: anki.export(db, root, tmp / "prep.apkg"), None),  # unchanged re-exports
            "cli_first": (process("cli_first", cli), forget),
            "cli_again": (process("cli_again", cli), None),
            "minimal_proc": (
                process("minimal_proc", [sys.executable, str(HERE_FILE), "--minimal-child", str(tmp / "prep.db"), str(tmp / "m.apkg")]),
                None,
            ),
        }
        if before:
            runs["before_first"] = (process("before_first", cli, before), forget)
            runs["before_again"] = (process("before_again", cli, before), None)
        figures = interleaved(runs)
        first_s, prep_s, base_s = figures["first"], figures["again"], figures["minimal"]
        cli_s = figures["cli_again"]
        mem = {"first_mb": peaks["cli_first"], "again_mb": peaks["cli_again"], "minimal_mb": peaks["minimal_proc"]}
        extra = {k: figures[k] for k in figures if k.startswith(("cli_", "before_"))} | mem | {"minimal_proc": figures["minimal_proc"]}
        if before:
            extra |= {"before_first_mb": peaks["before_first"], "before_again_mb": peaks["before_again"]}

        size_mb = (tmp / "prep.apkg").stat().st_size / 1e6
        if "--json" in sys.argv:
            print(json.dumps({"first": first_s, "again": prep_s, "minimal": base_s, "cli": cli_s} | extra))
            return
        print(f"notes: {result.notes:,} ({result.qa:,} cards, {result.stories} stories), {result.decks} decks, {size_mb:.1f} MB .apkg")
        print(f"cold sync of the knowledge base (not part of the export): {cold_sync:.2f} s")
        print(f"`prep export anki` as a new process, warm index and cache: {cli_s:.2f} s")
        print(
            f"peak memory as a new process: first export {mem['first_mb']:.0f} MB, re-export {mem['again_mb']:.0f} MB, "
            f"bare genanki script {mem['minimal_mb']:.0f} MB"
        )
        if before:
            print(
                f"before ({before}), as a new process: first export {figures['before_first']:.2f} s {peaks['before_first']:.0f} MB, "
                f"re-export {figures['before_again']:.2f} s {peaks['before_again']:.0f} MB; "
                f"after: {figures['cli_first']:.2f} s {peaks['cli_first']:.0f} MB, {figures['cli_again']:.2f} s {peaks['cli_again']:.0f} MB"
            )
        print(f"minimal genanki script, same notes (best of {REPEAT}): {base_s:.2f} s")
        print(
            f"prep first export, nothing cached (best of {REPEAT}): {first_s:.2f} s  ratio {first_s / base_s:.2f} (target <= 1.1: {_ok(first_s / base_s <= 1.1)})"
        )
        print(
            f"prep re-export, unchanged (best of {REPEAT}): {prep_s:.2f} s  ratio {prep_s / base_s:.2f} (target <= 0.5: {_ok(prep_s / base_s <= 0.5)})"
        )


def _ok(met: bool) -> str:
    return "ok" if met else "MISSED"


if __name__ == "__main__":
    main()
