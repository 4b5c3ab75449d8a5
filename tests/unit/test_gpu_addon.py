"""The GPU add-on: its requirement list matches the deepseek extra; install and activation work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_ocr.setup import gpu_addon

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
    gpu_addon.prepare_install(folder)
    env = gpu_addon.install_environment(folder=folder)
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    gpu_addon.mark_complete(folder)
    assert (folder / "tiny_addon_pkg" / "__init__.py").is_file()
    assert gpu_addon.is_complete(folder)


#: What pip 23-25 prints for the add-on (--progress-bar off), shortened.
PIP_OUTPUT = """\
Looking in indexes: https://pypi.org/simple
Processing /opt/pypi-more/files/torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl
Collecting transformers==4.46.3
  Downloading transformers-4.46.3-py3-none-any.whl (10.0 MB)
Collecting addict
  Using cached addict-2.4.0-py3-none-any.whl (3.8 kB)
Collecting nvidia-cublas (from torch==2.14.1)
  Downloading nvidia_cublas-13.1.1.3-py3-none-manylinux_2_27_x86_64.whl (423.1 MB)
Installing collected packages: addict, nvidia-cublas, transformers, torch
"""


def test_progress_follows_pips_output() -> None:
    progress = gpu_addon.InstallProgress()
    lines = PIP_OUTPUT.splitlines()
    progress.feed(lines[:4])
    assert progress.phase == "resolving" and progress.packages == 2 and progress.current == "transformers"
    assert progress.downloaded_bytes == 10_000_000
    first = progress.fraction
    progress.feed(lines[4:8])
    assert progress.packages == 4 and progress.current == "nvidia-cublas"
    assert progress.downloaded_bytes == 10_000_000 + 3_800 + 423_100_000
    assert first < progress.fraction < 0.5
    progress.feed(lines[8:])
    assert progress.phase == "installing" and progress.to_install == 4 and progress.fraction == 0.5
    progress.feed(["Successfully installed addict-2.4.0 torch-2.14.1"])
    assert progress.phase == "done" and progress.fraction == 1.0
    assert not progress.error


@pytest.mark.parametrize(
    ("lines", "failure"),
    [
        (
            [
                "ERROR: Could not find a version that satisfies the requirement torch==2.14.1 (from versions: none)",
                "ERROR: No matching distribution found for torch==2.14.1",
            ],
            gpu_addon.FAILURE_NETWORK,
        ),
        (
            ["ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device"],
            gpu_addon.FAILURE_DISK,
        ),
        (["/usr/bin/python3: No module named pip"], gpu_addon.FAILURE_NO_PIP),
        (
            ["ERROR: Exception:", "Traceback (most recent call last):", "KeyError: 'x'"],
            gpu_addon.FAILURE_OTHER,
        ),
    ],
)
def test_failures_are_told_apart(lines: list[str], failure: str) -> None:
    progress = gpu_addon.InstallProgress()
    progress.feed(lines)
    assert progress.failure == failure
    assert progress.error


def test_finish_install_replaces_an_earlier_addon_only_when_done(tmp_path: Path) -> None:
    folder = tmp_path / "gpu-addon" / "py311"
    (folder / "old_pkg").mkdir(parents=True)
    gpu_addon.mark_complete(folder)
    staging = gpu_addon.prepare_install(folder)
    assert staging == gpu_addon.staging_dir(folder) and gpu_addon.temp_dir(folder).is_dir()
    (staging / "new_pkg").mkdir(parents=True)
    assert gpu_addon.is_complete(folder) and not gpu_addon.is_complete(staging)  # still the old one
    assert gpu_addon.finish_install(folder) == folder
    assert (folder / "new_pkg").is_dir() and not (folder / "old_pkg").exists()
    assert gpu_addon.is_complete(folder)
    assert sorted(p.name for p in folder.parent.iterdir()) == ["py311"]  # no staging, temp or .old


def test_a_stopped_install_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "gpu-addon" / "py311"
    staging = gpu_addon.prepare_install(folder)
    (staging / "torch").mkdir(parents=True)
    (gpu_addon.temp_dir(folder) / "pip-target-x").mkdir()
    gpu_addon.discard_partial(folder)
    assert not folder.exists() and list(folder.parent.iterdir()) == []
    assert gpu_addon.activate(folder) is False


def test_install_environment_unbuffers_pip_and_keeps_its_temp_files_with_the_addon(tmp_path: Path) -> None:
    folder = tmp_path / "addon"
    env = gpu_addon.install_environment({"PATH": "/bin", "PIP_USER": "1", "TMPDIR": "/tmp"}, folder=folder)
    assert env["PYTHONUNBUFFERED"] == "1" and env["PATH"] == "/bin"
    assert "PIP_USER" not in env and env["PIP_REQUIRE_VIRTUALENV"] == "0"
    assert env["TMPDIR"] == env["TEMP"] == env["TMP"] == str(gpu_addon.temp_dir(folder))


def test_install_command_defaults_to_the_staging_folder() -> None:
    cmd = gpu_addon.install_command()
    assert cmd[cmd.index("--target") + 1] == str(gpu_addon.staging_dir())
    assert gpu_addon.staging_dir().name == gpu_addon.addon_dir().name + ".partial"
