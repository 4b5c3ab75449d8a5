"""The page canvas: the page image with the result's boxes, zoom, pan, selection and box editing."""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyle,
    QWidget,
)

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.canvas_items import (
    TAG_Z,
    BoxItem,
    HandleItem,
    TagItem,
    free_spot,
    legend_corners,
    paint_legend,
)
from desktop_ocr.ui.canvas_tools import CanvasTools
from desktop_ocr.ui.labels import label_colour, label_title

ZOOM_STEP = 1.25
MIN_ZOOM = 0.05
MAX_ZOOM = 16.0
_PAGE_Z = 0


class FitMode(enum.Enum):
    NONE = "none"
    WIDTH = "width"
    PAGE = "page"


class PageCanvas(QGraphicsView):
    """Shows one page image with its blocks' boxes.

    ``image`` is the page as displayed (the renderer applies the user's rotation); boxes are in
    the 0..999 space of that image and are scaled to its pixels. ``rotation`` is remembered for
    callers (``rotation()``) but not applied again.

    Editing (``set_editable``): the selected block's boxes get handles to move and resize them,
    arrows nudge them, a region can be drawn (draw mode or Ctrl+drag). That is the work of its
    ``CanvasTools``, which it composes: input goes to it first, and its signals are re-emitted as
    the canvas's own. The canvas changes no block itself: it emits what the user did, and the
    window answers with ``set_blocks``.
    """

    block_clicked = Signal(int)
    zoom_changed = Signal(float)
    #: (block index, box index, the new Box in 0..999 of the displayed image)
    box_changed = Signal(int, int, object)
    #: (the drawn Box, global position of the mouse release, for a popup menu)
    region_drawn = Signal(object, QPoint)
    draw_mode_changed = Signal(bool)
    #: (block under the cursor or -1, global position)
    context_menu_requested = Signal(int, QPoint)
    delete_requested = Signal(int)
    #: (block index, the place it was dropped at): a reading-order tag dragged onto another block
    order_dropped = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        self._page_id: str | None = None
        self._rotation = 0
        self._image_size = (0, 0)
        self._page_item: QGraphicsPixmapItem | None = None
        self._shadow: list[QGraphicsRectItem] = []
        self._blocks: list[Block] = []
        self._box_items: list[BoxItem] = []
        self._tag_items: list[TagItem] = []
        self._boxes_visible = True
        self._tags_visible = True
        self._order_visible = False
        self._legend_visible = True
        self._legend_at: QRectF | None = None  # where it was drawn last
        self._highlighted = -1
        self._fit = FitMode.WIDTH
        self._placeholder = self.tr("No page selected")
        self._press_pos: QPoint | None = None
        self._tag_font = QFont(self.font())
        self._tag_font.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.8))
        self._tag_font.setWeight(QFont.Weight.DemiBold)
        self._tools = CanvasTools(self, self)
        tools = self._tools
        tools.box_changed.connect(self.box_changed)
        tools.region_drawn.connect(self.region_drawn)
        tools.draw_mode_changed.connect(self.draw_mode_changed)
        tools.context_menu_requested.connect(self.context_menu_requested)
        tools.delete_requested.connect(self.delete_requested)
        tools.order_dropped.connect(self.order_dropped)
        tools.block_clicked.connect(self.block_clicked)

    # -- content ------------------------------------------------------------------------------
    def page_id(self) -> str | None:
        return self._page_id

    def rotation(self) -> int:
        return self._rotation

    def blocks(self) -> list[Block]:
        return list(self._blocks)

    def box_items(self) -> list[BoxItem]:
        return list(self._box_items)

    def image_item(self) -> QGraphicsPixmapItem | None:
        return self._page_item

    def image_size(self) -> tuple[int, int]:
        """The displayed image's size in pixels ((0, 0) while there is none)."""
        return self._image_size

    def set_page(
        self, page_id: str | None, image: QImage | None, blocks: list[Block], rotation: int = 0
    ) -> None:
        """Show a page (``image`` None: a "rendering" placeholder until ``set_image``)."""
        same_page = page_id == self._page_id and self._page_item is not None
        self._tools.cancel()
        self._tools.overlays.set_pending(None)
        if page_id != self._page_id:
            self._tools.overlays.set_marks([], "")
        self._page_id = page_id
        self._rotation = rotation
        self._highlighted = -1
        self._blocks = list(blocks)
        self._placeholder = self.tr("Rendering page…") if page_id else self.tr("No page selected")
        if image is None or image.isNull():
            self._clear_scene()
        else:
            self._set_image(image, keep_view=same_page)
        self._rebuild_boxes()

    def set_image(self, image: QImage) -> None:
        """The rendered image of the current page arrived (keeps the boxes)."""
        self._set_image(image, keep_view=self._page_item is not None)
        self._rebuild_boxes()

    def set_blocks(self, blocks: list[Block]) -> None:
        """New blocks of the same page (after an edit): keeps the selection, zoom and scroll."""
        self._tools.cancel()
        self._blocks = list(blocks)
        self._rebuild_boxes()
        self.viewport().update()

    def add_block(self, block: Block) -> None:
        """A block completed while the page is being read."""
        self._blocks.append(block)
        self._add_block_items(len(self._blocks) - 1, block)
        self._place_tags()
        if len(self._blocks) - 1 == self._highlighted:
            self._tools.sync_handles()
        self.viewport().update()

    def clear(self) -> None:
        self._tools.cancel()
        self._tools.overlays.set_pending(None)
        self._tools.overlays.set_marks([], "")
        self._page_id = None
        self._blocks = []
        self._highlighted = -1
        self._placeholder = self.tr("No page selected")
        self._clear_scene()
        self._clear_boxes()

    def set_placeholder_text(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    def _clear_scene(self) -> None:
        self._clear_boxes()
        for item in [*self._shadow, *([self._page_item] if self._page_item else [])]:
            self._scene.removeItem(item)
        self._shadow = []
        self._page_item = None
        self._image_size = (0, 0)
        self._scene.setSceneRect(QRectF())
        self._tools.overlays.layout(self._image_size)
        self.viewport().update()

    def _set_image(self, image: QImage, keep_view: bool) -> None:
        size = (image.width(), image.height())
        pixmap = QPixmap.fromImage(image)
        if self._page_item is None:
            self._page_item = QGraphicsPixmapItem()
            self._page_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self._page_item.setZValue(_PAGE_Z)
            self._page_item.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
            self._scene.addItem(self._page_item)
        self._page_item.setPixmap(pixmap)
        if size != self._image_size:
            self._image_size = size
            for item in self._shadow:
                self._scene.removeItem(item)
            self._shadow = []
            w, h = size
            for i, alpha in ((6, 14), (4, 22), (2, 34)):
                s = QGraphicsRectItem(QRectF(-i / 2 + 1, -i / 2 + 3, w + i, h + i))
                s.setPen(Qt.PenStyle.NoPen)
                s.setBrush(QColor(0, 0, 0, alpha))
                s.setZValue(_PAGE_Z - 1)
                self._scene.addItem(s)
                self._shadow.append(s)
            margin = max(w, h) * 0.03
            self._scene.setSceneRect(QRectF(-margin, -margin, w + 2 * margin, h + 2 * margin))
            self._tools.overlays.layout(self._image_size)
            keep_view = False
        if not keep_view:
            if self._fit == FitMode.NONE:  # a new page at the same zoom: start at its top
                self.centerOn(size[0] / 2, 0)
                self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
            self._apply_fit()

    # -- boxes --------------------------------------------------------------------------------
    def _clear_boxes(self) -> None:
        for item in [*self._box_items, *self._tag_items]:
            self._scene.removeItem(item)
        self._box_items = []
        self._tag_items = []

    def _rebuild_boxes(self) -> None:
        self._clear_boxes()
        for i, block in enumerate(self._blocks):
            self._add_block_items(i, block)
        if 0 <= self._highlighted < len(self._blocks):
            if self._tools.active_box >= len(self._blocks[self._highlighted].boxes):
                self._tools.active_box = 0
            self.highlight_block(self._highlighted, scroll=False)
        self._place_tags()
        self._tools.sync_handles()

    def _add_block_items(self, index: int, block: Block) -> None:
        w, h = self._image_size
        if w <= 0 or h <= 0:
            return
        for j, box in enumerate(block.boxes):
            x1, y1, x2, y2 = box.to_pixels(w, h)
            item = BoxItem(index, j, block, QRectF(x1, y1, max(1.0, x2 - x1), max(1.0, y2 - y1)))
            item.setVisible(self._boxes_visible)
            item.set_highlighted(index == self._highlighted)
            self._scene.addItem(item)
            self._box_items.append(item)
            if j == 0:
                title = label_title(block.label)
                texts = [f"{index + 1} {title}", f"{index + 1}"] if self._order_visible else [title]
                tag = TagItem(texts, label_colour(block.label), self._tag_font)
                tag.block_index = index
                tag.setToolTip(item.toolTip())
                item.tag = tag
                self._scene.addItem(tag)
                self._tag_items.append(tag)

    def _place_tags(self) -> None:
        """Put every label tag outside the text at the current zoom: beside its box where no box
        (and no other tag) is, else shown only on hover and selection (see ``free_spot``)."""
        scale = self.zoom()
        if scale <= 0 or not self._tag_items:
            return
        obstacles = [item.rect() for item in self._box_items]
        bounds = self._scene.sceneRect()
        gap = 3 / scale
        owners = {id(item.tag): item for item in self._box_items if item.tag is not None}
        for tag in self._tag_items:
            box = owners[id(tag)].rect()
            spot = None
            choices = tag.choices()
            reach = max(r.width() for _t, r in choices) / scale + gap
            zone = box.adjusted(-reach, -reach, reach, reach)
            near = [o for o in obstacles if o.intersects(zone)]  # the only ones a tag could cover
            for text, size in choices:
                scene_size = QRectF(0, 0, size.width() / scale, size.height() / scale)
                spot = free_spot(box, scene_size, near, bounds, gap)
                if spot is not None:
                    tag.show_text(text)
                    break
            tag.placed = spot is not None
            tag.allowed = self._boxes_visible and self._tags_visible
            if spot is not None:
                obstacles.append(spot)
                tag.setPos(spot.topLeft())
            else:  # no room: above the box, while it is hovered or selected
                tag.show_text(tag.choices()[0][0])
                tag.setPos(box.left(), box.top() - (tag.boundingRect().height() + 2) / scale)
            tag.setZValue(TAG_Z + (0 if tag.placed else 5))
            owner = owners[id(tag)]
            tag.setVisible(tag.allowed and (tag.placed or owner.highlighted or owner.isUnderMouse()))

    def refresh_tags(self) -> None:
        """Put the tags back in their places (after a tag was dragged)."""
        self._place_tags()

    def set_order_visible(self, visible: bool) -> None:
        """Show each block's place in the reading order on its tag."""
        if visible != self._order_visible:
            self._order_visible = visible
            self._rebuild_boxes()

    def order_visible(self) -> bool:
        return self._order_visible

    def tag_items(self) -> list[TagItem]:
        return list(self._tag_items)

    def tag_rect(self, tag: TagItem) -> QRectF:
        """Where a tag is drawn in viewport pixels (it keeps its size on screen at every zoom)."""
        return tag.boundingRect().translated(self.mapFromScene(tag.scenePos()).toPointF())

    def tag_at(self, view_pos: QPoint) -> TagItem | None:
        """The shown tag under a viewport point, if any."""
        p = QPointF(view_pos)
        return next(
            (t for t in reversed(self._tag_items) if t.isVisible() and self.tag_rect(t).contains(p)), None
        )

    def set_boxes_visible(self, visible: bool) -> None:
        self._boxes_visible = visible
        self.viewport().update()
        for item in self._box_items:
            item.setVisible(visible)
        self._place_tags()
        self._tools.sync_handles()

    def boxes_visible(self) -> bool:
        return self._boxes_visible

    def set_tags_visible(self, visible: bool) -> None:
        self._tags_visible = visible
        self._place_tags()

    def highlighted_block(self) -> int:
        return self._highlighted

    def highlight_block(self, index: int, scroll: bool = True) -> None:
        """Select a block: outline its boxes, give them handles, scroll them into view (-1: none)."""
        if index != self._highlighted:
            self._tools.active_box = 0
        self._highlighted = index
        union = QRectF()
        for item in self._box_items:
            on = item.block_index == index
            item.set_highlighted(on)
            if on:
                union = union.united(item.sceneBoundingRect())
        self._tools.sync_handles()
        if scroll and not union.isEmpty():
            self.ensureVisible(union, 40, 40)

    def box_item_at(self, scene_pos: QPointF) -> BoxItem | None:
        """The visible box containing a scene point (the smallest box wins), or None."""
        hits = [i for i in self._box_items if i.isVisible() and i.rect().contains(scene_pos)]
        return min(hits, key=lambda i: i.rect().width() * i.rect().height(), default=None)

    def block_at(self, scene_pos: QPointF) -> int:
        """The block whose box contains a scene point (the smallest box wins), or -1."""
        item = self.box_item_at(scene_pos)
        return item.block_index if item is not None else -1

    def click_at(self, view_pos: QPoint) -> None:
        """A click on the page: select the block under it (and say so), or clear the selection."""
        item = self.box_item_at(self.mapToScene(view_pos))
        if item is None:
            if self._page_item is not None and self._highlighted >= 0:
                self.highlight_block(-1, scroll=False)
            return
        self.highlight_block(item.block_index, scroll=False)
        self._tools.active_box = item.box_index
        self.block_clicked.emit(item.block_index)

    # -- editing (the work of ``CanvasTools``) ------------------------------------------------
    def set_editable(self, on: bool) -> None:
        """Off while the page is being read: no handles, no drawing; clicks still select."""
        self._tools.set_editable(on)
        self.update_cursor()

    def editable(self) -> bool:
        return self._tools.editable

    def set_draw_mode(self, on: bool) -> None:
        """Draw one region with a plain drag (refused while not editable)."""
        self._tools.set_draw_mode(on)

    def draw_mode(self) -> bool:
        return self._tools.draw_mode

    def pending_region(self) -> Box | None:
        """The last drawn region, shown dashed until ``clear_region`` or another ``set_page``."""
        return self._tools.overlays.pending

    def clear_region(self) -> None:
        self._tools.overlays.set_pending(None)

    def show_replaced(self, boxes: list[Box]) -> None:
        """Outline the blocks that reading the pending region would replace (until it is cleared)."""
        overlays = self._tools.overlays
        if overlays.pending is not None:
            overlays.set_pending(overlays.pending, boxes)

    def replaced_outlines(self) -> list[Box]:
        return list(self._tools.overlays.replaced)

    def set_marks(self, boxes: list[Box], tooltip: str = "") -> None:
        """Highlight located boxes above the blocks and scroll the first into view."""
        self._tools.overlays.set_marks(boxes, tooltip)
        items = self._tools.overlays.mark_items
        if items:
            self.ensureVisible(items[0].sceneBoundingRect(), 60, 60)

    def clear_marks(self) -> None:
        self._tools.overlays.set_marks([], "")

    def marks(self) -> list[Box]:
        return list(self._tools.overlays.marks)

    def selected_box_index(self) -> int:
        """Which box of the selected block was last clicked, the one arrows move (-1: none)."""
        index, blocks = self.highlighted_block(), self._blocks
        if 0 <= index < len(blocks) and blocks[index].boxes:
            return min(self._tools.active_box, len(blocks[index].boxes) - 1)
        return -1

    def handle_items(self) -> list[HandleItem]:
        """The resize handles shown now."""
        return self._tools.visible_handles()

    def update_cursor(self, view_pos: QPoint | None = None) -> None:
        """Show what a press here would do: resize, move, select, draw or pan."""
        self._tools.update_cursor(view_pos)

    # -- zoom ---------------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def fit_mode(self) -> FitMode:
        return self._fit

    def set_zoom(self, factor: float) -> None:
        """Zoom to a fixed factor (1.0: one image pixel per screen pixel); ends fitting."""
        self._fit = FitMode.NONE
        self._scale_to(factor)

    def _scale_to(self, factor: float, anchor_under_mouse: bool = False) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        old = self.transformationAnchor()
        if not anchor_under_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.resetTransform()
        self.scale(factor, factor)
        self.setTransformationAnchor(old)
        self._place_tags()
        self._tools.sync_handles()
        self.zoom_changed.emit(factor)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit_width(self) -> None:
        self._fit = FitMode.WIDTH
        self._apply_fit()

    def fit_page(self) -> None:
        self._fit = FitMode.PAGE
        self._apply_fit()

    def _apply_fit(self) -> None:
        w, h = self._image_size
        if w <= 0 or h <= 0 or self._fit == FitMode.NONE:
            return
        # From the viewport's size without scroll bars, not its size now: fitting to the width
        # with the vertical bar shown can make the page short enough to hide it, and fitting
        # to the wider viewport then needs it again; the view flipped between the two for ever
        # (a frozen window at 100% CPU, e.g. a letter page in a 1350×720 window).
        full = self.maximumViewportSize()
        scene = self._scene.sceneRect()
        sx = max(1, full.width() - 2) / scene.width()
        if self._fit == FitMode.WIDTH:
            if scene.height() * sx > full.height():  # taller than the view: the vertical bar shows
                bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
                sx = max(1, full.width() - bar - 2) / scene.width()
            self._scale_to(sx)
            self.centerOn(w / 2, 0)
            self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
        else:
            sy = max(1, full.height() - 2) / scene.height()
            self._scale_to(min(sx, sy))
            self.centerOn(w / 2, h / 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit != FitMode.NONE:
            self._apply_fit()

    # -- input --------------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self._fit = FitMode.NONE
                self._scale_to(self.zoom() * (ZOOM_STEP**steps), anchor_under_mouse=True)
            event.accept()
            return
        super().wheelEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._tools.wants_key(event):  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._tools.key(event):
            event.accept()
            return
        key = event.key()
        if key == Qt.Key.Key_Control:
            self.update_cursor()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.actual_size() if event.modifiers() & Qt.KeyboardModifier.ControlModifier else self.fit_page()
        elif key == Qt.Key.Key_W and not event.modifiers():
            self.fit_width()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Control:
            self.update_cursor()
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton and not self._tools.dragging():
            event.accept()
            self._tools.context_press(event.position().toPoint(), event.globalPosition().toPoint())
            return
        if self._tools.press(event):
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._tools.move(event):
            return
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            self.update_cursor(event.position().toPoint())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._tools.release(event):
            self.update_cursor(event.position().toPoint())
            return
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            return
        pos = event.position().toPoint()
        self.update_cursor(pos)
        if (pos - press).manhattanLength() <= QApplication.startDragDistance():
            self.click_at(pos)  # else that was a pan

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()
        if event.reason() != QContextMenuEvent.Reason.Mouse:  # the mouse's was answered at the press
            self._tools.context_key()

    # -- painting -----------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        base = self.palette().color(QPalette.ColorRole.Window)
        bg = base.darker(112) if base.lightness() > 128 else base.darker(130)
        painter.fillRect(rect, bg)

    def set_legend_visible(self, visible: bool) -> None:
        """A small key of the labels on this page, in the view's bottom-right corner."""
        self._legend_visible = visible
        self.viewport().update()

    def legend_labels(self) -> list[str]:
        """Labels of the current blocks, in order of first appearance."""
        return list(dict.fromkeys(b.label for b in self._blocks if b.boxes))

    def _legend_rect(self, labels: list[str]) -> QRectF:
        """The corner of the view where the legend hides the least of the boxes (the first of them,
        bottom right, top right, bottom left, top left, when they hide as much): always at the bottom
        right, it covered the last column's boxes of a magazine page."""
        corners = legend_corners(labels, self._tag_font, QRectF(self.viewport().rect()))
        taken = [
            QRectF(self.mapFromScene(item.sceneBoundingRect()).boundingRect())
            for item in self._box_items
            if item.isVisible()
        ]

        def hidden(corner: QRectF) -> float:
            parts = (corner.intersected(t) for t in taken)
            return sum(part.width() * part.height() for part in parts if not part.isEmpty())

        return min(corners, key=hidden)  # min keeps the first of equals

    def _shown_legend_labels(self) -> list[str]:
        """The legend's labels when it is drawn (a page with boxes, shown), else none."""
        if not (self._legend_visible and self._boxes_visible and self._page_item is not None):
            return []
        return self.legend_labels()

    def legend_rect(self) -> QRectF | None:
        """Where the legend is drawn in the viewport (None when it is not)."""
        labels = self._shown_legend_labels()
        return self._legend_rect(labels) if labels else None

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        labels = self._shown_legend_labels()
        if labels:
            # the legend stays put in the viewport, in a corner it may change: repaint every corner
            # where it may have been shifted to and where it may be
            for corner in legend_corners(labels, self._tag_font, QRectF(self.viewport().rect())):
                r = corner.toAlignedRect().adjusted(-2, -2, 2, 2)
                self.viewport().update(r)
                self.viewport().update(r.translated(dx, dy))

    def _paint_legend(self, painter: QPainter) -> None:
        labels = self._shown_legend_labels()
        if labels:
            at = self._legend_rect(labels)
            if self._legend_at is not None and at != self._legend_at:  # it moved: clear where it was
                self.viewport().update(self._legend_at.toAlignedRect().adjusted(-2, -2, 2, 2))
            self._legend_at = at
            paint_legend(painter, at, labels, self._tag_font, self.palette())

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        if self._page_item is not None:
            painter.save()
            painter.resetTransform()
            self._paint_legend(painter)
            painter.restore()
            return
        painter.save()
        painter.resetTransform()
        colour = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        colour.setAlpha(150)
        painter.setPen(colour)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.drawText(
            self.viewport().rect().adjusted(24, 0, -24, 0),
            int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
            self._placeholder,
        )
        painter.restore()
