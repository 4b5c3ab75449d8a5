"""Frozen job snapshots handed to the workers: what to render or read, never the live Project."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.sources import SourceData
from desktop_ocr.pipeline import PageJob

_ids = itertools.count(1)

#: A thread-safe ``opener(source_id) -> bytes | path`` (the project store's ``source_opener()``).
Opener = Callable[[str], SourceData]


def next_job_id() -> int:
    return next(_ids)


@dataclass(frozen=True, slots=True)
class OcrJob:
    """Pages to read, in order, with one set of options. ``job_id`` identifies its results."""

    job_id: int
    pages: tuple[PageJob, ...]
    opener: Opener = field(repr=False, compare=False)
    options: ReadOptions = field(default_factory=ReadOptions)
    title: str = ""


__all__ = ["OcrJob", "Opener", "PageJob", "next_job_id"]
