"""Bring reviews made in Anki home: revlog rows of prep's notes become review-log rows.

A card studied in Anki is the same card as in prep: our export names each note by
`genanki.guid_for(card id)` (stories: `guid_for("story", id)`), so the guid leads back
to the prep id. Each Anki review is stored once with its revlog id (a unique index
makes a second import of the same collection add nothing), and every touched item's
FSRS state is replayed from its whole merged history in time order.

The collection is only ever read: a `collection.anki2` through SQLite read-only, a
package (.colpkg, .apkg with scheduling) unpacked into a temporary folder first. A
collection that Anki holds open (locked), a file that is not a collection and a
corrupt package are refused with a sentence before anything is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import genanki

from prep.errors import PrepError
from prep.index.conn import Database
from prep.index.db import iso, transaction
from prep.kb.vocab import count
from prep.study.engine import load_settings
from prep.study.replay import replay
from prep.study.srs import make_scheduler

SQLITE_MAGIC = b"SQLite format 3\x00"
SOURCE = "anki"
# revlog.type: 0 learn, 1 review, 2 relearn, 3 filtered deck; 4 manual and 5 rescheduled
# are not answers (ease 0) and carry no memory evidence.
ANSWER_TYPES = (0, 1, 2, 3)


class AnkiImportError(PrepError):
    """The file cannot be read as an Anki collection; nothing was written."""


@dataclass(frozen=True)
class AnkiReview:
    revlog_id: int  # ms since the epoch: also when it was given
    item_type: str
    item_id: str
    rating: int
    duration_ms: int

    @property
    def at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.revlog_id / 1000, dt.UTC)


@dataclass
class ImportResult:
    path: Path
    reviews_in_file: int = 0
    added: int = 0
    already: int = 0
    items: int = 0  # prep cards and stories whose state was replayed
    foreign_notes: int = 0  # notes not from this knowledge base
    foreign_reviews: int = 0
    not_answers: int = 0  # manual reschedules and the like
    touched: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{count(self.added, 'new review')} from Anki ({self.already} already imported) on {count(self.items, 'item')}; "
            f"skipped {count(self.foreign_reviews, 'review')} of {count(self.foreign_notes, 'note')} not from this knowledge base"
            + (f" and {self.not_answers} reschedule entries" if self.not_answers else "")
        )


# --- reading the collection -------------------------------------------------


def _connect_ro(path: Path, label: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=1)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as e:
        if "locked" in str(e):
            raise AnkiImportError(
                f"{label}: the collection is open in Anki (locked); close Anki and try again",
                zh=f"{label}：这个牌组集合正在 Anki 里打开（被锁住）；关掉 Anki 再试",
            ) from e
        raise AnkiImportError(f"{label}: cannot open the collection ({e})", zh=f"{label}：打不开这个牌组集合（{e}）") from e
    except sqlite3.DatabaseError as e:
        raise AnkiImportError(f"{label}: not an Anki collection ({e})", zh=f"{label}：不是 Anki 牌组集合（{e}）") from e
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"notes", "cards", "revlog"} <= tables:
        conn.close()
        raise AnkiImportError(
            f"{label}: a SQLite file but not an Anki collection (no notes/cards/revlog tables)",
            zh=f"{label}：是 SQLite 文件，但不是 Anki 牌组集合（没有 notes/cards/revlog 表）",
        )
    return conn


def _unpack_modern(pkg: Path, folder: Path) -> Path:
    # collection.anki21b is zstd-compressed; the anki library unpacks it (and checks it).
    try:
        from anki._backend import RustBackend
    except ImportError:
        raise AnkiImportError(
            f"{pkg}: this package uses Anki's compressed format; install the anki library "
            "(pip install 'prep[anki]') or export it from Anki with 'Support older Anki versions' ticked",
            zh=f"{pkg}：这个包用的是 Anki 的压缩格式；请安装 anki 库（pip install 'prep[anki]'），或在 Anki 导出时勾选“支持旧版 Anki”",
        ) from None
    out = folder / "collection.anki2"
    try:
        RustBackend().import_collection_package(
            col_path=str(out), backup_path=str(pkg), media_folder=str(folder / "media"), media_db=str(folder / "media.db")
        )
    except Exception as e:  # the backend raises its own error types for every kind of damage
        raise AnkiImportError(f"{pkg}: a corrupt or unreadable Anki package ({e})", zh=f"{pkg}：Anki 包已损坏或无法读取（{e}）") from e
    return out


@contextlib.contextmanager
def _collection_file(path: Path) -> Iterator[Path]:
    """The SQLite file to read: the collection itself, or one unpacked from a package."""
    if not path.is_file():
        raise AnkiImportError(f"{path}: no such file", zh=f"{path}：文件不存在")
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as e:
        raise AnkiImportError(f"{path}: cannot read the file ({e.strerror})", zh=f"{path}：读不了这个文件（{e.strerror}）") from e
    if head == SQLITE_MAGIC:
        yield path
        return
    if not head.startswith(b"PK"):
        raise AnkiImportError(
            f"{path}: not an Anki collection (.anki2), .colpkg or .apkg", zh=f"{path}：不是 Anki 牌组集合（.anki2）、.colpkg 或 .apkg"
        )
    with tempfile.TemporaryDirectory(prefix="prep-anki-import-") as tmp:
        folder = Path(tmp)
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "collection.anki21b" in names:
                    member = None
                else:
                    member = next((n for n in ("collection.anki21", "collection.anki2") if n in names), None)
                    if member is None:
                        raise AnkiImportError(
                            f"{path}: a zip file but not an Anki package (no collection inside)",
                            zh=f"{path}：是 zip 文件，但不是 Anki 包（里面没有牌组集合）",
                        )
                    z.extract(member, folder)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise AnkiImportError(f"{path}: a corrupt Anki package ({e})", zh=f"{path}：Anki 包已损坏（{e}）") from e
        yield _unpack_modern(path, folder) if member is None else folder / member


@dataclass
class _Read:
    reviews: list[AnkiReview]
    foreign_notes: int
    foreign_reviews: int
    not_answers: int


def _guids(db: Database) -> dict[str, tuple[str, str]]:
    # Archived items too: their history is kept, so reviews of them are kept.
    out = {genanki.guid_for(i): ("card", i) for (i,) in db.execute("SELECT id FROM cards")}
    out |= {genanki.guid_for("story", i): ("story", i) for (i,) in db.execute("SELECT id FROM stories")}
    return out


def read_reviews(db: Database, path: Path) -> _Read:
    """Every answer in the collection at `path` to a note of this knowledge base."""
    guids = _guids(db)
    with _collection_file(Path(path)) as file:
        conn = _connect_ro(file, Path(path))
        try:
            notes = conn.execute("SELECT guid FROM notes").fetchall()
            rows = conn.execute(
                "SELECT r.id, r.ease, r.time, r.type, n.guid FROM revlog r JOIN cards c ON c.id = r.cid JOIN notes n ON n.id = c.nid ORDER BY r.id"
            ).fetchall()
        except sqlite3.DatabaseError as e:
            raise AnkiImportError(f"{path}: cannot read the collection ({e})", zh=f"{path}：读不了这个牌组集合（{e}）") from e
        finally:
            conn.close()
    reviews, foreign, not_answers = [], 0, 0
    for rid, ease, ms, kind, guid in rows:
        item = guids.get(guid)
        if item is None:
            foreign += 1
        elif kind not in ANSWER_TYPES or not 1 <= ease <= 4:
            not_answers += 1
        else:
            reviews.append(AnkiReview(int(rid), item[0], item[1], int(ease), max(int(ms or 0), 0)))
    foreign_notes = sum(1 for (g,) in notes if g not in guids)
    return _Read(reviews, foreign_notes, foreign, not_answers)


# --- writing ----------------------------------------------------------------


def import_reviews(db: Database, path: Path) -> ImportResult:
    """Add the collection's new reviews of prep items and replay each touched item's state,
    all in one transaction (a failure leaves the database as it was)."""
    path = Path(path)
    read = read_reviews(db, path)
    result = ImportResult(
        path=path,
        reviews_in_file=len(read.reviews),
        foreign_notes=read.foreign_notes,
        foreign_reviews=read.foreign_reviews,
        not_answers=read.not_answers,
    )
    settings = load_settings(db)
    scheduler = make_scheduler(settings)
    touched: dict[tuple[str, str], None] = {}
    with transaction(db):
        for r in read.reviews:
            cur = db.conn.execute(
                """INSERT OR IGNORE INTO review_log (item_type, item_id, reviewed_at, rating, duration_ms, mode, source, source_id)
                   VALUES (?, ?, ?, ?, ?, 'review', ?, ?)""",
                [r.item_type, r.item_id, iso(r.at), r.rating, r.duration_ms, SOURCE, str(r.revlog_id)],
            )
            if cur.rowcount:
                result.added += 1
                touched[(r.item_type, r.item_id)] = None
            else:
                result.already += 1
        for item_type, item_id in touched:
            replay(db, item_type, item_id, settings, scheduler)
    result.touched = list(touched)
    result.items = len(touched)
    return result
