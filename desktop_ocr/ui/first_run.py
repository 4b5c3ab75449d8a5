"""The first-start dialog: find the GPU, recommend what fits it, then download the model, pick a folder,
or carry on with the embedded engine. Every choice lands in Settings and can be changed later.

The work and the decisions are the set-up service's (desktop_ocr.setup.service: GPU detection, advice,
the one download path, the one place that saves the settings); this dialog shows it. Long work happens
off the GUI thread: GPU detection in a Python thread, the GPU add-on install in a QProcess (pip;
desktop_ocr.ui.addon_install), the model download as an asyncio task through desktop_ocr.ui.async_job:
on the app's qasync loop, or a loop of its own in a thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_ocr.i18n import translated
from desktop_ocr.settings import Settings
from desktop_ocr.setup import catalog, download, gpu_addon
from desktop_ocr.setup.gpu_advice import MIN_COMPUTE_FOR_ADDON, MIN_DRIVER_FOR_ADDON, Fit, Recommendation
from desktop_ocr.setup.service import SetupService, default_probe
from desktop_ocr.ui.addon_install import BUSY, AddonInstaller
from desktop_ocr.ui.async_job import AsyncJob
from desktop_ocr.ui.icons import app_icon
from desktop_ocr.ui.server_box import ServerBox

log = logging.getLogger(__name__)

MODES = ("tiny", "small", "base", "large", "gundam")
CHOICE_DOWNLOAD, CHOICE_FOLDER, CHOICE_EMBEDDED, CHOICE_SERVER = 0, 1, 2, 3


class _Bridge(QObject):
    """Carries results from Python threads to the GUI thread (queued signals)."""

    gpus_found = Signal(list)


class FirstRunDialog(QDialog):
    """Choose the engine on the first start (or later from the menu). Saves into ``settings``."""

    #: Emitted after the choices were saved into the settings object (and written to disk).
    settings_saved = Signal()

    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        probe: Callable[[], Sequence[Any]] = default_probe,
        addon_command: Callable[[], list[str]] = gpu_addon.install_command,
        save: bool = True,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setup = SetupService(settings, probe=probe, save_to_disk=save)
        self._addon_command = addon_command
        self.recommendation: Recommendation | None = None
        self._installer: AddonInstaller | None = None
        #: The user was told the add-on will not help without a fitting GPU and chose it anyway.
        self._gpu_warning_shown = False
        self.download_job = AsyncJob(self)
        self.download_job.progressed.connect(self._on_download_report)
        self.download_job.succeeded.connect(lambda folder: self._on_download_finished(str(folder), ""))
        self.download_job.failed.connect(lambda reason: self._on_download_finished("", reason))
        self.download_job.cancelled.connect(lambda: self._on_download_finished("", "cancelled"))
        self._bridge = _Bridge(self)
        self._bridge.gpus_found.connect(self._on_gpus_found)
        self.setWindowTitle(self.tr("Welcome to Desktop OCR"))
        self.setWindowIcon(app_icon())
        self._build()
        self._start_probe()

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        intro = QLabel(
            self.tr(
                "<h3>Welcome to Desktop OCR</h3>Choose how pages are read. "
                "You can change every choice later in the settings."
            )
        )
        intro.setWordWrap(True)
        header.addWidget(intro, 1)
        layout.addLayout(header)

        computer = QGroupBox(self.tr("Your computer"))
        form = QFormLayout(computer)
        self.gpu_label = QLabel(self.tr("Looking for a graphics card…"))
        self.gpu_label.setWordWrap(True)
        self.addon_label = QLabel()
        self.addon_label.setWordWrap(True)
        form.addRow(self.tr("Graphics card:"), self.gpu_label)
        form.addRow(self.tr("GPU add-on:"), self.addon_label)
        layout.addWidget(computer)

        self.advice_label = QLabel()
        self.advice_label.setWordWrap(True)
        self.advice_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.advice_label)

        choice_box = QGroupBox(self.tr("How should pages be read?"))
        choices = QVBoxLayout(choice_box)
        self.choice_group = QButtonGroup(self)
        self.download_radio = QRadioButton(self.tr("Download DeepSeek-OCR (6.7 GB) and read on the GPU"))
        self.folder_radio = QRadioButton(self.tr("Use a DeepSeek-OCR folder I already have:"))
        self.embedded_radio = QRadioButton(self.tr("Use the embedded engine (CPU, nothing to download)"))
        self.server_radio = QRadioButton(self.tr("Use a DeepSeek-OCR server (vLLM, SGLang, Ollama):"))
        radios = (self.download_radio, self.folder_radio, self.embedded_radio, self.server_radio)
        for i, radio in enumerate(radios):
            self.choice_group.addButton(radio, i)
        choices.addWidget(self.download_radio)
        choices.addWidget(self.folder_radio)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(24, 0, 0, 0)
        self.folder_edit = QLineEdit(self.settings.deepseek.folder)
        self.folder_edit.setPlaceholderText(self.tr("Folder with config.json and model.safetensors"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        choices.addLayout(folder_row)
        choices.addWidget(self.server_radio)
        self.server_box = ServerBox(self.settings.server, self, compact=True)
        self.server_box.setTitle("")
        self.server_box.setFlat(True)
        self.server_box.setContentsMargins(24, 0, 0, 0)
        choices.addWidget(self.server_box)
        choices.addWidget(self.embedded_radio)
        options = QFormLayout()
        self.mode_combo = QComboBox()
        for mode, title in (
            ("tiny", self.tr("Tiny (fastest, 512 px)")),
            ("small", self.tr("Small (640 px)")),
            ("base", self.tr("Base (1024 px)")),
            ("large", self.tr("Large (1280 px)")),
            ("gundam", self.tr("Gundam (1024 px + tiles; best for documents)")),
        ):
            self.mode_combo.addItem(title, mode)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 64)
        self.batch_spin.setSpecialValueText(self.tr("Automatic (from free GPU memory)"))
        options.addRow(self.tr("Resolution mode:"), self.mode_combo)
        options.addRow(self.tr("Pages per batch:"), self.batch_spin)
        choices.addLayout(options)
        layout.addWidget(choice_box)
        self.choice_group.idToggled.connect(self._update_enabled)
        self.choice_group.idToggled.connect(self._forget_gpu_warning)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox()
        self.continue_button = self.buttons.addButton(
            self.tr("Continue"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.later_button = self.buttons.addButton(
            self.tr("Decide later"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button = self.buttons.addButton(self.tr("Stop"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setVisible(False)
        self.continue_button.clicked.connect(self._continue)
        self.later_button.clicked.connect(self._later)
        self.cancel_button.clicked.connect(self._stop_work)
        layout.addWidget(self.buttons)
        self.embedded_radio.setChecked(True)
        self._show_addon_state()
        self.resize(620, self.sizeHint().height())

    def _show_addon_state(self) -> None:
        if self.setup.addon_installed():
            self.addon_label.setText(self.tr("Installed (PyTorch with CUDA, Transformers)"))
        else:
            size = gpu_addon.DOWNLOAD_BYTES_ESTIMATE / 1e9
            self.addon_label.setText(
                self.tr(
                    "Not installed yet: about {size:.1f} GB to download, installed when you pick the GPU."
                ).format(size=size)
            )

    # -- GPU detection -----------------------------------------------------------------------
    def _start_probe(self) -> None:
        self.setup.detect_gpus_in_background(self._bridge.gpus_found.emit)

    def _on_gpus_found(self, gpus: list[Any]) -> None:
        if gpus:
            lines = [
                self.tr("{name}: {memory:.1f} GB, driver {driver}, CUDA {cuda}").format(
                    name=g.name, memory=g.memory_mb / 1024, driver=g.driver or "?", cuda=g.cuda or "?"
                )
                for g in gpus
            ]
            self.gpu_label.setText("<br>".join(lines))
        else:
            self.gpu_label.setText(self.tr("No NVIDIA graphics card with a working driver was found."))
        self.apply_recommendation(self.setup.advise(gpus))

    def apply_recommendation(self, rec: Recommendation) -> None:
        """Show ``rec`` and preselect what it advises."""
        self.recommendation = rec
        self.advice_label.setText(self._advice_text(rec))
        self.mode_combo.setCurrentIndex(MODES.index(rec.mode))
        self.batch_spin.setValue(rec.batch_size)
        if rec.uses_gpu and not rec.driver_too_old:
            (self.folder_radio if self.folder_edit.text().strip() else self.download_radio).setChecked(True)
        else:
            self.embedded_radio.setChecked(True)
        self._update_enabled()

    def _advice_text(self, rec: Recommendation) -> str:
        memory = rec.gpu.memory_mb / 1024 if rec.gpu else 0.0
        texts = {
            Fit.ROOMY: self.tr(
                "<b>Recommended: DeepSeek-OCR in Gundam mode.</b> With {memory:.0f} GB the model fits with "
                "room for several pages at once."
            ),
            Fit.COMFORTABLE: self.tr(
                "<b>Recommended: DeepSeek-OCR in Gundam mode, one page at a time.</b> {memory:.0f} GB is "
                "enough, but not for batches. If a page runs out of memory, choose Base."
            ),
            Fit.TIGHT: self.tr(
                "<b>Recommended: DeepSeek-OCR in Base mode, one page at a time.</b> {memory:.0f} GB is tight: "
                "the model alone takes 6.7 GB. Large pages may run out of memory; then use Small."
            ),
            Fit.TOO_SMALL: self.tr(
                "<b>Recommended: the embedded engine.</b> {memory:.0f} GB of GPU memory is not enough for "
                "DeepSeek-OCR (6.7 GB of weights). The embedded engine reads plain text well on the CPU."
            ),
            Fit.NO_GPU: self.tr(
                "<b>Recommended: the embedded engine.</b> It reads on the CPU with models that come with "
                "the app. DeepSeek-OCR needs an NVIDIA graphics card with at least 8 GB."
            ),
        }
        text = texts[rec.fit].format(memory=memory)
        if rec.gpu_too_old and rec.gpu is not None:
            text = self.tr(
                "<b>Recommended: the embedded engine.</b> Your {gpu} (compute capability {cap}) is older than "
                "the GPU add-on supports: its PyTorch build runs on NVIDIA cards of compute capability "
                "{minimum} (Turing, 2018) or newer."
            ).format(
                gpu=rec.gpu.name, cap=getattr(rec.gpu, "compute_cap", "?"), minimum=MIN_COMPUTE_FOR_ADDON
            )
        if rec.driver_too_old:
            text += "<br>" + self.tr(
                "Your NVIDIA driver is too old for the GPU add-on: update it to version {version} or newer first."
            ).format(version=MIN_DRIVER_FOR_ADDON)
        return text

    def _update_enabled(self, *_args: object) -> None:
        gpu_choice = self.choice_group.checkedId() in (CHOICE_DOWNLOAD, CHOICE_FOLDER)
        self.mode_combo.setEnabled(gpu_choice)
        self.batch_spin.setEnabled(gpu_choice)
        self.folder_edit.setEnabled(self.choice_group.checkedId() == CHOICE_FOLDER)
        self.server_box.setEnabled(self.choice_group.checkedId() == CHOICE_SERVER)

    def _forget_gpu_warning(self, *_args: object) -> None:
        if self._gpu_warning_shown and self._installer is None:
            self._gpu_warning_shown = False
            self.continue_button.setText(self.tr("Continue"))
            self.status_label.clear()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("DeepSeek-OCR model folder"), self.folder_edit.text()
        )
        if folder:
            self.folder_edit.setText(folder)
            self.folder_radio.setChecked(True)

    # -- decisions ---------------------------------------------------------------------------
    def _later(self) -> None:
        self._save()
        self.reject()

    def _continue(self) -> None:
        choice = self.choice_group.checkedId()
        if choice == CHOICE_EMBEDDED:
            self.setup.choose_engine("embedded")
            self._finish()
            return
        if choice == CHOICE_SERVER:
            problem = self.server_box.problem()
            if problem:
                self.status_label.setText(problem)
                return
            self.server_box.apply(self.settings.server)
            self.setup.choose_engine("server")
            self._finish()
            return
        self.setup.choose_gpu_options(str(self.mode_combo.currentData()), self.batch_spin.value())
        if choice == CHOICE_FOLDER:
            report = self.setup.choose_folder(self.folder_edit.text())
            if report is None or not report.ok:
                self.status_label.setText(
                    self.tr("This folder cannot be used: {reason}").format(
                        reason=translated(report.summary()) if report else self.tr("no folder chosen")
                    )
                )
                return
        else:
            self.setup.choose_hub(
                self.recommendation.hub_id if self.recommendation else self.settings.deepseek.hub_id
            )
        self.setup.choose_engine("deepseek")
        if self.setup.addon_ready():
            self._after_addon()
        elif self._warn_before_addon():
            return
        else:
            self._install_addon()

    def _warn_before_addon(self) -> bool:
        """Without a GPU that fits, say what the add-on is for once; True: wait for a second click."""
        rec = self.recommendation
        if rec is None or self._gpu_warning_shown or (rec.uses_gpu and not rec.driver_too_old):
            return False
        self._gpu_warning_shown = True
        size = gpu_addon.DOWNLOAD_BYTES_ESTIMATE / 1e9
        if rec.fit is Fit.NO_GPU:
            why = self.tr(
                "No NVIDIA graphics card was found. The GPU add-on ({size:.1f} GB) needs one with a working "
                "driver; without it DeepSeek-OCR runs on the CPU, which takes minutes per page."
            )
        elif rec.gpu_too_old:
            why = self.tr(
                "Your graphics card is older than the GPU add-on supports (compute capability {minimum} or "
                "newer): with the add-on ({size:.1f} GB) DeepSeek-OCR would run on the CPU, which takes "
                "minutes per page."
            )
        elif rec.driver_too_old:
            why = self.tr(
                "Your NVIDIA driver is too old for the GPU add-on ({size:.1f} GB): until you update it to "
                "version {version} or newer, DeepSeek-OCR runs on the CPU, which takes minutes per page."
            )
        else:
            why = self.tr(
                "Your graphics card has too little memory for DeepSeek-OCR; with the GPU add-on "
                "({size:.1f} GB) it would mostly run on the CPU, which takes minutes per page."
            )
        self.status_label.setText(
            why.format(size=size, version=MIN_DRIVER_FOR_ADDON, minimum=MIN_COMPUTE_FOR_ADDON)
            + " "
            + self.tr(
                "Click Install Anyway to install it all the same (for example if the driver is fixed later)."
            )
        )
        self.continue_button.setText(self.tr("Install Anyway"))
        return True

    def _after_addon(self) -> None:
        if self.choice_group.checkedId() == CHOICE_DOWNLOAD:
            self._start_download()
        else:
            self._finish()

    def _finish(self) -> None:
        self._save()
        self.accept()

    def _save(self) -> None:
        """The first start is done, whatever was chosen: the service saves, the window hears of it."""
        self.setup.finish_first_run()
        self.settings_saved.emit()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.continue_button.setEnabled(not busy)
        self.later_button.setEnabled(not busy)
        self.status_label.setText(text)

    # -- the GPU add-on (pip in a separate process) -------------------------------------------
    def _install_addon(self) -> None:
        self.continue_button.setText(self.tr("Continue"))
        self._set_busy(
            True,
            self.tr(
                "Installing the GPU add-on (PyTorch with CUDA)… this downloads about {size:.1f} GB."
            ).format(size=gpu_addon.DOWNLOAD_BYTES_ESTIMATE / 1e9),
        )
        self.progress.setRange(0, 0)
        installer = AddonInstaller(self._addon_command, parent=self)
        installer.progress_changed.connect(self._on_addon_progress)
        installer.install_finished.connect(self._on_addon_finished)
        self._installer = installer
        installer.start()

    def _on_addon_progress(self, permille: int, text: str) -> None:
        if permille == BUSY:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(permille)
        self.status_label.setText(text)

    def _on_addon_finished(self, ok: bool, message: str) -> None:
        self._installer = None
        self._set_busy(False, message)
        if not ok:
            return
        self._show_addon_state()
        self._after_addon()

    # -- the model download (an asyncio task: desktop_ocr.ui.async_job) ---------------------------
    def _start_download(self) -> None:
        ds = self.settings.deepseek
        hub_id, revision = ds.hub_id, catalog.pinned_revision(ds.hub_id, ds.revision)
        self._set_busy(True, self.tr("Downloading {model}…").format(model=hub_id))
        self.progress.setRange(0, 1000)
        self.download_job.start(lambda report: self.setup.fetch_model(hub_id, revision, report=report))

    def _on_download_report(self, item: object) -> None:
        if isinstance(item, download.Progress):  # the file list that comes first shows nothing here
            self._on_download_progress(item.fraction, translated(item.describe()))

    def _on_download_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status_label.setText(text)

    def _on_download_finished(self, folder: str, error: str) -> None:
        if error == "cancelled":
            self._set_busy(False, self.tr("Download stopped. It resumes where it stopped next time."))
            return
        if error:
            self._set_busy(False, self.tr("The download failed: {reason}").format(reason=error))
            return
        self._set_busy(False, self.tr("DeepSeek-OCR is ready."))
        log.info("Model downloaded into %s", folder)
        self._finish()

    def _stop_work(self) -> None:
        if self._installer is not None:
            self._installer.stop()
        self.download_job.cancel()

    def _stop_and_wait(self) -> None:
        """Closing: stop pip and remove what it wrote; stop the download."""
        installer = self._installer
        if installer is not None:
            self._installer = None  # its finished signal must not continue into the next step
            installer.install_finished.disconnect(self._on_addon_finished)
            installer.stop_and_wait()
        self._stop_work()
        self.download_job.wait()  # without a qasync loop the download runs in a thread: let it end

    def reject(self) -> None:
        self._stop_and_wait()
        self.server_box.stop()
        super().reject()

    def accept(self) -> None:
        self.server_box.stop()
        super().accept()


def maybe_run_first_run(settings: Settings, parent: QWidget | None = None) -> FirstRunDialog | None:
    """Open the first-run dialog (non-modal over ``parent``) when it has not been done yet."""
    if settings.first_run_done:
        return None
    dialog = FirstRunDialog(settings, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
