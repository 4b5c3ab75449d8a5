"""The settings dialog: engine, rendering DPI, export defaults and the DeepSeek-OCR options."""

from __future__ import annotations

import copy

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
from desktop_ocr.ui.dialogs import SEPARATOR_TITLES

ENGINES = {
    "auto": "Automatic (DeepSeek-OCR when a GPU and the model are there, else embedded)",
    "embedded": "Embedded (RapidOCR on the CPU, always available)",
    "deepseek": "DeepSeek-OCR (local GPU)",
}
MODES = ("tiny", "small", "base", "large", "gundam")


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`settings` returns it after OK."""

    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._s = copy.deepcopy(settings)
        layout = QVBoxLayout(self)

        general = QGroupBox("Reading")
        form = QFormLayout(general)
        self._engine = QComboBox()
        for key, title in ENGINES.items():
            self._engine.addItem(title, key)
        self._select(self._engine, self._s.engine)
        form.addRow("Engine", self._engine)
        self._dpi = QSpinBox(minimum=72, maximum=600, singleStep=12, suffix=" dpi")
        self._dpi.setValue(self._s.dpi)
        self._dpi.setToolTip(
            "Resolution at which PDF pages are rendered for new projects (144 as the official scripts)"
        )
        form.addRow("PDF resolution", self._dpi)
        layout.addWidget(general)

        export = QGroupBox("Export")
        form = QFormLayout(export)
        self._separator = QComboBox()
        for key, title in SEPARATOR_TITLES.items():
            self._separator.addItem(title, key)
        self._select(self._separator, self._s.separator)
        form.addRow("Between pages", self._separator)
        layout.addWidget(export)

        ds = self._s.deepseek
        deep = QGroupBox("DeepSeek-OCR")
        form = QFormLayout(deep)
        self._source = QComboBox()
        self._source.addItem("Download from the Hugging Face hub", "hub")
        self._source.addItem("A folder I already have", "folder")
        self._select(self._source, ds.source)
        form.addRow("Model", self._source)
        self._hub_id = QLineEdit(ds.hub_id)
        form.addRow("Hub id", self._hub_id)
        self._revision = QLineEdit(ds.revision, placeholderText="the pinned revision")
        form.addRow("Revision", self._revision)
        row = QHBoxLayout()
        self._folder = QLineEdit(ds.folder)
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        row.addWidget(self._folder, 1)
        row.addWidget(browse)
        form.addRow("Folder", row)
        self._mode = QComboBox()
        for m in MODES:
            self._mode.addItem(m.capitalize(), m)
        self._select(self._mode, ds.mode)
        form.addRow("Resolution mode", self._mode)
        self._prompt = QComboBox()
        for key, title in PROMPT_TITLES.items():
            if key != "locate":
                self._prompt.addItem(title, key)
        self._select(self._prompt, ds.prompt)
        form.addRow("Prompt", self._prompt)
        self._custom = QLineEdit(ds.custom_prompt, placeholderText="<image>\\n... (for a custom prompt)")
        form.addRow("Custom prompt", self._custom)
        self._max_tokens = QSpinBox(minimum=64, maximum=8192, singleStep=256)
        self._max_tokens.setValue(ds.max_new_tokens)
        form.addRow("Token cap per page", self._max_tokens)
        self._batch = QSpinBox(minimum=0, maximum=64, specialValueText="automatic")
        self._batch.setValue(ds.batch_size)
        form.addRow("Pages per batch", self._batch)
        layout.addWidget(deep)

        self._offline = QCheckBox("Offline: never use the network")
        self._offline.setChecked(self._s.offline)
        layout.addWidget(self._offline)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        i = combo.findData(key)
        if i >= 0:
            combo.setCurrentIndex(i)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "DeepSeek-OCR model folder", self._folder.text())
        if folder:
            self._folder.setText(folder)
            self._select(self._source, "folder")

    def settings(self) -> Settings:
        s = self._s
        s.engine = self._engine.currentData()
        s.dpi = self._dpi.value()
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
        return s
