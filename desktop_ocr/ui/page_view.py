"""The page list view: a wrapping grid of page thumbnails with drag reordering and page signals."""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop_ocr.ui import page_roles as roles
from desktop_ocr.ui.page_delegate import THUMB_H, PageDelegate


class _PageModel(Protocol):
    """What the view asks of its model (``desktop_ocr.ui.page_list.PageListModel``)."""

    def page_id_at(self, row: int) -> str: ...

    def index_of(self, page_id: str) -> QModelIndex: ...

    def request_move(self, page_ids: list[str], row: int, after: bool) -> None: ...

    def rowCount(self, parent: QModelIndex = ...) -> int: ...


class PageListView(QListView):
    """Page thumbnails in a wrapping grid (one column in a narrow dock), multi-select, drag to move."""

    current_page_changed = Signal(str)
    selection_changed = Signal(list)
    context_menu_requested = Signal(list, QPoint)
    delete_requested = Signal(list)
    rotate_requested = Signal(list, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._delegate = PageDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setSpacing(0)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # the model's items are editable in Qt's flags (its rows live in a QStringListModel), the
        # pages' names are not edited here
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionRectVisible(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)  # we draw our own insertion line
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setMinimumWidth(self._delegate.base_width() + 24)
        self._drop_line: QRect | None = None
        self._last_current = ""

    def resizeEvent(self, event) -> None:
        """Spread the columns over the whole width (no ragged empty strip at the right)."""
        super().resizeEvent(event)
        width = self.viewport().width()
        base = self._delegate.base_width()
        columns = max(1, width // base)
        item_width = max(base, width // columns)
        if item_width != self._delegate.item_size().width():
            self._delegate.set_item_width(item_width)
            self.doItemsLayout()

    def setModel(self, model) -> None:
        old_selection = self.selectionModel()
        super().setModel(model)
        if old_selection is not None and old_selection is not self.selectionModel():
            old_selection.deleteLater()
        self._last_current = ""
        if model is None:
            return
        if hasattr(model, "thumbnail_size"):
            model.thumbnail_size = round(THUMB_H * max(1.0, self.devicePixelRatioF()))
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self.selectionModel().selectionChanged.connect(self._on_selection_changed)
        model.layoutChanged.connect(self._emit_selection)
        model.rowsRemoved.connect(self._emit_selection)
        model.modelReset.connect(self._forget_current)  # another project: its first page is news

    def _forget_current(self) -> None:
        self._last_current = ""

    def dataChanged(self, top_left, bottom_right, roles=()) -> None:  # type: ignore[no-untyped-def]
        """One page changed (its state or progress badge while it is read): repaint that page only.
        QListView repaints the whole list for it (every page in view, 4-8 of them, each paint of a
        page a few dozen calls from Python into Qt that wait for the reading thread's GIL on a busy
        machine); Qt's item-view base repaints the one item and keeps editors and accessibility told."""
        if top_left.isValid() and top_left == bottom_right:
            QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)
        else:
            super().dataChanged(top_left, bottom_right, roles)

    # -- page ids -----------------------------------------------------------------------------
    def _pages(self) -> _PageModel:
        """The model shown: always a PageListModel (or None before one is set)."""
        return cast("_PageModel", self.model())

    def selected_page_ids(self) -> list[str]:
        model = self._pages()
        if model is None:
            return []
        rows = sorted({i.row() for i in self.selectionModel().selectedIndexes()})
        return [model.page_id_at(r) for r in rows if r < model.rowCount()]

    def current_page_id(self) -> str:
        idx = self.currentIndex()
        return self._pages().page_id_at(idx.row()) if idx.isValid() else ""

    def select_page(self, page_id: str) -> None:
        """Make a page current and the only selected one, scrolled into view."""
        idx = self._pages().index_of(page_id)
        if idx.isValid():
            self.setCurrentIndex(idx)
            self.scrollTo(idx)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        page_id = self._pages().page_id_at(current.row()) if current.isValid() else ""
        if page_id != self._last_current:
            self._last_current = page_id
            self.current_page_changed.emit(page_id)

    def _on_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._emit_selection()

    def _emit_selection(self, *_args) -> None:
        self.selection_changed.emit(self.selected_page_ids())

    # -- keyboard and menu --------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        ids = self.selected_page_ids()
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Backspace:
            if ids:
                self.delete_requested.emit(ids)
            event.accept()
            return
        if event.key() == Qt.Key.Key_R and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if ids:
                ccw = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self.rotate_requested.emit(ids, -90 if ccw else 90)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        idx = self.indexAt(event.pos())
        if idx.isValid() and not self.selectionModel().isSelected(idx):
            self.setCurrentIndex(idx)
        ids = self.selected_page_ids()
        self.context_menu_requested.emit(ids, event.globalPos())
        event.accept()

    # -- drag and drop ------------------------------------------------------------------------
    def drop_position(self, pos: QPoint) -> tuple[int, bool]:
        """(row, after) for a drop at a viewport position: before or after the item under it."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return -1, False
        idx = self.indexAt(pos)
        if not idx.isValid():
            last = model.rowCount() - 1
            last_rect = self.visualRect(model.index(last, 0))
            if pos.y() > last_rect.bottom() or (pos.y() >= last_rect.top() and pos.x() > last_rect.right()):
                return last, True
            first_rect = self.visualRect(model.index(0, 0))
            if pos.y() < first_rect.top():
                return 0, False
            idx = self.indexAt(QPoint(self.viewport().width() // 2, pos.y()))
            if not idx.isValid():
                return last, True
        rect = self.visualRect(idx)
        single_column = rect.width() * 2 > self.viewport().width()
        after = pos.y() > rect.center().y() if single_column else pos.x() > rect.center().x()
        return idx.row(), after

    def _drop_indicator(self, row: int, after: bool) -> QRect | None:
        if row < 0:
            return None
        rect = self.visualRect(self.model().index(row, 0))
        card = PageDelegate.card_rect(rect)
        if rect.width() * 2 > self.viewport().width():
            y = card.bottom() + 1 if after else card.top() - 2
            return QRect(card.left() + 6, y, card.width() - 12, 3)
        x = rect.right() - 1 if after else rect.left()
        return QRect(x, card.top() + 4, 3, card.height() - 8)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(roles.PAGE_IDS_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not event.mimeData().hasFormat(roles.PAGE_IDS_MIME):
            super().dragMoveEvent(event)
            return
        pos = event.position().toPoint()
        row, after = self.drop_position(pos)
        self._set_drop_line(self._drop_indicator(row, after))
        margin = 30
        if pos.y() < margin:
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - 20)
        elif pos.y() > self.viewport().height() - margin:
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() + 20)
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_line(None)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drop_line(None)
        ids = roles.page_ids_from_mime(event.mimeData())
        if not ids:
            super().dropEvent(event)
            return
        row, after = self.drop_position(event.position().toPoint())
        model = self._pages()
        if model is not None and row >= 0:
            model.request_move(ids, row, after)
        # The controller moves the pages; a CopyAction keeps the view from removing rows itself.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def _set_drop_line(self, rect: QRect | None) -> None:
        if rect != self._drop_line:
            self._drop_line = rect
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._drop_line is not None:
            p = QPainter(self.viewport())
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            p.setPen(QPen(colour, 1))
            p.setBrush(colour)
            p.drawRoundedRect(self._drop_line, 1.5, 1.5)
            p.end()
