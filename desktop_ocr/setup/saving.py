"""The one place the app's settings are written, no Qt: every value checked by type and range first
(a file the next start would refuse is never written), then saved atomically.

The settings dialog (through the Controller), the export dialog's choices (:func:`remember_export`),
the set-up service (``SetupService.save``) and the app's exit all save through :func:`save_settings`.
Kept apart from :mod:`desktop_ocr.setup.service`, whose download and add-on modules the window does
not load at start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from desktop_ocr.settings import Settings

log = logging.getLogger(__name__)


def save_settings(settings: Settings) -> str:
    """Write ``settings`` when every value fits its type and range; the reason it was not written
    (the bad values, one message each, or the file's error), or "" when it was."""
    problems = settings.problems()
    if problems:
        text = "; ".join(p.message() for p in problems)
        log.error("Settings not saved: %s", text)
        return text
    try:
        settings.save()
    except OSError as exc:
        log.error("Could not save the settings: %s", exc)
        return str(exc)
    return ""


def remember_export(
    settings: Settings, out_dir: str | Path, formats: Sequence[str], separator: str, pdfa: bool
) -> str:
    """The export dialog's choices, kept for the next export and saved at once (see
    :func:`save_settings`; its answer). A separator that is not one of the choices is refused."""
    settings.last_export_dir = str(out_dir)
    settings.export_formats = list(formats)
    settings.separator = separator
    settings.export_pdfa = bool(pdfa)
    return save_settings(settings)
