"""The DeepSeek-OCR server settings as a group of fields with "Test connection" (settings, first run).

The test runs :func:`desktop_ocr.engine.server.check.check_connection` in a QThread; the report is
read on the GUI thread after the thread has finished (no Python object crosses a queued signal).
The API key is never shown or stored here: only the name of the environment variable holding it.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

import desktop_ocr.engine.registry as registry
from desktop_ocr.settings import ServerSettings

_KINDS = {"vllm": "vLLM", "sglang": "SGLang", "ollama": "Ollama", "openai": "OpenAI-compatible"}


def split_urls(text: str) -> list[str]:
    """URLs typed in one line, separated by commas, semicolons or spaces."""
    return [u for u in re.split(r"[\s,;]+", text.strip()) if u]


class _CheckThread(QThread):
    def __init__(self, server: ServerSettings) -> None:
        super().__init__()
        self.server = server
        self.cancel = threading.Event()
        self.report: Any = None  # an engine.server.check.ConnectionReport
        self.error = ""

    def run(self) -> None:
        try:
            self.report = registry.check_server(self.server, cancel=self.cancel)
        except Exception as exc:  # a bad URL, a bug: shown, never raised into Qt
            self.error = str(exc) or type(exc).__name__


class ServerBox(QGroupBox):
    """URLs, model, pages in flight, the API key's variable, and a connection test."""

    #: The connection test ended (its text is in ``result_label``).
    check_finished = Signal()

    def __init__(self, server: ServerSettings, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("DeepSeek-OCR server (vLLM, SGLang, Ollama)"))
        form = QFormLayout(self)
        self.urls_edit = QLineEdit(", ".join(server.urls))
        self.urls_edit.setPlaceholderText("http://localhost:8000/v1")
        self.urls_edit.setToolTip(
            self.tr("One or more servers, separated by commas: pages go to whichever server is free")
        )
        form.addRow(self.tr("Server URLs"), self.urls_edit)
        self.model_combo = QComboBox(editable=True)
        self.model_combo.setEditText(server.model)
        model_edit = self.model_combo.lineEdit()
        if model_edit is not None:
            model_edit.setPlaceholderText(self.tr("the server's only model"))
        form.addRow(self.tr("Model"), self.model_combo)
        self.concurrency_spin = QSpinBox(minimum=1, maximum=64)
        self.concurrency_spin.setValue(max(1, min(64, server.concurrency)))
        self.key_env_edit = QLineEdit(server.api_key_env)
        self.key_env_edit.setPlaceholderText("DESKTOP_OCR_SERVER_API_KEY / OPENAI_API_KEY")
        self.key_env_edit.setToolTip(
            self.tr(
                "The environment variable holding the API key (or the system keyring). "
                "The key itself is never saved by Desktop OCR."
            )
        )
        if not compact:
            form.addRow(self.tr("Pages in flight per server"), self.concurrency_spin)
            form.addRow(self.tr("API key variable"), self.key_env_edit)
        row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.start_check)
        row.addWidget(self.test_button)
        row.addStretch(1)
        form.addRow(row)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        form.addRow(self.result_label)
        self._thread: _CheckThread | None = None

    # -- values -------------------------------------------------------------------------------
    def urls(self) -> list[str]:
        return split_urls(self.urls_edit.text())

    def apply(self, server: ServerSettings) -> None:
        """Write the fields into ``server``."""
        server.urls = self.urls()
        server.model = self.model_combo.currentText().strip()
        server.concurrency = self.concurrency_spin.value()
        server.api_key_env = self.key_env_edit.text().strip()

    def problem(self) -> str:
        """Why the URLs cannot be used ("" when they can)."""
        if not self.urls():
            return self.tr("Type the server's URL, e.g. http://localhost:8000/v1")
        for url in self.urls():
            problem = registry.server_url_problem(url)
            if problem:
                return problem
        return ""

    # -- the test -----------------------------------------------------------------------------
    @property
    def checking(self) -> bool:
        return self._thread is not None

    def start_check(self) -> None:
        if self._thread is not None:
            return
        problem = self.problem()
        if problem:
            self.result_label.setText(problem)
            self.check_finished.emit()
            return
        settings = ServerSettings()
        self.apply(settings)
        self._thread = _CheckThread(settings)
        self._thread.finished.connect(self._on_checked)
        self.test_button.setEnabled(False)
        self.result_label.setText(self.tr("Asking the server for its models and reading a sample page…"))
        self._thread.start()

    def stop(self) -> None:
        """Cancel a running test and wait for its thread (the dialog is closing)."""
        thread = self._thread
        if thread is not None:
            thread.cancel.set()
            thread.wait(3000)

    def _on_checked(self) -> None:
        thread, self._thread = self._thread, None
        self.test_button.setEnabled(True)
        if thread is None:
            return
        thread.deleteLater()
        report = thread.report
        if report is None:
            self.result_label.setText(self.tr("The test failed: {error}").format(error=thread.error))
            self.check_finished.emit()
            return
        lines = []
        for s in report.servers:
            if s.error:
                lines.append("✗ " + s.error)
            else:
                kind = _KINDS.get(s.kind, s.kind)
                models = ", ".join(s.models) or self.tr("no models")
                lines.append(f"✓ {s.url} ({kind}): {models}")
        current = self.model_combo.currentText()
        self.model_combo.clear()
        self.model_combo.addItems(list(report.models))
        only = report.models[0] if len(report.models) == 1 else ""
        self.model_combo.setEditText(current or only)
        if report.sample or report.sample_server:
            lines.append(
                self.tr("Sample page read by {server} in {seconds:.1f} s: “{text}”").format(
                    server=report.sample_server,
                    seconds=report.seconds,
                    text=report.sample,
                )
            )
        elif report.error:
            lines.append(self.tr("The sample page was not read: {error}").format(error=report.error))
        self.result_label.setText("\n".join(lines))
        self._fit_window()
        self.check_finished.emit()

    def _fit_window(self) -> None:
        """Room for every line of the report (the window grows with the label's minimum height)."""
        label = self.result_label
        width = max(label.width(), 300)
        rect = label.fontMetrics().boundingRect(
            0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), label.text()
        )
        label.setMinimumHeight(rect.height() + 4)
        win = self.window()
        win_layout = win.layout()
        if win_layout is not None:
            win_layout.activate()
        if win.isVisible() and win.height() < win.minimumSizeHint().height():
            win.resize(win.width(), win.minimumSizeHint().height())
