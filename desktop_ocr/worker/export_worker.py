"""Exporting off the GUI thread: a frozen copy of the documents is written by the exporters
(``desktop_ocr.export``) in a background thread; the result comes back as a signal. The job and the
snapshot are :mod:`desktop_ocr.export.requests`' (Qt-free)."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from desktop_ocr.export.requests import ExportJob, existing_outputs, snapshot, write
from desktop_ocr.i18n import translated
from desktop_ocr.model.document import Project

__all__ = ["ExportJob", "ExportWorker", "existing_outputs", "snapshot"]

log = logging.getLogger(__name__)


class ExportWorker(QObject):
    """Runs one export at a time in a plain thread; joined on shutdown."""

    export_progress = Signal(int, float, str)  # job id, fraction, message
    export_finished = Signal(int, list, list)  # job id, written paths, problems (figures left out...)
    export_needs_overwrite = Signal(int, list)  # job id, existing paths (nothing was written)
    export_failed = Signal(int, str)  # job id, message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._running = threading.Event()  # cleared before the final signal, so a follow-up can start

    @property
    def busy(self) -> bool:
        return self._running.is_set()

    def start(self, job: ExportJob, project: Project) -> bool:
        if self.busy:
            return False
        snap = snapshot(project, job.document_ids)
        if self._thread is not None:
            self._thread.join()  # it has emitted its last signal already
        self._running.set()
        self._thread = threading.Thread(target=self._run, args=(job, snap), name="export", daemon=True)
        self._thread.start()
        return True

    def _run(self, job: ExportJob, project: Project) -> None:
        try:
            self._export(job, project)
        finally:
            self._running.clear()

    def _export(self, job: ExportJob, project: Project) -> None:
        try:
            written = write(
                job, project, lambda f, m: self.export_progress.emit(job.job_id, f, translated(m))
            )
        except Exception as exc:
            existing = existing_outputs(exc)
            if existing and job.policy == "error":
                self._running.clear()
                self.export_needs_overwrite.emit(job.job_id, existing)
                return
            log.exception("Export %s failed", job.job_id)
            self._running.clear()
            self.export_failed.emit(job.job_id, translated(exc) or type(exc).__name__)
            return
        problems = [translated(p) for p in getattr(written, "problems", [])]
        self._running.clear()
        self.export_finished.emit(job.job_id, [str(p) for p in written], problems)

    def wait(self, timeout: float = 30.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
