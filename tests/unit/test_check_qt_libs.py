"""scripts/check_qt_libs.sh: the system libraries Qt's window lacks, named with their Debian packages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_qt_libs.sh"

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or shutil.which("bash") is None, reason="a Linux shell script"
)


def _tool(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text("#!/bin/sh\n" + body)
    exe.chmod(0o755)
    return exe


def _run(python: str, path_first: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path_first is not None:
        env["PATH"] = f"{path_first}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(["bash", str(SCRIPT), python], capture_output=True, text=True, env=env, timeout=60)


def _fake_pyside(tmp_path: Path) -> Path:
    """A Python whose PySide6 sits in tmp_path (the plugin file exists; ldd is faked)."""
    plugin = tmp_path / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF")
    (tmp_path / "PySide6" / "__init__.py").write_text("")
    return _tool(tmp_path / "py", "python", f'PYTHONPATH={tmp_path} exec {sys.executable} "$@"\n')


def test_missing_libraries_are_named_with_the_apt_get_line(tmp_path: Path) -> None:
    python = _fake_pyside(tmp_path)
    _tool(
        tmp_path / "bin",
        "ldd",
        "echo '\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x1)'\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
        "echo '\tlibxcb-keysyms.so.1 => not found'\n"
        "echo '\tlibxcb-icccm.so.4 => not found'\n"
        "echo '\tlibweird.so.9 => not found'\n",
    )
    proc = _run(str(python), tmp_path / "bin")
    assert proc.returncode == 1
    assert "lacks: libweird.so.9 libxcb-icccm.so.4 libxcb-keysyms.so.1\n" in proc.stderr  # once each
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in proc.stderr
    assert "no package known here for: libweird.so.9" in proc.stderr


def test_nothing_missing_says_nothing(tmp_path: Path) -> None:
    python = _fake_pyside(tmp_path)
    _tool(tmp_path / "bin", "ldd", "echo '\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x1)'\n")
    proc = _run(str(python), tmp_path / "bin")
    assert (proc.returncode, proc.stderr) == (0, "")


def test_no_pyside_cannot_tell(tmp_path: Path) -> None:
    python = _tool(tmp_path / "py", "python", "exit 1\n")
    proc = _run(str(python))
    assert (proc.returncode, proc.stderr) == (0, "")


def test_agrees_with_ldd_on_this_machine() -> None:
    """The real plugin and the real ldd: the script reports exactly what ldd cannot find."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file() or shutil.which("ldd") is None:
        pytest.skip("no xcb plugin or no ldd here")
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False).stdout
    missing = sorted({line.split()[0] for line in out.splitlines() if "not found" in line})
    proc = _run(sys.executable)
    assert proc.returncode == (1 if missing else 0)
    for lib in missing:
        assert lib in proc.stderr
