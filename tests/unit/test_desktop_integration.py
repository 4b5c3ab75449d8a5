"""install-desktop puts working desktop files under a prefix: validated, opened by the file manager's
own machinery (GIO), and removed again by --uninstall."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_ocr import bundled, desktop_integration
from desktop_ocr.desktop_integration import install, quote_exec_arg, render_desktop_file, uninstall


def _fake_launcher(folder: Path) -> Path:
    """A launcher that records the arguments the desktop passes it."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "desktop-ocr-gui"
    script.write_text('#!/bin/sh\nprintf \'%s\\n\' "$@" > "$0.args"\n')
    script.chmod(0o755)
    return script


def _gio_env(data: Path, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    env.update(XDG_DATA_HOME=str(data), XDG_CONFIG_HOME=str(tmp_path / "config-home"))
    return env


def _wait_for(path: Path, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


def test_quote_exec_arg() -> None:
    assert quote_exec_arg("/usr/bin/desktop-ocr-gui") == "/usr/bin/desktop-ocr-gui"
    assert quote_exec_arg("/opt/My Apps/ocr") == '"/opt/My Apps/ocr"'
    assert quote_exec_arg('/a"b') == '"/a\\\\"b"'
    assert quote_exec_arg("/a$b") == '"/a\\\\$b"'
    assert quote_exec_arg("/100%/x") == "/100%%/x"


def test_render_desktop_file_points_exec_at_the_launcher() -> None:
    template = (bundled.linux_dir() / bundled.DESKTOP_FILE).read_text()
    text = render_desktop_file(template, ["/opt/python/bin/python3", "-m", "desktop_ocr"])
    assert "Exec=/opt/python/bin/python3 -m desktop_ocr %F\n" in text
    assert "TryExec=/opt/python/bin/python3\n" in text
    assert text.count("Exec=") == 2  # Exec and TryExec, nothing else touched
    assert "Name[zh_CN]=" in text


def test_launcher_is_an_absolute_existing_command() -> None:
    command = desktop_integration.launcher_command()
    assert Path(command[0]).is_absolute() and Path(command[0]).exists()


def test_install_and_uninstall(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    launcher = _fake_launcher(tmp_path / "dir with space" / "bin")
    report = install(prefix, launcher=[str(launcher)])
    data = prefix / "share"
    assert report.data_dir == data
    desktop = data / "applications" / bundled.DESKTOP_FILE
    assert f'Exec="{launcher}" %F' in desktop.read_text()
    assert (data / "metainfo" / bundled.METAINFO_FILE).is_file()
    assert (data / "mime" / "packages" / bundled.MIME_FILE).is_file()
    for size in bundled.ICON_SIZES:
        assert (data / "icons/hicolor" / f"{size}x{size}/apps" / f"{bundled.APP_ICON_NAME}.png").is_file()
        assert (
            data / "icons/hicolor" / f"{size}x{size}/mimetypes" / f"{bundled.PROJECT_ICON_NAME}.png"
        ).is_file()
    assert (data / "icons/hicolor/scalable/apps" / f"{bundled.APP_ICON_NAME}.svg").is_file()
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
    if shutil.which("update-mime-database"):
        assert (data / "mime/application/x-desktop-ocr-project.xml").is_file()
        assert "update-mime-database" in " ".join(report.tools_run)
    if shutil.which("update-desktop-database"):
        assert bundled.PROJECT_MIME_TYPE in (data / "applications/mimeinfo.cache").read_text()
    assert not report.warnings

    again = install(prefix, launcher=[str(launcher)])  # idempotent
    assert sorted(again.written) == sorted(report.written)

    (data / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    removed = uninstall(prefix)
    assert sorted(removed.removed) == sorted(report.written)
    assert not desktop.exists()
    assert not list((data / "icons").rglob("*.png")) and not list((data / "icons").rglob("*.svg"))
    assert (data / "applications" / "someone-else.desktop").is_file()
    if shutil.which("update-mime-database"):
        assert not (data / "mime/application/x-desktop-ocr-project.xml").exists()


@pytest.mark.skipif(shutil.which("gio") is None, reason="gio (Debian: libglib2.0-bin) is not installed")
@pytest.mark.parametrize("kind", ["project", "project-without-suffix", "pdf"])
def test_file_manager_opens_files_with_the_app(tmp_path: Path, kind: str) -> None:
    """What a double-click does in a GLib file manager: type detection, then the default app's Exec."""
    prefix = tmp_path / "prefix"
    launcher = _fake_launcher(tmp_path / "bin")
    install(prefix, launcher=[str(launcher)])
    env = _gio_env(prefix / "share", tmp_path)
    folder = tmp_path / "my files"
    folder.mkdir()
    if kind == "pdf":
        import pymupdf

        target = folder / "scan 1.pdf"
        doc = pymupdf.open()
        doc.new_page()
        doc.save(target)
        expected_type = "application/pdf"
    else:
        target = folder / ("thesis.deskocr" if kind == "project" else "thesis.db")
        db = sqlite3.connect(target)
        db.execute("PRAGMA application_id = 0x44534F43")
        db.execute("CREATE TABLE t (x)")
        db.commit()
        db.close()
        expected_type = bundled.PROJECT_MIME_TYPE

    info = subprocess.run(
        ["gio", "info", "-a", "standard::content-type", str(target)], capture_output=True, text=True, env=env
    )
    assert f"standard::content-type: {expected_type}" in info.stdout, info.stdout + info.stderr
    default = subprocess.run(["gio", "mime", expected_type], capture_output=True, text=True, env=env)
    assert f"{bundled.DESKTOP_FILE}" in default.stdout.splitlines()[0], default.stdout

    subprocess.run(["gio", "open", str(target)], check=True, env=env, timeout=20)
    assert _wait_for(Path(f"{launcher}.args")).splitlines() == [str(target)]


def test_cli_installs_into_a_prefix(tmp_path: Path) -> None:
    prefix = tmp_path / "p"
    result = subprocess.run(
        [sys.executable, "-m", "desktop_ocr.desktop_integration", "--prefix", str(prefix)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    desktop = prefix / "share/applications" / bundled.DESKTOP_FILE
    exec_line = next(line for line in desktop.read_text().splitlines() if line.startswith("Exec="))
    assert Path(exec_line.removeprefix("Exec=").split()[0].strip('"')).is_absolute()
    result = subprocess.run(
        [sys.executable, "-m", "desktop_ocr.desktop_integration", "--uninstall", "--prefix", str(prefix)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not desktop.exists(), result.stderr


def test_unwritable_prefix_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert desktop_integration.main(["--prefix", str(blocker)]) == 1
    err = capsys.readouterr().err
    assert "cannot write under" in err and "Traceback" not in err
