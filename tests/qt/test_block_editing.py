"""Blocks in the editor: kept through typing, changed by block operations, reverted by undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_ocr.model import blocks as ops
from desktop_ocr.model.blocks import Layout
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.editor import EditorPane

pytestmark = pytest.mark.gui

BLOCKS = [
    Block("title", (Box(50, 20, 950, 80),), "# Minutes of the meeting"),
    Block(
        "text",
        (Box(50, 100, 950, 300),),
        "Present were the chair and two members.\nThe chair opened at nine.",
    ),
    Block("table", (Box(50, 320, 950, 500),), "<table><tr><td>Budget</td><td>12</td></tr></table>"),
    Block("text", (Box(50, 520, 950, 700),), "Closed at ten."),
]
TEXT = "\n\n".join(b.text for b in BLOCKS) + "\n"


@pytest.fixture
def pane(qtbot):
    p = EditorPane()
    qtbot.addWidget(p)
    p.resize(900, 600)
    p.show()
    p.set_page("p1", TEXT, blocks=BLOCKS)
    return p


def labels(pane: EditorPane) -> list[str]:
    return [s.label for s in pane.block_layout().spans]


def move_to(pane: EditorPane, position: int) -> None:
    cur = pane.editor.textCursor()
    cur.setPosition(position)
    pane.editor.setTextCursor(cur)


def undo(qtbot, pane: EditorPane) -> None:
    qtbot.keyClick(pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo(qtbot, pane: EditorPane) -> None:
    qtbot.keyClick(
        pane.editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )


def test_blocks_are_found_and_follow_typing(qtbot, pane):
    assert labels(pane) == ["title", "text", "table", "text"]
    assert pane.block_layout().blocks() == [Block(b.label, b.boxes, b.text) for b in BLOCKS]
    # type at the start of the second block and inside the table: the blocks grow, none is lost
    move_to(pane, TEXT.index("Present"))
    qtbot.keyClicks(pane.editor, "All ")
    move_to(pane, pane.text().index("Budget"))
    qtbot.keyClicks(pane.editor, "Annual ")
    layout = pane.block_layout()
    assert layout.block_text(1).startswith("All Present were")
    assert "Annual Budget" in layout.block_text(2)
    assert pane.editor.block_index_at(pane.text().index("Closed")) == 3
    # a new paragraph typed at the end of a block belongs to that block
    move_to(pane, pane.text().index("opened at nine.") + len("opened at nine."))
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(pane.editor, "Apologies from Ms Reed.")
    assert pane.block_layout().block_text(1).endswith("Apologies from Ms Reed.")
    assert len(pane.block_layout()) == 4


def test_flush_reports_the_blocks_with_the_text(qtbot, pane):
    move_to(pane, pane.text().index("Closed"))
    qtbot.keyClicks(pane.editor, "Meeting ")
    with qtbot.waitSignal(pane.text_edited, timeout=1000) as blocker:
        pane.flush()
    page_id, text, spans, origin = blocker.args
    assert page_id == "p1" and origin == "edit"
    assert Layout.make(text, spans).block_text(3) == "Meeting Closed at ten."


def test_relabel_merge_split_delete_and_undo_each(qtbot, pane):
    before = pane.block_layout()
    with qtbot.waitSignal(pane.layout_changed, timeout=1000):
        assert pane.apply_block_edit(ops.relabel(before, 3, "footer"))
    assert labels(pane) == ["title", "text", "table", "footer"]
    assert pane.is_dirty()  # a relabel is an edit to save, though the text is the same

    pane.apply_block_edit(ops.merge_with_next(pane.block_layout(), 0))
    assert labels(pane) == ["title", "table", "footer"]
    assert pane.block_layout().spans[0].boxes == BLOCKS[0].boxes + BLOCKS[1].boxes

    pane.apply_block_edit(ops.split_block(pane.block_layout(), pane.text().index("Present")))
    assert labels(pane) == ["title", "title", "table", "footer"]

    pane.apply_block_edit(ops.delete_block(pane.block_layout(), 2))
    assert "Budget" not in pane.text()
    assert labels(pane) == ["title", "title", "footer"]

    # each operation is one undo step; undo walks back through all of them
    for expected in (
        ["title", "title", "table", "footer"],
        ["title", "table", "footer"],
        ["title", "text", "table", "footer"],
        ["title", "text", "table", "text"],
    ):
        with qtbot.waitSignal(pane.layout_changed, timeout=1000):
            undo(qtbot, pane)
        assert labels(pane) == expected
    assert pane.block_layout() == before
    redo(qtbot, pane)
    assert labels(pane) == ["title", "text", "table", "footer"]


def test_a_moved_box_is_undone_with_the_text_edits_around_it(qtbot, pane):
    qtbot.keyClicks(pane.editor, "X")  # typed at the very start: joins the title
    new_box = Box(60, 110, 940, 310)
    pane.apply_block_edit(ops.set_box(pane.block_layout(), 1, 0, new_box))
    assert pane.block_layout().spans[1].boxes == (new_box,)
    assert pane.block_layout().block_text(0).startswith("X# Minutes")
    undo(qtbot, pane)
    assert pane.block_layout().spans[1].boxes == BLOCKS[1].boxes
    assert pane.text().startswith("X")
    undo(qtbot, pane)
    assert pane.text() == TEXT


def test_deleting_a_blocks_text_by_hand_removes_the_block(qtbot, pane):
    start = pane.text().index("Closed")
    cur = pane.editor.textCursor()
    cur.setPosition(start)
    cur.setPosition(start + len("Closed at ten."), cur.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cur)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Delete)
    assert labels(pane) == ["title", "text", "table"]
    undo(qtbot, pane)
    assert labels(pane) == ["title", "text", "table", "text"]


def test_cursor_reports_its_block_after_block_edits(qtbot, pane):
    seen: list[int] = []
    pane.cursor_block_changed.connect(seen.append)
    pane.apply_block_edit(ops.delete_block(pane.block_layout(), 0), cursor=0)
    move_to(pane, pane.text().index("Budget"))
    assert seen[-1] == 1
    assert pane.select_block(2)
    assert pane.editor.textCursor().position() == pane.text().index("Closed")


def test_read_only_pages_take_no_block_edits(qtbot, pane):
    pane.set_read_only(True)
    assert not pane.apply_block_edit(ops.delete_block(pane.block_layout(), 0))
    assert len(pane.block_layout()) == 4


def test_a_stored_layout_is_shown_exactly(qtbot, pane):
    layout = ops.split_block(Layout.from_blocks(TEXT, BLOCKS), TEXT.index("The chair"))
    pane.set_page("p2", layout.text, layout=layout)
    assert pane.block_layout() == layout
    assert not pane.is_dirty()


def test_each_page_keeps_its_undo_history(qtbot, pane):
    seen = []
    pane.text_edited.connect(lambda pid, text, spans, _origin: seen.append((pid, Layout.make(text, spans))))
    qtbot.keyClicks(pane.editor, "Z")
    pane.apply_block_edit(ops.relabel(pane.block_layout(), 3, "footer"))
    pane.set_page("p2", "Another page.")  # flushes p1 (what the window stores)
    assert seen[-1][0] == "p1"
    stored = seen[-1][1]
    qtbot.keyClicks(pane.editor, "Q")
    pane.set_page("p1", stored.text, layout=stored)  # back to p1, unchanged since
    undo(qtbot, pane)
    assert labels(pane) == ["title", "text", "table", "text"]
    undo(qtbot, pane)
    assert pane.text() == TEXT
    # a page whose text changed elsewhere meanwhile (a restore, a new reading) starts afresh
    pane.set_page("p2", "Changed elsewhere.")
    undo(qtbot, pane)
    assert pane.text() == "Changed elsewhere."
    # find/replace keeps working on the document shown now
    pane.find_bar.show_find(False)
    pane.find_bar.find_edit.setText("elsewhere")
    qtbot.waitUntil(lambda: "1" in pane.find_bar.count_label.text(), timeout=2000)


def test_pasting_over_a_block_keeps_the_block(qtbot, pane):
    """Pasted text joins the block at the cursor as typed text does (Qt's own paste inserted it
    without the block's format, so a block pasted over vanished into the one before it)."""
    from PySide6.QtWidgets import QApplication

    start = TEXT.index("Present")
    cur = pane.editor.textCursor()
    cur.setPosition(start)
    cur.setPosition(start + len(BLOCKS[1].text), cur.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cur)
    QApplication.clipboard().setText("Present were all.\nOpened at nine.")
    pane.editor.paste()
    assert labels(pane) == ["title", "text", "table", "text"]
    assert pane.block_layout().block_text(1) == "Present were all.\nOpened at nine."
    assert pane.block_layout().spans[1].boxes == BLOCKS[1].boxes
    undo(qtbot, pane)
    assert pane.text() == TEXT


def test_a_run_of_nudges_to_one_box_is_one_undo_step(qtbot, pane, monkeypatch):
    from desktop_ocr.ui import editor as editor_mod

    start = BLOCKS[1].boxes[0]
    for dx in (1, 2, 3):
        box = Box(start.x1 + dx, start.y1, start.x2 + dx, start.y2)
        pane.apply_block_edit(ops.set_box(pane.block_layout(), 1, 0, box), burst=("box", 1, 0))
    other = Box(60, 330, 940, 510)
    pane.apply_block_edit(ops.set_box(pane.block_layout(), 2, 0, other), burst=("box", 2, 0))
    undo(qtbot, pane)  # the other box's change alone
    assert pane.block_layout().spans[2].boxes == BLOCKS[2].boxes
    assert pane.block_layout().spans[1].boxes[0].x1 == start.x1 + 3
    undo(qtbot, pane)  # all three nudges at once
    assert pane.block_layout().spans[1].boxes == (start,)
    # typing between two nudges, or a pause, keeps them apart
    monkeypatch.setattr(editor_mod, "BURST_S", 0.0)
    pane.apply_block_edit(ops.set_box(pane.block_layout(), 1, 0, Box(1, 1, 500, 90)), burst=("box", 1, 0))
    pane.apply_block_edit(ops.set_box(pane.block_layout(), 1, 0, Box(2, 2, 500, 90)), burst=("box", 1, 0))
    undo(qtbot, pane)
    assert pane.block_layout().spans[1].boxes == (Box(1, 1, 500, 90),)


def test_undo_and_redo_of_a_relabel_leave_the_cursor_in_the_relabelled_block(qtbot, pane):
    """Found by hand on a FUNSD fax form: Relabel → Footer on a block low on the page, then Ctrl+Z,
    put the cursor (and the editor's view, and the selected box) at the page's first block, and
    Ctrl+Shift+Z at its last one: every block's format was written again, so Qt's undo went to the
    first changed character and redo to the last. Only blocks whose format changes are rewritten."""
    start = pane.text().index("Present")
    move_to(pane, start + 5)
    layout = pane.block_layout()
    begin, end = layout.span_range(1)
    pane.apply_block_edit(ops.relabel(layout, 1, "footer"))
    undo(qtbot, pane)
    assert labels(pane) == ["title", "text", "table", "text"]
    assert begin <= pane.editor.textCursor().position() <= end
    redo(qtbot, pane)
    assert labels(pane) == ["title", "footer", "table", "text"]
    assert begin <= pane.editor.textCursor().position() <= end


def test_redo_of_a_merge_leaves_the_cursor_in_the_merged_block(qtbot, pane):
    """Found on scribe-multicol-05: Merge with Next Block, Ctrl+Z, Ctrl+Shift+Z put the cursor and
    the view at the page's last block (the blocks after a merge are renumbered, so the redone step
    reaches the page's end, where Qt leaves the cursor)."""
    move_to(pane, pane.text().index("Present") + 5)
    layout = pane.block_layout()
    begin = layout.span_range(1)[0]
    pane.apply_block_edit(ops.merge_with_next(layout, 1))
    merged_end = pane.block_layout().span_range(1)[1]
    undo(qtbot, pane)
    assert labels(pane) == ["title", "text", "table", "text"]
    assert begin <= pane.editor.textCursor().position() <= layout.span_range(1)[1]
    redo(qtbot, pane)
    assert labels(pane) == ["title", "text", "text"]
    assert begin <= pane.editor.textCursor().position() <= merged_end
