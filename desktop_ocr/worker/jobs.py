"""Frozen job snapshots handed to the workers: what to render or read, never the live Project."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.document import SourceKind

_ids = itertools.count(1)


def next_job_id() -> int:
    return next(_ids)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a worker finds a source's data: the store's opener, a file on disk, or the bytes.

    Bytes are immutable, so sharing them between threads is safe; each thread opens its own
    PyMuPDF/PIL object from them.
    """

    source_id: str
    kind: SourceKind
    name: str = ""
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    #: A thread-safe ``opener(source_id) -> bytes | path`` (the project store's), used when set.
    opener: Callable[[str], Any] | None = field(default=None, repr=False, compare=False)

    def open(self) -> Any:
        """The source's data for ``model.sources.PageRenderer``: a path or bytes."""
        if self.opener is not None:
            return self.opener(self.source_id)
        if self.path is not None:
            return self.path
        if self.data is not None:
            return self.data
        from desktop_ocr.model.sources import SourceError

        raise SourceError(self.name or "source", "its data is missing from the project")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page image: source, frame/page index, user rotation and rendering DPI."""

    page_id: str
    source: SourceRef
    index: int = 0
    rotation: int = 0
    dpi: int = 144
    label: str = ""


@dataclass(frozen=True, slots=True)
class OcrJob:
    """Pages to read, in order, with one set of options. ``job_id`` identifies its results."""

    job_id: int
    pages: tuple[PageSpec, ...]
    options: ReadOptions = field(default_factory=ReadOptions)
    engine: str = ""  # registry name the job expects (informational)
    title: str = ""
