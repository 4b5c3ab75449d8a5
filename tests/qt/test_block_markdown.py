"""Block operations that change the Markdown, the reading order the user fixes, label tags that
cover no words, and angle brackets that show as typed: in the real window, with real keys and mouse."""

from __future__ import annotations

import pymupdf
import pypandoc
import pytest
from docx import Document as DocxDocument
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QInputDialog, QLineEdit
from sample_docs import write_pdf

from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.ui.canvas_items import TagItem

pytestmark = pytest.mark.gui

BLOCKS = (
    Block("text", (Box(95, 60, 700, 110),), "Harbour Survey 1911"),
    Block(
        "text",
        (Box(95, 150, 900, 300),),
        "The north pier was measured in April. Depth at low water was fourteen feet.",
    ),
    Block("text", (Box(95, 340, 900, 420),), "The crane was moved twice in May."),
    Block("text", (Box(95, 460, 900, 540),), "Nothing else was changed."),
)
TEXT = "\n\n".join(b.text for b in BLOCKS)
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _open(qtbot, window, tmp_path, blocks=BLOCKS):
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "survey.pdf", [["Harbour Survey 1911"]]))])
    page = c.project.documents[0].pages[0]
    md = "\n\n".join(b.text for b in blocks)
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    c.project.set_result(page.id, PageResult(tuple(blocks), md, md, engine="test"))
    c.page_result_arrived.emit(page.id)  # what a finished read says once its result is stored
    qtbot.waitUntil(
        lambda: window.editor.text() == md and not window.editor.editor.isReadOnly(), timeout=5000
    )
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)
    qtbot.waitUntil(lambda: len(window.canvas.box_items()) == len(blocks), timeout=5000)
    window.activateWindow()
    return page


@pytest.fixture
def page(qtbot, window, tmp_path):
    return _open(qtbot, window, tmp_path)


def click_text(qtbot, window, phrase: str) -> None:
    """A mouse click in the editor on the first letter of ``phrase``."""
    text = window.editor.editor
    cur = text.textCursor()
    cur.setPosition(window.editor.text().index(phrase))
    rect = text.cursorRect(cur)
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + QPoint(2, 0))
    assert window.editor.text()[text.textCursor().position() :].startswith(phrase[:1])


def key(qtbot, window, k, mods=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.editor.editor, k, mods)


def relabel_from_block_menu(window, label_text: str) -> None:
    """Block > Relabel > ``label_text``, as the menu offers it for the cursor's block."""
    menu = window.blocks.menu
    menu.aboutToShow.emit()
    sub = next(a.menu() for a in menu.actions() if a.menu() is not None)
    action = next(a for a in sub.actions() if a.text() == label_text)
    assert action.isEnabled()
    action.trigger()


def stored(window, page):
    window.editor.flush()
    return page_layout(window.controller.project.page(page.id))


# -- 7: relabel, split and merge change the Markdown ---------------------------------------------
def test_relabel_to_title_and_back_writes_and_removes_the_heading(qtbot, window, page):
    click_text(qtbot, window, "Survey 1911")
    relabel_from_block_menu(window, "Title")
    assert window.editor.text().startswith("# Harbour Survey 1911\n\nThe north pier")
    assert stored(window, page).spans[0].label == "title"
    assert stored(window, page).block_text(0) == "# Harbour Survey 1911"
    relabel_from_block_menu(window, "Subtitle")
    assert window.editor.text().startswith("## Harbour Survey 1911\n\n")
    relabel_from_block_menu(window, "Text")
    assert window.editor.text() == TEXT
    # one undo step each
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text().startswith("## Harbour Survey 1911\n\n")
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text().startswith("# Harbour Survey 1911\n\n")
    assert window.editor.block_layout().spans[0].label == "title"
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == TEXT and window.editor.block_layout().spans[0].label == "text"
    # the preview shows a heading
    window.editor.set_preview_visible(True)
    window.editor.preview.render_now()
    click_text(qtbot, window, "Survey 1911")
    relabel_from_block_menu(window, "Title")
    window.editor.preview.render_now()
    assert "<h1" in window.editor.preview.toHtml()


def test_the_relabel_menu_shows_capitalised_names_and_stores_the_engine_label(qtbot, window, page):
    """Block > Relabel, opened and clicked with the mouse: "Subtitle", not "sub title"; the block
    stored keeps the label the engines write (``sub_title``), and its tag on the page says Subtitle."""
    click_text(qtbot, window, "Survey 1911")
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == "Block")
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    relabel = next(a for a in menu.actions() if a.text().replace("&", "") == "Relabel")
    QTest.mouseMove(menu, menu.actionGeometry(relabel).center())
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(relabel).center())
    sub = relabel.menu()
    qtbot.waitUntil(sub.isVisible, timeout=2000)
    assert [a.text() for a in sub.actions()] == [
        "Title", "Subtitle", "Text", "List", "Table", "Table Caption", "Figure", "Figure Caption",
        "Equation", "Header", "Footer", "Page Number", "Footnote",
    ]  # fmt: skip
    assert [a.text() for a in sub.actions() if a.isChecked()] == ["Text"]
    item = next(a for a in sub.actions() if a.text() == "Subtitle")
    QTest.mouseMove(sub, sub.actionGeometry(item).center())
    QTest.mouseClick(sub, Qt.MouseButton.LeftButton, pos=sub.actionGeometry(item).center())
    qtbot.waitUntil(lambda: window.editor.text().startswith("## Harbour Survey 1911\n\n"), timeout=5000)
    assert stored(window, page).spans[0].label == "sub_title"
    qtbot.waitUntil(
        lambda: any(t._text.endswith("Subtitle") for t in window.canvas.tag_items()), timeout=5000
    )
    assert not any("sub title" in t._text or "sub_title" in t._text for t in window.canvas.tag_items())


def test_split_makes_two_paragraphs_and_merge_joins_them(qtbot, window, page):
    click_text(qtbot, window, "Depth at low")
    key(qtbot, window, Qt.Key.Key_Return, CTRL | ALT)  # Block > Split Block at Cursor
    expected = TEXT.replace("April. Depth", "April.\n\nDepth")
    assert window.editor.text() == expected
    layout = window.editor.block_layout()
    assert len(layout) == 5 and layout.block_text(2).startswith("Depth at low water")
    assert stored(window, page).text == expected
    qtbot.waitUntil(lambda: len(window.canvas.blocks()) == 5, timeout=2000)
    # merge the first half with the second again: one paragraph, as it was
    click_text(qtbot, window, "north pier")
    key(qtbot, window, Qt.Key.Key_J, CTRL | ALT)
    assert window.editor.text() == TEXT and len(window.editor.block_layout()) == 4
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == expected and len(window.editor.block_layout()) == 5
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == TEXT and len(window.editor.block_layout()) == 4


def test_merge_after_a_word_cut_at_a_hyphen_joins_it_without_a_space(qtbot, window, tmp_path):
    """The Morgan Stanley page (scribe-multicol-01) as the embedded engine read it: a paragraph cut
    at "pharma-" by a mis-read heading, the rest in the next block. Merging them gave
    "pharma- bio pricing"; the word goes on whole now (its hyphen kept, no space)."""
    blocks = (
        Block(
            "text",
            (Box(120, 240, 520, 330),),
            "Warren could chair 2016 committees and call hearings to investigate pharma-",
        ),
        Block("text", (Box(120, 335, 520, 420),), "bio pricing. A surprising Democratic sweep would be"),
        Block("text", (Box(120, 430, 520, 520),), "Part B demo could be finalized soon after the election-"),
        Block("text", (Box(120, 530, 520, 600),), "Will it be watered down?"),
    )
    _open(qtbot, window, tmp_path, blocks)
    click_text(qtbot, window, "Warren could")
    key(qtbot, window, Qt.Key.Key_J, CTRL | ALT)  # Block > Merge with Next Block
    assert window.editor.text().startswith(
        "Warren could chair 2016 committees and call hearings to investigate pharma-bio pricing. A surprising"
    )
    # a capital after the hyphen is a new sentence or a name: the space stays
    click_text(qtbot, window, "Part B demo")
    key(qtbot, window, Qt.Key.Key_J, CTRL | ALT)
    assert window.editor.text().endswith("soon after the election- Will it be watered down?")
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == "\n\n".join(b.text for b in blocks)


# -- 18: the reading order, shown and fixed -------------------------------------------------------
def test_reading_order_numbers_on_demand_and_moving_blocks(qtbot, window, page):
    canvas = window.canvas
    assert not any(t.text[:1].isdigit() for t in canvas.tag_items())  # no numbers by default
    qtbot.keyClick(window.editor.editor, Qt.Key.Key_O, CTRL | ALT)  # View > Show Reading Order
    assert window.blocks.order_action.isChecked()
    qtbot.waitUntil(
        lambda: [t.text.split()[0] for t in canvas.tag_items()] == ["1", "2", "3", "4"], timeout=2000
    )

    # the crane paragraph goes one place earlier: its text moves, the canvas follows, one undo step
    click_text(qtbot, window, "crane was moved")
    key(qtbot, window, Qt.Key.Key_PageUp, CTRL | ALT)
    order = [BLOCKS[i].text for i in (0, 2, 1, 3)]
    assert window.editor.text() == "\n\n".join(order)
    qtbot.waitUntil(lambda: [b.text for b in canvas.blocks()] == order, timeout=2000)
    assert canvas.blocks()[1].boxes == BLOCKS[2].boxes
    assert window.editor.editor.current_block() == 1  # the cursor went with it
    key(qtbot, window, Qt.Key.Key_PageDown, CTRL | ALT)
    assert window.editor.text() == TEXT
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == "\n\n".join(order)
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == TEXT

    # Move Block To... puts the last block first
    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QInputDialog):
            QTimer.singleShot(50, answer)
            return
        spin = dlg.findChild(QLineEdit)
        spin.selectAll()
        qtbot.keyClicks(spin, "1")
        qtbot.keyClick(spin, Qt.Key.Key_Return)

    click_text(qtbot, window, "Nothing else")
    QTimer.singleShot(100, answer)
    key(qtbot, window, Qt.Key.Key_M, CTRL | ALT)
    assert window.editor.text().startswith("Nothing else was changed.\n\nHarbour Survey 1911")
    layout = stored(window, page)
    assert layout.spans[0].boxes == BLOCKS[3].boxes and layout.text.endswith("twice in May.")
    qtbot.waitUntil(lambda: canvas.blocks()[0].boxes == BLOCKS[3].boxes, timeout=2000)
    assert [t.text.split()[0] for t in canvas.tag_items()] == ["1", "2", "3", "4"]


def test_dragging_a_number_onto_another_block_moves_it_there(qtbot, window, page):
    canvas = window.canvas
    window.blocks.order_action.trigger()
    canvas.fit_page()
    qtbot.waitUntil(lambda: all(t.isVisible() for t in canvas.tag_items()), timeout=10000)
    crane = next(t for t in canvas.tag_items() if t.block_index == 2)
    start = canvas.tag_rect(crane).center().toPoint()
    target = _viewport_rect(canvas, canvas.box_items()[0]).center()  # the title's box
    vp = canvas.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    for k in range(1, 6):
        qtbot.mouseMove(vp, start + (target - start) * k / 5)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=target)
    order = [BLOCKS[i].text for i in (2, 0, 1, 3)]
    assert window.editor.text() == "\n\n".join(order)
    qtbot.waitUntil(lambda: [b.text for b in canvas.blocks()] == order, timeout=2000)
    assert stored(window, page).spans[0].boxes == BLOCKS[2].boxes
    # a drag that ends on no block changes nothing; Ctrl+Z undoes the drop in one step
    first = next(t for t in canvas.tag_items() if t.block_index == 0)
    start = canvas.tag_rect(first).center().toPoint()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(vp, start + QPoint(0, 40))
    qtbot.mouseMove(vp, QPoint(3, vp.height() - 3))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(3, vp.height() - 3))
    assert window.editor.text() == "\n\n".join(order)
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.editor.text() == TEXT


# -- 13: label tags never cover words -------------------------------------------------------------
def dense_blocks() -> tuple[Block, ...]:
    """Two columns of one-line blocks, packed as on a dense page (a line's height apart)."""
    blocks = []
    for col, (x1, x2) in enumerate(((150, 490), (510, 850))):
        for row in range(24):
            y = 40 + row * 38
            blocks.append(Block("text", (Box(x1, y, x2, y + 34),), f"Line {row + 1} of column {col + 1}."))
    # three full-width lines under the columns: the middle one has no free side (shown on hover)
    blocks.append(Block("text", (Box(0, 952, 999, 970),), "A summary across the page."))
    blocks.append(Block("page_number", (Box(0, 972, 999, 986),), "Page 12"))
    blocks.append(Block("footer", (Box(0, 988, 999, 999),), "Printed at the harbour office"))
    return tuple(blocks)


def _viewport_rect(canvas, item) -> QRect:
    return canvas.mapFromScene(item.sceneBoundingRect()).boundingRect()


def _tag_rect(canvas, tag) -> QRect:
    """Where a tag is drawn in the viewport (tags keep their size on screen at every zoom)."""
    return tag.boundingRect().translated(canvas.mapFromScene(tag.scenePos()).toPointF()).toAlignedRect()


def _tags(canvas) -> list[TagItem]:
    return [item for item in canvas.scene().items() if isinstance(item, TagItem)]


def test_label_tags_are_drawn_outside_the_text_and_shown_on_hover(qtbot, window, tmp_path):
    blocks = dense_blocks()
    window.resize(1500, 1000)
    _open(qtbot, window, tmp_path, blocks)
    canvas = window.canvas
    for zoom in ("fit_page", "fit_width"):
        getattr(canvas, zoom)()
        boxes = [_viewport_rect(canvas, item).adjusted(1, 1, -1, -1) for item in canvas.box_items()]
        shown = [t for t in _tags(canvas) if t.isVisible()]
        assert shown, "some tags have room in the page margin"
        for tag in shown:
            r = _tag_rect(canvas, tag)
            assert not any(r.intersects(b) for b in boxes), f"a tag covers a box at {zoom}"
        tags = [_tag_rect(canvas, t) for t in shown]
        assert not any(a.intersects(b) for i, a in enumerate(tags) for b in tags[i + 1 :])
    # a tag without room shows while its box is hovered
    hidden = [item.label for item in canvas.box_items() if item.tag is not None and not item.tag.isVisible()]
    assert hidden == ["page_number"]
    canvas.fit_page()

    def page_number():  # the canvas rebuilds its items after edits: look it up each time
        return next(i for i in canvas.box_items() if i.label == "page_number")

    assert not page_number().tag.isVisible()
    qtbot.mouseMove(canvas.viewport(), _viewport_rect(canvas, page_number()).center())
    qtbot.waitUntil(lambda: page_number().tag.isVisible(), timeout=2000)
    assert _tag_rect(canvas, page_number().tag).bottom() <= _viewport_rect(canvas, page_number()).top() + 1
    qtbot.mouseMove(canvas.viewport(), QPoint(2, 2))
    qtbot.waitUntil(lambda: not page_number().tag.isVisible(), timeout=2000)


# -- 8: angle brackets show as typed everywhere ---------------------------------------------------
def _tick_formats(qtbot, folder, tick):
    def act() -> None:
        from desktop_ocr.ui.dialogs import ExportDialog

        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, ExportDialog):
            QTimer.singleShot(50, act)
            return
        for box in dlg.findChildren(QCheckBox):
            want = any(box.text().startswith(t) for t in tick)
            if box.isChecked() != want and box.isEnabled():
                qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        dlg.findChild(QLineEdit).setText(str(folder))
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(100, act)


def test_angle_brackets_show_as_typed_in_preview_and_every_export(qtbot, window, tmp_path):
    table = Block("table", (Box(95, 600, 900, 700),), "<table><tr><td>Budget</td><td>12</td></tr></table>")
    lazy = Block("text", (Box(95, 150, 900, 300),), "The quick <lazy> fox, if a<b then c.")
    page = _open(qtbot, window, tmp_path, (BLOCKS[0], lazy, table, BLOCKS[3]))
    click_text(qtbot, window, "Nothing else")
    qtbot.keyClicks(window.editor.editor, "Typed <tag> too. ")
    typed = "Typed <tag> too. Nothing else was changed."
    assert "<lazy>" in window.editor.text()  # the source keeps what was read and typed
    window.editor.set_preview_visible(True)
    window.editor.preview.render_now()
    shown = window.editor.preview.toPlainText()
    assert "The quick <lazy> fox, if a<b then c." in shown and typed in shown
    assert "Budget" in shown and "<table>" not in shown  # the model's table is still a table
    window.editor.flush()

    out = tmp_path / "out"
    _tick_formats(qtbot, out, ["Markdown", "Searchable PDF", "Word", "Web page"])
    c = window.controller
    with qtbot.waitSignal(c.export_finished, timeout=120_000):
        window.acts.export.trigger()
    stem = c.project.documents[0].name
    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert "<table><tr><td>Budget" in md
    # read by a CommonMark reader, as a Markdown viewer would
    viewed = pypandoc.convert_text(md, "html", format="commonmark")
    assert "The quick &lt;lazy&gt; fox, if a&lt;b then c." in viewed and "Typed &lt;tag&gt; too." in viewed
    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert "The quick &lt;lazy&gt; fox, if a&lt;b then c." in html and "Typed &lt;tag&gt; too." in html
    assert "<td>Budget</td>" in html
    doc = DocxDocument(str(out / f"{stem}.docx"))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "The quick <lazy> fox, if a<b then c." in paragraphs and typed in paragraphs
    assert any(cell.text == "Budget" for t in doc.tables for row in t.rows for cell in row.cells)
    pdf_text = " ".join(pymupdf.open(out / f"{stem}.pdf")[0].get_text().split())
    assert "<lazy>" in pdf_text and "a<b" in pdf_text and "<tag>" in pdf_text
    assert page.id
