"""Paints one page of the page list: document header, thumbnail or placeholder, state badge."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol, cast

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop_ocr.model.document import PageState
from desktop_ocr.ui import page_roles as roles
from desktop_ocr.ui.page_roles import PageItem


class PageItems(Protocol):
    """What the delegate asks of its model (``page_list.PageListModel``): one row's ``PageItem``."""

    def item(self, row: int) -> PageItem | None: ...


#: Fixed state colours: solid badge backgrounds with white glyphs read on light and dark alike.
STATE_COLOURS = {
    PageState.NOT_READ: QColor("#8a9099"),
    PageState.QUEUED: QColor("#6a7fb0"),
    PageState.READING: QColor("#2f7fe0"),
    PageState.READ: QColor("#2e9d5b"),
    PageState.EDITED: QColor("#8e5bd6"),
    PageState.FAILED: QColor("#d64545"),
    PageState.INCOMPLETE: QColor("#e08a1e"),
}
REVIEWED_COLOUR = QColor("#2e9d5b")

THUMB_W = 116  # thumbnail box (logical pixels)
THUMB_H = 150
HEADER_H = 24
CAPTION_H = 22
PAD = 6
BADGE = 20

_PIXMAP_CACHE_LIMIT = 300


class PageDelegate(QStyledItemDelegate):
    """Fixed-size page items (for uniform item sizes); scaled thumbnails cached as pixmaps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: OrderedDict[tuple[str, int, int, int], QPixmap] = OrderedDict()
        self._size = QSize(THUMB_W + 2 * PAD + 16, HEADER_H + THUMB_H + CAPTION_H + 2 * PAD)
        self._small: QFont | None = None
        self._bold: QFont | None = None

    def item_size(self) -> QSize:
        return QSize(self._size)

    def base_width(self) -> int:
        """The narrowest item; the view widens items to fill its columns."""
        return THUMB_W + 2 * PAD + 16

    def set_item_width(self, width: int) -> None:
        self._size = QSize(max(self.base_width(), width), self._size.height())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self._size)

    # -- geometry -----------------------------------------------------------------------------
    @staticmethod
    def card_rect(rect: QRect) -> QRect:
        """The selectable part of an item (thumbnail + caption), below the header strip."""
        return QRect(rect.left() + 2, rect.top() + HEADER_H, rect.width() - 4, rect.height() - HEADER_H - 2)

    @staticmethod
    def thumb_box(rect: QRect) -> QRect:
        x = rect.left() + (rect.width() - THUMB_W) // 2
        return QRect(x, rect.top() + HEADER_H + PAD, THUMB_W, THUMB_H)

    @staticmethod
    def fit(size: tuple[int, int] | QSize, box: QRect) -> QRect:
        w, h = (size.width(), size.height()) if isinstance(size, QSize) else size
        if w <= 0 or h <= 0:
            w, h = 1000, 1414
        scale = min(box.width() / w, box.height() / h)
        tw, th = max(1, round(w * scale)), max(1, round(h * scale))
        return QRect(box.left() + (box.width() - tw) // 2, box.bottom() + 1 - th, tw, th)

    # -- painting -----------------------------------------------------------------------------
    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = option.rect
        pal = option.palette
        dark = pal.color(QPalette.ColorRole.Base).lightness() < 128
        self._ensure_fonts(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        item = cast("PageItems", index.model()).item(index.row())
        if item is None:
            painter.restore()
            return
        if item.first_of_document:
            self._paint_header(painter, rect, item, pal)

        card = self.card_rect(rect)
        if selected or hovered:
            hl = QColor(pal.color(QPalette.ColorRole.Highlight))
            fill = QColor(hl)
            fill.setAlpha(70 if selected else 28)
            painter.setPen(QPen(hl, 1.5) if selected else Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(card).adjusted(0.75, 0.75, -0.75, -0.75), 6, 6)

        state = item.state
        image = item.image
        box = self.thumb_box(rect)
        if image is not None and not image.isNull():
            target = self.fit(image.size(), box)
            self._paint_paper_shadow(painter, target, dark)
            pix = self._scaled(item.page_id, image, target.size(), painter.device().devicePixelRatioF())
            painter.drawPixmap(target, pix)
        else:
            target = self.fit(item.size, box)
            self._paint_paper_shadow(painter, target, dark)
            self._paint_placeholder(painter, target, dark)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(QColor(0, 0, 0, 60 if not dark else 140), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        if state == PageState.READING:
            self._paint_progress(painter, target, item.progress)
        if state != PageState.NOT_READ:
            centre = QPointF(target.right() - 3, target.top() + 3)
            paint_state_badge(painter, centre, state, BADGE, item.progress)
        if item.reviewed:
            paint_reviewed_badge(painter, QPointF(target.left() + 3, target.top() + 3), BADGE)

        self._paint_caption(painter, rect, item, pal, dark)
        painter.restore()

    def _ensure_fonts(self, base: QFont) -> None:
        if self._small is None:
            self._small = QFont(base)
            self._small.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
            self._bold = QFont(base)
            self._bold.setWeight(QFont.Weight.DemiBold)

    def _paint_header(self, painter: QPainter, rect: QRect, item: PageItem, pal: QPalette) -> None:
        name = item.document_name
        count = item.document_page_count
        top = rect.top() + 3
        text_col = pal.color(QPalette.ColorRole.Text)
        line = QColor(text_col)
        line.setAlpha(50)
        painter.setPen(QPen(line, 1))
        painter.drawLine(rect.left() + 2, top, rect.right() - 2, top)
        # a small document glyph
        g = QRectF(rect.left() + 6, top + 5, 10, 13)
        path = QPainterPath()
        path.moveTo(g.left(), g.top())
        path.lineTo(g.right() - 3, g.top())
        path.lineTo(g.right(), g.top() + 3)
        path.lineTo(g.right(), g.bottom())
        path.lineTo(g.left(), g.bottom())
        path.closeSubpath()
        accent = pal.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(accent, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        assert self._bold is not None and self._small is not None
        count_text = QCoreApplication.translate("PageDelegate", "{n} p.").format(n=count)
        fm_small = QFontMetrics(self._small)
        count_w = fm_small.horizontalAdvance(count_text)
        text_rect = QRect(rect.left() + 21, top + 2, rect.width() - 29 - count_w, HEADER_H - 4)
        painter.setFont(self._bold)
        painter.setPen(text_col)
        elided = QFontMetrics(self._bold).elidedText(name, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        painter.setFont(self._small)
        muted = QColor(text_col)
        muted.setAlpha(150)
        painter.setPen(muted)
        painter.drawText(
            QRect(rect.right() - 4 - count_w, top + 2, count_w, HEADER_H - 4),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            count_text,
        )

    @staticmethod
    def _paint_paper_shadow(painter: QPainter, target: QRect, dark: bool) -> None:
        """A soft shadow right of and below the page: thin strips only (cheap to paint)."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for i, alpha in ((1, 46), (2, 30), (3, 16)):
            c = QColor(0, 0, 0, alpha * 2 if dark else alpha)
            painter.fillRect(QRect(target.right() + i, target.top() + 2 + i, 1, target.height() - 2), c)
            painter.fillRect(QRect(target.left() + 2 + i, target.bottom() + i, target.width() - 2, 1), c)
        painter.restore()

    @staticmethod
    def _paint_placeholder(painter: QPainter, target: QRect, dark: bool) -> None:
        paper = QColor("#f4f4f2") if not dark else QColor("#3a3d42")
        ink = QColor(0, 0, 0, 26) if not dark else QColor(255, 255, 255, 30)
        painter.fillRect(target, paper)
        painter.setPen(Qt.PenStyle.NoPen)
        # a skeleton of text lines while the thumbnail renders
        painter.setBrush(ink)
        m = max(6, target.width() // 9)
        y = target.top() + m + 2
        widths = (0.55, 0.9, 0.85, 0.9, 0.6, 0.0, 0.9, 0.88, 0.7)
        for w in widths:
            if y + 4 > target.bottom() - m:
                break
            if w:
                painter.drawRoundedRect(QRectF(target.left() + m, y, (target.width() - 2 * m) * w, 4), 2, 2)
            y += 10

    @staticmethod
    def _paint_progress(painter: QPainter, target: QRect, progress: float) -> None:
        bar = QRectF(target.left() + 4, target.bottom() - 8, target.width() - 8, 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 70))
        painter.drawRoundedRect(bar, 2.5, 2.5)
        fraction = float(progress or 0.0)
        if fraction > 0:
            painter.setBrush(STATE_COLOURS[PageState.READING])
            done = QRectF(bar.left(), bar.top(), max(5.0, bar.width() * fraction), bar.height())
            painter.drawRoundedRect(done, 2.5, 2.5)

    def _paint_caption(
        self, painter: QPainter, rect: QRect, item: PageItem, pal: QPalette, dark: bool
    ) -> None:
        assert self._bold is not None and self._small is not None
        state = item.state
        width = min(rect.width() - 2 * PAD - 8, THUMB_W + 44)
        cap = QRect(
            rect.left() + (rect.width() - width) // 2, rect.bottom() - CAPTION_H - 1, width, CAPTION_H
        )
        painter.setFont(self._bold)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        painter.drawText(cap, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, item.label)
        painter.setFont(self._small)
        colour = QColor(STATE_COLOURS.get(state, STATE_COLOURS[PageState.NOT_READ]))
        if dark:
            colour = colour.lighter(135)
        elif state in (PageState.INCOMPLETE,):
            colour = colour.darker(115)
        painter.setPen(colour)
        word = roles.state_text(state)
        if state == PageState.READING and item.progress:
            word = f"{word} {round(item.progress * 100)}%"
        painter.drawText(cap, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, word)

    # -- cached scaled thumbnails -------------------------------------------------------------
    def _scaled(self, page_id: str, image: QImage, size: QSize, dpr: float) -> QPixmap:
        key = (page_id, image.cacheKey(), size.width(), round(dpr * 100))
        pix = self._pixmaps.get(key)
        if pix is None:
            w, h = round(size.width() * dpr), round(size.height() * dpr)
            scaled = image.scaled(
                w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            pix = QPixmap.fromImage(scaled)
            pix.setDevicePixelRatio(dpr)
            self._pixmaps[key] = pix
            while len(self._pixmaps) > _PIXMAP_CACHE_LIMIT:
                self._pixmaps.popitem(last=False)
        else:
            self._pixmaps.move_to_end(key)
        return pix


def paint_state_badge(
    painter: QPainter, centre: QPointF, state: PageState, size: float, progress: float | None = None
) -> None:
    """A round badge with a white glyph for a page state (also used by legends and menus)."""
    r = size / 2
    colour = STATE_COLOURS.get(state, STATE_COLOURS[PageState.NOT_READ])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor(255, 255, 255, 230), 1.5))
    painter.setBrush(colour)
    painter.drawEllipse(centre, r, r)
    pen = QPen(QColor("white"), max(1.6, size / 11))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y, u = centre.x(), centre.y(), size / 20
    if state == PageState.QUEUED:  # a clock
        painter.drawEllipse(centre, 5.5 * u, 5.5 * u)
        painter.drawLine(QPointF(x, y), QPointF(x, y - 3.5 * u))
        painter.drawLine(QPointF(x, y), QPointF(x + 2.5 * u, y + 1 * u))
    elif state == PageState.READING:  # progress arc
        frac = float(progress or 0.0)
        arc = QRectF(x - 5.5 * u, y - 5.5 * u, 11 * u, 11 * u)
        faint = QPen(pen)
        faint.setColor(QColor(255, 255, 255, 90))
        painter.setPen(faint)
        painter.drawEllipse(arc)
        painter.setPen(pen)
        painter.drawArc(arc, 90 * 16, -round(360 * 16 * max(0.08, frac)))
    elif state == PageState.READ:  # lines of text
        for dy, w in ((-3.5, 9), (0, 9), (3.5, 6)):
            painter.drawLine(QPointF(x - 4.5 * u, y + dy * u), QPointF(x - 4.5 * u + w * u, y + dy * u))
    elif state == PageState.EDITED:  # a pencil
        painter.drawLine(QPointF(x - 4 * u, y + 4 * u), QPointF(x + 3.5 * u, y - 3.5 * u))
        painter.drawLine(QPointF(x - 4 * u, y + 4 * u), QPointF(x - 4.6 * u, y + 4.6 * u))
        thin = QPen(pen)
        thin.setWidthF(pen.widthF() * 0.7)
        painter.setPen(thin)
        painter.drawLine(QPointF(x - 5 * u, y + 5.5 * u), QPointF(x + 5 * u, y + 5.5 * u))
    elif state == PageState.FAILED:  # a cross
        painter.drawLine(QPointF(x - 3.5 * u, y - 3.5 * u), QPointF(x + 3.5 * u, y + 3.5 * u))
        painter.drawLine(QPointF(x + 3.5 * u, y - 3.5 * u), QPointF(x - 3.5 * u, y + 3.5 * u))
    elif state == PageState.INCOMPLETE:  # an exclamation mark
        painter.drawLine(QPointF(x, y - 5 * u), QPointF(x, y + 1.2 * u))
        painter.setBrush(QBrush(QColor("white")))
        painter.drawEllipse(QPointF(x, y + 4.6 * u), 0.6 * u, 0.6 * u)
    else:  # not read: a hollow dot
        painter.drawEllipse(centre, 3 * u, 3 * u)
    painter.restore()


def paint_reviewed_badge(painter: QPainter, centre: QPointF, size: float) -> None:
    """The reviewed tick."""
    r = size / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor(255, 255, 255, 230), 1.5))
    painter.setBrush(REVIEWED_COLOUR)
    painter.drawEllipse(centre, r, r)
    pen = QPen(QColor("white"), max(1.8, size / 10))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    u = size / 20
    path = QPainterPath()
    path.moveTo(centre.x() - 4.5 * u, centre.y() + 0.3 * u)
    path.lineTo(centre.x() - 1.3 * u, centre.y() + 3.5 * u)
    path.lineTo(centre.x() + 4.8 * u, centre.y() - 3.5 * u)
    painter.drawPath(path)
    painter.restore()
