"""Editing on the page canvas: move/resize a block's boxes, nudge them, draw a region."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsPixmapItem, QGraphicsView

from desktop_ocr.model.geometry import NORM, Box
from desktop_ocr.model.result import Block
from desktop_ocr.ui.canvas_items import (
    HANDLE_SIZE,
    HANDLES,
    BoxItem,
    Handle,
    HandleItem,
    Overlays,
    RegionItem,
    TagItem,
    box_rect,
    handle_cursor,
    handle_point,
    moved_rect,
    nudged_box,
    resized_rect,
)

#: How far from a handle's centre (screen pixels) a press still grabs it.
HANDLE_SLOP = HANDLE_SIZE / 2 + 2
#: Smallest box (image pixels) a resize leaves; also at least two normalised units.
MIN_BOX_PX = 4.0
#: A drag held this close (screen pixels) to the viewport's edge scrolls the page.
AUTOSCROLL_MARGIN = 24
#: Smallest drawn region on screen (pixels) that counts as a region rather than a click.
MIN_DRAW_VIEW_PX = 6
_NUDGE_MODS = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


@dataclass
class _Drag:
    kind: str  # "move", "resize", "draw" or "order" (a reading-order tag dragged onto a block)
    start_view: QPoint
    start_scene: QPointF
    item: BoxItem | None = None
    origin: QRectF = field(default_factory=QRectF)
    handle: Handle = (0, 0)
    via_ctrl: bool = False
    moved: bool = False
    tag: TagItem | None = None


class CanvasPage(Protocol):
    """What the editing tools read and ask of the page they edit (``PageCanvas`` answers all of it)."""

    def image_size(self) -> tuple[int, int]: ...
    def image_item(self) -> QGraphicsPixmapItem | None: ...
    def blocks(self) -> list[Block]: ...
    def box_items(self) -> list[BoxItem]: ...
    def boxes_visible(self) -> bool: ...
    def order_visible(self) -> bool: ...
    def highlighted_block(self) -> int: ...
    def zoom(self) -> float: ...
    def tag_at(self, view_pos: QPoint) -> TagItem | None: ...
    def box_item_at(self, scene_pos: QPointF) -> BoxItem | None: ...
    def block_at(self, scene_pos: QPointF) -> int: ...
    def highlight_block(self, index: int, scroll: bool = True) -> None: ...
    def click_at(self, view_pos: QPoint) -> None: ...
    def refresh_tags(self) -> None: ...


class CanvasTools(QObject):
    """The editing half of the page canvas, composed by ``PageCanvas``, which forwards its input
    here and re-emits these signals as its own.

    It is given the pieces it uses: ``view``, the graphics view it maps points through, scrolls and
    sets the cursor of (its scene holds the handles, rubber band and overlays), and ``page``, what is
    shown on it (the image, the blocks' box items, the selection).

    Only the selected block's boxes can be moved or resized (elsewhere a drag pans the page).
    Nothing here changes blocks: it emits what the user did, and the window answers with new blocks.
    """

    #: (block index, box index, the new Box in 0..999 of the displayed image)
    box_changed = Signal(int, int, object)
    #: (the drawn Box, global position of the mouse release, for a popup menu)
    region_drawn = Signal(object, QPoint)
    draw_mode_changed = Signal(bool)
    #: (block under the cursor or -1, global position)
    context_menu_requested = Signal(int, QPoint)
    delete_requested = Signal(int)
    #: (block index, the block its reading-order tag was dropped on)
    order_dropped = Signal(int, int)
    #: a reading-order tag clicked without a drag: its block is selected
    block_clicked = Signal(int)

    def __init__(self, view: QGraphicsView, page: CanvasPage) -> None:
        super().__init__(view)
        self._view = view
        self._page = page
        self.editable = True
        self.draw_mode = False
        self.active_box = 0  # which box of the selected block the arrow keys move
        self._drag: _Drag | None = None
        self._last_pos = QPoint()
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setInterval(30)
        self._scroll_timer.timeout.connect(self._autoscroll)
        self._handles: list[HandleItem] = []
        self._rubber = RegionItem()
        self.overlays = Overlays(view.scene())
        view.scene().addItem(self._rubber)

    # -- geometry -----------------------------------------------------------------------------
    def _bounds(self) -> QRectF:
        w, h = self._page.image_size()
        return QRectF(0, 0, w, h)

    def _to_box(self, r: QRectF) -> Box:
        w, h = self._page.image_size()
        return Box.from_pixels(r.left(), r.top(), r.right(), r.bottom(), w, h)

    def _to_rect(self, box: Box) -> QRectF:
        return box_rect(box, self._page.image_size())

    def _clamp(self, p: QPointF) -> QPointF:
        b = self._bounds()
        return QPointF(min(max(p.x(), 0.0), b.right()), min(max(p.y(), 0.0), b.bottom()))

    # -- selection handles --------------------------------------------------------------------
    def selected_items(self) -> list[BoxItem]:
        page = self._page
        if not self.editable or not page.boxes_visible() or page.highlighted_block() < 0:
            return []
        selected = page.highlighted_block()
        return [i for i in page.box_items() if i.block_index == selected and i.isVisible()]

    def _item_handles(self, item: BoxItem) -> tuple[Handle, ...]:
        """Corner handles always; edge handles where the side is long enough on screen."""
        zoom = self._page.zoom()
        long_x = item.rect().width() * zoom > 3.5 * HANDLE_SIZE
        long_y = item.rect().height() * zoom > 3.5 * HANDLE_SIZE
        return tuple(h for h in HANDLES if (h[0] and h[1]) or (h[0] and long_y) or (h[1] and long_x))

    def sync_handles(self) -> None:
        """Put handles on the selected block's boxes (none when not editable or boxes hidden)."""
        specs = [(item, h) for item in self.selected_items() for h in self._item_handles(item)]
        if self._drag is not None and self._drag.kind == "draw":
            specs = []
        while len(self._handles) < len(specs):
            handle = HandleItem()
            self._view.scene().addItem(handle)
            self._handles.append(handle)
        for n, handle in enumerate(self._handles):
            if n < len(specs):
                item, h = specs[n]
                handle.setPos(handle_point(item.rect(), h))
                handle.set_colour(item.colour)
            handle.setVisible(n < len(specs))

    def visible_handles(self) -> list[HandleItem]:
        return [h for h in self._handles if h.isVisible()]

    def handle_at(self, view_pos: QPoint) -> tuple[BoxItem, Handle] | None:
        """The selected box's handle nearest to a viewport point within reach, if any."""
        best, best_d = None, HANDLE_SLOP * 2 + 1
        for item in self.selected_items():
            for h in self._item_handles(item):
                p = self._view.mapFromScene(handle_point(item.rect(), h))
                dx, dy = abs(p.x() - view_pos.x()), abs(p.y() - view_pos.y())
                if dx <= HANDLE_SLOP and dy <= HANDLE_SLOP and dx + dy < best_d:
                    best, best_d = (item, h), dx + dy
        return best

    def selected_box_at(self, scene_pos: QPointF) -> BoxItem | None:
        hits = [i for i in self.selected_items() if i.rect().contains(scene_pos)]
        return min(hits, key=lambda i: i.rect().width() * i.rect().height(), default=None)

    def active_item(self) -> BoxItem | None:
        items = self.selected_items()
        return next((i for i in items if i.box_index == self.active_box), items[0] if items else None)

    def cursor_at(self, view_pos: QPoint, modifiers: Qt.KeyboardModifier) -> Qt.CursorShape:
        page = self._page
        if page.image_item() is None:
            return Qt.CursorShape.ArrowCursor
        if self.editable and (self.draw_mode or modifiers & Qt.KeyboardModifier.ControlModifier):
            return Qt.CursorShape.CrossCursor
        if page.order_visible() and page.tag_at(view_pos) is not None:
            return Qt.CursorShape.SizeAllCursor  # a reading-order tag: drag it onto another block
        hit = self.handle_at(view_pos)
        if hit is not None:
            return handle_cursor(hit[1])
        scene = self._view.mapToScene(view_pos)
        if self.selected_box_at(scene) is not None:
            return Qt.CursorShape.SizeAllCursor
        if page.block_at(scene) >= 0:
            return Qt.CursorShape.PointingHandCursor
        return Qt.CursorShape.OpenHandCursor

    # -- mouse --------------------------------------------------------------------------------
    def dragging(self) -> bool:
        return self._drag is not None

    def press(self, event: QMouseEvent) -> bool:
        """Start a move, a resize or a drawing; False leaves the press to the view (pan, click)."""
        page = self._page
        if self._drag is not None:
            return True
        if event.button() != Qt.MouseButton.LeftButton or page.image_item() is None or not self.editable:
            return False
        pos = event.position().toPoint()
        scene = self._view.mapToScene(pos)
        if self.draw_mode or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            p = self._clamp(scene)
            self._drag = _Drag("draw", pos, p, via_ctrl=not self.draw_mode)
            self._rubber.setRect(QRectF(p, p))
            self.sync_handles()
            return True
        tag = page.tag_at(pos) if page.order_visible() else None
        if tag is not None and tag.block_index >= 0:
            self._drag = _Drag("order", pos, scene, tag=tag, origin=QRectF(tag.pos(), tag.pos()))
            return True
        hit = self.handle_at(pos)
        item = hit[0] if hit is not None else self.selected_box_at(scene)
        if item is None:
            return False
        self.active_box = item.box_index
        kind = "resize" if hit is not None else "move"
        self._drag = _Drag(kind, pos, scene, item, QRectF(item.rect()), hit[1] if hit else (0, 0))
        return True

    def move(self, event: QMouseEvent) -> bool:
        d = self._drag
        if d is None:
            return False
        pos = event.position().toPoint()
        if not d.moved:
            reach = QApplication.startDragDistance() if d.kind == "move" else 3
            if (pos - d.start_view).manhattanLength() < reach:
                return True
            d.moved = True
        self._last_pos = pos
        self._drag_to(d, pos)
        if self._edge_step(pos) != (0, 0):
            self._scroll_timer.start()
        return True

    def _drag_to(self, d: _Drag, pos: QPoint) -> None:
        """Follow the mouse at a viewport point: the rubber band or the box, live."""
        scene = self._view.mapToScene(pos)
        if d.kind == "draw":
            self._rubber.setRect(QRectF(d.start_scene, self._clamp(scene)).normalized())
            self._rubber.setVisible(True)
            return
        if d.kind == "order":  # the tag follows the mouse; the block under it is where it goes
            assert d.tag is not None
            d.tag.setPos(d.origin.topLeft() + (scene - d.start_scene))
            target = self._page.block_at(scene)
            self._page.highlight_block(target if target >= 0 else d.tag.block_index, scroll=False)
            return
        assert d.item is not None
        dx, dy = scene.x() - d.start_scene.x(), scene.y() - d.start_scene.y()
        if d.kind == "move":
            rect = moved_rect(d.origin, dx, dy, self._bounds())
        else:
            w, h = self._page.image_size()
            min_w, min_h = max(MIN_BOX_PX, 2 * w / NORM), max(MIN_BOX_PX, 2 * h / NORM)
            rect = resized_rect(d.origin, d.handle, dx, dy, self._bounds(), min_w, min_h)
        d.item.set_pixel_rect(rect)
        self.sync_handles()

    def _edge_step(self, pos: QPoint) -> tuple[int, int]:
        """How far to scroll while a drag is held near (or past) the viewport's edges."""
        vp = self._view.viewport().rect()

        def step(v: int, size: int) -> int:
            over = v - AUTOSCROLL_MARGIN if v < AUTOSCROLL_MARGIN else max(0, v - (size - AUTOSCROLL_MARGIN))
            return max(-40, min(40, over))

        return step(pos.x(), vp.width()), step(pos.y(), vp.height())

    def _autoscroll(self) -> None:
        d = self._drag
        sx, sy = self._edge_step(self._last_pos) if d is not None and d.moved else (0, 0)
        if d is None or (sx, sy) == (0, 0):
            self._scroll_timer.stop()
            return
        v = self._view
        v.horizontalScrollBar().setValue(v.horizontalScrollBar().value() + sx)
        v.verticalScrollBar().setValue(v.verticalScrollBar().value() + sy)
        self._drag_to(d, self._last_pos)

    def release(self, event: QMouseEvent) -> bool:
        """Finish the drag: emit the new box or region; a press without a drag is a click."""
        d = self._drag
        if d is None:
            return False
        if event.button() != Qt.MouseButton.LeftButton:
            return True
        page = self._page
        self._drag = None
        self._scroll_timer.stop()
        pos = event.position().toPoint()
        if d.kind == "draw":
            rect = self._rubber.rect()
            self._rubber.setVisible(False)
            self.sync_handles()
            on_screen = self._view.mapFromScene(rect).boundingRect()
            box = self._to_box(rect)
            big = min(on_screen.width(), on_screen.height()) >= MIN_DRAW_VIEW_PX
            if d.moved and big and box.x2 - box.x1 >= 2 and box.y2 - box.y1 >= 2:
                self.overlays.set_pending(box)
                self.set_draw_mode(False)
                self.region_drawn.emit(box, event.globalPosition().toPoint())
            elif d.via_ctrl:
                page.click_at(pos)
            return True
        if d.kind == "order":
            assert d.tag is not None
            source = d.tag.block_index
            target = page.block_at(self._view.mapToScene(pos)) if d.moved else -1
            page.refresh_tags()
            if target >= 0 and target != source:
                self.order_dropped.emit(source, target)  # may rebuild the items
            elif not d.moved:
                page.highlight_block(source, scroll=False)
                self.block_clicked.emit(source)
            return True
        item = d.item
        assert item is not None
        if not d.moved:
            page.click_at(pos)
            return True
        box = self._to_box(item.rect())
        item.set_pixel_rect(self._to_rect(box))
        self.sync_handles()
        if box != item.box:
            item.box = box
            self.box_changed.emit(item.block_index, item.box_index, box)  # may rebuild the items
        return True

    def cancel(self) -> None:
        """Abandon a drag in progress: the box goes back, a rubber band disappears."""
        d, self._drag = self._drag, None
        self._scroll_timer.stop()
        if d is None:
            return
        if d.kind == "draw":
            self._rubber.setVisible(False)
        elif d.kind == "order":
            self._page.refresh_tags()
        elif d.item is not None and d.item.scene() is not None:
            d.item.set_pixel_rect(d.origin)
        self.sync_handles()

    def context_press(self, view_pos: QPoint, global_pos: QPoint) -> None:
        """A right-click: select the box under it first, then ask for a context menu."""
        page = self._page
        item = page.box_item_at(self._view.mapToScene(view_pos))
        if item is not None and item.block_index != page.highlighted_block():
            page.click_at(view_pos)
        elif item is not None:
            self.active_box = item.box_index
        self.context_menu_requested.emit(item.block_index if item is not None else -1, global_pos)

    def context_key(self) -> None:
        """The menu key: a context menu for the selected block, at its box."""
        page, v = self._page, self._view
        item = self.active_item() if 0 <= page.highlighted_block() < len(page.blocks()) else None
        at = v.mapFromScene(item.sceneBoundingRect().center()) if item else v.viewport().rect().center()
        self.context_menu_requested.emit(item.block_index if item else -1, v.viewport().mapToGlobal(at))

    # -- keys ---------------------------------------------------------------------------------
    def wants_key(self, event: QKeyEvent) -> bool:
        """Whether ``key`` would use this key now (so that window shortcuts leave it to us)."""
        key, page = event.key(), self._page
        if key == Qt.Key.Key_Escape:
            return self._drag is not None or self.draw_mode or self.overlays.pending is not None
        if not self.editable or self._drag is not None or event.modifiers() & ~_NUDGE_MODS:
            return False
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            return not event.modifiers() and 0 <= page.highlighted_block() < len(page.blocks())
        return key in _ARROWS and self.active_item() is not None

    def key(self, event: QKeyEvent) -> bool:
        page = self._page
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if self._drag is not None:
                self.cancel()
                return True
            if self.draw_mode or self.overlays.pending is not None:
                self.set_draw_mode(False)
                self.overlays.set_pending(None)
                return True
            return False
        if not self.editable or self._drag is not None:
            return False
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            index = page.highlighted_block()
            if 0 <= index < len(page.blocks()):
                self.delete_requested.emit(index)
                return True
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in _ARROWS and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            item = self.active_item()
            if item is None:
                return False
            self.nudge(item, *_ARROWS[Qt.Key(key)], 10 if mods else 1)
            return True
        return False

    def nudge(self, item: BoxItem, sx: int, sy: int, px: int) -> None:
        """Move a box by ``px`` image pixels (at least one normalised unit) and emit it."""
        w, h = self._page.image_size()
        ux, uy = max(1, round(px * NORM / max(w, 1))), max(1, round(px * NORM / max(h, 1)))
        box = nudged_box(item.box, sx * ux, sy * uy)
        if box == item.box:
            return
        item.box = box
        item.set_pixel_rect(self._to_rect(box))
        self.sync_handles()
        self._view.ensureVisible(item.sceneBoundingRect(), 20, 20)
        self.box_changed.emit(item.block_index, item.box_index, box)

    # -- modes --------------------------------------------------------------------------------
    def set_editable(self, on: bool) -> None:
        if not on:
            self.cancel()
            self.set_draw_mode(False)
        self.editable = on
        self.sync_handles()

    def set_draw_mode(self, on: bool) -> None:
        refused = on and not self.editable
        on = on and self.editable
        if not on and self._drag is not None and self._drag.kind == "draw":
            self.cancel()
        if on != self.draw_mode or refused:
            self.draw_mode = on
            self.update_cursor()
            self.draw_mode_changed.emit(on)

    def update_cursor(self, view_pos: QPoint | None = None) -> None:
        """Show what a press here would do: resize, move, select, draw or pan."""
        if self.dragging():
            return
        viewport = self._view.viewport()
        pos = viewport.mapFromGlobal(QCursor.pos()) if view_pos is None else view_pos
        viewport.setCursor(self.cursor_at(pos, QApplication.keyboardModifiers()))
