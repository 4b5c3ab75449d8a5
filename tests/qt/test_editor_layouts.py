"""Showing a page lays its text out once (issue 12, item 7): a page whose text is one very long line
(the model's HTML tables, 30 KB of ``\\[``) stalled the window 100-440 ms per page shown, as
QPlainTextEdit laid that line out three or four times per page switch (the text set, the cursor put
back, the margin's width changed, the highlighter's colours, a scroll bar coming back).

The layouts are counted by the document layout itself (Qt's own ``QPlainTextDocumentLayout``, with a
counter), not timed: every layout of a long line is one call that lays a line out afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextDocumentLayout
from sample_docs import write_pdf

from desktop_ocr.ui import editor as editor_module

pytestmark = pytest.mark.gui

HOSTILE = Path(__file__).resolve().parent.parent / "hostile" / "text"
LONG = 2_000  # a line longer than this is a "long line"


def _table(rows: int) -> str:
    body = "".join(
        "<tr>" + "".join(f"<td>row {r} col {c} value</td>" for c in range(5)) + "</tr>" for r in range(rows)
    )
    return "Results of the survey:\n\n<table>" + body + "</table>\n\nThe table ends here.\n"


class Counter:
    laid_out = 0


def counting(base: type) -> type:
    """``base`` (Qt's plain text layout, or the editor's own kind of it), counting how often it lays
    out a long line."""

    class CountingLayout(base):
        def blockBoundingRect(self, block):
            fresh = block.length() > LONG and block.layout().lineCount() == 0
            rect = super().blockBoundingRect(block)
            if fresh and block.layout().lineCount() > 0:
                Counter.laid_out += 1  # asked for a line not laid out, and it was laid out now
            return rect

        def documentChanged(self, position: int, removed: int, added: int) -> None:
            doc = self.document()
            block = doc.findBlock(position)
            if block.length() > LONG and block == doc.findBlock(max(0, position + removed + added - 1)):
                # a change inside one line lays it out again at once (if it was laid out before)
                Counter.laid_out += block.layout().lineCount() > 0
            super().documentChanged(position, removed, added)

    return CountingLayout


@pytest.fixture
def pages(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(editor_module, "QPlainTextDocumentLayout", counting(QPlainTextDocumentLayout))
    if hasattr(editor_module, "LongLineLayout"):  # the layout of documents with a very long line
        monkeypatch.setattr(editor_module, "LongLineLayout", counting(editor_module.LongLineLayout))
    texts = {
        "table": _table(1500),
        "short": "# Title\n\nOne paragraph of text.\n",
        "hostile table": (HOSTILE / "table_6000_cells.md").read_text(encoding="utf-8"),
        "open math": (HOSTILE / "open_display_math_30k.md").read_text(encoding="utf-8"),
    }
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "pages.pdf", [[name] for name in texts]))])
    ids = [p.id for p in c.project.documents[0].pages]
    for page_id, text in zip(ids, texts.values(), strict=True):
        c.edits.set_page_text(page_id, text)
    return window, dict(zip(texts, ids, strict=True)), texts


def _click_page(qtbot, window, page_id: str) -> int:
    """Click the page in the page list, let the window settle; how often a long line was laid out."""
    view = window.page_list
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.page_id_at(r) == page_id)
    index = model.index(row, 0)
    view.scrollTo(index)
    qtbot.wait(50)
    Counter.laid_out = 0
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: window.current_page_id() == page_id, timeout=5000)
    qtbot.waitUntil(lambda: not window.editor.editor.highlighter.pending(), timeout=10_000)
    qtbot.wait(300)  # paints, queued colours, the preview
    return Counter.laid_out


def test_a_page_with_a_long_line_is_laid_out_once_when_shown(qtbot, pages):
    window, ids, texts = pages
    _click_page(qtbot, window, ids["short"])
    assert (
        _click_page(qtbot, window, ids["table"]) == 1
    )  # was 2-3: the text set, the cursor put back, the margin
    assert window.editor.text() == texts["table"]
    _click_page(qtbot, window, ids["short"])
    assert _click_page(qtbot, window, ids["table"]) == 1  # shown again (its kept document): was 2-4
    # its 87 KB line is the page's first: Qt placed the cursor on it before it gave the layout its
    # width, so a first show laid it out twice (unwrapped, then at the width)
    assert _click_page(qtbot, window, ids["hostile table"]) == 1
    assert window.editor.text() == texts["hostile table"]
    _click_page(qtbot, window, ids["short"])
    assert _click_page(qtbot, window, ids["hostile table"]) == 1
    assert window.editor.text() == texts["hostile table"]
    # 30 KB of \[, also the page's first line, shown for the first time
    assert _click_page(qtbot, window, ids["open math"]) == 1


def test_a_run_without_spaces_is_wrapped_anywhere_and_its_text_unchanged(qtbot, pages):
    window, ids, texts = pages
    editor = window.editor.editor
    _click_page(qtbot, window, ids["open math"])
    assert editor.document().defaultTextOption().wrapMode() == QTextOption.WrapMode.WrapAnywhere
    line = editor.document().firstBlock()
    assert line.layout().lineCount() > 100  # wrapped to the editor's width, not one line of 30 KB
    width = editor.viewport().width()
    assert all(line.layout().lineAt(i).naturalTextWidth() <= width for i in range(line.layout().lineCount()))
    assert window.editor.text() == texts["open math"]
    # ordinary text wraps at word boundaries again
    _click_page(qtbot, window, ids["table"])
    assert editor.document().defaultTextOption().wrapMode() == (
        QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    )
    # an edit and its undo give the page's text back byte for byte
    _click_page(qtbot, window, ids["open math"])
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "x")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.editor.flush()
    assert window.editor.text() == texts["open math"]
    page = window.controller.project.page(ids["open math"])
    assert page.text == texts["open math"]


def test_a_long_line_is_laid_out_in_the_turn_after_the_click_that_shows_it(qtbot, pages):
    """Building and colouring the page's document (6 ms for the 6,000-cell table) and laying out its
    87 KB line (6-20 ms) in one turn of the event loop, with a paint, stalled the window up to 54 ms:
    the layout comes in the next turn, the colours are there before it."""
    window, ids, texts = pages
    editor = window.editor.editor
    _click_page(qtbot, window, ids["short"])
    view = window.page_list
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.page_id_at(r) == ids["hostile table"])
    index = model.index(row, 0)
    view.scrollTo(index)
    qtbot.wait(50)
    Counter.laid_out = 0
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    # still in the click's turn: the page is shown and coloured, its long line not laid out yet
    assert window.current_page_id() == ids["hostile table"]
    assert window.editor.text() == texts["hostile table"]
    line = editor.document().firstBlock()
    assert line.length() > 80_000
    assert line.layout().formats(), "the long line is coloured before it is laid out"
    assert line.layout().lineCount() == 0 and Counter.laid_out == 0
    # the next turn lays it out, once, at the editor's width
    qtbot.waitUntil(lambda: line.layout().lineCount() > 100, timeout=5000)
    qtbot.waitUntil(lambda: not editor.highlighter.pending(), timeout=10_000)
    qtbot.wait(300)
    assert Counter.laid_out == 1
    width = editor.viewport().width()
    assert all(line.layout().lineAt(i).naturalTextWidth() <= width for i in range(line.layout().lineCount()))
    assert window.editor.text() == texts["hostile table"]


def test_a_search_hit_deep_in_a_long_line_is_scrolled_to_on_a_page_shown_in_the_same_turn(qtbot, pages):
    """Enter on a search hit on another page shows the page and selects the hit in one turn: the
    editor scrolls to it once the long line is laid out (in the turn after)."""
    window, ids, texts = pages
    editor = window.editor.editor
    _click_page(qtbot, window, ids["short"])
    panel = window.review.search_panel
    window.acts.find_in_document.trigger()
    qtbot.keyClicks(panel.field, "<td>250.7<")
    qtbot.waitUntil(lambda: len(panel.matches()) == 1, timeout=5000)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.current_page_id() == ids["hostile table"]
    line = editor.document().firstBlock()
    qtbot.waitUntil(lambda: line.layout().lineCount() > 100, timeout=5000)
    qtbot.wait(100)
    assert editor.textCursor().selectedText() == "<td>250.7<"
    assert editor.textCursor().selectionStart() == texts["hostile table"].index("<td>250.7<")
    assert editor.verticalScrollBar().value() > 0
    rect = editor.cursorRect()
    assert editor.viewport().rect().contains(rect.center()), (rect, editor.viewport().rect())
