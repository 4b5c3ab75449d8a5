"""The main window's dialogs flows: opening, importing, pasting, saving, recovery, export and
settings. ``FileFlows`` is composed by ``MainWindow`` and given what it uses (the controller, the page
list, the current page, the editor's flush, the window as the dialogs' parent); every decision is the
controller's."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu, QMessageBox

from desktop_ocr import PROJECT_SUFFIX
from desktop_ocr.model.recovery import RecoverableSession
from desktop_ocr.model.sources import KNOWN_SUFFIXES
from desktop_ocr.ui import dialogs
from desktop_ocr.ui.page_view import PageListView
from desktop_ocr.worker.controller import Controller

log = logging.getLogger(__name__)

#: Image files (each a document, or several one document when the user says so).
IMAGE_SUFFIXES = frozenset(s for s in KNOWN_SUFFIXES if s != ".pdf")

_IMAGE_PATTERNS = "*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.gif"


def open_filter() -> str:
    """The Open dialog's file-type filter, in the user's language."""
    return (
        QCoreApplication.translate("FileFlows", "Scans, PDFs and projects ({patterns})").format(
            patterns=f"{_IMAGE_PATTERNS} *{PROJECT_SUFFIX}"
        )
        + ";;"
        + QCoreApplication.translate("FileFlows", "Projects ({patterns})").format(
            patterns=f"*{PROJECT_SUFFIX}"
        )
        + ";;"
        + QCoreApplication.translate("FileFlows", "All files (*)")
    )


def unavailable_formats() -> dict[str, str]:
    """Export formats this installation cannot write, each with the reason (in the user's language):
    pandoc's when pandoc is missing (a plain install without the ``documents`` extra)."""
    from desktop_ocr.export import pandoc_
    from desktop_ocr.export.documents import PANDOC_FORMATS

    try:
        pandoc_.available()
    except pandoc_.PandocMissing as exc:
        reason = QCoreApplication.translate("Export", str(exc))
        return dict.fromkeys(PANDOC_FORMATS, reason)
    return {}


def _existing_folder(path: str) -> Path | None:
    if not path:
        return None
    folder = Path(path).expanduser()
    return folder if folder.is_dir() else None


class FileFlows(QObject):
    """Files in and out of the window."""

    def __init__(
        self,
        window: QMainWindow,
        controller: Controller,
        page_list: PageListView,
        current_page: Callable[[], str],
        flush_editor: Callable[[], None],
        settings_applied: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.controller = controller
        self.page_list = page_list
        self._current_page = current_page
        self._flush_editor = flush_editor
        self._settings_applied = settings_applied

    # -- files -------------------------------------------------------------------------------
    def open_paths(self, paths: list[str], ask_join: bool = False) -> None:
        """Open a project file, or import files and folders (command line, drop, File > Open). With
        ``ask_join`` (a drop, the Open dialog), several loose images are one document only if the
        user says so."""
        projects = [p for p in paths if p.lower().endswith(PROJECT_SUFFIX)]
        others = [p for p in paths if not p.lower().endswith(PROJECT_SUFFIX)]
        join = True
        images = [p for p in others if Path(p).suffix.lower() in IMAGE_SUFFIXES and Path(p).is_file()]
        if ask_join and len(images) > 1:
            answer = dialogs.ask_join_images(self._window, len(images), Path(images[0]).stem)
            if answer == "cancel":
                return
            join = answer == "one"
        if projects:
            self._flush_editor()
            self.controller.open_project(
                projects[0],
                confirm_remove_foreign=lambda found: dialogs.confirm_remove_foreign(self._window, found),
            )
        if others:
            self.controller.import_paths(
                others,
                join_loose=join,
                confirm_duplicates=lambda names: dialogs.confirm_duplicate_import(self._window, names),
            )

    def drag_entered(self, event: QDragEnterEvent) -> None:
        if (
            event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls())
        ) or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropped(self, event: QDropEvent) -> None:
        data = event.mimeData()
        paths = [u.toLocalFile() for u in data.urls() if u.isLocalFile()] if data.hasUrls() else []
        if paths:
            self.open_paths(paths, ask_join=True)
            event.acceptProposedAction()
        elif data.hasImage():
            self._import_qimage(QImage(data.imageData()))
            event.acceptProposedAction()

    def paste_from_clipboard(self) -> None:
        data = QApplication.clipboard().mimeData()
        if data is not None and data.hasUrls():
            paths = [u.toLocalFile() for u in data.urls() if u.isLocalFile()]
            if paths:
                self.open_paths(paths)
                return
        image = QApplication.clipboard().image()
        if image.isNull():
            self._window.statusBar().showMessage(self.tr("The clipboard holds no image"), 4000)
            return
        self._import_qimage(image)

    def _import_qimage(self, image: QImage) -> None:
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, the binding a str
        self.controller.import_image_data(bytes(buf.data().data()), self.tr("Pasted image") + ".png")

    def open_dialog(self) -> None:
        start = self.controller.settings.last_open_dir
        files, _ = QFileDialog.getOpenFileNames(self._window, self.tr("Open"), start, open_filter())
        if files:
            self.controller.settings.last_open_dir = str(Path(files[0]).parent)
            self.open_paths(files, ask_join=True)

    def open_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._window, self.tr("Import a folder"), self.controller.settings.last_open_dir
        )
        if folder:
            self.controller.settings.last_open_dir = folder
            self.open_paths([folder])

    def on_import_finished(self, document_ids: list[str]) -> None:
        if document_ids and not self._current_page():
            doc = self.controller.project.document(document_ids[0])
            if doc.pages:
                self.page_list.select_page(doc.pages[0].id)

    def ask_passwords(self, entries: list) -> None:
        for path, wrong in entries:
            name = Path(path).name
            password = dialogs.ask_password(self._window, name, wrong)
            if password:
                self.controller.import_paths([path], {path: password})
            else:  # the question skipped: the status bar says why the file is not there
                self._window.statusBar().showMessage(
                    (
                        self.tr("{name} was not imported: the password was wrong")
                        if wrong
                        else self.tr("{name} was not imported: no password was given")
                    ).format(name=name),
                    8000,
                )

    def show_problems(self, title: str, lines: list) -> None:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(self.tr("{title}:").format(title=title))
        shown = "\n".join(str(x) for x in lines[:15]) + (
            "\n" + self.tr("... and {n} more").format(n=len(lines) - 15) if len(lines) > 15 else ""
        )
        box.setInformativeText(shown)
        app = QApplication.instance()
        if app is not None and app.property("desktop_ocr_test_mode"):
            log.warning("%s: %s", title, shown)
            return
        box.open()

    # -- project -----------------------------------------------------------------------------
    def new_project(self) -> None:
        self._flush_editor()
        if (
            self.controller.session.is_untitled
            and self.controller.session.has_content
            and not self.resolve_untitled()
        ):
            return
        self.controller.new_project()

    def save(self) -> None:
        self._flush_editor()
        if self.controller.session.is_untitled:
            self.save_as()
        else:
            self.controller.save_now()
            self._window.statusBar().showMessage(self.tr("Saved (every change is saved automatically)"), 3000)

    def proposed_project_path(self) -> Path:
        """Where Save As starts: the project's own file, or for an untitled project a file named
        after its first document in the folder files were last opened from."""
        c = self.controller
        if c.session.path is not None:
            return c.session.path
        from desktop_ocr.export.naming import safe_filename

        folder = _existing_folder(c.settings.last_open_dir) or Path.home()
        docs = c.project.documents
        name = safe_filename(docs[0].name.replace("/", " - "), c.title) if docs else c.title
        return folder / (name + PROJECT_SUFFIX)

    def proposed_export_folder(self) -> Path:
        """Where Export starts: the folder of the last export, else the project's folder, else the
        folder files were last opened from, else the home folder."""
        c = self.controller
        for candidate in (
            c.settings.last_export_dir,
            str(c.session.path.parent) if c.session.path is not None else "",
            c.settings.last_open_dir,
        ):
            folder = _existing_folder(candidate)
            if folder is not None:
                return folder
        return Path.home()

    def reopen_last_project(self) -> bool:
        """At start, when the window is still empty: open the project used last (a setting)."""
        from desktop_ocr.model import recent

        c = self.controller
        if not c.settings.reopen_last_project or c.session.has_content or not c.session.is_untitled:
            return False
        items = [p for p in recent.load_recent() if p.is_file()]
        if not items:
            return False
        self.open_paths([str(items[0])])
        return True

    def save_as(self) -> bool:
        self._flush_editor()
        start = str(self.proposed_project_path())
        path, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Save project as"),
            start,
            self.tr("Projects ({patterns})").format(patterns=f"*{PROJECT_SUFFIX}"),
        )
        if not path:
            return False
        return self.controller.save_as(path)

    def resolve_untitled(self) -> bool:
        """Ask what to do with an unsaved project; False when the user cancelled."""
        answer = dialogs.ask_save_untitled(self._window)
        if answer == "save":
            return self.save_as()
        if answer == "discard":
            self.controller.discard_untitled()
        return answer != "cancel"

    def fill_recent(self, menu: QMenu) -> None:
        from desktop_ocr.model import recent

        menu.clear()
        items = recent.load_recent()
        for i, path in enumerate(items, 1):
            act = menu.addAction(f"&{i % 10} {path.name}  ({path.parent})")
            act.triggered.connect(lambda _=False, p=str(path): self.open_paths([p]))
        if not items:
            menu.addAction(self.tr("No recent projects")).setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction(self.tr("Clear List")).triggered.connect(recent.clear_recent)

    def offer_recovery(self) -> None:
        sessions = self.controller.session.recoverable_sessions()
        if not sessions:
            return
        choice, entry = dialogs.offer_recovery(self._window, sessions)
        if not isinstance(entry, RecoverableSession):
            return
        if choice == "recover":
            self.controller.recover(entry)
        elif choice == "discard":
            self.controller.session.discard_recovery(entry)

    def show_previous_crash(self, report: str) -> None:
        dialogs.show_previous_crash(self._window, report)

    # -- export and settings --------------------------------------------------------------------
    def export(self) -> None:
        self._flush_editor()
        c = self.controller
        project = c.project
        current = self._current_page()
        doc = project.document_of(current) if current else None
        selected = self.page_list.selected_page_ids()
        dlg = dialogs.ExportDialog(
            self._window,
            str(self.proposed_export_folder()),
            c.settings.export_formats,
            c.settings.separator,
            doc.name if doc else "",
            len(selected),
            len(project.documents),
            c.settings.export_pdfa,
            unavailable=unavailable_formats(),
        )
        if not dlg.exec():
            return
        choice = dlg.choice()
        if choice.scope == "document" and doc is not None:
            ids = [doc.id]
        elif choice.scope == "selection":
            ids = list(dict.fromkeys(project.document_of(pid).id for pid in selected))
        else:
            ids = [d.id for d in project.documents]
        # remembered at once, not only when the app closes
        c.remember_export_choices(choice.out_dir, choice.formats, choice.separator, choice.pdfa)
        if not self._confirm_unread(ids):
            return
        c.export(ids, choice.out_dir, choice.formats, choice.separator, pdfa=choice.pdfa)

    def _confirm_unread(self, document_ids: list[str]) -> bool:
        """Ask before exporting pages without text: never read, failed, or read with no text found
        (their sections of the export are empty). Names how many and which."""
        from desktop_ocr.export.documents import pages_without_text

        project = self.controller.project
        missing = pages_without_text(project, document_ids)
        if not missing:
            return True
        why = {
            "not_read": self.tr("never read"),
            "failed": self.tr("failed"),
            "empty": self.tr("no text found"),
        }
        lines = [
            (
                self.tr("{document}: page {pages}")
                if len(pages) == 1
                else self.tr("{document}: pages {pages}")
            ).format(
                document=name,
                pages=", ".join(f"{n} ({why[w]})" for n, w in pages[:20])
                + ("..." if len(pages) > 20 else ""),
            )
            for name, pages in list(missing.items())[:10]
        ]
        count = sum(len(pages) for pages in missing.values())
        wanted = set(document_ids)
        total = sum(len(d.pages) for d in project.documents if d.id in wanted)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Export pages without text?"),
            self.tr("{n} of the {total} pages to export have no text; their sections will be empty:").format(
                n=count, total=total
            )
            + "\n\n"
            + "\n".join(lines)
            + "\n\n"
            + self.tr("Export anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Export Anyway"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def confirm_export_overwrite(self, existing: list) -> None:
        choice = dialogs.confirm_overwrite(self._window, [Path(p) for p in existing])
        if choice != "cancel":
            self.controller.resolve_export_conflict(choice)
        else:
            self._window.statusBar().showMessage(self.tr("Export cancelled: nothing was written"), 5000)

    def edit_settings(self) -> None:
        from desktop_ocr.ui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self._window, self.controller.settings)
        if dlg.exec():
            self.controller.apply_settings(dlg.settings())
            self._settings_applied()

    def model_dialog(self) -> None:
        """The model dialog works on a copy; the controller switches engines if the model changed."""
        import copy

        from desktop_ocr.ui.model_dialog import ModelDialog

        settings = copy.deepcopy(self.controller.settings)
        dlg = ModelDialog(settings, self._window)
        dlg.exec()
        self.controller.apply_settings(settings)

    def first_run(self) -> None:
        import copy

        from desktop_ocr.ui.first_run import FirstRunDialog

        settings = copy.deepcopy(self.controller.settings)
        dlg = FirstRunDialog(settings, self._window)
        dlg.exec()
        self.controller.apply_settings(settings)

    def offer_first_run(self) -> None:
        """At the first start: the assistant that detects the GPU and recommends an engine."""
        if self.controller.settings.first_run_done:
            return
        import copy

        from desktop_ocr.ui.first_run import FirstRunDialog

        settings = copy.deepcopy(self.controller.settings)
        dialog = FirstRunDialog(settings, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self.controller.apply_settings(settings))
        dialog.open()

    def show_log_folder(self) -> None:
        from desktop_ocr.log import log_path

        folder = log_path().parent
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return
        dialogs.show_folder(  # no file manager to open it with: say where it is
            self._window,
            self.tr("Log folder"),
            self.tr("No file manager could be started. The log files are in this folder:"),
            folder,
        )
