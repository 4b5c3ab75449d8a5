"""Page canvas: boxes scaled to image pixels, clicks select blocks, zoom and fit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.canvas import FitMode, PageCanvas
from desktop_ocr.ui.labels import label_colour

pytestmark = pytest.mark.gui


def page_image(w: int = 800, h: int = 1000) -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    return img


BLOCKS = [
    Block("title", (Box(100, 50, 900, 120),), "# Title"),
    Block("text", (Box(100, 200, 500, 400), Box(520, 200, 900, 400)), "two boxes"),
    Block("table", (Box(0, 500, 999, 999),), "<table></table>"),
]


@pytest.fixture
def canvas(qtbot):
    c = PageCanvas()
    c.resize(600, 700)
    qtbot.addWidget(c)
    c.show()
    qtbot.waitExposed(c)
    c.set_page("p1", page_image(), BLOCKS)
    return c


def test_boxes_are_scaled_to_image_pixels(canvas):
    items = canvas.box_items()
    assert [(i.block_index, i.box_index) for i in items] == [(0, 0), (1, 0), (1, 1), (2, 0)]
    r = items[0].rect()  # Box(100, 50, 900, 120) on 800 x 1000: x * 800 / 999, y * 1000 / 999
    assert r.left() == pytest.approx(100 * 800 / 999)
    assert r.top() == pytest.approx(50 * 1000 / 999)
    assert r.right() == pytest.approx(900 * 800 / 999)
    assert r.bottom() == pytest.approx(120 * 1000 / 999)
    full = items[3].rect()
    assert full.left() == 0 and full.right() == pytest.approx(800)
    assert full.bottom() == pytest.approx(1000)
    # boxes live in the page image's coordinates
    assert canvas.image_item().boundingRect().width() == 800


def test_boxes_follow_a_different_image_size(canvas):
    canvas.set_page("p2", page_image(400, 300), BLOCKS[:1])
    r = canvas.box_items()[0].rect()
    assert r.left() == pytest.approx(100 * 400 / 999)
    assert r.bottom() == pytest.approx(120 * 300 / 999)


def test_each_label_gets_its_own_colour(canvas):
    pens = {i.label: i.pen().color().name() for i in canvas.box_items()}
    assert pens["title"] == label_colour("title").name()
    assert len(set(pens.values())) == 3


def _view_point(canvas, block: int, box: int = 0) -> QPoint:
    item = next(i for i in canvas.box_items() if i.block_index == block and i.box_index == box)
    return canvas.mapFromScene(item.sceneBoundingRect().center())


def test_click_emits_block_clicked_with_its_index(qtbot, canvas):
    canvas.fit_page()
    with qtbot.waitSignal(canvas.block_clicked) as blocker:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(canvas, 1, 1))
    assert blocker.args == [1]
    assert canvas.highlighted_block() == 1
    with qtbot.waitSignal(canvas.block_clicked) as blocker:
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(canvas, 2))
    assert blocker.args == [2]


def test_click_outside_boxes_and_drag_emit_nothing(qtbot, canvas):
    canvas.fit_page()
    top_left = canvas.mapFromScene(5, 5)
    with qtbot.assertNotEmitted(canvas.block_clicked):
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=top_left)
    start = _view_point(canvas, 0)
    with qtbot.assertNotEmitted(canvas.block_clicked):
        qtbot.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(canvas.viewport(), start + QPoint(40, 40))
        qtbot.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(40, 40))


def test_highlight_thickens_outline(canvas):
    canvas.highlight_block(1)
    widths = {(i.block_index, i.box_index): i.pen().widthF() for i in canvas.box_items()}
    assert widths[(1, 0)] > widths[(0, 0)]
    assert widths[(1, 1)] == widths[(1, 0)]
    canvas.highlight_block(-1)
    assert len({i.pen().widthF() for i in canvas.box_items()}) == 1


def test_boxes_toggle_and_stream_in(canvas):
    canvas.set_boxes_visible(False)
    assert not any(i.isVisible() for i in canvas.box_items())
    canvas.set_boxes_visible(True)
    canvas.set_page("p3", page_image(), [])
    assert canvas.box_items() == []
    canvas.add_block(BLOCKS[0])
    canvas.add_block(BLOCKS[1])
    assert [i.block_index for i in canvas.box_items()] == [0, 1, 1]


def test_zoom_and_fit(qtbot, canvas):
    canvas.fit_width()
    vp = canvas.viewport().width()
    assert canvas.fit_mode() == FitMode.WIDTH
    shown = canvas.mapFromScene(canvas.sceneRect()).boundingRect().width()
    assert abs(shown - vp) <= 4
    z = canvas.zoom()
    canvas.zoom_in()
    assert canvas.zoom() == pytest.approx(z * 1.25)
    canvas.zoom_out()
    canvas.zoom_out()
    assert canvas.zoom() == pytest.approx(z / 1.25)
    canvas.actual_size()
    assert canvas.zoom() == pytest.approx(1.0)
    canvas.fit_page()
    page = canvas.mapFromScene(canvas.sceneRect()).boundingRect()
    assert page.height() <= canvas.viewport().height() + 2
    assert page.width() <= canvas.viewport().width() + 2
    # Ctrl+wheel zooms, keys zoom
    z = canvas.zoom()
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.zoom() == pytest.approx(z * 1.25)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.zoom() == pytest.approx(z)


def test_fit_width_refits_on_resize(qtbot, canvas):
    canvas.fit_width()
    z = canvas.zoom()
    canvas.resize(900, 700)
    qtbot.wait(10)
    assert canvas.zoom() > z


def test_placeholder_without_image(qtbot):
    c = PageCanvas()
    qtbot.addWidget(c)
    c.set_page("p1", None, BLOCKS)
    assert c.image_item() is None
    assert c.box_items() == []  # no image size yet: boxes wait for the image
    c.set_image(page_image())
    assert len(c.box_items()) == 4
    c.clear()
    assert c.page_id() is None and c.image_item() is None


def _wheel(canvas, modifiers) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    pos = QPointF(canvas.viewport().rect().center())
    event = QWheelEvent(
        pos,
        canvas.viewport().mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.viewport(), event)


def test_ctrl_wheel_zooms_plain_wheel_scrolls(canvas):
    canvas.set_zoom(1.0)
    canvas.verticalScrollBar().setValue(200)
    _wheel(canvas, Qt.KeyboardModifier.NoModifier)
    assert canvas.zoom() == pytest.approx(1.0)
    assert canvas.verticalScrollBar().value() < 200
    _wheel(canvas, Qt.KeyboardModifier.ControlModifier)
    assert canvas.zoom() == pytest.approx(1.25)


def test_legend_lists_labels_in_order(canvas):
    assert canvas.legend_labels() == ["title", "text", "table"]
    canvas.set_legend_visible(False)
    canvas.grab()  # paints without the legend
    canvas.set_blocks([])
    assert canvas.legend_labels() == []


def test_same_page_keeps_the_view_new_page_starts_at_top(canvas):
    canvas.set_zoom(2.0)
    canvas.verticalScrollBar().setValue(400)
    canvas.set_page("p1", page_image(), BLOCKS[:1])  # same page, e.g. new blocks after reading
    assert canvas.zoom() == pytest.approx(2.0)
    assert canvas.verticalScrollBar().value() == 400
    canvas.set_page("p2", page_image(), BLOCKS)
    assert canvas.zoom() == pytest.approx(2.0)
    assert canvas.verticalScrollBar().value() == canvas.verticalScrollBar().minimum()


@pytest.mark.parametrize("mode", [FitMode.WIDTH, FitMode.PAGE])
def test_fitting_settles_at_every_window_height(qtbot, mode):
    """At some heights, fitting a letter page to the width made the vertical scroll bar appear and
    disappear for ever (the window froze at 100% CPU: a 1350×720 window on a 1366×768 screen)."""
    canvas = PageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(560, 600)
    canvas.show()
    canvas.set_page("p", page_image(2550, 3300), [])
    canvas.fit_width() if mode == FitMode.WIDTH else canvas.fit_page()
    zooms: list[float] = []

    def count(zoom: float) -> None:
        zooms.append(zoom)
        if len(zooms) > 200:  # flipping: stop fitting, so that the test fails instead of hanging
            canvas.set_zoom(zoom)

    canvas.zoom_changed.connect(count)
    flipping = []
    for height in range(600, 800):
        zooms.clear()
        canvas.resize(560, height)
        qtbot.wait(1)
        if len(zooms) > 4:
            flipping.append(height)
            canvas.fit_width() if mode == FitMode.WIDTH else canvas.fit_page()
    assert flipping == []
    assert canvas.fit_mode() == mode
    bar = canvas.verticalScrollBar()
    assert canvas.horizontalScrollBar().maximum() == 0  # the page's width fits, bar or no bar
    if mode == FitMode.PAGE:
        assert bar.maximum() == 0


def test_the_legend_takes_the_corner_where_it_hides_least(canvas):
    """Found on the WSJ page (scribe-multicol-08) at 1366x768: the legend, always at the bottom
    right, covered the last column's boxes and text. It now goes to the corner where it hides least."""

    def hidden(at) -> float:
        box = [
            canvas.mapFromScene(i.sceneBoundingRect()).boundingRect().toRectF() for i in canvas.box_items()
        ]
        parts = [at.intersected(b) for b in box]
        return sum(p.width() * p.height() for p in parts if not p.isEmpty())

    canvas.set_page("p1", page_image(), [Block("text", (Box(500, 800, 999, 999),), "bottom right")])
    canvas.fit_page()
    canvas.grab()
    at = canvas.legend_rect()
    assert at is not None and hidden(at) == 0
    assert at.top() < canvas.viewport().height() / 2  # the top-right corner, the next one
    assert at.right() > canvas.viewport().width() / 2
    corner_boxes = [
        Block("text", (Box(0, 0, 999, 20),), "a thin band along the top"),
        Block("text", (Box(0, 300, 999, 999),), "the lower page"),
    ]
    canvas.set_page("p1", page_image(), corner_boxes)
    canvas.fit_width()
    canvas.grab()  # no corner is free: the legend hides less at the top than at the bottom right
    at = canvas.legend_rect()
    bottom_right = at.translated(
        canvas.viewport().width() - 12 - at.right(), canvas.viewport().height() - 12 - at.bottom()
    )
    assert at is not None and at.top() < canvas.viewport().height() / 2
    assert hidden(at) < hidden(bottom_right)
