"""The project file: one SQLite database holding originals, documents, pages, results and text history.

:class:`ProjectStore` listens to a :class:`Project` and writes every change in its own transaction
at once (autosave). The file is self-contained when closed (WAL is checkpointed and switched off),
so it can be moved to another machine. Killing the process at any moment leaves the last committed
state: SQLite's journal makes every transaction atomic.

The connection belongs to the thread that opened the store (the model's thread). Original file bytes
are read and written from any thread through short-lived connections of their own
(:meth:`ProjectStore.put_blob`, :meth:`ProjectStore.source_opener`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr import PROJECT_SUFFIX, paths
from desktop_ocr.fsutil import _fsync_dir, note_part_file
from desktop_ocr.messages import QT_TRANSLATE_NOOP, message_of
from desktop_ocr.model import blobs, lockfile
from desktop_ocr.model import schema as checks
from desktop_ocr.model.blocks import Layout, Span
from desktop_ocr.model.document import (
    Change,
    ChangeKind,
    Document,
    Page,
    PageState,
    Project,
    Source,
    SourceKind,
)
from desktop_ocr.model.recovery import delete_project_file
from desktop_ocr.model.result import Completion, PageResult
from desktop_ocr.model.schema import (
    APPLICATION_ID,
    SCHEMA,
    SCHEMA_VERSION,
    DamagedValue,
    ForeignSchema,
    ProjectError,
)
from desktop_ocr.model.sources import SourceData

log = logging.getLogger(__name__)

#: Sources up to this size are handed to renderers as bytes; bigger ones as a cached file.
INLINE_SOURCE_BYTES = 64 * 1024 * 1024
#: Typing more than this many seconds after the last edit starts a new version.
EDIT_BURST_S = 60.0
#: How long closing waits for other connections (readers) before giving up on the checkpoint.
CLOSE_BUSY_MS = 3000
_SCHEMA = SCHEMA


@dataclass(frozen=True, slots=True)
class TextVersion:
    """One version of a page's text: an OCR result, an editing burst, or a restore."""

    id: int
    page_id: str
    origin: str  # "ocr", "edit", "restore"
    text: str
    created: float
    updated: float
    result_id: int | None = None
    #: The blocks of ``text`` (``model.blocks.Span``); None: found again from the result's blocks.
    spans: tuple[Span, ...] | None = None


def _derived_state(page: Page) -> PageState:
    """Queued/reading exist only while the app runs: store what the page is without them."""
    if not page.state.transient:
        return page.state
    if page.edited_text is not None:
        return PageState.EDITED
    if page.result is not None:
        return PageState.INCOMPLETE if page.result.completion != Completion.COMPLETE else PageState.READ
    return PageState.NOT_READ


class ProjectStore:
    """A project file on disk, kept in step with a :class:`Project`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, was_crashed: bool) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self.was_crashed = was_crashed
        self.project: Project | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._path_lock = threading.Lock()
        #: Held while a file's bytes are written (import threads) and while the file is copied
        #: (Save As) or closed, so that no blob is half in the old file and missing from the new.
        self._blob_lock = threading.RLock()
        #: Set when the store is closing: reads of original files in other threads (a page being
        #: rendered from a big file) stop at their next chunk, so that closing never waits for them.
        self._closing = threading.Event()
        self._sources: dict[str, tuple[str, int]] = {}  # source id -> (sha256, size)
        self._written_sources: set[str] = set()
        self._attached: set[str] = set()  # page ids stored with a document
        self._result_ids: dict[str, tuple[PageResult, int]] = {}  # page id -> (result written, row id)
        self._last_version: dict[str, tuple[int, str, float]] = {}  # page id -> (id, origin, updated)
        self._needs_full_write = False
        #: Called with a message when a write fails (disk full, file gone); the GUI shows it.
        self.on_error: Callable[[str], None] | None = None
        self.last_error = ""
        #: Opened read-only because stored values are damaged (:meth:`open_read_only`): nothing is
        #: written to the file; :meth:`save_as` writes a repaired copy and continues there.
        self.read_only = False
        #: What was damaged, one line each (e.g. "pages.width of page 2 of scan.pdf: inf").
        self.damage: list[str] = []
        self._lenient = False

    # --- opening and creating -----------------------------------------------------------------
    @classmethod
    def create(cls, path: str | os.PathLike[str], project: Project | None = None) -> ProjectStore:
        """A new project file at ``path`` (replacing none: it must not exist) bound to ``project``."""
        p = Path(path)
        if p.exists():
            raise ProjectError(QT_TRANSLATE_NOOP("Project", "{name} already exists.").format(name=p.name))
        p.parent.mkdir(parents=True, exist_ok=True)
        lockfile.acquire(p)
        try:
            conn = blobs.connect(p, create=True)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.executescript(
                "BEGIN;" + _SCHEMA + f"PRAGMA application_id = {APPLICATION_ID};"
                f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        except sqlite3.Error as exc:
            lockfile.release(p)
            raise ProjectError(
                QT_TRANSLATE_NOOP("Project", "{name} could not be created: {error}").format(
                    name=p.name, error=str(exc)
                )
            ) from exc
        store = cls(p, conn, was_crashed=False)
        store.attach(project or Project())
        return store

    @classmethod
    def create_untitled(cls) -> tuple[ProjectStore, Project]:
        """A new unsaved session, kept in the recovery folder until it is saved or discarded."""
        name = time.strftime("untitled-%Y%m%d-%H%M%S") + f"-{os.getpid()}-{threading.get_ident() % 10000}"
        path = paths.recovery_dir() / (name + PROJECT_SUFFIX)
        n = 1
        while path.exists():
            n += 1
            path = paths.recovery_dir() / f"{name}-{n}{PROJECT_SUFFIX}"
        project = Project()
        return cls.create(path, project), project

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, force: bool = False, remove_foreign: bool = False
    ) -> tuple[ProjectStore, Project]:
        """Open a project file. Raises :class:`ProjectError` or :class:`lockfile.ProjectLocked`.

        The file may come from anyone: SQL objects the app did not make (triggers, views, indexes,
        tables) raise :class:`ForeignSchema` naming them, before anything is written; with
        ``remove_foreign`` they are dropped first (the user agreed). A stored value of the wrong type
        or range refuses the file with a :class:`ProjectError` naming the table and column. The lock
        is never kept after a failed open.
        """
        p = Path(path)
        if not p.is_file():
            raise ProjectError(QT_TRANSLATE_NOOP("Project", "{name} does not exist.").format(name=p.name))
        if not (os.access(p, os.W_OK) and os.access(p.parent, os.W_OK)):
            raise ProjectError(
                QT_TRANSLATE_NOOP(
                    "Project",
                    "{name} is read-only or in a folder you cannot write to. "
                    "Copy it to a folder of yours (your changes are saved as you work).",
                ).format(name=p.name)
            )
        crashed = lockfile.acquire(p, force=force)
        conn: sqlite3.Connection | None = None
        try:
            conn = blobs.connect(p)
            _check_file(conn, p)
            _check_schema(conn, p, remove_foreign)
            conn.execute("PRAGMA synchronous = FULL")
            store = cls(p, conn, was_crashed=crashed)
            # one transaction: a file that turns out damaged is left exactly as it was
            with blobs.tx(conn):
                _upgrade(conn)
                store._collect_garbage()
                project = store._load()
            conn.execute("PRAGMA journal_mode = WAL")
            store.attach(project, write=False)
        except BaseException as exc:
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
            lockfile.release(p)
            if isinstance(exc, ProjectError) or not isinstance(exc, Exception):
                raise
            raise _open_error(p, exc) from exc
        return store, project

    @classmethod
    def open_read_only(cls, path: str | os.PathLike[str]) -> tuple[ProjectStore, Project]:
        """Open a project whose stored values are damaged, read-only: each damaged value is replaced
        by a safe one in memory and named in :attr:`damage`; the file is never written (no lock is
        taken, SQLite is told to refuse writes). Raises :class:`ProjectError` when the damage is not
        in values (altered tables, foreign SQL, an older format) or nothing is damaged."""
        p = Path(path)
        if not p.is_file():
            raise ProjectError(QT_TRANSLATE_NOOP("Project", "{name} does not exist.").format(name=p.name))
        conn: sqlite3.Connection | None = None
        try:
            conn = blobs.connect(p)
            _check_file(conn, p)
            _check_schema(conn, p, remove_foreign=False)
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                raise ProjectError(
                    QT_TRANSLATE_NOOP(
                        "Project", "{name} is damaged and of an older version; it was not opened."
                    ).format(name=p.name)
                )
            conn.execute("PRAGMA query_only = ON")
            store = cls(p, conn, was_crashed=False)
            store.read_only = True
            store._lenient = True
            conn.execute("BEGIN")  # one read snapshot (a deferred transaction writes nothing)
            try:
                project = store._load()
            finally:
                conn.execute("ROLLBACK")
            store._lenient = False
            store.attach(project, write=False)
        except BaseException as exc:
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()
            if isinstance(exc, ProjectError) or not isinstance(exc, Exception):
                raise
            raise _open_error(p, exc) from exc
        return store, project

    def _value(self, check: Callable[..., Any], args: tuple[Any, ...], default: Any, where: str) -> Any:
        """``check(*args)``; when it finds a damaged value and the store is loading leniently,
        ``default`` instead, the damage noted (``where``: which row)."""
        try:
            return check(*args)
        except DamagedValue as exc:
            if not self._lenient:
                raise
            self.damage.append(f"{exc.field} {where}: {checks.describe(exc.value)}".replace("  ", " "))
            return default

    def attach(self, project: Project, write: bool = True) -> None:
        """Follow ``project``'s changes from now on (writing it all first unless just loaded)."""
        if self._unsubscribe:
            self._unsubscribe()
        self.project = project
        self._unsubscribe = project.subscribe(self._on_change)
        if write:
            self._write_all()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProjectError(QT_TRANSLATE_NOOP("Project", "The project is closed."))
        return self._conn

    @property
    def is_untitled(self) -> bool:
        return self.path.parent.resolve() == paths.recovery_dir().resolve()

    # --- loading ------------------------------------------------------------------------------
    def _load(self) -> Project:
        """The project in the file; every stored value is checked (:class:`DamagedValue` if wrong)."""
        c = self.conn
        project = Project()
        missing = object()
        for key, value in c.execute("SELECT key, value FROM meta"):
            key = checks.text(key, "meta.key")
            value = self._value(_meta_value, (key, value), missing, "")
            if value is not missing:  # a damaged setting is left out: the default applies
                project.meta[key] = value
        for row in c.execute("SELECT id, name, kind, sha256, size, page_count FROM sources"):
            sid = checks.text(row[0], "sources.id")
            name = checks.text(row[1], "sources.name")
            kind = _enum(SourceKind, row[2], "sources.kind")
            sha = checks.text(row[3], "sources.sha256")
            size = checks.integer(row[4], "sources.size", 0, 1 << 62)
            count = checks.integer(row[5], "sources.page_count", 0)
            project.sources[sid] = Source(sid, name, kind, sha, size, count)
            self._sources[sid] = (sha, size)
            self._written_sources.add(sid)
        docs: dict[str, Document] = {}
        for did, name in c.execute("SELECT id, name FROM documents ORDER BY position"):
            did = checks.text(did, "documents.id")
            name = self._value(checks.text, (name, "documents.name"), "?", f"(document {len(docs) + 1})")
            docs[did] = Document(did, name)
        rows = c.execute(
            "SELECT id, document_id, source_id, idx, width, height, rotation, state, reviewed, error,"
            " edited_text, label, result_id, spans FROM pages WHERE document_id IS NOT NULL ORDER BY position"
        ).fetchall()
        for pid, did, sid, idx, w, h, rot, state, reviewed, error, edited, label, rid, spans in rows:
            if did not in docs or sid not in project.sources:
                continue
            pid = checks.text(pid, "pages.id")
            where = f"(page {len(docs[did].pages) + 1} of {docs[did].name})"
            v = self._value
            edited = (
                v(checks.text, (edited, "pages.edited_text"), None, where) if edited is not None else None
            )
            page = Page(
                pid, sid,
                v(checks.integer, (idx, "pages.idx", 0), 0, where),
                v(checks.integer, (w, "pages.width", 0, checks.MAX_SIDE), 0, where),
                v(checks.integer, (h, "pages.height", 0, checks.MAX_SIDE), 0, where),
                v(_rotation, (rot,), 0, where),
                v(_enum, (PageState, state, "pages.state"), PageState.NOT_READ, where),
                None,
                edited,
                v(checks.text, (error, "pages.error"), "", where),
                bool(v(checks.integer, (reviewed, "pages.reviewed", 0, 1), 0, where)),
                v(checks.text, (label, "pages.label"), "", where),
                spans=_load_spans(spans) if edited is not None else None,
            )  # fmt: skip
            rid = checks.integer(rid, "pages.result_id", 0, 1 << 62, optional=True)
            if rid is not None:
                page.result = self._load_result(rid)
                if page.result is not None:
                    self._result_ids[pid] = (page.result, rid)
            docs[did].pages.append(page)
            self._attached.add(pid)
        project.documents = [d for d in docs.values() if d.pages]
        project._reindex()  # the loaded documents keep their ids; no change is announced
        for pid, vid, origin, updated in c.execute(
            "SELECT page_id, id, origin, updated FROM versions WHERE id IN (SELECT MAX(id) FROM versions GROUP BY page_id)"
        ):
            self._last_version[checks.text(pid, "versions.page_id")] = (
                checks.integer(vid, "versions.id", 0, 1 << 62),
                checks.text(origin, "versions.origin"),
                checks.real(updated, "versions.updated"),
            )
        return project

    def _load_result(self, rid: int) -> PageResult | None:
        row = self.conn.execute(
            "SELECT engine, model, mode, prompt, completion, raw, markdown, blocks, info FROM results WHERE id = ?",
            (rid,),
        ).fetchone()
        if row is None:
            return None
        names = ("engine", "model", "mode", "prompt", "completion", "raw", "markdown")
        data = checks.json_value(row[8], "results.info")
        blocks = checks.json_value(row[7], "results.blocks")
        if not isinstance(data, dict) or not isinstance(blocks, list):
            raise DamagedValue("results.info" if not isinstance(data, dict) else "results.blocks", row[8])
        data.update({name: checks.text(value, f"results.{name}") for name, value in zip(names, row)})
        data["blocks"] = blocks
        try:
            return PageResult.from_json(data)
        except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:
            raise DamagedValue("results.info", row[8]) from exc

    def _collect_garbage(self) -> None:
        """Drop what a crash or deletions left behind: detached pages, unused sources and blobs
        (inside the caller's transaction)."""
        c = self.conn
        c.execute("DELETE FROM results WHERE page_id IN (SELECT id FROM pages WHERE document_id IS NULL)")
        c.execute("DELETE FROM versions WHERE page_id IN (SELECT id FROM pages WHERE document_id IS NULL)")
        c.execute("DELETE FROM pages WHERE document_id IS NULL")
        c.execute("DELETE FROM sources WHERE id NOT IN (SELECT source_id FROM pages)")
        c.execute("DELETE FROM blobs WHERE complete = 0 OR sha256 NOT IN (SELECT sha256 FROM sources)")
        c.execute("DELETE FROM blob_chunks WHERE sha256 NOT IN (SELECT sha256 FROM blobs)")

    # --- writing changes ----------------------------------------------------------------------
    def _caches(self) -> tuple[Any, ...]:
        return (
            set(self._written_sources),
            set(self._attached),
            dict(self._result_ids),
            dict(self._last_version),
        )

    def _on_change(self, change: Change) -> None:
        if self.read_only:  # nothing is written to a damaged file; Save As writes a repaired copy
            return
        saved = self._caches()
        try:
            if self._needs_full_write:
                self._write_all()
                return
            with blobs.tx(self.conn):
                self._apply(change)
            self.last_error = ""
        except (sqlite3.Error, ProjectError, OSError) as exc:
            # The transaction was rolled back: forget what it wrote, and write everything next time.
            self._written_sources, self._attached, self._result_ids, self._last_version = saved
            self._needs_full_write = True
            self.last_error = _not_saved(self.path, exc)
            log.error("%s", self.last_error)
            if self.on_error:
                self.on_error(self.last_error)

    def _apply(self, change: Change) -> None:
        project = self.project
        assert project is not None
        kind = change.kind
        if kind == ChangeKind.SOURCES:
            self._write_sources()
        elif kind == ChangeKind.DOCUMENTS:
            self._write_sources()
            self._write_structure()
        elif kind == ChangeKind.META:
            self._write_meta()
        elif kind in (ChangeKind.PAGES, ChangeKind.TEXT, ChangeKind.RESULT):
            positions = {p.id: (d.id, i) for d in project.documents for i, p in enumerate(d.pages)}
            for pid in change.page_ids:
                if not project.has_page(pid):
                    continue
                page = project.page(pid)
                if kind == ChangeKind.RESULT:
                    self._write_result(page)
                elif kind == ChangeKind.TEXT:
                    self._write_version(page, change.origin or "edit")
                elif change.origin == "rotate":
                    self._rewrite_result(page)
                self._write_page(page, positions)

    def _write_all(self) -> None:
        with blobs.tx(self.conn):
            self._write_meta()
            self._write_sources()
            self._write_structure()
            assert self.project is not None
            for page in self.project.all_pages():
                if page.result is not None and self._result_ids.get(page.id, (None, 0))[0] is not page.result:
                    self._write_result(page)
                    if page.edited_text is not None:
                        self._write_version(page, "edit")
        self._needs_full_write = False
        self.last_error = ""

    def _write_meta(self) -> None:
        assert self.project is not None
        self.conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in self.project.meta.items()],
        )

    def _write_sources(self) -> None:
        assert self.project is not None
        new = [s for sid, s in self.project.sources.items() if sid not in self._written_sources]
        self.conn.executemany(
            "INSERT OR REPLACE INTO sources (id, name, kind, sha256, size, page_count) VALUES (?, ?, ?, ?, ?, ?)",
            [(s.id, s.name, s.kind.value, s.sha256, s.size, s.page_count) for s in new],
        )
        for s in new:
            self._written_sources.add(s.id)
            with self._path_lock:
                self._sources[s.id] = (s.sha256, s.size)

    _PAGE_UPSERT = (
        "INSERT INTO pages (id, document_id, position, source_id, idx, width, height, rotation, state, reviewed,"
        " error, edited_text, label, result_id, spans) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET document_id = excluded.document_id, position = excluded.position,"
        " source_id = excluded.source_id, idx = excluded.idx, width = excluded.width, height = excluded.height,"
        " rotation = excluded.rotation, state = excluded.state, reviewed = excluded.reviewed,"
        " error = excluded.error, edited_text = excluded.edited_text, label = excluded.label,"
        " result_id = excluded.result_id, spans = excluded.spans"
    )

    def _page_row(self, page: Page, document_id: str, position: int) -> tuple[Any, ...]:
        rid = self._result_ids.get(page.id)
        result_id = rid[1] if rid is not None and page.result is not None else None
        return (
            page.id, document_id, position, page.source_id, page.index, page.width, page.height,
            page.rotation, _derived_state(page).value, int(page.reviewed), page.error, page.edited_text,
            page.label, result_id, _dump_spans(page.spans if page.edited_text is not None else None),
        )  # fmt: skip

    def _write_structure(self) -> None:
        assert self.project is not None
        c = self.conn
        docs = self.project.documents
        c.execute("DELETE FROM documents")
        c.executemany(
            "INSERT INTO documents (id, name, position) VALUES (?, ?, ?)",
            [(d.id, d.name, i) for i, d in enumerate(docs)],
        )
        rows = [self._page_row(p, d.id, i) for d in docs for i, p in enumerate(d.pages)]
        c.executemany(self._PAGE_UPSERT, rows)
        current = {r[0] for r in rows}
        gone = self._attached - current
        c.executemany("UPDATE pages SET document_id = NULL WHERE id = ?", [(pid,) for pid in gone])
        self._attached = current

    def _write_page(self, page: Page, positions: dict[str, tuple[str, int]]) -> None:
        doc_id, position = positions[page.id]
        self.conn.execute(self._PAGE_UPSERT, self._page_row(page, doc_id, position))
        self._attached.add(page.id)

    def _write_result(self, page: Page) -> None:
        r = page.result
        if r is None:
            return
        info = _result_info(r)
        now = time.time()
        cur = self.conn.execute(
            "INSERT INTO results (page_id, created, engine, model, mode, prompt, completion, raw, markdown,"
            " blocks, info) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                page.id, now, r.engine, r.model, r.mode, r.prompt, r.completion.value, r.raw, r.markdown,
                json.dumps([b.to_json() for b in r.blocks]), json.dumps(info),
            ),
        )  # fmt: skip
        rid = int(cur.lastrowid or 0)
        self._result_ids[page.id] = (r, rid)
        # with the blocks found from the result, so that restoring this version after a later
        # reading does not look for them in the later result's blocks
        spans = _dump_spans(Layout.from_blocks(r.markdown, r.blocks).spans)
        cur = self.conn.execute(
            "INSERT INTO versions (page_id, origin, text, created, updated, result_id, spans)"
            " VALUES (?, 'ocr', ?, ?, ?, ?, ?)",
            (page.id, r.markdown, now, now, rid, spans),
        )
        self._last_version[page.id] = (int(cur.lastrowid or 0), "ocr", now)

    def _rewrite_result(self, page: Page) -> None:
        """Store the page's current result (turned with the page) over the row it came from."""
        r, known = page.result, self._result_ids.get(page.id)
        if r is None or known is None:
            return
        self.conn.execute(
            "UPDATE results SET raw = ?, blocks = ?, info = ? WHERE id = ?",
            (r.raw, json.dumps([b.to_json() for b in r.blocks]), json.dumps(_result_info(r)), known[1]),
        )
        self._result_ids[page.id] = (r, known[1])

    def _write_version(self, page: Page, origin: str) -> None:
        now = time.time()
        text = page.text
        spans = _dump_spans(page.spans if page.edited_text is not None else None)
        last = self._last_version.get(page.id)
        if origin == "edit" and last is not None and last[1] == "edit" and now - last[2] < EDIT_BURST_S:
            self.conn.execute(
                "UPDATE versions SET text = ?, spans = ?, updated = ? WHERE id = ?",
                (text, spans, now, last[0]),
            )
            self._last_version[page.id] = (last[0], "edit", now)
            return
        rid = self._result_ids.get(page.id, (None, None))[1]
        cur = self.conn.execute(
            "INSERT INTO versions (page_id, origin, text, created, updated, result_id, spans)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (page.id, origin, text, now, now, rid, spans),
        )
        self._last_version[page.id] = (int(cur.lastrowid or 0), origin, now)

    def flush(self) -> bool:
        """Write everything again if an earlier write failed. True when the file is up to date."""
        if self._needs_full_write:
            try:
                self._write_all()
            except (sqlite3.Error, OSError) as exc:
                self.last_error = _not_saved(self.path, exc)
                return False
        return True

    # --- history ------------------------------------------------------------------------------
    def versions(self, page_id: str) -> list[TextVersion]:
        """Every version of a page's text, newest first."""
        rows = self.conn.execute(
            "SELECT id, page_id, origin, text, created, updated, result_id, spans FROM versions"
            " WHERE page_id = ? ORDER BY id DESC",
            (page_id,),
        )
        out = []
        for vid, pid, origin, text, created, updated, rid, spans in rows:
            try:
                version = TextVersion(
                    id=checks.integer(vid, "versions.id", 0, 1 << 62),
                    page_id=pid,
                    origin=checks.text(origin, "versions.origin"),
                    text=checks.text(text, "versions.text"),
                    created=checks.real(created, "versions.created"),
                    updated=checks.real(updated, "versions.updated"),
                    result_id=checks.integer(rid, "versions.result_id", 0, 1 << 62, optional=True),
                    spans=_load_spans(spans),
                )
                out.append(version)
            except DamagedValue as exc:  # one damaged version is left out; the others stay usable
                log.warning("Skipping a damaged version of page %s in %s: %s", page_id, self.path, exc)
        return out

    def restore_version(self, page_id: str, version_id: int) -> None:
        """Make an earlier version the page's text again (itself kept as a new version)."""
        row = self.conn.execute(
            "SELECT text, spans FROM versions WHERE id = ? AND page_id = ?", (version_id, page_id)
        ).fetchone()
        if row is None or not isinstance(row[0], str):
            raise KeyError(version_id)
        assert self.project is not None
        self.project.set_text(page_id, row[0], origin="restore", spans=_load_spans(row[1]))

    def results(self, page_id: str) -> list[tuple[int, float, PageResult]]:
        """Every engine result of a page, newest first: (result id, time, result)."""
        out = []
        for rid, created in self.conn.execute(
            "SELECT id, created FROM results WHERE page_id = ? ORDER BY id DESC", (page_id,)
        ).fetchall():
            try:
                res = self._load_result(rid)
                created = checks.real(created, "results.created")
            except DamagedValue as exc:  # left out, like a damaged version
                log.warning("Skipping a damaged result of page %s in %s: %s", page_id, self.path, exc)
                continue
            if res is not None:
                out.append((rid, created, res))
        return out

    # --- original bytes (any thread) ------------------------------------------------------------
    def _side_connection(self) -> sqlite3.Connection:
        with self._path_lock:
            path = self.path
        return blobs.connect(path)

    def has_blob(self, sha256: str) -> bool:
        conn = self._side_connection()
        try:
            return blobs.has_blob(conn, sha256)
        finally:
            conn.close()

    def put_blob(self, sha256: str, data: SourceData) -> None:
        """Store a file's bytes once (any thread), streamed in chunks and verified."""
        with self._blob_lock:
            if self.closed:  # closed or discarded meanwhile: never create a file at the old path
                raise ProjectError(QT_TRANSLATE_NOOP("Project", "the project was closed while importing"))
            conn = self._side_connection()
            try:
                if blobs.has_blob(conn, sha256):  # stored meanwhile (the same file imported twice)
                    return
                blobs.put_blob(conn, sha256, data)
            except blobs.BlobMismatch as exc:
                raise ProjectError(message_of(exc)) from exc
            finally:
                conn.close()

    def _blob_chunks(self, sha256: str) -> Iterator[bytes]:
        self._check_open()
        conn = self._side_connection()
        try:
            for chunk in blobs.iter_blob(conn, sha256):
                self._check_open()
                yield chunk
        finally:
            conn.close()

    def _check_open(self) -> None:
        if self._closing.is_set():
            raise ProjectError(QT_TRANSLATE_NOOP("Project", "The project is closed."))

    def interrupt_reads(self) -> None:
        """Stop reads of original files in other threads (about to close: quitting, another project)."""
        self._closing.set()

    def _source_key(self, source_id: str) -> tuple[str, int]:
        with self._path_lock:
            key = self._sources.get(source_id)
        if key is None:
            raise KeyError(f"unknown source {source_id}")
        if not _SHA256.fullmatch(key[0]):  # the file may come from anywhere: never a path
            raise ProjectError(
                QT_TRANSLATE_NOOP("Project", "the stored copy of this file has an invalid checksum record")
            )
        return key

    def source_bytes(self, source_id: str) -> bytes:
        """The original file of a source, whole (any thread)."""
        sha, _size = self._source_key(source_id)
        data = b"".join(self._blob_chunks(sha))
        if hashlib.sha256(data).hexdigest() != sha:
            raise ProjectError(QT_TRANSLATE_NOOP("Project", "the stored copy of this file is damaged"))
        return data

    def source_file(self, source_id: str) -> Path:
        """The original file extracted to the cache folder (content-addressed; any thread)."""
        sha, size = self._source_key(source_id)
        target = paths.cache_dir() / "sources" / sha
        if (
            target.is_file()
            and target.stat().st_size == size
            and _file_sha256(target, self._check_open) == sha
        ):
            return target
        from desktop_ocr.fsutil import atomic_open

        digest = hashlib.sha256()
        with atomic_open(target, "wb") as fh:
            for chunk in self._blob_chunks(sha):
                digest.update(chunk)
                fh.write(chunk)
            if digest.hexdigest() != sha:
                raise ProjectError(QT_TRANSLATE_NOOP("Project", "the stored copy of this file is damaged"))
        return target

    def source_opener(self) -> Callable[[str], SourceData]:
        """A thread-safe ``opener(source_id)`` for :class:`PageRenderer`: bytes, or a file when big."""

        def open_source(source_id: str) -> SourceData:
            _sha, size = self._source_key(source_id)
            return (
                self.source_bytes(source_id) if size <= INLINE_SOURCE_BYTES else self.source_file(source_id)
            )

        return open_source

    # --- saving and closing ---------------------------------------------------------------------
    def save_as(self, new_path: str | os.PathLike[str]) -> Path:
        """Copy the project to ``new_path`` atomically and continue there. An untitled session's
        recovery file is removed afterwards."""
        target = Path(new_path)
        if not target.suffix:
            target = target.with_suffix(PROJECT_SUFFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.resolve() == self.path.resolve():
            return self.path
        if target.exists() and lockfile.is_held(target):
            raise ProjectError(
                lockfile.held_message(target, lockfile.read_lock(target) or lockfile.LockInfo(0, "", 0.0))
            )
        with self._blob_lock:  # an import's file being stored goes into the copy whole, or after it
            try:
                return self._save_as(target)
            except (sqlite3.Error, OSError) as exc:
                if blobs.is_disk_full(exc) or _too_little_space(target.parent, self.path):
                    raise ProjectError(_disk_full(target)) from exc
                if isinstance(exc, OSError):
                    raise
                raise ProjectError(
                    QT_TRANSLATE_NOOP("Project", "{name} could not be saved: {error}").format(
                        name=target.name, error=str(exc)
                    )
                ) from exc

    def _save_as(self, target: Path) -> Path:
        tmp = target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}.part")
        note_part_file(tmp)  # removed at the next start if this process is killed meanwhile
        try:
            dst = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                self.conn.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            for suffix in ("-wal", "-shm", "-journal"):  # a crashed session's leftovers of the old file
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{target}{suffix}")
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        old, was_untitled = self.path, self.is_untitled
        self._close_connection()
        lockfile.acquire(target, force=True)
        conn = blobs.connect(target)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        with self._path_lock:
            self._conn = conn
            self.path = target
        if self.read_only:  # the copy gets the values as repaired in memory, then is written to
            self.read_only = False
            self._repair_copy()
        if was_untitled:
            delete_project_file(old)
        return target

    def _repair_copy(self) -> None:
        """Write the whole project as loaded (damaged values replaced) over the copied file."""
        assert self.project is not None
        self._written_sources.clear()
        with blobs.tx(self.conn):
            keys = list(self.project.meta)
            self.conn.execute(
                f"DELETE FROM meta WHERE key NOT IN ({','.join('?' * len(keys))})", keys
            )  # damaged settings left out
        self._write_all()
        self.damage = []

    def _close_connection(self) -> None:
        if self._conn is None:
            return
        try:
            # never the 30 s a write may wait: a reader that does not stop must not hold up quitting
            self._conn.execute(f"PRAGMA busy_timeout = {CLOSE_BUSY_MS}")
            busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if busy and busy[0]:
                log.warning("Could not checkpoint %s: another connection still reads it", self.path)
            self._conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            log.warning("Could not checkpoint %s: %s", self.path, exc)
        self._conn.close()
        self._conn = None
        if not self.read_only:  # a read-only store holds no lock
            lockfile.release(self.path)

    def close(self) -> None:
        """Stop following the project; the file is complete and self-contained afterwards."""
        self._closing.set()
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        self.flush()
        with self._blob_lock:
            self._close_connection()

    def discard(self) -> None:
        """Close and delete the file (an untitled session the user chose not to keep)."""
        with self._blob_lock:
            self.close()
            delete_project_file(self.path)

    @property
    def closed(self) -> bool:
        return self._conn is None


#: Schema upgrade steps: ``_UPGRADES[n]`` turns a version-n file into version n+1, in one transaction.
def _add_spans(conn: sqlite3.Connection) -> None:
    """1 -> 2: the user's blocks are stored with the text of pages and versions."""
    conn.execute("ALTER TABLE pages ADD COLUMN spans TEXT")
    conn.execute("ALTER TABLE versions ADD COLUMN spans TEXT")


_UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {1: _add_spans}


def _dump_spans(spans: tuple[Span, ...] | None) -> str | None:
    return None if spans is None else json.dumps([s.to_json() for s in spans])


def _load_spans(value: object) -> tuple[Span, ...] | None:
    """Stored spans; None when absent or unreadable (the blocks are then found from the result's)."""
    if value is None:
        return None
    try:
        return Layout.spans_from_json(checks.json_value(value, "spans"))
    except (ValueError, TypeError, KeyError, OverflowError, AttributeError, RecursionError):
        log.warning("Ignoring damaged block data in the project file")
        return None


def _meta_value(key: str, value: object) -> object:
    return checks.meta_value(key, checks.json_value(value, f"meta.{key}"))


def _rotation(value: object) -> int:
    rot = checks.integer(value, "pages.rotation", 0, 270)
    if rot % 90:
        raise DamagedValue("pages.rotation", rot)
    return rot


def _enum(kind: type[Any], value: object, field: str) -> Any:
    try:
        return kind(checks.text(value, field))
    except ValueError:
        raise DamagedValue(field, value) from None


def _upgrade(conn: sqlite3.Connection) -> None:
    """Bring an older project file up to :data:`SCHEMA_VERSION` (inside the caller's transaction)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    while version < SCHEMA_VERSION:
        _UPGRADES[version](conn)
        version += 1
        conn.execute(f"PRAGMA user_version = {version}")


def _too_little_space(folder: Path, source: Path) -> bool:
    """Whether ``folder`` has less room than a copy of ``source`` needs (SQLite may report a full
    disk as an I/O error)."""
    try:
        return shutil.disk_usage(folder).free < source.stat().st_size + (1 << 20)
    except OSError:
        return False


def _disk_full(path: Path) -> str:
    return QT_TRANSLATE_NOOP("Project", "The disk is full: could not save {name} ({folder}).").format(
        name=path.name, folder=str(path.parent)
    )


def _not_saved(path: Path, exc: BaseException) -> str:
    if blobs.is_disk_full(exc):
        return _disk_full(path)
    return QT_TRANSLATE_NOOP("Project", "Your changes could not be saved to {name}: {error}").format(
        name=path.name, error=message_of(exc)
    )


class DamagedProject(ProjectError):
    """A stored value is damaged: the project may still open read-only (:meth:`ProjectStore.open_read_only`)."""


def _open_error(path: Path, exc: Exception) -> ProjectError:
    """What to tell the user when opening failed on ``exc`` (anything but a ProjectError)."""
    if isinstance(exc, DamagedValue):
        return DamagedProject(
            QT_TRANSLATE_NOOP(
                "Project", "{name} is damaged: the stored {field} is not valid ({value}); it was not opened."
            ).format(name=path.name, field=exc.field, value=checks.describe(exc.value))
        )
    if isinstance(exc, sqlite3.Error) and blobs.is_interrupted(exc):
        return ProjectError(
            QT_TRANSLATE_NOOP(
                "Project", "{name} could not be read: reading it took too long; it was not opened."
            ).format(name=path.name)
        )
    if isinstance(exc, sqlite3.Error):
        return ProjectError(
            QT_TRANSLATE_NOOP("Project", "{name} is damaged or not a project file ({error}).").format(
                name=path.name, error=str(exc)
            )
        )
    return ProjectError(
        QT_TRANSLATE_NOOP("Project", "{name} is damaged: a stored value cannot be read ({error}).").format(
            name=path.name, error=f"{type(exc).__name__}: {exc}"
        )
    )


def _check_schema(conn: sqlite3.Connection, path: Path, remove_foreign: bool) -> None:
    """Refuse (or, when asked, drop) SQL objects the app did not make; refuse altered tables."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    foreign, damaged = checks.inspect(conn, version)
    if damaged:
        raise ProjectError(checks.damaged_tables_message(path.name, damaged))
    if not foreign:
        return
    if not remove_foreign:
        raise ForeignSchema(path.name, foreign)
    with blobs.tx(conn):
        checks.drop_foreign(conn, foreign)
    log.warning("Removed from %s: %s", path, ", ".join(map(str, foreign)))
    left, damaged = checks.inspect(conn, version)
    if left or damaged:
        raise ForeignSchema(path.name, left)


def _check_file(conn: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(
            QT_TRANSLATE_NOOP("Project", "{name} is not a project file or is damaged ({error}).").format(
                name=path.name, error=str(exc)
            )
        ) from exc
    if app_id != APPLICATION_ID:
        raise ProjectError(
            QT_TRANSLATE_NOOP("Project", "{name} is not a {suffix} project file.").format(
                name=path.name, suffix=PROJECT_SUFFIX
            )
        )
    if version > SCHEMA_VERSION:
        raise ProjectError(
            QT_TRANSLATE_NOOP(
                "Project", "{name} was made by a newer version of the app; update the app to open it."
            ).format(name=path.name)
        )


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _file_sha256(path: Path, check: Callable[[], None] = lambda: None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            check()
            digest.update(chunk)
    return digest.hexdigest()


def _result_info(result: PageResult) -> dict[str, Any]:
    """What the results table keeps in its ``info`` column: everything without a column of its own."""
    info = result.to_json()
    for key in ("blocks", "raw", "markdown", "engine", "model", "mode", "prompt", "completion"):
        info.pop(key, None)
    return info
