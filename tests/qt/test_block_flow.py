"""Proofreading in the real window, on the embedded engine: blocks handled on the canvas and in the
editor, region re-read, locate, history restore and undo, and the sync between page and text."""

from __future__ import annotations

import pytest
from qt_window import take_from_editor_menu
from sample_docs import write_pdf

from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.store import ProjectStore

pytestmark = pytest.mark.gui

PAGES = [
    [
        "Harbour Survey 1911",
        "The north pier was measured in April.",
        "Depth at low water: fourteen feet.",
        "The crane was moved twice in May.",
    ]
]


@pytest.fixture
def read_page(qtbot, window, tmp_path):
    """A one-page PDF imported and read by the embedded engine; the page is on screen."""
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "survey.pdf", PAGES))])
    page = c.project.documents[0].pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    with qtbot.waitSignal(c.page_result_arrived, timeout=120_000):
        window.read([page.id])
    qtbot.waitUntil(
        lambda: not window.editor.editor.isReadOnly() and len(window.editor.block_layout()) >= 3,
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)
    return page


def block_with(window, phrase: str) -> int:
    layout = window.editor.block_layout()
    return next(i for i in range(len(layout)) if phrase in layout.block_text(i))


def test_a_moved_box_is_saved_shown_and_undone(qtbot, window, read_page):
    c, canvas = window.controller, window.canvas
    i = block_with(window, "north pier")
    old = window.editor.block_layout().spans[i].boxes[0]
    new = Box(old.x1 + 10, old.y1 + 5, old.x2 + 10, old.y2 + 5)
    canvas.box_changed.emit(i, 0, new)  # what a drag on the canvas reports
    assert window.editor.block_layout().spans[i].boxes == (new,)
    qtbot.waitUntil(lambda: canvas.blocks()[i].boxes == (new,), timeout=2000)
    window.editor.flush()
    assert page_layout(read_page).spans[i].boxes == (new,)
    window.acts.undo.trigger()
    assert window.editor.block_layout().spans[i].boxes == (old,)
    qtbot.waitUntil(lambda: canvas.blocks()[i].boxes == (old,), timeout=2000)
    window.editor.flush()
    assert page_layout(read_page).spans[i].boxes == (old,)
    assert not c.project.page(read_page.id).is_edited  # undone back to what was read


def test_block_menu_operations_and_undo(qtbot, window, read_page):
    flow = window.blocks
    n = len(window.editor.block_layout())
    window.editor.select_block(block_with(window, "north pier"))
    flow.relabel("footnote")
    assert window.editor.block_layout().spans[block_with(window, "north pier")].label == "footnote"
    flow.merge_action.trigger()
    assert len(window.editor.block_layout()) == n - 1
    merged = block_with(window, "north pier")
    assert "fourteen feet" in window.editor.block_layout().block_text(merged)
    # split again where the depth line starts
    cur = window.editor.editor.textCursor()
    cur.setPosition(window.editor.text().index("Depth"))
    window.editor.editor.setTextCursor(cur)
    flow.split_action.trigger()
    assert len(window.editor.block_layout()) == n
    window.editor.select_block(block_with(window, "crane"))
    flow.delete_action.trigger()
    assert "crane" not in window.editor.text()
    qtbot.waitUntil(lambda: len(window.canvas.blocks()) == n - 1, timeout=2000)
    window.editor.flush()
    stored = page_layout(window.controller.project.page(read_page.id))
    assert len(stored) == n - 1 and "crane" not in stored.text
    for _ in range(4):
        window.acts.undo.trigger()
    assert "crane" in window.editor.text()
    assert all(s.label != "footnote" for s in window.editor.block_layout().spans)


def test_sync_both_ways_after_edits_and_after_reopening(qtbot, window, read_page, tmp_path):
    c, canvas, editor = window.controller, window.canvas, window.editor
    cur = editor.editor.textCursor()
    cur.setPosition(0)
    editor.editor.setTextCursor(cur)
    qtbot.keyClicks(editor.editor, "Report: ")
    i = block_with(window, "crane")
    canvas.block_clicked.emit(i)  # a click on the crane line's box
    assert editor.editor.textCursor().position() == editor.block_layout().spans[i].start
    cur = editor.editor.textCursor()
    cur.setPosition(editor.text().index("north pier"))
    editor.editor.setTextCursor(cur)
    assert canvas.highlighted_block() == block_with(window, "north pier")
    editor.flush()
    path = tmp_path / "survey.deskocr"
    assert c.save_as(path)
    layout = editor.block_layout()
    c.new_project()
    assert c.open_project(path)
    page = c.project.documents[0].pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    assert editor.block_layout() == layout
    canvas.block_clicked.emit(block_with(window, "crane"))
    assert editor.text()[editor.editor.textCursor().position() :].startswith("The crane")
    assert isinstance(c.store, ProjectStore)


def test_region_read_replaces_the_blocks_inside_it_as_a_new_version(qtbot, window, read_page):
    c, editor = window.controller, window.editor
    i = block_with(window, "Depth at low water")
    box = editor.block_layout().spans[i].boxes[0]
    region = Box(max(0, box.x1 - 10), max(0, box.y1 - 10), min(999, box.x2 + 10), min(999, box.y2 + 10))
    # the user corrects the line by hand first; the region read asks before replacing it
    start = editor.text().index("fourteen")
    cur = editor.editor.textCursor()
    cur.setPosition(start)
    cur.setPosition(start + len("fourteen"), cur.MoveMode.KeepAnchor)
    editor.editor.setTextCursor(cur)
    qtbot.keyClicks(editor.editor, "XIV")
    editor.flush()
    window.blocks._ask_replace = lambda count, text: "replace"
    with qtbot.waitSignal(c.region_read, timeout=60_000):
        window.blocks.read_region(region, c.default_read_options())
    qtbot.waitUntil(lambda: "fourteen" in editor.text(), timeout=5000)
    assert "XIV" not in editor.text()
    assert len(editor.block_layout()) == 4
    editor.flush()
    versions = c.edits.text_versions(read_page.id)
    assert versions[0].origin == "region" and "fourteen" in versions[0].text
    assert "XIV" in versions[1].text
    window.acts.undo.trigger()
    assert "XIV" in editor.text()
    # restoring the region's version from history brings its blocks back too
    editor.flush()
    c.edits.restore_text(read_page.id, versions[0].text, versions[0].spans)
    qtbot.waitUntil(lambda: "fourteen" in editor.text(), timeout=5000)
    assert editor.block_layout().spans == versions[0].spans


def test_locate_marks_the_phrase_on_the_page(qtbot, window, read_page):
    c, canvas = window.controller, window.canvas
    with qtbot.waitSignal(c.located, timeout=60_000) as blocker:
        window.blocks.locate("north pier")
    boxes = blocker.args[3]
    assert boxes
    expected = window.editor.block_layout().spans[block_with(window, "north pier")].boxes[0]
    mark = canvas.marks()[0]
    assert mark.y1 < expected.y2 and expected.y1 < mark.y2  # on the pier line
    with qtbot.waitSignal(c.located, timeout=60_000) as blocker:
        window.blocks.locate("zebra crossing")
    assert blocker.args[3] == [] and canvas.marks() == []


def test_drawn_box_becomes_a_block_in_reading_order(qtbot, window, read_page):
    editor = window.editor
    n = len(editor.block_layout())
    box = Box(100, 900, 900, 950)  # below everything
    window.blocks.add_block(box, "footer")
    layout = editor.block_layout()
    assert len(layout) == n + 1 and layout.spans[-1].label == "footer" and layout.spans[-1].boxes == (box,)
    qtbot.keyClicks(editor.editor, "Page 1")
    assert editor.block_layout().block_text(n) == "Page 1"
    qtbot.waitUntil(lambda: len(window.canvas.blocks()) == n + 1, timeout=2000)


def test_going_to_another_page_cancels_its_region_read(qtbot, window, tmp_path):
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "two.pdf", PAGES * 2))])
    first, second = c.project.documents[0].pages
    qtbot.waitUntil(lambda: window.current_page_id() == first.id, timeout=5000)
    got = []
    c.region_read.connect(lambda *args: got.append(args))
    window.blocks.read_region(Box(50, 50, 950, 300), c.default_read_options())
    assert c.reading.pending_requests()
    window.page_list.select_page(second.id)
    qtbot.waitUntil(lambda: window.current_page_id() == second.id, timeout=5000)
    assert not c.reading.pending_requests()
    assert "cancelled" in window.statusBar().currentMessage()
    qtbot.wait(300)
    assert got == [] and first.edited_text is None


def test_block_actions_follow_the_end_of_reading_at_once(qtbot, window, read_page):
    # Reading makes the text read-only and the Block actions unavailable; the moment the text is
    # editable again they are available, without waiting for the cursor to move (a Merge pressed
    # right after a page was read did nothing).
    window.editor.select_block(block_with(window, "north pier"))
    window.editor.set_read_only(True)
    assert not window.blocks.merge_action.isEnabled()
    window.editor.set_read_only(False)
    assert window.blocks.merge_action.isEnabled()


def test_undo_and_redo_from_the_editors_menu_keep_the_cursor_on_the_block(qtbot, window, read_page):
    """Found in the new-user pass: the editor's right-click Undo and Redo were Qt's own, which go
    past the window's: after a relabel, the menu's Undo put the cursor (and the selected box) at the
    page's first block, where Edit > Undo keeps it in the relabelled block."""
    flow, editor = window.blocks, window.editor
    i = block_with(window, "Depth")
    editor.select_block(i)
    flow.relabel("footnote")
    begin, end = editor.block_layout().span_range(i)
    inside = editor.text().index("fourteen")
    take_from_editor_menu(qtbot, window, inside, "edit-undo")
    assert editor.block_layout().spans[i].label != "footnote"
    assert begin <= editor.editor.textCursor().position() <= end
    assert editor.editor.current_block() == i
    shown = take_from_editor_menu(qtbot, window, inside, "edit-redo")
    assert shown.replace("&", "") == "Redo\tCtrl+Shift+Z"  # as Edit > Redo (Qt's said Ctrl+Y)
    assert editor.block_layout().spans[i].label == "footnote"
    assert begin <= editor.editor.textCursor().position() <= end
    assert editor.editor.current_block() == i
