"""The model dialog and the GPU assistant are reachable from the menus and change the engine choice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

pytestmark = pytest.mark.gui


def _menu_actions(window, title_part):
    for menu_action in window.menuBar().actions():
        if title_part in menu_action.text().replace("&", ""):
            return menu_action.menu().actions()
    raise AssertionError(f"no menu containing {title_part!r}")


def test_model_and_assistant_are_in_the_menus(window):
    assert window.acts.model in _menu_actions(window, "File")
    assert window.acts.first_run in _menu_actions(window, "Help")


def test_model_dialog_opens_and_its_settings_reach_the_controller(window, qtbot):
    seen = []

    def close_dialog():
        dlg = QApplication.activeModalWidget()
        seen.append(type(dlg).__name__ if dlg else None)
        if isinstance(dlg, QDialog):
            dlg.settings.offline = True  # what a user could toggle in the dialog
            dlg.reject()

    QTimer.singleShot(300, close_dialog)
    window.acts.model.trigger()
    assert seen == ["ModelDialog"]
    assert window.controller.settings.offline is True
