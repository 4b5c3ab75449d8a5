"""The OCR worker: one long-lived QObject in its own QThread that owns the engine and reads pages.

The reading itself is the Qt-free reading loop (:class:`desktop_ocr.reading.runner.PageReader`);
this object gives it a thread, loads the engine there, answers region requests between batches and
turns the loop's callbacks into signals (queued to the GUI thread). The GUI thread talks to it only
through thread-safe methods (``enqueue``, ``cancel_*``, ``pause``, ``resume``, ``set_engine``).
Every exception inside becomes a ``page_failed``/``job_failed``/``engine_failed`` signal.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_ocr.engine.base import Engine, EngineCancelled, EngineError
from desktop_ocr.i18n import translated
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.reading.region_runner import RegionListener, RegionRunner
from desktop_ocr.reading.runner import PageReader, ReadingListener
from desktop_ocr.worker.jobs import OcrJob, Opener, RegionJob
from desktop_ocr.worker.lifetime import keep_alive_while_running

log = logging.getLogger(__name__)

EngineFactory = Callable[[], Engine]

# How much the reading thread (and the engine's threads) yield to others, as a Linux nice value.
# 0, as the command line reads: at 10 the window read 0.7 pages/min beside two busy processes
# where the command line read 2.6 (27%); at 0 it keeps up with it (benchmarks/bench_loaded_reading.py,
# benchmarks/results/gui_responsiveness.md). The GUI stays responsive by doing little per event
# (streamed text coalesced, highlighting and the preview in slices), not by starving the reading.
READING_NICENESS = 0


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


class _Signals(ReadingListener):
    """The reading loop's callbacks as the worker's signals (messages translated here)."""

    def __init__(self, worker: OcrWorker) -> None:
        self.w = worker

    def job_started(self, job_id: int, pages: int) -> None:
        self.w._side.job_started.emit(job_id, pages)

    def page_started(self, job_id: int, page_id: str) -> None:
        self.w._side.page_started.emit(job_id, page_id)

    def text_streamed(self, page_id: str, delta: str) -> None:
        self.w._side.text_streamed.emit(page_id, delta)

    def block_completed(self, page_id: str, block: Block) -> None:
        self.w._side.block_completed.emit(page_id, block)

    def page_finished(self, job_id: int, page_id: str, result: PageResult) -> None:
        self.w._side.page_finished.emit(job_id, page_id, result)

    def page_failed(self, job_id: int, page_id: str, message: str, reason: str) -> None:
        self.w._side.page_failed.emit(job_id, page_id, translated(message), reason)

    def page_cancelled(self, job_id: int, page_id: str) -> None:
        self.w._side.page_cancelled.emit(job_id, page_id)

    def progress_changed(self, done: int, total: int, eta_s: float) -> None:
        self.w._side.progress_changed.emit(done, total, eta_s)

    def pace_changed(self, seconds_per_page: float) -> None:
        self.w._side.pace_changed.emit(seconds_per_page)

    def job_finished(self, job_id: int, cancelled: bool) -> None:
        self.w._side.job_finished.emit(job_id, cancelled)

    def paused_changed(self, paused: bool) -> None:
        self.w._side.paused_changed.emit(paused)


class _RegionSignals(RegionListener):
    """Region answers as the worker's signals (messages translated here)."""

    def __init__(self, worker: OcrWorker) -> None:
        self.w = worker

    def region_read(self, request_id: int, page_id: str, result: PageResult) -> None:
        self.w._side.region_read.emit(request_id, page_id, result)

    def located(self, request_id: int, page_id: str, boxes: list[Box]) -> None:
        self.w._side.located.emit(request_id, page_id, boxes)

    def region_failed(self, request_id: int, page_id: str, message: str) -> None:
        self.w._side.region_failed.emit(request_id, page_id, translated(message))

    def region_cancelled(self, request_id: int, page_id: str) -> None:
        self.w._side.region_cancelled.emit(request_id, page_id)


class _WorkerSignals(QObject):
    """The OCR worker's public signals (declared once for the worker and its thread's side)."""

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
    pace_changed = Signal(float)  # measured seconds per page
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


#: The names of the public signals.
_PUBLIC_SIGNALS = tuple(n for n, v in vars(_WorkerSignals).items() if isinstance(v, Signal))


class _ThreadSide(_WorkerSignals):
    """Lives in the worker thread: runs the worker's slots there and emits its signals from there.

    Each of its signals is connected to the same signal of the ``OcrWorker`` (which lives in the GUI
    thread), so every public signal is emitted on the GUI thread: whatever a widget or a test
    connects (a lambda, a plain function) runs there. A Python callable connected directly to a
    signal emitted in a worker thread would run in that worker thread (PySide6 gives it no thread
    of its own): a test's ``waitSignal`` then stopped the GUI thread's timer and event loop from
    the worker thread, a native crash of the suite now and then.
    """

    def __init__(self, worker: OcrWorker) -> None:
        super().__init__()
        self._worker = worker

    @Slot()
    def run_queue(self) -> None:
        self._worker._run_queue()

    @Slot()
    def stop(self) -> None:
        self._worker._on_stop()


class OcrWorker(_WorkerSignals):
    """Owns the engine; processes a queue of jobs page by page (or batch by batch).

    The object lives in the GUI thread; the engine, the reading loop and the region requests run
    in its own thread (through ``_ThreadSide``), and its signals arrive on the GUI thread.
    """

    _wake = Signal()
    _stop = Signal()

    def __init__(self, engine_name: str = "", engine_factory: EngineFactory | None = None) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._reader = PageReader(_Signals(self), between_pages=self._run_regions)
        self._regions = RegionRunner(_RegionSignals(self), self._reader.stopping)
        self._engine_error = ""  # why the engine last failed to load
        self._load_cancel = threading.Event()  # set by shutdown() so a long model load stops
        self._stopping = self._reader.stopping
        self._engine_name = engine_name
        self._engine_factory = engine_factory
        self._engine_changed = engine_factory is not None
        self._engine: Engine | None = None
        self._renderer: PageRenderer | None = None  # created and used in the worker thread only
        self._renderer_opener: Opener | None = None
        self._thread = QThread()
        self._thread.setObjectName("ocr-worker")
        self._side = _ThreadSide(self)
        self._side.moveToThread(self._thread)
        for name in _PUBLIC_SIGNALS:
            getattr(self._side, name).connect(getattr(self, name))
        self._wake.connect(self._side.run_queue)
        self._stop.connect(self._side.stop)

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
        self._reader.wake()
        self._stop.emit()
        ok = self._thread.wait(timeout_ms)
        if not ok:
            log.error("The OCR worker did not stop within %d ms", timeout_ms)
            keep_alive_while_running(self, self._thread)  # destroyed under the thread: a native crash
        return ok

    @property
    def worker_thread(self) -> QThread:
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
        self._reader.enqueue(job)
        self._wake.emit()

    def cancel_current_page(self) -> None:
        self._reader.cancel_current_page()

    def cancel_page(self, page_id: str) -> None:
        """Stop one page: skipped if still waiting, stopped if being read."""
        self._reader.cancel_page(page_id)

    def cancel_job(self, job_id: int) -> None:
        self._reader.cancel_job(job_id)

    def cancel_all(self) -> None:
        self._reader.cancel_all()

    def pause(self) -> None:
        """Take no new page; queued pages wait until :meth:`resume`."""
        self._reader.pause()

    def resume(self) -> None:
        self._reader.resume()

    @property
    def paused(self) -> bool:
        return self._reader.paused

    def progress(self) -> tuple[int, int, float]:
        """(pages done, pages in all, seconds left or -1) now (thread-safe)."""
        return self._reader.progress()

    @property
    def busy(self) -> bool:
        return self._reader.busy

    def enqueue_region(self, job: RegionJob) -> None:
        """Read a region or locate a phrase next (after the batch being read now)."""
        self._regions.enqueue(job)
        self._wake.emit()

    def cancel_region(self, request_id: int) -> None:
        """Drop a waiting region request or stop the one running (``region_cancelled`` follows)."""
        self._regions.cancel(request_id)

    def cancel_regions(self) -> None:
        self._regions.cancel_all()

    # -- worker thread -----------------------------------------------------------------------
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
                self._side.engine_failed.emit(self.tr("No OCR engine is configured."))
            return self._engine
        if self._engine is not None:
            try:
                self._engine.unload()
            except Exception:
                log.exception("Unloading the previous engine failed")
            self._engine = None
        self._side.engine_loading.emit(name)
        lower_thread_priority(READING_NICENESS)  # the engine's threads are made from here: they inherit it
        load_cancel = self._load_cancel = threading.Event()
        if self._stopping.is_set():
            load_cancel.set()
        try:
            engine = factory()
            engine.load(progress=self._report_load_progress, cancel=load_cancel)
        except EngineCancelled:
            self._engine_error = self.tr("Loading the engine was cancelled.")
            self._side.engine_failed.emit(self._engine_error)
            return None
        except EngineError as exc:
            self._engine_error = translated(exc)  # engine messages are Messages; signals carry plain str
            self._side.engine_failed.emit(self._engine_error)
            return None
        except Exception as exc:
            log.exception("Engine %s failed to load", name)
            self._engine_error = self.tr("The {name} engine could not be loaded: {error}").format(
                name=name or "OCR", error=translated(exc)
            )
            self._side.engine_failed.emit(self._engine_error)
            return None
        self._engine = engine
        gc.freeze()  # the engine's many objects: keep full GC passes (GUI stalls) short
        self._reader.reset_pace(engine.info.seconds_per_page_estimate)
        self._side.engine_loaded.emit(engine.info)
        return engine

    def _report_load_progress(self, fraction: float, message: str) -> None:
        self._side.engine_load_progress.emit(fraction, translated(message))

    def _run_queue(self) -> None:
        try:
            self._run_queue_inner()
        except Exception as exc:  # never let an exception escape into Qt's event loop
            log.exception("OCR worker loop failed")
            self._side.job_failed.emit(
                self._reader.current_job or 0,
                self.tr("Reading stopped because of an error: {error}").format(error=translated(exc)),
            )
            if self._reader.abandon_current():
                self._wake.emit()  # the other jobs still get read
            else:
                self._side.queue_drained.emit()

    def _run_queue_inner(self) -> None:
        if self._engine is None or self._engine_changed:
            engine = self._ensure_engine()
            if engine is None:
                self._fail_regions()
                self._fail_queue(self.tr("The OCR engine is not available."))
                return
            self._side.engine_ready_for_work.emit()
        took_jobs = False
        reader = self._reader
        while not self._stopping.is_set():
            self._run_regions()
            item = reader.next_job()
            if item is None:
                break
            took_jobs = True
            job, cancelled = item
            if cancelled:
                reader.finish_cancelled(job, list(job.pages))
                continue
            engine = self._ensure_engine()
            if engine is None:
                self._side.job_failed.emit(job.job_id, self.tr("The OCR engine is not available."))
                reader.count_done(len(job.pages))
                continue
            reader.run_job(engine, job, self._renderer_for(job.opener))
        idle = reader.job_done()
        # Only a wake that took jobs ends a reading run: region requests alone are no reading, and
        # a wake whose region request an earlier wake already answered finds nothing to do.
        if idle and took_jobs:
            self._side.queue_drained.emit()

    def _fail_queue(self, message: str) -> None:
        for job in self._reader.take_queue():
            self._side.job_failed.emit(job.job_id, message)
        self._side.queue_drained.emit()

    def _run_regions(self, engine: Engine | None = None) -> bool:
        """Answer every waiting region request; True when there was one. A job running passes
        its own ``engine``: a request never loads another one in the middle of a job."""
        return self._regions.run_waiting(
            lambda: engine or self._ensure_engine(), self._renderer_for, lambda: self._engine_error
        )

    def _fail_regions(self) -> None:
        self._regions.fail_waiting(self._engine_error)

    def _renderer_for(self, opener: Opener) -> PageRenderer:
        if self._renderer is None or self._renderer_opener is not opener:
            if self._renderer is not None:
                self._renderer.close()
            self._renderer = PageRenderer(opener)
            self._renderer_opener = opener
        return self._renderer
