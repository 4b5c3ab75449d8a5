"""Run one asyncio coroutine (a download, a hub query) for a widget and report back through Qt signals.

When the app runs its Qt event loop through qasync, the coroutine is a task on that loop (same thread,
no extra thread). Without a running asyncio loop (a plain ``app.exec()``, some tests) it runs on an
event loop of its own in a QThread. Either way the widget sees the same signals, delivered on the GUI
thread, and cancels with ``cancel()`` (task cancellation). Never used for inference.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

from desktop_ocr.i18n import translated
from desktop_ocr.setup.download import DownloadError

log = logging.getLogger(__name__)

Report = Callable[[Any], None]
Factory = Callable[[Report], Awaitable[Any]]


class _LoopThread(QThread):
    def __init__(self, job: AsyncJob, factory: Factory) -> None:
        super().__init__()
        self._job, self._factory = job, factory
        self.loop: asyncio.AbstractEventLoop | None = None
        self.task: asyncio.Task[Any] | None = None
        self.cancel_requested = False

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        finally:
            self.loop = None

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.task = asyncio.ensure_future(self._job._run(self._factory))
        if self.cancel_requested:
            self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)

    def cancel(self) -> None:
        self.cancel_requested = True
        loop, task = self.loop, self.task
        if loop is not None and task is not None:
            with contextlib.suppress(RuntimeError):  # the loop has just ended
                loop.call_soon_threadsafe(task.cancel)


class AsyncJob(QObject):
    """One coroutine at a time; ``progressed`` carries whatever the coroutine reports."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    #: Emitted last, whatever the outcome.
    finished = Signal()
    # Thread mode hands Python objects over through a queue and wakes the GUI thread with this
    # argument-free signal: no Python object ever crosses threads inside a queued Qt signal.
    _posted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: asyncio.Task[Any] | None = None
        self._thread: _LoopThread | None = None
        self._running = False
        self._queue: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._posted.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def task(self) -> asyncio.Task[Any] | None:
        """The asyncio task when running on the app's (qasync) loop; None in thread mode."""
        return self._task

    def start(self, factory: Factory) -> None:
        """Start ``factory(report)``; ``report(x)`` emits ``progressed(x)``."""
        if self._running:
            raise RuntimeError("this job is already running")
        self._running = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:
            self._task = loop.create_task(self._run(factory, threaded=False))
            return
        self._thread = _LoopThread(self, factory)
        self._thread.finished.connect(self._thread_done)
        self._thread.start()

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self._thread is not None:
            self._thread.cancel()

    def wait(self, ms: int = 5000) -> bool:
        """Thread mode: block until the loop thread has ended (used when a dialog closes)."""
        return self._thread.wait(ms) if self._thread is not None else True

    async def _run(self, factory: Factory, threaded: bool = True) -> None:
        def post(kind: str, payload: Any = None) -> None:
            if threaded:
                self._queue.put((kind, payload))
                self._posted.emit()
            else:
                self._deliver(kind, payload)

        try:
            result = await factory(lambda item: post("progress", item))
        except asyncio.CancelledError:
            post("cancelled")
        except DownloadError as exc:
            post("failed", translated(exc))
        except Exception as exc:  # every failure becomes a message, never a traceback
            log.exception("Background job failed")
            post(
                "failed",
                QCoreApplication.translate("AsyncJob", "Unexpected error: {error}").format(
                    error=translated(exc)
                ),
            )
        else:
            post("succeeded", result)
        if not threaded:
            self._running = False
            self._task = None
            self.finished.emit()

    def _drain(self) -> None:
        while True:
            try:
                kind, payload = self._queue.get_nowait()
            except queue.Empty:
                return
            self._deliver(kind, payload)

    def _deliver(self, kind: str, payload: Any) -> None:
        try:
            self._emit(kind, payload)
        except RuntimeError:  # the widget that owned this job has been deleted meanwhile
            log.debug("Job result dropped: its owner is gone")

    def _emit(self, kind: str, payload: Any) -> None:
        if kind == "progress":
            self.progressed.emit(payload)
        elif kind == "succeeded":
            self.succeeded.emit(payload)
        elif kind == "failed":
            self.failed.emit(payload)
        elif kind == "cancelled":
            self.cancelled.emit()

    def _thread_done(self) -> None:
        self._drain()
        self._thread = None
        self._running = False
        self.finished.emit()
