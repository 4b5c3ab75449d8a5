"""The preview marks the block under the editor's cursor, and follows it: after a move to another
block, after typing (the preview renders again) and on another page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.editor import EditorPane

pytestmark = pytest.mark.gui

BLOCKS = [
    Block("title", (Box(50, 20, 950, 80),), "# Minutes of the meeting"),
    Block("text", (Box(50, 100, 950, 300),), "Present were the chair and two members."),
    Block("text", (Box(50, 320, 950, 500),), "The budget was agreed without a vote."),
    Block("text", (Box(50, 520, 950, 700),), "Closed at ten."),
]
TEXT = "\n\n".join(b.text for b in BLOCKS) + "\n"
OTHER = [
    Block("title", (Box(50, 20, 950, 80),), "# Second sitting"),
    Block("text", (Box(50, 100, 950, 300),), "Apologies came from Ms Reed."),
]


@pytest.fixture
def pane(qtbot):
    p = EditorPane()
    qtbot.addWidget(p)
    p.resize(1000, 600)
    p.show()
    p.set_page("p1", TEXT, blocks=BLOCKS)
    qtbot.waitUntil(lambda: not p.preview.pending(), timeout=3000)
    return p


def click_text(qtbot, pane: EditorPane, phrase: str) -> None:
    text = pane.editor
    cur = text.textCursor()
    cur.setPosition(pane.text().index(phrase))
    qtbot.mouseClick(
        text.viewport(), Qt.MouseButton.LeftButton, pos=text.cursorRect(cur).center() + QPoint(2, 0)
    )


def marked(pane: EditorPane) -> str:
    return pane.preview.textCursor().selectedText()


def test_the_preview_marks_the_cursors_block_after_moves_edits_and_a_page_change(qtbot, pane):
    """Found in the new-user pass: the preview's mark stayed on the block of the last click on the
    page (or the old page's) while the cursor went on to other blocks and the text was edited."""
    pane.select_block(1)  # a click on its box
    assert marked(pane).startswith("Present were")
    click_text(qtbot, pane, "budget")
    assert marked(pane).startswith("The budget was")
    # typing in the block: the preview renders again, and still marks it
    qtbot.keyClicks(pane.editor, "yearly ")
    qtbot.waitUntil(lambda: not pane.preview.pending(), timeout=3000)
    assert "yearly" in pane.preview.toPlainText()
    assert marked(pane).startswith("The yearly budget")
    # the arrow keys into the next block
    qtbot.keyClick(pane.editor, Qt.Key.Key_Down)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Down)
    assert pane.editor.current_block() == 3
    assert marked(pane).startswith("Closed at ten")
    # another page: its own block is marked, nothing of the old page
    pane.set_page("p2", "\n\n".join(b.text for b in OTHER) + "\n", blocks=OTHER)
    qtbot.waitUntil(lambda: not pane.preview.pending(), timeout=3000)
    assert "Closed" not in pane.preview.toPlainText()
    click_text(qtbot, pane, "Apologies")
    assert marked(pane).startswith("Apologies came")
