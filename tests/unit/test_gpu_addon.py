"""The GPU add-on: its requirement list matches the deepseek extra; install and activation work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_ocr import gpu_addon

ROOT = Path(__file__).resolve().parents[2]


def test_requirements_match_the_deepseek_extra() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert tuple(project["optional-dependencies"]["deepseek"]) == gpu_addon.DEEPSEEK_REQUIREMENTS


def test_install_command_targets_the_addon_folder(tmp_path: Path) -> None:
    cmd = gpu_addon.install_command(tmp_path / "addon")
    assert cmd[:3] == [sys.executable, "-m", "pip"]
    assert cmd[cmd.index("--target") + 1] == str(tmp_path / "addon")
    assert cmd[-len(gpu_addon.DEEPSEEK_REQUIREMENTS) :] == list(gpu_addon.DEEPSEEK_REQUIREMENTS)


def test_addon_folder_is_per_python_and_under_the_data_dir() -> None:
    from desktop_ocr import paths

    folder = gpu_addon.addon_dir()
    assert folder.is_relative_to(paths.data_dir())
    assert folder.name == f"py{sys.version_info.major}{sys.version_info.minor}"


def test_activate_only_a_finished_install(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "addon"
    (folder / "fake_gpu_pkg").mkdir(parents=True)
    (folder / "fake_gpu_pkg" / "__init__.py").write_text("VALUE = 42\n")
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert gpu_addon.activate(folder) is False  # pip did not finish: not used
    assert str(folder) not in sys.path
    gpu_addon.mark_complete(folder)
    assert gpu_addon.activate(folder) is True
    assert sys.path[-1] == str(folder)
    assert gpu_addon.activate(folder) is True and sys.path.count(str(folder)) == 1
    code = f"import sys; sys.path.append({str(folder)!r}); import fake_gpu_pkg; print(fake_gpu_pkg.VALUE)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "42"


def test_install_command_really_installs(tmp_path: Path) -> None:
    """The command runs pip for real: here with a local package instead of the 3 GB set."""
    pkg = tmp_path / "src"
    (pkg / "tiny_addon_pkg").mkdir(parents=True)
    (pkg / "tiny_addon_pkg" / "__init__.py").write_text("OK = True\n")
    (pkg / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "tiny-addon-pkg"\nversion = "1.0"\n'
    )
    folder = tmp_path / "addon"
    cmd = gpu_addon.install_command(folder)
    cmd = [*cmd[: -len(gpu_addon.DEEPSEEK_REQUIREMENTS)], "--no-build-isolation", "--no-deps", str(pkg)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    gpu_addon.mark_complete(folder)
    assert (folder / "tiny_addon_pkg" / "__init__.py").is_file()
    assert gpu_addon.is_complete(folder)
