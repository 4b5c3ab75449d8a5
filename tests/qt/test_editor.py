"""Editor pane: debounced edits, page switching, streaming, find/replace, highlighting, preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QTextCharFormat, QTextCursor

from desktop_ocr.model.blocks import Layout
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.editor import EditorPane
from desktop_ocr.ui.preview import protect_math

pytestmark = pytest.mark.gui


@pytest.fixture
def pane(qtbot):
    p = EditorPane()
    p.resize(900, 500)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def type_text(qtbot, pane, text: str) -> None:
    pane.editor.setFocus()
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(pane.editor, text)


def test_edits_are_reported_once_after_a_pause(qtbot, pane):
    pane.set_page("p1", "Hello")
    seen = []
    pane.text_edited.connect(lambda pid, text, _spans, _origin: seen.append((pid, text)))
    type_text(qtbot, pane, " world")
    assert seen == []  # debounced: nothing while typing
    assert pane.is_dirty()
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=2000)
    assert seen == [("p1", "Hello world")]
    qtbot.wait(700)
    assert len(seen) == 1


def test_flush_reports_at_once_and_only_when_dirty(qtbot, pane):
    pane.set_page("p1", "abc")
    with qtbot.assertNotEmitted(pane.text_edited):
        assert pane.flush() is False
    type_text(qtbot, pane, "d")
    with qtbot.waitSignal(pane.text_edited, timeout=100) as blocker:
        assert pane.flush() is True
    assert blocker.args[:2] == ["p1", "abcd"]
    with qtbot.assertNotEmitted(pane.text_edited, wait=700):
        pass


def test_set_page_resets_undo_and_does_not_emit(qtbot, pane):
    pane.set_page("p1", "first")
    type_text(qtbot, pane, " edit")
    with qtbot.waitSignal(pane.text_edited, timeout=100) as blocker:
        pane.set_page("p2", "second page")  # pending edits of p1 are flushed first
    assert blocker.args[:2] == ["p1", "first edit"]
    with qtbot.assertNotEmitted(pane.text_edited, wait=700):
        pane.set_page("p3", "third")
    assert pane.page_id() == "p3" and pane.text() == "third"
    assert not pane.editor.document().isUndoAvailable()
    pane.editor.undo()
    assert pane.text() == "third"


def test_undo_back_to_the_loaded_text_reports_nothing(qtbot, pane):
    pane.set_page("p1", "abc")
    type_text(qtbot, pane, "x")
    pane.editor.undo()
    assert pane.text() == "abc"
    with qtbot.assertNotEmitted(pane.text_edited):
        pane.flush()


def test_streamed_text_appends_read_only_without_emitting(qtbot, pane):
    pane.set_page("p1", "", read_only=True)
    assert pane.editor.isReadOnly()
    assert pane.banner.isVisible()
    with qtbot.assertNotEmitted(pane.text_edited, wait=700):
        pane.append_streamed("p1", "# Title\n")
        pane.append_streamed("p1", "Some text")
        pane.append_streamed("other", "ignored")
    assert pane.text() == "# Title\nSome text"
    assert not pane.editor.document().isUndoAvailable()
    pane.set_page("p1", "# Title\nSome text.", read_only=False)
    assert not pane.editor.isReadOnly() and not pane.banner.isVisible()


def test_find_next_previous_and_count(qtbot, pane):
    pane.set_page("p1", "cat Cat cat\ncatalog")
    bar = pane.find_bar
    bar.show_find()
    bar.find_edit.setText("cat")
    assert len(bar.matches()) == 4
    bar.set_options(case=True)
    assert len(bar.matches()) == 3
    bar.set_options(case=False, whole_word=True)
    assert bar.matches() == [(0, 3), (4, 7), (8, 11)]
    pane.editor.moveCursor(QTextCursor.MoveOperation.Start)
    assert bar.find_next()
    assert pane.editor.textCursor().selectionStart() == 0
    bar.find_next()
    assert pane.editor.textCursor().selectionStart() == 4
    assert bar.count_label.text() == "2 of 3"
    bar.find_previous()
    assert pane.editor.textCursor().selectionStart() == 0
    bar.find_previous()  # wraps around
    assert pane.editor.textCursor().selectionStart() == 8


def test_regex_replace_all_is_one_undo_step(qtbot, pane):
    pane.set_page("p1", "x_1 = 10\nx_2 = 20\ny = 30")
    bar = pane.find_bar
    bar.show_find(replace=True)
    bar.set_options(regex=True)
    bar.find_edit.setText(r"x_(\d) = (\d+)")
    bar.replace_edit.setText(r"\2 -> x$1")
    assert bar.replace_all() == 2
    assert pane.text() == "10 -> x1\n20 -> x2\ny = 30"
    pane.editor.undo()
    assert pane.text() == "x_1 = 10\nx_2 = 20\ny = 30"
    pane.editor.redo()
    assert pane.text() == "10 -> x1\n20 -> x2\ny = 30"
    qtbot.waitSignal(pane.text_edited, timeout=2000)


def test_replace_current_and_invalid_regex(qtbot, pane):
    pane.set_page("p1", "a.b a.b")
    bar = pane.find_bar
    bar.show_find(replace=True)
    bar.find_edit.setText("a.b")  # literal: the dot is not a wildcard
    bar.replace_edit.setText("X")
    pane.editor.moveCursor(QTextCursor.MoveOperation.Start)
    bar.find_next()
    bar.replace_current()
    assert pane.text() == "X a.b"
    bar.set_options(regex=True)
    bar.find_edit.setText("(unclosed")
    assert bar.matches() == []
    assert "Invalid" in bar.count_label.text()


def test_ctrl_f_opens_the_bar(qtbot, pane):
    pane.set_page("p1", "text")
    pane.editor.setFocus()
    assert not pane.find_bar.isVisible()
    qtbot.keyClick(pane.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.isVisible()
    assert not pane.find_bar.replace_edit.isVisible()
    qtbot.keyClick(pane.editor, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert pane.find_bar.replace_edit.isVisible()
    qtbot.keyClick(pane.find_bar.find_edit, Qt.Key.Key_Escape)
    assert not pane.find_bar.isVisible()


def _formats_at(pane, line: int, column: int):
    block = pane.editor.document().findBlockByNumber(line)
    found = []
    for r in block.layout().formats():
        if r.start <= column < r.start + r.length:
            found.append(QTextCharFormat(r.format))
    return found


def test_highlighter_formats_heading_latex_and_table(pane):
    text = "# Title here\nPlain \\(x^2_i\\) and $y$\n<table><tr><td>1</td></tr></table>\n\\[\na_b\n\\]"
    pane.set_page("p1", text)
    hl = pane.editor.highlighter
    heading = _formats_at(pane, 0, 4)
    assert any(
        f.fontWeight() == QFont.Weight.Bold
        and f.foreground().color() == hl.format_for("heading").foreground().color()
        for f in heading
    )
    plain = _formats_at(pane, 1, 2)
    assert plain == []
    math_colour = hl.format_for("math").foreground().color()
    math = _formats_at(pane, 1, 9)  # inside \( x^2_i \)
    assert any(f.foreground().color() == math_colour for f in math)
    # underscores inside math are not emphasis
    assert not any(f.fontItalic() for f in math)
    tag_colour = hl.format_for("tag").foreground().color()
    assert any(f.foreground().color() == tag_colour for f in _formats_at(pane, 2, 2))
    assert _formats_at(pane, 2, 15) == []  # the cell's content is plain text
    # display math across lines
    assert any(f.foreground().color() == math_colour for f in _formats_at(pane, 4, 1))
    # the text itself is unchanged
    assert pane.text() == text


def test_highlighter_follows_dark_palette(pane):
    from desktop_ocr.ui.highlighter import DARK, LIGHT

    hl = pane.editor.highlighter
    hl.set_dark(True)
    assert hl.format_for("math").foreground().color() == QColor(DARK.math)
    hl.set_dark(False)
    assert hl.format_for("math").foreground().color() == QColor(LIGHT.math)


BLOCKS = [
    Block("title", (Box(0, 0, 10, 10),), "# Title"),
    Block("text", (Box(0, 20, 10, 30),), "First paragraph here."),
    Block("table", (Box(0, 40, 10, 50),), "<table><tr><td>1</td></tr></table>"),
]
TEXT = "# Title\n\nFirst paragraph here.\n\n<table><tr><td>1</td></tr></table>\n"


def test_block_anchors_follow_edits_and_report_the_cursor_block(qtbot, pane):
    assert len(Layout.from_blocks(TEXT, BLOCKS)) == 3
    pane.set_page("p1", TEXT, blocks=BLOCKS)
    seen = []
    pane.cursor_block_changed.connect(seen.append)
    cur = pane.editor.textCursor()
    cur.setPosition(TEXT.index("paragraph"))
    pane.editor.setTextCursor(cur)
    assert seen[-1] == 1
    # typing at the top moves the anchors with the text
    cur.setPosition(0)
    cur.insertText("Intro line\n\n")
    assert pane.editor.block_index_at(pane.text().index("<table>")) == 2
    assert pane.select_block(2)
    assert pane.editor.textCursor().position() == pane.text().index("<table>")


def test_preview_renders_tables_math_and_figures(qtbot, pane):
    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(QColor("red"))
    asked = []
    pane.set_figure_provider(lambda pid, n: asked.append((pid, n)) or img)
    pane.set_page("p9", "# T\n\n<table><tr><td>cell</td></tr></table>\n\n\\(a_b\\)\n\n![](figure:1)\n")
    # the preview renders once the event loop has run, not inside set_page (its work never adds up
    # with the editor's in one stall)
    assert pane.preview.pending()
    qtbot.waitUntil(lambda: not pane.preview.pending(), timeout=2000)
    html = pane.preview.toHtml()
    assert "cell" in html and "<table" in html
    assert "a_b" in pane.preview.toPlainText()  # LaTeX kept as written
    assert "figure:1" in html
    pane.preview.grab()
    assert ("p9", 1) in asked


def test_preview_is_debounced(qtbot, pane):
    pane.set_page("p1", "one")
    type_text(qtbot, pane, " two")
    assert pane.preview.pending()
    assert "two" not in pane.preview.toPlainText()
    qtbot.waitUntil(lambda: "two" in pane.preview.toPlainText(), timeout=2000)


def test_protect_math_keeps_latex_literal():
    out = protect_math("a \\(x_1 * y_2\\) b `code \\(z\\)`")
    assert "` \\(x_1 * y_2\\) `" in out
    assert "`code \\(z\\)`" in out  # inline code untouched


def test_select_block_reveals_it_in_the_preview(qtbot, pane):
    pane.set_page("p1", TEXT, blocks=BLOCKS)
    assert pane.select_block(1)
    assert pane.preview.textCursor().selectedText() == "First paragraph here."
    assert pane.select_block(0)
    assert pane.preview.textCursor().selectedText() == "Title"
    assert not pane.select_block(7)


def test_undo_redo_keys(qtbot, pane):
    pane.set_page("p1", "abc")
    type_text(qtbot, pane, "d")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert pane.text() == "abc"
    qtbot.keyClick(
        pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert pane.text() == "abcd"


def test_preview_keeps_up_with_streamed_text(qtbot, pane):
    pane.set_page("p1", "", read_only=True)
    pane.append_streamed("p1", "# Streaming")
    qtbot.waitUntil(lambda: "Streaming" in pane.preview.toPlainText(), timeout=2000)
    # a steady stream does not postpone the preview forever
    for i in range(8):
        pane.append_streamed("p1", f"\n\nline {i}")
        qtbot.wait(60)
    assert "line" in pane.preview.toPlainText()
    pane.set_read_only(False)
    with qtbot.assertNotEmitted(pane.text_edited):
        pane.flush()  # the streamed text is not an edit
    type_text(qtbot, pane, "!")
    with qtbot.waitSignal(pane.text_edited, timeout=100):
        pane.flush()


def test_steady_typing_is_reported_within_two_seconds(qtbot, pane):
    """A key every 300 ms never lets the 500 ms pause pass; the edit must still reach the store
    soon (a crash loses at most ~2 s of edits)."""
    from desktop_ocr.ui.editor import MAX_WAIT_MS

    pane.set_page("p1", "Hello")
    seen = []
    pane.text_edited.connect(lambda pid, text, _spans, _origin: seen.append(text))
    pane.editor.setFocus()
    pane.editor.moveCursor(QTextCursor.MoveOperation.End)
    for _ in range(8):  # 2.4 s of steady typing
        qtbot.keyClick(pane.editor, Qt.Key.Key_A)
        qtbot.wait(300)
    assert MAX_WAIT_MS <= 2000
    assert seen and seen[0].startswith("Helloa")
