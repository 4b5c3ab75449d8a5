"""Qt test set-up: every test must leave nothing behind (as napari's conftest checks).

After each test, :func:`_nothing_left_behind` fails the test that left a QThread or a Python
thread running, a top-level widget alive (after its ``deleteLater`` was processed) or an engine
session loaded. Leftovers are cleaned away at once so that the next test starts clean: a window
left alive receives the next test's events (a language change, a queued signal) through Python
wrappers that are half gone, which is how the suite used to crash natively.
"""

from __future__ import annotations

import threading
import weakref

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from qt_window import close_window, flush_deletions, open_window


def _describe(widget) -> str:  # type: ignore[no-untyped-def]
    try:
        title = widget.windowTitle()
        name = widget.objectName()
    except RuntimeError:
        return "<deleted widget>"
    return f"{type(widget).__name__}({name or title!r})"


def _visible_leftovers(app: QApplication, before: set[int]) -> list:  # type: ignore[type-arg]
    """Top-level widgets made during the test that are still alive."""
    import shiboken6

    return [
        w
        for w in app.topLevelWidgets()
        if shiboken6.getCppPointer(w)[0] not in before and type(w).__name__ != "QTipLabel"
    ]


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_on_the_gui_thread(qapp):
    """As in the app (``collect_garbage_on_gui_thread``): no collection in a worker thread."""
    import gc

    from desktop_ocr.app import collect_garbage_on_gui_thread

    timer = collect_garbage_on_gui_thread(qapp)
    yield
    timer.stop()
    gc.enable()


@pytest.fixture(autouse=True)
def _nothing_left_behind(monkeypatch, qapp):
    """Record threads and engines started during a test; fail the test if any outlives it."""
    import shiboken6

    from desktop_ocr.engine.embedded import EmbeddedEngine

    flush_deletions(qapp)
    widgets_before = {shiboken6.getCppPointer(w)[0] for w in qapp.topLevelWidgets()}
    all_before = {shiboken6.getCppPointer(w)[0] for w in qapp.allWidgets()}
    threads_before = set(threading.enumerate())
    started: list[QThread] = []
    engines: weakref.WeakSet[EmbeddedEngine] = weakref.WeakSet()
    original_start, original_load = QThread.start, EmbeddedEngine.load

    def start(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(self)
        return original_start(self, *args, **kwargs)

    def load(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        engines.add(self)
        return original_load(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", start)
    monkeypatch.setattr(EmbeddedEngine, "load", load)
    qapp.setProperty("desktop_ocr_test_mode", True)
    yield
    monkeypatch.setattr(QThread, "start", original_start)
    monkeypatch.setattr(EmbeddedEngine, "load", original_load)
    problems = []

    running = []
    for thread in started:
        try:
            if thread.isRunning() and not thread.wait(5000):
                running.append(thread.objectName() or repr(thread))
        except RuntimeError:  # the C++ object is already gone: it was stopped and deleted
            pass
    if running:
        problems.append(f"QThreads left running: {running}")

    for thread in set(threading.enumerate()) - threads_before:
        if isinstance(thread, threading._DummyThread):  # a QThread that ran Python: checked above
            continue
        thread.join(5.0)
        if thread.is_alive():
            problems.append(f"Python thread left running: {thread.name}")

    import gc

    gc.collect()  # on the GUI thread: what the test dropped goes now, not in a worker later
    flush_deletions(qapp)
    leftovers = _visible_leftovers(qapp, widgets_before)
    if leftovers:
        problems.append(f"top-level widgets left alive: {[_describe(w) for w in leftovers]}")
        for w in leftovers:
            w.close()
            w.deleteLater()
        flush_deletions(qapp)

    orphans = [w for w in qapp.allWidgets() if shiboken6.getCppPointer(w)[0] not in all_before]
    if orphans:  # widgets whose window is gone (or that never had one) but that are still alive
        problems.append(f"widgets left alive: {sorted(w.metaObject().className() for w in orphans)}")
        for w in orphans:
            w.deleteLater()
        flush_deletions(qapp)

    loaded = [e for e in list(engines) if e.loaded]
    if loaded:
        problems.append(f"engine sessions left loaded: {loaded}")
        for engine in loaded:
            engine.unload()
    assert not problems, "This test left things behind: " + "; ".join(problems)


@pytest.fixture
def window(qtbot):
    """The real main window (embedded engine), closed and deleted without questions afterwards."""
    w, c = open_window()
    yield w
    close_window(w, c)


@pytest.fixture
def preview_pane(qtbot):
    """A rendered-preview pane of 700 x 900, shown."""
    from desktop_ocr.ui.preview import PreviewPane

    w = PreviewPane()
    qtbot.addWidget(w)
    w.resize(700, 900)
    w.show()
    qtbot.waitExposed(w)
    return w
