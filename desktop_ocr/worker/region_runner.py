"""The OCR worker's region requests (a mixin of ``OcrWorker``): read a region, locate a phrase.

Requests (:class:`~desktop_ocr.worker.jobs.RegionJob`) wait in their own queue, each with its own
cancel event, and the worker answers them before it reads the next batch of pages (or while paused).
The work itself is :mod:`desktop_ocr.engine.region`; this module renders the page as a page read
would, and turns every outcome into one of the worker's signals (``region_read``, ``located``,
``region_failed``, ``region_cancelled``, declared on ``OcrWorker``).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import TYPE_CHECKING

from desktop_ocr.engine import region
from desktop_ocr.engine.base import Engine, PageFailure
from desktop_ocr.i18n import translated
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import SourceError
from desktop_ocr.reading.jobs import render_job
from desktop_ocr.worker.jobs import RegionJob

if TYPE_CHECKING:
    from desktop_ocr.worker.ocr_worker import OcrWorker as _Base
else:
    _Base = object

log = logging.getLogger(__name__)


class RegionRunnerMixin(_Base):
    """Queue, cancel and answer region requests."""

    # -- commands (any thread) -------------------------------------------------------------------
    def enqueue_region(self, job: RegionJob) -> None:
        """Read a region or locate a phrase next (after the batch being read now)."""
        with self._lock:
            self._regions.append(job)
            self._region_cancel[job.request_id] = threading.Event()
        self._wake.emit()

    def cancel_region(self, request_id: int) -> None:
        """Drop a waiting region request or stop the one running (``region_cancelled`` follows)."""
        with self._lock:
            event = self._region_cancel.get(request_id)
        if event is not None:
            event.set()

    def cancel_regions(self) -> None:
        with self._lock:
            events = list(self._region_cancel.values())
        for event in events:
            event.set()

    # -- worker thread ----------------------------------------------------------
    def _run_regions(self, engine: Engine | None = None) -> bool:
        """Answer every waiting region request; True when there was one. A job running passes
        its own ``engine``: a request never loads another one in the middle of a job."""
        ran = False
        while not self._stopping.is_set():
            with self._lock:
                if not self._regions:
                    break
                job = self._regions.popleft()
                cancel = self._region_cancel.get(job.request_id) or threading.Event()
            ran = True
            try:
                self._run_region(job, cancel, engine)
            except Exception as exc:  # every error becomes a signal
                log.exception("Region request %d failed", job.request_id)
                self.region_failed.emit(
                    job.request_id,
                    job.page.page_id,
                    self.tr("The region could not be read: {error}").format(error=translated(exc)),
                )
            finally:
                with self._lock:
                    self._region_cancel.pop(job.request_id, None)
        return ran

    def _fail_regions(self) -> None:
        with self._lock:
            jobs = list(self._regions)
            self._regions.clear()
            self._region_cancel.clear()
        message = self.tr("The OCR engine is not available: {reason}").format(reason=self._engine_error)
        for job in jobs:
            self.region_failed.emit(job.request_id, job.page.page_id, message)

    def _run_region(self, job: RegionJob, cancel: threading.Event, engine: Engine | None) -> None:
        request_id, page_id = job.request_id, job.page.page_id
        if cancel.is_set():
            self.region_cancelled.emit(request_id, page_id)
            return
        engine = engine or self._ensure_engine()
        if engine is None:
            message = self.tr("The OCR engine is not available: {reason}")
            self.region_failed.emit(request_id, page_id, message.format(reason=self._engine_error))
            return
        try:
            image = render_job(self._renderer_for(job.opener), job.page)
        except SourceError as exc:
            message = self.tr("{page}: {reason}").format(page=job.page.label, reason=translated(exc.reason))
            self.region_failed.emit(request_id, page_id, message)
            return
        except Exception as exc:
            log.warning("Rendering %s failed", job.page.label, exc_info=True)
            message = self.tr("{page} could not be rendered ({error})")
            error = translated(exc)
            self.region_failed.emit(request_id, page_id, message.format(page=job.page.label, error=error))
            return
        if job.kind == "locate":
            found = region.locate(
                engine, image, job.phrase, key=page_id, mode=job.options.mode, cancel=cancel
            )
        elif job.box is not None:
            found = region.read_region(engine, image, job.box, job.options, key=page_id, cancel=cancel)
        else:
            raise ValueError(f"unknown region request {job.kind!r}")
        if cancel.is_set() or (isinstance(found, PageFailure) and found.reason == "cancelled"):
            self.region_cancelled.emit(request_id, page_id)
        elif isinstance(found, PageFailure):
            self.region_failed.emit(request_id, page_id, translated(found.message))
        elif isinstance(found, PageResult):
            extra = {**found.extra, "rotation": job.page.rotation, "dpi": job.page.dpi}
            self.region_read.emit(request_id, page_id, dataclasses.replace(found, extra=extra))
        else:
            self.located.emit(request_id, page_id, list(found))
