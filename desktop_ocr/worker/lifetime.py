"""Workers whose thread did not stop in time are kept alive: never destroyed under a running thread.

Destroying a QThread that still runs, or the QObject living in it, kills the process natively: Qt
aborts, or the thread (inside an ONNX Runtime or PyMuPDF call) comes back to freed memory and
segfaults. A worker whose ``shutdown`` timed out is therefore referenced here until its thread ends;
:func:`wait_for_stuck` lets the app wait for them before the interpreter goes away.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QThread

log = logging.getLogger(__name__)

_stuck: list[tuple[QObject, QThread]] = []


def keep_alive_while_running(worker: QObject, thread: QThread) -> None:
    """Keep ``worker`` and ``thread`` referenced until :func:`wait_for_stuck` sees the thread end."""
    _stuck.append((worker, thread))


def wait_for_stuck(timeout_ms: int) -> bool:
    """Wait (up to ``timeout_ms`` each) for the threads of workers that did not stop in time;
    True when none is left running. The ones that ended are let go."""
    still = []
    for worker, thread in _stuck:
        if thread.isRunning() and not thread.wait(timeout_ms):
            log.error("Worker thread %s is still running", thread.objectName() or thread)
            still.append((worker, thread))
    _stuck[:] = still
    return not still
