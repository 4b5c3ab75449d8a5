"""What the embedded engine reads, as Settings says it: one recognition model ships, so there is
no language picker; the tooltip's claims are checked against the model's own character list."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt

from desktop_ocr.engine.embedded import REC_MODEL, model_dir
from desktop_ocr.settings import Settings
from desktop_ocr.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui


def _scripts() -> set[str]:
    import onnxruntime as ort

    folder = model_dir()
    assert folder is not None
    session = ort.InferenceSession(str(folder / REC_MODEL), providers=["CPUExecutionProvider"])
    chars = session.get_modelmeta().custom_metadata_map["character"].split("\n")
    return {unicodedata.name(c[0], "?").split()[0] for c in chars if c}


def test_settings_says_which_scripts_the_embedded_engine_reads(qtbot):
    dialog = SettingsDialog(None, Settings())
    qtbot.addWidget(dialog)
    combo = dialog._engine
    tip = combo.itemData(combo.findData("embedded"), Qt.ItemDataRole.ToolTipRole)
    assert "Latin" in tip and "Chinese" in tip and "Japanese" in tip and "Cyrillic" in tip
    scripts = _scripts()
    assert {"LATIN", "CJK", "HIRAGANA", "KATAKANA"} <= scripts  # what the tooltip says it reads
    assert not {"CYRILLIC", "ARABIC", "HANGUL", "DEVANAGARI"} & scripts  # and what it says it does not
