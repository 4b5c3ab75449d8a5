"""Counts in the status bar and the progress line read as English: "1 page read", "2 pages read"
(not "1 page(s) read"). Driven through the real window with the embedded engine on real scan crops."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_trust_c11 import _click_page, _delete_with_key, import_files, three_crops

pytestmark = pytest.mark.gui


def test_reading_one_page_then_two_says_page_then_pages(window, qtbot, tmp_path):
    c = window.controller
    p1, p2, p3 = import_files(qtbot, window, three_crops(tmp_path))
    eta = window._eta

    _click_page(qtbot, window, p1)
    QTest.keyClick(window.page_list, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # Read Selected
    qtbot.waitUntil(lambda: eta.text().startswith("Reading done"), timeout=180000)
    assert eta.text() == "Reading done: 1 page read"
    assert c.project.page(p1).state.value == "read"

    _click_page(qtbot, window, p2)
    _click_page(qtbot, window, p3, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(window.page_list, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: eta.text() == "Reading done: 2 pages read", timeout=180000)
    assert [c.project.page(p).state.value for p in (p2, p3)] == ["read", "read"]

    _click_page(qtbot, window, p3)
    _delete_with_key(qtbot, window)
    qtbot.waitUntil(lambda: "deleted" in window.statusBar().currentMessage(), timeout=5000)
    assert window.statusBar().currentMessage() == "1 page deleted. Undo (Ctrl+Z) brings it back."
