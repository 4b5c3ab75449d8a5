"""The settings dialog: engine, rendering DPI, export defaults, the DeepSeek-OCR and server options."""

from __future__ import annotations

import copy

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_ocr.engine.base import PROMPT_TITLES
from desktop_ocr.settings import Settings
from desktop_ocr.ui.dialogs import SEPARATOR_TITLES, separator_title
from desktop_ocr.ui.server_box import ServerBox
from desktop_ocr.ui.word_marks import ProofreadingBox

# PySide6 types QT_TRANSLATE_NOOP as returning ``object``; it returns the text: ``str(title)`` below.
ENGINES = {
    "auto": QT_TRANSLATE_NOOP(
        "SettingsDialog", "Automatic (DeepSeek-OCR when a GPU and the model are there, else embedded)"
    ),
    "embedded": QT_TRANSLATE_NOOP("SettingsDialog", "Embedded (RapidOCR on the CPU, always available)"),
    "deepseek": QT_TRANSLATE_NOOP("SettingsDialog", "DeepSeek-OCR (local GPU)"),
    "server": QT_TRANSLATE_NOOP("SettingsDialog", "DeepSeek-OCR on a server (vLLM, SGLang, Ollama)"),
}
# The engine layer has no Qt: its prompt titles (engine.base.PROMPT_TITLES) are marked here.
_PROMPT_TITLES_FOR_LUPDATE = (
    QT_TRANSLATE_NOOP("SettingsDialog", "Document to Markdown"),
    QT_TRANSLATE_NOOP("SettingsDialog", "OCR image"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Free OCR (text only)"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Parse figure"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Describe image"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Locate text"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Extract table"),
    QT_TRANSLATE_NOOP("SettingsDialog", "Custom prompt"),
)
_MODE_TITLES = {
    "tiny": QT_TRANSLATE_NOOP("SettingsDialog", "Tiny"),
    "small": QT_TRANSLATE_NOOP("SettingsDialog", "Small"),
    "base": QT_TRANSLATE_NOOP("SettingsDialog", "Base"),
    "large": QT_TRANSLATE_NOOP("SettingsDialog", "Large"),
    "gundam": QT_TRANSLATE_NOOP("SettingsDialog", "Gundam"),
}
MODES = ("tiny", "small", "base", "large", "gundam")


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`settings` returns it after OK."""

    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._s = copy.deepcopy(settings)
        layout = QVBoxLayout(self)

        general = QGroupBox(self.tr("Reading"))
        form = QFormLayout(general)
        self._engine = QComboBox()
        for key, title in ENGINES.items():
            self._engine.addItem(self.tr(str(title)), key)
        # RapidOCR ships one recognition model in a package: there is no language to pick.
        self._engine.setItemData(
            self._engine.findData("embedded"),
            self.tr(
                "Reads Latin-script languages, Chinese (simplified and traditional) and Japanese "
                "with the one recognition model RapidOCR ships; Cyrillic, Arabic, Korean and other "
                "scripts are not read by this engine"
            ),
            Qt.ItemDataRole.ToolTipRole,
        )
        self._select(self._engine, self._s.engine)
        form.addRow(self.tr("Engine"), self._engine)
        self._dpi = QSpinBox(minimum=72, maximum=600, singleStep=12, suffix=self.tr(" dpi"))
        self._dpi.setValue(self._s.dpi)
        self._dpi.setToolTip(
            self.tr(
                "Resolution at which PDF pages are rendered for new projects (144 as the official scripts)"
            )
        )
        form.addRow(self.tr("PDF resolution"), self._dpi)
        self._text_layer = QCheckBox(self.tr("Use the text of born-digital PDF pages (no OCR)"))
        self._text_layer.setChecked(self._s.use_text_layer)
        self._text_layer.setToolTip(
            self.tr(
                "Pages made by an office program or a typesetter keep their exact text and its place; "
                "scanned pages, also those with an earlier OCR layer, are still read"
            )
        )
        form.addRow("", self._text_layer)
        self._reopen = QCheckBox(self.tr("Open the last project at start"))
        self._reopen.setChecked(self._s.reopen_last_project)
        form.addRow("", self._reopen)
        layout.addWidget(general)

        export = QGroupBox(self.tr("Export"))
        form = QFormLayout(export)
        self._separator = QComboBox()
        for key in SEPARATOR_TITLES:
            self._separator.addItem(separator_title(key), key)
        self._select(self._separator, self._s.separator)
        form.addRow(self.tr("Between pages"), self._separator)
        layout.addWidget(export)
        self.proofreading = ProofreadingBox(self._s, self)
        layout.addWidget(self.proofreading)

        ds = self._s.deepseek
        deep = QGroupBox("DeepSeek-OCR")
        form = QFormLayout(deep)
        self._source = QComboBox()
        self._source.addItem(self.tr("Download from the Hugging Face hub"), "hub")
        self._source.addItem(self.tr("A folder I already have"), "folder")
        self._select(self._source, ds.source)
        form.addRow(self.tr("Model"), self._source)
        self._hub_id = QLineEdit(ds.hub_id)
        form.addRow(self.tr("Hub id"), self._hub_id)
        self._revision = QLineEdit(ds.revision, placeholderText=self.tr("the pinned revision"))
        form.addRow(self.tr("Revision"), self._revision)
        row = QHBoxLayout()
        self._folder = QLineEdit(ds.folder)
        browse = QPushButton(self.tr("Browse..."))
        browse.clicked.connect(self._browse)
        row.addWidget(self._folder, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Folder"), row)
        self._mode = QComboBox()
        for m in MODES:
            self._mode.addItem(self.tr(str(_MODE_TITLES[m])), m)
        self._select(self._mode, ds.mode)
        form.addRow(self.tr("Resolution mode"), self._mode)
        self._prompt = QComboBox()
        for key, title in PROMPT_TITLES.items():
            if key != "locate":
                self._prompt.addItem(self.tr(title), key)
        self._select(self._prompt, ds.prompt)
        form.addRow(self.tr("Prompt"), self._prompt)
        self._custom = QLineEdit(
            ds.custom_prompt, placeholderText=self.tr("<image>\\n... (for a custom prompt)")
        )
        form.addRow(self.tr("Custom prompt"), self._custom)
        self._max_tokens = QSpinBox(minimum=64, maximum=8192, singleStep=256)
        self._max_tokens.setValue(ds.max_new_tokens)
        form.addRow(self.tr("Token cap per page"), self._max_tokens)
        self._batch = QSpinBox(minimum=0, maximum=64)
        self._batch.setSpecialValueText(self.tr("automatic"))
        self._batch.setValue(ds.batch_size)
        form.addRow(self.tr("Pages per batch"), self._batch)
        self._decode = QComboBox()
        self._decode.addItem(self.tr("Exact: token for token as the official infer()"), "exact")
        self._decode.addItem(self.tr("Fastest: batches several times faster"), "fastest")
        self._decode.setToolTip(
            self.tr(
                "Pages read together on a GPU. Exact gives every page the text the official infer() "
                "gives it alone. Fastest reads batches several times faster; a page's text still does "
                "not depend on the other pages, but it can differ slightly from infer()'s."
            )
        )
        self._select(self._decode, ds.decode)
        form.addRow(self.tr("Decoding"), self._decode)
        layout.addWidget(deep)

        self.server_box = ServerBox(self._s.server, self)
        layout.addWidget(self.server_box)

        self._offline = QCheckBox(self.tr("Offline: never use the network"))
        self._offline.setChecked(self._s.offline)
        layout.addWidget(self._offline)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept_if_valid(self) -> None:
        if self._engine.currentData() == "server" and self.server_box.problem():
            self.server_box.result_label.setText(self.server_box.problem())
            self.server_box.urls_edit.setFocus()
            return
        self.accept()

    def done(self, result: int) -> None:
        self.server_box.stop()
        super().done(result)

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        i = combo.findData(key)
        if i >= 0:
            combo.setCurrentIndex(i)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("DeepSeek-OCR model folder"), self._folder.text()
        )
        if folder:
            self._folder.setText(folder)
            self._select(self._source, "folder")

    def settings(self) -> Settings:
        s = self._s
        s.engine = self._engine.currentData()
        s.dpi = self._dpi.value()
        s.use_text_layer = self._text_layer.isChecked()
        s.reopen_last_project = self._reopen.isChecked()
        s.separator = self._separator.currentData()
        s.offline = self._offline.isChecked()
        ds = s.deepseek
        ds.source = self._source.currentData()
        ds.hub_id = self._hub_id.text().strip() or ds.hub_id
        ds.revision = self._revision.text().strip()
        ds.folder = self._folder.text().strip()
        ds.mode = self._mode.currentData()
        ds.prompt = self._prompt.currentData()
        ds.custom_prompt = self._custom.text()
        ds.max_new_tokens = self._max_tokens.value()
        ds.batch_size = self._batch.value()
        ds.decode = self._decode.currentData()
        self.server_box.apply(s.server)
        self.proofreading.apply(s)
        return s
