"""The DeepSeek decoding choice (exact / fastest) in the settings dialog, driven with real key events."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel

from desktop_ocr.settings import Settings
from desktop_ocr.ui.settings_dialog import SettingsDialog


def _decoding_combo(dialog: SettingsDialog) -> QComboBox:
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and isinstance(label.widget(), QLabel) and label.widget().text() == "Decoding":
                return field.widget()
    raise AssertionError("no Decoding row in the settings dialog")


def test_decoding_is_exact_by_default_and_fastest_is_chosen_with_the_keyboard(qtbot):
    dialog = SettingsDialog(None, Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    combo = _decoding_combo(dialog)
    assert combo.isVisibleTo(dialog) and combo.currentData() == "exact"
    assert "infer()" in combo.currentText() and "infer()" in combo.toolTip()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == "fastest"
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert dialog.settings().deepseek.decode == "fastest"


def test_a_saved_fastest_choice_is_shown_when_the_dialog_opens_again(qtbot):
    s = Settings()
    s.deepseek.decode = "fastest"
    dialog = SettingsDialog(None, s)
    qtbot.addWidget(dialog)
    combo = _decoding_combo(dialog)
    assert combo.currentData() == "fastest"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)
    assert dialog.settings().deepseek.decode == "exact"
