"""The page text editor: Markdown source with highlighting, block anchors, find/replace and preview."""

from __future__ import annotations

import contextlib
import time
from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_ocr.model.blocks import Layout
from desktop_ocr.model.result import Block, ScoredWord
from desktop_ocr.ui.block_text import apply_layout, read_layout
from desktop_ocr.ui.find_replace import FindReplaceBar
from desktop_ocr.ui.highlighter import MarkdownHighlighter
from desktop_ocr.ui.labels import label_colour, label_title
from desktop_ocr.ui.preview import FigureProvider, PreviewPane
from desktop_ocr.ui.word_marks import DocumentMarks, WordMarks

DEBOUNCE_MS = 500
#: Longest time an edit waits while the user keeps typing (a crash loses at most this much).
MAX_WAIT_MS = 1500
NARROW_W = 720  # below this width the preview goes under the editor
MARGIN_W = 8
#: How many pages keep their document (and so their undo history) when another page is shown.
KEPT_DOCUMENTS = 30
#: Block edits of one burst (``apply_block_edit``) closer than this make one undo step.
BURST_S = 0.8
#: Where the cursor was in a page's document when another page was shown (a document property).
_CURSOR_AT = "desktop_ocr_cursor_at"
#: A line with a run of this many characters without a space is wrapped anywhere, not at word
#: boundaries: Qt looks for a break opportunity to the end of the run for every screen line, so
#: 30 KB of ``\\[`` took 25-45 ms per layout instead of 2-7 ms (the text is unchanged).
UNBREAKABLE_RUN = 2_000


def _has_long_line(text: str) -> bool:
    """True when some line of ``text`` is longer than :data:`UNBREAKABLE_RUN` characters."""
    return len(text) > UNBREAKABLE_RUN and max(map(len, text.split("\n"))) > UNBREAKABLE_RUN


class LongLineLayout(QPlainTextDocumentLayout):
    """Qt's plain text layout for a document with a very long line (the model writes an HTML table
    of 6,000 cells as one line of 87 KB), which it lays out once per page shown:

    - while the editor takes the document (:attr:`deferred`), a line not laid out yet is not laid
      out: Qt asks where the cursor is before it gives the layout its width, so that line was laid
      out once unwrapped, as one line of 87 KB (8-40 ms), and again at the width right after; the
      one layout then comes in the next turn of the event loop, not in the turn that built and
      coloured the page's document (together 25-55 ms in one turn at a low load);
    - a long line keeps its shaped text after its layout (``QTextLayout.setCacheEnabled``): Qt
      otherwise drops it, and shapes the whole line again to place the cursor (5-7 ms) and for
      every paint of the line (each blink of the cursor).

    Only documents with such a line get it (each call of it is a call into Python)."""

    #: True while the editor takes the document, and until the next turn of the event loop: lines
    #: not laid out yet answer an empty rectangle (``MarkdownEditor.use_document``).
    deferred = False

    def blockBoundingRect(self, block):  # type: ignore[no-untyped-def]
        layout = block.layout()
        if layout.lineCount() == 0:
            if self.deferred:
                return QRectF()  # as Qt answers for a hidden line: nothing is placed on it
            if block.length() > UNBREAKABLE_RUN and not layout.cacheEnabled():
                layout.setCacheEnabled(True)
        return super().blockBoundingRect(block)


def _wrap_mode_for(text: str) -> QTextOption.WrapMode:
    """How a document's lines wrap on screen: at word boundaries, or anywhere when some run of
    characters has no break opportunity for :data:`UNBREAKABLE_RUN` characters."""
    if len(text) >= UNBREAKABLE_RUN and max(map(len, text.split()), default=0) >= UNBREAKABLE_RUN:
        return QTextOption.WrapMode.WrapAnywhere
    return QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


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
    """Markdown source editor. The page's blocks live in the document's character formats
    (``ui.block_text``), so edits carry them along and undo/redo restores them; ``block_layout()`` reads
    them back. ``cursor_block_changed`` tells which block the cursor is in, ``layout_changed``
    that a block was added, removed, relabelled or got other boxes (also through undo)."""

    cursor_block_changed = Signal(int)
    layout_changed = Signal()
    #: the shown document's ``contentsChange`` (position, removed, added), whichever page it is
    contents_changed = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), self.font().pointSizeF()))
        # Markdown source needs no ligatures or kerning: text is shaped only where its script needs
        # it (Arabic, Indic...), which takes a third off each layout of a long line (9.6 -> 6.4 ms
        # of CPU for 87 KB)
        font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTabChangesFocus(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(8)
        self._dark = MarkdownHighlighter.dark_palette(self.palette())
        # what every document's highlighting should show; a document coloured for another (marks
        # or palette changed while it was not shown) is coloured again when it is shown
        self._generation = 0
        # uncertain and misspelled words: underlined, and F8 / Shift+F8 step through them
        self.word_marks = WordMarks(self)
        self.word_marks.changed.connect(self._marks_changed)
        # Each document has its own highlighter (a child of it), so that showing a page again does
        # not colour it again: colouring a line lays it out again, 10-45 ms for a table of 87 KB.
        self.highlighter = self._highlighter_for(self.document())
        # shown while the wrap mode changes (use_document), so that no page is laid out for it
        self._parking = QTextDocument(self)
        self._parking.setDocumentLayout(QPlainTextDocumentLayout(self._parking))
        # A scroll bar that comes and goes (a short page after a long one) narrows the viewport and
        # so lays every line out again: it stays, as in a word processor.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._layout: Layout | None = None  # cache, dropped on every change
        self._shape: tuple = ()  # labels and boxes last announced through layout_changed
        self._current_block = -1
        self._highlighted_block = -1
        self._margin = _BlockMargin(self)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.document().contentsChange.connect(self._on_contents_change)
        self._shape_timer = QTimer(self)
        self._shape_timer.setSingleShot(True)
        self._shape_timer.setInterval(0)
        self._shape_timer.timeout.connect(self._check_shape)
        # a document with a long line is laid out (and the editor painted) in the turn of the event
        # loop after the one that showed it (use_document)
        self._deferred: LongLineLayout | None = None
        self._lay_out_timer = QTimer(self)
        self._lay_out_timer.setSingleShot(True)
        self._lay_out_timer.setInterval(0)
        self._lay_out_timer.timeout.connect(self.lay_out_now)
        self._update_margin_width()

    def _highlighter_for(self, doc: QTextDocument) -> MarkdownHighlighter:
        found = doc.findChild(MarkdownHighlighter)
        if isinstance(found, MarkdownHighlighter):
            return found
        hl = MarkdownHighlighter(doc, self._dark, self.word_marks.line_marks)
        hl.generation = self._generation
        return hl

    def _marks_changed(self) -> None:
        self._generation += 1
        self.highlighter.generation = self._generation
        self.highlighter.rehighlight()

    def _catch_up_colours(self) -> None:
        """Colour the shown document again for marks or a palette that changed while it was hidden."""
        hl = self.highlighter
        if hl.is_dark() != self._dark:
            hl.set_dark(self._dark)  # colours again
        else:
            hl.rehighlight()

    def new_document(
        self, parent: QObject, layout: Layout | None = None, words: Sequence[ScoredWord] = ()
    ) -> QTextDocument:
        """A document set up as this editor's own (margin, font, highlighter), holding ``layout``
        (its text and blocks, with no undo history) and the uncertain ``words`` of that text.

        It is built and coloured before anything lays it out: its document layout is only given
        when it is shown (``use_document``), so each line is laid out once, for the width it is
        shown at, and not again for every change made while building it."""
        doc = QTextDocument(parent)
        doc.setDocumentMargin(8)
        doc.setDefaultFont(self.font())
        # made while the document is empty, so that Qt does not colour it all again after this
        # event (a pass that ran out of its slice left the lines after it plain until the next)
        highlighter = self._highlighter_for(doc)
        if layout is not None and layout.text:
            blocked = doc.blockSignals(True)  # coloured once, below, with the marks
            apply_layout(doc, layout, undoable=False)
            doc.blockSignals(blocked)
        doc.setModified(False)
        if words:
            # a mark dropped or moved by an edit has its lines drawn again (``set_words`` does so too)
            DocumentMarks.install(doc, words).changed.connect(self._rehighlight_at)
        highlighter.rehighlight()  # the first slice of lines now, the rest soon after
        return doc

    def use_document(self, doc: QTextDocument) -> None:
        """Show another document (each page keeps its own, with its undo history and colours).

        Everything that makes Qt lay the text out again (the margin's width, the wrap mode, the
        document itself) changes before anything asks for the layout, so a page's lines are laid
        out once per page shown, not three times (80 ms for one line of 30 KB)."""
        old = self.document()
        if doc is old:
            return
        self._end_deferral()
        with contextlib.suppress(RuntimeError):
            old.contentsChange.disconnect(self._on_contents_change)
            old.setProperty(_CURSOR_AT, self.textCursor().position())
        text = doc.toPlainText()
        if doc.findChild(QPlainTextDocumentLayout) is None:
            # quietly: Qt announces the whole text as inserted, which would move the word marks
            blocked = doc.blockSignals(True)
            kind = LongLineLayout if _has_long_line(text) else QPlainTextDocumentLayout
            doc.setDocumentLayout(kind(doc))
            doc.blockSignals(blocked)
        self._layout = None
        wrap = _wrap_mode_for(text)
        if wrap != self.wordWrapMode():
            # changed with an empty document shown: the old one is not laid out for it
            self.setDocument(self._parking)
            self.setWordWrapMode(wrap)
        option = doc.defaultTextOption()
        if option.wrapMode() != wrap:  # as setDocument would set it, after its first layout
            option.setWrapMode(wrap)
            doc.setDefaultTextOption(option)
        # QPlainTextEdit lays the last lines out to size its scroll bar while it takes a document,
        # twice for a document it never showed (once before it has the width); centred scrolling
        # skips that, and the one layout comes when it is switched back off
        self.setCenterOnScroll(True)
        layout = doc.documentLayout()
        if isinstance(layout, LongLineLayout):
            # laid out once it has the width, not before (unwrapped), and in the next turn of the
            # event loop (lay_out_now), so that building and colouring the page's document and
            # laying its long line out (6-20 ms each) are not one stall; the editor is not painted
            # until then (it would paint the lines after the long one in its place)
            layout.deferred = True
            self._deferred = layout
            self.setUpdatesEnabled(False)
            self._lay_out_timer.start()
        self.setDocument(doc)
        self.setCenterOnScroll(False)
        self.highlighter = self._highlighter_for(doc)
        if self.highlighter.generation != self._generation or self.highlighter.is_dark() != self._dark:
            self.highlighter.generation = self._generation
            QTimer.singleShot(0, self._catch_up_colours)
        doc.contentsChange.connect(self._on_contents_change)
        # Qt hands the old document's typing format (its block number, label and boxes) on to the
        # new document's cursor, so a Tab typed after changing page joined another page's block
        # number and broke this page's blocks: a fresh cursor types with the format beside it.
        cur = QTextCursor(doc)
        at = doc.property(_CURSOR_AT)
        if isinstance(at, int):
            cur.setPosition(max(0, min(at, doc.characterCount() - 1)))
        self.setTextCursor(cur)
        self._layout = None
        self._current_block = -1
        self._highlighted_block = -1
        self._shape = self._shape_of(self.block_layout())
        self._update_margin_width()
        self._margin.update()

    def lay_out_now(self) -> None:
        """Lay the shown document out now if its layout still waits for the next turn of the event
        loop (a document with a long line, just shown), and scroll to its cursor."""
        if self._end_deferral():
            self.ensureCursorVisible()  # asked while it was deferred, it could not scroll

    def _end_deferral(self) -> bool:
        """Let the deferred document layout lay lines out again; True if one was deferred."""
        layout, self._deferred = self._deferred, None
        self._lay_out_timer.stop()
        if layout is None:
            return False
        with contextlib.suppress(RuntimeError):  # its document was deleted meanwhile
            layout.deferred = False
        self.setUpdatesEnabled(True)  # and paints it (every line is placed again as it is asked)
        return True

    # -- blocks -------------------------------------------------------------------------------
    def set_layout(self, layout: Layout, undoable: bool = False, join: bool = False) -> None:
        """Show ``layout``. Not undoable (loading a page) or as one undoable step (a block edit;
        ``join``: part of the step before it)."""
        apply_layout(self.document(), layout, undoable=undoable, join=join)
        self._layout = None
        if not undoable:
            # setPlainText gave the cursor a fixed format for typing; a fresh cursor types with
            # the format of the text beside it, so what is typed joins that block
            self.setTextCursor(QTextCursor(self.document()))
            self._current_block = -1
            self._highlighted_block = -1
            self._shape = self._shape_of(self.block_layout())
        self._update_margin_width()
        self._margin.update()

    def block_layout(self) -> Layout:
        """The text and its blocks as they are now."""
        if self._layout is None:
            self._layout = read_layout(self.document())
        return self._layout

    @staticmethod
    def _shape_of(layout: Layout) -> tuple:
        return tuple((s.label, s.boxes) for s in layout.spans)

    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        self._layout = None
        self._shape_timer.start()
        self.contents_changed.emit(pos, removed, added)

    def _check_shape(self) -> None:
        shape = self._shape_of(self.block_layout())
        if shape != self._shape:
            self._shape = shape
            self._update_margin_width()
            self._margin.update()
            self.layout_changed.emit()
            self._current_block = -2  # report the cursor's block again
            self._on_cursor_moved()

    def block_index_at(self, position: int) -> int:
        """The block a text position belongs to (-1 before the first block)."""
        return self.block_layout().index_at(position)

    def block_range(self, block_index: int) -> tuple[int, int] | None:
        layout = self.block_layout()
        if not 0 <= block_index < len(layout.spans):
            return None
        return layout.span_range(block_index)

    def current_block(self) -> int:
        return self.block_index_at(self.textCursor().position())

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
        if not self.block_layout().spans and self._current_block < 0:
            return
        index = self.block_index_at(self.textCursor().position())
        if index != self._current_block:
            self._current_block = index
            self.highlight_block(index)
            self.cursor_block_changed.emit(index)

    def _label_of(self, index: int) -> str:
        spans = self.block_layout().spans
        return spans[index].label if 0 <= index < len(spans) else ""

    # -- margin -------------------------------------------------------------------------------
    def margin_width(self) -> int:
        """The block margin's width: the same with blocks or without, as a change of the viewport's
        width lays every line out again (one line of 87 KB: 10-30 ms)."""
        return MARGIN_W

    def _update_margin_width(self) -> None:
        if self.viewportMargins().left() != MARGIN_W:
            self.setViewportMargins(MARGIN_W, 0, 0, 0)

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
        p = QPainter(widget)
        p.fillRect(rect, self.palette().color(QPalette.ColorRole.Base))
        if not self.block_layout().spans:
            p.end()
            return
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > rect.bottom():
                break
            if block.isVisible() and geo.bottom() >= rect.top() and block.text().strip():
                index = self.block_index_at(block.position())
                if index >= 0:
                    colour = label_colour(self._label_of(index))
                    if index != self._highlighted_block:
                        colour.setAlpha(110)
                    w = 5 if index == self._highlighted_block else 3
                    p.fillRect(QRect(2, round(geo.top()) + 1, w, round(geo.height()) - 2), colour)
            block = block.next()
        p.end()

    def event(self, e) -> bool:
        if e.type() == e.Type.ShortcutOverride:
            # F8 / Shift+F8 step through the marked words here; past the last one they are the
            # window's "page needing attention" keys again
            forward = self._mark_key(e)
            if forward is not None and self._mark_step(forward) is not None:
                e.accept()
                return True
        if e.type() == e.Type.ToolTip and self.block_layout().spans:
            pos = e.pos()
            if pos.x() < self.margin_width():
                cur = self.cursorForPosition(pos)
                index = self.block_index_at(cur.position())
                if index >= 0:
                    QToolTip.showText(
                        e.globalPos(),
                        self.tr("Block {n}: {label}").format(
                            n=index + 1, label=label_title(self._label_of(index))
                        ),
                        self,
                    )
                    return True
        return super().event(e)

    # -- doubtful words ------------------------------------------------------------------------
    def set_words(self, words: Sequence[ScoredWord]) -> None:
        """The engine's uncertain words of the shown text (positions in it); they follow edits.
        Give none before replacing the text, so that no old mark is drawn on the new text."""
        old = DocumentMarks.of(self.document())
        had_marks = old is not None and bool(old.words())
        marks = DocumentMarks.install(self.document(), words)
        marks.changed.connect(self._rehighlight_at)
        if words or had_marks:
            self.highlighter.rehighlight()

    def _rehighlight_at(self, position: int) -> None:
        doc = self.document()
        marks = self.sender()
        if isinstance(marks, DocumentMarks) and marks.parent() is doc:
            self.highlighter.rehighlightBlock(doc.findBlock(position))

    def _mark_step(self, forward: bool) -> tuple[int, int] | None:
        cur = self.textCursor()
        return self.word_marks.step(self.document(), cur.selectionStart(), cur.selectionEnd(), forward)

    def go_to_mark(self, forward: bool = True) -> bool:
        """Select the next (or previous) marked word; False when there is none that way."""
        span = self._mark_step(forward)
        if span is None:
            return False
        cur = self.textCursor()
        cur.setPosition(span[0])
        cur.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)
        self.ensureCursorVisible()
        return True

    @staticmethod
    def _mark_key(e) -> bool | None:
        """F8: True (forward), Shift+F8: False, anything else: None."""
        if e.key() != Qt.Key.Key_F8:
            return None
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.NoModifier:
            return True
        if mods == Qt.KeyboardModifier.ShiftModifier:
            return False
        return None

    def keyPressEvent(self, e) -> None:
        forward = self._mark_key(e)
        if forward is not None and self.go_to_mark(forward):
            e.accept()
            return
        if not self.isReadOnly() and e.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            e.accept()
            return
        if not self.isReadOnly() and e.matches(QKeySequence.StandardKey.Redo):
            self.redo()
            e.accept()
            return
        super().keyPressEvent(e)

    def undo(self) -> None:
        self._step_history(super().undo)

    def redo(self) -> None:
        self._step_history(super().redo)

    def _step_history(self, step) -> None:
        """Undo or redo, leaving the cursor on what changed: Qt puts it at the page's first character
        after undoing a block operation (an edit block written with a cursor of its own), so the view
        jumped to the top of the page and the first block's box was selected."""
        changed: list[tuple[int, int]] = []
        doc = self.document()

        def note(position: int, _removed: int, added: int) -> None:
            changed.append((position, position + added))

        doc.contentsChange.connect(note)
        try:
            step()
        finally:
            doc.contentsChange.disconnect(note)
        if not changed:
            return
        first = min(start for start, _ in changed)
        last = max(end for _, end in changed)
        # A block operation renumbers the blocks after the one it changed, so its step reaches to the
        # page's end, where Qt leaves the cursor after a redo: the start of what changed is the place.
        # (Typing within one paragraph keeps Qt's cursor.)
        across = doc.findBlock(first).blockNumber() != doc.findBlock(max(first, last - 1)).blockNumber()
        if across or not first <= self.textCursor().position() <= last:
            cur = self.textCursor()
            cur.setPosition(min(first, max(0, doc.characterCount() - 1)))
            self.setTextCursor(cur)
            self.ensureCursorVisible()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste and drop as typing does: the text joins the block at the cursor (Qt's own paste
        inserts it without the block's format, so pasting over a block's text removed the block)."""
        if source.hasText() and not self.isReadOnly():
            cur = self.textCursor()
            cur.insertText(source.text())
            self.setTextCursor(cur)
            self.ensureCursorVisible()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:
            self._dark = MarkdownHighlighter.dark_palette(self.palette())
            self.highlighter.set_dark(self._dark)


class EditorPane(QWidget):
    """Editor, find/replace bar and preview for one page at a time.

    ``text_edited(page_id, text, spans, origin)`` is emitted 500 ms after the user stops typing, and at once by
    ``flush()``; programmatic changes (``set_page``, ``append_streamed``) never emit it.
    """

    #: page id, text, its blocks (a tuple of ``model.blocks.Span``), origin ("edit", "region"...)
    text_edited = Signal(str, str, object, str)
    cursor_block_changed = Signal(int)
    layout_changed = Signal()
    read_only_changed = Signal(bool)  # reading began or ended: what may be edited changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page_id: str | None = None
        self._programmatic = 0
        self._dirty = False
        self._clean_text = ""  # the text as loaded or last reported
        self._clean_spans: tuple = ()  # its blocks
        self._last_burst: tuple = (None, None, -1, 0.0)  # key, document, undo steps, time
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
        self._max_wait = QTimer(self)  # not restarted by typing: steady typing is stored too
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(MAX_WAIT_MS)
        self._max_wait.timeout.connect(self.flush)
        self._documents: OrderedDict[str, QTextDocument] = OrderedDict()  # page id -> its document
        self.editor.use_document(self.editor.new_document(self))
        self.editor.contents_changed.connect(self._on_contents_change)
        self.editor.cursor_block_changed.connect(self.cursor_block_changed)
        # the preview marks the block under the cursor, after each move to another block and each
        # render (which replaces the document, or grows it, and with it what was marked)
        self.editor.cursor_block_changed.connect(lambda _index: self._mark_in_preview())
        self.preview.rendered.connect(self._mark_in_preview)
        self.editor.layout_changed.connect(self.layout_changed)

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
        """Edits (of the text or of its blocks) not yet reported through ``text_edited``."""
        return self._dirty and (
            self.text() != self._clean_text or self.editor.block_layout().spans != self._clean_spans
        )

    def set_page(
        self,
        page_id: str | None,
        text: str,
        read_only: bool = False,
        blocks: Sequence[Block] | None = None,
        layout: Layout | None = None,
        words: Sequence[ScoredWord] = (),
    ) -> None:
        """Show a page's text and blocks (``layout``, or ``blocks`` found in the text) with a fresh
        undo history; pending edits of the old page are flushed first. ``words``: the engine's
        uncertain words of ``text`` (a page shown again with its kept document keeps its own)."""
        self.flush()
        old_page, old_doc = self._page_id, self.editor.document()
        if old_page is not None and not self.editor.isReadOnly():
            self._documents[old_page] = old_doc  # its undo history waits for the user's return
            self._documents.move_to_end(old_page)
        self._page_id = page_id
        if layout is None:
            layout = Layout.from_blocks(text, blocks) if blocks else Layout(text)
        kept = self._documents.pop(page_id, None) if page_id is not None else None
        self._programmatic += 1
        try:
            if kept is not None and not read_only and read_layout(kept) == layout:
                self.editor.use_document(kept)  # unchanged since: undo goes on where it was
            else:
                # a new document, built before it is shown (so laid out once), with no undo history
                self.editor.use_document(self.editor.new_document(self, layout, words))
                if kept is not None:
                    kept.deleteLater()
            if old_doc is not self.editor.document() and old_doc not in self._documents.values():
                old_doc.deleteLater()  # not kept (read-only, or no page): its history is no use
        finally:
            self._programmatic -= 1
        while len(self._documents) > KEPT_DOCUMENTS:
            self._documents.popitem(last=False)[1].deleteLater()
        self._clean_text = self.text()
        self._clean_spans = self.editor.block_layout().spans
        self._clean_stale = False
        self._dirty = False
        self.set_read_only(read_only or page_id is None)
        if page_id is None:
            self.editor.setPlaceholderText(self.tr("Select a page to see its text."))
        else:
            self.editor.setPlaceholderText(self.tr("This page has no text yet. Read it, or type here."))
        self.preview.set_markdown(page_id, text, soon=True)

    def block_layout(self) -> Layout:
        """The text and its blocks as they are now (edits included)."""
        return self.editor.block_layout()

    def apply_block_edit(self, layout: Layout, cursor: int | None = None, burst: object = None) -> bool:
        """Make ``layout`` the text and blocks, as one undoable edit (a block operation).

        Edits with the same ``burst`` key in quick succession, with nothing else done between them
        (e.g. a box nudged with a held arrow key), make one undo step together."""
        if self.editor.isReadOnly() or self._page_id is None:
            return False
        doc = self.editor.document()
        now = time.monotonic()
        last_key, last_doc, last_steps, last_time = self._last_burst
        join = (
            burst is not None
            and burst == last_key
            and doc is last_doc
            and doc.availableUndoSteps() == last_steps
            and now - last_time < BURST_S
        )
        self.editor.set_layout(layout, undoable=True, join=join)
        self._last_burst = (burst, doc, doc.availableUndoSteps(), now)
        if cursor is not None:
            cur = self.editor.textCursor()
            cur.setPosition(max(0, min(cursor, len(layout.text))))
            self.editor.setTextCursor(cur)
        self.editor.ensureCursorVisible()
        return True

    def set_read_only(self, read_only: bool, reason: str = "") -> None:
        if self._clean_stale:  # streamed text is the baseline for the user's edits
            self._clean_text = self.text()
            self._clean_spans = self.editor.block_layout().spans
        self._clean_stale = False
        changed = self.editor.isReadOnly() != read_only
        self.editor.setReadOnly(read_only)
        self.editor.word_marks.set_paused(read_only and self._page_id is not None)
        if changed:
            self.read_only_changed.emit(read_only)
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

    def flush(self, origin: str = "edit") -> bool:
        """Report pending edits now (``origin``: what made them); True if there were any."""
        self._timer.stop()
        self._max_wait.stop()
        dirty = self.is_dirty() and self._page_id is not None
        self._dirty = False
        if not dirty or self._page_id is None:
            return False
        layout = self.editor.block_layout()
        self._clean_text = layout.text
        self._clean_spans = layout.spans
        self.text_edited.emit(self._page_id, layout.text, layout.spans, origin)
        return True

    def select_block(self, block_index: int) -> bool:
        """Go to a result block in the editor and the preview (e.g. after a click on its box)."""
        if not self.editor.select_block(block_index):
            return False
        span = self.editor.block_range(block_index)
        if span is not None and self.preview.isVisible():
            self.preview.reveal(self.text()[span[0] : span[1]])
        return True

    def _mark_in_preview(self) -> None:
        """Mark the cursor's block in the preview (nothing while the page is read: the text grows
        and the preview follows its end)."""
        if not self.preview.isVisible():
            return
        span = self.editor.block_range(self.editor.current_block())
        if span is None or self.editor.isReadOnly():
            self.preview.clear_highlight()
            return
        self.preview.reveal(self.text()[span[0] : span[1]], render=False)

    def set_figure_provider(self, provider: FigureProvider | None) -> None:
        self.preview.set_figure_provider(provider)

    def set_preview_visible(self, visible: bool) -> None:
        self.preview.setVisible(visible)
        if self.preview_action.isChecked() != visible:
            self.preview_action.setChecked(visible)
        if visible:
            self.preview.set_markdown(self._page_id, self.text(), soon=True)

    def forget_documents(self) -> None:
        """Drop the kept documents of other pages (a different project is open)."""
        while self._documents:
            self._documents.popitem()[1].deleteLater()

    def _on_contents_change(self, _pos: int, removed: int, added: int) -> None:
        if self._programmatic or (removed == 0 and added == 0):
            return
        self._dirty = True
        self._timer.start()
        if not self._max_wait.isActive():
            self._max_wait.start()
        if self.preview.isVisible():
            self.preview.set_markdown(self._page_id, self.text)
