"""The Controller: the one object the widgets talk to. Owns the Project, its store and the workers.

A thin QObject: the work is done by Qt-free services it composes (the reading queue and region
requests of :mod:`desktop_ocr.reading`, the project store, the importer and exporters) and by the
workers it owns (each in its own thread); it turns their answers into the signals the widgets use.
Every Project mutation happens here, on the GUI thread; workers get frozen snapshots and answer
with signals. Widgets never touch engines, stores or workers.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from desktop_ocr.engine.base import EngineInfo, ReadOptions
from desktop_ocr.i18n import translated
from desktop_ocr.messages import joined, message_of
from desktop_ocr.model.blocks import Span, page_figures, page_layout
from desktop_ocr.model.document import Change, ChangeKind, Page, PageState, Project, Removed
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.lockfile import ProjectLocked
from desktop_ocr.model.recovery import RecoverableSession
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.model.session import ProjectSession, project_file
from desktop_ocr.model.store import ForeignSchema, ProjectError, ProjectStore, TextVersion
from desktop_ocr.reading.jobs import PageSnapshot, RegionJob, next_job_id
from desktop_ocr.reading.queue import ReadingQueue
from desktop_ocr.reading.regions import ROTATED, RegionRequests
from desktop_ocr.settings import Settings
from desktop_ocr.worker.engines import engine_factory, engine_title
from desktop_ocr.worker.export_worker import ExportJob, ExportWorker
from desktop_ocr.worker.import_worker import ImportJob, ImportWorker
from desktop_ocr.worker.ocr_worker import OcrWorker
from desktop_ocr.worker.render_worker import RenderWorker

log = logging.getLogger(__name__)

#: The store writes every change at once; this retries a failed write (disk full...) this often.
RETRY_SAVE_MS = 1500
#: Deletions of pages that Undo can take back, newest last.
MAX_UNDO_DELETES = 20


class Controller(QObject):
    """Commands for the UI and signals back. See the method docstrings for each command."""

    project_replaced = Signal()  # a different Project object: rebuild models
    project_changed = Signal(object)  # a Change of the current project (whichever it is now)
    title_changed = Signal(str)  # window title text
    status_message = Signal(str, int)  # message, timeout ms (0: until replaced)
    problems_reported = Signal(str, list)  # title, list of "file: reason" lines
    passwords_requested = Signal(list)  # [(path, wrong_password)] of encrypted PDFs needing a password
    import_finished = Signal(list)  # ids of documents added
    engine_status_changed = Signal(str)  # engine name/state for the status bar
    reading_changed = Signal(bool)  # reading in progress or not
    progress_changed = Signal(int, int, float)  # pages done, total, ETA seconds (-1 unknown)
    paused_changed = Signal(bool)
    reading_finished = Signal(int, int, int)  # reading is over: pages read, failed, cancelled
    deletions_changed = Signal(int)  # deletions that undo_delete() can take back
    page_progress = Signal(str, float)  # page id, fraction 0..1 (estimated while reading)
    page_reading_started = Signal(str)  # page id
    text_streamed = Signal(str, str)  # page id, delta
    block_completed = Signal(str, object)  # page id, Block
    page_result_arrived = Signal(str)  # page id (a new result was stored)
    retry_offered = Signal(list, object)  # page ids that ran out of GPU memory, ReadOptions to retry with
    page_image_ready = Signal(str, QImage)  # page id, full-size upright image
    # Answers to read_region()/locate(); the page itself is never changed.
    region_read = Signal(str, int, object)  # page id, request id, PageResult (boxes on the page)
    region_failed = Signal(str, int, str)  # page id, request id, message
    located = Signal(str, int, str, list)  # page id, request id, phrase, [Box] on the page ([]: none)
    locate_failed = Signal(str, int, str)  # page id, request id, message
    saved = Signal(str)  # path
    export_finished = Signal(list)  # written paths
    export_overwrite_requested = Signal(
        list
    )  # paths that exist (nothing written): ask, then resolve_export_conflict()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session = ProjectSession()  # the open project and its store
        self.store.on_error = self._on_store_error
        self._opener = self.store.source_opener()
        self._unsubscribe = self.project.subscribe(self._on_project_change)
        self.reading = ReadingQueue(self.project)  # pages queued or being read, by job
        self.regions = RegionRequests(self.project)  # region reads and locates not answered yet
        self.render = RenderWorker(self)
        self.render.page_rendered.connect(self.page_image_ready)
        self.ocr = OcrWorker()
        self.imports = ImportWorker()
        self.exports = ExportWorker(self)
        self._connect_workers()
        self.ocr.start()
        self._engine_info: EngineInfo | None = None
        self._configure_engine()
        self._import_ids: set[int] = set()
        self._deleted: list[Removed] = []  # what undo_delete() puts back
        #: import job id -> who to ask when it would add documents the project already has
        self._confirm_duplicates: dict[int, Callable[[list[str]], str]] = {}
        self._export_jobs: dict[int, ExportJob] = {}
        self._export_waiting: ExportJob | None = None
        self._retry_save = QTimer(self, singleShot=True, interval=RETRY_SAVE_MS)
        self._retry_save.timeout.connect(self.save_now)
        self._tick = QTimer(self, interval=200)
        self._tick.timeout.connect(self._estimate_page_progress)
        self._sync_render_specs()

    # -- wiring -----------------------------------------------------------------------------
    def _connect_workers(self) -> None:
        w = self.ocr
        w.engine_loading.connect(
            lambda name: self.engine_status_changed.emit(
                self.tr("Loading {name} engine...").format(name=engine_title(name))
            )
        )
        w.engine_load_progress.connect(self._on_engine_progress)
        w.engine_loaded.connect(self._on_engine_loaded)
        w.engine_failed.connect(self._on_engine_failed)
        w.pace_changed.connect(self._on_pace_changed)
        w.page_started.connect(self._on_page_started)
        w.text_streamed.connect(self._on_text_streamed)
        w.block_completed.connect(self._on_block_completed)
        w.page_finished.connect(self._on_page_finished)
        w.page_failed.connect(self._on_page_failed)
        w.page_cancelled.connect(self._on_page_cancelled)
        w.progress_changed.connect(self.progress_changed)
        w.job_finished.connect(self._on_job_finished)
        w.job_failed.connect(self._on_job_failed)
        w.paused_changed.connect(self.paused_changed)
        w.queue_drained.connect(self._on_queue_drained)
        w.region_read.connect(self._on_region_read)
        w.located.connect(self._on_located)
        w.region_failed.connect(self._on_region_failed)
        w.region_cancelled.connect(self._on_region_cancelled)
        self.imports.import_progress.connect(self._on_import_progress)
        self.imports.import_prepared.connect(self._on_import_prepared)
        self.imports.import_failed.connect(self._on_import_failed)
        self.exports.export_finished.connect(self._on_export_finished)
        self.exports.export_needs_overwrite.connect(self._on_export_overwrite)
        # Bound methods, not lambdas: the export thread emits these, and only a QObject's own slot
        # is queued to its thread (a lambda would run in the export thread, and the widgets with it).
        self.exports.export_progress.connect(self._on_export_progress)
        self.exports.export_failed.connect(self._on_export_failed)

    @Slot(int, float, str)
    def _on_export_progress(self, _job_id: int, fraction: float, message: str) -> None:
        self.status_message.emit(
            self.tr("Exporting {percent}: {message}").format(percent=f"{fraction:.0%}", message=message), 0
        )

    @Slot(int, str)
    def _on_export_failed(self, _job_id: int, message: str) -> None:
        self.problems_reported.emit(self.tr("The export failed"), [message])

    def _configure_engine(self) -> None:
        name, factory = engine_factory(copy.deepcopy(self.settings))
        self._engine_info = None  # known again once the new engine is loaded
        self.ocr.set_engine(name, factory)
        self.engine_status_changed.emit(
            self.tr("Engine: {name} (loads when reading starts)").format(name=engine_title(name))
        )

    def preload_engine(self) -> None:
        """Load the engine in the background now rather than at the first read."""
        self.ocr.load_engine()

    def apply_settings(self, settings: Settings) -> None:
        """New settings from the settings dialog: saved, and the engine switched if it changed."""
        engine_changed = (settings.engine, settings.deepseek) != (
            self.settings.engine,
            self.settings.deepseek,
        )
        self.settings = settings
        try:
            settings.save()
        except OSError as exc:
            self.status_message.emit(
                self.tr("Could not save the settings: {error}").format(error=translated(exc)), 8000
            )
        if engine_changed:
            self._configure_engine()
        if self.project.meta.get("dpi") != settings.dpi and self.project.page_count == 0:
            self.project.set_meta("dpi", settings.dpi)

    @property
    def engine_info(self) -> EngineInfo | None:
        return self._engine_info

    def read_capabilities(self) -> EngineInfo | None:
        """What the engine that reads next offers (its prompts and modes): the loaded engine's own
        info; the embedded engine's before it is loaded; None when not known yet ("auto", or a
        DeepSeek engine not loaded: everything is offered)."""
        if self._engine_info is not None:
            return self._engine_info
        from desktop_ocr.engine import registry

        if registry.canonical_name(self.settings.engine) == registry.EMBEDDED:
            from desktop_ocr.engine.embedded import EmbeddedEngine

            return EmbeddedEngine().info
        return None

    # -- project life cycle (the session's; here the workers and widgets follow) ------------------
    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def store(self) -> ProjectStore:
        return self.session.store

    @property
    def is_untitled(self) -> bool:
        return self.session.is_untitled

    @property
    def project_path(self) -> Path | None:
        return self.session.path

    @property
    def title(self) -> str:
        if self.store.read_only:
            return self.tr("{name} (read-only)").format(name=self.store.path.stem)
        return self.tr("Untitled project") if self.store.is_untitled else self.store.path.stem

    @property
    def has_content(self) -> bool:
        return self.session.has_content

    def _replace_project(self, store: ProjectStore, project: Project) -> None:
        self.cancel_all()
        self.imports.cancel()
        self._import_ids.clear()
        self._confirm_duplicates.clear()
        self.render.cancel_pending()
        self._unsubscribe()
        old = self.session.swap(store, project)
        self._opener = store.source_opener()
        store.on_error = self._on_store_error
        self._unsubscribe = project.subscribe(self._on_project_change)
        self.reading.set_project(project)
        self._deleted.clear()  # another project: nothing of the old one to put back
        self.deletions_changed.emit(0)
        for request_id in self.regions.drop_all(project):
            self.ocr.cancel_region(request_id)
        self._sync_render_specs()
        self.project_replaced.emit()
        self.title_changed.emit(self.title)
        self.session.close_store(old)

    def new_project(self) -> None:
        """Start an empty untitled project (autosaved in the recovery folder until saved)."""
        self.save_now()
        store, project = self.session.create_untitled()
        self._replace_project(store, project)

    def open_project(
        self, path: str | Path, confirm_remove_foreign: Callable[[ForeignSchema], bool] | None = None
    ) -> bool:
        """Open a project file; False (with a message) when it cannot be opened.

        A file holding SQL the app did not write opens only if ``confirm_remove_foreign`` (the user,
        asked) agrees to remove it."""
        path = Path(path)
        if self.session.is_open(path):
            return True
        self.save_now()
        try:
            store, project = self.session.open_file(path, confirm_remove_foreign)
        except (ProjectError, ProjectLocked) as exc:
            self.problems_reported.emit(self.tr("The project could not be opened"), [translated(exc)])
            return False
        except Exception as exc:
            log.exception("Opening %s failed", path)
            self.problems_reported.emit(
                self.tr("The project could not be opened"), [translated(joined(path.name, message_of(exc)))]
            )
            return False
        crashed = store.was_crashed
        self._replace_project(store, project)
        if store.read_only:
            self.problems_reported.emit(self.tr("The project opened read-only"), self.read_only_report())
            self.status_message.emit(self.read_only_note(), 0)
        elif crashed:
            self.status_message.emit(
                self.tr("Reopened {name} after an unexpected exit: all saved work is here").format(
                    name=path.name
                ),
                0,
            )
        else:
            self.status_message.emit(self.tr("Opened {name}").format(name=path.name), 4000)
        return True

    @property
    def read_only(self) -> bool:
        """The project is open read-only (its file has damaged values): nothing can be changed."""
        return self.session.read_only

    def read_only_note(self) -> str:
        return self.tr(
            "{name} is damaged and open read-only: use File > Save As to keep a repaired copy."
        ).format(name=self.store.path.name)

    def read_only_report(self) -> list[str]:
        """What is damaged in the project open read-only, one line each, and what to do."""
        shown = self.store.damage[:20]
        more = len(self.store.damage) - len(shown)
        lines = [self.read_only_note()] + [self.tr("Damaged: {what}").format(what=d) for d in shown]
        if more:
            lines.append(self.tr("... and {n} more damaged values").format(n=more))
        lines.append(self.tr("Damaged values are replaced by safe ones (0, empty, not read) in the copy."))
        return lines

    def _writable(self) -> bool:
        """False (and says why) while the project is open read-only."""
        if self.session.read_only:
            self.status_message.emit(self.read_only_note(), 0)
            return False
        return True

    def discard_untitled(self) -> None:
        """Throw away the current untitled project (the user chose not to save it)."""
        if not self.store.is_untitled:
            return
        old = self.store
        store, project = self.session.create_untitled()
        self._replace_project(store, project)
        self.session.forget_untitled(old)

    def save_as(self, path: str | Path) -> bool:
        """Write the project to ``path`` and continue working in that file."""
        path = project_file(path)
        try:
            self.session.save_as(path)
        except (OSError, ProjectError) as exc:
            self.problems_reported.emit(
                self.tr("The project could not be saved"), [translated(joined(path.name, message_of(exc)))]
            )
            return False
        self.title_changed.emit(self.title)
        self.saved.emit(str(path))  # the window makes a project that was read-only editable again
        self.status_message.emit(self.tr("Saved as {path}").format(path=path), 4000)
        return True

    @Slot()
    def save_now(self) -> bool:
        """Every change is written at once by the store; this retries a write that failed."""
        self._retry_save.stop()
        if self.store.closed:
            return True
        ok = self.store.flush()
        if not ok:
            self._retry_save.start()
        return ok

    def _on_store_error(self, message: str) -> None:
        self.status_message.emit(translated(message), 0)
        self._retry_save.start()

    def recoverable_sessions(self) -> list[RecoverableSession]:
        """Unsaved sessions left by earlier runs (not this one's)."""
        return self.session.recoverable_sessions()

    def recover(self, entry: RecoverableSession) -> bool:
        ok = self.open_project(entry.path)
        if ok:
            self.status_message.emit(
                self.tr("Recovered the unsaved project; use File > Save As to keep it."), 0
            )
        return ok

    def discard_recovery(self, entry: RecoverableSession) -> None:
        self.session.discard_recovery(entry)

    def shutdown(self) -> None:
        """Stop the workers and close the store (after a last save). Safe to call twice."""
        if getattr(self, "_shut", False):
            return
        self._shut = True
        self._tick.stop()
        self.imports.shutdown()
        self.exports.wait()
        self.ocr.shutdown()
        self.store.interrupt_reads()  # a page being rendered from a big file stops reading it
        self.render.shutdown()
        self.reading.restore_all()
        self.save_now()
        self._unsubscribe()
        self.session.close_store(self.store)

    # -- change tracking and autosave --------------------------------------------------------
    def _on_project_change(self, change: Change) -> None:
        if change.kind in (ChangeKind.DOCUMENTS, ChangeKind.PAGES, ChangeKind.SOURCES):
            self._sync_render_specs(change)
        if change.kind != ChangeKind.PAGES or self.project.page_count < 2:
            self.title_changed.emit(self.title)
        self.project_changed.emit(change)

    def _sync_render_specs(self, change: Change | None = None) -> None:
        if change is not None and change.kind == ChangeKind.PAGES:
            for pid in change.page_ids:
                if self.project.has_page(pid):
                    self.render.update_spec(self.page_snapshot(self.project.page(pid)))
            return
        self.render.set_specs({p.id: self.page_snapshot(p) for p in self.project.all_pages()}, self._opener)

    def page_snapshot(self, page: Page) -> PageSnapshot:
        """A frozen snapshot of what it takes to render/read a page."""
        return PageSnapshot.of(self.project, page)

    # -- import -----------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Sequence[str],
        passwords: dict[str, str] | None = None,
        join_loose: bool = True,
        confirm_duplicates: Callable[[list[str]], str] | None = None,
    ) -> int:
        """Import files/folders in the background (loose images given together make one document
        when ``join_loose``); ``import_finished`` follows. Returns the job id.

        ``confirm_duplicates(names)``, when given, is asked when documents made of the same files are
        in the project already: "again" adds them once more, "skip" leaves them out, "cancel" imports
        nothing. Without it they are added again."""
        if not self._writable():
            return 0
        job = ImportJob(
            next_job_id(),
            tuple(str(p) for p in paths),
            self._dpi(),
            dict(passwords or {}),
            join_loose=join_loose,
        )
        self._import_ids.add(job.job_id)
        if confirm_duplicates is not None:
            self._confirm_duplicates[job.job_id] = confirm_duplicates
        self.imports.submit(job, self.store)
        self.status_message.emit(self.tr("Importing {n} item(s)...").format(n=len(paths)), 0)
        return job.job_id

    def import_image_data(self, data: bytes, name: str = "") -> int:
        """Import image bytes (a paste from the clipboard) as a new document (``name``: its file name)."""
        if not self._writable():
            return 0
        name = name or self.tr("Pasted image") + ".png"
        job = ImportJob(next_job_id(), (), self._dpi(), {}, data=data, data_name=name)
        self._import_ids.add(job.job_id)
        self.imports.submit(job, self.store)
        return job.job_id

    def _dpi(self) -> int:
        if self.project.page_count == 0 and self.project.meta.get("dpi") != self.settings.dpi:
            self.project.set_meta("dpi", self.settings.dpi)  # announced, so the store keeps it
        return int(self.project.meta.get("dpi", self.settings.dpi) or 144)

    @Slot(int, int, int, str)
    def _on_import_progress(self, job_id: int, done: int, total: int, name: str) -> None:
        if name:
            self.status_message.emit(
                self.tr("Importing {n}/{total}: {name}").format(n=done + 1, total=total, name=name), 0
            )

    @Slot(int, object)
    def _on_import_prepared(self, job_id: int, plan: object) -> None:
        from desktop_ocr.model.importer import ImportPlan, already_imported, apply_plan

        if job_id not in self._import_ids or not isinstance(plan, ImportPlan):
            return  # the project changed meanwhile: drop
        self._import_ids.discard(job_id)
        confirm = self._confirm_duplicates.pop(job_id, None)
        reuse = False
        if confirm is not None and (names := already_imported(self.project, plan)):
            answer = confirm(names)
            if answer == "cancel":
                self.status_message.emit(self.tr("Nothing was imported"), 4000)
                self.import_finished.emit([])
                return
            reuse = answer == "skip"
        outcome = apply_plan(self.project, plan, reuse_existing=reuse)
        pages = sum(len(d.pages) for d in outcome.documents)
        self.status_message.emit(
            self.tr("Imported {documents} document(s), {pages} page(s)").format(
                documents=len(outcome.documents), pages=pages
            ),
            5000,
        )
        needs_password = [p for p in outcome.problems if p.needs_password]
        others = [translated(p) for p in outcome.problems if not p.needs_password]
        if others:
            self.problems_reported.emit(self.tr("Some files could not be imported"), others)
        if needs_password:
            self.passwords_requested.emit([(p.path, p.wrong_password) for p in needs_password])
        self.import_finished.emit([d.id for d in outcome.documents])

    @Slot(int, str)
    def _on_import_failed(self, job_id: int, message: str) -> None:
        self._import_ids.discard(job_id)
        self.problems_reported.emit(self.tr("The import failed"), [message])

    # -- page and document operations ----------------------------------------------------
    def set_page_text(
        self, page_id: str, text: str, spans: Iterable[Span] | None = None, origin: str = "edit"
    ) -> None:
        """The editor's (debounced) text and blocks for a page; ignored while it is being read.

        ``spans``: the page's blocks in ``text`` (a tuple of ``model.blocks.Span``), or None.
        ``origin``: "edit" (typing and block edits, kept as one version per burst) or another word
        (e.g. "region"), which always starts a version of its own in the history."""
        if not self._writable():
            return
        if not self.project.has_page(page_id) or self.is_page_busy(page_id):
            return
        page = self.project.page(page_id)
        spans = tuple(spans) if spans is not None else None
        if (
            page.text == text
            and (page.is_edited or page.result is not None)
            and (spans is None or spans == page_layout(page).spans)
        ):
            return
        self.project.set_text(page_id, text, origin=origin or "edit", spans=spans)

    def rotate_pages(self, page_ids: Sequence[str], degrees: int) -> None:
        if not self._writable():
            return
        ids = [p for p in page_ids if self.project.has_page(p) and not self.is_page_busy(p)]
        if ids:
            self.project.rotate_pages(ids, degrees)

    def delete_pages(self, page_ids: Sequence[str]) -> None:
        """Delete pages (and documents left empty); :meth:`undo_delete` puts them back."""
        if not self._writable():
            return
        ids = [p for p in page_ids if self.project.has_page(p)]
        for pid in ids:
            if self.reading.is_busy(pid):
                self.ocr.cancel_page(pid)
        self.reading.forget(ids)
        if ids:
            self._deleted.append(self.project.delete_pages(ids))
            del self._deleted[:-MAX_UNDO_DELETES]
            self.deletions_changed.emit(len(self._deleted))

    @property
    def can_undo_delete(self) -> bool:
        return bool(self._deleted)

    def undo_delete(self) -> list[str]:
        """Put the pages of the last deletion back, with their text and results; their ids."""
        if not self._deleted:
            return []
        back = self.project.restore_pages(self._deleted.pop())
        self.deletions_changed.emit(len(self._deleted))
        if back:
            self.status_message.emit(self.tr("{n} page(s) restored").format(n=len(back)), 4000)
        return back

    def move_pages(self, page_ids: list[str], document_id: str, position: int) -> None:
        if not self._writable():
            return
        try:
            self.project.move_pages(page_ids, document_id, position)
        except (KeyError, ValueError) as exc:
            message = self.tr("Cannot move the pages: {error}").format(error=translated(exc))
            self.status_message.emit(message, 5000)

    def rename_document(self, document_id: str, name: str) -> bool:
        if not self._writable():
            return False
        try:
            self.project.rename_document(document_id, name)
        except (KeyError, ValueError) as exc:
            self.status_message.emit(translated(exc), 5000)
            return False
        return True

    def split_document(self, document_id: str, at_index: int) -> None:
        if not self._writable():
            return
        try:
            self.project.split_document(document_id, at_index)
        except (KeyError, ValueError) as exc:
            self.status_message.emit(translated(exc), 5000)

    def merge_documents(self, document_ids: list[str]) -> None:
        if not self._writable():
            return
        try:
            self.project.merge_documents(document_ids)
        except (KeyError, ValueError) as exc:
            self.status_message.emit(translated(exc), 5000)

    def set_reviewed(self, page_ids: Sequence[str], reviewed: bool = True) -> None:
        if not self._writable():
            return
        self.project.set_reviewed([p for p in page_ids if self.project.has_page(p)], reviewed)

    def text_versions(self, page_id: str) -> list[TextVersion]:
        """Every version of a page's text (OCR results, editing bursts, restores), newest first."""
        if not self.project.has_page(page_id):
            return []
        return self.store.versions(page_id)

    def restore_text(self, page_id: str, text: str, spans: tuple[Span, ...] | None = None) -> None:
        """Make an earlier text (and its blocks) the page's again (kept as a new version)."""
        if not self._writable():
            return
        if self.project.has_page(page_id) and not self.is_page_busy(page_id):
            self.project.set_text(page_id, text, origin="restore", spans=spans)

    # -- images for the canvas and preview ------------------------------------------------
    def page_image(self, page_id: str) -> QImage | None:
        """The full page image if cached; otherwise None and ``page_image_ready`` follows."""
        return self.render.request_page(page_id)

    def figure_image(self, page_id: str, n: int) -> QImage | None:
        """Figure N (``figure:N``, 1-based) of a page, cut from the cached page image."""
        if not self.project.has_page(page_id):
            return None
        page = self.project.page(page_id)
        img = self.render.cached_page(page_id)
        box = page_figures(page).get(n) if img is not None else None
        if img is None or box is None:
            return None
        x1, y1, x2, y2 = box.to_pixels(img.width(), img.height())
        return img.copy(int(x1), int(y1), max(1, int(x2 - x1)), max(1, int(y2 - y1)))

    # -- reading (the queue: desktop_ocr.reading.queue; the loop: the OCR worker) ---------------
    def edited_pages(self, page_ids: Iterable[str]) -> list[str]:
        """Pages among ``page_ids`` whose text the user edited (re-reading them asks first)."""
        return self.reading.edited_pages(page_ids)

    def read_pages_of(self, page_ids: Iterable[str]) -> list[str]:
        """Pages among ``page_ids`` that are read already (read or edited: Read All leaves them)."""
        done = (PageState.READ, PageState.EDITED)
        project = self.project
        return [
            pid
            for pid in page_ids
            if project.has_page(pid) and (project.page(pid).state in done or project.page(pid).is_edited)
        ]

    def read_pages(
        self, page_ids: Sequence[str], include_edited: bool = False, options: ReadOptions | None = None
    ) -> int:
        """Queue pages for reading, in project order. Edited pages are skipped unless
        ``include_edited``; pages already queued are not queued twice. Returns the job id (0: none)."""
        if not self._writable():
            return 0
        job = self.reading.submit(page_ids, options or self._default_options(), self._opener, include_edited)
        if job is None:
            return 0
        self.ocr.enqueue(job)
        self.reading_changed.emit(True)
        if not self._tick.isActive():
            self._tick.start()
        return job.job_id

    def read_document(self, document_id: str, include_edited: bool = False) -> int:
        return self.read_pages([p.id for p in self.project.document(document_id).pages], include_edited)

    def read_all(self, include_edited: bool = False, only_unread: bool = False) -> int:
        pages = list(self.project.all_pages())
        if only_unread:
            pages = [p for p in pages if p.state in (PageState.NOT_READ, PageState.FAILED)]
        return self.read_pages([p.id for p in pages], include_edited)

    def default_read_options(self) -> ReadOptions:
        """How pages are read unless a run chooses otherwise (the settings' prompt and mode)."""
        return self._default_options()

    def _default_options(self) -> ReadOptions:
        ds = self.settings.deepseek
        return ReadOptions(
            prompt=ds.prompt,
            custom_prompt=ds.custom_prompt,
            mode=ds.mode,
            max_new_tokens=ds.max_new_tokens,
            use_text_layer=self.settings.use_text_layer,
        )

    @property
    def is_reading(self) -> bool:
        return self.reading.is_reading

    def is_page_busy(self, page_id: str) -> bool:
        """Queued or being read: its text is not editable."""
        return self.reading.is_busy(page_id)

    def pages_waiting(self) -> int:
        """How many pages are queued or being read."""
        return sum(1 for p in self.project.all_pages() if self.reading.is_busy(p.id))

    def cancel_current(self) -> None:
        """Stop the page being read now (within a second: its result is dropped at once)."""
        page_id = self.reading.reading_page
        if page_id:
            self.ocr.cancel_current_page()
            self.reading.cancel_current()
            self.page_progress.emit(page_id, 1.0)
            self.status_message.emit(self.tr("Cancelled the current page"), 3000)

    def cancel_all(self) -> None:
        """Stop reading and empty the queue; pages go back to their previous state now."""
        if not self.reading.is_reading:
            return
        self.ocr.cancel_all()
        for job_id in self.reading.cancel_all():
            self.ocr.cancel_job(job_id)
        self._tick.stop()
        self.reading_changed.emit(False)
        self.progress_changed.emit(0, 0, -1.0)
        self.status_message.emit(self.tr("Reading cancelled"), 3000)
        self.reading_finished.emit(*self.reading.take_tally())

    def pause(self) -> None:
        self.ocr.pause()

    def resume(self) -> None:
        self.ocr.resume()

    @property
    def paused(self) -> bool:
        return self.ocr.paused

    def _page_done(self, page_id: str, was_reading: bool | None) -> None:
        if was_reading:
            self.page_progress.emit(page_id, 1.0)

    @Slot(float)
    def _on_pace_changed(self, seconds_per_page: float) -> None:
        self.reading.seconds_per_page = seconds_per_page

    @Slot(int, str)
    def _on_page_started(self, job_id: int, page_id: str) -> None:
        if self.reading.page_started(job_id, page_id):
            self.page_reading_started.emit(page_id)

    @Slot(str, str)
    def _on_text_streamed(self, page_id: str, delta: str) -> None:
        if self.reading.streams(page_id):
            self.text_streamed.emit(page_id, delta)

    @Slot(str, object)
    def _on_block_completed(self, page_id: str, block: Block) -> None:
        if self.reading.streams(page_id):
            self.block_completed.emit(page_id, block)

    @Slot(int, str, object)
    def _on_page_finished(self, job_id: int, page_id: str, result: PageResult) -> None:
        was_reading = self.reading.page_finished(job_id, page_id, result)
        if was_reading is None:
            return  # superseded or cancelled: dropped
        self._page_done(page_id, was_reading)
        self.page_result_arrived.emit(page_id)
        server = result.extra.get("server") if isinstance(result.extra, dict) else None
        if server:  # a page read by a DeepSeek-OCR server: say which one
            label = self.project.page(page_id).label or self.tr("A page")
            self.status_message.emit(
                self.tr("{page} read by {server} in {seconds:.1f} s").format(
                    page=label, server=server, seconds=result.elapsed_s
                ),
                5000,
            )

    @Slot(int, str, str, str)
    def _on_page_failed(self, job_id: int, page_id: str, message: str, reason: str) -> None:
        answer = self.reading.page_failed(job_id, page_id, message, reason)
        if answer is None:
            return
        was_reading, retry = answer
        self._page_done(page_id, was_reading)
        if retry is not None:
            self.retry_offered.emit([page_id], retry)
        label = self.project.page(page_id).label or self.tr("A page")
        self.status_message.emit(self.tr("{page}: {reason}").format(page=label, reason=message), 8000)

    @Slot(int, str)
    def _on_page_cancelled(self, job_id: int, page_id: str) -> None:
        self._page_done(page_id, self.reading.page_cancelled(job_id, page_id))

    @Slot(int, bool)
    def _on_job_finished(self, job_id: int, cancelled: bool) -> None:
        self.reading.job_finished(job_id)

    @Slot(int, str)
    def _on_job_failed(self, job_id: int, message: str) -> None:
        self.reading.job_failed(job_id)
        self.problems_reported.emit(self.tr("Reading failed"), [message])

    @Slot()
    def _on_queue_drained(self) -> None:
        if self.reading.queue_drained():
            self._tick.stop()
            self.reading_changed.emit(False)
            self.reading_finished.emit(*self.reading.take_tally())

    @Slot(float, str)
    def _on_engine_progress(self, fraction: float, message: str) -> None:
        if fraction >= 0:
            text = self.tr("Loading engine {percent} {message}").format(
                percent=f"{fraction:.0%}", message=message
            )
        else:
            text = self.tr("Loading engine {message}").format(message=message)
        self.engine_status_changed.emit(text.strip())

    @Slot(object)
    def _on_engine_loaded(self, info: EngineInfo) -> None:
        self._engine_info = info
        self.reading.seconds_per_page = info.seconds_per_page_estimate
        self.engine_status_changed.emit(
            self.tr("{engine} on {device}").format(engine=translated(info.title), device=info.device)
        )

    @Slot(str)
    def _on_engine_failed(self, message: str) -> None:
        self.engine_status_changed.emit(self.tr("Engine not available"))
        self.problems_reported.emit(self.tr("The OCR engine could not be started"), [message])

    def _estimate_page_progress(self) -> None:
        fraction = self.reading.page_fraction()
        if fraction is not None:
            self.page_progress.emit(*fraction)
        done, total, eta = self.ocr.progress()  # the time left counts down between pages
        if total > 0 and done < total:
            self.progress_changed.emit(done, total, eta)

    # -- region reads and locates (desktop_ocr.reading.regions) -----------------------------------
    def read_region(self, page_id: str, box: Box, options: ReadOptions | None = None) -> int:
        """Read the region ``box`` (0..999 of the page image) of a page with the current engine and
        ``options`` (default: the settings' prompt and mode). Returns the request id, 0 when the
        page does not exist or the box is empty. ``region_read(page_id, request_id, result)``
        follows with a PageResult whose boxes are on the page (``extra["region"]`` = the box), or
        ``region_failed(page_id, request_id, message)``. The page itself is not changed."""
        if not self._writable():
            return 0
        job = self.regions.read(page_id, box, options or self._default_options(), self._opener)
        if job is None:
            return 0
        self.ocr.enqueue_region(job)
        return job.request_id

    def locate(self, page_id: str, phrase: str) -> int:
        """Look for ``phrase`` on a page with the current engine (DeepSeek-OCR: its locate prompt).
        Returns the request id, 0 when the page does not exist or the phrase is blank.
        ``located(page_id, request_id, phrase, boxes)`` follows (boxes on the page, [] when not
        found), or ``locate_failed(page_id, request_id, message)``. The page is not changed."""
        job = self.regions.locate(page_id, phrase, self._default_options().mode, self._opener)
        if job is None:
            return 0
        self.ocr.enqueue_region(job)
        return job.request_id

    def cancel_request(self, request_id: int) -> None:
        """Cancel a region read or a locate; nothing more is emitted for it."""
        if self.regions.cancel(request_id):
            self.ocr.cancel_region(request_id)

    def pending_requests(self) -> list[int]:
        """Ids of the region reads and locates not answered yet."""
        return self.regions.pending()

    def _wanted_region_answer(self, request_id: int, page_id: str) -> RegionJob | None:
        """The request of an answer if it is still wanted (a failure is emitted if the page turned)."""
        job, problem = self.regions.answered(request_id, page_id)
        if job is not None and problem == ROTATED:
            message = self.tr("The page was rotated while it was being read: please try again.")
            self._region_failed(job.kind, page_id, request_id, message)
            return None
        return job

    def _region_failed(self, kind: str, page_id: str, request_id: int, message: str) -> None:
        if kind == "locate":
            self.locate_failed.emit(page_id, request_id, message)
        else:
            self.region_failed.emit(page_id, request_id, message)

    @Slot(int, str, object)
    def _on_region_read(self, request_id: int, page_id: str, result: PageResult) -> None:
        if self._wanted_region_answer(request_id, page_id) is not None:
            self.region_read.emit(page_id, request_id, result)

    @Slot(int, str, list)
    def _on_located(self, request_id: int, page_id: str, boxes: list) -> None:
        job = self._wanted_region_answer(request_id, page_id)
        if job is not None:
            self.located.emit(page_id, request_id, job.phrase, list(boxes))

    @Slot(int, str, str)
    def _on_region_failed(self, request_id: int, page_id: str, message: str) -> None:
        job = self.regions.failed(request_id, page_id)
        if job is not None:
            self._region_failed(job.kind, page_id, request_id, message)

    @Slot(int, str)
    def _on_region_cancelled(self, request_id: int, page_id: str) -> None:
        self.regions.cancel(request_id)

    # -- export ---------------------------------------------------------------------------------
    def export(
        self,
        document_ids: Sequence[str],
        out_dir: str | Path,
        formats: Sequence[str] | None = None,
        separator: str | None = None,
        policy: str = "error",
        pdfa: bool = False,
    ) -> int:
        """Export documents (with the user's edited text) in the background; 0 if one is running.

        ``export_finished`` follows, or ``export_overwrite_requested`` when files exist and the
        policy is "error" (nothing is written then; :meth:`resolve_export_conflict` goes on).
        """
        ids = tuple(d for d in document_ids if any(doc.id == d for doc in self.project.documents))
        if not ids:
            self.status_message.emit(self.tr("Nothing to export"), 3000)
            return 0
        job = ExportJob(
            next_job_id(),
            ids,
            Path(out_dir),
            tuple(formats or self.settings.export_formats),
            separator or self.settings.separator,
            policy,
            self._opener,
            pdfa,
        )
        return self.run_export(job)

    def resolve_export_conflict(self, policy: str) -> int:
        """Run the export that stopped at existing files again: policy "overwrite" or "rename"."""
        job = self._export_waiting
        self._export_waiting = None
        if job is None or policy not in ("overwrite", "rename"):
            return 0
        return self.run_export(dataclasses.replace(job, job_id=next_job_id(), policy=policy))

    def run_export(self, job: ExportJob) -> int:
        self._export_jobs[job.job_id] = job
        if not self.exports.start(job, self.project):
            self.status_message.emit(self.tr("An export is already running"), 3000)
            return 0
        self.status_message.emit(self.tr("Exporting {n} document(s)...").format(n=len(job.document_ids)), 0)
        return job.job_id

    @Slot(int, list, list)
    def _on_export_finished(self, job_id: int, written: list, problems: list) -> None:
        job = self._export_jobs.pop(job_id, None)
        folder = job.out_dir if job else (Path(written[0]).parent if written else "")
        self.status_message.emit(
            self.tr("Exported {n} file(s) to {folder}").format(n=len(written), folder=folder), 8000
        )
        if problems:
            self.problems_reported.emit(self.tr("The export is done, with some problems"), problems)
        self.export_finished.emit(written)

    @Slot(int, list)
    def _on_export_overwrite(self, job_id: int, existing: list) -> None:
        self.status_message.emit("", 1)
        self._export_waiting = self._export_jobs.pop(job_id, None)
        self.export_overwrite_requested.emit(existing)
