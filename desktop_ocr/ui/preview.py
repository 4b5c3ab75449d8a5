"""Rendered preview of a page's Markdown: HTML tables, figures from the page, LaTeX shown as written.

Page text comes from a model or a user, so the preview is bounded: text that Qt's layout could not
show quickly (tables nested deeper than :data:`MAX_TABLE_DEPTH`, more than :data:`MAX_CELLS` table
cells (HTML or Markdown), more than :data:`MAX_LIST_ITEMS` list items or :data:`MAX_LINES` lines,
more than :data:`MAX_RENDER_CHARS` characters) is shown as written instead, its first
:data:`MAX_SOURCE_CHARS` characters under a note; the editor always has the whole text. Links open only
after the user confirms, http(s) in the system browser; nothing is ever loaded from a local file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QMessageBox, QTextBrowser, QWidget

from desktop_ocr.export.brackets import escape_stray_brackets
from desktop_ocr.model.result import FIGURE_SCHEME

FigureProvider = Callable[[str, int], "QImage | None"]

#: Deeper-nested tables, more cells, list items, lines or characters than these are shown as written
#: (see the module docstring). Qt's layout time doubles with each level of nested tables and grows
#: with a table's cells (about 0.07 ms of GUI-thread CPU a cell on a quiet 2-core machine, twice that
#: under load: 1,500 cells took 102-244 ms, a 20 KB Markdown table 2.8 s); Qt reads a list in a time
#: that grows with the square of its items (4,900 items: 2.3 s, 1,000: 77 ms, 600: ~30 ms under load);
#: a page of 6,600 one-word lines took 92 ms. The limits keep a page's render well under 50 ms
#: (benchmarks/results/gui_responsiveness.md).
MAX_TABLE_DEPTH = 3
MAX_CELLS = 500
MAX_LIST_ITEMS = 600
MAX_LINES = 2_000
MAX_RENDER_CHARS = 20_000
MAX_SOURCE_CHARS = 4_000
#: Link schemes the preview offers to open (in the system's browser or mail program).
LINK_SCHEMES = ("http", "https", "mailto")

_MATH_OPENER = re.compile(r"\\\[|\$\$|\\\(|\$")
_MATH_CLOSER = {"\\[": "\\]", "$$": "$$", "\\(": "\\)"}
_INLINE_DOLLAR = re.compile(r"(?<![\\$])\$(?!\$)(?=\S)([^\n$]+?)(?<=\S)\$(?!\$)")
_TABLE_TAG = re.compile(r"<(/?)table\b", re.I)
_CELL_TAG = re.compile(r"<t[dh]\b", re.I)
#: A Markdown table's delimiter row ("| --- | :-: |"), and a line of a Markdown table (it has a "|").
_PIPE_DELIMITER = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", re.M)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.S | re.M)
_TABLE_OPEN = re.compile(r"<table(?![^>]*\bborder=)", re.I)
_EMPTY_ALT = re.compile(r"!\[\]\(")


def protect_math(markdown: str) -> str:
    """Show LaTeX as written: math becomes code spans, so Markdown leaves ``\\``, ``_``, ``*`` alone."""
    out: list[str] = []
    last = 0
    for fence in _FENCE.finditer(markdown):
        out.append(_protect_math_outside_code(markdown[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_protect_math_outside_code(markdown[last:]))
    return "".join(out)


def _protect_math_outside_code(text: str) -> str:
    def repl(src: str) -> str:
        display = src.startswith(("\\[", "$$"))
        body = " ".join(src.split()) if display else src
        ticks = "`" * (max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
        span = f"{ticks} {body} {ticks}"
        return f"\n\n{span}\n\n" if display else span

    # leave inline code spans untouched
    parts = re.split(r"(`+[^`]*`+)", text)
    return "".join(p if i % 2 else _replace_math(p, repl) for i, p in enumerate(parts))


def _replace_math(text: str, repl: Callable[[str], str]) -> str:
    """Each math span of ``text`` replaced by ``repl``, in one pass: a delimiter that is never closed
    is looked for once, not again from every later opener."""
    out: list[str] = []
    pos = last = 0
    unclosed: set[str] = set()
    while (m := _MATH_OPENER.search(text, pos)) is not None:
        start, opener = m.start(), m.group(0)
        closer = _MATH_CLOSER.get(opener)
        end = -1
        if closer is None:
            inline = _INLINE_DOLLAR.match(text, start)
            end = inline.end() if inline else -1
        elif opener not in unclosed:
            found = text.find(closer, start + len(opener) + 1)  # the body has one character at least
            if found < 0:
                unclosed.add(opener)  # no later opener of this kind is closed either
            else:
                end = found + len(closer)
        if end < 0:
            pos = start + 1
            continue
        out.append(text[last:start])
        out.append(repl(text[start:end]))
        pos = last = end
    out.append(text[last:])
    return "".join(out)


def _table_depth(markdown: str) -> int:
    depth = deepest = 0
    for m in _TABLE_TAG.finditer(markdown):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def table_cells(markdown: str) -> int:
    """The table cells of ``markdown``: its HTML cells and its Markdown tables' (each row but the
    delimiter of a run of lines with a "|" that holds a delimiter row counts its cells: a "|" between
    two cells)."""
    cells = len(_CELL_TAG.findall(markdown))
    run: list[str] = []
    for line in [*markdown.split("\n"), ""]:
        if "|" in line:
            run.append(line)
            continue
        if any(_PIPE_DELIMITER.match(row) for row in run):
            for row in run:
                if _PIPE_DELIMITER.match(row):
                    continue
                inner = row.strip()
                cells += max(
                    1, inner.count("|") + 1 - inner.startswith("|") - (len(inner) > 1 and inner.endswith("|"))
                )
        run = []
    return cells


def list_items(markdown: str) -> int:
    return len(_LIST_ITEM.findall(markdown))


def text_lines(markdown: str) -> int:
    return sum(1 for line in markdown.split("\n") if line.strip())


#: The preview's limits, checked in this order: (reason, what is counted, the most rendered).
_LIMITS: tuple[tuple[str, Callable[[str], int], int], ...] = (
    ("chars", len, MAX_RENDER_CHARS),
    ("depth", _table_depth, MAX_TABLE_DEPTH),
    ("cells", table_cells, MAX_CELLS),
    ("items", list_items, MAX_LIST_ITEMS),
    ("lines", text_lines, MAX_LINES),
)


def over_limit(markdown: str) -> tuple[str, int, int]:
    """Why the preview would show ``markdown`` as written: the first limit above it passes, as
    (reason, its count, the limit); ("", 0, 0) when it is rendered."""
    for reason, count, limit in _LIMITS:
        n = count(markdown)
        if n > limit:
            return reason, n, limit
    return "", 0, 0


def _new_plain_block(cur: QTextCursor) -> None:
    """A new empty block at ``cur`` without the formats of the block before (a heading's, a list's)."""
    cur.insertBlock(QTextBlockFormat(), QTextCharFormat())


_VOID_TAG = re.compile(r"<(br|hr|img|wbr)\b([^<>]*?)\s*/?>", re.I)
_CODE_SPAN = re.compile(r"(`+[^`]*`+)")


def _close_void_tags(markdown: str) -> str:
    """``<br>``, ``<img ...>``, ``<hr>`` written self-closed (``<br />``), outside code: Qt's
    Markdown importer waits for the end tag of an element that has none, and drops the rest of the
    paragraph, or the whole HTML table when a cell holds a ``<br>`` (as the model writes them)."""
    if "<" not in markdown:
        return markdown
    out: list[str] = []
    last = 0
    for fence in _FENCE.finditer(markdown):
        out.append(_close_void_tags_outside_fences(markdown[last : fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_close_void_tags_outside_fences(markdown[last:]))
    return "".join(out)


def _close_void_tags_outside_fences(text: str) -> str:
    parts = _CODE_SPAN.split(text)
    return "".join(p if i % 2 else _VOID_TAG.sub(r"<\1\2 />", p) for i, p in enumerate(parts))


def _for_qt(markdown: str) -> str:
    """Markdown as Qt's importer is given it: math as code, bordered tables, images with alt text,
    elements without an end tag closed."""
    text = _TABLE_OPEN.sub(
        '<table border="1" cellspacing="0" cellpadding="5"',
        _close_void_tags(escape_stray_brackets(protect_math(markdown))),  # "a<b" shows as typed
    )
    return _EMPTY_ALT.sub("![image](", text)  # Qt drops images without alt text


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FENCE_LINE = re.compile(r"^ {0,3}(```|~~~)", re.M)


def _closed(prefix: str) -> bool:
    """True when nothing that spans blank lines is open at the end of ``prefix``: a code fence, an
    HTML table, display math, an HTML comment, an indented block or list right before."""
    if len(_FENCE_LINE.findall(prefix)) % 2:
        return False
    depth = 0
    for m in _TABLE_TAG.finditer(prefix):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
    if depth:
        return False
    if prefix.count("\\[") > prefix.count("\\]") or prefix.count("$$") % 2:
        return False
    return prefix.rfind("<!--") <= prefix.rfind("-->")


def safe_cut(markdown: str, start: int) -> int:
    """The end of the last blank line of ``markdown`` after ``start`` at which the text before can be
    rendered on its own (the same as within the whole), or ``start`` when there is none: before
    a line that is not indented, not a list item, not a table row and not HTML (a fragment that
    starts with a table would keep an empty line before it), with nothing open."""
    ends = [m.end() for m in _BLANK_LINE.finditer(markdown, start)]
    for end in reversed(ends[-8:]):  # a few tries back from the end
        if not _starts_plain(markdown[end : end + 12]):
            continue
        if _closed(markdown[:end]):
            return end
    return start


_LIST_START = re.compile(r"([-*+]|\d{1,9}[.)])(\s|$)")


def _starts_plain(following: str) -> bool:
    """True when text after a cut begins a block that renders the same on its own: not empty, not
    indented or blank, not a list item, not a table row and not HTML."""
    return bool(following) and not (
        following[0].isspace() or following[0] in "|<" or _LIST_START.match(following)
    )


def _plain_probe(markdown: str) -> str:
    """A few words of a Markdown snippet as they appear rendered (markers and tags removed)."""
    for line in markdown.splitlines():
        text = re.sub(r"<[^>]+>", " ", line)
        text = re.sub(r"^\s*(#{1,6}|[-*+]|\d+[.)]|>)\s+", "", text)
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"[*_`~|]", " ", text)
        words = text.split()
        if len(words) >= 1 and len(" ".join(words)) >= 2:
            return " ".join(words[:6])
    return ""


class PreviewPane(QTextBrowser):
    """Renders Markdown (GitHub dialect, raw HTML such as tables) with a debounce."""

    DEBOUNCE_MS = 300
    #: a render finished (a new document or a grown one): what was selected in it is gone or stale
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Never navigate: a link is only opened by open_link, after the user agrees.
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self.open_link)
        #: Why the page is shown as written ("chars", "depth", "cells", "items", "lines"), or "" when
        #: it is rendered.
        self.source_view_reason = ""
        self._page_id: str | None = None
        # The Markdown rendered so far up to a safe cut, the page it is of, and where in the
        # document the rest (the tail, re-rendered each time) begins.
        self._rendered_prefix: str | None = None
        self._own_document: QTextDocument | None = None  # the document shown, when it is not Qt's
        self._rendered_page: str | None = None
        self._tail_at = 0
        self._markdown: str | Callable[[], str] = ""
        self._provider: FigureProvider | None = None
        self._figure_cache: dict[tuple[str, int, int], QImage] = {}
        self._figures_missing = False  # a figure of the page shown was asked for before its image came
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.render_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.render_now)
        self.document().setDocumentMargin(14)
        self._apply_style()

    def set_figure_provider(self, provider: FigureProvider | None) -> None:
        """``provider(page_id, n)`` returns the n-th figure (1-based) of a page, or None."""
        self._provider = provider
        self._figure_cache.clear()
        self._rendered_prefix = None  # the next render is a whole one

    def page_image_arrived(self, page_id: str) -> None:
        """The page's image (what its figures are cut from) is ready: if a figure of the page shown
        was rendered before it came (a page switch renders before the render thread answers), the
        page is rendered again whole (the document keeps a missing image as it was asked for)."""
        if page_id == self._page_id and self._figures_missing:
            self._figures_missing = False
            self._rendered_prefix = None
            self._timer.stop()
            self._soon.start()

    def set_markdown(
        self,
        page_id: str | None,
        markdown: str | Callable[[], str],
        immediate: bool = False,
        throttle: bool = False,
        soon: bool = False,
    ) -> None:
        """Show Markdown (or a getter called when the preview renders).

        Updates are debounced (300 ms after the last one); with ``throttle`` (streamed text) a
        pending render is not pushed back, so the preview keeps up while text arrives. ``immediate``
        renders now; ``soon`` (and a different page) as soon as the event loop has run once, so that
        the preview's work never adds to the work of whatever showed the page (the editor, the canvas).
        """
        if page_id != self._page_id:
            self._figure_cache.clear()
            soon = soon or not immediate
        self._page_id = page_id
        self._markdown = markdown
        if immediate and not soon:
            self._timer.stop()
            self.render_now()
        elif soon:
            self._timer.stop()
            self._soon.start()
        elif not (throttle and self.pending()):
            self._timer.start()

    def markdown(self) -> str:
        return self._markdown() if callable(self._markdown) else self._markdown

    def pending(self) -> bool:
        return self._timer.isActive() or self._soon.isActive()

    def render_now(self) -> None:
        """Render the Markdown now. Text that only grew since the last render (streamed text, typing
        at the end) re-renders only from the last cut (:func:`safe_cut`) before the new text: the
        work of a render follows what changed, not the page's length."""
        self._timer.stop()
        self._soon.stop()
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4 and bar.maximum() > 0
        ratio = bar.value() / bar.maximum() if bar.maximum() else 0.0
        doc = self.document()
        markdown = self.markdown()
        over = over_limit(markdown)
        self.source_view_reason = over[0]
        prefix = self._rendered_prefix
        grown = (
            not self.source_view_reason
            and self._rendered_page == self._page_id
            and prefix  # (text that starts again from nothing, a new read, is rendered whole)
            and markdown.startswith(prefix)
            and (len(markdown) == len(prefix) or _starts_plain(markdown[len(prefix) : len(prefix) + 12]))
        )
        if not grown:
            # drop cached resources so changed figures reload
            self._figures_missing = False
            self._rendered_prefix = None
        if self.source_view_reason:
            doc.clear()
            self._apply_style(doc)
            self._show_source(markdown, over)
        elif grown and prefix:
            cur = QTextCursor(doc)
            cur.setPosition(self._tail_at)
            cur.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cur.removeSelectedText()
            self._render_from(cur, markdown, len(prefix))
        else:
            self._show_document(self._whole_document(markdown))
        if at_end:
            bar.setValue(bar.maximum())
        else:
            bar.setValue(round(ratio * bar.maximum()))
        self.rendered.emit()

    def _figure_width(self) -> int:
        return max(120, self.viewport().width() - 40)

    def resizeEvent(self, event) -> None:
        """Figures are scaled to the pane's width when rendered: when the pane gets narrower than one
        (the dock's width restored after a project was opened, the splitter dragged), the page is
        rendered again, or the figure stayed wider than the pane, with a horizontal scroll bar under
        the whole page. (Not when it gets wider: the scroll bar coming and going would render again
        and again.)"""
        super().resizeEvent(event)
        width = self._figure_width()
        too_wide = [key for key, image in self._figure_cache.items() if image.width() > width]
        if too_wide:
            for key in too_wide:
                del self._figure_cache[key]
            self._rendered_prefix = None  # a whole render: the figures are asked for again
            self._timer.start()

    def _whole_document(self, markdown: str) -> QTextDocument:
        """A new document of the whole ``markdown``, built off screen: it has no layout yet, so
        building it lays nothing out (on the document shown, the text set and each part added
        after it laid the page out again: a table two or three times per render)."""
        shown = self.document()
        doc = QTextDocument(self)  # its resources are asked of this pane: never a local file
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(shown.defaultFont())
        doc.setDefaultTextOption(shown.defaultTextOption())
        doc.setDocumentMargin(shown.documentMargin())
        doc.setIndentWidth(shown.indentWidth())
        doc.setUseDesignMetrics(shown.useDesignMetrics())
        self._apply_style(doc)
        cut = safe_cut(markdown, 0)
        doc.setMarkdown(_for_qt(markdown[:cut]), QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        self._rendered_prefix = markdown[:cut]
        self._rendered_page = self._page_id
        cur = QTextCursor(doc)
        cur.movePosition(QTextCursor.MoveOperation.End)
        if cut:
            _new_plain_block(cur)
        self._render_from(cur, markdown, cut)
        return doc

    def _show_document(self, doc: QTextDocument) -> None:
        """Show a finished document: it is laid out once, when the pane takes it (with no page size
        until then, taking it does not lay it out at a size of its own first)."""
        old = self._own_document  # (the pane's first document is Qt's own: Qt deletes it when replaced)
        doc.setPageSize(QSizeF(0, 0))
        policy = self.verticalScrollBarPolicy()
        bar_shown = self.verticalScrollBar().isVisibleTo(self)
        bar_off = policy == Qt.ScrollBarPolicy.ScrollBarAsNeeded and not bar_shown
        if bar_off:
            # Laid out with the scroll bar: a page taller than the pane keeps it, and is not laid out
            # again at the narrower width when the bar comes; a shorter one (quick to lay out) is laid
            # out again at the full width when the bar goes below.
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setDocument(doc)
        if bar_off:
            self.setVerticalScrollBarPolicy(policy)
        self._own_document = doc
        if old is not None:
            old.deleteLater()

    def _render_from(self, cur: QTextCursor, markdown: str, start: int) -> None:
        """At ``cur`` (an empty block at the end): ``markdown[start:]``, its complete part kept as
        the rendered prefix and the rest (the tail) after :attr:`_tail_at`."""
        cut = safe_cut(markdown, start)
        if cut > start:
            self._insert(cur, markdown[start:cut])
            cur.movePosition(QTextCursor.MoveOperation.End)
            _new_plain_block(cur)
            self._rendered_prefix = markdown[:cut]
        self._tail_at = cur.position()
        if cut < len(markdown):
            self._insert(cur, markdown[cut:])

    def _insert(self, cur: QTextCursor, markdown: str) -> None:
        part = QTextDocument(self)  # its resources are asked of this pane: never a local file
        part.setDefaultStyleSheet(self.document().defaultStyleSheet())
        part.setMarkdown(_for_qt(markdown), QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        first = part.firstBlock().blockFormat()  # a fragment's first block takes the block's format
        at = cur.position()
        cur.insertFragment(QTextDocumentFragment(part))
        head = QTextCursor(cur.document())
        head.setPosition(at)
        head.setBlockFormat(first)
        part.setParent(None)
        part.deleteLater()

    def _show_source(self, markdown: str, over: tuple[str, int, int]) -> None:
        notes = {
            "chars": self.tr(
                "This page is too long to preview ({n} characters; the preview shows up to {limit})."
            ),
            "depth": self.tr(
                "This page has tables nested {n} deep, too deep to preview (the limit is {limit})."
            ),
            "cells": self.tr("This page has {n} table cells, too many to preview (the limit is {limit})."),
            "items": self.tr("This page has {n} list items, too many to preview (the limit is {limit})."),
            "lines": self.tr("This page has {n} lines, too many to preview (the limit is {limit})."),
        }
        reason, n, limit = over
        note = notes[reason].format(n=f"{n:,}", limit=f"{limit:,}")
        shown = markdown[:MAX_SOURCE_CHARS]
        more = len(markdown) - len(shown)
        tail = "\n…\n" + self.tr("({n} more characters: the editor has the whole text)").format(n=f"{more:,}")
        self.setPlainText(
            note + "\n" + self.tr("Its text is shown as written.") + "\n\n" + shown + (tail if more else "")
        )

    def open_link(self, url: QUrl) -> bool:
        """A link in the page text was clicked: open http(s) and mail links in the system's programs
        once the user agrees; refuse anything else (local files are never opened). True when opened."""
        if url.scheme().lower() not in LINK_SCHEMES or not url.isValid():
            QMessageBox.information(
                self,
                self.tr("Link"),
                self.tr("Links to {scheme} locations are not opened from the preview:\n{url}").format(
                    scheme=url.scheme() or self.tr("local"), url=url.toDisplayString()[:500]
                ),
            )
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Open link"),
            self.tr("Open this link from the page text in your browser?\n\n{url}").format(
                url=url.toDisplayString()[:500]
            ),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Open:
            return False
        return QDesktopServices.openUrl(url)

    def reveal(self, source_text: str, render: bool = True) -> bool:
        """Select and scroll to the rendered form of a piece of Markdown (its first words); a pending
        render is done first unless ``render`` is False. False (and nothing selected) when it is not
        found."""
        probe = _plain_probe(source_text)
        if probe and render and self.pending():
            self.render_now()
        found = self.document().find(probe) if probe else QTextCursor()
        if found.isNull():
            self.clear_highlight()
            return False
        self.setTextCursor(found)
        self.ensureCursorVisible()
        return True

    def clear_highlight(self) -> None:
        """Nothing selected (the view stays where it is)."""
        cur = self.textCursor()
        if cur.hasSelection():
            cur.clearSelection()
            self.setTextCursor(cur)

    def _apply_style(self, doc: QTextDocument | None = None) -> None:
        pal = self.palette()
        grid = pal.color(QPalette.ColorRole.Mid).name()
        head = pal.color(QPalette.ColorRole.AlternateBase).name()
        (doc or self.document()).setDefaultStyleSheet(
            f"table {{ border-collapse: collapse; margin: 6px 0; }}"
            f"td, th {{ border: 1px solid {grid}; padding: 4px 8px; }}"
            f"th {{ background-color: {head}; }}"
            "code { font-family: monospace; }"
        )

    def loadResource(self, type_: int, url: QUrl | str):
        url = QUrl(url) if isinstance(url, str) else url
        if url.scheme() == FIGURE_SCHEME.rstrip(":") or url.toString().startswith(FIGURE_SCHEME):
            return self._figure(url.toString()[len(FIGURE_SCHEME) :])
        # Page text never makes the preview read a file (``![](file:///dev/zero)``). An empty value, not
        # None: with None the document falls back to reading local files itself.
        image = int(getattr(type_, "value", type_)) == QTextDocument.ResourceType.ImageResource.value
        return QImage() if image else QByteArray()

    def _figure(self, number: str) -> QImage:
        if self._provider is None or self._page_id is None or not number.strip().isdigit():
            return QImage()
        n = int(number)
        width = self._figure_width()
        key = (self._page_id, n, width)
        image = self._figure_cache.get(key)
        if image is None:
            try:
                image = self._provider(self._page_id, n)
            except Exception:  # a broken figure must not break the preview
                image = None
            if image is None or image.isNull():
                self._figures_missing = True
                return QImage()
            if image.width() > width:
                image = image.scaledToWidth(width)
            self._figure_cache[key] = image
        return image
