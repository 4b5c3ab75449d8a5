"""Graphics items of the page canvas: block boxes (one item per box) and label tags."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from desktop_ocr.model.result import Block
from desktop_ocr.ui.labels import label_colour, label_title

BOX_Z, TAG_Z = 10, 20


class BoxItem(QGraphicsRectItem):
    """One box of a block, in image pixels. Pens are cosmetic, so outlines stay crisp at any zoom.

    Kept as its own item (block index, box index) so that moving/resizing boxes can be added later.
    """

    def __init__(self, block_index: int, box_index: int, block: Block, rect: QRectF) -> None:
        super().__init__(rect)
        self.block_index = block_index
        self.box_index = box_index
        self.label = block.label
        self._colour = label_colour(block.label)
        self._highlighted = False
        self._hovered = False
        self.setZValue(BOX_Z)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # the view handles clicks and panning
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        snippet = " ".join(block.text.split())
        if len(snippet) > 160:
            snippet = snippet[:157] + "…"
        self.setToolTip(
            f"{block_index + 1}. {label_title(block.label)}" + (f"\n{snippet}" if snippet else "")
        )
        self._apply()

    @property
    def highlighted(self) -> bool:
        return self._highlighted

    def set_highlighted(self, on: bool) -> None:
        if on != self._highlighted:
            self._highlighted = on
            self.setZValue(BOX_Z + (1 if on else 0))
            self._apply()

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

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self._apply()


class TagItem(QGraphicsItem):
    """A small label tag at a box's top-left corner; constant size on screen at every zoom."""

    def __init__(self, text: str, colour: QColor, font: QFont) -> None:
        super().__init__()
        self._text = text
        self._colour = colour
        self._font = font
        fm = QFontMetricsF(font)
        self._rect = QRectF(0, 0, fm.horizontalAdvance(text) + 8, fm.height() + 2)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(TAG_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect.left(), -self._rect.height(), self._rect.width(), self._rect.height())

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
