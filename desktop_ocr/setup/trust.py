"""The user's once-per-location consent that a model's own Python code may run on this machine.

Consent is recorded in ``Settings.deepseek.trusted`` as ``<location>#sha256=<digest>``, where the
location is ``hub_id@commit`` or a folder path and the digest covers every file of the model folder that
decides which code runs: the ``.py`` files and the ``*config.json`` files (``config.json``,
``tokenizer_config.json``, ``processor_config.json``, ...), whose ``auto_map`` names the classes that
Transformers imports. If any of them changes (an edited file, another revision) the digest no longer
matches and the app asks again. An ``auto_map`` entry that points outside the folder
(``"other/repo--module.Class"``, or a module the folder lacks) is refused whatever the consent:
:func:`foreign_code` finds them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.setup import catalog

SEPARATOR = "#sha256="


#: Files (besides the ``.py`` files) that decide which code runs: every ``auto_map`` lives in one.
CONFIG_PATTERN = "*config.json"


def code_files(folder: str | Path) -> list[Path]:
    """The files of the model folder that decide what ``trust_remote_code`` imports and runs: its
    Python files and its ``*config.json`` files."""
    folder = Path(folder)
    found = {p for pattern in ("*.py", CONFIG_PATTERN) for p in folder.glob(pattern) if p.is_file()}
    return sorted(found)


def _auto_map_refs(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def foreign_code(folder: str | Path) -> list[tuple[str, str]]:
    """``(file, reference)`` for every ``auto_map`` entry of the folder's config files that names code
    outside the folder: in another repository (``"repo--module.Class"``), a path, or a module file the
    folder does not have. A file that is no JSON object is the loader's problem."""
    folder = Path(folder)
    found: list[tuple[str, str]] = []
    for path in sorted(folder.glob(CONFIG_PATTERN)):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        auto_map = data.get("auto_map") if isinstance(data, dict) else None
        if auto_map is None:
            continue
        if not isinstance(auto_map, dict):
            found.append((path.name, str(auto_map)[:200]))
            continue
        for value in auto_map.values():
            for ref in _auto_map_refs(value):
                module = ref.rsplit(".", 1)[0] if "." in ref else ""
                local = bool(module) and all(part.isidentifier() for part in module.split("."))
                if not local or not (folder / (module.replace(".", "/") + ".py")).is_file():
                    found.append((path.name, ref))
    return found


def code_digest(folder: str | Path) -> str:
    """One sha256 over the names and contents of all the folder's :func:`code_files`."""
    h = hashlib.sha256()
    for p in code_files(folder):
        h.update(p.name.encode("utf-8") + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def location_key(ds: Any) -> str:
    """The location of the model that ``Settings.deepseek`` selects: ``hub_id@commit`` or the folder."""
    if ds.source == "folder":
        return str(Path(ds.folder).expanduser().resolve()) if ds.folder else ""
    return f"{ds.hub_id}@{catalog.pinned_revision(ds.hub_id, ds.revision)}"


def _split(entry: str) -> tuple[str, str]:
    loc, sep, digest = entry.rpartition(SEPARATOR)
    return (loc, digest) if sep else (entry, "")


def is_trusted(trusted: list[str], location: str, folder: str | Path) -> bool:
    """True when the user agreed to run this location's code and the code is unchanged since."""
    if not location:
        return False
    digest = code_digest(folder)
    return any(_split(e) == (location, digest) for e in trusted)


def grant(ds: Any, folder: str | Path, location: str | None = None) -> str:
    """Record consent for the code now in ``folder`` (replacing older consent for the same location)."""
    location = location or location_key(ds)
    entry = f"{location}{SEPARATOR}{code_digest(folder)}"
    ds.trusted = [e for e in ds.trusted if _split(e)[0] != location] + [entry]
    return entry


def revoke(ds: Any, location: str | None = None) -> None:
    location = location or location_key(ds)
    ds.trusted = [e for e in ds.trusted if _split(e)[0] != location]


def was_trusted_before(trusted: list[str], location: str) -> bool:
    """The location was trusted once but its code has changed since (the digest differs)."""
    return any(_split(e)[0] == location for e in trusted)


def confirmation_text(location: str, folder: str | Path) -> str:
    """What the user reads before agreeing: who wrote the code, which files run, and what that means."""
    files = code_files(folder)
    lines = "\n".join(f"  • {p.name} ({p.stat().st_size / 1000:.1f} KB)" for p in files)
    return QT_TRANSLATE_NOOP(
        "Model",
        "DeepSeek-OCR runs with its own Python code, which comes with the model from {location}. "
        "Loading the model runs this code on your computer with your user's rights, like any program "
        "you install:\n\n"
        "{files}\n\n"
        "Code fingerprint: {fingerprint}…\n\n"
        "Only continue if you trust where this model came from. You will be asked again if the code changes.",
    ).format(
        location=location,
        files=lines or QT_TRANSLATE_NOOP("Model", "  (none found)"),
        fingerprint=code_digest(folder)[:16],
    )
