"""The review flow in the main window: pages needing attention, reviewed counts, Find in Document.
``ReviewFlow`` is composed by ``MainWindow`` and given what it uses (the controller, the window's
actions, the page list, the editor, the canvas, the current page, how to show a page and flush the
editor, the window for the status bar and the dock)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from desktop_ocr.model import review
from desktop_ocr.model.document import Change, ChangeKind
from desktop_ocr.ui.actions import Actions
from desktop_ocr.ui.canvas import PageCanvas
from desktop_ocr.ui.doc_search import DocumentSearchPanel
from desktop_ocr.ui.editor import EditorPane
from desktop_ocr.ui.page_view import PageListView
from desktop_ocr.worker.controller import Controller


class ReviewFlow(QObject):
    """Owns the progress label and the search dock; connects the review actions of the window."""

    def __init__(
        self,
        window: QMainWindow,
        controller: Controller,
        acts: Actions,
        page_list: PageListView,
        editor: EditorPane,
        canvas: PageCanvas,
        current_page: Callable[[], str],
        show_page: Callable[[str], None],
        flush_editor: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.controller = controller
        self.page_list = page_list
        self.editor = editor
        self.canvas = canvas
        self._current_page = current_page
        self._show_page = show_page
        self._flush_editor = flush_editor
        self.progress_label = QLabel(window)
        self.progress_label.setObjectName("review_progress")
        window.statusBar().addPermanentWidget(self.progress_label)
        self.search_panel = DocumentSearchPanel(window)
        self.search_panel.set_before_search(flush_editor)
        self.search_dock = QDockWidget(self.tr("Find in Document"), window)
        self.search_dock.setObjectName("search_dock")
        self.search_dock.setWidget(self.search_panel)
        self.search_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.search_dock)
        self.search_dock.hide()
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self.update_progress)

        a, c = acts, controller
        a.next_attention.triggered.connect(lambda: self.go_to_attention(+1))
        a.prev_attention.triggered.connect(lambda: self.go_to_attention(-1))
        a.review_and_next.triggered.connect(self.mark_reviewed_and_next)
        a.find_in_document.triggered.connect(self.show_search)
        self.search_panel.match_activated.connect(self.go_to_match)
        # Deferred: the window's own handler, connected after this one, sets the current page first.
        page_list.current_page_changed.connect(lambda _pid: QTimer.singleShot(0, self._on_current_changed))
        c.project_replaced.connect(self._on_project_replaced)
        c.project_changed.connect(self._on_project_change)
        self._on_project_replaced()

    # -- project ----------------------------------------------------------------------------------
    def _on_project_replaced(self) -> None:
        self._refresh.start()
        QTimer.singleShot(0, self._on_current_changed)

    def _on_project_change(self, change: Change) -> None:
        if change.kind in (ChangeKind.PAGES, ChangeKind.RESULT, ChangeKind.TEXT, ChangeKind.DOCUMENTS):
            self._refresh.start()
        if change.kind in (ChangeKind.RESULT, ChangeKind.TEXT, ChangeKind.DOCUMENTS):
            if change.kind == ChangeKind.DOCUMENTS:
                QTimer.singleShot(0, self._on_current_changed)
            self.search_panel.refresh_later()

    def _current_document_id(self) -> str | None:
        project = self.controller.project
        cur = self._current_page() or self.page_list.current_page_id()
        if cur and project.has_page(cur):
            return project.document_of(cur).id
        return project.documents[0].id if project.documents else None

    def _on_current_changed(self) -> None:
        self.search_panel.set_document(self.controller.project, self._current_document_id())
        self._refresh.start()

    def update_progress(self) -> None:
        """ "Reviewed 3 of 12" for the current page's document; its tooltip says what needs attention."""
        project = self.controller.project
        doc_id = self._current_document_id()
        if doc_id is None:
            self.progress_label.setText("")
            self.progress_label.setToolTip("")
            return
        doc = project.document(doc_id)
        done, total = review.document_progress(doc)
        text = self.tr("Reviewed {done} of {total}").format(done=done, total=total)
        self.progress_label.setText(text + (" ✓" if total and done == total else ""))
        waiting = review.attention_count(doc)
        self.progress_label.setToolTip(
            self.tr(
                "“{doc}”: {done} of {total} pages reviewed; {n} need attention (F8 goes to the next)"
            ).format(doc=doc.name, done=done, total=total, n=waiting)
        )

    # -- commands ---------------------------------------------------------------------------------
    def reason_text(self, reason: str) -> str:
        return {
            review.FAILED: self.tr("reading failed"),
            review.INCOMPLETE: self.tr("incomplete (possible repetition)"),
            review.NOT_READ: self.tr("not read yet"),
            review.EDITED: self.tr("edited"),
            review.NOT_REVIEWED: self.tr("not reviewed"),
        }.get(reason, reason)

    def go_to_attention(self, direction: int) -> str | None:
        """Select the next (+1) or previous (-1) page of the project that needs attention."""
        self._flush_editor()
        project = self.controller.project
        target = review.next_attention(project, self._current_page() or None, direction)
        bar = self._window.statusBar()
        if target is None:
            cur = self._current_page()
            if cur and project.has_page(cur) and review.needs_attention(project.page(cur)):
                bar.showMessage(self.tr("No other page needs attention"), 4000)
            else:
                bar.showMessage(self.tr("No page needs attention: every page is reviewed"), 4000)
            return None
        self.page_list.select_page(target)
        page = project.page(target)
        reasons = self.tr(", ").join(self.reason_text(r) for r in review.needs_attention(page))
        bar.showMessage(self.tr("{page}: {reasons}").format(page=page.label or target, reasons=reasons), 6000)
        return target

    def mark_reviewed_and_next(self) -> str | None:
        cur = self._current_page()
        if not cur:
            return None
        self._flush_editor()
        self.controller.edits.set_reviewed([cur], True)
        self.update_progress()
        return self.go_to_attention(+1)

    def show_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self._on_current_changed()
        self.search_panel.focus_field()

    def go_to_match(self, match: review.Match) -> None:
        """Show the hit's page, select the hit in the editor and outline its block on the canvas."""
        if self._current_page() != match.page_id:
            self.page_list.select_page(match.page_id)
            if self._current_page() != match.page_id:
                self._show_page(match.page_id)
        ed = self.editor.editor
        end = min(match.end, len(ed.toPlainText()))
        cur = ed.textCursor()
        cur.setPosition(min(match.start, end))
        cur.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        ed.setTextCursor(cur)
        ed.ensureCursorVisible()
        if match.block_index is not None:
            self.canvas.highlight_block(match.block_index)
            ed.highlight_block(match.block_index)
