"""Issue 11 (behaviour a user expects): the log folder, the empty window, export and save-as proposals,
reading only what is not read yet, the progress line, undoable deletes (driven through the real window)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

pytestmark = pytest.mark.gui


def click_menu(qtbot, window, menu_title: str, action_text: str) -> None:
    """Open a menu of the menu bar and click one of its items, with the mouse."""
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    item = next(a for a in menu.actions() if a.text().replace("&", "").startswith(action_text))
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())


def test_open_log_folder_without_a_file_manager_says_where_the_folder_is(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from desktop_ocr.log import log_path

    # the offscreen platform has no file opener, like a machine without xdg-open; make sure of it
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    click_menu(qtbot, window, "Help", "Open Log Folder")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "folder_path_box") is not None, timeout=2000)
    box = window.findChild(QMessageBox, "folder_path_box")
    folder = str(log_path().parent)
    assert folder in box.informativeText()
    labels = [lab for lab in box.findChildren(QLabel) if folder in lab.text()]
    assert labels and labels[0].textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    copy = next(b for b in box.buttons() if "Copy" in b.text())
    QTest.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == folder
    assert box.isVisible()  # copying leaves the box open
    box.button(QMessageBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "folder_path_box") is None, timeout=2000)
