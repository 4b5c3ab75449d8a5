"""The Model dialog: pick DeepSeek-OCR from the hub (pinned revision, download with progress) or a folder.

Shows the size before anything is downloaded and the free disk space; downloads with speed and ETA,
cancel and resume; honours offline mode; and asks once, listing the code files, before the model's
own code may run. ``ModelDialog(settings, parent)``; on "Use this model" the settings are updated and
saved and ``model_chosen(folder)`` is emitted. The work (where a model is, the one download path, trust,
saving the choice) is the set-up service's (desktop_ocr.setup.service); this dialog shows it.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_ocr import paths
from desktop_ocr.i18n import translated
from desktop_ocr.settings import Settings
from desktop_ocr.setup import catalog
from desktop_ocr.setup import download as dl
from desktop_ocr.setup.folder import FolderReport, hf_cache_snapshots, inspect_folder
from desktop_ocr.setup.service import SetupService
from desktop_ocr.ui.async_job import AsyncJob

log = logging.getLogger(__name__)


class ModelDialog(QDialog):
    model_chosen = Signal(str)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("DeepSeek-OCR model"))
        self.settings = settings
        self.setup = SetupService(settings)
        self.manifest: dl.Manifest | None = None
        self.report: FolderReport | None = None
        self.last_progress: dl.Progress | None = None
        self.size_job = AsyncJob(self)
        self.download_job = AsyncJob(self)
        self._build()
        self._load(settings)
        self.download_job.progressed.connect(self._download_progressed)
        self.download_job.succeeded.connect(self._download_done)
        self.download_job.failed.connect(self._download_failed)
        self.download_job.cancelled.connect(self._download_cancelled)
        self.download_job.finished.connect(self._refresh)
        self._source_changed()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.hub_radio = QRadioButton(self.tr("Download from the Hugging Face hub"))
        self.folder_radio = QRadioButton(self.tr("Use a folder I already have"))
        self.hub_box = QGroupBox(self.tr("Hub model"))
        g = QGridLayout(self.hub_box)
        self.model_combo = QComboBox()
        for m in catalog.KNOWN_MODELS:
            text = self.tr("{title} — {hub_id} ({size}, {params} parameters)").format(
                title=m.title, hub_id=m.hub_id, size=m.size_text, params=m.params
            )
            self.model_combo.addItem(text, m.hub_id)
        self.revision_edit = QLineEdit()
        self.revision_edit.setPlaceholderText(self.tr("40-character commit hash"))
        self.pin_button = QPushButton(self.tr("Use the tested pin"))
        self.latest_button = QPushButton(self.tr("Look up newest commit"))
        self.pin_label = QLabel()
        self.pin_label.setWordWrap(True)
        self.size_label = QLabel()
        self.size_label.setWordWrap(True)
        self.disk_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.download_button = QPushButton(self.tr("Download"))
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.delete_button = QPushButton(self.tr("Delete downloaded files"))
        self.cache_label = QLabel()
        self.cache_label.setWordWrap(True)
        self.cache_button = QPushButton(self.tr("Use this copy"))
        row = 0
        for label, w in ((self.tr("Model"), self.model_combo), (self.tr("Revision"), self.revision_edit)):
            g.addWidget(QLabel(label), row, 0)
            g.addWidget(w, row, 1, 1, 3)
            row += 1
        g.addWidget(self.pin_label, row, 1)
        g.addWidget(self.pin_button, row, 2)
        g.addWidget(self.latest_button, row, 3)
        row += 1
        for status in (self.size_label, self.disk_label, self.progress, self.status_label):
            g.addWidget(status, row, 0, 1, 4)
            row += 1
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.cancel_button)
        g.addLayout(buttons, row, 0, 1, 4)
        g.addWidget(self.cache_label, row + 1, 0, 1, 3)
        g.addWidget(self.cache_button, row + 1, 3)

        self.folder_box = QGroupBox(self.tr("Model folder"))
        f = QGridLayout(self.folder_box)
        self.folder_edit = QLineEdit()
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.folder_status = QLabel()
        self.folder_status.setWordWrap(True)
        f.addWidget(self.folder_edit, 0, 0)
        f.addWidget(self.browse_button, 0, 1)
        f.addWidget(self.folder_status, 1, 0, 1, 2)

        self.offline_check = QCheckBox(self.tr("Offline mode: never connect to the network"))
        self.trust_box = QGroupBox(self.tr("The model's own code"))
        t = QVBoxLayout(self.trust_box)
        self.trust_text = QPlainTextEdit()
        self.trust_text.setReadOnly(True)
        self.trust_text.setMinimumHeight(150)
        self.trust_check = QCheckBox(
            self.tr("I trust this model's code and allow it to run on this computer")
        )
        t.addWidget(self.trust_text)
        t.addWidget(self.trust_check)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.use_button = self.buttons.addButton(
            self.tr("Use this model"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        layout = QVBoxLayout(self)
        for part in (self.hub_radio, self.hub_box, self.folder_radio, self.folder_box):
            layout.addWidget(part)
        layout.addWidget(self.offline_check)
        layout.addWidget(self.trust_box)
        layout.addWidget(self.buttons)

        self.hub_radio.toggled.connect(self._source_changed)
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        self.revision_edit.editingFinished.connect(self._revision_changed)
        self.pin_button.clicked.connect(self._use_pin)
        self.latest_button.clicked.connect(self._look_up_latest)
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.download_job.cancel)
        self.delete_button.clicked.connect(self.delete_download)
        self.cache_button.clicked.connect(self._use_cache_copy)
        self.browse_button.clicked.connect(self._browse)
        self.folder_edit.editingFinished.connect(self._refresh)
        self.offline_check.toggled.connect(self._offline_toggled)
        self.trust_check.toggled.connect(self._update_buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _load(self, s: Settings) -> None:
        ds = s.deepseek
        (self.folder_radio if ds.source == "folder" else self.hub_radio).setChecked(True)
        idx = self.model_combo.findData(ds.hub_id)
        self.model_combo.setCurrentIndex(max(idx, 0))
        self.revision_edit.setText(catalog.pinned_revision(self.hub_id(), ds.revision if idx >= 0 else ""))
        self.folder_edit.setText(ds.folder)
        forced = dl.offline_forced_by_env()
        self.offline_check.setChecked(s.offline or forced)
        self.offline_check.setEnabled(not forced)
        if forced:
            self.offline_check.setToolTip(self.tr("Set by the HF_HUB_OFFLINE environment variable."))

    # -- current choice -------------------------------------------------------------------------
    def hub_id(self) -> str:
        return str(self.model_combo.currentData())

    def revision(self) -> str:
        return self.revision_edit.text().strip().lower()

    def offline(self) -> bool:
        return dl.is_offline(self.offline_check.isChecked())

    def current_folder(self) -> Path | None:
        if self.folder_radio.isChecked():
            text = self.folder_edit.text().strip()
            return Path(text).expanduser() if text else None
        return self.setup.local_model(self.hub_id(), self.revision())

    def location(self) -> str:
        if self.folder_radio.isChecked():
            folder = self.current_folder()
            return str(folder.resolve()) if folder else ""
        return f"{self.hub_id()}@{self.revision()}"

    # -- reactions -------------------------------------------------------------------------------
    def _source_changed(self) -> None:
        hub = self.hub_radio.isChecked()
        self.hub_box.setEnabled(hub)
        self.folder_box.setEnabled(not hub)
        self._revision_changed()

    def _model_changed(self) -> None:
        self._use_pin()

    def _use_pin(self) -> None:
        known = catalog.by_hub_id(self.hub_id())
        self.revision_edit.setText(known.default_revision if known else "")
        self._revision_changed()

    def _offline_toggled(self) -> None:
        if self.offline():
            self.size_job.cancel()
            self.download_job.cancel()
        self._revision_changed()

    def _revision_changed(self) -> None:
        """A new model/revision: forget the old manifest and ask the hub for the exact size."""
        self.manifest = None
        self.size_job.cancel()
        known = catalog.by_hub_id(self.hub_id())
        if known and self.revision() == known.default_revision:
            self.pin_label.setText(self.tr("Pinned: {0}").format(known.revision_note))
        elif self.revision():
            self.pin_label.setText(
                self.tr("Not the tested pin: check this commit on the hub before trusting it.")
            )
        else:
            self.pin_label.setText("")
        self.progress.setValue(0)
        self.last_progress = None
        self.status_label.setText("")
        online_hub = self.hub_radio.isChecked() and not self.offline()
        if (
            online_hub
            and catalog.is_commit_hash(self.revision())
            and not self.setup.local_model(self.hub_id(), self.revision())
        ):
            self._fetch_size(self.revision())
        self._refresh()

    def _fetch_size(self, revision: str) -> None:
        """Ask the hub for the file list (exact size); an older question still running is dropped."""
        self.size_job.cancel()
        self.size_job = AsyncJob(self)
        self.size_job.succeeded.connect(self._manifest_arrived)
        self.size_job.failed.connect(self._size_failed)
        self.size_job.finished.connect(self._refresh)
        hub_id, offline = self.hub_id(), self.offline()
        self.size_job.start(lambda report: self.setup.fetch_manifest(hub_id, revision, offline=offline))
        self._refresh()

    def _look_up_latest(self) -> None:
        self.manifest = None
        self.status_label.setText(self.tr("Asking the hub for the newest commit…"))
        self._fetch_size("main")

    def _manifest_arrived(self, manifest: dl.Manifest) -> None:
        if manifest.repo_id != self.hub_id():
            return
        if manifest.revision == "main":
            self.revision_edit.setText(manifest.commit)
            self.status_label.setText(
                self.tr("Newest commit {0}: not the tested pin. Check it before trusting its code.").format(
                    manifest.commit[:10]
                )
            )
            known = catalog.by_hub_id(self.hub_id())
            if not known or manifest.commit != known.default_revision:
                self.pin_label.setText(self.tr("Not the tested pin: check this commit on the hub."))
        elif manifest.commit != self.revision():
            return
        self.manifest = manifest
        self._refresh()

    def _size_failed(self, message: str) -> None:
        self.status_label.setText(message)
        self._refresh()

    def _use_cache_copy(self) -> None:
        snaps = hf_cache_snapshots(self.hub_id())
        if snaps:
            self.folder_edit.setText(str(snaps[-1]))
            self.folder_radio.setChecked(True)
            self._refresh()

    def _browse(self) -> None:
        start = self.folder_edit.text() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the model folder"), start)
        if chosen:
            self.folder_edit.setText(chosen)
            self._refresh()

    # -- download ------------------------------------------------------------------------------
    def start_download(self) -> None:
        if self.download_job.running or self.offline() or not catalog.is_commit_hash(self.revision()):
            return
        hub_id, revision, manifest = self.hub_id(), self.revision(), self.manifest
        self.status_label.setText(self.tr("Starting…"))
        self.download_job.start(
            lambda report: self.setup.fetch_model(hub_id, revision, manifest=manifest, report=report)
        )
        self._refresh()

    def delete_download(self) -> None:
        """Free the disk space of this revision's download (complete or partial), after asking."""
        if self.download_job.running or not catalog.is_commit_hash(self.revision()):
            return
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            self.tr("Delete the downloaded files of {0} at {1}? You can download them again later.").format(
                self.hub_id(), self.revision()[:10]
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            freed = self.setup.delete_download(self.hub_id(), self.revision())
        except OSError as exc:
            self.status_label.setText(self.tr("Could not delete the files: {0}").format(exc))
            return
        self._revision_changed()
        self.status_label.setText(self.tr("Deleted {0}.").format(dl.format_size(freed)))

    def _download_progressed(self, item: object) -> None:
        if isinstance(item, dl.Manifest):
            self.manifest = item
            self._refresh()
            return
        if not isinstance(item, dl.Progress):
            return
        self.last_progress = item
        self.progress.setValue(int(item.fraction * 1000))
        self.progress.setFormat(f"{item.fraction * 100:.0f} %")
        self.status_label.setText(translated(item.describe()))

    def _download_done(self, folder: Path) -> None:
        self.progress.setValue(1000)
        self.status_label.setText(self.tr("Downloaded and verified: {0}").format(folder))

    def _download_failed(self, message: str) -> None:
        self.status_label.setText(message)

    def _download_cancelled(self) -> None:
        kept = self.last_progress.done if self.last_progress else 0
        self.status_label.setText(
            self.tr("Download paused with {0} kept. Press Resume to continue.").format(dl.format_size(kept))
        )

    # -- state ---------------------------------------------------------------------------------
    def _refresh(self) -> None:
        hub_mode = self.hub_radio.isChecked()
        folder = self.current_folder()
        self.report = inspect_folder(folder) if folder else None
        self._show_size(folder)
        snaps = hf_cache_snapshots(self.hub_id()) if hub_mode else []
        self.cache_label.setText(
            self.tr("Found in your Hugging Face cache: {0}").format(snaps[-1])
            if snaps and folder is None
            else ""
        )
        self.cache_button.setVisible(bool(snaps) and folder is None)
        if not hub_mode:
            self.folder_status.setText(
                translated(self.report.summary())
                if self.report
                else self.tr("Choose the folder that holds config.json.")
            )
        self._show_trust(folder)
        self._update_buttons()

    def _show_size(self, folder: Path | None) -> None:
        known = catalog.by_hub_id(self.hub_id())
        free = shutil.disk_usage(paths.models_dir()).free
        if folder is not None and self.hub_radio.isChecked():
            self.size_label.setText(self.tr("Already on this computer: {0}").format(folder))
            self.disk_label.setText("")
            return
        if self.manifest is not None:
            dest = dl.snapshot_dir(self.manifest.repo_id, self.manifest.commit)
            have = dl.bytes_present(self.manifest, dest)
            need = self.manifest.total_size - have
            text = self.tr("Size: {0} in {1} files").format(
                dl.format_size(self.manifest.total_size), len(self.manifest.files)
            )
            if have:
                text += self.tr(" · {0} already downloaded").format(dl.format_size(have))
            self.size_label.setText(text)
            short = free < need + dl.DISK_MARGIN
            self.disk_label.setText(
                self.tr("Free space in {0}: {1}{2}").format(
                    paths.models_dir(),
                    dl.format_size(free),
                    self.tr(" — not enough, {0} needed").format(dl.format_size(need + dl.DISK_MARGIN))
                    if short
                    else "",
                )
            )
            self.disk_label.setStyleSheet("color: #c0392b;" if short else "")
            return
        approx = (
            self.tr("about {0} (published size)").format(known.size_text) if known else self.tr("unknown")
        )
        checking = self.tr(" · checking the exact size…") if self.size_job.running else ""
        self.size_label.setText(self.tr("Size: {0}{1}").format(approx, checking))
        self.disk_label.setText(
            self.tr("Free space in {0}: {1}").format(paths.models_dir(), dl.format_size(free))
        )
        self.disk_label.setStyleSheet("")

    def _show_trust(self, folder: Path | None) -> None:
        ok = self.report is not None and self.report.ok and folder is not None
        self.trust_box.setVisible(True)
        self.trust_check.setEnabled(ok)
        if not ok or folder is None:
            self.trust_text.setPlainText(
                self.tr("The list of code files to review appears here once the model is on disk.")
            )
            self.trust_check.setChecked(False)
            return
        state = self.setup.trust_state(self.location(), folder)
        text = translated(state.question)
        if state.changed:
            text = self.tr("The code changed since you last allowed it.") + "\n\n" + text
        self.trust_text.setPlainText(text)
        self.trust_check.setChecked(state.trusted)

    def _update_buttons(self) -> None:
        hub_mode = self.hub_radio.isChecked()
        running = self.download_job.running
        complete = self.current_folder() is not None and hub_mode
        can_download = hub_mode and not running and not complete and not self.offline()
        can_download = can_download and catalog.is_commit_hash(self.revision())
        self.download_button.setEnabled(can_download)
        present = 0
        if self.manifest is not None:
            dest = dl.snapshot_dir(self.manifest.repo_id, self.manifest.commit)
            present = dl.bytes_present(self.manifest, dest)
        if running:
            label = self.tr("Downloading…")
        elif complete:
            label = self.tr("Downloaded")
        elif self.manifest is not None and 0 < present < self.manifest.total_size:
            label = self.tr("Resume download")
        else:
            label = self.tr("Download")
        self.download_button.setText(label)
        self.cancel_button.setEnabled(running)
        own = (
            dl.snapshot_dir(self.hub_id(), self.revision())
            if catalog.is_commit_hash(self.revision())
            else None
        )
        self.delete_button.setVisible(hub_mode and own is not None and own.is_dir())
        self.delete_button.setEnabled(not running)
        self.latest_button.setEnabled(hub_mode and not running and not self.offline())
        for w in (self.model_combo, self.revision_edit, self.pin_button, self.hub_radio, self.folder_radio):
            w.setEnabled(not running)
        if hub_mode and not catalog.is_commit_hash(self.revision()) and not running:
            self.status_label.setText(
                self.tr(
                    "A revision must be a full 40-character commit hash; 'Look up newest commit' finds one."
                )
            )
        if self.offline() and hub_mode and self.current_folder() is None:
            self.status_label.setText(
                self.tr("Offline: nothing will be downloaded. Use a folder you already have, or go online.")
            )
        ready = self.report is not None and self.report.ok and self.trust_check.isChecked() and not running
        self.use_button.setEnabled(ready)

    # -- closing ---------------------------------------------------------------------------------
    def accept(self) -> None:
        folder = self.current_folder()
        if folder is None or self.report is None or not self.report.ok or not self.trust_check.isChecked():
            return
        if self.folder_radio.isChecked():
            self.setup.choose_model(folder, self.location())
        else:
            self.setup.choose_model(folder, self.location(), hub_id=self.hub_id(), revision=self.revision())
        self.setup.set_offline(self.offline_check.isChecked())
        error = self.setup.save()
        if error:
            QMessageBox.warning(
                self, self.windowTitle(), self.tr("Settings could not be saved: {0}").format(error)
            )
        self.model_chosen.emit(str(folder))
        self._stop_jobs()
        super().accept()

    def reject(self) -> None:
        self._stop_jobs()
        super().reject()

    def _stop_jobs(self) -> None:
        for job in (self.size_job, self.download_job):
            job.cancel()
            job.wait()
