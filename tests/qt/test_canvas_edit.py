"""Page canvas editing: move/resize boxes, nudge, draw regions, context menu, delete, marks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_ocr.model.geometry import NORM, Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.canvas import PageCanvas

pytestmark = pytest.mark.gui

W, H = 800, 1000
LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier

BLOCKS = [
    Block("title", (Box(100, 50, 900, 120),), "# Title"),
    Block("text", (Box(100, 200, 500, 400), Box(520, 200, 900, 400)), "two boxes"),
    Block("table", (Box(100, 500, 900, 900),), "<table></table>"),
]


def page_image() -> QImage:
    img = QImage(W, H, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    return img


@pytest.fixture
def canvas(qtbot):
    c = PageCanvas()
    c.resize(700, 800)
    qtbot.addWidget(c)
    c.show()
    qtbot.waitExposed(c)
    c.set_page("p1", page_image(), BLOCKS)
    c.setFocus()
    return c


def send(canvas, kind, pos: QPoint, button=LEFT, mods=NO_MODS) -> None:
    """One mouse event on the viewport (press, move or release) at a viewport point."""
    types = {
        "press": QEvent.Type.MouseButtonPress,
        "move": QEvent.Type.MouseMove,
        "release": QEvent.Type.MouseButtonRelease,
    }
    held = button if kind in ("press", "move") else Qt.MouseButton.NoButton
    event = QMouseEvent(
        types[kind],
        QPointF(pos),
        QPointF(canvas.viewport().mapToGlobal(pos)),
        button if kind != "move" else Qt.MouseButton.NoButton,
        held,
        mods,
    )
    QApplication.sendEvent(canvas.viewport(), event)


def drag(canvas, start: QPoint, end: QPoint, mods=NO_MODS, release=True) -> None:
    send(canvas, "press", start, mods=mods)
    for k in (1, 2, 3, 4):  # several moves, as a hand would make
        send(canvas, "move", start + (end - start) * (k / 4), mods=mods)
    if release:
        send(canvas, "release", end, mods=mods)


def view_at(canvas, x: float, y: float) -> QPoint:
    """The viewport point of an image pixel."""
    return canvas.mapFromScene(QPointF(x, y))


def rect_px(box: Box) -> QRectF:
    x1, y1, x2, y2 = box.to_pixels(W, H)
    return QRectF(QPointF(x1, y1), QPointF(x2, y2))


def item(canvas, block: int, box: int = 0):
    return next(i for i in canvas.box_items() if i.block_index == block and i.box_index == box)


def n(px: float, size: int) -> int:
    """Image pixels to normalised units, as the canvas rounds them."""
    return round(px / size * NORM)


@pytest.mark.parametrize("zoom", [0.5, 2.0])
def test_drag_a_selected_box_moves_it_by_the_image_distance(qtbot, canvas, zoom):
    canvas.set_zoom(zoom)
    canvas.highlight_block(2)
    r = rect_px(BLOCKS[2].boxes[0])
    start = view_at(canvas, r.center().x(), r.top() + 40)
    canvas.ensureVisible(QRectF(r.center().x() - 50, r.top(), 200, 200))
    start = view_at(canvas, r.center().x(), r.top() + 40)
    # 50 image pixels right and 30 down, whatever the zoom
    end = start + QPoint(round(50 * zoom), round(30 * zoom))
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        drag(canvas, start, end)
    block_index, box_index, box = blocker.args
    assert (block_index, box_index) == (2, 0)
    x1, y1, x2, y2 = r.left() + 50, r.top() + 30, r.right() + 50, r.bottom() + 30
    assert box == Box(n(x1, W), n(y1, H), n(x2, W), n(y2, H))
    assert box.x2 - box.x1 == 800 and box.y2 - box.y1 == 400  # a move keeps the size
    # the item shows the new place until the window sends the new blocks
    assert item(canvas, 2).rect().left() == pytest.approx(box.to_pixels(W, H)[0])


@pytest.mark.parametrize("zoom", [0.5, 1.5])
def test_resize_from_the_bottom_right_handle(qtbot, canvas, zoom):
    canvas.set_zoom(zoom)
    canvas.highlight_block(1)
    r = rect_px(BLOCKS[1].boxes[0])
    canvas.centerOn(r.bottomRight())
    assert len(canvas.handle_items()) == 16  # 8 on each of the block's two boxes
    start = view_at(canvas, r.right(), r.bottom())
    end = start + QPoint(round(-40 * zoom), round(60 * zoom))
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        drag(canvas, start, end)
    assert blocker.args[:2] == [1, 0]
    box = blocker.args[2]
    assert (box.x1, box.y1) == (100, 200)  # the opposite corner stays
    assert box.x2 == n(r.right() - 40, W)
    assert box.y2 == n(r.bottom() + 60, H)


def test_handles_keep_their_screen_size_at_any_zoom(canvas):
    canvas.highlight_block(0)
    sizes = []
    for zoom in (0.4, 3.0):
        canvas.set_zoom(zoom)
        h = canvas.handle_items()[0]
        on_screen = h.deviceTransform(canvas.viewportTransform()).mapRect(h.boundingRect())
        sizes.append(on_screen.width())
    assert abs(sizes[0] - sizes[1]) <= 1
    assert 6 <= sizes[0] <= 16
    canvas.set_boxes_visible(False)
    assert canvas.handle_items() == []
    canvas.set_boxes_visible(True)
    canvas.set_editable(False)
    assert canvas.handle_items() == []


def test_resize_clamps_at_the_page_and_never_inverts(qtbot, canvas):
    canvas.set_zoom(0.5)
    canvas.highlight_block(0)
    r = rect_px(BLOCKS[0].boxes[0])
    canvas.centerOn(r.center())
    # the top-left handle dragged far beyond the page's top-left corner
    start = view_at(canvas, r.left(), r.top())
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        drag(canvas, start, start + QPoint(-300, -300))
    assert blocker.args[2] == Box(0, 0, 900, 120)
    canvas.set_blocks([Block("title", (Box(0, 0, 900, 120),), "# Title"), *BLOCKS[1:]])
    # the bottom-middle handle dragged far above the top: the box keeps a minimum height
    r = rect_px(Box(0, 0, 900, 120))
    start = view_at(canvas, r.center().x(), r.bottom())
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        drag(canvas, start, start + QPoint(0, -400))
    box = blocker.args[2]
    assert box.y1 == 0 and 1 <= box.y2 <= 6


def test_move_clamps_at_the_page_edge(qtbot, canvas):
    canvas.set_zoom(0.5)
    canvas.highlight_block(2)
    r = rect_px(BLOCKS[2].boxes[0])
    start = view_at(canvas, r.center().x(), r.center().y())
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        drag(canvas, start, start + QPoint(250, 0))  # 500 image px: far past the right edge
    assert blocker.args[2] == Box(199, 500, 999, 900)


def test_escape_cancels_a_drag(qtbot, canvas):
    canvas.set_zoom(1.0)
    canvas.highlight_block(2)
    r = rect_px(BLOCKS[2].boxes[0])
    canvas.centerOn(r.center())
    start = view_at(canvas, r.center().x(), r.center().y())
    before = item(canvas, 2).rect()
    with qtbot.assertNotEmitted(canvas.box_changed):
        drag(canvas, start, start + QPoint(80, 40), release=False)
        assert item(canvas, 2).rect() != before  # follows the mouse live
        qtbot.keyClick(canvas, Qt.Key.Key_Escape)
        assert item(canvas, 2).rect() == before
        send(canvas, "release", start + QPoint(80, 40))
    assert item(canvas, 2).rect() == before


def test_a_click_on_the_selected_box_only_selects(qtbot, canvas):
    canvas.fit_page()
    canvas.highlight_block(1)
    pos = canvas.mapFromScene(item(canvas, 1, 1).sceneBoundingRect().center())
    with qtbot.assertNotEmitted(canvas.box_changed), qtbot.waitSignal(canvas.block_clicked) as blocker:
        send(canvas, "press", pos)
        send(canvas, "move", pos + QPoint(2, 1))  # a jitter, not a drag
        send(canvas, "release", pos + QPoint(2, 1))
    assert blocker.args == [1]
    assert canvas.selected_box_index() == 1


def test_dragging_an_unselected_box_pans_and_changes_nothing(qtbot, canvas):
    canvas.set_zoom(2.0)
    canvas.highlight_block(0)
    r = rect_px(BLOCKS[2].boxes[0])
    canvas.centerOn(r.center())
    scroll = canvas.verticalScrollBar().value()
    start = view_at(canvas, r.center().x(), r.center().y())
    with qtbot.assertNotEmitted(canvas.box_changed):
        drag(canvas, start, start + QPoint(0, -120))
    assert canvas.verticalScrollBar().value() == scroll + 120


def test_not_editable_drag_changes_nothing_but_clicks_select(qtbot, canvas):
    canvas.set_zoom(1.0)
    canvas.highlight_block(2)
    canvas.set_editable(False)
    assert not canvas.editable()
    r = rect_px(BLOCKS[2].boxes[0])
    canvas.centerOn(r.center())
    start = view_at(canvas, r.center().x(), r.center().y())
    before = item(canvas, 2).rect()
    with qtbot.assertNotEmitted(canvas.box_changed):
        drag(canvas, start, start + QPoint(60, 60))
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert item(canvas, 2).rect() == before
    with qtbot.waitSignal(canvas.block_clicked) as blocker:
        qtbot.mouseClick(canvas.viewport(), LEFT, pos=view_at(canvas, r.center().x(), r.center().y()))
    assert blocker.args == [2]
    # no drawing while the page is being read
    with qtbot.waitSignal(canvas.draw_mode_changed) as blocker:
        canvas.set_draw_mode(True)
    assert blocker.args == [False] and not canvas.draw_mode()


def test_arrow_keys_nudge_the_selected_box(qtbot, canvas):
    canvas.highlight_block(2)
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert blocker.args == [2, 0, Box(101, 500, 901, 900)]  # 1 px of 800 is about 1 unit
    canvas.set_blocks([BLOCKS[0], BLOCKS[1], Block("table", (Box(101, 500, 901, 900),), "")])
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args[2] == Box(101, 500 - n(10, H), 901, 900 - n(10, H))


def test_nudge_moves_at_least_one_unit_on_large_images(qtbot, canvas):
    big = QImage(4000, 5000, QImage.Format.Format_RGB32)
    big.fill(QColor("white"))
    canvas.set_page("big", big, BLOCKS)
    canvas.highlight_block(0)
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert blocker.args[2] == Box(99, 50, 899, 120)


@pytest.mark.parametrize("zoom", [0.5, 2.0])
def test_draw_mode_draws_one_region(qtbot, canvas, zoom):
    canvas.set_zoom(zoom)
    canvas.centerOn(300, 400)
    modes = []
    canvas.draw_mode_changed.connect(modes.append)
    canvas.set_draw_mode(True)
    assert canvas.draw_mode() and modes == [True]
    start = view_at(canvas, 200, 300)
    end = start + QPoint(round(150 * zoom), round(100 * zoom))
    with qtbot.assertNotEmitted(canvas.box_changed), qtbot.waitSignal(canvas.region_drawn) as blocker:
        drag(canvas, start, end)
    box, global_pos = blocker.args
    tol = 1 + NORM / W / zoom  # where a viewport pixel lands in the image
    assert abs(box.x1 - n(200, W)) <= tol and abs(box.y1 - n(300, H)) <= tol
    assert abs((box.x2 - box.x1) - n(150, W)) <= 1
    assert abs((box.y2 - box.y1) - n(100, H)) <= 1
    assert global_pos == canvas.viewport().mapToGlobal(end)
    assert canvas.pending_region() == box
    assert not canvas.draw_mode() and modes == [True, False]  # one rectangle per activation
    # a later plain drag pans again
    with qtbot.assertNotEmitted(canvas.region_drawn):
        drag(canvas, start, end)
    canvas.clear_region()
    assert canvas.pending_region() is None


def test_ctrl_drag_draws_a_region_clamped_to_the_page(qtbot, canvas):
    canvas.set_zoom(0.5)
    canvas.centerOn(W, H)
    start = view_at(canvas, 700, 900)
    end = start + QPoint(300, 300)  # far beyond the page's bottom-right corner
    drag(canvas, start, end, mods=CTRL, release=False)
    band = canvas._tools._rubber
    assert band.isVisible() and band.rect().right() == W and band.rect().bottom() == H
    with qtbot.waitSignal(canvas.region_drawn) as blocker:
        send(canvas, "release", end, mods=CTRL)
    assert not band.isVisible()
    box = blocker.args[0]
    assert (box.x2, box.y2) == (999, 999)
    assert abs(box.x1 - n(700, W)) <= 4 and abs(box.y1 - n(900, H)) <= 4
    assert not canvas.draw_mode()


def test_tiny_region_is_ignored_and_escape_cancels_drawing(qtbot, canvas):
    canvas.set_zoom(1.0)
    canvas.set_draw_mode(True)
    start = view_at(canvas, 300, 300)
    with qtbot.assertNotEmitted(canvas.region_drawn):
        drag(canvas, start, start + QPoint(3, 2))
        assert canvas.draw_mode()  # still waiting for a real rectangle
        drag(canvas, start, start + QPoint(100, 100), release=False)
        qtbot.keyClick(canvas, Qt.Key.Key_Escape)
        send(canvas, "release", start + QPoint(100, 100))
    assert canvas.pending_region() is None
    # Escape again leaves draw mode and drops a pending region
    canvas.set_draw_mode(True)
    with qtbot.waitSignal(canvas.region_drawn):
        drag(canvas, start, start + QPoint(100, 100))
    assert canvas.pending_region() is not None
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.pending_region() is None


def test_pending_region_stays_until_a_new_page(qtbot, canvas):
    canvas.set_zoom(1.0)
    start = view_at(canvas, 300, 300)
    with qtbot.waitSignal(canvas.region_drawn):
        drag(canvas, start, start + QPoint(120, 80), mods=CTRL)
    region = canvas.pending_region()
    canvas.set_blocks(BLOCKS[:1])
    assert canvas.pending_region() == region
    canvas.set_boxes_visible(False)
    assert canvas._tools.overlays.pending_item.isVisible()  # the region shows without the boxes
    canvas.set_page("p2", page_image(), BLOCKS)
    assert canvas.pending_region() is None
    assert not canvas._tools.overlays.pending_item.isVisible()


def test_right_click_selects_and_asks_for_a_menu(qtbot, canvas):
    canvas.fit_page()
    clicked = []
    canvas.block_clicked.connect(clicked.append)
    pos = canvas.mapFromScene(item(canvas, 1, 1).sceneBoundingRect().center())
    with qtbot.waitSignal(canvas.context_menu_requested) as blocker:
        send(canvas, "press", pos, button=Qt.MouseButton.RightButton)
        send(canvas, "release", pos, button=Qt.MouseButton.RightButton)
    assert blocker.args == [1, canvas.viewport().mapToGlobal(pos)]
    assert canvas.highlighted_block() == 1 and clicked == [1]
    assert canvas.selected_box_index() == 1
    outside = view_at(canvas, 20, 20)
    with qtbot.waitSignal(canvas.context_menu_requested) as blocker:
        send(canvas, "press", outside, button=Qt.MouseButton.RightButton)
    assert blocker.args[0] == -1


def test_delete_asks_to_delete_the_selected_block(qtbot, canvas):
    with qtbot.assertNotEmitted(canvas.delete_requested):
        qtbot.keyClick(canvas, Qt.Key.Key_Delete)  # nothing selected
    canvas.highlight_block(1)
    with qtbot.waitSignal(canvas.delete_requested) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert blocker.args == [1]
    with qtbot.waitSignal(canvas.delete_requested) as blocker:
        qtbot.keyClick(canvas, Qt.Key.Key_Backspace)
    assert blocker.args == [1]


def test_set_blocks_keeps_selection_zoom_and_scroll(qtbot, canvas):
    canvas.set_zoom(1.7)
    canvas.highlight_block(1)
    qtbot.mouseClick(
        canvas.viewport(), LEFT, pos=canvas.mapFromScene(item(canvas, 1, 1).sceneBoundingRect().center())
    )
    canvas.verticalScrollBar().setValue(250)
    canvas.horizontalScrollBar().setValue(90)
    moved = Block("text", (Box(100, 200, 500, 400), Box(530, 210, 910, 410)), "two boxes")
    canvas.set_blocks([BLOCKS[0], moved, BLOCKS[2]])
    assert canvas.zoom() == pytest.approx(1.7)
    assert canvas.verticalScrollBar().value() == 250
    assert canvas.horizontalScrollBar().value() == 90
    assert canvas.highlighted_block() == 1 and canvas.selected_box_index() == 1
    assert item(canvas, 1, 1).rect() == rect_px(Box(530, 210, 910, 410))
    assert len(canvas.handle_items()) == 16
    assert canvas.handle_items()[0].pos() in [
        rect_px(b).topLeft() for b in moved.boxes
    ]  # the handles sit on the new boxes
    canvas.set_blocks(BLOCKS[:1])  # the selected block is gone
    assert canvas.handle_items() == []


def test_marks_show_above_blocks_and_scroll_into_view(qtbot, canvas):
    canvas.set_zoom(2.0)
    canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().minimum())
    far = Box(600, 800, 900, 880)
    canvas.set_marks([far, Box(100, 50, 300, 100)], "found: total")
    assert canvas.marks() == [far, Box(100, 50, 300, 100)]
    items = canvas._tools.overlays.mark_items
    assert len(items) == 2 and items[0].toolTip() == "found: total"
    assert all(i.zValue() > b.zValue() for i in items for b in canvas.box_items())
    shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    assert shown.contains(rect_px(far))
    # clicks go through marks to the blocks under them
    with qtbot.waitSignal(canvas.block_clicked) as blocker:
        qtbot.mouseClick(canvas.viewport(), LEFT, pos=view_at(canvas, *rect_px(far).center().toTuple()))
    assert blocker.args == [2]
    canvas.set_blocks(BLOCKS[:2])
    canvas.set_boxes_visible(False)
    assert canvas.marks() and all(i.isVisible() for i in canvas._tools.overlays.mark_items)
    canvas.set_page("p1", page_image(), BLOCKS)  # the same page again: marks stay
    assert len(canvas.marks()) == 2
    canvas.clear_marks()
    assert canvas.marks() == [] and canvas._tools.overlays.mark_items == []
    canvas.set_marks([far])
    canvas.set_page("p2", page_image(), BLOCKS)
    assert canvas.marks() == [] and canvas._tools.overlays.mark_items == []


def test_marks_wait_for_the_image(qtbot):
    c = PageCanvas()
    qtbot.addWidget(c)
    c.set_page("p1", None, BLOCKS)
    c.set_marks([Box(0, 0, 499, 499)])
    assert c._tools.overlays.mark_items == []
    c.set_image(page_image())
    (mark,) = c._tools.overlays.mark_items
    assert mark.rect() == rect_px(Box(0, 0, 499, 499))


def test_cursor_tells_what_a_drag_would_do(canvas):
    canvas.set_zoom(1.0)
    canvas.highlight_block(2)
    r = rect_px(BLOCKS[2].boxes[0])
    canvas.centerOn(r.bottomRight())

    def cursor_at(x, y, mods=NO_MODS):
        send(canvas, "move", view_at(canvas, x, y), button=Qt.MouseButton.NoButton, mods=mods)
        return canvas.viewport().cursor().shape()

    assert cursor_at(r.right(), r.bottom()) == Qt.CursorShape.SizeFDiagCursor
    assert cursor_at(r.right(), r.center().y()) == Qt.CursorShape.SizeHorCursor
    assert cursor_at(r.right() - 30, r.bottom() - 30) == Qt.CursorShape.SizeAllCursor
    assert cursor_at(r.right() + 20, r.bottom() + 20) == Qt.CursorShape.OpenHandCursor
    canvas.set_draw_mode(True)
    assert cursor_at(r.right() - 30, r.bottom() - 30) == Qt.CursorShape.CrossCursor


def test_a_drag_held_at_the_viewport_edge_scrolls_the_page(qtbot, canvas):
    canvas.set_zoom(2.0)
    canvas.highlight_block(1)
    r = rect_px(BLOCKS[1].boxes[0])
    canvas.centerOn(r.center())
    scroll = canvas.verticalScrollBar().value()
    start = view_at(canvas, r.center().x(), r.center().y())
    edge = QPoint(start.x(), canvas.viewport().height() - 4)
    drag(canvas, start, edge, release=False)
    qtbot.waitUntil(lambda: canvas.verticalScrollBar().value() > scroll + 80, timeout=3000)
    with qtbot.waitSignal(canvas.box_changed) as blocker:
        send(canvas, "release", edge)
    scrolled = canvas.verticalScrollBar().value() - scroll
    dy = (edge.y() - start.y() + scrolled) / 2.0  # image pixels the box went down
    box = blocker.args[2]
    assert abs(box.y1 - n(r.top() + dy, H)) <= 1
    assert box.x1 == 100 and box.y2 - box.y1 == 200
    value = canvas.verticalScrollBar().value()
    qtbot.wait(100)
    assert canvas.verticalScrollBar().value() == value  # scrolling stopped with the drag


def test_ctrl_click_without_a_drag_selects(qtbot, canvas):
    canvas.fit_page()
    pos = canvas.mapFromScene(item(canvas, 2).sceneBoundingRect().center())
    with qtbot.assertNotEmitted(canvas.region_drawn), qtbot.waitSignal(canvas.block_clicked) as blocker:
        send(canvas, "press", pos, mods=CTRL)
        send(canvas, "release", pos, mods=CTRL)
    assert blocker.args == [2]
    assert canvas.pending_region() is None


def test_a_click_on_empty_page_clears_the_selection(qtbot, canvas):
    canvas.fit_page()
    canvas.highlight_block(0)
    with qtbot.assertNotEmitted(canvas.block_clicked):
        qtbot.mouseClick(canvas.viewport(), LEFT, pos=view_at(canvas, 20, 20))
    assert canvas.highlighted_block() == -1 and canvas.handle_items() == []
    with qtbot.assertNotEmitted(canvas.box_changed):
        qtbot.keyClick(canvas, Qt.Key.Key_Left)


def test_window_shortcuts_leave_the_keys_the_canvas_uses(qtbot):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    c = PageCanvas(window)
    QVBoxLayout(window).addWidget(c)
    fired = []
    action = QAction("Delete page", window)
    action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
    action.triggered.connect(lambda: fired.append(True))
    window.addAction(action)
    window.resize(600, 700)
    window.show()
    qtbot.waitExposed(window)
    c.set_page("p1", page_image(), BLOCKS)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    c.setFocus()
    qtbot.keyClick(c, Qt.Key.Key_Delete)  # nothing selected: the window's shortcut runs
    assert fired == [True]
    c.highlight_block(2)
    with qtbot.waitSignal(c.delete_requested) as blocker:
        qtbot.keyClick(c, Qt.Key.Key_Delete)
    assert blocker.args == [2] and fired == [True]
