"""A block whose box could not be read (issue 12, item 9) is kept as text and the window says so:
the page's tooltip in the page list and the status bar while the page is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sample_docs import write_pdf

from desktop_ocr.engine.grounding import parse_blocks, to_markdown, unreadable_blocks
from desktop_ocr.model.result import PageResult

pytestmark = pytest.mark.gui

RAW = (Path(__file__).resolve().parents[1] / "hostile" / "grounding" / "huge_coordinate.txt").read_text(
    encoding="utf-8"
)


def test_a_block_with_an_unreadable_box_is_flagged_in_the_window(qtbot, window, tmp_path):
    c = window.controller
    window.open_paths([str(write_pdf(tmp_path / "two.pdf", [["one"], ["two"]]))])
    qtbot.waitUntil(lambda: window.page_list.model().rowCount() == 2, timeout=5000)
    bad, good = (p.id for p in c.project.documents[0].pages)
    result = PageResult(
        tuple(parse_blocks(RAW)),
        RAW,
        to_markdown(RAW),
        engine="deepseek",
        width=800,
        height=600,
        extra={"unreadable_boxes": unreadable_blocks(RAW)},
    )  # as the DeepSeek engine makes it
    c.project.set_result(bad, result)
    c.project.set_result(good, PageResult((), "fine", "fine", engine="deepseek", width=800, height=600))
    model = window.page_list.model()
    tip = model.data(model.index(model.row_of(bad), 0), Qt.ItemDataRole.ToolTipRole)
    assert "could not be read" in tip
    assert "could not be read" not in model.data(
        model.index(model.row_of(good), 0), Qt.ItemDataRole.ToolTipRole
    )

    window.page_list.select_page(good)
    qtbot.waitUntil(lambda: window.current_page_id() == good, timeout=5000)
    window.page_list.select_page(bad)
    qtbot.waitUntil(lambda: window.current_page_id() == bad, timeout=5000)
    qtbot.waitUntil(window.page_note.isVisible, timeout=5000)
    assert "1 block" in window.page_note.text()
    assert "The bad block's words." in window.editor.text()  # the block's text is kept
    window.page_list.select_page(good)
    qtbot.waitUntil(lambda: window.current_page_id() == good, timeout=5000)
    assert not window.page_note.isVisible()
