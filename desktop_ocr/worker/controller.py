"""The Controller: the one object the widgets talk to. Owns the Project, its store and the workers.

A thin QObject: the work is done by Qt-free services it composes (the project session,
:class:`~desktop_ocr.reading.service.ReadingService` for page reads and region requests,
:class:`~desktop_ocr.model.edits.PageEdits`, :class:`~desktop_ocr.model.imports.ImportRequests`,
:class:`~desktop_ocr.export.requests.ExportRequests`) and by the workers it owns (each in its own
thread); the adapters of :mod:`desktop_ocr.worker.signals` turn the services' callbacks into the
signals the widgets use, among them ``project_changed``, the open project's changes re-emitted
(whichever project is open), so widgets connect once and never follow a swap themselves. Every
Project mutation happens on the GUI thread; workers get frozen snapshots and answer with signals.
Widgets never touch engines, stores or workers.

What needs no thread the widgets ask of the services themselves: ``controller.edits`` (page and
document edits, undo of deletions, text versions), ``controller.session`` (untitled, path, read-only,
recovery) and ``controller.reading``'s questions (``is_reading``, ``is_busy``, ``edited_pages``...).
What starts or stops work in a thread (reading, region reads, imports, exports, rendering) is a
command here.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QImage

from desktop_ocr.engine.base import EngineInfo, ReadOptions
from desktop_ocr.export.requests import ExportJob, ExportRequests
from desktop_ocr.i18n import translated
from desktop_ocr.messages import joined, message_of
from desktop_ocr.model.blocks import page_figures
from desktop_ocr.model.document import Change, ChangeKind, Project
from desktop_ocr.model.edits import PageEdits
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.imports import ConfirmDuplicates, ImportRequests
from desktop_ocr.model.lockfile import ProjectLocked
from desktop_ocr.model.recovery import RecoverableSession
from desktop_ocr.model.session import ProjectSession, project_file
from desktop_ocr.model.store import ForeignSchema, ProjectError, ProjectStore
from desktop_ocr.reading.jobs import PageSnapshot, next_job_id
from desktop_ocr.reading.service import ReadingService
from desktop_ocr.settings import Settings
from desktop_ocr.setup.saving import remember_export, save_settings
from desktop_ocr.worker.engines import engine_factory, engine_title, read_capabilities
from desktop_ocr.worker.export_worker import ExportWorker
from desktop_ocr.worker.import_worker import ImportJob, ImportWorker
from desktop_ocr.worker.ocr_worker import OcrWorker
from desktop_ocr.worker.render_worker import RenderWorker, ThumbnailPort
from desktop_ocr.worker.signals import (
    ControllerSignals,
    EditSignals,
    EngineSignals,
    ExportAnswers,
    ImportAnswers,
    ImportSignals,
    ReadingSignals,
    read_only_note,
    read_only_report,
)

log = logging.getLogger(__name__)

#: The store writes every change at once; this retries a failed write (disk full...) this often.
RETRY_SAVE_MS = 1500
#: The OCR worker's signals that the reading service answers (same names, same arguments).
READING_ANSWERS = (
    *("pace_changed", "page_started", "text_streamed", "block_completed", "page_finished"),
    *("page_failed", "page_cancelled", "job_finished", "job_failed", "queue_drained"),
    *("region_read", "located", "region_failed", "region_cancelled"),
)


class Controller(ControllerSignals):
    """Commands for the UI; the signals back are :class:`ControllerSignals`. See the method
    docstrings for each command."""

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        # the open project and its store; its changes (whichever project is open) come here
        self.session = ProjectSession(self._on_project_change, self._on_store_error)
        self._opener = self.store.source_opener()
        self._tick = QTimer(self, interval=200)  # while reading: the per-page progress estimate
        self._tick.timeout.connect(self._estimate_page_progress)
        #: pages queued or being read and region requests, by job; answers applied to the project
        self.reading = ReadingService(self.project, ReadingSignals(self, self.session, self._tick))
        self.edits = PageEdits(
            self.session, self.reading.is_busy, self._deleting, EditSignals(self, self.session)
        )
        self.render = RenderWorker(self)
        self.render.page_rendered.connect(self.page_image_ready)
        self.render.render_failed.connect(self.page_image_failed)
        #: the page list's thumbnails (the render worker's, through a port: widgets never get a worker)
        self.thumbnails = ThumbnailPort(self.render, self)
        self.ocr = OcrWorker()
        self.imports = ImportWorker()
        self.exports = ExportWorker(self)
        self.engine = EngineSignals(self, self.reading)  # the engine's state for the status bar
        self.import_requests = ImportRequests(ImportSignals(self))  # imports waiting for their plan
        self.export_requests = ExportRequests(next_job_id)  # exports running or waiting for an answer
        self.import_answers = ImportAnswers(self, self.session, self.import_requests)
        self.export_answers = ExportAnswers(self, self.export_requests)
        self._connect_workers()
        self.ocr.start()
        self._configure_engine()
        self._retry_save = QTimer(self, singleShot=True, interval=RETRY_SAVE_MS)
        self._retry_save.timeout.connect(self.save_now)
        self._sync_render_specs()

    # -- wiring -----------------------------------------------------------------------------
    def _connect_workers(self) -> None:
        w = self.ocr
        w.engine_loading.connect(self.engine.loading)
        w.engine_load_progress.connect(self.engine.progress)
        w.engine_loaded.connect(self.engine.loaded)
        w.engine_failed.connect(self.engine.failed)
        # The worker emits its public signals on the GUI thread (its thread side re-emits them
        # there), so the reading service's plain methods run on the thread that owns the Project.
        for name in READING_ANSWERS:
            getattr(w, name).connect(getattr(self.reading, name))
        w.progress_changed.connect(self.progress_changed)
        w.paused_changed.connect(self.paused_changed)
        # The import and export threads emit these: connected to slots of QObjects of the GUI
        # thread (the answers adapters), so Qt queues them there; a lambda would run in the worker's
        # thread, and the widgets with it.
        a = self.import_answers
        self.imports.import_progress.connect(a.progress)
        self.imports.import_prepared.connect(a.prepared)
        self.imports.import_failed.connect(a.failed)
        e = self.export_answers
        self.exports.export_progress.connect(e.progress)
        self.exports.export_finished.connect(e.finished)
        self.exports.export_needs_overwrite.connect(e.needs_overwrite)
        self.exports.export_failed.connect(e.failed)

    def _configure_engine(self) -> None:
        name, factory = engine_factory(copy.deepcopy(self.settings))
        self.engine.info = None  # known again once the new engine is loaded
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
        self._saved(save_settings(settings))
        if engine_changed:
            self._configure_engine()
        if self.project.meta.get("dpi") != settings.dpi and self.project.page_count == 0:
            self.project.set_meta("dpi", settings.dpi)

    def remember_export_choices(
        self, out_dir: str | Path, formats: Sequence[str], separator: str, pdfa: bool
    ) -> None:
        """The export dialog's choices, kept for the next export and saved at once."""
        self._saved(remember_export(self.settings, out_dir, formats, separator, pdfa))

    def _saved(self, error: str) -> None:
        """Says so when the settings could not be saved (``error``: why; "" when they were)."""
        if error:
            self.status_message.emit(
                self.tr("Could not save the settings: {error}").format(error=translated(error)), 8000
            )

    def read_capabilities(self) -> EngineInfo | None:
        """What the engine that reads next offers (see :func:`desktop_ocr.worker.engines.read_capabilities`)."""
        return read_capabilities(self.settings, self.engine.info)

    # -- project life cycle (the session's; here the workers and widgets follow) ------------------
    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def store(self) -> ProjectStore:
        return self.session.store

    @property
    def title(self) -> str:
        if self.store.read_only:
            return self.tr("{name} (read-only)").format(name=self.store.path.stem)
        return self.tr("Untitled project") if self.store.is_untitled else self.store.path.stem

    def _replace_project(self, store: ProjectStore, project: Project) -> None:
        self.cancel_all()
        self.imports.cancel()
        self.import_requests.drop_all()
        self.render.cancel_pending()
        old = self.session.swap(store, project)  # the new project's changes come here from now on
        self._opener = store.source_opener()
        for request_id in self.reading.set_project(project):
            self.ocr.cancel_region(request_id)
        self.edits.forget_deletions()  # another project: nothing of the old one to put back
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
            self.problems_reported.emit(
                self.tr("The project opened read-only"), read_only_report(self.session)
            )
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

    def read_only_note(self) -> str:
        return read_only_note(self.session)

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

    def recover(self, entry: RecoverableSession) -> bool:
        ok = self.open_project(entry.path)
        if ok:
            self.status_message.emit(
                self.tr("Recovered the unsaved project; use File > Save As to keep it."), 0
            )
        return ok

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
        self.session.stop_following()
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
                    self.render.update_spec(PageSnapshot.of(self.project, self.project.page(pid)))
            return
        specs = {p.id: PageSnapshot.of(self.project, p) for p in self.project.all_pages()}
        self.render.set_specs(specs, self._opener)

    # -- import -----------------------------------------------------------------------------
    def import_paths(
        self,
        paths: Sequence[str],
        passwords: dict[str, str] | None = None,
        join_loose: bool = True,
        confirm_duplicates: ConfirmDuplicates | None = None,
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
        self.import_requests.add(job.job_id, confirm_duplicates)
        self.imports.submit(job, self.store)
        n = len(paths)
        importing = self.tr("Importing {n} item...") if n == 1 else self.tr("Importing {n} items...")
        self.status_message.emit(importing.format(n=n), 0)
        return job.job_id

    def import_image_data(self, data: bytes, name: str = "") -> int:
        """Import image bytes (a paste from the clipboard) as a new document (``name``: its file name)."""
        if not self._writable():
            return 0
        name = name or self.tr("Pasted image") + ".png"
        job = ImportJob(next_job_id(), (), self._dpi(), {}, data=data, data_name=name)
        self.import_requests.add(job.job_id)
        self.imports.submit(job, self.store)
        return job.job_id

    def _dpi(self) -> int:
        if self.project.page_count == 0 and self.project.meta.get("dpi") != self.settings.dpi:
            self.project.set_meta("dpi", self.settings.dpi)  # announced, so the store keeps it
        return int(self.project.meta.get("dpi", self.settings.dpi) or 144)

    # -- page and document edits: the widgets call ``self.edits`` (desktop_ocr.model.edits) ----------
    def _deleting(self, page_ids: list[str]) -> None:
        """Pages about to be deleted: the reads of them stop."""
        for pid in page_ids:
            if self.reading.is_busy(pid):
                self.ocr.cancel_page(pid)
        self.reading.forget(page_ids)

    # -- images for the canvas and preview ------------------------------------------------
    def page_image(self, page_id: str) -> QImage | None:
        """The full page image if cached; otherwise None and ``page_image_ready`` follows."""
        return self.render.request_page(page_id)

    def page_image_failure(self, page_id: str) -> str:
        """Why the page's image could not be drawn ("" when it could, or was not tried yet)."""
        return self.render.failure(page_id)

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

    # -- reading (the service: desktop_ocr.reading.service; the loop: the OCR worker) -----------
    def read_pages(
        self, page_ids: Sequence[str], include_edited: bool = False, options: ReadOptions | None = None
    ) -> int:
        """Queue pages for reading, in project order. Edited pages are skipped unless
        ``include_edited``; pages already queued are not queued twice. Returns the job id (0: none)."""
        if not self._writable():
            return 0
        job = self.reading.submit(
            page_ids, options or self.default_read_options(), self._opener, include_edited
        )
        if job is None:
            return 0
        self.ocr.enqueue(job)
        return job.job_id

    def read_document(self, document_id: str, include_edited: bool = False) -> int:
        return self.read_pages([p.id for p in self.project.document(document_id).pages], include_edited)

    def read_all(self, include_edited: bool = False, only_unread: bool = False) -> int:
        pages = self.reading.unread_pages() if only_unread else [p.id for p in self.project.all_pages()]
        return self.read_pages(pages, include_edited)

    def default_read_options(self) -> ReadOptions:
        """How pages are read unless a run chooses otherwise (the settings' prompt and mode)."""
        ds = self.settings.deepseek
        return ReadOptions(
            prompt=ds.prompt,
            custom_prompt=ds.custom_prompt,
            mode=ds.mode,
            max_new_tokens=ds.max_new_tokens,
            use_text_layer=self.settings.use_text_layer,
        )

    def cancel_current(self) -> None:
        """Stop the pages being read now (within a second: their results are dropped at once)."""
        if self.reading.reading_pages:
            self.ocr.cancel_current_page()
            self.reading.cancel_current()
            self.status_message.emit(self.tr("Cancelled the current page"), 3000)

    def cancel_all(self) -> None:
        """Stop reading and empty the queue; pages go back to their previous state now."""
        if self.reading.is_reading:
            self.ocr.cancel_all()
        for job_id in self.reading.cancel_all():
            self.ocr.cancel_job(job_id)

    def pause(self) -> None:
        self.ocr.pause()

    def resume(self) -> None:
        self.ocr.resume()

    @property
    def paused(self) -> bool:
        return self.ocr.paused

    def _estimate_page_progress(self) -> None:
        self.reading.estimate_progress()
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
        job = self.reading.read_region(page_id, box, options or self.default_read_options(), self._opener)
        if job is None:
            return 0
        self.ocr.enqueue_region(job)
        return job.request_id

    def locate(self, page_id: str, phrase: str) -> int:
        """Look for ``phrase`` on a page with the current engine (DeepSeek-OCR: its locate prompt).
        Returns the request id, 0 when the page does not exist or the phrase is blank.
        ``located(page_id, request_id, phrase, boxes)`` follows (boxes on the page, [] when not
        found), or ``locate_failed(page_id, request_id, message)``. The page is not changed."""
        job = self.reading.locate(page_id, phrase, self.default_read_options().mode, self._opener)
        if job is None:
            return 0
        self.ocr.enqueue_region(job)
        return job.request_id

    def cancel_request(self, request_id: int) -> None:
        """Cancel a region read or a locate; nothing more is emitted for it."""
        if self.reading.cancel_request(request_id):
            self.ocr.cancel_region(request_id)

    # -- export (desktop_ocr.export.requests; the thread: the export worker) ----------------------
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
        formats = formats or self.settings.export_formats
        separator = separator or self.settings.separator
        job = self.export_requests.job(
            self.project, document_ids, out_dir, formats, separator, policy, self._opener, pdfa
        )
        if job is None:
            self.status_message.emit(self.tr("Nothing to export"), 3000)
            return 0
        return self.run_export(job)

    def resolve_export_conflict(self, policy: str) -> int:
        """Run the export that stopped at existing files again: policy "overwrite" or "rename"."""
        job = self.export_requests.resolve(policy)
        return self.run_export(job) if job is not None else 0

    def run_export(self, job: ExportJob) -> int:
        self.export_requests.started(job)
        if not self.exports.start(job, self.project):
            self.status_message.emit(self.tr("An export is already running"), 3000)
            return 0
        n = len(job.document_ids)
        exporting = self.tr("Exporting {n} document...") if n == 1 else self.tr("Exporting {n} documents...")
        self.status_message.emit(exporting.format(n=n), 0)
        return job.job_id
