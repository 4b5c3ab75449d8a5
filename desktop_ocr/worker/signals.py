"""The Controller's signals, and the Qt-free services' callbacks turned into them.

:class:`ControllerSignals` declares every signal the widgets use (the Controller is one). The
adapters (:class:`ReadingSignals`, :class:`EditSignals`, :class:`ImportSignals`) are the listeners of
the reading service, the page edits and the import requests: each callback becomes a signal, with
the user's message worded (and translated, in the Controller's context) here. They run on the GUI
thread, where the services are called.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from desktop_ocr.engine.base import EngineInfo, ReadOptions
from desktop_ocr.export.requests import ExportRequests
from desktop_ocr.i18n import translated
from desktop_ocr.model.edits import EditEvents
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.importer import ImportOutcome
from desktop_ocr.model.imports import ImportEvents, ImportRequests
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.model.session import ProjectSession
from desktop_ocr.reading.queue import ReadSummary
from desktop_ocr.reading.service import ReadingEvents, ReadingService
from desktop_ocr.worker.engines import engine_title


class ControllerSignals(QObject):
    """The signals the widgets connect to (see the Controller's commands for what follows which)."""

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
    page_image_failed = Signal(str, str)  # page id, why it cannot be drawn (in the user's language)
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


def read_only_note(session: ProjectSession) -> str:
    return QCoreApplication.translate(
        "Controller", "{name} is damaged and open read-only: use File > Save As to keep a repaired copy."
    ).format(name=session.store.path.name)


def read_only_report(session: ProjectSession) -> list[str]:
    """What is damaged in the project open read-only, one line each, and what to do."""
    damage = session.store.damage
    shown = damage[:20]
    lines = [read_only_note(session)]
    lines += [QCoreApplication.translate("Controller", "Damaged: {what}").format(what=d) for d in shown]
    if len(damage) > len(shown):
        more = QCoreApplication.translate("Controller", "... and {n} more damaged values")
        lines.append(more.format(n=len(damage) - len(shown)))
    lines.append(
        QCoreApplication.translate(
            "Controller", "Damaged values are replaced by safe ones (0, empty, not read) in the copy."
        )
    )
    return lines


class ReadingSignals(ReadingEvents):
    """The reading service's callbacks as the Controller's signals (on the GUI thread)."""

    def __init__(self, c: ControllerSignals, session: ProjectSession, tick: QTimer) -> None:
        self.c = c
        self.session = session
        self.tick = tick  # runs while reading: the per-page progress estimate

    def reading_changed(self, reading: bool) -> None:
        if not reading:
            self.tick.stop()
        elif not self.tick.isActive():
            self.tick.start()
        self.c.reading_changed.emit(reading)

    def page_reading_started(self, page_id: str) -> None:
        self.c.page_reading_started.emit(page_id)

    def text_streamed(self, page_id: str, delta: str) -> None:
        self.c.text_streamed.emit(page_id, delta)

    def block_completed(self, page_id: str, block: Block) -> None:
        self.c.block_completed.emit(page_id, block)

    def page_progress(self, page_id: str, fraction: float) -> None:
        self.c.page_progress.emit(page_id, fraction)

    def page_read(self, page_id: str, result: PageResult) -> None:
        c = self.c
        c.page_result_arrived.emit(page_id)
        server = result.extra.get("server") if isinstance(result.extra, dict) else None
        if server:  # a page read by a DeepSeek-OCR server: say which one
            label = self.session.project.page(page_id).label or QCoreApplication.translate(
                "Controller", "A page"
            )
            c.status_message.emit(
                QCoreApplication.translate("Controller", "{page} read by {server} in {seconds:.1f} s").format(
                    page=label, server=server, seconds=result.elapsed_s
                ),
                5000,
            )

    def page_failed(self, page_id: str, message: str, retry: ReadOptions | None) -> None:
        c = self.c
        if retry is not None:
            c.retry_offered.emit([page_id], retry)
        label = self.session.project.page(page_id).label or QCoreApplication.translate("Controller", "A page")
        c.status_message.emit(
            QCoreApplication.translate("Controller", "{page}: {reason}").format(page=label, reason=message),
            8000,
        )

    def job_failed(self, job_id: int, message: str) -> None:
        self.c.problems_reported.emit(QCoreApplication.translate("Controller", "Reading failed"), [message])

    def reading_finished(self, summary: ReadSummary, cancelled: bool) -> None:
        c = self.c
        if cancelled:
            c.progress_changed.emit(0, 0, -1.0)
            c.status_message.emit(QCoreApplication.translate("Controller", "Reading cancelled"), 3000)
        c.reading_finished.emit(*summary.counts)

    def region_read(self, page_id: str, request_id: int, result: PageResult) -> None:
        self.c.region_read.emit(page_id, request_id, result)

    def located(self, page_id: str, request_id: int, phrase: str, boxes: list[Box]) -> None:
        self.c.located.emit(page_id, request_id, phrase, boxes)

    def region_failed(self, kind: str, page_id: str, request_id: int, message: str) -> None:
        signal = self.c.locate_failed if kind == "locate" else self.c.region_failed
        signal.emit(page_id, request_id, message)

    def region_outdated(self, kind: str, page_id: str, request_id: int) -> None:
        message = QCoreApplication.translate(
            "Controller", "The page was rotated while it was being read: please try again."
        )
        self.region_failed(kind, page_id, request_id, message)


class EditSignals(EditEvents):
    """The edits' callbacks as the Controller's signals."""

    def __init__(self, c: ControllerSignals, session: ProjectSession) -> None:
        self.c = c
        self.session = session

    def read_only(self) -> None:
        self.c.status_message.emit(read_only_note(self.session), 0)

    def refused(self, operation: str, error: Exception) -> None:
        message = translated(error)
        if operation == "move":
            message = QCoreApplication.translate("Controller", "Cannot move the pages: {error}").format(
                error=message
            )
        self.c.status_message.emit(message, 5000)

    def deletions_changed(self, count: int) -> None:
        self.c.deletions_changed.emit(count)

    def pages_restored(self, page_ids: list[str]) -> None:
        self.c.status_message.emit(
            (
                QCoreApplication.translate("Controller", "{n} page restored")
                if len(page_ids) == 1
                else QCoreApplication.translate("Controller", "{n} pages restored")
            ).format(n=len(page_ids)),
            4000,
        )


class ImportSignals(ImportEvents):
    """An applied import's outcome as the Controller's signals."""

    def __init__(self, c: ControllerSignals) -> None:
        self.c = c

    def import_cancelled(self) -> None:
        self.c.status_message.emit(QCoreApplication.translate("Controller", "Nothing was imported"), 4000)
        self.c.import_finished.emit([])

    def imported(self, outcome: ImportOutcome) -> None:
        c = self.c
        pages = sum(len(d.pages) for d in outcome.documents)
        needs_password = [p for p in outcome.problems if p.needs_password]
        if not outcome.documents:
            # not "Imported 0 documents": what stopped it, naming the file
            c.status_message.emit(self._nothing_imported(needs_password), 8000)
        else:
            c.status_message.emit(self._imported(outcome, pages), 5000)
        others = [translated(p) for p in outcome.problems if not p.needs_password]
        # the password question first: the window asks it in a modal dialog, which opened over the
        # list of failed files and hid it (the list is shown once the question is answered)
        if needs_password:
            c.passwords_requested.emit([(p.path, p.wrong_password) for p in needs_password])
        if others:
            c.problems_reported.emit(
                QCoreApplication.translate("Controller", "Some files could not be imported"), others
            )
        c.import_finished.emit([d.id for d in outcome.documents])

    @staticmethod
    def _nothing_imported(needs_password: list) -> str:
        if not needs_password:
            return QCoreApplication.translate("Controller", "Nothing was imported")
        names = ", ".join(Path(p.path).name for p in needs_password)
        if any(p.wrong_password for p in needs_password):
            return QCoreApplication.translate(
                "Controller", "Nothing was imported: the password for {names} is wrong"
            ).format(names=names)
        return QCoreApplication.translate(
            "Controller", "Nothing was imported yet: {names} needs a password"
        ).format(names=names)

    @staticmethod
    def _imported(outcome: ImportOutcome, pages: int) -> str:
        return QCoreApplication.translate("Controller", "Imported {documents}, {pages}").format(
            documents=(
                QCoreApplication.translate("Controller", "{n} document")
                if len(outcome.documents) == 1
                else QCoreApplication.translate("Controller", "{n} documents")
            ).format(n=len(outcome.documents)),
            pages=(
                QCoreApplication.translate("Controller", "{n} page")
                if pages == 1
                else QCoreApplication.translate("Controller", "{n} pages")
            ).format(n=pages),
        )


class ImportAnswers(QObject):
    """The import thread's answers: a prepared plan applied by the import requests to the open
    project, a failure and the progress told as the Controller's signals (slots: GUI thread)."""

    def __init__(self, c: ControllerSignals, session: ProjectSession, requests: ImportRequests) -> None:
        super().__init__(c)
        self.c = c
        self.session = session
        self.requests = requests

    @Slot(int, int, int, str)
    def progress(self, job_id: int, done: int, total: int, name: str) -> None:
        if name:
            self.c.status_message.emit(
                QCoreApplication.translate("Controller", "Importing {n}/{total}: {name}").format(
                    n=done + 1, total=total, name=name
                ),
                0,
            )

    @Slot(int, object)
    def prepared(self, job_id: int, plan: object) -> None:
        self.requests.prepared(self.session.project, job_id, plan)

    @Slot(int, str)
    def failed(self, job_id: int, message: str) -> None:
        self.requests.failed(job_id)
        self.c.problems_reported.emit(
            QCoreApplication.translate("Controller", "The import failed"), [message]
        )


class ExportAnswers(QObject):
    """The export thread's answers: the export requests told (a finished job is over, one that
    stopped at existing files waits for the user's answer), and the Controller's signals emitted
    (slots: GUI thread)."""

    def __init__(self, c: ControllerSignals, requests: ExportRequests) -> None:
        super().__init__(c)
        self.c = c
        self.requests = requests

    @Slot(int, float, str)
    def progress(self, _job_id: int, fraction: float, message: str) -> None:
        self.c.status_message.emit(
            QCoreApplication.translate("Controller", "Exporting {percent}: {message}").format(
                percent=f"{fraction:.0%}", message=message
            ),
            0,
        )

    @Slot(int, str)
    def failed(self, job_id: int, message: str) -> None:
        self.requests.finished(job_id)
        self.c.problems_reported.emit(
            QCoreApplication.translate("Controller", "The export failed"), [message]
        )

    @Slot(int, list, list)
    def finished(self, job_id: int, written: list, problems: list) -> None:
        job = self.requests.finished(job_id)
        folder = job.out_dir if job else (Path(written[0]).parent if written else "")
        self.c.status_message.emit(
            (
                QCoreApplication.translate("Controller", "Exported {n} file to {folder}")
                if len(written) == 1
                else QCoreApplication.translate("Controller", "Exported {n} files to {folder}")
            ).format(n=len(written), folder=folder),
            8000,
        )
        if problems:
            self.c.problems_reported.emit(
                QCoreApplication.translate("Controller", "The export is done, with some problems"), problems
            )
        self.c.export_finished.emit(written)

    @Slot(int, list)
    def needs_overwrite(self, job_id: int, existing: list) -> None:
        self.c.status_message.emit("", 1)
        self.requests.needs_overwrite(job_id)
        self.c.export_overwrite_requested.emit(existing)


class EngineSignals:
    """The OCR worker's engine reports as the status bar's text; the loaded engine's info."""

    def __init__(self, c: ControllerSignals, reading: ReadingService) -> None:
        self.c = c
        self.reading = reading
        self.info: EngineInfo | None = None  # the engine loaded (None until then)

    def loading(self, name: str) -> None:
        text = QCoreApplication.translate("Controller", "Loading {name} engine...")
        self.c.engine_status_changed.emit(text.format(name=engine_title(name)))

    def progress(self, fraction: float, message: str) -> None:
        if fraction >= 0:
            text = QCoreApplication.translate("Controller", "Loading engine {percent} {message}").format(
                percent=f"{fraction:.0%}", message=message
            )
        else:
            text = QCoreApplication.translate("Controller", "Loading engine {message}").format(
                message=message
            )
        self.c.engine_status_changed.emit(text.strip())

    def loaded(self, info: EngineInfo) -> None:
        self.info = info
        self.reading.seconds_per_page = info.seconds_per_page_estimate
        self.c.engine_status_changed.emit(
            QCoreApplication.translate("Controller", "{engine} on {device}").format(
                engine=translated(info.title), device=info.device
            )
        )

    def failed(self, message: str) -> None:
        self.c.engine_status_changed.emit(QCoreApplication.translate("Controller", "Engine not available"))
        self.c.problems_reported.emit(
            QCoreApplication.translate("Controller", "The OCR engine could not be started"), [message]
        )
