"""The shared question box: the key of the button clicked, "cancel" for Cancel or Escape."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_ocr.ui import dialogs

pytestmark = pytest.mark.gui

BUTTONS = [
    ("replace", "Replace", dialogs.Role.DestructiveRole),
    ("insert", "Insert", dialogs.Role.ActionRole),
    ("save", QMessageBox.StandardButton.Save, None),
]


def answer(qtbot, act) -> str:
    def later() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        act(box)

    QTimer.singleShot(50, later)
    return dialogs.ask_choice(None, "Title", "Text", "More", BUTTONS, default="insert", detail="Detail")


def test_the_clicked_buttons_key_comes_back(qtbot):
    def click(label):
        return lambda box: next(b for b in box.buttons() if b.text() == label).click()

    assert answer(qtbot, click("Replace")) == "replace"
    assert answer(qtbot, click("Insert")) == "insert"
    assert answer(qtbot, lambda box: box.button(QMessageBox.StandardButton.Save).click()) == "save"
    assert answer(qtbot, lambda box: box.button(QMessageBox.StandardButton.Cancel).click()) == "cancel"


def test_the_default_button_and_escape(qtbot):
    def check_default_then_escape(box):
        assert box.defaultButton().text() == "Insert"
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    assert answer(qtbot, check_default_then_escape) == "cancel"


def test_the_export_dialog_counts_one_selected_page_in_the_singular(qtbot, qapp):
    """Found on a 2-page PDF with one page selected: the dialog offered "The documents of the
    selected pages (1 pages)"."""
    from desktop_ocr import i18n
    from desktop_ocr.ui.dialogs import ExportDialog

    def scope_texts(count: int) -> list[str]:
        dlg = ExportDialog(None, "/tmp", ["md"], "page_split", "two-page", count, 1)
        qtbot.addWidget(dlg)
        return [b.text() for b in dlg._scope.buttons()]

    assert scope_texts(1)[1] == "The document of the selected page"
    assert scope_texts(2)[1] == "The documents of the selected pages (2 pages)"
    assert i18n.install_translators(qapp, "zh_CN")
    try:
        assert scope_texts(1)[1] == "所选页面所在的文档"
    finally:
        i18n.remove_translators(qapp)
