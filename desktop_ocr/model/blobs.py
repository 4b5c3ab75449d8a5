"""Original file bytes inside the project database, stored once per SHA-256 in chunks. No Qt.

Each chunk is written in its own short transaction so that the model's writes interleave with a
big import; a blob counts only once its last transaction marks it complete (a crash in between
leaves an incomplete blob that the store removes when it next opens the file).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from desktop_ocr.model.sources import SourceData
from desktop_ocr.text import QT_TRANSLATE_NOOP

CHUNK = 4 * 1024 * 1024


class BlobMismatch(Exception):
    """The data differs from the hash it was announced with."""


def connect(path: str | os.PathLike[str], create: bool = False) -> sqlite3.Connection:
    """A connection to an existing database file (never creating one unless ``create``)."""
    uri = Path(path).resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
    conn = sqlite3.connect(uri, uri=True, timeout=30.0, isolation_level=None, check_same_thread=True)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


@contextlib.contextmanager
def tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


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
