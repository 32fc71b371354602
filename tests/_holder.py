"""A process that keeps the database open the way the TUI does, for the reliability tests.

Usage: python _holder.py DB KB
Opens the database, then opens it a second time in the same process (as the
dashboard's audit worker does), prints "ready", then for every line "answer" on
stdin records one answer and prints "committed <log id>". Stays open until killed.
"""

import datetime as dt
import sys

from prep.index.db import open_db
from prep.index.sync import sync
from prep.study import engine
from prep.study.srs import Settings


def main() -> None:
    db_path, kb = sys.argv[1], sys.argv[2]
    db = open_db(db_path)
    sync(db, kb)
    second = open_db(db_path, migrate=False)
    second.execute("SELECT count(*) FROM cards").fetchone()
    second.close()
    cards = [r[0] for r in db.execute("SELECT id FROM cards ORDER BY position")]
    settings = Settings(enable_fuzzing=False)
    t = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    print("ready", flush=True)
    for i, line in enumerate(sys.stdin):
        if line.strip() != "answer":
            continue
        log_id = engine.record_answer(db, "card", cards[i % len(cards)], 3, t + dt.timedelta(minutes=i), settings=settings)
        print(f"committed {log_id}", flush=True)


if __name__ == "__main__":
    main()
