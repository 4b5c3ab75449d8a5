"""The recent projects list: JSON in the config folder, saved atomically, newest first. No Qt."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from desktop_ocr import paths
from desktop_ocr.fsutil import atomic_write_text

log = logging.getLogger(__name__)

MAX_RECENT = 10
FILE_NAME = "recent.json"


def _file() -> Path:
    return paths.config_dir() / FILE_NAME


def _read() -> list[Path]:
    try:
        raw = json.loads(_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("The recent projects list is unreadable (%s); starting a new one", exc)
        return []
    items = raw.get("projects", []) if isinstance(raw, dict) else []
    return [Path(p) for p in items if isinstance(p, str) and p]


def _write(items: list[Path]) -> None:
    try:
        atomic_write_text(_file(), json.dumps({"projects": [str(p) for p in items]}, indent=2))
    except OSError as exc:
        log.warning("Could not save the recent projects list: %s", exc)


def _norm(path: str | os.PathLike[str]) -> Path:
    return Path(path).expanduser().resolve()


def load_recent() -> list[Path]:
    """Recent projects that still exist, most recent first (missing files are pruned)."""
    items = _read()
    seen: set[Path] = set()
    kept = []
    for p in items:
        if p not in seen and p.is_file():
            seen.add(p)
            kept.append(p)
    kept = kept[:MAX_RECENT]
    if kept != items:
        _write(kept)
    return kept


def add_recent(path: str | os.PathLike[str]) -> None:
    p = _norm(path)
    items = [q for q in _read() if q != p]
    _write([p, *items][:MAX_RECENT])


def remove_recent(path: str | os.PathLike[str]) -> None:
    p = _norm(path)
    _write([q for q in _read() if q != p])


def clear_recent() -> None:
    _write([])
