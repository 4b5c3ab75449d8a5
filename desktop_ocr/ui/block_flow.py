"""Blocks as things the user handles: relabel, delete, merge, split, move boxes, draw boxes,
re-read a region and locate a phrase. Connects the canvas, the editor and the controller.
``BlockFlow`` is composed by ``MainWindow`` and given what it uses (the controller, the canvas, the
editor, the page list, the current page, the window as the menus' and dialogs' parent)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
)

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model import blocks as ops
from desktop_ocr.model.blocks import Layout, Span
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import FIGURE_LABEL, FIGURE_SCHEME, PageResult
from desktop_ocr.ui import dialogs
from desktop_ocr.ui.canvas import PageCanvas
from desktop_ocr.ui.editor import EditorPane
from desktop_ocr.ui.labels import label_title
from desktop_ocr.ui.page_view import PageListView
from desktop_ocr.worker.controller import Controller

#: The labels offered for relabelling and new boxes, in menu order.
MENU_LABELS = (
    "title", "sub_title", "text", "list", "table", "table_caption", "image", "image_caption",
    "equation", "header", "footer", "page_number", "footnote",
)  # fmt: skip


class BlockFlow(QObject):
    """Owns the Block menu and the canvas/editor/controller wiring of block editing."""

    def __init__(
        self,
        window: QMainWindow,
        controller: Controller,
        canvas: PageCanvas,
        editor: EditorPane,
        page_list: PageListView,
        current_page: Callable[[], str],
        history: tuple[QAction, QAction] | None = None,
        undo_deletes_first: Callable[[], bool] = lambda: False,
    ) -> None:
        """``history``: the window's Undo and Redo (Edit menu), which the editor's own menu takes;
        ``undo_deletes_first``: whether that Undo now takes back a deletion of pages."""
        super().__init__(window)
        self._history = history
        self._undo_deletes_first = undo_deletes_first
        self._window = window
        self.controller = controller
        self.canvas = canvas
        self.editor = editor
        self.page_list = page_list
        self._current_page = current_page
        self._requests: dict[int, tuple[str, str, Box, bool]] = {}  # id -> (kind, page, region, replace)
        self._make_actions()
        self.menu = self._build_menu()
        c = controller
        editor.layout_changed.connect(self._sync_canvas)
        # the actions' enabled state follows the cursor's block, the blocks and the page shown
        editor.cursor_block_changed.connect(self._update_enabled)
        editor.layout_changed.connect(lambda: self._update_enabled(self._current_index()))
        self._update_timer = QTimer(self)
        self._update_timer.setSingleShot(True)
        self._update_timer.setInterval(0)
        self._update_timer.timeout.connect(lambda: self._update_enabled(self._current_index()))
        page_list.current_page_changed.connect(self._schedule_update)
        page_list.current_page_changed.connect(self._cancel_requests_of_other_pages)
        c.page_reading_started.connect(self._schedule_update)
        c.reading_changed.connect(self._schedule_update)
        # the moment reading ends (or begins), the actions follow what may be edited
        editor.read_only_changed.connect(lambda _read_only: self._update_enabled(self._current_index()))
        canvas.box_changed.connect(self._on_box_changed)
        canvas.region_drawn.connect(self._on_region_drawn)
        canvas.context_menu_requested.connect(self._on_canvas_menu)
        canvas.delete_requested.connect(self.delete_block)
        canvas.order_dropped.connect(self._on_order_dropped)
        canvas.draw_mode_changed.connect(self.draw_action.setChecked)
        text = editor.editor
        text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        text.customContextMenuRequested.connect(self._on_editor_menu)
        c.region_read.connect(self._on_region_read)
        c.region_failed.connect(self._on_request_failed)
        c.located.connect(self._on_located)
        c.locate_failed.connect(self._on_request_failed)

    # -- actions and menus -------------------------------------------------------------------------
    def _action(self, text: str, shortcut: str = "", tip: str = "", slot=None) -> QAction:
        action = QAction(text, self._window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self._window.addAction(action)
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.split_action = a(
            self.tr("&Split Block at Cursor"),
            "Ctrl+Alt+Return",
            self.tr("Make two blocks of the block the cursor is in"),
            self.split_block,
        )
        self.merge_action = a(
            self.tr("&Merge with Next Block"),
            "Ctrl+Alt+J",
            self.tr("Join the current block and the one after it"),
            self.merge_with_next,
        )
        self.move_earlier_action = a(
            self.tr("Move Block &Earlier"),
            "Ctrl+Alt+PgUp",
            self.tr("Move the current block one place earlier in the reading order"),
            lambda: self.move_block(-1),
        )
        self.move_later_action = a(
            self.tr("Move Block &Later"),
            "Ctrl+Alt+PgDown",
            self.tr("Move the current block one place later in the reading order"),
            lambda: self.move_block(1),
        )
        self.move_to_action = a(
            self.tr("Move Block &To…"),
            "Ctrl+Alt+M",
            self.tr("Give the current block another place in the reading order"),
            self.move_block_to,
        )
        self.order_action = a(
            self.tr("Show Reading &Order"),
            "Ctrl+Alt+O",
            self.tr(
                "Number the blocks on the page in their reading order; drag a number onto another block to move it there"
            ),
        )
        self.order_action.setCheckable(True)
        self.order_action.toggled.connect(self.canvas.set_order_visible)
        self.delete_action = a(
            self.tr("&Delete Block"),
            "Ctrl+Alt+D",
            self.tr("Remove the current block's text and box"),
            self.delete_block,
        )
        self.draw_action = a(
            self.tr("Draw &Box"),
            "Ctrl+Shift+B",
            self.tr("Draw a rectangle on the page to read it again or to add a block"),
        )
        self.draw_action.setCheckable(True)
        self.draw_action.toggled.connect(self.canvas.set_draw_mode)
        self.reread_action = a(
            self.tr("Read Block &Again…"),
            "",
            self.tr("Read the current block's area of the page again"),
            self.reread_block,
        )
        self.locate_action = a(
            self.tr("&Locate on Page…"),
            "Ctrl+L",
            self.tr("Find where a phrase is on the page (the model's locate prompt)"),
            self.locate,
        )
        self.clear_marks_action = a(
            self.tr("&Clear Located Marks"), "", "", lambda: self.canvas.clear_marks()
        )

    def _relabel_menu(self, parent: QMenu, index: int) -> QMenu:
        menu = parent.addMenu(self.tr("&Relabel"))
        layout = self.editor.block_layout()
        current = layout.spans[index].label if 0 <= index < len(layout.spans) else ""
        group = QActionGroup(menu)
        for label in MENU_LABELS:
            act = menu.addAction(label_title(label))
            act.setCheckable(True)
            act.setChecked(label == current)
            group.addAction(act)
            act.triggered.connect(lambda _c=False, lb=label, i=index: self.relabel(lb, i))
        menu.setEnabled(index >= 0 and self._editable())
        return menu

    def _move_actions(self) -> list[QAction]:
        return [self.move_earlier_action, self.move_later_action, self.move_to_action, self.order_action]

    def _build_menu(self) -> QMenu:
        menu = QMenu(self.tr("&Block"), self._window)
        menu.aboutToShow.connect(lambda: self._fill_block_menu(menu, self._current_index()))
        self._fill_block_menu(menu, -1)
        return menu

    def _fill_block_menu(self, menu: QMenu, index: int) -> None:
        menu.clear()
        self._relabel_menu(menu, index)
        menu.addActions([self.split_action, self.merge_action, self.delete_action])
        menu.addSeparator()
        menu.addActions(self._move_actions())
        menu.addSeparator()
        menu.addActions([self.reread_action, self.draw_action])
        menu.addSeparator()
        menu.addActions([self.locate_action, self.clear_marks_action])
        self._update_enabled(index)

    def _update_enabled(self, index: int) -> None:
        layout = self.editor.block_layout()
        editable = self._editable()
        has = 0 <= index < len(layout.spans)
        self.split_action.setEnabled(editable and has)
        self.merge_action.setEnabled(editable and has and index + 1 < len(layout.spans))
        self.delete_action.setEnabled(editable and has)
        self.move_earlier_action.setEnabled(editable and has and index > 0)
        self.move_later_action.setEnabled(editable and has and index + 1 < len(layout.spans))
        self.move_to_action.setEnabled(editable and has and len(layout.spans) > 1)
        self.reread_action.setEnabled(editable and has and bool(layout.spans[index].boxes))
        self.draw_action.setEnabled(editable)
        self.locate_action.setEnabled(bool(self._current_page()))
        self.clear_marks_action.setEnabled(bool(self.canvas.marks()))

    def _cancel_requests_of_other_pages(self, page_id: str) -> None:
        """Region reads and locates answer for the page they were asked on: going to another
        page cancels them (they are quick to ask again) and says so."""
        stale = [r for r, (_k, p, _b, _x) in self._requests.items() if p != page_id]
        for request in stale:
            self.controller.cancel_request(request)
            del self._requests[request]
        if stale:
            self._status(self.tr("The region read or locate was cancelled: another page is shown."))

    def _schedule_update(self, *_args: object) -> None:
        self._update_timer.start()

    def _on_canvas_menu(self, index: int, pos: QPoint) -> None:
        menu = QMenu(self._window)
        if index >= 0:
            self.editor.select_block(index)
            self._relabel_menu(menu, index)
            menu.addActions([self.merge_action, self.delete_action, self.reread_action])
            menu.addSeparator()
            menu.addActions(self._move_actions())
            menu.addSeparator()
        menu.addActions([self.draw_action, self.locate_action, self.clear_marks_action])
        self._update_enabled(index)
        menu.exec(pos)
        menu.deleteLater()

    def _on_editor_menu(self, pos: QPoint) -> None:
        """The editor's own menu (cut, copy, paste...) with the block operations below it."""
        text = self.editor.editor
        menu = text.createStandardContextMenu(pos)
        self._use_window_history(menu)
        index = text.block_index_at(text.cursorForPosition(pos).position())
        if not text.textCursor().hasSelection():
            text.setTextCursor(text.cursorForPosition(pos))
        menu.addSeparator()
        self._relabel_menu(menu, index)
        menu.addActions([self.split_action, self.merge_action, self.delete_action, self.reread_action])
        menu.addSeparator()
        menu.addActions(self._move_actions())
        menu.addSeparator()
        menu.addAction(self.locate_action)
        self._update_enabled(index)
        menu.exec(text.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _use_window_history(self, menu: QMenu) -> None:
        """The menu's Undo and Redo do what Edit > Undo and Redo do: Qt's own went to the text's
        undo stack past the window (the cursor left at the page's first or last block after undoing a
        block operation; the deletion of pages that Edit > Undo would take back left alone)."""
        if self._history is None:
            return
        for name, app in zip(("edit-undo", "edit-redo"), self._history, strict=True):
            own = menu.findChild(QAction, name)
            if own is None:
                continue
            own.triggered.disconnect()
            own.triggered.connect(lambda _checked=False, app=app: app.trigger())
            # named as in the Edit menu, with its keys (Qt's showed Ctrl+Y for Redo, the window's
            # is Ctrl+Shift+Z)
            keys = app.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            own.setText(app.text() + ("\t" + keys if keys else ""))
            if name == "edit-undo" and self._undo_deletes_first():
                own.setEnabled(True)

    # -- state -------------------------------------------------------------------------------------
    def _editable(self) -> bool:
        return bool(self._current_page()) and not self.editor.editor.isReadOnly()

    def _current_index(self) -> int:
        return self.editor.editor.current_block()

    def _apply(
        self, layout: Layout, cursor: int | None = None, origin: str = "", burst: object = None
    ) -> bool:
        editor = self.editor
        if not editor.apply_block_edit(layout, cursor, burst):
            return False
        if origin:
            editor.flush(origin)
        return True

    def _status(self, text: str, ms: int = 5000) -> None:
        self._window.statusBar().showMessage(text, ms)

    def _sync_canvas(self) -> None:
        canvas = self.canvas
        if self._current_page() and canvas.page_id() == self._current_page():
            canvas.set_blocks(self.editor.block_layout().blocks())
            canvas.highlight_block(self._current_index(), scroll=False)

    # -- block operations ------------------------------------------------------------------------------
    def _target(self, index: int | None, need_next: bool = False) -> tuple[Layout, int] | None:
        """The layout and the block an operation applies to (the cursor's block by default),
        or None when there is none or the page cannot be edited now."""
        index = self._current_index() if index is None else index
        layout = self.editor.block_layout()
        last = len(layout.spans) - (2 if need_next else 1)
        return (layout, index) if self._editable() and 0 <= index <= last else None

    def relabel(self, label: str, index: int | None = None) -> None:
        if target := self._target(index):
            layout, index = target
            self._apply(ops.relabel(layout, index, label), layout.spans[index].start)

    def delete_block(self, index: int | None = None) -> None:
        if target := self._target(index):
            layout, index = target
            self._apply(ops.delete_block(layout, index), layout.spans[index].start)
            self._status(self.tr("Block deleted. Undo (Ctrl+Z) brings it back."))

    def merge_with_next(self, index: int | None = None) -> None:
        if target := self._target(index, need_next=True):
            layout, index = target
            self._apply(ops.merge_with_next(layout, index), layout.spans[index].start)

    def move_block(self, step: int, index: int | None = None) -> None:
        """Move a block ``step`` places in the reading order (its text moves, one undo step)."""
        if target := self._target(index):
            layout, index = target
            self._move(layout, index, index + step)

    def move_block_to(self, index: int | None = None) -> None:
        """Ask for the block's new place in the reading order and move it there."""
        if not (target := self._target(index)):
            return
        layout, index = target
        place, ok = QInputDialog.getInt(
            self._window,
            self.tr("Move Block"),
            self.tr("New place of block {n} in the reading order (1 to {count}):").format(
                n=index + 1, count=len(layout.spans)
            ),
            index + 1,
            1,
            len(layout.spans),
        )
        if ok:
            self._move(layout, index, place - 1)

    def _on_order_dropped(self, index: int, to: int) -> None:
        """A block's number dragged onto another block on the page: it takes that block's place."""
        if target := self._target(index):
            self._move(target[0], index, to)

    def _move(self, layout: Layout, index: int, to: int) -> None:
        if not 0 <= to < len(layout.spans) or to == index:
            return
        moved = ops.move_block(layout, index, to)
        if self._apply(moved, moved.spans[to].start):
            self.canvas.highlight_block(to, scroll=False)
            self._status(self.tr("Block {n} is now block {m}.").format(n=index + 1, m=to + 1))

    def split_block(self) -> None:
        if not self._editable():
            return
        editor = self.editor
        position = editor.editor.textCursor().position()
        before = editor.block_layout()
        try:
            layout = ops.split_block(before, position)
        except (ValueError, IndexError):
            self._status(self.tr("Put the cursor inside a block's text, where the new block should start."))
            return
        self._apply(layout, layout.spans[before.index_at(position) + 1].start)

    def _on_box_changed(self, index: int, box_index: int, box: Box) -> None:
        if target := self._target(index):
            layout = target[0]
            # a held arrow key nudges many times: one undo step for the run
            self._apply(ops.set_box(layout, index, box_index, box), burst=("box", index, box_index))

    def add_block(self, box: Box, label: str) -> None:
        """A new block for a drawn box, placed in reading order, with its text selected to type over."""
        editor = self.editor
        layout = editor.block_layout()
        text = (
            f"![]({FIGURE_SCHEME}{ops.next_figure_number(layout.text)})"
            if label == FIGURE_LABEL
            else self.tr("New text")
        )
        position = ops.reading_position(layout, box)
        new = ops.insert_block(layout, position, text, [Span(0, label, (box,))])
        if self._apply(new):
            start = next((s.start for s in new.spans if s.boxes == (box,) and s.label == label), position)
            cur = editor.editor.textCursor()
            cur.setPosition(start)
            cur.setPosition(start + len(text), cur.MoveMode.KeepAnchor)
            editor.editor.setTextCursor(cur)
            editor.editor.setFocus()

    # -- regions ----------------------------------------------------------------------------------------
    def _on_region_drawn(self, box: Box, pos: QPoint) -> None:
        canvas = self.canvas
        if not self._editable():
            canvas.clear_region()
            return
        replaced = self._outline_replaced(box)
        menu = QMenu(self._window)
        read = menu.addAction(
            self.tr("&Read Region (adds new blocks)")
            if not replaced
            else self.tr("&Read Region (replaces the outlined block)")
            if replaced == 1
            else self.tr("&Read Region (replaces the {n} outlined blocks)").format(n=replaced)
        )
        read.triggered.connect(lambda: self.read_region(box, self.controller.default_read_options()))
        read_with = menu.addAction(self.tr("Read Region &With…"))
        read_with.triggered.connect(lambda: self.read_region_with(box))
        add = menu.addMenu(self.tr("&Add Block Here"))
        for label in MENU_LABELS:
            act = add.addAction(label_title(label))
            act.triggered.connect(lambda _c=False, lb=label: self.add_block(box, lb))
        menu.addSeparator()
        menu.addAction(self.tr("Cancel"))
        menu.exec(pos)
        menu.deleteLater()
        QTimer.singleShot(0, lambda: canvas.clear_region() if not self._pending_region(box) else None)

    def _outline_replaced(self, box: Box, replace: bool = True) -> int:
        """Outline on the page the blocks that reading ``box`` replaces (those mostly inside it);
        how many there are."""
        layout = self.editor.block_layout()
        inside = ops.blocks_in_region(layout, box) if replace else []
        self.canvas.show_replaced([b for i in inside for b in layout.spans[i].boxes])
        return len(inside)

    def _pending_region(self, box: Box) -> bool:
        return any(kind == "region" and r == box for kind, _p, r, _x in self._requests.values())

    def read_region_with(self, box: Box, replace: bool = True) -> None:
        """Ask for the prompt and mode (and whether to replace the blocks inside), then read."""
        from desktop_ocr.ui.read_options import ReadOptionsDialog

        c = self.controller
        dlg = ReadOptionsDialog(c.default_read_options(), 1, self._window, engine=c.read_capabilities())
        dlg.setWindowTitle(self.tr("Read Region With"))
        count = self._outline_replaced(box)
        replace_box = QCheckBox(
            self.tr("Replace the {n} blocks outlined in red (those mostly inside the region)").format(
                n=count
            ),
            dlg,
        )
        replace_box.setChecked(replace and count > 0)
        replace_box.setEnabled(count > 0)
        replace_box.setToolTip(
            self.tr(
                "Otherwise the region's text is added as new blocks. Text that lies on a block "
                "that stays is never added a second time."
            )
        )
        replace_box.toggled.connect(lambda on: self._outline_replaced(box, on))
        form = dlg.layout()
        if isinstance(form, QFormLayout):
            form.insertRow(form.rowCount() - 1, "", replace_box)
        if dlg.exec():
            self.read_region(box, dlg.options(), replace_box.isChecked())

    def read_region(self, box: Box, options: ReadOptions, replace: bool = True) -> None:
        page_id = self._current_page()
        if not page_id or not self._editable():
            return
        self.editor.flush()  # the text before the region is merged in is a version of its own
        # the replaced blocks are read whole, so that none of their text is lost
        read_box = ops.region_read_box(self.editor.block_layout(), box, replace)
        request = self.controller.read_region(page_id, read_box, options)
        if not request:  # an empty box, or the page is gone
            self.canvas.clear_region()
            return
        self._requests[request] = ("region", page_id, box, replace)
        self._status(self.tr("Reading the region…"), 0)

    def reread_block(self, index: int | None = None) -> None:
        if (target := self._target(index)) and (boxes := target[0].spans[target[1]].boxes):
            self.read_region_with(Box.enclosing(boxes))

    def _on_region_read(self, page_id: str, request: int, result: object) -> None:
        entry = self._requests.pop(request, None)
        if entry is None or not isinstance(result, PageResult):
            return
        _kind, want_page, region, replace = entry
        if page_id != want_page or page_id != self._current_page():
            self._status(self.tr("The region's text was not used: another page is shown now."))
            return
        self.canvas.clear_region()
        if not self._editable():
            self._status(self.tr("The region's text was not used: the page is being read now."))
            return
        self.editor.flush()  # typing since the request stays a version of its own
        new = ops.region_layout(result, region)
        if not new.text.strip():
            self._status(self.tr("Nothing was read in the region."))
            return
        layout = self.editor.block_layout()
        matching = ops.blocks_in_region(layout, region) if replace else []
        page = self.controller.project.page(page_id)
        if matching and (page.is_edited or self.editor.is_dirty()):
            choice = self._ask_replace(len(matching), new.text)
            if choice == "cancel":
                self._status(self.tr("The region's text was discarded."))
                return
            if choice == "insert":
                matching = []
        new = ops.without_kept_text(new, layout, matching)  # no text is put on the page twice
        if not new.text.strip():
            self._status(self.tr("Nothing new was read: the region's text is in the page's blocks already."))
            return
        merged, cursor = ops.place_region(layout, region, new, replace_blocks=bool(matching))
        self._apply(merged, cursor, origin="region")
        if matching:
            self._status(
                self.tr("Replaced a block with the region's text. Undo (Ctrl+Z) restores it.")
                if len(matching) == 1
                else self.tr(
                    "Replaced {n} blocks with the region's text. Undo (Ctrl+Z) restores them."
                ).format(n=len(matching))
            )
        else:
            self._status(self.tr("The region's text was added as new blocks."))

    def _ask_replace(self, count: int, text: str) -> str:
        """ "replace", "insert" (as new blocks) or "cancel" (discard): the user's answer."""
        return dialogs.ask_choice(
            self._window,
            self.tr("Replace Edited Text?"),
            self.tr("You edited this page. Replace the block inside the region with the new text?")
            if count == 1
            else self.tr(
                "You edited this page. Replace the {n} blocks inside the region with the new text?"
            ).format(n=count),
            self.tr("Your version is kept in Text History, and Undo (Ctrl+Z) brings it back."),
            [
                ("replace", self.tr("&Replace"), dialogs.Role.AcceptRole),
                ("insert", self.tr("&Insert as New Blocks"), dialogs.Role.ActionRole),
            ],
            default="insert",
            detail=text,
        )

    # -- locate -------------------------------------------------------------------------------------------
    def locate(self, phrase: str | None = None) -> None:
        page_id = self._current_page()
        if not page_id:
            return
        if phrase is None:
            selected = self.editor.editor.textCursor().selectedText().replace("\u2029", " ").strip()
            phrase, ok = QInputDialog.getText(
                self._window,
                self.tr("Locate on Page"),
                self.tr("Find where this text is on the page:"),
                QLineEdit.EchoMode.Normal,
                selected[:200],
            )
            if not ok:
                return
        phrase = " ".join(phrase.split())
        if not phrase:
            return
        request = self.controller.locate(page_id, phrase)
        if not request:
            return
        self._requests[request] = ("locate", page_id, Box(0, 0, 0, 0), False)
        self._status(self.tr("Locating “{phrase}”…").format(phrase=phrase), 0)

    def _on_located(self, page_id: str, request: int, phrase: str, boxes: list) -> None:
        if self._requests.pop(request, None) is None:
            return
        if page_id != self._current_page():
            self._window.statusBar().clearMessage()
            return
        canvas = self.canvas
        if boxes:
            canvas.set_marks(list(boxes), phrase)
            found = (
                self.tr("Found “{phrase}” in one place.")
                if len(boxes) == 1
                else self.tr("Found “{phrase}” in {n} places.")
            )
            self._status(found.format(phrase=phrase, n=len(boxes)))
        else:
            canvas.clear_marks()
            self._status(self.tr("“{phrase}” was not found on this page.").format(phrase=phrase))

    def _on_request_failed(self, page_id: str, request: int, message: str) -> None:
        entry = self._requests.pop(request, None)
        if entry is None:
            return
        if entry[0] == "region" and page_id == self._current_page():
            self.canvas.clear_region()
        QMessageBox.warning(self._window, self.tr("Desktop OCR"), message)
        self._window.statusBar().clearMessage()
