"""File names for exports: document names made safe on every system, and what to do about existing files."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from desktop_ocr.messages import QT_TRANSLATE_NOOP

#: Names Windows reserves whatever the extension ("CON.md" cannot be created there).
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in range(10)]
    + [f"LPT{i}" for i in range(10)]
    + ["COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"]
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: Room left for suffixes such as " (12)_images" and ".json" within a 255-byte name.
MAX_NAME_BYTES = 200
FALLBACK_NAME = "document"


class ConflictPolicy(str, enum.Enum):
    """What to do when an output file exists already."""

    ERROR = "error"  # write nothing; raise ExportConflict listing the files (the UI asks the user)
    OVERWRITE = "overwrite"  # replace them (each atomically)
    RENAME = "rename"  # write "name (2).md" etc. beside them


class ExportConflict(FileExistsError):
    """Output files exist already and the policy is "error". Nothing was written."""

    def __init__(self, existing: Iterable[Path]) -> None:
        self.existing = sorted(Path(p) for p in existing)
        names = ", ".join(p.name for p in self.existing[:5])
        if len(self.existing) > 5:
            text = QT_TRANSLATE_NOOP(
                "Export",
                "These files exist already: {names} and {more} more. Choose to replace them or rename the export.",
            ).format(names=names, more=len(self.existing) - 5)
        else:
            text = QT_TRANSLATE_NOOP(
                "Export", "These files exist already: {names}. Choose to replace them or rename the export."
            ).format(names=names)
        super().__init__(text)

    @property
    def paths(self) -> list[Path]:
        return self.existing


def safe_filename(name: str, fallback: str = FALLBACK_NAME) -> str:
    """``name`` as a file name that works on Linux, Windows and macOS.

    Path separators and characters Windows forbids become "_", control characters go, whitespace is
    collapsed, leading/trailing dots and spaces are removed (Windows drops trailing ones silently),
    reserved device names get a "_" appended, and the result fits in ~200 bytes of UTF-8.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = " ".join(text.split())
    text = _FORBIDDEN.sub("_", text)
    text = text.strip(" .")
    if text.upper().split(".")[0].rstrip(" ") in WINDOWS_RESERVED:
        text = text + "_"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    if not text or set(text) <= {"_"}:
        return fallback
    return text


def numbered(stem: str, n: int) -> str:
    """``stem`` for the n-th copy: "Report" (n=1), "Report (2)", "Report (3)"..."""
    return stem if n <= 1 else f"{stem} ({n})"
