"""The GPU add-on: torch with CUDA, transformers and the rest of the ``deepseek`` extra, installed on
request into a folder of the app's own (never into the user's Python), and put on ``sys.path``.

The base app (pip install or the packaged build) ships only the embedded CPU engine; these packages
are about 3 GB to download (packaging/README.md has the measured sizes), so they come only when the
user picks the GPU engine. Installing runs pip in a separate process: ``python -m pip`` for a pip
install, the frozen app's own ``--pip`` mode for a packaged build (packaging/pyinstaller/launch.py).
pip installs into a staging folder next to the add-on's (``py311.partial``); only when it exited 0 is
the marker written and the folder renamed into place, so a failed or stopped install never leaves a
half add-on that the next start would use. No Qt and no torch import here.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from desktop_ocr import paths
from desktop_ocr.fsutil import atomic_write_text

log = logging.getLogger(__name__)

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
INSTALLED_BYTES_ESTIMATE = 5_900_000_000  # measured: 5.90 GB (scripts/check_gpu_addon.py)
PACKAGE_COUNT_ESTIMATE = 51
FROZEN_PIP_FLAG = "--pip"
PARTIAL_SUFFIX = ".partial"
TEMP_SUFFIX = ".pip-tmp"


def addon_dir() -> Path:
    """Where the add-on lives: per Python version, since its wheels are built for one."""
    return paths.data_dir() / "gpu-addon" / f"py{sys.version_info.major}{sys.version_info.minor}"


def staging_dir(folder: Path | None = None) -> Path:
    """Where pip installs before the add-on is complete (renamed into place by :func:`finish_install`)."""
    folder = folder or addon_dir()
    return folder.with_name(folder.name + PARTIAL_SUFFIX)


def temp_dir(folder: Path | None = None) -> Path:
    """pip's temporary folder during the install: next to the add-on, not in /tmp. pip --target
    unpacks everything (~6 GB) in a temporary folder first: /tmp may be a small tmpfs, a move across
    file systems copies it all again, and a stopped pip leaves it behind (removed with the staging)."""
    folder = folder or addon_dir()
    return folder.with_name(folder.name + TEMP_SUFFIX)


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


def pip_missing() -> bool:
    """True when this Python has no pip to install the add-on with (a venv made ``--without-pip``)."""
    if getattr(sys, "frozen", False):
        return False  # the packaged build bundles pip (packaging/pyinstaller/desktop-ocr.spec)
    return importlib.util.find_spec("pip") is None


def install_command(folder: Path | None = None) -> list[str]:
    """The command that installs the add-on into ``folder`` (default: the staging folder; run it in a
    separate process with :func:`install_environment`)."""
    folder = folder or staging_dir()
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


def install_environment(base: Mapping[str, str] | None = None, folder: Path | None = None) -> dict[str, str]:
    """The environment for the install command: ``base`` (default ``os.environ``) with pip's output
    unbuffered (the dialog shows it line by line), its temporary files in :func:`temp_dir`, and
    settings that would refuse ``--target`` off."""
    env = dict(os.environ if base is None else base)
    tmp = str(temp_dir(folder))
    env.update(TMPDIR=tmp, TEMP=tmp, TMP=tmp)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["PIP_REQUIRE_VIRTUALENV"] = "0"  # --target installs outside any environment on purpose
    env.pop("PIP_USER", None)  # --user and --target cannot be combined
    env.pop("PIP_TARGET", None)
    return env


def discard_partial(folder: Path | None = None) -> None:
    """Delete what a failed or stopped install left in the staging and temporary folders."""
    for leftover in (staging_dir(folder), temp_dir(folder)):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


def prepare_install(folder: Path | None = None) -> Path:
    """Start from an empty staging folder (a stopped install's leftovers go); returns it."""
    discard_partial(folder)
    staging = staging_dir(folder)
    staging.parent.mkdir(parents=True, exist_ok=True)
    temp_dir(folder).mkdir(parents=True, exist_ok=True)
    return staging


def mark_complete(folder: Path | None = None) -> None:
    """Record a finished install (call after the install command exited 0)."""
    folder = folder or addon_dir()
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write_text(folder / MARKER, json.dumps({"requirements": list(DEEPSEEK_REQUIREMENTS)}, indent=2))


def finish_install(folder: Path | None = None) -> Path:
    """After pip exited 0 into the staging folder: mark it complete and move it into place.

    An earlier add-on is replaced (moved aside first, deleted after). Raises ``OSError`` when the
    folders cannot be renamed (an earlier add-on in use on Windows); the staging folder then stays.
    """
    folder = folder or addon_dir()
    staging = staging_dir(folder)
    mark_complete(staging)
    old = folder.with_name(folder.name + ".old")
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    try:
        staging.rename(folder)
    except OSError:
        if old.exists() and not folder.exists():
            old.rename(folder)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(temp_dir(folder), ignore_errors=True)
    return folder


def folder_size(folder: Path) -> int:
    """Bytes of the files under ``folder`` (0 when it is missing)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


# --- what pip says -------------------------------------------------------------------------------
_COLLECTING = re.compile(r"^(?:Collecting|Processing|Requirement already satisfied:?)\s+(\S+)")
_FETCHING = re.compile(r"^(?:Downloading|Using cached)\s+(\S+)\s+\(([\d.]+)\s*([kMG]?B)\)")
_INSTALLING = re.compile(r"^Installing collected packages:\s*(.*)$")
_UNITS = {"B": 1, "kB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000}

#: Why an install failed, from pip's output (the dialog words each for the user).
FAILURE_NETWORK = "network"
FAILURE_DISK = "disk"
FAILURE_NO_PIP = "no_pip"
FAILURE_OTHER = "other"


@dataclass
class InstallProgress:
    """What pip has done so far, read from its output lines (``--progress-bar off``)."""

    phase: str = "resolving"  # resolving -> installing -> done
    packages: int = 0
    downloaded_bytes: int = 0
    current: str = ""
    to_install: int = 0
    error: str = ""
    failure: str = ""
    #: The last 200 lines, for the log and the error message.
    lines: list[str] = field(default_factory=list)

    def feed(self, text_lines: Iterable[str]) -> None:
        """Take pip's next output lines."""
        for raw in text_lines:
            line = raw.strip()
            if not line:
                continue
            self.lines.append(line)
            del self.lines[:-200]
            self._read(line)

    def _read(self, line: str) -> None:
        if m := _FETCHING.match(line):
            self.downloaded_bytes += int(float(m.group(2)) * _UNITS.get(m.group(3), 1))
            self.current = _short_name(m.group(1))
        elif m := _COLLECTING.match(line):
            self.packages += 1
            self.current = _short_name(m.group(1))
        elif m := _INSTALLING.match(line):
            self.phase = "installing"
            self.to_install = len([p for p in m.group(1).split(",") if p.strip()])
        elif line.startswith("Successfully installed"):
            self.phase = "done"
        elif line.startswith("ERROR:") or "Error" in line.split(":", 1)[0] or "No module named pip" in line:
            self.error = line.removeprefix("ERROR:").strip()
            self.failure = classify_failure(line, self.failure)

    @property
    def fraction(self) -> float:
        """A rough share of the whole install done (resolving and downloading count half)."""
        if self.phase == "done":
            return 1.0
        if self.phase == "installing":
            return 0.5
        by_bytes = self.downloaded_bytes / DOWNLOAD_BYTES_ESTIMATE
        by_count = self.packages / PACKAGE_COUNT_ESTIMATE
        return min(0.49, 0.5 * max(by_bytes, by_count))


def classify_failure(line: str, previous: str = "") -> str:
    """``FAILURE_*`` for one error line of pip's (the first specific reason wins)."""
    if previous and previous != FAILURE_OTHER:
        return previous
    low = line.lower()
    if "no space left" in low or "errno 28" in low or "disk quota" in low:
        return FAILURE_DISK
    if "no module named pip" in low:
        return FAILURE_NO_PIP
    network = (
        "no matching distribution",
        "could not find a version",
        "connection",
        "timed out",
        "network",
        "name resolution",
        "max retries",
        "ssl",
        "proxy",
        "hash",
    )
    if any(word in low for word in network):
        return FAILURE_NETWORK
    return FAILURE_OTHER


def _short_name(spec: str) -> str:
    """``/x/torch-2.14.1-cp311-...whl`` or ``torch==2.14.1`` -> ``torch``."""
    name = spec.rsplit("/", 1)[-1]
    for sep in ("==", ">=", "<=", "!=", "<", ">", "~=", "["):
        name = name.split(sep, 1)[0]
    if name.endswith((".whl", ".tar.gz", ".zip")):
        name = name.split("-", 1)[0]
    return name.replace("_", "-")


def run_frozen_pip(argv: list[str]) -> int:
    """The packaged app's ``--pip ARGS``: run the bundled pip in this process."""
    from pip._internal.cli.main import main as pip_main

    return int(pip_main(argv) or 0)
