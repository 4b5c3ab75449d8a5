"""The per-run read options dialog: starts from the settings, validates, returns ReadOptions."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.ui.read_options import ReadOptionsDialog

pytestmark = pytest.mark.gui


def test_starts_from_the_given_options(qtbot):
    dlg = ReadOptionsDialog(ReadOptions(prompt="free", mode="base", max_new_tokens=2048), 3)
    qtbot.addWidget(dlg)
    assert dlg.options() == ReadOptions(prompt="free", mode="base", max_new_tokens=2048)
    assert "3" in dlg.windowTitle()


def test_locate_needs_a_target_and_builds_the_locate_prompt(qtbot):
    dlg = ReadOptionsDialog(ReadOptions(), 1)
    qtbot.addWidget(dlg)
    dlg._prompt.setCurrentIndex(dlg._prompt.findData("locate"))
    ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dlg.result() == 0  # not accepted without a target
    dlg._target.setText("Harbour wall")
    ok.click()
    assert dlg.result() == 1
    opts = dlg.options()
    assert opts.prompt_text() == "<image>\nLocate <|ref|>Harbour wall<|/ref|> in the image. "


def test_token_cap_never_exceeds_the_models_positions(qtbot):
    dlg = ReadOptionsDialog(ReadOptions(max_new_tokens=100_000), 1)
    qtbot.addWidget(dlg)
    assert dlg.options().max_new_tokens == 8192
