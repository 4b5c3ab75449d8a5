"""The GPU add-on: torch with CUDA, transformers and the rest of the ``deepseek`` extra, installed on
request into a folder of the app's own (never into the user's Python), and put on ``sys.path``.

The base app (pip install or the packaged build) ships only the embedded CPU engine; these packages
are about 3 GB to download (packaging/README.md has the measured sizes), so they come only when the
user picks the GPU engine. Installing runs pip in a separate process: ``python -m pip`` for a pip
install, the frozen app's own ``--pip`` mode for a packaged build (packaging/pyinstaller/launch.py).
No Qt and no torch import here.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from desktop_ocr import paths
from desktop_ocr.fsutil import atomic_write_text

#: Must equal the ``deepseek`` extra in pyproject.toml (a test checks it).
DEEPSEEK_REQUIREMENTS = (
    "torch==2.14.1",
    "torchvision==0.29.1",
    "transformers==4.46.3",
    "tokenizers==0.20.3",
    "safetensors>=0.4",
    "accelerate>=0.34,<1.2",
    "einops",
    "addict",
    "easydict",
)
MARKER = "desktop-ocr-addon.json"
#: Measured here for the x86_64 Linux wheels of the set above (see packaging/README.md).
DOWNLOAD_BYTES_ESTIMATE = 3_070_000_000  # 51 wheels, measured for torch 2.14.1+cu130 on x86_64 Linux
INSTALLED_BYTES_ESTIMATE = 5_850_000_000
FROZEN_PIP_FLAG = "--pip"


def addon_dir() -> Path:
    """Where the add-on lives: per Python version, since its wheels are built for one."""
    return paths.data_dir() / "gpu-addon" / f"py{sys.version_info.major}{sys.version_info.minor}"


def is_complete(folder: Path | None = None) -> bool:
    """True when an install into ``folder`` finished (pip exited 0 and the marker was written)."""
    return ((folder or addon_dir()) / MARKER).is_file()


def activate(folder: Path | None = None) -> bool:
    """Put a finished add-on on ``sys.path`` (after the app's own packages). True when added."""
    folder = folder or addon_dir()
    if not is_complete(folder):
        return False
    entry = str(folder)
    if entry not in sys.path:
        sys.path.append(entry)
        importlib.invalidate_caches()
    return True


def is_available() -> bool:
    """Whether torch and transformers can be imported (found, not imported)."""
    return all(importlib.util.find_spec(name) is not None for name in ("torch", "transformers"))


def install_command(folder: Path | None = None) -> list[str]:
    """The command that installs the add-on into ``folder`` (run it in a separate process)."""
    folder = folder or addon_dir()
    if getattr(sys, "frozen", False):
        pip = [sys.executable, FROZEN_PIP_FLAG]
    else:
        pip = [sys.executable, "-m", "pip"]
    return [
        *pip,
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--progress-bar",
        "off",
        "--upgrade",
        "--target",
        str(folder),
        *DEEPSEEK_REQUIREMENTS,
    ]


def mark_complete(folder: Path | None = None) -> None:
    """Record a finished install (call after the install command exited 0)."""
    folder = folder or addon_dir()
    atomic_write_text(folder / MARKER, json.dumps({"requirements": list(DEEPSEEK_REQUIREMENTS)}, indent=2))


def run_frozen_pip(argv: list[str]) -> int:
    """The packaged app's ``--pip ARGS``: run the bundled pip in this process."""
    from pip._internal.cli.main import main as pip_main

    return int(pip_main(argv) or 0)
