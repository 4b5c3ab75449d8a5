"""``desktop-ocr convert``'s read step: the reading loop and the page states composed on one thread.

:func:`read_pages` is what the GUI does with its OCR worker and Controller, run synchronously: the
same :class:`~desktop_ocr.reading.runner.PageReader` loop, the same
:class:`~desktop_ocr.reading.service.ReadingService` applying its answers to the Project (page
states, stale answers, the tally of the run); only the reporting is the command line's own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop_ocr.engine.base import BlockCallback, Engine, ReadOptions, TextCallback
from desktop_ocr.model.document import Page, PageState, Project
from desktop_ocr.model.result import Block, Completion, PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.reading.queue import ReadSummary
from desktop_ocr.reading.runner import PageReader
from desktop_ocr.reading.service import ReadingEvents, ReadingService


def settled_state(page: Page) -> PageState:
    """What a page is when it is not queued or being read, from what it holds."""
    if page.edited_text is not None:
        return PageState.EDITED
    if page.result is not None:
        return PageState.INCOMPLETE if page.result.completion != Completion.COMPLETE else PageState.READ
    if page.error:
        return PageState.FAILED
    return PageState.NOT_READ


def needs_reading(page: Page) -> bool:
    """Pages a "read what is not read yet" run picks: never read, or failed."""
    return page.result is None and page.edited_text is None


@dataclass(frozen=True, slots=True)
class ReadProgress:
    """Where a run stands, after each page."""

    done: int
    total: int
    failed: int
    page_id: str
    label: str
    ok: bool
    message: str  # the failure message when not ok
    page_seconds: float  # from the page's start to its answer
    elapsed_s: float
    eta_s: float  # -1 when unknown


class _Convert(ReadingEvents):
    """The service's answers reported page by page, with the time left (``time_left``: the reading
    loop's, as the window shows it)."""

    def __init__(
        self,
        total: int,
        on_progress: Callable[[ReadProgress], None] | None,
        on_text: TextCallback | None,
        on_block: BlockCallback | None,
    ) -> None:
        self.service: ReadingService | None = None
        self.time_left: Callable[[int], float] = lambda remaining: -1.0
        self.total = total
        self.on_progress = on_progress
        self.on_text = on_text
        self.on_block = on_block
        self.started = time.monotonic()
        self.page_started_at: dict[str, float] = {}

    def page_reading_started(self, page_id: str) -> None:
        self.page_started_at[page_id] = time.monotonic()

    def text_streamed(self, page_id: str, delta: str) -> None:
        if self.on_text:
            self.on_text(page_id, delta)

    def block_completed(self, page_id: str, block: Block) -> None:
        if self.on_block:
            self.on_block(page_id, block)

    def page_read(self, page_id: str, result: PageResult) -> None:
        self._report(page_id, True, "")

    def page_failed(self, page_id: str, message: str, retry: ReadOptions | None) -> None:
        self._report(page_id, False, message)

    def _report(self, page_id: str, ok: bool, message: str) -> None:
        if not self.on_progress or self.service is None:
            return
        read, failed, cancelled = self.service.queue.summary.counts
        done = read + failed
        now = time.monotonic()
        remaining = self.total - done - cancelled
        page = self.service.project.page(page_id)
        self.on_progress(
            ReadProgress(
                done,
                self.total,
                failed,
                page_id,
                page.label or page_id,
                ok,
                message,
                now - self.page_started_at.pop(page_id, now),
                now - self.started,
                self.time_left(remaining),
            )
        )


def read_pages(
    engine: Engine,
    project: Project,
    page_ids: Sequence[str],
    renderer: PageRenderer,
    options: ReadOptions | None = None,
    on_progress: Callable[[ReadProgress], None] | None = None,
    cancel: threading.Event | None = None,
    *,
    on_text: TextCallback | None = None,
    on_block: BlockCallback | None = None,
) -> ReadSummary:
    """Read pages with ``engine`` and store the outcomes in ``project``, on this thread.

    Results go through :meth:`Project.set_result`; failures through ``set_state(FAILED, message)``;
    cancelled pages (``cancel`` set) return to the state they had; pages the engine finished before
    the cancel are kept.
    """
    events = _Convert(0, on_progress, on_text, on_block)
    service = events.service = ReadingService(project, events)
    job = service.submit(page_ids, options or ReadOptions(), _no_opener, include_edited=True)
    if job is None:
        return ReadSummary()
    events.total = len(job.pages)
    reader = PageReader(service, cancel=cancel, keep_finished_on_cancel=True)
    events.time_left = reader.time_left
    reader.reset_pace(engine.info.seconds_per_page_estimate)
    service.seconds_per_page = engine.info.seconds_per_page_estimate
    reader.enqueue(job)
    while (item := reader.next_job()) is not None:
        reader.run_job(engine, item[0], renderer)
        reader.job_done()
    summary = service.queue.summary
    service.queue_drained()
    return summary


def _no_opener(source_id: str) -> bytes:
    raise RuntimeError("read_pages renders with the renderer it is given")
