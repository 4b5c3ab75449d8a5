"""Hostile page text in the real editor (issue 12, item 7): the highlighter is linear in a line,
whatever it holds, and colours a long page in slices so that the event loop keeps running."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QTextDocument

from desktop_ocr.ui.editor import EditorPane
from desktop_ocr.ui.highlighter import MarkdownHighlighter

pytestmark = pytest.mark.gui

#: Lines that took 12-25 s each to highlight when a pattern scanned to the end of the line from
#: every opener that is never closed.
HOSTILE_LINES = {
    "open display math": "\\[" * 15_000,
    "open brackets": "[" * 30_000,
    "open image links": "![" * 15_000,
    "open italics": "*a " * 10_000,
    "open underscores": "_a " * 10_000,
    "open bold": "**a " * 7_500,
    "inline math": "$a$ " * 7_500,
}


@pytest.mark.parametrize("line", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_a_hostile_line_is_highlighted_in_linear_time(qapp, line):
    doc = QTextDocument()
    doc.setPlainText(line)
    highlighter = MarkdownHighlighter(doc)
    t = time.perf_counter()
    highlighter.rehighlight()
    highlighter.finish()
    assert time.perf_counter() - t < 2.0  # was 12-25 s; about 0.03-0.1 s when linear


def test_inline_math_is_still_found(qapp):
    doc = QTextDocument()
    doc.setPlainText("cost $x_1$ and \\(y_2\\) but not \\$5 or $ 3 $")
    highlighter = MarkdownHighlighter(doc)
    highlighter.finish()
    layout = doc.firstBlock().layout()
    math = highlighter.format_for("math").foreground().color()
    coloured = {
        i
        for r in layout.formats()
        if r.format.foreground().color() == math
        for i in range(r.start, r.start + r.length)
    }
    text = doc.toPlainText()
    assert text.index("x_1") in coloured and text.index("y_2") in coloured
    assert text.index("5") not in coloured and text.index("3") not in coloured


def test_a_long_page_is_coloured_in_slices(qtbot):
    pane = EditorPane()
    qtbot.addWidget(pane)
    pane.resize(800, 600)
    pane.show()
    lines = [f"## Heading {i}\n\nSome **bold** text and $x_{i}$ here." for i in range(3000)]
    text = "\n".join(lines)
    pane.set_page("p1", text)
    highlighter = pane.editor.highlighter
    assert highlighter.pending(), "a 3,000-heading page is not coloured in one go"
    qtbot.waitUntil(lambda: not highlighter.pending(), timeout=20_000)
    last = pane.editor.document().lastBlock().previous().previous()  # "## Heading 2999"
    assert last.text() == "## Heading 2999"
    heading = highlighter.format_for("heading").foreground().color()
    assert any(r.format.foreground().color() == heading for r in last.layout().formats())
    assert pane.text() == text
