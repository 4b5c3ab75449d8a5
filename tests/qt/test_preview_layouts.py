"""A page switch gives the preview's layout a finished document (issue 12, item 7).

The preview's longest stall on a 100-cell table page was its render: the text was set on the
document shown (laid out, the table included), then a block and the text after the table's cut were
added to it, and each change to a laid-out document laid the table out again (about 14 ms of GUI-thread
CPU, twice the one layout; 54.5 ms of wall time on a busy machine). Now the page's document is built
off screen, where nothing is laid out, and the pane takes it whole: the table is laid out once.

Counted, not timed: every change to the document on screen is a relayout of what it changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QTextDocument

from desktop_ocr.ui.preview import PreviewPane

pytestmark = pytest.mark.gui


def _table_page(cells: int, tag: str) -> str:
    rows = cells // 5
    body = "".join(
        "<tr>" + "".join(f"<td>{tag} row {r} col {c}</td>" for c in range(5)) + "</tr>" for r in range(rows)
    )
    return f"Results of the survey {tag}:\n\n<table>{body}</table>\n\nThe table ends here.\n"


@pytest.fixture
def pane(preview_pane):
    return preview_pane


def _edits_while_shown(pane: PreviewPane, action) -> tuple[list[tuple[int, int, int]], QTextDocument]:
    """The changes made to the document on screen while ``action`` ran, and the document shown after."""
    shown = pane.document()
    edits: list[tuple[int, int, int]] = []
    shown.contentsChange.connect(lambda at, removed, added: edits.append((at, removed, added)))
    action()
    return edits, pane.document()


@pytest.mark.parametrize("first", ["a table page", "a short page", "nothing"])
def test_a_page_switch_never_edits_the_laid_out_document(qtbot, pane, first):
    if first == "a table page":
        pane.set_markdown("a", _table_page(100, "first"), immediate=True)
    elif first == "a short page":
        pane.set_markdown("a", "# Title\n\nOne paragraph.\n", immediate=True)
    qtbot.wait(20)
    page = _table_page(100, "second")
    edits, doc = _edits_while_shown(pane, lambda: pane.set_markdown("b", page, immediate=True))
    assert edits == [], "the page was built in the document on screen, laying its table out again"
    text = doc.toPlainText()
    assert "second row 19 col 4" in text and text.rstrip().endswith("The table ends here.")
    assert "first" not in text
    assert doc.documentLayout().documentSize().width() > 0  # it is the document laid out and shown


def test_the_page_switch_renders_what_an_edited_render_gives(qtbot, pane):
    """The same page rendered whole (a switch) and by growing the document shown (streamed text):
    one document, byte for byte, after any number of switches."""
    grown = PreviewPane()
    qtbot.addWidget(grown)
    grown.resize(700, 900)
    page = _table_page(100, "x") + "\n## After\n\nA paragraph with **bold** and $x_1$.\n\n- one\n- two\n"
    for k in range(3):
        pane.set_markdown(f"p{k}", "# Other page\n", immediate=True)
        pane.set_markdown(f"q{k}", page, immediate=True)
    for end in range(0, len(page) + 50, 50):
        grown.set_markdown("g", page[:end])
        grown.render_now()
    assert pane.document().toHtml() == grown.document().toHtml()


class _Resizes(QObject):
    """The viewport's new widths, with the document shown when each came (each lays that document out
    again)."""

    def __init__(self, pane: PreviewPane) -> None:
        super().__init__()
        self.pane = pane
        self.seen: list[tuple[QTextDocument, int]] = []
        pane.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and event.size().width() != event.oldSize().width():
            self.seen.append((self.pane.document(), event.size().width()))
        return False


def test_a_tall_page_after_a_short_one_is_laid_out_at_one_width(qtbot, pane):
    """A page taller than the pane brings the scroll bar, which narrows the viewport: the page was laid
    out at the full width, then again at the narrower one. Now it is taken at the narrower width."""
    pane.resize(600, 400)
    pane.set_markdown("a", "# A short page\n", immediate=True)
    qtbot.wait(20)
    assert not pane.verticalScrollBar().isVisibleTo(pane)
    resizes = _Resizes(pane)
    pane.set_markdown("b", _table_page(100, "tall"), immediate=True)
    qtbot.wait(50)
    shown = pane.document()
    assert "tall row 19 col 4" in shown.toPlainText()
    assert pane.verticalScrollBar().isVisibleTo(pane)  # the page is taller than the pane
    assert [width for doc, width in resizes.seen if doc is shown] == []
    # and back: the short page shown at the full width, the scroll bar gone
    pane.set_markdown("c", "# Another short page\n", immediate=True)
    qtbot.wait(50)
    assert not pane.verticalScrollBar().isVisibleTo(pane)


def test_the_documents_of_pages_shown_before_are_freed(qtbot, pane):
    for k in range(20):
        pane.set_markdown(f"p{k}", _table_page(10, f"page{k}"), immediate=True)
    qtbot.wait(50)
    assert len(pane.findChildren(QTextDocument)) == 1
    assert "page19 row 1 col 4" in pane.toPlainText()
