"""Find in Document: a search field and a list of hits (page and context) across one document."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_ocr.model import review
from desktop_ocr.model.document import Project
from desktop_ocr.ui.find_replace import toggle_button

SEARCH_DELAY_MS = 250
MatchRole = Qt.ItemDataRole.UserRole + 1
HtmlRole = Qt.ItemDataRole.UserRole + 2


class _HitDelegate(QStyledItemDelegate):
    """Draws a hit as rich text: the page in bold, the match highlighted within its context."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        markup = str(index.data(HtmlRole) or "")
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ).name()
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        doc.setHtml(f'<span style="color:{colour}">{markup}</span>')
        doc.setTextWidth(opt.rect.width())
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, opt.rect.width(), opt.rect.height()))
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(1, option.fontMetrics.height() * 2 + 8)  # two lines; as wide as the list


class DocumentSearchPanel(QWidget):
    """Searches the current text of every page of one document; a hit is activated to jump to it."""

    match_activated = Signal(object)  # review.Match
    searched = Signal(int)  # number of hits

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._document_id: str | None = None
        self._before_search: Callable[[], object] | None = None
        self._matches: list[review.Match] = []
        self._texts: list[str] = []  # the matched text of each hit, to notice stale hits

        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Find in this document"))
        self.field.setClearButtonEnabled(True)
        self.case_button = self._toggle("Aa", self.tr("Match case"))
        self.regex_button = self._toggle(".*", self.tr("Regular expression"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.results = QListWidget(self)
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setAlternatingRowColors(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field, 1)
        row.addWidget(self.case_button)
        row.addWidget(self.regex_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(row)
        lay.addWidget(self.summary)
        lay.addWidget(self.results, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self._on_return)
        self.case_button.toggled.connect(lambda _on: self.search())
        self.regex_button.toggled.connect(lambda _on: self.search())
        self.results.itemActivated.connect(self._on_item)
        self.results.itemClicked.connect(self._on_item)

    def _toggle(self, text: str, tip: str) -> QToolButton:
        return toggle_button(self, text, tip)

    def event(self, event: QEvent) -> bool:
        # Esc in the search field clears it, before the window's Esc (cancel the page being read)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.field.hasFocus()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.field.hasFocus():
            self.field.clear()
            return
        super().keyPressEvent(event)

    # -- API ------------------------------------------------------------------------------------
    def set_before_search(self, fn: Callable[[], object] | None) -> None:
        """Called before each search (the window flushes the editor's pending edit)."""
        self._before_search = fn

    def set_document(self, project: Project | None, document_id: str | None) -> None:
        changed = project is not self._project or document_id != self._document_id
        self._project, self._document_id = project, document_id
        if changed:
            self.search()

    def document_id(self) -> str | None:
        return self._document_id

    def matches(self) -> list[review.Match]:
        return list(self._matches)

    def focus_field(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def refresh_later(self) -> None:
        """The document's text changed: search again soon (the selected row is kept)."""
        if self.field.text():
            self._timer.start()

    def search(self) -> None:
        self._timer.stop()
        if self._before_search is not None:
            self._before_search()
        keep = self.results.currentRow()
        self.results.clear()
        self._matches, self._texts = [], []
        query = self.field.text()
        doc = self._document()
        if not query or doc is None:
            self.summary.setText("")
            self.searched.emit(0)
            return
        try:
            matches = review.find_in_document(
                doc, query, case=self.case_button.isChecked(), regex=self.regex_button.isChecked()
            )
        except ValueError:
            self.summary.setText(self.tr("This is not a valid regular expression."))
            self.searched.emit(0)
            return
        numbers = {p.id: n for n, p in enumerate(doc.pages, 1)}
        pages = {p.id: p for p in doc.pages}
        for m in matches:
            text = pages[m.page_id].text
            before, hit, after = review.context(text, m.start, m.end)
            page_name = self.tr("p. {n}").format(n=numbers[m.page_id])
            item = QListWidgetItem(f"{page_name}  {before}{hit}{after}")
            item.setData(
                HtmlRole,
                f"<b>{html.escape(page_name)}</b>&nbsp;&nbsp;{html.escape(before)}"
                f'<span style="background-color:#ffd54f;color:#000">{html.escape(hit)}</span>'
                f"{html.escape(after)}",
            )
            item.setToolTip(pages[m.page_id].label or page_name)
            item.setData(MatchRole, len(self._matches))
            self.results.addItem(item)
            self._matches.append(m)
            self._texts.append(text[m.start : m.end])
        if matches:
            n_pages = len({m.page_id for m in matches})
            if len(matches) == 1:
                summary = self.tr("1 match in “{doc}”")
            elif n_pages == 1:
                summary = self.tr("{n} matches on one page in “{doc}”")
            else:
                summary = self.tr("{n} matches on {p} pages in “{doc}”")
            self.summary.setText(summary.format(n=len(matches), p=n_pages, doc=doc.name))
            if 0 <= keep < len(matches):
                self.results.setCurrentRow(keep)
        else:
            self.summary.setText(self.tr("Not found in “{doc}”").format(doc=doc.name))
        self.searched.emit(len(matches))

    def activate(self, row: int) -> bool:
        """Jump to hit ``row``: checks it is still there (searching again if the text moved)."""
        if not 0 <= row < len(self._matches):
            return False
        m = self._matches[row]
        project = self._project
        if project is None or not project.has_page(m.page_id):
            return False
        if project.page(m.page_id).text[m.start : m.end] != self._texts[row]:
            self.search()
            if not 0 <= row < len(self._matches):
                return False
            m = self._matches[row]
        self.results.setCurrentRow(row)
        self.match_activated.emit(m)
        return True

    # -- internals ------------------------------------------------------------------------------
    def _document(self):
        if self._project is None or self._document_id is None:
            return None
        try:
            return self._project.document(self._document_id)
        except KeyError:
            return None

    def _on_item(self, item: QListWidgetItem) -> None:
        self.activate(int(item.data(MatchRole)))

    def _on_return(self) -> None:
        """Enter searches; Enter again steps through the hits."""
        if self._timer.isActive() or not self._matches:
            self.search()
            if self._matches:
                self.activate(0)
            return
        self.activate((self.results.currentRow() + 1) % len(self._matches))
