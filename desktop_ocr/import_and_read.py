"""The steps the GUI and the command line share: import files, read pages with an engine. No Qt.

Importing is :mod:`desktop_ocr.model.importer`; reading is the reading service
(:mod:`desktop_ocr.reading`), whose names are re-exported here for the command line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desktop_ocr.model import importer
from desktop_ocr.model.document import Project
from desktop_ocr.model.sources import DEFAULT_DPI
from desktop_ocr.reading.convert import ReadProgress, ReadSummary, needs_reading, read_pages, settled_state
from desktop_ocr.reading.jobs import PageSnapshot, page_snapshots, render_snapshot
from desktop_ocr.reading.runner import Outcome, is_cancelled

__all__ = [
    "Outcome",
    "PageSnapshot",
    "ReadProgress",
    "ReadSummary",
    "import_paths",
    "is_cancelled",
    "needs_reading",
    "page_snapshots",
    "read_pages",
    "render_snapshot",
    "settled_state",
]


# --- import -------------------------------------------------------------------------------------


def import_paths(
    project: Project,
    paths: Sequence[Any],
    dpi: int = DEFAULT_DPI,
    passwords: Mapping[str, str] | None = None,
    *,
    sink: importer.SourceSink,
    reuse_existing: bool = False,
    on_progress: Callable[[int, int, str], None] | None = None,
    cancel: threading.Event | None = None,
    join_loose: bool = True,
) -> importer.ImportOutcome:
    """Import files and folders into ``project`` (originals go to ``sink``, the project store).
    Loose images make one document when ``join_loose``, else one document each.

    ``outcome.problems`` lists the files that were not imported, each with its reason.
    """
    return importer.import_paths(
        project,
        paths,
        sink,
        dpi,
        passwords,
        reuse_existing=reuse_existing,
        on_progress=on_progress,
        cancel=cancel,
        join_loose=join_loose,
    )
