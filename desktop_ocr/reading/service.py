"""The reading service: pages and region requests waiting for the reading loop, and its answers applied
to the Project. No Qt; used by the GUI's Controller and by ``desktop-ocr convert`` alike.

:class:`ReadingService` composes the :class:`~desktop_ocr.reading.queue.ReadingQueue` (page states,
job ids, stale answers dropped, the out-of-memory retry, the tally of a run) and the
:class:`~desktop_ocr.reading.regions.RegionRequests` (region reads and locates). It is itself the
reading loop's :class:`~desktop_ocr.reading.runner.ReadingListener` and
:class:`~desktop_ocr.reading.region_runner.RegionListener`: ``desktop-ocr convert`` plugs it into a
:class:`~desktop_ocr.reading.runner.PageReader` directly, the Controller calls the same methods from
the OCR worker's signals. What follows from each answer goes to a :class:`ReadingEvents` listener
(plain callbacks, on the thread that owns the Project). Several pages may be in flight at once, from
one job or several, answered in any order; an answer for a page no longer waiting for exactly that
job (re-queued, cancelled, deleted, another project) is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.document import PageState, Project
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.reading.jobs import OcrJob, Opener, RegionJob
from desktop_ocr.reading.queue import ReadingQueue, ReadSummary
from desktop_ocr.reading.region_runner import RegionListener
from desktop_ocr.reading.regions import ROTATED, RegionRequests
from desktop_ocr.reading.runner import ReadingListener


class ReadingEvents:
    """What the reading service reports (each method does nothing unless overridden)."""

    def reading_changed(self, reading: bool) -> None:
        """Reading began (pages were queued) or is over."""

    def page_reading_started(self, page_id: str) -> None:
        pass

    def text_streamed(self, page_id: str, delta: str) -> None:
        """Text of a page being read (only while it is)."""

    def block_completed(self, page_id: str, block: Block) -> None:
        pass

    def page_progress(self, page_id: str, fraction: float) -> None:
        """How far a page being read probably is; 1.0 once it is answered."""

    def page_read(self, page_id: str, result: PageResult) -> None:
        """A result was stored for the page."""

    def page_failed(self, page_id: str, message: str, retry: ReadOptions | None) -> None:
        """The page failed; ``retry``: the options to try again with after running out of memory."""

    def page_cancelled(self, page_id: str) -> None:
        pass

    def job_failed(self, job_id: int, message: str) -> None:
        """A whole job could not be read (its pages are put back)."""

    def reading_finished(self, summary: ReadSummary, cancelled: bool) -> None:
        """Reading is over, all of it done or (``cancelled``) stopped by the user: what the run did."""

    def region_read(self, page_id: str, request_id: int, result: PageResult) -> None:
        pass

    def located(self, page_id: str, request_id: int, phrase: str, boxes: list[Box]) -> None:
        pass

    def region_failed(self, kind: str, page_id: str, request_id: int, message: str) -> None:
        """A region read ("read") or locate ("locate") failed with ``message``."""

    def region_outdated(self, kind: str, page_id: str, request_id: int) -> None:
        """The page was rotated or re-rendered while the region was read: the answer would not fit."""


class ReadingService(ReadingListener, RegionListener):
    """Pages queued and being read, region requests, and the answers (see the module docstring)."""

    def __init__(self, project: Project, events: ReadingEvents | None = None) -> None:
        self.events = events or ReadingEvents()
        self.queue = ReadingQueue(project)
        self.regions = RegionRequests(project)

    @property
    def project(self) -> Project:
        return self.queue.project

    # -- queries ---------------------------------------------------------------------------------
    @property
    def is_reading(self) -> bool:
        return self.queue.is_reading

    def is_busy(self, page_id: str) -> bool:
        """Queued or being read: its text is not editable."""
        return self.queue.is_busy(page_id)

    def pages_waiting(self) -> int:
        """How many pages are queued or being read."""
        return sum(1 for p in self.project.all_pages() if self.queue.is_busy(p.id))

    @property
    def reading_pages(self) -> list[str]:
        """The pages being read now (several when the engine reads side by side)."""
        return self.queue.reading_pages

    def edited_pages(self, page_ids: Iterable[str]) -> list[str]:
        """Pages among ``page_ids`` whose text the user edited (re-reading them asks first)."""
        return self.queue.edited_pages(page_ids)

    def read_pages_of(self, page_ids: Iterable[str]) -> list[str]:
        """Pages among ``page_ids`` that are read already (read or edited: Read All leaves them)."""
        done = (PageState.READ, PageState.EDITED)
        project = self.project
        return [
            pid
            for pid in page_ids
            if project.has_page(pid) and (project.page(pid).state in done or project.page(pid).is_edited)
        ]

    def unread_pages(self) -> list[str]:
        """Pages never read or failed, in project order."""
        wanted = (PageState.NOT_READ, PageState.FAILED)
        return [p.id for p in self.project.all_pages() if p.state in wanted]

    @property
    def seconds_per_page(self) -> float:
        return self.queue.seconds_per_page

    @seconds_per_page.setter
    def seconds_per_page(self, value: float) -> None:
        self.queue.seconds_per_page = value

    def estimate_progress(self) -> None:
        """Report how far each page being read probably is (call it on a timer while reading)."""
        for page_id, fraction in self.queue.page_fractions():
            self.events.page_progress(page_id, fraction)

    # -- commands --------------------------------------------------------------------------------
    def submit(
        self, page_ids: Sequence[str], options: ReadOptions, opener: Opener, include_edited: bool = False
    ) -> OcrJob | None:
        """A job for pages in project order, its pages set QUEUED (see :meth:`ReadingQueue.submit`);
        None when no page is left. The caller hands the job to the reading loop."""
        job = self.queue.submit(page_ids, options, opener, include_edited)
        if job is not None:
            self.events.reading_changed(True)
        return job

    def cancel_current(self) -> list[str]:
        """Put the pages being read back now (the loop is to stop them); their ids."""
        page_ids = self.queue.cancel_current()
        for page_id in page_ids:
            self.events.page_progress(page_id, 1.0)
        return page_ids

    def cancel_all(self) -> list[int]:
        """Stop reading: every waiting page back now, the run reported; the live jobs (to cancel in
        the reading loop). Nothing happens (and [] is returned) when nothing is being read."""
        if not self.queue.is_reading:
            return []
        jobs = self.queue.cancel_all()
        self.events.reading_changed(False)
        self.events.reading_finished(self.queue.take_summary(), True)
        return jobs

    def forget(self, page_ids: Iterable[str]) -> None:
        """Pages deleted from the project: their answers are dropped."""
        self.queue.forget(page_ids)

    def set_project(self, project: Project) -> list[int]:
        """Another project: nothing of the old one waits any more; the region requests to stop."""
        self.queue.set_project(project)
        return self.regions.drop_all(project)

    def restore_all(self) -> None:
        """Put every waiting page back (shutting down)."""
        self.queue.restore_all()

    def read_region(self, page_id: str, box: Box, options: ReadOptions, opener: Opener) -> RegionJob | None:
        return self.regions.read(page_id, box, options, opener)

    def locate(self, page_id: str, phrase: str, mode: str, opener: Opener) -> RegionJob | None:
        return self.regions.locate(page_id, phrase, mode, opener)

    def cancel_request(self, request_id: int) -> bool:
        """Forget a region request; True when it was waiting (the loop is to stop it)."""
        return self.regions.cancel(request_id)

    def pending_requests(self) -> list[int]:
        return self.regions.pending()

    # -- the reading loop's answers (ReadingListener) --------------------------------------------------
    def pace_changed(self, seconds_per_page: float) -> None:
        self.queue.seconds_per_page = seconds_per_page

    def page_started(self, job_id: int, page_id: str) -> None:
        if self.queue.page_started(job_id, page_id):
            self.events.page_reading_started(page_id)

    def text_streamed(self, page_id: str, delta: str) -> None:
        if self.queue.streams(page_id):
            self.events.text_streamed(page_id, delta)

    def block_completed(self, page_id: str, block: Block) -> None:
        if self.queue.streams(page_id):
            self.events.block_completed(page_id, block)

    def page_finished(self, job_id: int, page_id: str, result: PageResult) -> None:
        was_reading = self.queue.page_finished(job_id, page_id, result)
        if was_reading is None:
            return  # superseded or cancelled: dropped
        if was_reading:
            self.events.page_progress(page_id, 1.0)
        self.events.page_read(page_id, result)

    def page_failed(self, job_id: int, page_id: str, message: str, reason: str) -> None:
        answer = self.queue.page_failed(job_id, page_id, message, reason)
        if answer is None:
            return
        was_reading, retry = answer
        if was_reading:
            self.events.page_progress(page_id, 1.0)
        self.events.page_failed(page_id, message, retry)

    def page_cancelled(self, job_id: int, page_id: str) -> None:
        was_reading = self.queue.page_cancelled(job_id, page_id)
        if was_reading is None:
            return
        if was_reading:
            self.events.page_progress(page_id, 1.0)
        self.events.page_cancelled(page_id)

    def job_finished(self, job_id: int, cancelled: bool) -> None:
        self.queue.job_finished(job_id)

    def job_failed(self, job_id: int, message: str) -> None:
        self.queue.job_failed(job_id)
        self.events.job_failed(job_id, message)

    def queue_drained(self) -> None:
        """The loop has nothing left: reading is over unless a job is still live."""
        if self.queue.queue_drained():
            self.events.reading_changed(False)
            self.events.reading_finished(self.queue.take_summary(), False)

    # -- region answers (RegionListener) -----------------------------------------------------------
    def _wanted(self, request_id: int, page_id: str) -> RegionJob | None:
        job, problem = self.regions.answered(request_id, page_id)
        if job is not None and problem == ROTATED:
            self.events.region_outdated(job.kind, page_id, request_id)
            return None
        return job

    def region_read(self, request_id: int, page_id: str, result: PageResult) -> None:
        if self._wanted(request_id, page_id) is not None:
            self.events.region_read(page_id, request_id, result)

    def located(self, request_id: int, page_id: str, boxes: list[Box]) -> None:
        job = self._wanted(request_id, page_id)
        if job is not None:
            self.events.located(page_id, request_id, job.phrase, list(boxes))

    def region_failed(self, request_id: int, page_id: str, message: str) -> None:
        job = self.regions.failed(request_id, page_id)
        if job is not None:
            self.events.region_failed(job.kind, page_id, request_id, message)

    def region_cancelled(self, request_id: int, page_id: str) -> None:
        self.regions.cancel(request_id)
