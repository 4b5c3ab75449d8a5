"""Frozen job snapshots handed to the workers: what to render or read, never the live Project."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.geometry import Box
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


@dataclass(frozen=True, slots=True)
class RegionJob:
    """Read one region of a page (``kind`` "read", with ``box`` and ``options``) or locate a phrase
    on it (``kind`` "locate", with ``phrase``). Answered before queued page reads; never stored."""

    request_id: int
    kind: str  # "read" or "locate"
    page: PageJob
    opener: Opener = field(repr=False, compare=False)
    box: Box | None = None  # the region, 0..999 of the page (kind "read")
    options: ReadOptions = field(default_factory=ReadOptions)  # prompt and mode (locate: the mode)
    phrase: str = ""  # the text to find (kind "locate")


__all__ = ["OcrJob", "Opener", "PageJob", "RegionJob", "next_job_id"]
