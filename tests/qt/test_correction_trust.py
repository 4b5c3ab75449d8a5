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


def when_modal(kind, act, delay=100, tries=200):
    """Run ``act(box)`` on the next modal widget of ``kind`` once it is open (for ten seconds)."""
    left = [tries]

    def later() -> None:
        w = QApplication.activeModalWidget()
        if not isinstance(w, kind):
            left[0] -= 1
            if left[0] > 0:
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
    qtbot.waitUntil(lambda: c.reading.is_reading and c.paused, timeout=5000)
    qtbot.waitUntil(lambda: c.reading.reading_pages == [], timeout=60_000)
    waiting = c.reading.pages_waiting()
    assert waiting >= 4
    editor = window.editor.editor
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = window.editor.find_bar
    qtbot.waitUntil(bar.isVisible, timeout=2000)
    QTest.keyClicks(bar.find_edit, "Entry")
    QTest.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert c.reading.is_reading and c.reading.pages_waiting() == waiting
    # Esc in the Find in Document field clears the field, and nothing else
    field = window.review.search_panel.field
    window.review.search_dock.show()
    field.setFocus()
    QTest.keyClicks(field, "ledger")
    QTest.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "" and c.reading.is_reading and c.reading.pages_waiting() == waiting

    # Cancel Reading (Shift+Esc) asks first: answered Cancel, the queue stays; Stop empties it
    asked: list[str] = []
    when_modal(QMessageBox, lambda box: (asked.append(box.text()), click_button(box, "Cancel")))
    QTest.keyClick(editor, Qt.Key.Key_Escape, Qt.KeyboardModifier.ShiftModifier)
    assert asked and str(waiting) in asked[0]
    assert c.reading.is_reading and c.reading.pages_waiting() == waiting
    when_modal(QMessageBox, lambda box: click_button(box, "Stop Reading"))
    window.acts.cancel.trigger()
    assert not c.reading.is_reading and c.reading.pages_waiting() == 0
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
    assert c.reading.is_reading  # the pages after it are still read
    qtbot.waitUntil(lambda: not c.reading.is_reading, timeout=120_000)
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


REGION_PAGE = [
    [
        "Harbour Survey 1911",
        "The north pier was measured in April.",
        "Depth: 14 feet.",
        "The crane was moved twice in May of that year.",
    ]
]


def _block_with(layout, phrase: str) -> int:
    return next(i for i in range(len(layout)) if phrase in layout.block_text(i))


def _view_point(canvas, x: float, y: float) -> QPoint:
    """The viewport point of page position (x, y) in 0..999 units."""
    size = canvas.image_item().pixmap().size()
    return canvas.mapFromScene(QPointF(x / 999 * size.width(), y / 999 * size.height()))


def _draw_region_and_read(qtbot, window, region, shots=None):
    """Ctrl+drag ``region`` on the page, take the menu's Read Region; the menu's text and the
    outlined boxes as they were before the click."""
    canvas, c = window.canvas, window.controller
    seen: dict = {"tries": 400}

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if menu is None:
            seen["tries"] -= 1
            if seen["tries"] > 0:
                QTimer.singleShot(50, pick)
            return
        action = menu.actions()[0]
        seen["text"] = action.text()
        seen["outlined"] = canvas.replaced_outlines()
        if shots is not None:  # the outline as the user sees it before choosing, close up
            middle = canvas.mapToScene((start + end) / 2)
            canvas.set_zoom(canvas.zoom() * 2)
            canvas.centerOn(middle)
            canvas.grab().save(str(shots))
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    start, end = _view_point(canvas, region.x1, region.y1), _view_point(canvas, region.x2, region.y2)
    ctrl = Qt.KeyboardModifier.ControlModifier
    QTimer.singleShot(100, pick)
    with qtbot.waitSignal(c.region_read, timeout=60_000):
        QTest.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, ctrl, start)
        for k in range(1, 6):
            QTest.mouseMove(canvas.viewport(), start + (end - start) * k / 5)
        QTest.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, ctrl, end)
    return seen


def _export_md(qtbot, window, folder):
    c = window.controller
    with qtbot.waitSignal(c.export_finished, timeout=60_000):
        c.export([d.id for d in c.project.documents], folder, ["md"], c.settings.separator)
    return (folder / f"{c.project.documents[0].name}.md").read_text(encoding="utf-8")


def test_region_read_replaces_the_outlined_blocks_and_never_duplicates_text(qtbot, window, tmp_path):
    from desktop_ocr.model.geometry import Box

    doc = _import(qtbot, window, write_pdf(tmp_path / "survey.pdf", REGION_PAGE))
    _read(qtbot, window, doc.pages[0])
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)
    editor = window.editor
    layout = editor.block_layout()
    depth = layout.spans[_block_with(layout, "Depth")].boxes[0]
    crane = layout.spans[_block_with(layout, "crane")].boxes[0]
    n = len(layout)
    # all of the short line, and the first third of the long line below it
    third = crane.x1 + (crane.x2 - crane.x1) // 3
    region = Box(depth.x1 - 8, depth.y1 - 6, max(depth.x2, third) + 4, crane.y2 + 6)
    seen = _draw_region_and_read(qtbot, window, region, tmp_path / "region.png")
    assert "replaces the outlined block" in seen["text"].replace("&", "")
    assert seen["outlined"] == [depth]  # only the block mostly inside is outlined
    qtbot.waitUntil(lambda: "Depth" in editor.text() and len(editor.block_layout()) == n, timeout=5000)
    assert editor.text().count("crane") == 1 and editor.text().count("Depth") == 1
    assert not window.canvas.replaced_outlines()
    editor.flush()
    md = _export_md(qtbot, window, tmp_path / "out")
    assert md.count("crane") == 1 and md.count("Depth") == 1 and md.count("north pier") == 1

    # two thirds of the long line: that block is replaced, and read whole (none of it is lost)
    window.acts.undo.trigger()
    editor.flush()
    wide = Box(crane.x1 - 8, crane.y1 - 6, crane.x1 + (crane.x2 - crane.x1) * 2 // 3, crane.y2 + 6)
    assert not doc.pages[0].is_edited  # undone back to what was read: no question before replacing
    seen = _draw_region_and_read(qtbot, window, wide)
    assert seen["outlined"] == [crane]
    qtbot.waitUntil(lambda: len(editor.block_layout()) == n, timeout=5000)
    assert editor.text().count("crane") == 1 and "year" in editor.text()


def test_undo_back_to_the_read_text_is_not_an_edit(qtbot, window, tmp_path):
    c = window.controller
    doc = _import(qtbot, window, write_pdf(tmp_path / "survey.pdf", PAGES[:1]))
    page = doc.pages[0]
    _read(qtbot, window, page)
    editor = window.editor.editor
    original = window.editor.text()
    cur = editor.textCursor()
    cur.setPosition(original.index("north") + 5)
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.cursorRect(cur).center())
    QTest.keyClicks(editor, "ern")
    qtbot.waitUntil(lambda: page.is_edited, timeout=5000)  # stored after the typing pause
    assert page.state == PageState.EDITED and c.reading.edited_pages([page.id]) == [page.id]
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.text() == original
    qtbot.waitUntil(lambda: not page.is_edited, timeout=5000)
    assert page.state == PageState.READ and c.reading.edited_pages([page.id]) == []
    assert page_layout(page) == window.editor.block_layout()
    # and typing again makes it edited again
    QTest.keyClicks(editor, "!")
    qtbot.waitUntil(lambda: page.is_edited, timeout=5000)


def _export_through_the_dialog(qtbot, window, folder, answer: str) -> list[str]:
    """File > Export, Markdown only, into ``folder``; the question about pages without text is
    answered with ``answer`` (its text is returned)."""
    from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLineEdit

    from desktop_ocr.ui.dialogs import ExportDialog

    def fill(dlg) -> None:
        for box in dlg.findChildren(QCheckBox):
            want = box.text().startswith("Markdown")
            if box.isChecked() != want and box.isEnabled():
                QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        dlg.findChild(QLineEdit).setText(str(folder))
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    asked: list[str] = []
    when_modal(ExportDialog, fill)
    when_modal(QMessageBox, lambda box: (asked.append(box.text()), click_button(box, answer)), delay=400)
    window.acts.export.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    return asked


def test_export_warns_about_pages_without_text_and_names_them(qtbot, window, tmp_path):
    c = window.controller
    pages = [PAGES[0], PAGES[1], [], PAGES[2]]  # the third page is blank
    doc = _import(qtbot, window, write_pdf(tmp_path / "survey.pdf", pages))
    _read(qtbot, window, doc.pages[0])
    window.page_list.select_page(doc.pages[2].id)
    with qtbot.waitSignal(c.page_result_arrived, timeout=120_000):
        window.read([doc.pages[2].id])  # read: the engine finds no text on it
    assert doc.pages[2].state == PageState.READ and not doc.pages[2].text.strip()
    out = tmp_path / "out"

    asked = _export_through_the_dialog(qtbot, window, out, "Cancel")
    assert "3 of the 4 pages" in asked[0]
    assert "2 (never read)" in asked[0] and "3 (no text found)" in asked[0] and "4 (never read)" in asked[0]
    qtbot.wait(300)
    assert not out.exists() or not list(out.iterdir())

    asked = _export_through_the_dialog(qtbot, window, out, "Export Anyway")
    qtbot.waitUntil(lambda: (out / "survey.md").exists(), timeout=30_000)
    md = (out / "survey.md").read_text(encoding="utf-8")
    assert "north pier" in md and "Repairs" not in md
