"""Dialogs of the main window: export, PDF password, re-read confirmation, recovery, history, about."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_ocr import APP_DISPLAY_NAME, __version__
from desktop_ocr.model.schema import ForeignSchema

FORMAT_TITLES = {
    "md": QT_TRANSLATE_NOOP("ExportDialog", "Markdown (.md) with figure images"),
    "txt": QT_TRANSLATE_NOOP("ExportDialog", "Plain text (.txt)"),
    "json": QT_TRANSLATE_NOOP("ExportDialog", "JSON (.json)"),
    "pdf": QT_TRANSLATE_NOOP(
        "ExportDialog", "Searchable PDF (.pdf): the scan with the text as an invisible layer"
    ),
    "docx": QT_TRANSLATE_NOOP("ExportDialog", "Word (.docx)"),
    "odt": QT_TRANSLATE_NOOP("ExportDialog", "OpenDocument text (.odt)"),
    "html": QT_TRANSLATE_NOOP("ExportDialog", "Web page (.html, one file)"),
    "epub": QT_TRANSLATE_NOOP("ExportDialog", "E-book (.epub)"),
}
SEPARATOR_TITLES = {
    "official": QT_TRANSLATE_NOOP("ExportDialog", "Official page marker  <--- Page Split --->"),
    "none": QT_TRANSLATE_NOOP("ExportDialog", "None (a blank line)"),
    "hr": QT_TRANSLATE_NOOP("ExportDialog", "A horizontal rule  ---"),
}


def separator_title(key: str) -> str:
    """The translated title of an export page separator (a key of SEPARATOR_TITLES)."""
    return QCoreApplication.translate("ExportDialog", str(SEPARATOR_TITLES[key]))


@dataclass(frozen=True, slots=True)
class ExportChoice:
    scope: str  # "document", "selection", "all"
    out_dir: Path
    formats: tuple[str, ...]
    separator: str  # a key of settings.SEPARATORS
    pdfa: bool = False  # the PDF as PDF/A-2b


class ExportDialog(QDialog):
    """Choose what to export (current document, selected pages' documents, all), where and how."""

    def __init__(
        self,
        parent: QWidget | None,
        out_dir: str,
        formats: list[str],
        separator: str,
        document_name: str,
        selection_count: int,
        document_count: int,
        pdfa: bool = False,
        unavailable: Mapping[str, str] | None = None,
    ) -> None:
        """``unavailable``: formats that cannot be written here, each with the reason (shown, and the
        format cannot be ticked: pandoc's formats when pandoc is not installed)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        unavailable = dict(unavailable or {})
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        scope_box = QVBoxLayout()
        self._scope = QButtonGroup(self)
        for key, text, enabled in (
            (
                "document",
                self.tr("The current document ({name})").format(name=document_name or self.tr("none")),
                bool(document_name),
            ),
            (
                "selection",
                (
                    self.tr("The document of the selected page")
                    if selection_count == 1
                    else self.tr("The documents of the selected pages ({n} pages)").format(n=selection_count)
                ),
                selection_count > 0,
            ),
            ("all", self.tr("All documents ({n})").format(n=document_count), document_count > 0),
        ):
            rb = QRadioButton(text)
            rb.setEnabled(enabled)
            rb.setProperty("key", key)
            self._scope.addButton(rb)
            scope_box.addWidget(rb)
        for b in self._scope.buttons():
            if b.isEnabled():
                b.setChecked(True)
                break
        form.addRow(self.tr("Export"), scope_box)

        self._formats: dict[str, QCheckBox] = {}
        fmt_box = QVBoxLayout()
        for key, title in FORMAT_TITLES.items():
            cb = QCheckBox(self.tr(str(title)))
            cb.setChecked(key in formats and key not in unavailable)
            if key in unavailable:
                cb.setEnabled(False)
                cb.setToolTip(unavailable[key])
            self._formats[key] = cb
            fmt_box.addWidget(cb)
            if key == "pdf":
                self._pdfa = QCheckBox(self.tr("As PDF/A-2b, for archiving"))
                self._pdfa.setChecked(pdfa)
                self._pdfa.setEnabled(cb.isChecked())
                cb.toggled.connect(self._pdfa.setEnabled)
                indented = QHBoxLayout()
                indented.addSpacing(24)  # an option of the PDF above
                indented.addWidget(self._pdfa, 1)
                fmt_box.addLayout(indented)
        reasons = list(dict.fromkeys(unavailable.values()))
        if reasons:
            missing = QLabel(
                self.tr("Some formats cannot be written here: {reasons}").format(reasons="; ".join(reasons))
            )
            missing.setObjectName("unavailable_formats")
            missing.setWordWrap(True)
            missing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            fmt_box.addWidget(missing)
        form.addRow(self.tr("Formats"), fmt_box)

        sep_box = QVBoxLayout()
        self._separator = QButtonGroup(self)
        for key, title in SEPARATOR_TITLES.items():
            rb = QRadioButton(self.tr(str(title)))
            rb.setProperty("key", key)
            rb.setChecked(key == separator)
            self._separator.addButton(rb)
            sep_box.addWidget(rb)
        form.addRow(self.tr("Between pages"), sep_box)

        row = QHBoxLayout()
        self._dir = QLineEdit(out_dir)
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        row.addWidget(self._dir, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Folder"), row)
        note = QLabel(
            self.tr(
                "Each document becomes <i>name</i>.md (with <i>name</i>_images/), .txt, .json, .pdf, .docx... "
                "as ticked. Existing files are never overwritten without asking."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"), self._dir.text())
        if folder:
            self._dir.setText(folder)

    def _accept(self) -> None:
        if not self.choice().formats:
            QMessageBox.warning(self, self.tr("Export"), self.tr("Choose at least one format."))
            return
        if not self._dir.text().strip():
            QMessageBox.warning(self, self.tr("Export"), self.tr("Choose a folder to export to."))
            return
        self.accept()

    def choice(self) -> ExportChoice:
        scope = self._scope.checkedButton()
        sep = self._separator.checkedButton()
        return ExportChoice(
            scope=scope.property("key") if scope else "all",
            out_dir=Path(self._dir.text().strip()).expanduser(),
            formats=tuple(k for k, cb in self._formats.items() if cb.isChecked()),
            separator=sep.property("key") if sep else "official",
            pdfa=self._pdfa.isChecked() and self._formats["pdf"].isChecked(),
        )


Role = QMessageBox.ButtonRole


def ask_choice(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str,
    buttons: list[tuple[str, str | QMessageBox.StandardButton, Role | None]],
    default: str,
    detail: str = "",
) -> str:
    """A question box; returns the key of the button clicked, or "cancel" (its own Cancel button,
    Escape or closing). ``buttons``: (key, label or standard button, role) in order."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    if detail:
        box.setDetailedText(detail)
    keys = {}
    for key, label, role in buttons:
        if isinstance(label, QMessageBox.StandardButton):
            button = box.addButton(label)
        else:
            button = box.addButton(label, role or Role.AcceptRole)
        keys[id(button)] = key
        if key == default:
            box.setDefaultButton(button)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return keys.get(id(box.clickedButton()), "cancel")


def show_folder(parent: QWidget | None, title: str, text: str, folder: Path) -> QMessageBox:
    """Say where a folder is, its path selectable and copyable (there is no file manager to show it);
    the box is shown without blocking and deletes itself when closed."""
    box = QMessageBox(parent)
    box.setObjectName("folder_path_box")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(str(folder))
    box.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    copy = box.addButton(QCoreApplication.translate("Dialogs", "Copy Path"), Role.ActionRole)
    copy.clicked.disconnect()  # an action button would close the box: copying keeps it open
    copy.clicked.connect(lambda: QApplication.clipboard().setText(str(folder)))
    box.addButton(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm_overwrite(parent: QWidget | None, existing: list[Path]) -> str:
    """Files exist in the export folder: "overwrite", "rename" (keep both) or "cancel"."""
    names = "\n".join(p.name for p in existing[:12]) + ("\n..." if len(existing) > 12 else "")
    return ask_choice(
        parent,
        QCoreApplication.translate("Dialogs", "Replace existing files?"),
        QCoreApplication.translate(
            "Dialogs", "These files already exist in the export folder. Nothing has been written yet."
        ),
        names,
        [
            ("overwrite", QCoreApplication.translate("Dialogs", "Replace"), Role.DestructiveRole),
            ("rename", QCoreApplication.translate("Dialogs", "Keep Both"), Role.AcceptRole),
        ],
        default="rename",
    )


def confirm_duplicate_import(parent: QWidget | None, names: list[str]) -> str:
    """Files already in the project were dropped or opened again: "again" (a second copy), "skip"
    (import only the new ones) or "cancel"."""
    listed = "\n".join(names[:12]) + ("\n..." if len(names) > 12 else "")
    return ask_choice(
        parent,
        QCoreApplication.translate("Dialogs", "Import these files again?"),
        QCoreApplication.translate(
            "Dialogs", "{n} of the documents are already in this project, made of the same files:"
        ).format(n=len(names)),
        listed,
        [
            ("skip", QCoreApplication.translate("Dialogs", "Skip Them"), Role.AcceptRole),
            ("again", QCoreApplication.translate("Dialogs", "Add a Copy"), Role.AcceptRole),
        ],
        default="skip",
    )


def confirm_remove_foreign(parent: QWidget | None, found: ForeignSchema) -> bool:
    """A project holds SQL the app did not write: remove it and open the project (True), or not."""
    names = "\n".join(str(o) for o in found.objects[:12]) + ("\n..." if len(found.objects) > 12 else "")
    choice = ask_choice(
        parent,
        QCoreApplication.translate("Dialogs", "Remove unknown SQL from this project?"),
        QCoreApplication.translate(
            "Dialogs", "{name} contains SQL that this app did not write ({count} items)."
        ).format(name=found.file_name, count=len(found.objects)),
        QCoreApplication.translate(
            "Dialogs",
            "Someone may have added it to change or delete your text, or to stop the app, when the "
            "project is saved. Removing it keeps every page, text and version of the project.",
        ),
        [("remove", QCoreApplication.translate("Dialogs", "Remove and Open"), Role.AcceptRole)],
        default="cancel",
        detail=names,
    )
    return choice == "remove"


def ask_password(parent: QWidget | None, file_name: str, wrong: bool = False) -> str | None:
    """The password of an encrypted PDF, or None when the user skips it."""
    text = (
        QCoreApplication.translate("Dialogs", "{name} is protected by a password.").format(name=file_name)
        if not wrong
        else QCoreApplication.translate("Dialogs", "The password for {name} is wrong.").format(name=file_name)
    )
    password, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("Dialogs", "Password needed"),
        text + "\n" + QCoreApplication.translate("Dialogs", "Enter its password to import it:"),
        QLineEdit.EchoMode.Password,
    )
    return password if ok and password else None


def confirm_reread(parent: QWidget | None, edited: int, total: int) -> str:
    """Ask before reading edited pages again: "all", "unedited" or "cancel"."""
    choice = ask_choice(
        parent,
        QCoreApplication.translate("Dialogs", "Read edited pages again?"),
        QCoreApplication.translate(
            "Dialogs", "{edited} of the {total} pages to read have your corrections."
        ).format(edited=edited, total=total),
        QCoreApplication.translate(
            "Dialogs",
            "Reading them again replaces their text with the engine's. Your corrected text stays in "
            "Edit > Text History, from where you can restore it.",
        ),
        [
            ("all", QCoreApplication.translate("Dialogs", "Read All Again"), Role.DestructiveRole),
            ("unedited", QCoreApplication.translate("Dialogs", "Skip Edited Pages"), Role.AcceptRole),
        ],
        default="unedited",
    )
    return "cancel" if choice == "unedited" and edited >= total else choice


def ask_join_images(parent: QWidget | None, n: int, first: str) -> str:
    """Several loose images at once: "one" document (named after the first), "each" its own, or
    "cancel"."""
    return ask_choice(
        parent,
        QCoreApplication.translate("Dialogs", "Make one document?"),
        QCoreApplication.translate("Dialogs", "Make one document of the {n} images, named {name}?").format(
            n=n, name=first
        ),
        QCoreApplication.translate(
            "Dialogs", "Pages of scanned books or letters belong together; unrelated pictures do not."
        ),
        [
            ("one", QCoreApplication.translate("Dialogs", "One Document"), Role.AcceptRole),
            ("each", QCoreApplication.translate("Dialogs", "One Document Each"), Role.AcceptRole),
        ],
        default="one",
    )


def confirm_read_again(parent: QWidget | None, read: int, edited: int, total: int) -> str:
    """Some of the pages to read are read already (``edited`` of them corrected by the user): one
    question for all of them. "unread" (read only the others), "all" (read every page again) or
    "cancel"; when every page is read already, "all" or "cancel"."""
    text = QCoreApplication.translate("Dialogs", "{read} of the {total} pages are read already.").format(
        read=read, total=total
    )
    if edited:
        text += " " + (
            QCoreApplication.translate("Dialogs", "{edited} of them has your corrections.")
            if edited == 1
            else QCoreApplication.translate("Dialogs", "{edited} of them have your corrections.")
        ).format(edited=edited)
    informative = QCoreApplication.translate(
        "Dialogs",
        "Reading a page again replaces its text with the engine's; earlier text stays in "
        "Edit > Text History, from where you can restore it.",
    )
    again = ("all", QCoreApplication.translate("Dialogs", "Read Them Again"), Role.DestructiveRole)
    if read >= total:
        return ask_choice(
            parent, QCoreApplication.translate("Dialogs", "Read the pages again?"), text, informative,
            [again], default="all",
        )  # fmt: skip
    skip = (
        "unread",
        QCoreApplication.translate("Dialogs", "Read Only the {n} Unread").format(n=total - read),
        Role.AcceptRole,
    )
    return ask_choice(
        parent, QCoreApplication.translate("Dialogs", "Read pages that are read already?"), text,
        informative, [skip, again], default="unread",
    )  # fmt: skip


def offer_recovery(parent: QWidget | None, sessions: list) -> tuple[str, object | None]:
    """Offer the newest unsaved session: ("recover", s), ("discard", s) or ("later", None)."""
    s = sessions[0]
    when = _dt.datetime.fromtimestamp(s.modified).strftime("%Y-%m-%d %H:%M")
    docs = ", ".join(s.documents[:4]) + (" ..." if len(s.documents) > 4 else "")
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("Dialogs", "Recover unsaved work?"))
    box.setText(
        QCoreApplication.translate(
            "Dialogs", "Desktop OCR found a project that was not saved when the app last closed."
        )
    )
    box.setInformativeText(
        QCoreApplication.translate("Dialogs", "Last change: {when}").format(when=when)
        + "\n"
        + (
            QCoreApplication.translate("Dialogs", "1 page in: {documents}")
            if s.page_count == 1
            else QCoreApplication.translate("Dialogs", "{n} pages in: {documents}")
        ).format(n=s.page_count, documents=docs)
    )
    recover = box.addButton(
        QCoreApplication.translate("Dialogs", "Recover"), QMessageBox.ButtonRole.AcceptRole
    )
    discard = box.addButton(
        QCoreApplication.translate("Dialogs", "Discard"), QMessageBox.ButtonRole.DestructiveRole
    )
    box.addButton(QCoreApplication.translate("Dialogs", "Later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(recover)
    box.exec()
    if box.clickedButton() is recover:
        return "recover", s
    if box.clickedButton() is discard:
        sure = QMessageBox.question(
            parent,
            QCoreApplication.translate("Dialogs", "Discard unsaved work?"),
            QCoreApplication.translate("Dialogs", "The unsaved project will be deleted. Continue?"),
        )
        if sure == QMessageBox.StandardButton.Yes:
            return "discard", s
    return "later", None


def ask_save_untitled(parent: QWidget | None) -> str:
    """On quit with an unsaved project: "save", "discard", "keep" or "cancel"."""
    return ask_choice(
        parent,
        QCoreApplication.translate("Dialogs", "Save the project?"),
        QCoreApplication.translate("Dialogs", "This project has not been saved to a file yet."),
        QCoreApplication.translate(
            "Dialogs", "If you quit without saving, it is kept for recovery at the next start."
        ),
        [
            ("save", QMessageBox.StandardButton.Save, None),
            ("discard", QCoreApplication.translate("Dialogs", "Delete It"), Role.DestructiveRole),
            ("keep", QCoreApplication.translate("Dialogs", "Quit, Keep for Recovery"), Role.AcceptRole),
        ],
        default="save",
    )


class HistoryDialog(QDialog):
    """Earlier versions of a page's text; the chosen one can be restored."""

    def __init__(self, parent: QWidget | None, versions: list) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Text history"))
        self.resize(760, 480)
        self._versions = versions
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self._list = QListWidget()
        origins = {
            "ocr": self.tr("Read by the engine"),
            "edit": self.tr("Your edits"),
            "restore": self.tr("Restored"),
            "region": self.tr("Region read again"),
        }
        for v in versions:
            when = _dt.datetime.fromtimestamp(v.updated).strftime("%Y-%m-%d %H:%M:%S")
            QListWidgetItem(f"{when}  {origins.get(v.origin, v.origin)}", self._list)
        self._text = QPlainTextEdit(readOnly=True)
        split.addWidget(self._list)
        split.addWidget(self._text)
        split.setSizes([260, 500])
        layout.addWidget(split)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self._restore = buttons.addButton(
            self.tr("Restore This Version"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._list.currentRowChanged.connect(self._show)
        if versions:
            self._list.setCurrentRow(0)
        else:
            self._text.setPlainText(self.tr("No earlier versions yet."))
            self._restore.setEnabled(False)

    def _show(self, row: int) -> None:
        if 0 <= row < len(self._versions):
            self._text.setPlainText(self._versions[row].text)

    def chosen_version(self):  # -> TextVersion | None
        row = self._list.currentRow()
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def chosen_text(self) -> str | None:
        version = self.chosen_version()
        return version.text if version is not None else None


def show_about(parent: QWidget | None, engine: str) -> None:
    QMessageBox.about(
        parent,
        QCoreApplication.translate("Dialogs", "About {app}").format(app=APP_DISPLAY_NAME),
        f"<h3>{APP_DISPLAY_NAME} {__version__}</h3>"
        + QCoreApplication.translate(
            "Dialogs",
            "<p>Turns scans and PDFs into corrected Markdown on your own machine: DeepSeek-OCR on the "
            "local GPU, or the embedded CPU engine (RapidOCR).</p>",
        )
        + QCoreApplication.translate("Dialogs", "<p>Engine: {engine}</p>").format(
            engine=engine or QCoreApplication.translate("Dialogs", "not loaded yet")
        ),
    )


def show_previous_crash(parent: QWidget | None, report: str) -> None:
    from desktop_ocr.crash import report_path

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Dialogs", "Desktop OCR closed unexpectedly last time"))
    box.setText(
        QCoreApplication.translate(
            "Dialogs", "The last session ended with an error. Your project was autosaved up to that moment."
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "Dialogs", "The report is in {folder}. Please include it if you report the problem."
        ).format(folder=report_path().parent)
    )
    box.setDetailedText(report)
    box.exec()
