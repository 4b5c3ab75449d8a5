"""Correction work a user can trust, in the real window on the embedded engine: keys, drops, region
reads and exports that never corrupt, duplicate or silently drop the user's text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sample_docs import write_pdf

from desktop_ocr.model.blocks import page_layout

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
