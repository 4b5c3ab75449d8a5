"""Correction work a user can trust, in the real window on the embedded engine: keys, drops, region
reads and exports that never corrupt, duplicate or silently drop the user's text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sample_docs import write_pdf

from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.document import PageState

pytestmark = pytest.mark.gui

PAGES = [
    ["Harbour Survey 1911", "The north pier was measured in April.", "Depth at low water: 14 feet."],
    [
        "Second Report",
        "Repairs began on the east wall in May.",
        "The crane was moved twice.",
        "Stones were numbered before removal.",
    ],
    ["Final Notes", "All stones were numbered before removal.", "The survey closed in June."],
]


def _import(qtbot, window, path):
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(path)])
    return c.project.documents[-1]


def _read(qtbot, window, page):
    c = window.controller
    window.page_list.select_page(page.id)
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    with qtbot.waitSignal(c.page_result_arrived, timeout=120_000):
        window.read([page.id])
    qtbot.waitUntil(
        lambda: not window.editor.editor.isReadOnly() and len(window.editor.block_layout()) >= 3,
        timeout=10_000,
    )


def when_modal(kind, act, delay=100):
    """Run ``act(box)`` on the next modal widget of ``kind`` once it is open."""

    def later() -> None:
        w = QApplication.activeModalWidget()
        if not isinstance(w, kind):
            QTimer.singleShot(50, later)
            return
        act(w)

    QTimer.singleShot(delay, later)


def click_button(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _shape(layout):
    return [(s.label, s.boxes) for s in layout.spans]


def test_tab_after_changing_page_keeps_every_block(qtbot, window, tmp_path):
    doc = _import(qtbot, window, write_pdf(tmp_path / "survey.pdf", PAGES))
    second = doc.pages[1]
    _read(qtbot, window, second)
    editor = window.editor.editor
    before = window.editor.block_layout()
    for attempt in range(3):
        # click into the second block's text, go to the next page and back, press Tab
        start, _end = editor.block_range(1)
        cur = editor.textCursor()
        cur.setPosition(start + 3)
        rect = editor.cursorRect(cur)
        QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QTest.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: window.current_page_id() == doc.pages[2].id, timeout=5000)
        QTest.keyClick(window.focusWidget() or editor, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: window.current_page_id() == second.id, timeout=5000)
        editor.setFocus()
        QTest.keyClick(editor, Qt.Key.Key_Tab)
        qtbot.wait(50)
        after = window.editor.block_layout()
        assert after.text.count("\t") == attempt + 1
        assert _shape(after) == _shape(before), attempt
        window.editor.flush()
        assert _shape(page_layout(window.controller.project.page(second.id))) == _shape(before)
    # coming back to a page, the cursor is where the user left it
    assert window.editor.block_layout().block_text(1).startswith("Rep\t\t\tairs")


SIX = [[f"Page {i} of the ledger", f"Entry number {i} was checked.", "Nothing else here."] for i in range(6)]


def test_esc_closes_the_find_bar_and_never_cancels_the_queue(qtbot, window, tmp_path):
    c = window.controller
    doc = _import(qtbot, window, write_pdf(tmp_path / "ledger.pdf", SIX))
    first = doc.pages[0]
    _read(qtbot, window, first)
    ids = [p.id for p in doc.pages[1:]]
    window.read(ids)
    window.acts.pause.trigger()  # the queue waits after the page being read
    qtbot.waitUntil(lambda: c.is_reading and c.paused, timeout=5000)
    qtbot.waitUntil(lambda: c.reading.reading_page == "", timeout=60_000)
    waiting = c.pages_waiting()
    assert waiting >= 4
    editor = window.editor.editor
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.editor.find_bar
    qtbot.waitUntil(bar.isVisible, timeout=2000)
    QTest.keyClicks(bar.find_edit, "Entry")
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert c.is_reading and c.pages_waiting() == waiting

    # Cancel Reading (Shift+Esc) asks first: answered Cancel, the queue stays; Stop empties it
    asked: list[str] = []
    when_modal(QMessageBox, lambda box: (asked.append(box.text()), click_button(box, "Cancel")))
    QTest.keyClick(editor, Qt.Key.Key_Escape, Qt.KeyboardModifier.ShiftModifier)
    assert asked and str(waiting) in asked[0]
    assert c.is_reading and c.pages_waiting() == waiting
    when_modal(QMessageBox, lambda box: click_button(box, "Stop Reading"))
    window.acts.cancel.trigger()
    assert not c.is_reading and c.pages_waiting() == 0
    assert all(p.state == PageState.NOT_READ for p in doc.pages[1:])


def test_esc_cancels_only_the_page_being_read(qtbot, window, tmp_path):
    c = window.controller
    doc = _import(qtbot, window, write_pdf(tmp_path / "ledger.pdf", SIX[:4]))
    first = doc.pages[0]
    _read(qtbot, window, first)  # the engine is loaded: the next pages start at once
    editor = window.editor.editor
    started: list[str] = []
    c.page_reading_started.connect(started.append)
    window.read([p.id for p in doc.pages[1:]])
    qtbot.waitUntil(lambda: bool(started), timeout=30_000)
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    cancelled = started[0]
    assert c.is_reading  # the pages after it are still read
    qtbot.waitUntil(lambda: not c.is_reading, timeout=120_000)
    states = {p.id: p.state for p in doc.pages[1:]}
    assert states.pop(cancelled) == PageState.NOT_READ
    assert set(states.values()) == {PageState.READ}


def drop_files(window, widget, paths, pos: QPoint | None = None) -> bool:
    """Drag ``paths`` over ``widget`` (at ``pos``) and drop them, as Qt delivers a drop: to the
    widget under the point that takes drops. True if the drop was accepted."""
    at = widget.mapToGlobal(pos if pos is not None else widget.rect().center())
    target = window.childAt(window.mapFromGlobal(at)) or window
    while not target.acceptDrops() and not target.isWindow():
        target = target.parentWidget()
    local = target.mapFromGlobal(at)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    copy, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(local, copy, mime, left, none)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(local, copy, mime, left, none)
    QApplication.sendEvent(target, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(local), copy, mime, left, none)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def test_files_dropped_anywhere_are_imported_and_a_second_drop_asks(qtbot, window, tmp_path):
    c = window.controller
    doc = _import(qtbot, window, write_pdf(tmp_path / "survey.pdf", PAGES[:1]))
    page = doc.pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    editor = window.editor
    text_before = editor.text()
    other = write_pdf(tmp_path / "report.pdf", PAGES[1:])

    # on the editor: the file is imported, nothing is written into the page text
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        assert drop_files(window, editor.editor.viewport(), [other])
    assert [d.name for d in c.project.documents] == ["survey", "report"]
    window.editor.flush()
    assert editor.text() == text_before and "file:" not in editor.text()
    assert c.project.page(page.id).edited_text is None

    # on the page canvas (the biggest target): imported too
    third = write_pdf(tmp_path / "notes.pdf", PAGES[2:])
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        assert drop_files(window, window.canvas.viewport(), [third])
    assert len(c.project.documents) == 3

    # the same file again, on the page list: asked first; Skip adds nothing, Add a Copy adds one
    asked: list[str] = []
    when_modal(QMessageBox, lambda box: (asked.append(box.informativeText()), click_button(box, "Skip Them")))
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        assert drop_files(window, window.page_list.viewport(), [third])
    assert asked == ["notes"] and len(c.project.documents) == 3
    when_modal(QMessageBox, lambda box: click_button(box, "Add a Copy"))
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        assert drop_files(window, editor.editor.viewport(), [third, tmp_path / "survey.pdf"])
    assert [d.name for d in c.project.documents].count("notes") == 2
