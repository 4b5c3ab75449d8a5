"""The review flow in the real window: pages needing attention, reviewed counts, Find in Document."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from sample_docs import SAMPLE_PAGES, write_pdf

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, Completion, PageResult

pytestmark = pytest.mark.gui

PAGES = [*SAMPLE_PAGES, ["Appendix", "A harbour chart was drawn.", "Nothing else."]]


def _result(lines: list[str], completion: Completion = Completion.COMPLETE) -> PageResult:
    """What a reader would return for a sample page: one block per line, boxed where it was drawn."""
    blocks, y = [], 70.0
    for i, line in enumerate(lines):
        size = 24.0 if i == 0 else 16.0
        top = round((y - size) / 595 * 999)
        bottom = round((y + 4) / 595 * 999)
        right = min(999, round((40 + len(line) * size * 0.55) / 420 * 999))
        label = "title" if i == 0 else "text"
        blocks.append(Block(label, (Box(95, top, right, bottom),), ("# " if i == 0 else "") + line))
        y += size * 2.2
    md = "\n\n".join(b.text for b in blocks)
    return PageResult(blocks=tuple(blocks), raw=md, markdown=md, completion=completion, engine="test")


@pytest.fixture
def read_document(qtbot, window, tmp_path):
    """A four-page PDF imported through the controller, with a result on every page."""
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "survey.pdf", PAGES))])
    doc = c.project.documents[0]
    for page, lines in zip(doc.pages, PAGES, strict=True):
        c.project.set_result(page.id, _result(lines))
    qtbot.waitUntil(lambda: window.current_page_id() == doc.pages[0].id, timeout=5000)
    return doc


def test_progress_next_attention_and_review_and_next(qtbot, window, read_document):
    doc, c = read_document, window.controller
    p = [page.id for page in doc.pages]
    label = window.review.progress_label
    qtbot.waitUntil(lambda: label.text() == "Reviewed 0 of 4", timeout=3000)

    c.edits.set_reviewed([p[1]])
    qtbot.waitUntil(lambda: label.text() == "Reviewed 1 of 4", timeout=3000)
    window.acts.next_attention.trigger()  # page 2 is reviewed: skipped
    assert window.current_page_id() == p[2]
    window.acts.prev_attention.trigger()
    assert window.current_page_id() == p[0]

    # Ctrl+Return in the editor marks the page reviewed and moves on
    window.activateWindow()
    window.editor.editor.setFocus()
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert doc.pages[0].reviewed
    assert window.current_page_id() == p[2]
    assert "Reviewed 2 of 4" in label.text()
    assert window.editor.text() == doc.pages[2].text  # no line break was typed into any page

    # an incomplete page says why it needs attention
    c.project.set_result(p[0], _result(PAGES[0], Completion.INCOMPLETE))
    window.acts.review_and_next.trigger()  # page 3 reviewed -> page 4
    assert window.current_page_id() == p[3]
    window.acts.review_and_next.trigger()  # page 4 reviewed -> wraps to page 1
    assert window.current_page_id() == p[0]
    assert "possible repetition" in window.statusBar().currentMessage()
    window.acts.review_and_next.trigger()
    assert all(page.reviewed for page in doc.pages)
    assert label.text().startswith("Reviewed 4 of 4")
    assert window.current_page_id() == p[0]  # nowhere left to go
    assert "every page is reviewed" in window.statusBar().currentMessage()


def test_find_in_document_jumps_to_page_text_and_box(qtbot, window, read_document, tmp_path):
    doc = read_document
    panel = window.review.search_panel
    window.acts.find_in_document.trigger()
    assert window.review.search_dock.isVisible()
    qtbot.keyClicks(panel.field, "harbour")
    qtbot.waitUntil(lambda: len(panel.matches()) == 2, timeout=3000)
    assert [m.page_id for m in panel.matches()] == [doc.pages[0].id, doc.pages[3].id]
    assert panel.results.count() == 2
    assert "2 matches on 2 pages" in panel.summary.text()

    assert panel.activate(1)
    page = doc.pages[3]
    assert window.current_page_id() == page.id
    assert window.editor.editor.textCursor().selectedText().lower() == "harbour"
    assert window.canvas.highlighted_block() == 1  # the line "A harbour chart was drawn."

    if os.environ.get("DESKTOP_OCR_SCREENSHOT_DIR"):
        window.resize(1400, 860)
        window.resizeDocks([window.review.search_dock], [300], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)
        window.acts.fit_page.trigger()
        qtbot.wait(300)
        window.grab().save(os.path.join(os.environ["DESKTOP_OCR_SCREENSHOT_DIR"], "review_find.png"))

    qtbot.keyClick(panel.field, Qt.Key.Key_Return)  # Enter steps on to the next hit (wrapping)
    assert window.current_page_id() == doc.pages[0].id
    assert window.canvas.highlighted_block() == 0
    assert window.editor.editor.textCursor().selectedText() == "Harbour"

    # the user's edits are searched, and hits move with the text
    window.page_list.select_page(doc.pages[1].id)
    window.editor.editor.setFocus()
    cursor = window.editor.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor.editor, " Harbour dues were paid.")
    panel.search()  # flushes the editor first
    assert [m.page_id for m in panel.matches()] == [doc.pages[0].id, doc.pages[1].id, doc.pages[3].id]
    assert panel.matches()[1].block_index == 2  # typed at the end of the last block

    # case and regular expressions
    panel.case_button.setChecked(True)
    assert [m.page_id for m in panel.matches()] == [doc.pages[3].id]  # the others say "Harbour"
    assert "1 match in" in panel.summary.text()
    panel.regex_button.setChecked(True)
    panel.field.setText("(unclosed")
    panel.search()
    assert panel.matches() == [] and "not a valid" in panel.summary.text()
