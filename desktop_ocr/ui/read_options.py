"""Choosing how to read pages for one run (prompt, resolution mode, token cap), and the retry offer
made when pages ran out of GPU memory."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from desktop_ocr.engine.base import PROMPT_TITLES, EngineInfo, ReadOptions
from desktop_ocr.i18n import translated

MODES = ("tiny", "small", "base", "large", "gundam")
#: The model's positions: prompt and output together never exceed them (the engine caps too).
MAX_TOKENS = 8192


class ReadOptionsDialog(QDialog):
    """Prompt, mode and token cap for this run; starts from the settings' choice. With ``engine``
    (what the engine that will read offers), only its prompts are listed, and the resolution mode and
    token cap only when it has them (the embedded CPU engine has neither: it reads text as it is)."""

    def __init__(
        self,
        options: ReadOptions,
        page_count: int,
        parent: QWidget | None = None,
        engine: EngineInfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            (
                self.tr("Read {n} page with...") if page_count == 1 else self.tr("Read {n} pages with...")
            ).format(n=page_count)
        )
        form = QFormLayout(self)
        self._form = form
        prompts = [k for k in PROMPT_TITLES if engine is None or k in engine.prompts] or ["ocr"]
        self._prompt = QComboBox()
        for key in prompts:
            self._prompt.addItem(QCoreApplication.translate("SettingsDialog", PROMPT_TITLES[key]), key)
        self._prompt.setCurrentIndex(max(0, self._prompt.findData(options.prompt)))
        form.addRow(self.tr("Prompt"), self._prompt)
        self._target = QLineEdit(options.locate_target)
        self._target.setPlaceholderText(self.tr("The text to find on the page"))
        form.addRow(self.tr("Locate"), self._target)
        self._custom = QLineEdit(options.custom_prompt)
        self._custom.setPlaceholderText("<image>\\n...")
        form.addRow(self.tr("Custom prompt"), self._custom)
        self._mode = QComboBox()
        modes = [m for m in MODES if engine is None or m in engine.modes]
        for m in modes or MODES:
            self._mode.addItem(QCoreApplication.translate("SettingsDialog", m.capitalize()), m)
        self._mode.setCurrentIndex(max(0, self._mode.findData(options.mode)))
        form.addRow(self.tr("Resolution mode"), self._mode)
        self._tokens = QSpinBox()
        self._tokens.setRange(16, MAX_TOKENS)
        self._tokens.setValue(min(max(options.max_new_tokens, 16), MAX_TOKENS))
        self._tokens.setSuffix(self.tr(" tokens"))
        form.addRow(self.tr("Token cap"), self._tokens)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Read"))
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._prompt.currentIndexChanged.connect(self._update_enabled)
        self._update_enabled()
        generative = engine is None or bool(engine.modes)
        for widget, shown in (
            (self._target, "locate" in prompts),
            (self._custom, "custom" in prompts),
            (self._mode, bool(modes)),
            (self._tokens, generative),
        ):
            form.setRowVisible(widget, shown)
        self._prompt.setEnabled(len(prompts) > 1)
        if engine is not None and not engine.modes:
            note = QLabel(
                self.tr("{engine} reads the text as it is: it has no prompts or resolution modes.").format(
                    engine=translated(engine.title)
                )
            )
            note.setObjectName("engine_note")
            note.setWordWrap(True)
            form.insertRow(0, note)

    def _update_enabled(self) -> None:
        key = self._prompt.currentData()
        self._target.setEnabled(key == "locate")
        self._custom.setEnabled(key == "custom")

    def _accept_if_valid(self) -> None:
        key = self._prompt.currentData()
        if key == "locate" and not self._target.text().strip():
            self._target.setFocus()
            return
        if key == "custom" and not self._custom.text().strip():
            self._custom.setFocus()
            return
        self.accept()

    def options(self) -> ReadOptions:
        return ReadOptions(
            prompt=self._prompt.currentData(),
            custom_prompt=self._custom.text().strip(),
            locate_target=self._target.text().strip(),
            mode=self._mode.currentData(),
            max_new_tokens=self._tokens.value(),
        )


class RetryOffer:
    """Collects pages that ran out of GPU memory and offers, once per burst, to read them again in a
    smaller mode. ``read(page_ids, options)`` starts the retry."""

    def __init__(self, parent: QWidget, read) -> None:  # type: ignore[no-untyped-def]
        self._parent = parent
        self._read = read
        self._pending: list[str] = []
        self._options: ReadOptions | None = None
        self._timer = QTimer(parent, singleShot=True, interval=200)
        self._timer.timeout.connect(self._ask)

    def offer(self, page_ids: list[str], options: ReadOptions) -> None:
        self._pending.extend(p for p in page_ids if p not in self._pending)
        self._options = options
        self._timer.start()

    def _ask(self) -> None:
        pages, options = self._pending, self._options
        self._pending, self._options = [], None
        if not pages or options is None:
            return
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("RetryOffer", "Out of GPU memory"))
        box.setText(
            (
                QCoreApplication.translate(
                    "RetryOffer",
                    "{n} page did not fit in the GPU's memory. Read it again in the smaller {mode} mode?",
                )
                if len(pages) == 1
                else QCoreApplication.translate(
                    "RetryOffer",
                    "{n} pages did not fit in the GPU's memory. Read them again in the smaller {mode} mode?",
                )
            ).format(n=len(pages), mode=options.mode.capitalize())
        )
        box.setInformativeText(
            QCoreApplication.translate(
                "RetryOffer", "The model stays loaded. You can also lower the batch size in the settings."
            )
        )
        retry = box.addButton(
            QCoreApplication.translate("RetryOffer", "Read Again"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is retry:
            self._read(pages, dataclasses.replace(options))
