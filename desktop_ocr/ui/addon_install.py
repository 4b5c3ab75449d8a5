"""Runs the GPU add-on install (pip in a QProcess) and words its progress and failures for the user.

Used by the first-run assistant. pip writes into a staging folder; only an install that exited 0 is
marked complete and moved into place (desktop_ocr.setup.gpu_addon), so a failed or stopped one leaves
nothing the next start would use. Every line pip prints goes to the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from desktop_ocr.setup import gpu_addon

log = logging.getLogger(__name__)

#: progress_changed's value while the bar should only show that work goes on.
BUSY = -1


class AddonInstaller(QObject):
    """One install at a time. ``start()``, then ``progress_changed`` ... ``install_finished``."""

    #: Per mille done (or BUSY), and a line saying what happens now.
    progress_changed = Signal(int, str)
    #: True when the add-on is installed and on sys.path; the message to show either way.
    install_finished = Signal(bool, str)

    def __init__(
        self,
        command: Callable[[], list[str]] = gpu_addon.install_command,
        folder: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._command = command
        self._folder = folder
        self._process: QProcess | None = None
        self._progress = gpu_addon.InstallProgress()
        self._stopping = False
        self._started_at = 0.0
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._report)

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self) -> bool:
        """Start pip; False (and ``install_finished`` with the reason) when it cannot run."""
        if self._process is not None:
            return True
        if gpu_addon.pip_missing():
            self._finish(
                False,
                self.tr(
                    "This Python has no pip, which installs the GPU add-on. Install pip for it "
                    "(for example the python3-pip package, or: python -m ensurepip) and try again."
                ),
            )
            return False
        try:
            gpu_addon.prepare_install(self._folder)
        except OSError as exc:
            self._finish(False, self.tr("The add-on folder cannot be written: {error}").format(error=exc))
            return False
        command = self._command()
        log.info("Installing the GPU add-on: %s", " ".join(command))
        self._progress = gpu_addon.InstallProgress()
        self._stopping = False
        self._started_at = time.monotonic()
        process = QProcess(self)
        environment = QProcessEnvironment()
        for key, value in gpu_addon.install_environment(folder=self._folder).items():
            environment.insert(key, value)
        process.setProcessEnvironment(environment)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._on_output)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        process.start(command[0], command[1:])
        self._ticker.start()
        self._report()
        return True

    def stop(self) -> None:
        """Stop pip; ``install_finished`` follows when it has ended."""
        if self._process is not None:
            self._stopping = True
            self._process.kill()

    def stop_and_wait(self, msecs: int = 5000) -> None:
        """Stop pip and wait for it (closing the dialog): what it wrote is removed."""
        process = self._process
        if process is None:
            return
        self.stop()
        process.waitForFinished(msecs)
        if self._process is not None:  # finished did not arrive in time
            self._process = None
            self._ticker.stop()
            gpu_addon.discard_partial(self._folder)

    # -- pip's output --------------------------------------------------------------------------
    def _on_output(self) -> None:
        if self._process is None:
            return
        text = bytes(self._process.readAllStandardOutput().data()).decode("utf-8", "replace")
        lines = text.splitlines()
        for line in lines:
            if line.strip():
                log.info("pip: %s", line.rstrip())
        self._progress.feed(lines)
        self._report()

    def _report(self) -> None:
        p = self._progress
        elapsed = int(time.monotonic() - self._started_at)
        clock = f"{elapsed // 60}:{elapsed % 60:02d}"
        if self._stopping:
            self.progress_changed.emit(BUSY, self.tr("Stopping…"))
        elif p.phase == "done":
            self.progress_changed.emit(1000, self.tr("Putting the GPU add-on in place…"))
        elif p.phase == "installing":
            self.progress_changed.emit(
                BUSY,
                self.tr(
                    "Installing {n} packages into the app's folder ({clock}; this takes a few minutes, "
                    "nothing more is downloaded)…"
                ).format(n=p.to_install, clock=clock),
            )
        elif p.packages == 0:
            self.progress_changed.emit(BUSY, self.tr("Starting pip ({clock})…").format(clock=clock))
        else:
            self.progress_changed.emit(
                int(p.fraction * 1000),
                self.tr(
                    "Getting {package} ({clock}): {n} of about {total} packages, {mb:.0f} MB downloaded…"
                ).format(
                    package=p.current,
                    clock=clock,
                    n=p.packages,
                    total=gpu_addon.PACKAGE_COUNT_ESTIMATE,
                    mb=p.downloaded_bytes / 1e6,
                ),
            )

    # -- the end ----------------------------------------------------------------------------------
    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            program = self._process.program()
            self._process = None
            self._ticker.stop()
            gpu_addon.discard_partial(self._folder)
            self._finish(
                False,
                self.tr("The GPU add-on installer could not start ({program}).").format(program=program),
            )

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        if self._process is None:
            return
        self._on_output()
        self._process = None
        self._ticker.stop()
        if self._stopping:
            gpu_addon.discard_partial(self._folder)
            self._finish(False, self.tr("Installation stopped. Nothing was kept; you can start it again."))
            return
        if status != QProcess.ExitStatus.NormalExit or code != 0:
            gpu_addon.discard_partial(self._folder)
            log.error("The GPU add-on install failed (exit code %s): %s", code, self._progress.error)
            self._finish(False, self._failure_text(code))
            return
        try:
            folder = gpu_addon.finish_install(self._folder)
        except OSError as exc:
            log.exception("Could not move the GPU add-on into place")
            self._finish(
                False,
                self.tr(
                    "The GPU add-on was downloaded but could not be moved into place: {error}. "
                    "Restart the app and try again."
                ).format(error=exc),
            )
            return
        gpu_addon.activate(folder)
        size = gpu_addon.folder_size(folder) / 1e9
        log.info("GPU add-on installed in %s (%.2f GB)", folder, size)
        self._finish(True, self.tr("The GPU add-on is installed ({size:.1f} GB).").format(size=size))

    def _failure_text(self, code: int) -> str:
        p = self._progress
        said = p.error or (p.lines[-1] if p.lines else "")
        if p.failure == gpu_addon.FAILURE_NETWORK:
            text = self.tr(
                "The GPU add-on could not be downloaded: check the internet connection (and proxy "
                "settings), then try again."
            )
        elif p.failure == gpu_addon.FAILURE_DISK:
            text = self.tr(
                "There is not enough disk space for the GPU add-on: it needs about {size:.0f} GB free."
            ).format(size=gpu_addon.INSTALLED_BYTES_ESTIMATE / 1e9 + 1)
        elif p.failure == gpu_addon.FAILURE_NO_PIP:
            text = self.tr(
                "This Python has no pip, which installs the GPU add-on. Install pip and try again."
            )
        else:
            text = self.tr("Installing the GPU add-on failed (exit code {code}).").format(code=code)
        if said:
            text += " " + self.tr("pip said: {line}").format(line=said[:300])
        return text + " " + self.tr("Nothing was kept; the details are in the log.")

    def _finish(self, ok: bool, message: str) -> None:
        self.install_finished.emit(ok, message)
