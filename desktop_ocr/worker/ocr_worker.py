"""The OCR worker: one long-lived QObject in its own QThread that owns the engine and reads pages.

The GUI thread talks to it only through thread-safe methods (``enqueue``, ``cancel_*``, ``pause``,
``resume``, ``set_engine``) that put frozen :class:`~desktop_ocr.worker.jobs.OcrJob` snapshots in a
queue or set ``threading.Event`` flags; the worker answers with signals (queued to the GUI
thread). Every exception inside becomes a ``page_failed``/``job_failed``/``engine_failed`` signal.
"""

from __future__ import annotations

import collections
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_ocr import pipeline
from desktop_ocr.engine.base import Engine, EngineCancelled, EngineError, PageFailure
from desktop_ocr.i18n import translated
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.worker.jobs import OcrJob, Opener, PageJob, RegionJob
from desktop_ocr.worker.region_runner import RegionRunnerMixin

log = logging.getLogger(__name__)

EngineFactory = Callable[[], Engine]


def lower_thread_priority(niceness: int) -> None:
    """Make the calling thread (and threads it creates later) yield the CPU to the GUI thread.

    Linux applies ``setpriority`` to single threads; elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), niceness))
    except (OSError, AttributeError) as exc:
        log.debug("Could not lower the thread priority: %s", exc)


class OcrWorker(RegionRunnerMixin, QObject):
    """Owns the engine; processes a queue of jobs page by page (or batch by batch)."""

    engine_loading = Signal(str)  # engine name
    engine_load_progress = Signal(float, str)  # fraction (-1 unknown), message
    engine_loaded = Signal(object)  # EngineInfo
    engine_failed = Signal(str)  # message for the user
    job_started = Signal(int, int)  # job id, page count
    page_started = Signal(int, str)  # job id, page id
    text_streamed = Signal(str, str)  # page id, delta
    block_completed = Signal(str, object)  # page id, Block
    page_finished = Signal(int, str, object)  # job id, page id, PageResult
    page_failed = Signal(int, str, str, str)  # job id, page id, message, reason
    page_cancelled = Signal(int, str)  # job id, page id (partial results dropped)
    progress_changed = Signal(int, int, float)  # pages done, pages total, ETA seconds (-1 unknown)
    job_finished = Signal(int, bool)  # job id, cancelled
    job_failed = Signal(int, str)  # job id, message
    paused_changed = Signal(bool)
    queue_drained = Signal()
    engine_ready_for_work = Signal()  # the engine is loaded (after load_engine or a first job)
    # Region requests (RegionJob): answered before queued page reads, never stored.
    region_read = Signal(int, str, object)  # request id, page id, PageResult (boxes on the page)
    located = Signal(int, str, list)  # request id, page id, [Box] on the page ([]: not found)
    region_failed = Signal(int, str, str)  # request id, page id, message
    region_cancelled = Signal(int, str)  # request id, page id

    _wake = Signal()
    _stop = Signal()

    def __init__(self, engine_name: str = "", engine_factory: EngineFactory | None = None) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._queue: collections.deque[OcrJob] = collections.deque()
        self._regions: collections.deque[RegionJob] = collections.deque()
        self._region_cancel: dict[int, threading.Event] = {}
        self._engine_error = ""  # why the engine last failed to load
        self._cancelled_jobs: set[int] = set()
        self._page_cancel = threading.Event()
        self._cancel_all = threading.Event()
        self._load_cancel = threading.Event()  # set by shutdown() so a long model load stops
        self._resume = threading.Event()
        self._resume.set()
        self._stopping = threading.Event()
        self._engine_name = engine_name
        self._engine_factory = engine_factory
        self._engine_changed = engine_factory is not None
        self._engine: Engine | None = None
        self._current_job: int | None = None
        self._done = 0
        self._total = 0
        self._durations: collections.deque[float] = collections.deque(maxlen=20)
        self._estimate = 2.0
        self._renderer: PageRenderer | None = None  # created and used in the worker thread only
        self._renderer_opener: Opener | None = None
        self._thread = QThread()
        self._thread.setObjectName("ocr-worker")
        self.moveToThread(self._thread)
        self._wake.connect(self._run_queue)
        self._stop.connect(self._on_stop)

    # -- life cycle (GUI thread) ----------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything, unload the engine in its thread and stop the thread."""
        if not self._thread.isRunning():
            return True
        self._stopping.set()
        self._load_cancel.set()
        self.cancel_all()
        self.cancel_regions()
        self._resume.set()
        self._stop.emit()
        ok = self._thread.wait(timeout_ms)
        if not ok:
            log.error("The OCR worker did not stop within %d ms", timeout_ms)
        return ok

    @property
    def thread(self) -> QThread:
        return self._thread

    # -- commands (any thread) -----------------------------------------------------------------
    def set_engine(self, name: str, factory: EngineFactory) -> None:
        """Use another engine from the next job on (created and loaded in the worker thread)."""
        with self._lock:
            self._engine_name = name
            self._engine_factory = factory
            self._engine_changed = True

    def load_engine(self) -> None:
        """Load the engine now (instead of at the first job)."""
        self._wake.emit()

    def enqueue(self, job: OcrJob) -> None:
        with self._lock:
            self._queue.append(job)
            self._total += len(job.pages)
            self._cancel_all.clear()
        self._wake.emit()

    def cancel_current_page(self) -> None:
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
        """Stop after the current page; queued pages wait until :meth:`resume`."""
        if self._resume.is_set():
            self._resume.clear()
            self.paused_changed.emit(True)

    def resume(self) -> None:
        if not self._resume.is_set():
            self._resume.set()
            self.paused_changed.emit(False)

    @property
    def paused(self) -> bool:
        return not self._resume.is_set()

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._current_job is not None or bool(self._queue)

    # -- worker thread -----------------------------------------------------------------------
    @Slot()
    def _on_stop(self) -> None:
        try:
            if self._engine is not None:
                self._engine.unload()
        except Exception:
            log.exception("Unloading the engine failed")
        self._engine = None
        if self._renderer is not None:
            self._renderer.close()
        self._thread.quit()

    def _ensure_engine(self) -> Engine | None:
        with self._lock:
            changed, factory, name = self._engine_changed, self._engine_factory, self._engine_name
            self._engine_changed = False
        if not changed and self._engine is not None:
            return self._engine
        if factory is None:
            if self._engine is None:
                self.engine_failed.emit(self.tr("No OCR engine is configured."))
            return self._engine
        if self._engine is not None:
            try:
                self._engine.unload()
            except Exception:
                log.exception("Unloading the previous engine failed")
            self._engine = None
        self.engine_loading.emit(name)
        lower_thread_priority(10)  # the engine's own threads are made from here and inherit it
        load_cancel = self._load_cancel = threading.Event()
        if self._stopping.is_set():
            load_cancel.set()
        try:
            engine = factory()
            engine.load(progress=self._report_load_progress, cancel=load_cancel)
        except EngineCancelled:
            self._engine_error = self.tr("Loading the engine was cancelled.")
            self.engine_failed.emit(self._engine_error)
            return None
        except EngineError as exc:
            self._engine_error = translated(exc)  # engine messages are Messages; signals carry plain str
            self.engine_failed.emit(self._engine_error)
            return None
        except Exception as exc:
            log.exception("Engine %s failed to load", name)
            self._engine_error = self.tr("The {name} engine could not be loaded: {error}").format(
                name=name or "OCR", error=translated(exc)
            )
            self.engine_failed.emit(self._engine_error)
            return None
        self._engine = engine
        gc.freeze()  # the engine's many objects: keep full GC passes (GUI stalls) short
        self._estimate = max(0.1, engine.info.seconds_per_page_estimate)
        self._durations.clear()
        self.engine_loaded.emit(engine.info)
        return engine

    def _report_load_progress(self, fraction: float, message: str) -> None:
        self.engine_load_progress.emit(fraction, translated(message))

    def _eta(self, remaining: int) -> float:
        per_page = sum(self._durations) / len(self._durations) if self._durations else self._estimate
        return per_page * remaining

    def _emit_progress(self) -> None:
        with self._lock:
            done, total = self._done, self._total
        self.progress_changed.emit(done, total, self._eta(max(0, total - done)))

    def _count_done(self, n: int) -> None:
        with self._lock:
            self._done += n
        self._emit_progress()

    def _wait_if_paused(self, engine: Engine) -> bool:
        """Block while paused (region requests are still answered, with the job's ``engine``);
        False when everything was cancelled meanwhile."""
        while not self._resume.wait(0.1):
            self._run_regions(engine)
            if self._cancel_all.is_set() or self._stopping.is_set():
                return False
        return not self._stopping.is_set()

    @Slot()
    def _run_queue(self) -> None:
        try:
            self._run_queue_inner()
        except Exception as exc:  # never let an exception escape into Qt's event loop
            log.exception("OCR worker loop failed")
            self.job_failed.emit(
                self._current_job or 0,
                self.tr("Reading stopped because of an error: {error}").format(error=translated(exc)),
            )
            with self._lock:
                self._current_job = None
                more = bool(self._queue)
                if not more:
                    self._done = self._total = 0
            if more:
                self._wake.emit()  # the other jobs still get read
            else:
                self.queue_drained.emit()

    def _run_queue_inner(self) -> None:
        if self._engine is None or self._engine_changed:
            engine = self._ensure_engine()
            if engine is None:
                self._fail_regions()
                self._fail_queue(self.tr("The OCR engine is not available."))
                return
            self.engine_ready_for_work.emit()
        ran_regions = ran_pages = False
        while not self._stopping.is_set():
            ran_regions = self._run_regions() or ran_regions
            with self._lock:
                if not self._queue:
                    self._current_job = None
                    self._done = self._total = 0
                    break
                job = self._queue.popleft()
                cancelled = job.job_id in self._cancelled_jobs
                self._current_job = job.job_id
            if cancelled:
                self._finish_cancelled(job, list(job.pages))
                continue
            engine = self._ensure_engine()
            if engine is None:
                self.job_failed.emit(job.job_id, self.tr("The OCR engine is not available."))
                self._count_done(len(job.pages))
                continue
            ran_pages = True
            self._run_job(engine, job)
        with self._lock:
            self._current_job = None
            idle = not self._queue
        if idle and not (ran_regions and not ran_pages):  # region requests alone are no reading
            self.queue_drained.emit()

    def _fail_queue(self, message: str) -> None:
        with self._lock:
            jobs = list(self._queue)
            self._queue.clear()
            self._done = self._total = 0
        for job in jobs:
            self.job_failed.emit(job.job_id, message)
        self.queue_drained.emit()

    def _finish_cancelled(self, job: OcrJob, pages: list[PageJob]) -> None:
        for spec in pages:
            self.page_cancelled.emit(job.job_id, spec.page_id)
        self._count_done(len(pages))
        self.job_finished.emit(job.job_id, True)

    def _job_cancelled(self, job_id: int) -> bool:
        with self._lock:
            return job_id in self._cancelled_jobs or self._stopping.is_set()

    def _run_job(self, engine: Engine, job: OcrJob) -> None:
        self.job_started.emit(job.job_id, len(job.pages))
        self._emit_progress()
        batch_size = max(1, engine.info.max_batch)
        pending = list(job.pages)
        while pending:
            if not self._wait_if_paused(engine) or self._job_cancelled(job.job_id):
                self._finish_cancelled(job, pending)
                return
            self._run_regions(engine)  # waiting region requests go before the next batch
            if self._job_cancelled(job.job_id):
                self._finish_cancelled(job, pending)
                return
            batch, pending = pending[:batch_size], pending[batch_size:]
            self._page_cancel.clear()
            self._read_batch(engine, job, batch)
        with self._lock:
            cancelled = job.job_id in self._cancelled_jobs
            self._cancelled_jobs.discard(job.job_id)
        self.job_finished.emit(job.job_id, cancelled)

    def _read_batch(self, engine: Engine, job: OcrJob, batch: list[PageJob]) -> None:
        """Render and read one batch through the pipeline the command line uses too."""
        renderer = self._renderer_for(job.opener)
        for page in batch:
            self.page_started.emit(job.job_id, page.page_id)
        started = time.monotonic()
        outcomes = pipeline.read_batch(
            engine,
            batch,
            renderer,
            job.options,
            on_text=self.text_streamed.emit,
            on_block=self.block_completed.emit,
            cancel=self._page_cancel,
        )
        read = [res for _, res in outcomes if not (isinstance(res, PageFailure) and res.reason == "render")]
        if read:
            self._durations.append((time.monotonic() - started) / len(read))
        cancelled_now = self._page_cancel.is_set() or self._job_cancelled(job.job_id)
        for page, res in outcomes:
            if (
                pipeline.is_cancelled(res)
                or (cancelled_now and not isinstance(res, PageFailure))
                or (cancelled_now and res.reason != "render")
            ):
                self.page_cancelled.emit(job.job_id, page.page_id)
            elif isinstance(res, PageResult):
                self.page_finished.emit(job.job_id, page.page_id, res)
            else:
                self.page_failed.emit(job.job_id, page.page_id, translated(res.message), res.reason)
        self._count_done(len(batch))

    def _renderer_for(self, opener: Opener) -> PageRenderer:
        if self._renderer is None or self._renderer_opener is not opener:
            if self._renderer is not None:
                self._renderer.close()
            self._renderer = PageRenderer(opener)
            self._renderer_opener = opener
        return self._renderer
