"""Graphics items of the page canvas (boxes, tags, handles, regions, marks) and their geometry."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from desktop_ocr.model.geometry import NORM, Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.labels import label_colour, label_title

BOX_Z, TAG_Z, MARK_Z, REGION_Z, HANDLE_Z = 10, 20, 30, 35, 40
#: Side of a resize handle in screen pixels, at every zoom.
HANDLE_SIZE = 8.0
#: A handle is the pair of edges it moves: -1 left/top, 1 right/bottom, 0 neither.
Handle = tuple[int, int]
HANDLES: tuple[Handle, ...] = ((-1, -1), (1, -1), (1, 1), (-1, 1), (0, -1), (1, 0), (0, 1), (-1, 0))


class BoxItem(QGraphicsRectItem):
    """One box of a block, in image pixels. Pens are cosmetic, so outlines stay crisp at any zoom.

    One item per (block index, box index); ``box`` is the normalised box it shows (updated when
    the user moves or resizes it, until the window sends the new blocks), ``tag`` the label tag
    drawn at its corner (first box of a block only).
    """

    def __init__(self, block_index: int, box_index: int, block: Block, rect: QRectF) -> None:
        super().__init__(rect)
        self.block_index = block_index
        self.box_index = box_index
        self.box: Box = block.boxes[box_index]
        self.tag: TagItem | None = None
        self.label = block.label
        self._colour = label_colour(block.label)
        self._highlighted = False
        self._hovered = False
        self.setZValue(BOX_Z)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view handles clicks and panning
        snippet = " ".join(block.text.split())
        if len(snippet) > 160:
            snippet = snippet[:157] + "…"
        self.setToolTip(
            f"{block_index + 1}. {label_title(block.label)}" + (f"\n{snippet}" if snippet else "")
        )
        self._apply()

    @property
    def colour(self) -> QColor:
        return QColor(self._colour)

    def set_pixel_rect(self, rect: QRectF) -> None:
        """Show the box at ``rect`` (image pixels); the canvas places its tag again."""
        self.setRect(rect)

    @property
    def highlighted(self) -> bool:
        return self._highlighted

    def set_highlighted(self, on: bool) -> None:
        if on != self._highlighted:
            self._highlighted = on
            self.setZValue(BOX_Z + (1 if on else 0))
            self._apply()
            self._show_unplaced_tag()

    def _apply(self) -> None:
        pen = QPen(self._colour, 3.0 if self._highlighted else 1.6)
        pen.setCosmetic(True)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        self.setPen(pen)
        fill = QColor(self._colour)
        fill.setAlpha(56 if self._highlighted else (34 if self._hovered else 16))
        self.setBrush(QBrush(fill))

    def hoverEnterEvent(self, event) -> None:
        self._hovered = True
        self._apply()
        self._show_unplaced_tag()

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self._apply()
        self._show_unplaced_tag()

    def _show_unplaced_tag(self) -> None:
        """A tag without room of its own shows above the box while it is hovered or selected."""
        tag = self.tag
        if tag is not None and not tag.placed:
            tag.setVisible(tag.allowed and self.isVisible() and (self._hovered or self._highlighted))


class TagItem(QGraphicsItem):
    """A block's label tag (with its place in the reading order when that is shown), drawn
    outside the text: the canvas puts it where it covers no box (:func:`free_spot`), in the
    margin beside the box where there is room; where there is none it shows only while the
    block is hovered or selected. Constant size on screen at every zoom."""

    def __init__(self, texts: list[str], colour: QColor, font: QFont) -> None:
        super().__init__()
        self._texts = [t for t in texts if t] or [""]
        self._text = self._texts[0]
        self._colour = colour
        self._font = font
        self._fm = QFontMetricsF(font)
        self._rect = self._rect_for(self._text)
        #: The tag found room outside every box (False: it shows on hover or selection only).
        self.placed = True
        #: Tags are shown at all (the boxes and tags are switched on).
        self.allowed = True
        self.block_index = -1
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(TAG_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def _rect_for(self, text: str) -> QRectF:
        return QRectF(0, 0, self._fm.horizontalAdvance(text) + 8, self._fm.height() + 2)

    @property
    def text(self) -> str:
        return self._text

    def choices(self) -> list[tuple[str, QRectF]]:
        """The texts the tag may show, longest first, with their size on screen."""
        return [(t, self._rect_for(t)) for t in self._texts]

    def show_text(self, text: str) -> None:
        if text != self._text:
            self.prepareGeometryChange()
            self._text, self._rect = text, self._rect_for(text)

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        r = self.boundingRect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colour)
        painter.drawRoundedRect(r, 3, 3)
        painter.setFont(self._font)
        painter.setPen(QColor("white"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, self._text)


def free_spot(
    box: QRectF, size: QRectF, obstacles: list[QRectF], bounds: QRectF, gap: float
) -> QRectF | None:
    """Where a tag of ``size`` (scene units) can go beside ``box`` without covering any of the
    ``obstacles`` (the blocks' boxes, the tags already placed) and inside ``bounds``: in the
    margin left of the box, right of it, above or below it, or None when nowhere is free."""
    w, h = size.width(), size.height()
    candidates = (
        QPointF(box.left() - gap - w, box.top()),  # a tab in the margin beside the first line
        QPointF(box.right() + gap, box.top()),
        QPointF(box.left(), box.top() - gap - h),
        QPointF(box.left(), box.bottom() + gap),
        QPointF(box.left() - gap - w, box.bottom() - h),
        QPointF(box.right() + gap, box.bottom() - h),
    )
    for corner in candidates:
        spot = QRectF(corner.x(), corner.y(), w, h)
        if bounds.contains(spot) and not any(spot.intersects(o) for o in obstacles):
            return spot
    return None


def handle_cursor(handle: Handle) -> Qt.CursorShape:
    hx, hy = handle
    if hx and hy:
        return Qt.CursorShape.SizeFDiagCursor if hx == hy else Qt.CursorShape.SizeBDiagCursor
    return Qt.CursorShape.SizeHorCursor if hx else Qt.CursorShape.SizeVerCursor


def handle_point(rect: QRectF, handle: Handle) -> QPointF:
    hx, hy = handle
    x = rect.left() if hx < 0 else rect.right() if hx > 0 else rect.center().x()
    y = rect.top() if hy < 0 else rect.bottom() if hy > 0 else rect.center().y()
    return QPointF(x, y)


def moved_rect(origin: QRectF, dx: float, dy: float, bounds: QRectF) -> QRectF:
    """``origin`` shifted by (dx, dy), kept inside ``bounds`` at its size."""
    r = origin.translated(dx, dy)
    r.moveLeft(min(max(r.left(), bounds.left()), bounds.right() - r.width()))
    r.moveTop(min(max(r.top(), bounds.top()), bounds.bottom() - r.height()))
    return r


def resized_rect(
    origin: QRectF, handle: Handle, dx: float, dy: float, bounds: QRectF, min_w: float, min_h: float
) -> QRectF:
    """``origin`` with the handle's edges moved by (dx, dy): inside ``bounds``, never inverted."""
    left, top, right, bottom = origin.left(), origin.top(), origin.right(), origin.bottom()
    hx, hy = handle
    if hx < 0:
        left = min(max(left + dx, bounds.left()), right - min_w)
    elif hx > 0:
        right = max(min(right + dx, bounds.right()), left + min_w)
    if hy < 0:
        top = min(max(top + dy, bounds.top()), bottom - min_h)
    elif hy > 0:
        bottom = max(min(bottom + dy, bounds.bottom()), top + min_h)
    return QRectF(QPointF(left, top), QPointF(right, bottom))


def nudged_box(box: Box, dx: int, dy: int) -> Box:
    """``box`` moved by (dx, dy) normalised units, stopped at the page's edges at its size."""
    dx = min(max(dx, -box.x1), NORM - box.x2)
    dy = min(max(dy, -box.y1), NORM - box.y2)
    return Box(box.x1 + dx, box.y1 + dy, box.x2 + dx, box.y2 + dy)


class HandleItem(QGraphicsItem):
    """A square resize handle of a selected box, the same size on screen at every zoom."""

    def __init__(self) -> None:
        super().__init__()
        self._colour = QColor("#2f7ed8")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(HANDLE_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view hit-tests handles itself

    def set_colour(self, colour: QColor) -> None:
        if colour != self._colour:
            self._colour = QColor(colour)
            self.update()

    def boundingRect(self) -> QRectF:
        h = HANDLE_SIZE / 2 + 1.5
        return QRectF(-h, -h, 2 * h, 2 * h)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        h = HANDLE_SIZE / 2
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self._colour.darker(125), 1.5))
        painter.setBrush(QColor("white"))
        painter.drawRect(QRectF(-h, -h, 2 * h, 2 * h))


class RegionItem(QGraphicsRectItem):
    """A drawn region (rubber band while drawing, then the pending region): dashed, translucent."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(REGION_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setBrush(QColor(0, 140, 220, 36))
        self.setPen(Qt.PenStyle.NoPen)
        self.setVisible(False)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        r = self.rect()
        painter.fillRect(r, self.brush())
        under = QPen(QColor("white"), 3.0)
        under.setCosmetic(True)
        painter.setPen(under)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(r)
        dash = QPen(QColor("#0b5cad"), 2.0, Qt.PenStyle.CustomDashLine)
        dash.setDashPattern([4.0, 3.0])
        dash.setCosmetic(True)
        painter.setPen(dash)
        painter.drawRect(r)


class ReplacedItem(QGraphicsRectItem):
    """A block that the pending region read will replace: a red dashed outline and a light tint."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__(rect)
        self.setZValue(REGION_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        pen = QPen(QColor("#c8102e"), 2.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setBrush(QColor(200, 16, 46, 40))
        self.setToolTip(QCoreApplication.translate("Overlays", "Replaced by the region's text"))


class MarkItem(QGraphicsRectItem):
    """A locate mark: a translucent yellow highlight with a strong orange outline, above blocks."""

    def __init__(self, rect: QRectF, tooltip: str = "") -> None:
        super().__init__(rect)
        self.setZValue(MARK_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the boxes below
        pen = QPen(QColor("#f07800"), 2.5)
        pen.setCosmetic(True)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        self.setPen(pen)
        self.setBrush(QColor(255, 221, 0, 92))
        if tooltip:
            self.setToolTip(tooltip)


def box_rect(box: Box, size: tuple[int, int]) -> QRectF:
    """A normalised box's rectangle in the pixels of an image of ``size`` (width, height)."""
    x1, y1, x2, y2 = box.to_pixels(*size)
    return QRectF(QPointF(x1, y1), QPointF(x2, y2))


class Overlays:
    """The pending region and the locate marks of a scene: shown whether boxes are or not."""

    def __init__(self, scene: QGraphicsScene) -> None:
        self._scene = scene
        self._size = (0, 0)
        self.pending: Box | None = None
        self.pending_item = RegionItem()
        scene.addItem(self.pending_item)
        self.marks: list[Box] = []
        self.mark_items: list[MarkItem] = []
        self.replaced: list[Box] = []
        self.replaced_items: list[ReplacedItem] = []
        self._tooltip = ""

    def set_pending(self, box: Box | None, replaced: list[Box] | None = None) -> None:
        """Show a drawn region (None: none) and the boxes of the blocks its read would replace."""
        self.pending = box
        for item in self.replaced_items:
            self._scene.removeItem(item)
        self.replaced = list(replaced or []) if box is not None else []
        self.replaced_items = []
        self.layout()

    def set_marks(self, boxes: list[Box], tooltip: str) -> None:
        for item in self.mark_items:
            self._scene.removeItem(item)
        self.marks, self.mark_items, self._tooltip = list(boxes), [], tooltip
        self.layout()

    def layout(self, size: tuple[int, int] | None = None) -> None:
        """Place the overlays on an image of ``size`` (the last one if None; hidden at 0 x 0)."""
        self._size = size if size is not None else self._size
        shown = self._size[0] > 0 and self._size[1] > 0
        if shown and self.pending is not None:
            self.pending_item.setRect(box_rect(self.pending, self._size))
        self.pending_item.setVisible(shown and self.pending is not None)
        if shown and self.replaced and not self.replaced_items:
            for box in self.replaced:
                self.replaced_items.append(ReplacedItem(box_rect(box, self._size)))
                self._scene.addItem(self.replaced_items[-1])
        for replaced, box in zip(self.replaced_items, self.replaced, strict=False):
            replaced.setRect(box_rect(box, self._size))
            replaced.setVisible(shown)
        if shown and self.marks and not self.mark_items:
            for box in self.marks:
                self.mark_items.append(MarkItem(box_rect(box, self._size), self._tooltip))
                self._scene.addItem(self.mark_items[-1])
        for item, box in zip(self.mark_items, self.marks, strict=False):  # none yet, or all
            item.setRect(box_rect(box, self._size))
            item.setVisible(shown)


def paint_legend(painter: QPainter, box: QRectF, labels: list[str], font: QFont, palette: QPalette) -> None:
    """The label key of the canvas (``box`` one of :func:`legend_corners`), in viewport coordinates."""
    fm = QFontMetricsF(font)
    row = fm.height() + 4
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    panel = QColor(palette.color(QPalette.ColorRole.Base))
    panel.setAlpha(215)
    painter.setPen(QPen(QColor(0, 0, 0, 50), 1))
    painter.setBrush(panel)
    painter.drawRoundedRect(box, 6, 6)
    painter.setFont(font)
    for i, lb in enumerate(labels):
        y = box.top() + 4 + i * row
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(label_colour(lb))
        painter.drawRoundedRect(QRectF(box.left() + 8, y + row / 2 - 5, 12, 10), 2, 2)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            QRectF(box.left() + 26, y, box.width() - 28, row),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            label_title(lb),
        )


def legend_corners(labels: list[str], font: QFont, viewport: QRectF) -> list[QRectF]:
    """The places the legend may take, in order of preference: the viewport's bottom-right,
    top-right, bottom-left and top-left corners."""
    fm = QFontMetricsF(font)
    row = fm.height() + 4
    width = max(fm.horizontalAdvance(label_title(lb)) for lb in labels) + 38
    height = row * len(labels) + 8
    left, right = viewport.left() + 12, viewport.right() - width - 12
    top, bottom = viewport.top() + 12, viewport.bottom() - height - 12
    return [
        QRectF(x, y, width, height) for x, y in ((right, bottom), (right, top), (left, bottom), (left, top))
    ]
