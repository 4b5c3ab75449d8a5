"""The first-run dialog: GPU shown, advice preselected, choices saved, the add-on installed by a process."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_ocr.settings import Settings
from desktop_ocr.setup import gpu_addon
from desktop_ocr.ui.first_run import FirstRunDialog, maybe_run_first_run

pytestmark = pytest.mark.gui


@dataclass
class Gpu:
    name: str
    memory_mb: int
    driver: str = "580.65.06"
    cuda: str = "13.0"


def _dialog(qtbot, gpus, **kwargs) -> FirstRunDialog:
    settings = Settings()
    dialog = FirstRunDialog(settings, probe=lambda: gpus, **kwargs)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.recommendation is not None, timeout=5000)
    return dialog


def test_big_gpu_preselects_the_download_in_gundam(qtbot) -> None:
    dialog = _dialog(qtbot, [Gpu("NVIDIA GeForce RTX 4090", 24564)])
    assert "RTX 4090" in dialog.gpu_label.text() and "24.0 GB" in dialog.gpu_label.text()
    assert "CUDA 13.0" in dialog.gpu_label.text() and "580.65.06" in dialog.gpu_label.text()
    assert dialog.download_radio.isChecked()
    assert dialog.mode_combo.currentData() == "gundam" and dialog.batch_spin.value() == 0
    assert "Gundam" in dialog.advice_label.text()


def test_8gb_gpu_preselects_base_with_a_warning(qtbot) -> None:
    dialog = _dialog(qtbot, [Gpu("Laptop GPU", 8188)])
    assert dialog.mode_combo.currentData() == "base" and dialog.batch_spin.value() == 1
    assert "tight" in dialog.advice_label.text()


def test_no_gpu_preselects_the_embedded_engine_and_saves_it(qtbot) -> None:
    dialog = _dialog(qtbot, [])
    assert "No NVIDIA" in dialog.gpu_label.text()
    assert dialog.embedded_radio.isChecked() and not dialog.mode_combo.isEnabled()
    dialog._continue()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    saved = Settings.load()
    assert saved.engine == "embedded" and saved.first_run_done


def test_old_driver_is_explained_and_not_preselected(qtbot) -> None:
    dialog = _dialog(qtbot, [Gpu("RTX 3090", 24576, driver="535.1", cuda="12.2")])
    assert "580" in dialog.advice_label.text()
    assert dialog.embedded_radio.isChecked()


def test_decide_later_marks_the_first_run_done(qtbot) -> None:
    dialog = _dialog(qtbot, [])
    dialog._later()
    assert Settings.load().first_run_done and Settings.load().engine == "auto"


def test_a_bad_folder_is_refused_with_a_reason(qtbot, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, [Gpu("A100", 40960)], save=False)
    dialog.folder_edit.setText(str(tmp_path))
    dialog.folder_radio.setChecked(True)
    dialog._continue()
    assert dialog.result() != FirstRunDialog.DialogCode.Accepted
    assert "cannot be used" in dialog.status_label.text()
    assert not dialog.settings.first_run_done


def test_addon_install_runs_as_a_process_then_continues(qtbot, tmp_path: Path, monkeypatch) -> None:
    """Picking the GPU without the add-on runs the installer process; exit 0 marks it complete."""
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    ran = tmp_path / "installer-ran"
    command = [
        sys.executable,
        "-c",
        f"import pathlib; print('Collecting torch'); pathlib.Path({str(ran)!r}).touch()",
    ]
    dialog = _dialog(qtbot, [Gpu("A100", 40960)], addon_command=lambda: command)
    dialog.embedded_radio.setChecked(False)
    # Use the folder route so the test does not reach the network after the install.
    monkeypatch.setattr(
        "desktop_ocr.setup.folder.inspect_folder",
        lambda folder: type("R", (), {"ok": True, "summary": lambda self: "ok"})(),
    )
    dialog.folder_edit.setText(str(tmp_path))
    dialog.folder_radio.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        dialog._continue()
    assert ran.is_file()
    assert gpu_addon.is_complete()
    saved = Settings.load()
    assert saved.engine == "deepseek" and saved.deepseek.source == "folder"
    assert saved.deepseek.folder == str(tmp_path) and saved.deepseek.mode == "gundam"


def test_failed_addon_install_keeps_the_dialog_open(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    dialog = _dialog(
        qtbot, [Gpu("A100", 40960)], addon_command=lambda: [sys.executable, "-c", "raise SystemExit(3)"]
    )
    assert dialog.download_radio.isChecked()
    dialog._continue()
    qtbot.waitUntil(lambda: "failed" in dialog.status_label.text(), timeout=30000)
    assert "3" in dialog.status_label.text()
    assert dialog.continue_button.isEnabled()
    assert not gpu_addon.is_complete()


def test_maybe_run_first_run_only_once(qtbot) -> None:
    settings = Settings(first_run_done=True)
    assert maybe_run_first_run(settings) is None


def _folder_route(dialog: FirstRunDialog, tmp_path: Path, monkeypatch) -> None:
    """Pick 'a folder I have' with a folder the check accepts (the model itself is not the point)."""
    monkeypatch.setattr(
        "desktop_ocr.setup.folder.inspect_folder",
        lambda folder: type("R", (), {"ok": True, "summary": lambda self: "ok"})(),
    )
    dialog.folder_edit.setText(str(tmp_path))
    dialog.folder_radio.setChecked(True)


def _script(tmp_path: Path, body: str) -> list[str]:
    script = tmp_path / "fake_pip.py"
    script.write_text(body)
    return [sys.executable, str(script)]


def test_without_a_gpu_the_addon_is_explained_then_installed_on_a_second_click(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    command = _script(tmp_path, "print('Collecting torch==2.14.1')\n")
    dialog = _dialog(qtbot, [], addon_command=lambda: command, save=False)
    _folder_route(dialog, tmp_path, monkeypatch)
    dialog.continue_button.click()
    assert "No NVIDIA graphics card" in dialog.status_label.text()
    assert dialog.continue_button.text() == "Install Anyway" and dialog.continue_button.isEnabled()
    assert dialog._installer is None and not gpu_addon.is_complete()
    dialog.embedded_radio.setChecked(True)  # changing the choice takes the warning back
    assert dialog.continue_button.text() == "Continue" and not dialog.status_label.text()
    dialog.folder_radio.setChecked(True)
    dialog.continue_button.click()
    assert dialog.continue_button.text() == "Install Anyway"
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        dialog.continue_button.click()
    assert gpu_addon.is_complete() and str(gpu_addon.addon_dir()) in sys.path
    assert dialog.settings.engine == "deepseek"


def test_pips_progress_is_shown_while_it_runs(qtbot, tmp_path: Path, monkeypatch) -> None:
    """No flush in the fake pip: the dialog must still see each line as it comes (unbuffered)."""
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    go_on = tmp_path / "go-on"
    command = _script(
        tmp_path,
        "import pathlib, time\n"
        "print('Collecting torch==2.14.1')\n"
        "print('  Downloading torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl (555.0 MB)')\n"
        f"while not pathlib.Path({str(go_on)!r}).exists(): time.sleep(0.05)\n"
        "print('Installing collected packages: torch, triton')\n"
        "time.sleep(30)\n",
    )
    dialog = _dialog(qtbot, [Gpu("A100", 40960)], addon_command=lambda: command, save=False)
    _folder_route(dialog, tmp_path, monkeypatch)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: "555 MB" in dialog.status_label.text(), timeout=15000)
    assert "torch" in dialog.status_label.text() and dialog.progress.maximum() == 1000
    assert 0 < dialog.progress.value() < 500 and not dialog.continue_button.isEnabled()
    go_on.touch()
    qtbot.waitUntil(lambda: "Installing 2 packages" in dialog.status_label.text(), timeout=15000)
    assert dialog.progress.maximum() == 0  # busy: pip says nothing while it unpacks
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog._installer is None, timeout=15000)
    assert "stopped" in dialog.status_label.text()


def test_stopping_the_install_keeps_nothing(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    command = _script(
        tmp_path,
        "import pathlib, time\n"
        f"target = pathlib.Path({str(gpu_addon.staging_dir())!r})\n"
        "(target / 'torch').mkdir(parents=True)\n"
        "(target / 'torch' / '__init__.py').write_text('')\n"
        "print('Installing collected packages: torch')\n"
        "time.sleep(60)\n",
    )
    dialog = _dialog(qtbot, [Gpu("A100", 40960)], addon_command=lambda: command, save=False)
    _folder_route(dialog, tmp_path, monkeypatch)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: "Installing 1 packages" in dialog.status_label.text(), timeout=15000)
    assert gpu_addon.staging_dir().is_dir()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog._installer is None, timeout=15000)
    assert "stopped" in dialog.status_label.text() and dialog.continue_button.isEnabled()
    assert not gpu_addon.staging_dir().exists() and not gpu_addon.temp_dir().exists()
    assert not gpu_addon.is_complete() and dialog.result() != FirstRunDialog.DialogCode.Accepted


def test_closing_the_dialog_during_the_install_stops_pip(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    command = _script(tmp_path, "import time\nprint('Collecting torch')\ntime.sleep(60)\n")
    dialog = _dialog(qtbot, [Gpu("A100", 40960)], addon_command=lambda: command, save=False)
    _folder_route(dialog, tmp_path, monkeypatch)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: "torch" in dialog.status_label.text(), timeout=15000)
    installer = dialog._installer
    assert installer is not None and installer.running
    dialog.reject()  # Escape
    assert not installer.running and dialog._installer is None
    assert not gpu_addon.is_complete() and not gpu_addon.staging_dir().exists()
    assert not dialog.settings.first_run_done


def test_a_network_failure_is_explained(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    command = _script(
        tmp_path,
        "import sys\nprint('ERROR: Could not find a version that satisfies the requirement torch==2.14.1')\n"
        "print('ERROR: No matching distribution found for torch==2.14.1')\nsys.exit(1)\n",
    )
    dialog = _dialog(qtbot, [Gpu("A100", 40960)], addon_command=lambda: command, save=False)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: dialog._installer is None, timeout=15000)
    text = dialog.status_label.text()
    assert "could not be downloaded" in text and "internet connection" in text
    assert "No matching distribution found for torch==2.14.1" in text
    assert dialog.continue_button.isEnabled() and not gpu_addon.is_complete()
    assert not gpu_addon.staging_dir().exists()


@pytest.mark.skipif(sys.platform == "win32", reason="the fake nvidia-smi is a shell script")
def test_a_volta_card_found_by_nvidia_smi_is_explained_before_the_addon(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The real probe asks an nvidia-smi on PATH; a 32 GB V100 (compute 7.0) must not get the add-on advised."""
    from desktop_ocr.setup import gpu_probe

    smi = tmp_path / "bin" / "nvidia-smi"
    smi.parent.mkdir()
    smi.write_text(
        "#!/bin/sh\n"
        'case "$1" in\n'
        "  --query-gpu=index,compute_cap*) echo '0, 7.0';;\n"
        "  --query-gpu*) echo '0, Tesla V100-SXM2-32GB, 32768, 580.65.06, GPU-v100';;\n"
        "  *) echo '| NVIDIA-SMI 580.65.06   Driver Version: 580.65.06   CUDA Version: 13.0 |';;\n"
        "esac\n"
    )
    smi.chmod(0o755)
    monkeypatch.setenv("PATH", f"{smi.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.setattr(gpu_probe, "_cache", None)
    monkeypatch.setattr(gpu_addon, "is_available", lambda: False)
    ran = tmp_path / "pip-ran"
    command = _script(tmp_path, f"open({str(ran)!r}, 'w').close()\n")
    dialog = FirstRunDialog(Settings(), addon_command=lambda: command, save=False)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.recommendation is not None, timeout=10000)
    assert "Tesla V100-SXM2-32GB" in dialog.gpu_label.text()
    advice = dialog.advice_label.text()
    assert "compute capability 7.0" in advice and "7.5" in advice
    assert dialog.embedded_radio.isChecked()
    _folder_route(dialog, tmp_path, monkeypatch)
    dialog.continue_button.click()
    assert "older than the GPU add-on supports" in dialog.status_label.text()
    assert dialog.continue_button.text() == "Install Anyway"
    assert dialog._installer is None and not ran.exists()
