"""A separate process that answers reviews in a loop (used by the reliability tests).

Usage: python _worker.py DB KB TAG N [SLEEP]
Prints "committed <log id>" after each committed answer, so the parent knows what
must survive a kill -9.
"""

import datetime as dt
import sys
import time

from prep.index.db import open_db
from prep.index.sync import sync
from prep.study import engine
from prep.study.srs import Settings


def main():
    db_path, kb, tag, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pause = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    db = open_db(db_path)
    sync(db, kb)
    settings = Settings(enable_fuzzing=False)
    cards = [r[0] for r in db.execute("SELECT id FROM cards ORDER BY position")]
    t = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    for i in range(n):
        card = cards[i % len(cards)]
        log_id = engine.record_answer(db, "card", card, 1 + i % 4, t + dt.timedelta(seconds=i), settings=settings, duration_ms=i)
        print(f"committed {log_id} {tag}", flush=True)
        if pause:
            time.sleep(pause)
    print("done", flush=True)


if __name__ == "__main__":
    main()
