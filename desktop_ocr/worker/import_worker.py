"""Importing files off the GUI thread: validate and store sources in a worker thread, then hand the
plan to the GUI thread, which adds the documents to the Project (``importer.apply_plan``)."""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_ocr.i18n import translated
from desktop_ocr.model import importer
from desktop_ocr.model.importer import ImportPlan, ImportProblem, SourceSink
from desktop_ocr.worker.lifetime import keep_alive_while_running

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportJob:
    """Files to import: paths, or one blob of pasted data with a name."""

    job_id: int
    paths: tuple[str, ...] = ()
    dpi: int = 144
    passwords: Mapping[str, str] = field(default_factory=dict)
    data: bytes | None = field(default=None, repr=False)
    data_name: str = ""
    join_loose: bool = True  # loose images given together make one document


class ImportWorker(QObject):
    """One thread; jobs run in order. The sink (project store) must be thread-safe."""

    import_progress = Signal(int, int, int, str)  # job id, done, total, current file name
    import_prepared = Signal(int, object)  # job id, ImportPlan (sources stored; apply on the GUI thread)
    import_failed = Signal(int, str)  # job id, message

    _wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._queue: collections.deque[tuple[ImportJob, SourceSink]] = collections.deque()
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("import-worker")
        self.moveToThread(self._thread)
        self._wake.connect(self._drain)
        self._thread.start()

    def submit(self, job: ImportJob, sink: SourceSink) -> None:
        with self._lock:
            self._queue.append((job, sink))
        self._wake.emit()

    def cancel(self) -> None:
        with self._lock:
            self._queue.clear()
        self._cancel.set()

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        if not self._thread.isRunning():
            return
        self.cancel()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            log.error("The import worker did not stop in time")
            keep_alive_while_running(self, self._thread)

    @Slot()
    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    return
                job, sink = self._queue.popleft()
                self._cancel.clear()
            try:
                plan = self._run(job, sink)
            except Exception as exc:
                log.exception("Import job %s failed", job.job_id)
                message = self.tr("The import failed: {error}").format(error=translated(exc))
                self.import_failed.emit(job.job_id, message)
                continue
            self.import_prepared.emit(job.job_id, plan)

    def _run(self, job: ImportJob, sink: SourceSink) -> ImportPlan:
        def progress(done: int, total: int, name: str) -> None:
            self.import_progress.emit(job.job_id, done, total, name)

        if job.data is not None:
            try:
                src = importer.prepare_bytes(
                    job.data, job.data_name or self.tr("Pasted image") + ".png", job.dpi
                )
            except importer.SourceError as exc:
                return ImportPlan(problems=[ImportProblem(job.data_name, exc.reason)])
            name = job.data_name.rsplit(".", 1)[0] or self.tr("Pasted image")
            plan = ImportPlan(documents=[importer.PreparedDocument(name, [src])])
        else:
            plan = importer.prepare(
                list(job.paths),
                job.dpi,
                dict(job.passwords),
                on_progress=progress,
                cancel=self._cancel,
                join_loose=job.join_loose,
            )
        return importer.store_sources(plan, sink, self._cancel)


def password_problems(problems: Sequence[ImportProblem]) -> list[ImportProblem]:
    """The problems that a password would solve."""
    return [p for p in problems if p.needs_password]
