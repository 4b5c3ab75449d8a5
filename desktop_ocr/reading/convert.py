"""``desktop-ocr convert``'s read step: the reading loop and the page states composed on one thread.

:func:`read_pages` is what the GUI does with its OCR worker and Controller, run synchronously: the
same :class:`~desktop_ocr.reading.runner.PageReader` loop, the same
:class:`~desktop_ocr.reading.queue.ReadingQueue` applying its answers to the Project.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop_ocr.engine.base import BlockCallback, Engine, ReadOptions, TextCallback
from desktop_ocr.model.document import Page, PageState, Project
from desktop_ocr.model.result import Block, Completion, PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.reading.queue import ReadingQueue
from desktop_ocr.reading.runner import PageReader, ReadingListener


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


@dataclass(slots=True)
class ReadSummary:
    read: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # page id -> message
    cancelled: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled


class _Convert(ReadingListener):
    """The loop's answers applied to the project, counted, and reported page by page."""

    def __init__(
        self,
        queue: ReadingQueue,
        total: int,
        on_progress: Callable[[ReadProgress], None] | None,
        on_text: TextCallback | None,
        on_block: BlockCallback | None,
    ) -> None:
        self.queue = queue
        self.total = total
        self.summary = ReadSummary()
        self.on_progress = on_progress
        self.on_text = on_text
        self.on_block = on_block
        self.started = time.monotonic()
        self.page_started_at: dict[str, float] = {}
        self.pace = 0.0

    def page_started(self, job_id: int, page_id: str) -> None:
        self.queue.page_started(job_id, page_id)
        self.page_started_at[page_id] = time.monotonic()

    def text_streamed(self, page_id: str, delta: str) -> None:
        if self.on_text:
            self.on_text(page_id, delta)

    def block_completed(self, page_id: str, block: Block) -> None:
        if self.on_block:
            self.on_block(page_id, block)

    def pace_changed(self, seconds_per_page: float) -> None:
        self.pace = seconds_per_page

    def page_finished(self, job_id: int, page_id: str, result: PageResult) -> None:
        if self.queue.page_finished(job_id, page_id, result) is not None:
            self.summary.read.append(page_id)
            self._report(page_id, True, "")

    def page_failed(self, job_id: int, page_id: str, message: str, reason: str) -> None:
        if self.queue.page_failed(job_id, page_id, message, reason) is not None:
            self.summary.failed[page_id] = message
            self._report(page_id, False, message)

    def page_cancelled(self, job_id: int, page_id: str) -> None:
        self.queue.page_cancelled(job_id, page_id)
        self.summary.cancelled.append(page_id)

    def _report(self, page_id: str, ok: bool, message: str) -> None:
        if not self.on_progress:
            return
        s = self.summary
        done = len(s.read) + len(s.failed)
        now = time.monotonic()
        remaining = self.total - done - len(s.cancelled)
        page = self.queue.project.page(page_id)
        self.on_progress(
            ReadProgress(
                done,
                self.total,
                len(s.failed),
                page_id,
                page.label or page_id,
                ok,
                message,
                now - self.page_started_at.pop(page_id, now),
                now - self.started,
                self.pace * remaining if remaining > 0 else 0.0,
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
    queue = ReadingQueue(project)
    job = queue.submit(page_ids, options or ReadOptions(), _no_opener, include_edited=True)
    if job is None:
        return ReadSummary()
    listener = _Convert(queue, len(job.pages), on_progress, on_text, on_block)
    reader = PageReader(listener, cancel=cancel, keep_finished_on_cancel=True)
    reader.reset_pace(engine.info.seconds_per_page_estimate)
    listener.pace = engine.info.seconds_per_page_estimate
    reader.enqueue(job)
    while (item := reader.next_job()) is not None:
        reader.run_job(engine, item[0], renderer)
        reader.job_done()
    queue.queue_drained()
    return listener.summary


def _no_opener(source_id: str) -> bytes:
    raise RuntimeError("read_pages renders with the renderer it is given")
