"""The user's once-per-location consent that a model's own Python code may run on this machine.

Consent is recorded in ``Settings.deepseek.trusted`` as ``<location>#sha256=<digest>``, where the
location is ``hub_id@commit`` or a folder path and the digest covers every ``.py`` file in the model
folder. If the code changes (an edited file, another revision) the digest no longer matches and the
app asks again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from desktop_ocr.models import catalog
from desktop_ocr.text import QT_TRANSLATE_NOOP

SEPARATOR = "#sha256="


def code_files(folder: str | Path) -> list[Path]:
    """The Python files in the model folder: the code ``trust_remote_code`` may import and run."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.py") if p.is_file())


def code_digest(folder: str | Path) -> str:
    """One sha256 over the names and contents of all the folder's ``.py`` files."""
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
