"""``python -m desktop_ocr`` dispatches its subcommands like the installed launcher."""

from __future__ import annotations

import subprocess
import sys


def test_install_desktop_through_the_main_entry(tmp_path):
    prefix = tmp_path / "prefix"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop_ocr",
            "--basedir",
            str(tmp_path / "base"),
            "install-desktop",
            "--prefix",
            str(prefix),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    desktop = list(prefix.rglob("*.desktop"))
    assert desktop, f"no .desktop file under {prefix}: {proc.stdout} {proc.stderr}"
    assert "MimeType=" in desktop[0].read_text()
    assert list(prefix.rglob("desktop-ocr-mime.xml")) or list(prefix.rglob("*.xml"))


def test_smoke_flag_without_files_explains_itself(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_ocr", "--basedir", str(tmp_path), "--smoke-test"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "usage" in proc.stderr
