"""The page text editor: Markdown source with highlighting, block anchors, find/replace and preview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QSplitter, QToolTip, QVBoxLayout, QWidget

from desktop_ocr.model.result import Block
from desktop_ocr.model.review import block_starts
from desktop_ocr.ui.find_replace import FindReplaceBar
from desktop_ocr.ui.highlighter import MarkdownHighlighter
from desktop_ocr.ui.labels import label_colour, label_title
from desktop_ocr.ui.preview import FigureProvider, PreviewPane

DEBOUNCE_MS = 500
NARROW_W = 720  # below this width the preview goes under the editor
MARGIN_W = 8


@dataclass(frozen=True, slots=True)
class BlockAnchor:
    """Where a result block starts in the text (a character offset) and its label."""

    position: int
    block_index: int
    label: str


def anchors_from_blocks(text: str, blocks: Sequence[Block]) -> list[BlockAnchor]:
    """Find each block's text in the page text, in order (blocks whose text is gone are skipped).

    The rule is the review module's, so the margin and Find in Document agree on every block."""
    return [BlockAnchor(start, i, blocks[i].label) for start, i in block_starts(text, blocks)]


class _BlockMargin(QWidget):
    """A thin margin left of the text with one colour bar per result block."""

    def __init__(self, editor: MarkdownEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.margin_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_margin(self, event.rect())


class MarkdownEditor(QPlainTextEdit):
    """Markdown source editor. Block anchors are QTextCursors, so the document keeps them in place
    through edits; ``cursor_block_changed`` tells which result block the cursor is in."""

    cursor_block_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), self.font().pointSizeF()))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(8)
        self.highlighter = MarkdownHighlighter(
            self.document(), MarkdownHighlighter.dark_palette(self.palette())
        )
        self._anchors: list[tuple[QTextCursor, int, str]] = []
        self._current_block = -1
        self._highlighted_block = -1
        self._margin = _BlockMargin(self)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self._update_margin_width()

    # -- block anchors ------------------------------------------------------------------------
    def set_block_anchors(self, anchors: Sequence[BlockAnchor]) -> None:
        doc = self.document()
        self._anchors = []
        for a in sorted(anchors, key=lambda a: a.position):
            cur = QTextCursor(doc)
            cur.setPosition(min(a.position, max(0, doc.characterCount() - 1)))
            self._anchors.append((cur, a.block_index, a.label))
        self._current_block = -1
        self._highlighted_block = -1
        self._update_margin_width()
        self._margin.update()

    def block_anchors(self) -> list[BlockAnchor]:
        """The anchors where they are now (edits move them)."""
        return [BlockAnchor(c.position(), i, label) for c, i, label in self._anchors]

    def block_index_at(self, position: int) -> int:
        """The result block a text position belongs to (-1 before the first anchor)."""
        found = -1
        for cur, index, _label in self._anchors:
            if cur.position() <= position:
                found = index
            else:
                break
        return found

    def block_range(self, block_index: int) -> tuple[int, int] | None:
        for n, (cur, index, _label) in enumerate(self._anchors):
            if index == block_index:
                end = (
                    self._anchors[n + 1][0].position()
                    if n + 1 < len(self._anchors)
                    else self.document().characterCount() - 1
                )
                return cur.position(), max(cur.position(), end)
        return None

    def select_block(self, block_index: int) -> bool:
        """Put the cursor at a block's start, scroll to it and mark it in the margin (canvas click)."""
        span = self.block_range(block_index)
        if span is None:
            return False
        cur = self.textCursor()
        cur.setPosition(span[0])
        self.blockSignals(True)
        self.setTextCursor(cur)
        self.blockSignals(False)
        self._current_block = block_index
        self.highlight_block(block_index)
        # scroll so that the block starts near the top
        self.ensureCursorVisible()
        return True

    def highlight_block(self, block_index: int) -> None:
        self._highlighted_block = block_index
        self._margin.update()
        self.viewport().update()

    def _on_cursor_moved(self) -> None:
        if not self._anchors:
            return
        index = self.block_index_at(self.textCursor().position())
        if index != self._current_block:
            self._current_block = index
            self.highlight_block(index)
            self.cursor_block_changed.emit(index)

    # -- margin -------------------------------------------------------------------------------
    def margin_width(self) -> int:
        return MARGIN_W if self._anchors else 0

    def _update_margin_width(self) -> None:
        self.setViewportMargins(self.margin_width(), 0, 0, 0)
        self._margin.setVisible(bool(self._anchors))

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        else:
            self._margin.update(0, rect.y(), self._margin.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._margin.setGeometry(QRect(cr.left(), cr.top(), self.margin_width(), cr.height()))

    def paint_margin(self, widget: QWidget, rect: QRect) -> None:
        if not self._anchors:
            return
        p = QPainter(widget)
        p.fillRect(rect, self.palette().color(QPalette.ColorRole.Base))
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > rect.bottom():
                break
            if block.isVisible() and geo.bottom() >= rect.top() and block.text().strip():
                index = self.block_index_at(block.position())
                if index >= 0:
                    label = next(lb for _c, i, lb in self._anchors if i == index)
                    colour = label_colour(label)
                    if index != self._highlighted_block:
                        colour.setAlpha(110)
                    w = 5 if index == self._highlighted_block else 3
                    p.fillRect(QRect(2, round(geo.top()) + 1, w, round(geo.height()) - 2), colour)
            block = block.next()
        p.end()

    def event(self, e) -> bool:
        if e.type() == e.Type.ToolTip and self._anchors:
            pos = e.pos()
            if pos.x() < self.margin_width():
                cur = self.cursorForPosition(pos)
                index = self.block_index_at(cur.position())
                if index >= 0:
                    label = next(lb for _c, i, lb in self._anchors if i == index)
                    QToolTip.showText(
                        e.globalPos(),
                        self.tr("Block {n}: {label}").format(n=index + 1, label=label_title(label)),
                        self,
                    )
                    return True
        return super().event(e)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self.highlighter.set_dark(MarkdownHighlighter.dark_palette(self.palette()))


class EditorPane(QWidget):
    """Editor, find/replace bar and preview for one page at a time.

    ``text_edited(page_id, text)`` is emitted 500 ms after the user stops typing, and at once by
    ``flush()``; programmatic changes (``set_page``, ``append_streamed``) never emit it.
    """

    text_edited = Signal(str, str)
    cursor_block_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page_id: str | None = None
        self._programmatic = 0
        self._dirty = False
        self._clean_text = ""  # the text as loaded or last reported
        self._clean_stale = False  # streamed text arrived since: take it as clean when editable
        self.editor = MarkdownEditor(self)
        self.preview = PreviewPane(self)
        self.find_bar = FindReplaceBar(self.editor, self)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(8, 4, 8, 4)
        self.banner.setAutoFillBackground(True)
        self.banner.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.editor.document().contentsChange.connect(self._on_contents_change)
        self.editor.cursor_block_changed.connect(self.cursor_block_changed)

        self.find_action = self._action(
            self.tr("&Find…"), QKeySequence.StandardKey.Find, lambda: self.find_bar.show_find(False)
        )
        self.replace_action = self._action(
            self.tr("&Replace…"), QKeySequence.StandardKey.Replace, lambda: self.find_bar.show_find(True)
        )
        if self.replace_action.shortcut().isEmpty():
            self.replace_action.setShortcut(QKeySequence("Ctrl+H"))
        self.preview_action = QAction(self.tr("Show &Preview"), self)
        self.preview_action.setCheckable(True)
        self.preview_action.setChecked(True)
        self.preview_action.toggled.connect(self.set_preview_visible)
        self.addAction(self.preview_action)
        self.set_page(None, "")

    def _action(self, text: str, key: QKeySequence.StandardKey, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Preview beside the editor when there is room, below it in a narrow dock."""
        super().resizeEvent(event)
        wide = self.width() >= NARROW_W
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            half = (self.width() if wide else self.splitter.height()) // 2
            self.splitter.setSizes([half, half])

    # -- API ----------------------------------------------------------------------------------
    def page_id(self) -> str | None:
        return self._page_id

    def text(self) -> str:
        return self.editor.toPlainText()

    def is_dirty(self) -> bool:
        """Edits not yet reported through ``text_edited``."""
        return self._dirty and self.text() != self._clean_text

    def set_page(
        self, page_id: str | None, text: str, read_only: bool = False, blocks: Sequence[Block] | None = None
    ) -> None:
        """Show a page's text with a fresh undo history; pending edits of the old page are flushed."""
        self.flush()
        self._page_id = page_id
        self._programmatic += 1
        try:
            self.editor.setPlainText(text)  # also clears the undo/redo history
            self.editor.document().setModified(False)
        finally:
            self._programmatic -= 1
        self._clean_text = self.text()
        self._clean_stale = False
        self._dirty = False
        self.editor.set_block_anchors(anchors_from_blocks(text, blocks) if blocks else [])
        self.set_read_only(read_only or page_id is None)
        if page_id is None:
            self.editor.setPlaceholderText(self.tr("Select a page to see its text."))
        else:
            self.editor.setPlaceholderText(self.tr("This page has no text yet. Read it, or type here."))
        self.preview.set_markdown(page_id, text, immediate=True)

    def set_blocks(self, blocks: Sequence[Block]) -> None:
        """Locate result blocks in the current text (for canvas/editor sync)."""
        self.editor.set_block_anchors(anchors_from_blocks(self.text(), blocks))

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        if self._clean_stale:  # streamed text is the baseline for the user's edits
            self._clean_text = self.text()
            self._clean_stale = False
        self.editor.setReadOnly(read_only)
        if read_only and self._page_id is not None:
            self.banner.setText(
                reason or self.tr("This page is being read. Its text can be edited when reading ends.")
            )
            pal = self.banner.palette()
            tint = QColor(pal.color(QPalette.ColorRole.Highlight))
            tint.setAlpha(40)
            pal.setColor(QPalette.ColorRole.Window, tint)
            self.banner.setPalette(pal)
            self.banner.show()
        else:
            self.banner.hide()

    def append_streamed(self, page_id: str, delta: str) -> None:
        """Text generated for a page being read; ignored unless that page is shown."""
        if page_id != self._page_id or not delta:
            return
        editor = self.editor
        bar = editor.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 2
        doc = editor.document()
        self._programmatic += 1
        try:
            doc.setUndoRedoEnabled(False)
            cur = QTextCursor(doc)
            cur.movePosition(QTextCursor.MoveOperation.End)
            cur.insertText(delta)
            doc.setUndoRedoEnabled(True)
        finally:
            self._programmatic -= 1
        self._clean_stale = True
        if follow:
            bar.setValue(bar.maximum())
        self.preview.set_markdown(page_id, self.text, throttle=True)

    def flush(self) -> bool:
        """Report pending edits now; True if there were any."""
        self._timer.stop()
        dirty = self.is_dirty() and self._page_id is not None
        self._dirty = False
        if not dirty or self._page_id is None:
            return False
        text = self.text()
        self._clean_text = text
        self.text_edited.emit(self._page_id, text)
        return True

    def select_block(self, block_index: int) -> bool:
        """Go to a result block in the editor and the preview (e.g. after a click on its box)."""
        if not self.editor.select_block(block_index):
            return False
        span = self.editor.block_range(block_index)
        if span is not None and self.preview.isVisible():
            self.preview.reveal(self.text()[span[0] : span[1]])
        return True

    def set_figure_provider(self, provider: FigureProvider | None) -> None:
        self.preview.set_figure_provider(provider)

    def set_preview_visible(self, visible: bool) -> None:
        self.preview.setVisible(visible)
        if self.preview_action.isChecked() != visible:
            self.preview_action.setChecked(visible)
        if visible:
            self.preview.set_markdown(self._page_id, self.text(), immediate=True)

    def _on_contents_change(self, _pos: int, removed: int, added: int) -> None:
        if self._programmatic or (removed == 0 and added == 0):
            return
        self._dirty = True
        self._timer.start()
        if self.preview.isVisible():
            self.preview.set_markdown(self._page_id, self.text)
