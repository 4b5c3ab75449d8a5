"""The main window: composes the page list (left), the canvas (centre) and the editor (right),
menus, toolbar and status bar, and wires widget signals to the Controller. No business logic."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QObject, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QToolBar,
    QWidget,
)

from desktop_ocr import APP_DISPLAY_NAME, paths
from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model import recent
from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.confidence import page_words
from desktop_ocr.model.document import Change, ChangeKind, PageState
from desktop_ocr.model.result import Block
from desktop_ocr.ui import dialogs
from desktop_ocr.ui import page_roles as roles
from desktop_ocr.ui.actions import Actions
from desktop_ocr.ui.block_flow import BlockFlow
from desktop_ocr.ui.canvas import PageCanvas
from desktop_ocr.ui.editor import EditorPane
from desktop_ocr.ui.empty_hint import EmptyHint
from desktop_ocr.ui.file_drops import FileDropFilter
from desktop_ocr.ui.page_list import PageListModel
from desktop_ocr.ui.page_view import PageListView
from desktop_ocr.ui.read_options import ReadOptionsDialog, RetryOffer
from desktop_ocr.ui.review_flow import ReviewFlow
from desktop_ocr.ui.screen_fit import fit_to_screen
from desktop_ocr.ui.window_flows import FileFlows
from desktop_ocr.ui.word_marks import bind_proofreading
from desktop_ocr.worker.controller import Controller

log = logging.getLogger(__name__)


def format_eta(seconds: float) -> str:
    """The time left as the status bar says it; -1: not known yet."""
    if seconds < 0:
        return QCoreApplication.translate("MainWindow", "estimating the time left…")
    s = round(seconds)
    if s < 1:
        return QCoreApplication.translate("MainWindow", "finishing…")
    if s < 60:
        return QCoreApplication.translate("MainWindow", "about {s} s left").format(s=s)
    if s < 3600:
        return QCoreApplication.translate("MainWindow", "about {m} min {s:02d} s left").format(
            m=s // 60, s=s % 60
        )
    return QCoreApplication.translate("MainWindow", "about {h} h {m:02d} min left").format(
        h=s // 3600, m=s % 3600 // 60
    )


#: How often text streamed into the page shown reaches the editor, milliseconds.
STREAM_FLUSH_MS = 40


class MainWindow(QMainWindow):
    """Docks + actions; every command goes to ``self.controller``."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.acts = Actions(self)
        self.setAcceptDrops(True)
        self.resize(1400, 900)  # on a screen with room for it; see _restore_layout
        self._fit_on_show = True
        self._current = ""
        self._model: PageListModel | None = None
        # Streamed text is put into the editor at most every STREAM_FLUSH_MS, not token by token: at
        # the GPU's pace (hundreds of tokens a second) each insert and its layout would add up.
        self._streamed: list[str] = []
        self._stream_timer = QTimer(self)
        self._stream_timer.setSingleShot(True)
        self._stream_timer.setInterval(STREAM_FLUSH_MS)
        self._stream_timer.timeout.connect(self._flush_streamed)
        self._unsubscribe = lambda: None

        self.canvas = PageCanvas(self)
        self.setCentralWidget(self.canvas)
        self.page_list = PageListView(self)
        self.editor = EditorPane(self)
        self.editor.set_figure_provider(controller.figure_image)
        self._pages_dock = self._dock(
            self.tr("Pages"), "pages_dock", self.page_list, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self._text_dock = self._dock(
            self.tr("Text"), "text_dock", self.editor, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.files = FileFlows(
            self,
            controller,
            self.page_list,
            self.current_page_id,
            lambda: self._editor_call("flush"),
            settings_applied=lambda: self.editor.editor.word_marks.apply_settings(controller.settings),
        )
        self._build_status_bar()
        self.review = ReviewFlow(
            self,
            controller,
            self.acts,
            self.page_list,
            self.editor,
            self.canvas,
            self.current_page_id,
            self.show_page,
            lambda: self._editor_call("flush"),
        )
        self.blocks = BlockFlow(
            self,
            controller,
            self.canvas,
            self.editor,
            self.page_list,
            self.current_page_id,
            history=(self.acts.undo, self.acts.redo),
            undo_deletes_first=lambda: self._undo_deletes_first,
        )
        self._build_menus()
        self._build_toolbar()
        self._empty_hint = EmptyHint(
            self.canvas.viewport(), self.acts.open, self.acts.open_folder, lambda p: self.open_paths([p]),
            recent.load_recent,
        )  # fmt: skip
        self._connect()
        # Made once: the model follows the controller's project, whichever is open (a swap resets
        # it before the window, connected after it, shows the new project's first page).
        self._model = PageListModel(controller, controller.thumbnails, self)
        self._model.pages_move_requested.connect(controller.edits.move_pages)
        self.page_list.setModel(self._model)
        controller.project_replaced.connect(self._show_first_page)
        self._show_first_page()
        self._restore_layout()
        self._update_title(controller.title)
        self._update_reading(False)
        self._file_drops = FileDropFilter(self)
        self._file_drops.install()

    # -- composition ------------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self._progress = QProgressBar()
        self._progress.setMaximumWidth(220)
        self._progress.setFormat(self.tr("%v of %m pages"))
        self._eta = QLabel()
        self._engine = QLabel()
        #: What is wrong with the page shown (e.g. boxes of the model's output that could not be read).
        self.page_note = QLabel()
        self.page_note.setObjectName("page_note")
        self.page_note.hide()
        bar.addWidget(self.page_note)
        bar.addPermanentWidget(self._progress)
        bar.addPermanentWidget(self._eta)
        bar.addPermanentWidget(self._engine)

    def _build_menus(self) -> None:
        a = self.acts
        mb = self.menuBar()
        file = mb.addMenu(self.tr("&File"))
        file.addActions([a.new_project, a.open, a.open_folder])
        self._recent_menu = file.addMenu(self.tr("Open &Recent"))
        self._recent_menu.aboutToShow.connect(lambda: self.files.fill_recent(self._recent_menu))
        file.addActions([a.paste_image])
        file.addSeparator()
        file.addActions([a.save, a.save_as, a.export])
        file.addSeparator()
        file.addActions([a.settings, a.model, a.quit])
        edit = mb.addMenu(self.tr("&Edit"))
        edit.addActions([a.undo, a.redo])
        edit.addSeparator()
        edit.addActions([self.editor.find_action, self.editor.replace_action, a.find_in_document, a.history])
        read = mb.addMenu(self.tr("&Read"))
        read.addActions([a.read_selected, a.read_with, a.read_document, a.read_all])
        read.addSeparator()
        read.addActions([a.pause, a.cancel_page, a.cancel])
        page = mb.addMenu(self.tr("&Page"))
        page.addActions([a.prev_page, a.next_page, a.prev_attention, a.next_attention])
        page.addSeparator()
        page.addActions([a.mark_reviewed, a.review_and_next])
        page.addSeparator()
        page.addActions([a.rotate_left, a.rotate_right, a.delete_pages])
        mb.addMenu(self.blocks.menu)
        doc = mb.addMenu(self.tr("&Document"))
        doc.addActions([a.rename_document, a.split_document, a.merge_documents])
        view = mb.addMenu(self.tr("&View"))
        view.addActions([a.zoom_in, a.zoom_out, a.fit_width, a.fit_page])
        view.addSeparator()
        view.addActions([a.toggle_boxes, self.blocks.order_action, self.editor.preview_action])
        view.addActions([a.mark_uncertain, a.check_spelling])
        view.addSeparator()
        view.addActions([self._pages_dock.toggleViewAction(), self._text_dock.toggleViewAction()])
        view.addAction(self.review.search_dock.toggleViewAction())
        help_menu = mb.addMenu(self.tr("&Help"))
        help_menu.addActions([a.first_run, a.show_log, a.about])

    def _build_toolbar(self) -> None:
        a = self.acts
        tb = QToolBar(self.tr("Main toolbar"), self)
        tb.setObjectName("main_toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for item in (a.open, a.export, None, a.read_selected, a.read_all, a.pause, a.cancel, None,
                     a.rotate_left, a.rotate_right, None, a.zoom_out, a.zoom_in, a.fit_width, a.fit_page,
                     a.toggle_boxes):  # fmt: skip
            if item is None:
                tb.addSeparator()
            else:
                tb.addAction(item)
        self.addToolBar(tb)

    def _connect(self) -> None:
        a, c = self.acts, self.controller
        f = self.files
        a.new_project.triggered.connect(f.new_project)
        a.open.triggered.connect(f.open_dialog)
        a.open_folder.triggered.connect(f.open_folder_dialog)
        a.paste_image.triggered.connect(f.paste_from_clipboard)
        a.save.triggered.connect(f.save)
        a.save_as.triggered.connect(f.save_as)
        a.export.triggered.connect(f.export)
        a.settings.triggered.connect(f.edit_settings)
        a.model.triggered.connect(f.model_dialog)
        a.first_run.triggered.connect(f.first_run)
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self._undo)
        self._undo_deletes_first = False  # the last undoable thing was deleting pages
        # the text keeps Ctrl+Z for its own undo unless a deletion is the last thing to undo
        self.editor.editor.installEventFilter(self)
        self.editor.text_edited.connect(lambda *_: self._set_undo_deletes_first(False))
        c.deletions_changed.connect(lambda n: self._set_undo_deletes_first(n > 0))
        a.redo.triggered.connect(lambda: self._editor_call("redo"))
        a.history.triggered.connect(self._history)
        a.read_selected.triggered.connect(lambda: self.read(self._selected_or_current()))
        a.read_document.triggered.connect(self._read_document)
        a.read_with.triggered.connect(self._read_with)
        self._retry_offer = RetryOffer(self, self.read)
        c.retry_offered.connect(self._retry_offer.offer)
        a.read_all.triggered.connect(lambda: self.read([p.id for p in c.project.all_pages()], skip_read=True))
        a.pause.toggled.connect(lambda on: c.pause() if on else c.resume())
        a.cancel_page.triggered.connect(c.cancel_current)
        a.cancel.triggered.connect(self._cancel_all)
        a.rotate_left.triggered.connect(lambda: c.edits.rotate_pages(self._selected_or_current(), -90))
        a.rotate_right.triggered.connect(lambda: c.edits.rotate_pages(self._selected_or_current(), 90))
        a.delete_pages.triggered.connect(lambda: self._delete(self._selected_or_current()))
        a.mark_reviewed.triggered.connect(lambda: c.edits.set_reviewed(self._selected_or_current(), True))
        a.next_page.triggered.connect(lambda: self._step_page(1))
        a.prev_page.triggered.connect(lambda: self._step_page(-1))
        a.rename_document.triggered.connect(self._rename_document)
        a.split_document.triggered.connect(self._split_document)
        a.merge_documents.triggered.connect(self._merge_documents)
        a.zoom_in.triggered.connect(self.canvas.zoom_in)
        a.zoom_out.triggered.connect(self.canvas.zoom_out)
        a.fit_width.triggered.connect(self.canvas.fit_width)
        a.fit_page.triggered.connect(self.canvas.fit_page)
        a.toggle_boxes.setChecked(c.settings.show_boxes)
        self.canvas.set_boxes_visible(c.settings.show_boxes)
        a.toggle_boxes.toggled.connect(self._toggle_boxes)
        bind_proofreading(a.mark_uncertain, a.check_spelling, self.editor.editor.word_marks, c)
        a.about.triggered.connect(lambda: dialogs.show_about(self, self._engine.text()))
        a.show_log.triggered.connect(f.show_log_folder)

        self.page_list.current_page_changed.connect(self.show_page)
        self.page_list.delete_requested.connect(self._delete)
        self.page_list.rotate_requested.connect(c.edits.rotate_pages)
        self.page_list.context_menu_requested.connect(self._page_menu)
        self.editor.text_edited.connect(c.edits.set_page_text)
        self.canvas.block_clicked.connect(self.editor.select_block)
        self.editor.cursor_block_changed.connect(self.canvas.highlight_block)

        c.project_replaced.connect(self.editor.forget_documents)
        c.project_changed.connect(self._on_project_change)
        self._unsubscribe = self._stop_following_project
        c.title_changed.connect(self._update_title)
        c.saved.connect(lambda _path: self.show_page(self._current))  # e.g. no longer read-only
        c.status_message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        c.problems_reported.connect(f.show_problems)
        c.passwords_requested.connect(f.ask_passwords)
        c.import_finished.connect(f.on_import_finished)
        c.engine_status_changed.connect(self._engine.setText)
        c.reading_changed.connect(self._update_reading)
        c.progress_changed.connect(self._on_progress)
        c.paused_changed.connect(self._on_paused)
        c.reading_finished.connect(self._on_reading_finished)
        c.page_progress.connect(lambda pid, f: self._model.set_progress(pid, f) if self._model else None)
        c.page_reading_started.connect(self._on_reading_started)
        c.text_streamed.connect(self._on_text_streamed)
        c.block_completed.connect(self._on_block_completed)
        c.page_result_arrived.connect(self._on_page_updated)
        c.page_image_ready.connect(self._on_page_image)
        c.page_image_failed.connect(self._on_page_image_failed)
        c.export_overwrite_requested.connect(f.confirm_export_overwrite)

    def _stop_following_project(self) -> None:
        """The window closes: project changes are not followed any more (once)."""
        self._unsubscribe = lambda: None
        self.controller.project_changed.disconnect(self._on_project_change)
        self.controller.project_replaced.disconnect(self._show_first_page)
        if self._model is not None:
            self._model.close()

    def _show_first_page(self) -> None:
        """A (new) project in the page list: its first page is shown."""
        if self._model is None:
            return
        self._current = ""
        self._update_empty_hint()
        ids = self._model.page_ids()
        if ids:
            self.page_list.select_page(ids[0])
        else:
            self.show_page("")

    def _restore_layout(self) -> None:
        s = _layout_settings()
        geometry = s.value("main_window/geometry")
        state = s.value("main_window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        # the first window's 1400×900, or a geometry saved on a larger screen, fits this screen
        fit_to_screen(self)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        else:
            self.resizeDocks([self._pages_dock, self._text_dock], [260, 560], Qt.Orientation.Horizontal)

    # -- showing pages ------------------------------------------------------------------------
    def show_page(self, page_id: str) -> None:
        """Show a page in the canvas and editor (the editor's pending edit is flushed first)."""
        self._flush_streamed()
        self._editor_call("flush")
        c = self.controller
        self._current = page_id if page_id and c.project.has_page(page_id) else ""
        if not self._current:
            self.canvas.clear()
            self.editor.set_page(None, "", read_only=True)
            self.page_note.hide()
            return
        page = c.project.page(self._current)
        unreadable = page.result.unreadable_boxes if page.result is not None else 0
        self.page_note.setText(roles.unreadable_boxes_note(unreadable) if unreadable else "")
        self.page_note.setVisible(bool(unreadable))
        layout = page_layout(page)
        image = c.page_image(self._current)
        self.canvas.set_page(self._current, image, layout.blocks(), page.rotation)
        failure = c.page_image_failure(self._current) if image is None else ""
        if failure:  # failed before: it is not tried again
            self._on_page_image_failed(self._current, failure)
        busy, damaged = c.reading.is_busy(self._current), c.session.read_only
        self.editor.set_page(
            self._current, page.text, read_only=busy or damaged, layout=layout, words=page_words(page)
        )
        if damaged and not busy:  # a damaged project: nothing is changed until Save As
            self.editor.set_read_only(True, c.read_only_note())
        elif busy and page.state == PageState.QUEUED:  # its turn has not come: not "being read"
            self.editor.set_read_only(
                True, self.tr("This page is waiting to be read. Its text can be edited when reading ends.")
            )
        self.canvas.set_editable(not busy and not damaged)

    def current_page_id(self) -> str:
        return self._current

    # -- files in and out (FileFlows) ---------------------------------------------------------
    def open_paths(self, paths: list[str], ask_join: bool = False) -> None:
        """Open a project file, or import files and folders (command line, drop, File > Open)."""
        self.files.open_paths(paths, ask_join)

    def offer_recovery(self) -> None:
        self.files.offer_recovery()

    def reopen_last_project(self) -> bool:
        return self.files.reopen_last_project()

    def offer_first_run(self) -> None:
        self.files.offer_first_run()

    def show_previous_crash(self, report: str) -> None:
        self.files.show_previous_crash(report)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.files.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.files.dropped(event)

    def _update_title(self, title: str) -> None:
        self.setWindowTitle(f"{title} — {APP_DISPLAY_NAME}")

    def _on_page_image(self, page_id: str, image: QImage) -> None:
        if page_id == self._current:
            self.canvas.set_image(image)
            self.editor.preview.page_image_arrived(page_id)

    def _on_page_image_failed(self, page_id: str, message: str) -> None:
        """The page cannot be drawn (a damaged file): say so and why, instead of "Rendering page…"
        for ever."""
        if page_id == self._current and self.controller.page_image(page_id) is None:
            self.canvas.set_placeholder_text(self.tr("This page cannot be shown.") + "\n" + message)

    def _on_reading_started(self, page_id: str) -> None:
        if page_id == self._current:
            self._flush_streamed()
            self.editor.set_page(page_id, "", read_only=True)
            self.canvas.set_blocks([])
            self.canvas.set_editable(False)

    def _on_text_streamed(self, page_id: str, delta: str) -> None:
        if page_id == self._current:
            self._streamed.append(delta)
            if not self._stream_timer.isActive():
                self._stream_timer.start()

    def _flush_streamed(self) -> None:
        """Put the text streamed since the last flush into the editor (the page shown's)."""
        self._stream_timer.stop()
        if self._streamed:
            text, self._streamed = "".join(self._streamed), []
            self.editor.append_streamed(self._current, text)

    def _on_block_completed(self, page_id: str, block: Block) -> None:
        if page_id == self._current:
            self.canvas.add_block(block)

    def _on_page_updated(self, page_id: str) -> None:
        if page_id == self._current:
            self.show_page(page_id)

    def _update_empty_hint(self) -> None:
        empty = self.controller.project.page_count == 0
        if empty and not self._empty_hint.isVisible():
            self._empty_hint.refresh()
        self._empty_hint.setVisible(empty)

    def _on_project_change(self, change: Change) -> None:
        if change.kind == ChangeKind.DOCUMENTS:
            self._update_empty_hint()
        cur = self._current
        if not cur:
            if change.kind == ChangeKind.DOCUMENTS and self.controller.project.page_count:
                QTimer.singleShot(0, self._select_first_if_none)
            return
        if change.kind == ChangeKind.DOCUMENTS and not self.controller.project.has_page(cur):
            self._current = ""
            QTimer.singleShot(0, self._show_list_current)
        elif cur in change.page_ids:
            if change.kind == ChangeKind.TEXT and change.origin != "edit":
                QTimer.singleShot(0, lambda: self.show_page(cur) if cur == self._current else None)
            elif change.kind == ChangeKind.PAGES:
                page = self.controller.project.page(cur)
                busy = self.controller.reading.is_busy(cur)
                if not busy and self.editor.editor.isReadOnly():
                    # Reading ended without a new result (cancelled or failed): the editor holds
                    # partial streamed text, so show the page's own text again before any edit.
                    QTimer.singleShot(0, lambda: self.show_page(cur) if cur == self._current else None)
                    return
                self.editor.set_read_only(busy)
                self.canvas.set_editable(not busy)
                if page.rotation != self.canvas.rotation():
                    QTimer.singleShot(0, lambda: self.show_page(cur) if cur == self._current else None)

    def _select_first_if_none(self) -> None:
        if not self._current and self._model and self._model.page_ids():
            self.page_list.select_page(self._model.page_ids()[0])

    def _show_list_current(self) -> None:
        self.show_page(self.page_list.current_page_id())

    def _selected_or_current(self) -> list[str]:
        ids = self.page_list.selected_page_ids()
        return ids or ([self._current] if self._current else [])

    def _step_page(self, delta: int) -> None:
        if self._model is None:
            return
        ids = self._model.page_ids()
        if not ids:
            return
        i = ids.index(self._current) if self._current in ids else -1
        self.page_list.select_page(ids[max(0, min(len(ids) - 1, i + delta))])

    def _editor_call(self, name: str, *args: object) -> None:
        fn = getattr(self.editor, name, None)
        if fn is None:
            ed = getattr(self.editor, "editor", None)
            fn = getattr(ed, name, None)
        if callable(fn):
            fn(*args)

    # -- reading -----------------------------------------------------------------------------
    def read(self, page_ids: list[str], options: ReadOptions | None = None, skip_read: bool = False) -> None:
        """Read pages; edited pages are re-read only after the user agrees. With ``skip_read`` (Read
        All, Read Document) pages read already are left as they are unless the user asks (once)."""
        self._editor_call("flush")
        if not page_ids:
            self.statusBar().showMessage(self.tr("Select pages to read first"), 3000)
            return
        edited = self.controller.reading.edited_pages(page_ids)
        include = False
        done = self.controller.reading.read_pages_of(page_ids) if skip_read else []
        if done:
            answer = dialogs.confirm_read_again(self, len(done), len(edited), len(page_ids))
            if answer == "cancel":
                return
            if answer == "unread":
                page_ids = [p for p in page_ids if p not in set(done)]
            edited, include = [], answer == "all"
        if edited:
            answer = dialogs.confirm_reread(self, len(edited), len(page_ids))
            if answer == "cancel":
                return
            include = answer == "all"
        self.controller.read_pages(page_ids, include_edited=include, options=options)

    def _read_with(self) -> None:
        """Read the selected pages with a prompt, mode and token cap chosen for this run."""
        page_ids = self._selected_or_current()
        if not page_ids:
            self.statusBar().showMessage(self.tr("Select pages to read first"), 3000)
            return
        c = self.controller
        dlg = ReadOptionsDialog(c.default_read_options(), len(page_ids), self, engine=c.read_capabilities())
        if dlg.exec():
            self.read(page_ids, dlg.options())

    def _read_document(self) -> None:
        if self._current:
            doc = self.controller.project.document_of(self._current)
            self.read([p.id for p in doc.pages], skip_read=True)

    def _cancel_all(self) -> None:
        """Stop reading; with more than one page waiting, only after the user agrees."""
        c = self.controller
        waiting = c.reading.pages_waiting()
        if waiting > 1:
            answer = dialogs.ask_choice(
                self,
                self.tr("Stop reading?"),
                self.tr("Stop reading and take all {n} waiting pages out of the queue?").format(n=waiting),
                self.tr("Pages already read keep their text. Esc stops only the page being read now."),
                [("stop", self.tr("Stop Reading"), QMessageBox.ButtonRole.DestructiveRole)],
                default="cancel",
            )
            if answer != "stop":
                return
        c.cancel_all()

    def _update_reading(self, reading: bool) -> None:
        a = self.acts
        a.cancel.setEnabled(reading)
        a.cancel_page.setEnabled(reading)
        a.pause.setEnabled(reading)
        if not reading:
            a.pause.setChecked(False)
            self._progress.setVisible(False)
            self._eta.setText("")
        else:
            self._progress.setVisible(True)
            if self._eta.property("finished"):
                self._eta.setProperty("finished", False)
                self._eta.setText("")
                self._eta.setMinimumWidth(0)

    def _on_progress(self, done: int, total: int, eta: float) -> None:
        if total <= 0:
            self._progress.setVisible(False)
            if not self._eta.property("finished"):
                self._eta.setText("")
            return
        self._progress.setVisible(True)
        self._progress.setMaximum(total)
        self._progress.setValue(done)
        self._eta.setProperty("finished", False)
        if self.controller.paused:
            self._eta.setText(self.tr("paused"))
        else:
            self._eta.setText(format_eta(eta) if done < total else "")

    def _on_paused(self, paused: bool) -> None:
        self.acts.pause.blockSignals(True)
        self.acts.pause.setChecked(paused)
        self.acts.pause.blockSignals(False)
        if paused:
            self._eta.setText(self.tr("paused"))
            self.statusBar().showMessage(self.tr("Paused: reading stops after the current page"), 0)
        else:
            self.statusBar().clearMessage()

    def _on_reading_finished(self, read: int, failed: int, cancelled: int) -> None:
        """Say that the job is over and what it did, until reading starts again."""
        parts = [(self.tr("{n} page read") if read == 1 else self.tr("{n} pages read")).format(n=read)]
        if failed:
            parts.append(self.tr("{n} failed").format(n=failed))
        if cancelled:
            parts.append(self.tr("{n} cancelled").format(n=cancelled))
        text = self.tr("Reading done: {counts}").format(counts=", ".join(parts))
        self._eta.setProperty("finished", True)
        self._eta.setText(text)
        self._eta.setMinimumWidth(self._eta.sizeHint().width())  # never cut short by a message

    # -- pages and documents -------------------------------------------------------------------
    def _delete(self, page_ids: list[str]) -> None:
        if not page_ids:
            return
        n = len(page_ids)
        answer = QMessageBox.question(
            self,
            self.tr("Delete pages?"),
            (
                self.tr("Remove {n} pages and their text from the project?").format(n=n)
                if n > 1
                else self.tr("Remove 1 page and its text from the project?")
            )
            + "\n"
            + self.tr("Edit > Undo (Ctrl+Z) brings them back."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.edits.delete_pages(page_ids)
            self.statusBar().showMessage(
                (
                    self.tr("{n} page deleted. Undo (Ctrl+Z) brings it back.")
                    if n == 1
                    else self.tr("{n} pages deleted. Undo (Ctrl+Z) brings them back.")
                ).format(n=n),
                8000,
            )

    def _set_undo_deletes_first(self, on: bool) -> None:
        self._undo_deletes_first = on and self.controller.edits.can_undo_delete
        self.acts.undo.setText(
            self.tr("&Undo Delete Pages") if self._undo_deletes_first else self.tr("&Undo")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Z in the text right after pages were deleted is Edit > Undo Delete Pages, as the
        menu and the deletion's message say: the text took the key for its own (empty) undo."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and watched is self.editor.editor
            and self._undo_deletes_first
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
        ):
            event.ignore()  # not the text's: the window's Undo shortcut takes it
            return True
        return super().eventFilter(watched, event)

    def _undo(self) -> None:
        """Edit > Undo: the last deletion of pages when nothing was edited since, else the editor's."""
        if self._undo_deletes_first and self.controller.edits.can_undo_delete:
            back = self.controller.edits.undo_delete()
            self._set_undo_deletes_first(True)
            if back:
                QTimer.singleShot(0, lambda: self.page_list.select_page(back[0]))
            return
        self._editor_call("undo")

    def _page_menu(self, page_ids: list[str], pos: QPoint) -> None:
        a = self.acts
        menu = QMenu(self)
        menu.addActions([a.read_selected, a.read_document])
        menu.addSeparator()
        menu.addActions([a.rotate_left, a.rotate_right, a.mark_reviewed, a.history])
        menu.addSeparator()
        menu.addActions([a.rename_document, a.split_document, a.merge_documents])
        menu.addSeparator()
        menu.addAction(a.delete_pages)
        menu.exec(pos)

    def _rename_document(self) -> None:
        if not self._current:
            return
        doc = self.controller.project.document_of(self._current)
        name, ok = QInputDialog.getText(self, self.tr("Rename document"), self.tr("Name:"), text=doc.name)
        if ok:
            self.controller.edits.rename_document(doc.id, name)

    def _split_document(self) -> None:
        if not self._current:
            return
        doc = self.controller.project.document_of(self._current)
        at = [p.id for p in doc.pages].index(self._current)
        if at == 0:
            self.statusBar().showMessage(
                self.tr("Select a page after the first one to split the document there"), 4000
            )
            return
        self.controller.edits.split_document(doc.id, at)

    def _merge_documents(self) -> None:
        project = self.controller.project
        ids: list[str] = []
        for pid in self._selected_or_current():
            did = project.document_of(pid).id
            if did not in ids:
                ids.append(did)
        if len(ids) < 2:
            self.statusBar().showMessage(
                self.tr("Select pages from two or more documents to merge them"), 4000
            )
            return
        self.controller.edits.merge_documents(ids)

    def _history(self) -> None:
        if not self._current:
            return
        self._editor_call("flush")
        dlg = dialogs.HistoryDialog(self, self.controller.edits.text_versions(self._current))
        if dlg.exec() and (version := dlg.chosen_version()) is not None:
            self.controller.edits.restore_text(self._current, version.text, version.spans)

    def _toggle_boxes(self, on: bool) -> None:
        self.canvas.set_boxes_visible(on)
        self.controller.settings.show_boxes = on

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_on_show:  # once more on first show, with the window manager's real frame
            self._fit_on_show = False
            QTimer.singleShot(0, self, lambda: fit_to_screen(self))

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self._editor_call("flush")
        c = self.controller
        if self.property("unattended_quit"):  # SIGTERM / log-out: nobody is there to answer
            self._save_layout()
            event.accept()
            return
        if c.reading.is_reading:
            answer = QMessageBox.question(
                self, self.tr("Stop reading?"), self.tr("Pages are still being read. Stop and quit?")
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if c.session.is_untitled and c.session.has_content and not self.files.resolve_untitled():
            event.ignore()
            return
        self._save_layout()
        event.accept()

    def _save_layout(self) -> None:
        s = _layout_settings()
        s.setValue("main_window/geometry", self.saveGeometry())
        s.setValue("main_window/state", self.saveState())
        self._unsubscribe()


def _layout_settings() -> QSettings:
    """The window's geometry and dock layout, beside settings.json in the app's config folder.

    Not QSettings' default place (~/.config/<app>.conf for every instance): a portable base folder
    (``DESKTOP_OCR_BASEDIR``), a second profile or a test run keeps its own layout.
    """
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)
