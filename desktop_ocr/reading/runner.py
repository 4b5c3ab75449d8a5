"""The one reading loop: jobs of pages fed to an engine, page by page as it has room. No Qt.

:class:`PageReader` runs on one thread (the OCR worker's in the GUI, the main thread in
``desktop-ocr convert``) and reports through a :class:`ReadingListener`. Commands (``enqueue``,
``cancel_*``, ``pause``, ``resume``) are safe from any thread. Pages are given to the engine through
:meth:`Engine.read_feed <desktop_ocr.engine.base.Engine.read_feed>`: an engine that reads batches
gets ``info.max_batch`` pages at a time, one that reads several pages side by side takes the next
page as soon as a slot frees. Rendering failures, engine errors and running out of memory become page
failures (reasons "render", "error", "oom"); cancelled pages are reported as cancelled, never as
results. The loop never touches a Project: :class:`desktop_ocr.reading.queue.ReadingQueue` does.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence

from desktop_ocr.engine.base import Engine, EngineCancelled, PageFailure, PageFeed, PageInput
from desktop_ocr.messages import QT_TRANSLATE_NOOP, joined, message_of
from desktop_ocr.model.result import Block, Completion, PageResult
from desktop_ocr.model.sources import PageRenderer, SourceError
from desktop_ocr.reading.jobs import OcrJob, PageSnapshot, render_snapshot
from desktop_ocr.reading.pace import Pace
from desktop_ocr.reading.text_layer import result_from_text_layer

log = logging.getLogger(__name__)

Outcome = PageResult | PageFailure

#: How often a paused loop looks for region requests and cancels (seconds).
PAUSE_POLL_S = 0.1


class ReadingListener:
    """What the reading loop reports; every method does nothing unless overridden.

    Called on the loop's thread, except ``paused_changed`` (on the thread that paused or resumed).
    Messages are :class:`desktop_ocr.messages.Message` (English; ``i18n.translated`` gives the user's
    language).
    """

    def job_started(self, job_id: int, pages: int) -> None:
        pass

    def page_started(self, job_id: int, page_id: str) -> None:
        pass

    def text_streamed(self, page_id: str, delta: str) -> None:
        pass

    def block_completed(self, page_id: str, block: Block) -> None:
        pass

    def page_finished(self, job_id: int, page_id: str, result: PageResult) -> None:
        pass

    def page_failed(self, job_id: int, page_id: str, message: str, reason: str) -> None:
        pass

    def page_cancelled(self, job_id: int, page_id: str) -> None:
        pass

    def progress_changed(self, done: int, total: int, eta_s: float) -> None:
        pass

    def pace_changed(self, seconds_per_page: float) -> None:
        pass

    def job_finished(self, job_id: int, cancelled: bool) -> None:
        pass

    def paused_changed(self, paused: bool) -> None:
        pass


def is_cancelled(outcome: Outcome) -> bool:
    if isinstance(outcome, PageFailure):
        return outcome.reason == "cancelled"
    return outcome.completion == Completion.CANCELLED


def render_failure(job: PageSnapshot, exc: Exception) -> PageFailure:
    """The failure of a page that could not be rendered (the file named, and why)."""
    if isinstance(exc, SourceError):
        return PageFailure(job.page_id, joined(job.label, exc.reason), "render")
    log.warning("Rendering %s failed", job.label, exc_info=exc)
    message = QT_TRANSLATE_NOOP("Reading", "{page} could not be rendered ({error})")
    return PageFailure(job.page_id, message.format(page=job.label, error=str(exc)), "render")


def engine_failures(keys: Sequence[str], exc: BaseException) -> list[PageFailure]:
    """What pages in flight become when the engine raised ``exc``."""
    if isinstance(exc, EngineCancelled):
        return [PageFailure(k, QT_TRANSLATE_NOOP("Reading", "Cancelled."), "cancelled") for k in keys]
    if isinstance(exc, MemoryError):
        oom = QT_TRANSLATE_NOOP("Reading", "Out of memory while reading this page.")
        return [PageFailure(k, oom, "oom", {"batch_size": 1}) for k in keys]
    failed = QT_TRANSLATE_NOOP("Reading", "The engine failed on this page: {error}").format(
        error=message_of(exc)
    )
    return [PageFailure(k, failed, "error") for k in keys]


class PageReader:
    """Jobs waiting to be read and the loop that reads them (see the module docstring).

    ``cancel``: an event that, once set, stops everything (the command line's Ctrl+C); it is then
    also the event the engine watches. ``between_pages(engine)``: called on the loop's thread
    whenever no page is in flight (before each batch, and while paused), e.g. to answer region
    requests with the job's engine. ``keep_finished_on_cancel``: a page the engine finished is
    reported as read even when a cancel came meanwhile (the command line keeps what was read; the GUI
    has already put such a page back, so it is reported as cancelled).
    """

    def __init__(
        self,
        listener: ReadingListener | None = None,
        *,
        cancel: threading.Event | None = None,
        between_pages: Callable[[Engine], object] | None = None,
        keep_finished_on_cancel: bool = False,
    ) -> None:
        self.listener = listener or ReadingListener()
        self.between_pages = between_pages
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._queue: collections.deque[OcrJob] = collections.deque()
        self._cancelled_jobs: set[int] = set()
        self._cancelled_pages: set[str] = set()
        self._current_job: int | None = None
        self._external_cancel = cancel is not None  # never cleared here: the caller's to set
        self._cancel_all = cancel or threading.Event()
        self._page_cancel = cancel or threading.Event()  # what the engine watches
        self._resume = threading.Event()
        self._resume.set()
        self._done = 0
        self._total = 0
        self._pace = Pace()
        self._run: _JobRun | None = None
        self.keep_finished_on_cancel = keep_finished_on_cancel

    # -- commands (any thread) -------------------------------------------------------------------
    def enqueue(self, job: OcrJob) -> None:
        with self._lock:
            self._queue.append(job)
            self._total += len(job.pages)
            if not self._external_cancel:
                self._cancel_all.clear()

    def cancel_current_page(self) -> None:
        """Stop the pages being read now (the batch, or every page in flight)."""
        self._page_cancel.set()

    def cancel_page(self, page_id: str) -> None:
        """Stop one page: skipped if still waiting, stopped if being read."""
        with self._lock:
            self._cancelled_pages.add(page_id)
        if self._in_flight_has(page_id):
            self._page_cancel.set()

    def cancel_job(self, job_id: int) -> None:
        with self._lock:
            self._cancelled_jobs.add(job_id)
            if self._current_job == job_id:
                self._page_cancel.set()

    def cancel_all(self) -> None:
        with self._lock:
            for job in self._queue:
                self._cancelled_jobs.add(job.job_id)
            if self._current_job is not None:
                self._cancelled_jobs.add(self._current_job)
            self._cancel_all.set()
            self._page_cancel.set()

    def pause(self) -> None:
        """Take no new page until :meth:`resume` (the pages in flight finish)."""
        if self._resume.is_set():
            self._resume.clear()
            with self._lock:
                self._pace.pause()
            self.listener.paused_changed(True)

    def resume(self) -> None:
        if not self._resume.is_set():
            with self._lock:
                self._pace.resume()
            self._resume.set()
            self.listener.paused_changed(False)

    def wake(self) -> None:
        """Let a paused loop return (used when stopping)."""
        self._resume.set()

    @property
    def paused(self) -> bool:
        return not self._resume.is_set()

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._current_job is not None or bool(self._queue)

    @property
    def current_job(self) -> int | None:
        with self._lock:
            return self._current_job

    def reset_pace(self, estimate: float) -> None:
        """A new engine: its own estimate until pages are measured."""
        with self._lock:
            self._pace.reset(estimate)

    # -- the loop (its own thread) -----------------------------------------------------------------
    def next_job(self) -> tuple[OcrJob, bool] | None:
        """The next job and whether it was cancelled while waiting; None (counts reset) when none."""
        with self._lock:
            if not self._queue:
                self._current_job = None
                self._done = self._total = 0
                self._pace.stop()
                return None
            job = self._queue.popleft()
            self._current_job = job.job_id
            return job, job.job_id in self._cancelled_jobs

    def job_done(self) -> bool:
        """The current job is over; True when no job waits."""
        with self._lock:
            self._current_job = None
            return not self._queue

    def take_queue(self) -> list[OcrJob]:
        """Empty the queue (the engine is not available); the jobs taken."""
        with self._lock:
            jobs = list(self._queue)
            self._queue.clear()
            self._done = self._total = 0
        return jobs

    def abandon_current(self) -> bool:
        """The loop failed in the middle of a job; True when more jobs wait (counts reset if not)."""
        with self._lock:
            self._current_job = None
            more = bool(self._queue)
            if not more:
                self._done = self._total = 0
        return more

    def count_done(self, n: int) -> None:
        with self._lock:
            self._done += n
        self._emit_progress()

    def progress(self) -> tuple[int, int, float]:
        """(pages done, pages in all, seconds left or -1) now; any thread (the GUI polls it)."""
        with self._lock:
            done, total = self._done, self._total
            return done, total, self._pace.eta(total - done)

    def time_left(self, remaining: int) -> float:
        """Seconds until ``remaining`` more pages are read, or -1 (:meth:`Pace.eta`, the one formula
        the window's status bar and ``desktop-ocr convert`` show); any thread."""
        with self._lock:
            return self._pace.eta(remaining)

    def _emit_progress(self) -> None:
        self.listener.progress_changed(*self.progress())

    def finish_cancelled(self, job: OcrJob, pages: Sequence[PageSnapshot]) -> None:
        for spec in pages:
            self.listener.page_cancelled(job.job_id, spec.page_id)
        self.count_done(len(pages))
        self.listener.job_finished(job.job_id, True)

    def _job_cancelled(self, job_id: int) -> bool:
        with self._lock:
            return job_id in self._cancelled_jobs or self.stopping.is_set() or self._cancel_all.is_set()

    def _wait_if_paused(self, engine: Engine) -> bool:
        """Block while paused (``between_pages`` still runs); False when cancelled meanwhile."""
        while not self._resume.wait(PAUSE_POLL_S):
            if self.between_pages is not None:
                self.between_pages(engine)
            if self._cancel_all.is_set() or self.stopping.is_set():
                return False
        return not self.stopping.is_set()

    def _in_flight_has(self, page_id: str) -> bool:
        run = self._run
        return run is not None and page_id in run.in_flight

    def run_job(self, engine: Engine, job: OcrJob, renderer: PageRenderer) -> None:
        """Read every page of ``job`` with ``engine``; every page gets exactly one answer."""
        self.listener.job_started(job.job_id, len(job.pages))
        self._emit_progress()
        with self._lock:
            self._pace.start()
        run = self._run = _JobRun(self, engine, job, renderer)
        try:
            while run.pending and not run.stopped:
                try:
                    engine.read_feed(run.feed, cancel=self._page_cancel)
                except Exception as exc:  # MemoryError included: those pages, not the app, fail
                    if not isinstance(exc, (EngineCancelled, MemoryError)):
                        log.exception("The engine failed on pages %s", list(run.in_flight))
                    for failure in engine_failures(list(run.in_flight), exc):
                        run.done(failure.key, failure)
                missing = QT_TRANSLATE_NOOP("Reading", "The engine returned no result for this page.")
                for key in list(run.in_flight):  # taken, never answered
                    run.done(key, PageFailure(key, missing, "error"))
                if not run.took:
                    break  # the engine took nothing: do not spin
        finally:
            self._run = None
        if run.pending:
            self.finish_cancelled(job, list(run.pending))
            return
        with self._lock:
            cancelled = job.job_id in self._cancelled_jobs
            self._cancelled_jobs.discard(job.job_id)
            self._cancelled_pages.difference_update(p.page_id for p in job.pages)
        self.listener.job_finished(job.job_id, cancelled)


class _JobRun:
    """One job being fed to the engine: the pages waiting and the pages in flight."""

    def __init__(self, reader: PageReader, engine: Engine, job: OcrJob, renderer: PageRenderer) -> None:
        self.reader = reader
        self.engine = engine
        self.job = job
        self.renderer = renderer
        self.pending: collections.deque[PageSnapshot] = collections.deque(job.pages)
        self.in_flight: dict[str, PageSnapshot] = {}
        self.stopped = False  # the job was cancelled (pages left in ``pending`` are cancelled)
        self.took = False  # a page was taken in this read_feed call
        listener = reader.listener
        self.feed = PageFeed(self.take, self.done, listener.text_streamed, listener.block_completed)

    def take(self) -> PageInput | None:
        reader, job = self.reader, self.job
        if not self.in_flight:
            self.took = False
            # Between batches: wait while paused, answer region requests, then a fresh cancel.
            if not reader._wait_if_paused(self.engine) or reader._job_cancelled(job.job_id):
                self.stopped = True
                return None
            if reader.between_pages is not None:
                reader.between_pages(self.engine)
            if reader._job_cancelled(job.job_id):
                self.stopped = True
                return None
            if not reader._external_cancel:  # the caller's event (Ctrl+C) is never cleared here
                reader._page_cancel.clear()
        elif reader.paused or reader._job_cancelled(job.job_id):
            return None  # finish the pages in flight first
        while self.pending:
            spec = self.pending.popleft()
            with reader._lock:
                skipped = spec.page_id in reader._cancelled_pages
            if skipped:
                reader.listener.page_cancelled(job.job_id, spec.page_id)
                reader.count_done(1)
                continue
            reader.listener.page_started(job.job_id, spec.page_id)
            if job.options.use_text_layer and self._read_text_layer(spec):
                continue
            try:  # a scan is read at its own resolution (capped), not the project's display DPI
                spec = dataclasses.replace(
                    spec, dpi=self.renderer.reading_dpi(spec.source_id, spec.kind, spec.index, spec.dpi)
                )
                image = render_snapshot(self.renderer, spec)
            except Exception as exc:
                failure = render_failure(spec, exc)
                reader.listener.page_failed(job.job_id, spec.page_id, failure.message, failure.reason)
                reader.count_done(1)
                continue
            self.in_flight[spec.page_id] = spec
            self.took = True
            return PageInput(spec.page_id, image, job.options)
        return None

    def _read_text_layer(self, spec: PageSnapshot) -> bool:
        """Answer a born-digital PDF page from its own text; False when it has none to use."""
        try:
            layer = self.renderer.text_lines(spec.source_id, spec.kind, spec.index)
        except Exception:  # a damaged text layer: read the image instead
            log.warning("The text layer of %s could not be read", spec.label, exc_info=True)
            return False
        if layer is None:
            return False
        result = result_from_text_layer(layer, spec.rotation, spec.dpi)
        self.in_flight[spec.page_id] = spec
        self.done(spec.page_id, result)
        return True

    def done(self, key: str, outcome: Outcome) -> None:
        reader, job = self.reader, self.job
        spec = self.in_flight.pop(key, None)
        if spec is None:
            log.warning("The engine answered for page %s, which it was not reading", key)
            return
        with reader._lock:
            reader._pace.page_done()
            pace = reader._pace.per_page
            page_cancelled = spec.page_id in reader._cancelled_pages
        reader.listener.pace_changed(pace)
        cancelled_now = reader._page_cancel.is_set() or page_cancelled or reader._job_cancelled(job.job_id)
        dropped = (
            isinstance(outcome, PageFailure) if reader.keep_finished_on_cancel else outcome_is_read(outcome)
        )
        if is_cancelled(outcome) or (cancelled_now and dropped):
            reader.listener.page_cancelled(job.job_id, spec.page_id)
        elif isinstance(outcome, PageResult):
            extra = {**outcome.extra, "rotation": spec.rotation, "dpi": spec.dpi}
            reader.listener.page_finished(job.job_id, spec.page_id, dataclasses.replace(outcome, extra=extra))
        else:
            reader.listener.page_failed(job.job_id, spec.page_id, outcome.message, outcome.reason)
        reader.count_done(1)


def outcome_is_read(outcome: Outcome) -> bool:
    """The engine got to the page (anything but a rendering failure)."""
    return not (isinstance(outcome, PageFailure) and outcome.reason == "render")
