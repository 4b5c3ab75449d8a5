"""The real main window for tests: opened over a real controller, closed without questions.

A module of its own (not conftest) so that any test module can import it by a unique name: a plain
``from conftest import`` finds whichever conftest module pytest imported first (tests/hostile has one
too), so a run of tests/qt and tests/hostile together failed to collect.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def flush_deletions(app: QCoreApplication, rounds: int = 3) -> None:
    """Deliver the posted events and run every pending ``deleteLater``."""
    for _ in range(rounds):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_window():
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


def close_window(w, c) -> None:
    """Close the window as a user would (no questions asked), stop the workers, delete the window."""
    w.editor.flush()
    c.cancel_all()
    c.discard_untitled()  # so that closing asks nothing
    w.close()
    c.shutdown()
    w.deleteLater()
    flush_deletions(QApplication.instance())


def take_from_editor_menu(qtbot, window, position: int, name: str) -> str:
    """Right-click the text at ``position`` and click the menu's action ``name`` (Qt's object name,
    e.g. 'edit-undo'); the action's text as shown."""
    text = window.editor.editor
    cur = text.textCursor()
    cur.setPosition(position)
    point = text.cursorRect(cur).center()
    seen: dict = {"tries": 200}

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if menu is None:
            seen["tries"] -= 1
            if seen["tries"] > 0:
                QTimer.singleShot(25, pick)
            return
        action = menu.findChild(QAction, name)
        seen["text"] = action.text()
        seen["enabled"] = action.isEnabled()
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    QTimer.singleShot(0, pick)
    # a right click: the press, then the context-menu event the window system makes of it
    viewport = text.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.RightButton, pos=point)
    QApplication.sendEvent(
        viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    )
    QTest.mouseRelease(viewport, Qt.MouseButton.RightButton, pos=point)
    qtbot.waitUntil(lambda: "text" in seen and QApplication.activePopupWidget() is None, timeout=5000)
    assert seen["enabled"]
    return seen["text"]
