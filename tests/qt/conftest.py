"""Qt test set-up: every test must leave no QThread running (as napari's conftest checks)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThread


@pytest.fixture(autouse=True)
def _no_thread_left_running(monkeypatch, qapp):
    """Record every QThread started during a test; fail the test if one still runs at its end."""
    started: list[QThread] = []
    original = QThread.start

    def start(self, *args, **kwargs):
        started.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", start)
    qapp.setProperty("desktop_ocr_test_mode", True)
    yield
    monkeypatch.setattr(QThread, "start", original)
    running = []
    for thread in started:
        try:
            if thread.isRunning() and not thread.wait(2000):
                running.append(thread.objectName() or repr(thread))
        except RuntimeError:  # the C++ object is already gone: it was stopped and deleted
            pass
    assert not running, f"QThreads left running after the test: {running}"


def _open_window():
    """The real main window over a real controller, on the embedded engine."""
    from desktop_ocr.settings import Settings
    from desktop_ocr.ui.main_window import MainWindow
    from desktop_ocr.worker.controller import Controller

    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    w = MainWindow(c)  # not qtbot.addWidget: pytest-qt would close it before our teardown
    w.show()
    return w, c


def _close_window(w, c) -> None:
    w.editor.flush()
    c.cancel_all()
    c.discard_untitled()  # so that closing asks nothing
    w.close()
    c.shutdown()


@pytest.fixture
def window(qtbot):
    """The real main window (embedded engine), closed without questions afterwards."""
    w, c = _open_window()
    yield w
    _close_window(w, c)
