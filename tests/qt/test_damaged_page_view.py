"""A page whose image cannot be drawn (a PDF cut short) says so on the canvas, in the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sample_docs import write_cut_real_pdf
from test_trust_c11 import import_files

pytestmark = pytest.mark.gui


def _cut_pdf(tmp_path: Path) -> Path:
    """Two committed real scans as a 2-page PDF, cut in half: both page objects are lost."""
    return write_cut_real_pdf(tmp_path / "truncated.pdf")


def test_a_page_that_cannot_be_drawn_says_why_instead_of_rendering_for_ever(window, qtbot, tmp_path):
    """Found in the window: a truncated PDF's page showed "Rendering page…" for ever, and again on
    every later visit (a failed render is not tried again), with no word of what was wrong."""
    p1, p2 = import_files(qtbot, window, [str(_cut_pdf(tmp_path))])
    canvas = window.canvas

    def said() -> str:
        return canvas._placeholder

    qtbot.waitUntil(lambda: "cannot be shown" in said(), timeout=30_000)
    assert "truncated.pdf p. 1" in said() and "damaged" in said()
    view = window.page_list
    for page in (p2, p1):  # to the other page and back: the first page's failure is known already
        rect = view.visualRect(view.model().index_of(page))
        QTest.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
        )
        qtbot.waitUntil(lambda page=page: window.current_page_id() == page, timeout=5000)
        n = 1 if page == p1 else 2
        qtbot.waitUntil(lambda n=n: f"truncated.pdf p. {n}" in said(), timeout=30_000)
        assert "cannot be shown" in said() and "damaged" in said()
