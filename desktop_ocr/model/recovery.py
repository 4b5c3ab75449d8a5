"""Unsaved sessions: untitled projects in the recovery folder, offered again after a crash. No Qt."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop_ocr import PROJECT_SUFFIX, paths
from desktop_ocr.model import lockfile

log = logging.getLogger(__name__)
APPLICATION_ID = 0x44534F43  # "DSOC", as in model.store


def delete_project_file(path: Path) -> None:
    for p in (
        path,
        Path(f"{path}-wal"),
        Path(f"{path}-shm"),
        Path(f"{path}-journal"),
        lockfile.lock_path(path),
    ):
        with contextlib.suppress(OSError):
            p.unlink()


@dataclass(frozen=True, slots=True)
class RecoverableSession:
    """An untitled session left behind by a run that ended without saving or discarding it."""

    path: Path
    modified: float
    documents: tuple[str, ...]
    page_count: int
    crashed: bool  # its lock was left by a process that is gone


def _last_written(path: Path) -> float:
    """When the session last wrote: SQLite writes to the ``-wal`` file beside the project and
    leaves the project file's time alone until it folds the log in."""
    times = [path.stat().st_mtime]
    with contextlib.suppress(OSError):
        times.append(Path(str(path) + "-wal").stat().st_mtime)
    return max(times)


def list_recoverable() -> list[RecoverableSession]:
    """Unsaved sessions in the recovery folder that no running instance holds, newest first.

    Sessions with no documents are deleted on the way.
    """
    found = []
    for path in paths.recovery_dir().glob("*" + PROJECT_SUFFIX):
        if lockfile.is_held(path):
            continue
        info = lockfile.read_lock(path)
        try:
            conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5.0)
            try:
                if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                    raise sqlite3.DatabaseError("not a project file")
                conn.execute("PRAGMA trusted_schema = OFF")
                names = tuple(  # a damaged name is shown as "?"; opening the file says what is wrong
                    r[0] if isinstance(r[0], str) else "?"
                    for r in conn.execute("SELECT name FROM documents ORDER BY position")
                )
                pages = conn.execute("SELECT COUNT(*) FROM pages WHERE document_id IS NOT NULL").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            log.warning("Skipping unreadable recovery file %s: %s", path, exc)
            continue
        if not names:
            delete_project_file(path)
            continue
        found.append(RecoverableSession(path, _last_written(path), names, int(pages), info is not None))
    found.sort(key=lambda s: s.modified, reverse=True)
    return found


def discard_session(path: str | os.PathLike[str]) -> None:
    """Delete an unsaved session the user chose not to recover."""
    delete_project_file(Path(path))
