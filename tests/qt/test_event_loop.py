"""The GUI's event loop is the asyncio loop (qasync): the app's asyncio I/O runs on it, in the GUI thread."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from PySide6.QtCore import QTimer

from desktop_ocr.app import run_event_loop
from desktop_ocr.ui.async_job import AsyncJob

pytestmark = pytest.mark.gui


def test_jobs_run_on_the_gui_loop_and_a_leftover_is_cancelled_at_quit(qapp) -> None:
    events: list[object] = []
    jobs: list[AsyncJob] = []

    async def forever(report):  # stands in for a download still running when the user quits
        events.append(("started", threading.current_thread() is threading.main_thread()))
        report("half")
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            events.append("cancelled")
            raise

    def start() -> None:
        job = AsyncJob()
        job.progressed.connect(events.append)
        job.start(forever)
        events.append(("on the loop", job.task is not None))
        jobs.append(job)
        QTimer.singleShot(100, qapp.quit)

    QTimer.singleShot(0, start)
    began = time.monotonic()
    status = run_event_loop(qapp)
    assert status == 0 and time.monotonic() - began < 5
    assert events == [("on the loop", True), ("started", True), "half", "cancelled"]
    assert not jobs[0].running
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
