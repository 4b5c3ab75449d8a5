"""Frozen job snapshots for reading: what to render or read, never the live Project; job ids."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.document import Page, Project, SourceKind
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.sources import DEFAULT_DPI, PageRenderer, SourceData

if TYPE_CHECKING:
    from PIL import Image

_ids = itertools.count(1)

#: A thread-safe ``opener(source_id) -> bytes | path`` (the project store's ``source_opener()``).
Opener = Callable[[str], SourceData]


def next_job_id() -> int:
    """A fresh id for a job or request (unique in this process, any thread)."""
    return next(_ids)


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """A frozen snapshot of one page to render or read: safe to hand to another thread."""

    page_id: str
    source_id: str
    kind: SourceKind
    index: int
    rotation: int
    dpi: int
    label: str

    @classmethod
    def of(cls, project: Project, page: Page) -> PageSnapshot:
        src = project.sources[page.source_id]
        label = page.label or (src.name if src.page_count == 1 else f"{src.name} p. {page.index + 1}")
        dpi = int(project.meta.get("dpi", DEFAULT_DPI))
        return cls(page.id, src.id, src.kind, page.index, page.rotation, dpi, label)


def page_snapshots(project: Project, page_ids: Sequence[str]) -> list[PageSnapshot]:
    return [PageSnapshot.of(project, project.page(pid)) for pid in page_ids]


def render_snapshot(renderer: PageRenderer, job: PageSnapshot) -> Image.Image:
    """The image the engine reads: upright, at the project DPI, with the user's rotation."""
    return renderer.render(job.source_id, job.kind, job.index, job.dpi, job.rotation)


@dataclass(frozen=True, slots=True)
class OcrJob:
    """Pages to read, in order, with one set of options. ``job_id`` identifies its results."""

    job_id: int
    pages: tuple[PageSnapshot, ...]
    opener: Opener = field(repr=False, compare=False)
    options: ReadOptions = field(default_factory=ReadOptions)
    title: str = ""


@dataclass(frozen=True, slots=True)
class RegionJob:
    """Read one region of a page (``kind`` "read", with ``box`` and ``options``) or locate a phrase
    on it (``kind`` "locate", with ``phrase``). Answered before queued page reads; never stored."""

    request_id: int
    kind: str  # "read" or "locate"
    page: PageSnapshot
    opener: Opener = field(repr=False, compare=False)
    box: Box | None = None  # the region, 0..999 of the page (kind "read")
    options: ReadOptions = field(default_factory=ReadOptions)  # prompt and mode (locate: the mode)
    phrase: str = ""  # the text to find (kind "locate")
