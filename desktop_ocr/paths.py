"""Where the app keeps its files: config, data, cache, logs. One place, with an override.

``DESKTOP_OCR_BASEDIR`` (or ``--basedir`` on the command line, which sets it) puts everything
under one folder: used by tests and for portable installs.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

from desktop_ocr import APP_NAME

ENV_BASEDIR = "DESKTOP_OCR_BASEDIR"
_override: Path | None = None


def set_basedir(path: str | os.PathLike[str] | None) -> None:
    """Put every app folder under ``path`` (None: back to the platform's folders)."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def _base() -> Path | None:
    if _override is not None:
        return _override
    env = os.environ.get(ENV_BASEDIR)
    return Path(env).expanduser().resolve() if env else None


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def _ensure(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def config_dir() -> Path:
    base = _base()
    return _ensure(base / "config" if base else Path(_dirs().user_config_dir))


def data_dir() -> Path:
    base = _base()
    return _ensure(base / "data" if base else Path(_dirs().user_data_dir))


def cache_dir() -> Path:
    base = _base()
    return _ensure(base / "cache" if base else Path(_dirs().user_cache_dir))


def log_dir() -> Path:
    base = _base()
    return _ensure(base / "logs" if base else Path(_dirs().user_log_dir))


def models_dir() -> Path:
    """Where downloaded models are kept."""
    return _ensure(data_dir() / "models")


def recovery_dir() -> Path:
    """Unsaved sessions live here until saved or discarded."""
    return _ensure(data_dir() / "recovery")
