"""Region requests on the reading loop's thread: read one region of a page, locate a phrase. No Qt.

Requests (:class:`~desktop_ocr.reading.jobs.RegionJob`) wait in their own queue, each with its own
cancel event; the OCR worker answers them before it reads the next batch of pages (or while
paused). The work itself is :mod:`desktop_ocr.engine.region`; this module renders the page as a
page read would and reports every outcome to a :class:`RegionListener`.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import threading
from collections.abc import Callable

from desktop_ocr.engine import region
from desktop_ocr.engine.base import Engine, PageFailure
from desktop_ocr.messages import QT_TRANSLATE_NOOP, message_of
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.reading.jobs import Opener, RegionJob, render_snapshot
from desktop_ocr.reading.runner import render_failure

log = logging.getLogger(__name__)


class RegionListener:
    """What region requests answer (each method does nothing unless overridden); the loop's thread."""

    def region_read(self, request_id: int, page_id: str, result: PageResult) -> None:
        pass

    def located(self, request_id: int, page_id: str, boxes: list[Box]) -> None:
        pass

    def region_failed(self, request_id: int, page_id: str, message: str) -> None:
        pass

    def region_cancelled(self, request_id: int, page_id: str) -> None:
        pass


def unavailable(reason: str) -> str:
    return QT_TRANSLATE_NOOP("RegionRunner", "The OCR engine is not available: {reason}").format(
        reason=reason
    )


class RegionRunner:
    """Waiting region requests and how they are answered. Commands are safe from any thread."""

    def __init__(self, listener: RegionListener, stopping: threading.Event | None = None) -> None:
        self.listener = listener
        self.stopping = stopping or threading.Event()
        self._lock = threading.Lock()
        self._waiting: collections.deque[RegionJob] = collections.deque()
        self._cancel: dict[int, threading.Event] = {}

    # -- commands (any thread) -------------------------------------------------------------------
    def enqueue(self, job: RegionJob) -> None:
        with self._lock:
            self._waiting.append(job)
            self._cancel[job.request_id] = threading.Event()

    def cancel(self, request_id: int) -> None:
        """Drop a waiting request or stop the one running (``region_cancelled`` follows)."""
        with self._lock:
            event = self._cancel.get(request_id)
        if event is not None:
            event.set()

    def cancel_all(self) -> None:
        with self._lock:
            events = list(self._cancel.values())
        for event in events:
            event.set()

    # -- the loop's thread -----------------------------------------------------------------------
    def run_waiting(
        self,
        engine_for: Callable[[], Engine | None],
        renderer_for: Callable[[Opener], PageRenderer],
        why_unavailable: Callable[[], str],
    ) -> bool:
        """Answer every waiting request; True when there was one. ``engine_for()`` is asked only
        when a request needs the engine (a job running passes its own: never another one)."""
        ran = False
        while not self.stopping.is_set():
            with self._lock:
                if not self._waiting:
                    break
                job = self._waiting.popleft()
                cancel = self._cancel.get(job.request_id) or threading.Event()
            ran = True
            try:
                self._run(job, cancel, engine_for, renderer_for, why_unavailable)
            except Exception as exc:  # every error becomes an answer
                log.exception("Region request %d failed", job.request_id)
                message = QT_TRANSLATE_NOOP("RegionRunner", "The region could not be read: {error}")
                self.listener.region_failed(
                    job.request_id, job.page.page_id, message.format(error=message_of(exc))
                )
            finally:
                with self._lock:
                    self._cancel.pop(job.request_id, None)
        return ran

    def fail_waiting(self, reason: str) -> None:
        """The engine could not be loaded: every waiting request fails with ``reason``."""
        with self._lock:
            jobs = list(self._waiting)
            self._waiting.clear()
            self._cancel.clear()
        for job in jobs:
            self.listener.region_failed(job.request_id, job.page.page_id, unavailable(reason))

    def _run(
        self,
        job: RegionJob,
        cancel: threading.Event,
        engine_for: Callable[[], Engine | None],
        renderer_for: Callable[[Opener], PageRenderer],
        why_unavailable: Callable[[], str],
    ) -> None:
        request_id, page_id, listener = job.request_id, job.page.page_id, self.listener
        if cancel.is_set():
            listener.region_cancelled(request_id, page_id)
            return
        engine = engine_for()
        if engine is None:
            listener.region_failed(request_id, page_id, unavailable(why_unavailable()))
            return
        try:
            image = render_snapshot(renderer_for(job.opener), job.page)
        except Exception as exc:
            listener.region_failed(request_id, page_id, render_failure(job.page, exc).message)
            return
        found: PageResult | PageFailure | list[Box]
        if job.kind == "locate":
            found = region.locate(
                engine, image, job.phrase, key=page_id, mode=job.options.mode, cancel=cancel
            )
        elif job.box is not None:
            found = region.read_region(engine, image, job.box, job.options, key=page_id, cancel=cancel)
        else:
            raise ValueError(f"unknown region request {job.kind!r}")
        if cancel.is_set() or (isinstance(found, PageFailure) and found.reason == "cancelled"):
            listener.region_cancelled(request_id, page_id)
        elif isinstance(found, PageFailure):
            listener.region_failed(request_id, page_id, found.message)
        elif isinstance(found, PageResult):
            extra = {**found.extra, "rotation": job.page.rotation, "dpi": job.page.dpi}
            listener.region_read(request_id, page_id, dataclasses.replace(found, extra=extra))
        else:
            listener.located(request_id, page_id, list(found))
