"""Original file bytes inside the project database, stored once per SHA-256 in chunks. No Qt.

Each chunk is written in its own short transaction so that the model's writes interleave with a
big import; a blob counts only once its last transaction marks it complete (a crash in between
leaves an incomplete blob that the store removes when it next opens the file).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.sources import SourceData

CHUNK = 4 * 1024 * 1024


class BlobMismatch(Exception):
    """The data differs from the hash it was announced with."""


#: The most one statement may run (seconds of SQLite work) before it is interrupted: a file from
#: elsewhere must not be able to hang the app. Far above what any of the app's own queries need.
STATEMENT_SECONDS = 60.0
#: How many SQLite virtual-machine steps pass between two looks at the clock.
_STEPS = 20_000


class _BoundedConnection(sqlite3.Connection):
    """A connection whose every statement is interrupted once it has run :data:`STATEMENT_SECONDS`."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.deadline = time.monotonic() + STATEMENT_SECONDS
        self.set_progress_handler(self._over_budget, _STEPS)

    def _over_budget(self) -> int:
        return 1 if time.monotonic() > self.deadline else 0

    def _restart(self) -> None:
        self.deadline = time.monotonic() + STATEMENT_SECONDS

    def execute(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self._restart()
        return super().execute(*args)

    def executemany(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self._restart()
        return super().executemany(*args)

    def executescript(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self._restart()
        return super().executescript(*args)


def connect(path: str | os.PathLike[str], create: bool = False) -> sqlite3.Connection:
    """A connection to an existing database file (never creating one unless ``create``).

    The file is treated as untrusted: functions with side effects cannot run from its schema
    (``trusted_schema``), damaged pages are caught early (``cell_size_check``) and every statement's
    work is bounded in time.
    """
    uri = Path(path).resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
    conn = sqlite3.connect(
        uri, uri=True, timeout=30.0, isolation_level=None, check_same_thread=True, factory=_BoundedConnection
    )
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA recursive_triggers = OFF")
    return conn


def is_interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is a statement stopped for running too long."""
    return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc)


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the file size limit) is full."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)
    return False


@contextlib.contextmanager
def tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk): never let a failing
        # ROLLBACK ("no transaction is active") hide the error that matters.
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def has_blob(conn: sqlite3.Connection, sha256: str) -> bool:
    row = conn.execute("SELECT complete FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return bool(row and row[0])


def _chunks(data: SourceData) -> Iterator[bytes]:
    if isinstance(data, bytes):
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]
        return
    with open(data, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def put_blob(conn: sqlite3.Connection, sha256: str, data: SourceData) -> None:
    """Store ``data`` (bytes, or a file streamed from disk) under ``sha256``; verify before completing."""
    with tx(conn):
        conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
        conn.execute("INSERT OR REPLACE INTO blobs (sha256, size, complete) VALUES (?, 0, 0)", (sha256,))
    h = hashlib.sha256()
    size = 0
    for seq, chunk in enumerate(_chunks(data)):
        h.update(chunk)
        with tx(conn):
            conn.execute("INSERT INTO blob_chunks (sha256, seq, data) VALUES (?, ?, ?)", (sha256, seq, chunk))
        size += len(chunk)
    with tx(conn):
        if h.hexdigest() != sha256:
            conn.execute("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
            conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
            raise BlobMismatch(QT_TRANSLATE_NOOP("Import", "the file changed while it was being imported"))
        conn.execute("UPDATE blobs SET size = ?, complete = 1 WHERE sha256 = ?", (size, sha256))


def iter_blob(conn: sqlite3.Connection, sha256: str) -> Iterator[bytes]:
    """The blob's chunks in order, one at a time (memory stays bounded)."""
    seqs = [
        r[0] for r in conn.execute("SELECT seq FROM blob_chunks WHERE sha256 = ? ORDER BY seq", (sha256,))
    ]
    for seq in seqs:
        row = conn.execute(
            "SELECT data FROM blob_chunks WHERE sha256 = ? AND seq = ?", (sha256, seq)
        ).fetchone()
        yield bytes(row[0])
