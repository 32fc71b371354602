"""Opening the SQLite database safely.

The database holds the user's review history, which no content error, upgrade,
crash or second process may damage. So:

- never open() the database file from Python: closing any descriptor on it drops
  every POSIX lock the process holds (sqlite.org/howtocorrupt.html, 2.2), and the
  next process would delete the WAL under a live connection. The header is read
  through SQLite, backups use SQLite's backup API;
- look before touching: a file that is not SQLite, belongs to another application
  (`PRAGMA application_id`) or comes from a newer prep is refused before anything
  is written (not even the journal mode);
- migrate under `BEGIN IMMEDIATE`, so a second process waits and then finds nothing
  pending; copy the file aside first (to a temporary name, renamed when complete);
- WAL, and a short busy timeout for interactive writes (a reviewer waits about a
  second, then gets a message), a long one for migrations and sync batches.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from pathlib import Path

from prep.errors import PrepError
from prep.index.conn import Database

# backups and sqlite_reason: the doctor and the TUI know them by this module
from prep.index.failures import backups as backups
from prep.index.failures import because, damaged_message, sqlite_message
from prep.index.failures import sqlite_reason as sqlite_reason
from prep.index.migrations import migrations
from prep.kb.vocab import count

# "prep" in ASCII: marks our files so another application's database is never adopted.
APPLICATION_ID = 0x70726570
# Interactive writes (an answer, a setting) wait this long for another writer.
BUSY_TIMEOUT_S = 1.0
# Migrations and sync batches may wait for a long one.
LONG_WAIT_S = 30.0


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(t: dt.datetime) -> str:
    if t.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware (UTC)")
    return t.astimezone(dt.UTC).isoformat(timespec="microseconds")


_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the C scanner json.loads uses


def loads(value):
    """The one JSON decoder of stored columns: `json.loads`, or None for NULL or ''.

    Columns hold `dumps` output (no surrounding whitespace), so the C scanner is called
    directly: json.loads' Python layers cost as much as the scan on a short value, and
    a 50k-card list decodes 200k of them. Anything else (whitespace, garbage, bytes)
    goes through json.loads itself, so results and errors are exactly its own."""
    if not value:
        return None
    try:
        obj, end = _scan(value, 0)
    except (StopIteration, ValueError, TypeError):
        return json.loads(value)
    return obj if end == len(value) else json.loads(value)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """The switch needs the file to itself: wait as long as for a migration, since another
    process opening the same old database may be switching or migrating it right now.
    SQLite does not call the busy handler when a connection that already reads asks to
    write (it could deadlock), so two processes switching at once get "locked" at once
    however long the timeout: retry until the deadline."""
    conn.execute(f"PRAGMA busy_timeout = {int(LONG_WAIT_S * 1000)}")
    deadline = time.monotonic() + LONG_WAIT_S
    try:
        while True:
            try:
                return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as e:
                if ("locked" not in str(e) and "busy" not in str(e)) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def _inspect(conn: sqlite3.Connection) -> tuple[int, set[str], list[str]]:
    """(application_id, table names, applied prep migrations), reading only."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    applied: list[str] = []
    if migrations.migrations_table in tables:
        applied = [
            r[0] for r in conn.execute(f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ? ORDER BY rowid", [migrations.name])
        ]
    return app_id, tables, applied


def _refuse_foreign(path: Path, app_id: int, tables: set[str], applied: list[str]) -> None:
    ours = app_id == APPLICATION_ID or (app_id == 0 and (applied or not tables))
    if not ours:
        raise PrepError(
            f"{path}: a SQLite database of another application (application_id {app_id}, {count(len(tables), 'table')}); "
            "prep left it untouched. Pass --db with a new file name.",
            zh=f"{path}：这是别的应用程序的 SQLite 数据库（application_id {app_id}，{len(tables)} 张表）；prep 没有动它。用 --db 指定一个新文件名。",
        )
    known = {m.name for m in migrations._migrations}
    newer = [name for name in applied if name not in known]
    if newer:
        raise PrepError(
            f"{path}: written by a newer version of prep (schema {newer[-1]}); upgrade prep. The file was left untouched.",
            zh=f"{path}：由更新版本的 prep 写入（结构 {newer[-1]}）；请升级 prep。文件原样保留。",
        )


def open_db(path: Path | str, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and upgrade the database at `path`."""
    path = Path(path)
    if path.is_dir():
        raise PrepError(f"{path}: is a folder, not a prep database", zh=f"{path}：是一个文件夹，不是 prep 数据库")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        from prep.fsio import os_reason

        raise PrepError(
            f"{path.parent}: cannot create the folder for the database ({e.strerror})",
            zh=f"{path.parent}：无法为数据库创建文件夹（{os_reason(e, 'zh')}）",
        ) from None
    if path.exists() and not os.access(path, os.W_OK):
        readonly = sqlite3.OperationalError("readonly")
        raise PrepError(sqlite_message(path, readonly), zh=sqlite_message(path, readonly, "zh"))
    try:
        conn = _connect(path)
    except sqlite3.Error as e:
        raise PrepError(f"{path}: cannot open the database{because(path, e)}", zh=f"{path}：无法打开数据库{because(path, e, 'zh')}") from None
    # Opening waits as long as a migration may take: another process opening the same old
    # database may be switching it to WAL or migrating it right now. Afterwards, writes
    # wait about a second (BUSY_TIMEOUT_S).
    conn.execute(f"PRAGMA busy_timeout = {int(LONG_WAIT_S * 1000)}")
    try:
        app_id, tables, applied = _inspect(conn)
        _refuse_foreign(path, app_id, tables, applied)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            mode = _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if mode.lower() != "wal":  # pragma: no cover - e.g. a medium without shared memory
            raise PrepError(f"{path}: could not switch to WAL journaling (got {mode})", zh=f"{path}：无法切换到 WAL 日志模式（得到 {mode}）")
        db = Database(conn)
        if migrate:
            _migrate(db, path, app_id)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    except PrepError:
        conn.close()
        raise
    except sqlite3.DatabaseError as e:
        conn.close()
        raise _open_failure(path, e) from None
    return db


def _open_failure(path: Path, e: sqlite3.DatabaseError) -> PrepError:
    """The error for a database file that SQLite could open but not read or set up."""
    if "not a database" in str(e):
        return PrepError(
            f"{path}: not a SQLite database (left untouched). Move it away or pass --db to use another file.",
            zh=f"{path}：不是 SQLite 数据库（原样保留）。把它移走，或用 --db 指定另一个文件。",
        )
    if "malformed" in str(e):
        return PrepError("cannot open the database: " + damaged_message(path, e), zh="无法打开数据库：" + damaged_message(path, e, "zh"))
    if "locked" in str(e) or "busy" in str(e) or "readonly" in str(e):
        return PrepError(sqlite_message(path, e), zh=sqlite_message(path, e, "zh"))
    return PrepError(
        f"{path}: cannot open the database{because(path, e)}; the file was left untouched",
        zh=f"{path}：无法打开数据库{because(path, e, 'zh')}；文件原样保留",
    )


@contextlib.contextmanager
def own_connection(db: Database):
    """A second connection to the same file, for a worker thread: sharing one sqlite3
    connection across threads serialises them and, with a Python SQL function in the
    query, can hang on the GIL and the connection at once. A second connection in the
    same process is safe (it never drops this process's locks, unlike open())."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    own = open_db(path, migrate=False) if path else db
    try:
        yield own
    finally:
        if path:
            own.close()


def _migrate(db: Database, path: Path, app_id: int) -> None:
    """Apply pending migrations under the write lock: a second process opening the same
    old database waits here, then finds nothing pending."""
    if app_id == APPLICATION_ID and not migrations.pending(db):
        return
    conn = db.conn
    conn.execute(f"PRAGMA busy_timeout = {int(LONG_WAIT_S * 1000)}")
    try:
        with transaction(db):
            pending = migrations.pending(db)
            if pending and migrations.applied(db):
                _backup(path, f"before-{pending[0].name}")
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db)
    except sqlite3.OperationalError as e:
        raise PrepError(
            f"{path}: migration failed{because(path, e)}; the database was not changed",
            zh=f"{path}：升级失败{because(path, e, 'zh')}；数据库没有改动",
        ) from None
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def copy_database(source: Path, dest: Path, tmp: Path) -> None:
    """Copy a database with SQLite's backup API (never open(): that would drop this
    process's locks) into `tmp`, renamed to `dest` only once complete; on failure `tmp`
    is removed and the error raised."""
    try:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):  # the copy's own error is the one to report
            tmp.unlink(missing_ok=True)
        raise


def _backup(path: Path, label: str) -> Path:
    """Copy the database with SQLite's backup API (never open()) to a temporary name,
    renamed to `<db>.<label>-<time>.bak` only once complete.

    Called under our write lock before anything is written: a second connection reads
    the committed state (WAL readers do not wait for writers)."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    dest = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    try:
        copy_database(path, dest, path.with_name(f".{dest.name}.partial"))
    except (OSError, sqlite3.Error) as e:
        raise PrepError(
            f"{path}: could not write the backup before upgrading the database ({e}); nothing was changed. Free some disk space and try again.",
            zh=f"{path}：升级数据库前无法写入备份（{e}）；什么都没有改动。请腾出一些磁盘空间后再试。",
        ) from None
    return dest


def schema_version(db: Database) -> str | None:
    applied = migrations.applied(db)
    return applied[-1].name if applied else None


def get_meta(db: Database, key: str, default=None):
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else default


def peek_meta(path: Path, key: str) -> str | None:
    """A meta value of the database at `path`, read without opening it for writing: no
    file created, no migration, no lock waited for. None when the file is missing,
    damaged, locked or too old to have it (for commands that work without the database)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def set_meta(db: Database, key: str, value: str) -> None:
    db.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])


class transaction:
    """`BEGIN IMMEDIATE` ... `COMMIT`: take the write lock up front.

    A deferred transaction that reads then writes can fail with SQLITE_BUSY at once
    when another process holds the lock; IMMEDIATE waits for the busy timeout instead
    (about a second; `wait` seconds for long jobs such as sync batches).
    """

    def __init__(self, db: Database, wait: float | None = None):
        self.conn = db.conn
        self.wait = wait

    def __enter__(self):
        if self.wait is not None:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.wait * 1000)}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        finally:
            if self.wait is not None:
                self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        return False
