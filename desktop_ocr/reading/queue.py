"""Which page waits for which reading job, on the thread that owns the Project. No Qt.

:class:`ReadingQueue` queues pages (state QUEUED, in project order, never twice), remembers the
state each had so a cancel puts it back at once, applies the reading loop's answers to the Project
and drops answers for pages no longer waiting for exactly that job (stale results). Several pages can
be in flight at once (a server engine reads pages side by side, a GPU engine refills batch slots), and
their answers may come in any order. A page that ran out of memory gets a retry offer with the next
smaller mode. :class:`desktop_ocr.reading.service.ReadingService` composes it for the GUI's Controller
and ``desktop-ocr convert`` alike.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.document import Page, PageState, Project
from desktop_ocr.model.result import PageResult
from desktop_ocr.reading.jobs import OcrJob, Opener, PageSnapshot, next_job_id

#: The next resolution mode down, offered when a page ran out of GPU memory.
SMALLER_MODE = {"large": "base", "gundam": "base", "base": "small", "small": "tiny"}

#: The page fraction shown while a page is read never reaches 1 before its result.
MAX_ESTIMATED_FRACTION = 0.95


@dataclass(slots=True)
class ReadSummary:
    """What a reading run did, page by page."""

    read: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # page id -> message
    cancelled: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled

    @property
    def counts(self) -> tuple[int, int, int]:
        """(read, failed, cancelled)."""
        return len(self.read), len(self.failed), len(self.cancelled)


class ReadingQueue:
    """Pages queued or being read, by job (see the module docstring)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._page_job: dict[str, int] = {}  # page id -> job id, for pages queued or being read
        self._prev_state: dict[str, PageState] = {}  # the state to put back on cancel
        self._live_jobs: set[int] = set()
        self._job_options: dict[int, ReadOptions] = {}
        #: the pages being read now (streamed text is shown for them) -> when each started
        self._reading: dict[str, float] = {}
        self.seconds_per_page = 2.0  # the reading loop's measured pace (a throughput)
        self.summary = ReadSummary()  # answers since reading began

    # -- queries ---------------------------------------------------------------------------------
    def edited_pages(self, page_ids: Iterable[str]) -> list[str]:
        """Pages among ``page_ids`` whose text the user edited (re-reading them asks first)."""
        return [pid for pid in page_ids if self.project.has_page(pid) and self.project.page(pid).is_edited]

    @property
    def is_reading(self) -> bool:
        return bool(self._page_job)

    def is_busy(self, page_id: str) -> bool:
        """Queued or being read."""
        return page_id in self._page_job

    @property
    def live_jobs(self) -> set[int]:
        return set(self._live_jobs)

    def accepts(self, job_id: int, page_id: str) -> bool:
        """An answer is used only if its page is still waiting for exactly this job."""
        return self._page_job.get(page_id) == job_id and self.project.has_page(page_id)

    @property
    def reading_page(self) -> str:
        """The page being read now that started first ("" when none)."""
        return next(iter(self._reading), "")

    @property
    def reading_pages(self) -> list[str]:
        """Every page being read now, the earliest started first."""
        return list(self._reading)

    def page_fractions(self) -> list[tuple[str, float]]:
        """Each page being read and how far it probably is: the measured pace is a throughput, so
        with n pages side by side each takes about n times the seconds per page."""
        now = time.monotonic()
        per_page = max(self.seconds_per_page, 0.1) * max(1, len(self._reading))
        return [(pid, min(MAX_ESTIMATED_FRACTION, (now - t) / per_page)) for pid, t in self._reading.items()]

    def take_tally(self) -> tuple[int, int, int]:
        """Pages (read, failed, cancelled) since the last call: what a finished run did."""
        return self.take_summary().counts

    def take_summary(self) -> ReadSummary:
        """What was read, failed and cancelled since the last call."""
        summary, self.summary = self.summary, ReadSummary()
        return summary

    # -- commands --------------------------------------------------------------------------------
    def submit(
        self, page_ids: Sequence[str], options: ReadOptions, opener: Opener, include_edited: bool = False
    ) -> OcrJob | None:
        """A job for pages in project order (edited pages only if ``include_edited``; pages already
        queued are not queued twice), its pages set QUEUED; None when no page is left."""
        order = {p.id: i for i, p in enumerate(self.project.all_pages())}
        wanted = sorted({pid for pid in page_ids if pid in order}, key=order.__getitem__)
        skip = set(self._page_job)
        if not include_edited:
            skip |= set(self.edited_pages(wanted))
        pages: list[Page] = [self.project.page(pid) for pid in wanted if pid not in skip]
        if not pages:
            return None
        job = OcrJob(
            next_job_id(),
            tuple(PageSnapshot.of(self.project, p) for p in pages),
            opener,
            options,
            "1 page" if len(pages) == 1 else f"{len(pages)} pages",
        )
        self._live_jobs.add(job.job_id)
        self._job_options[job.job_id] = options
        for p in pages:
            self._page_job[p.id] = job.job_id
            self._prev_state[p.id] = p.state
        self.project.set_state([p.id for p in pages], PageState.QUEUED)
        return job

    def cancel_current(self) -> list[str]:
        """Put the pages being read back now (the loop stops all of them); their ids."""
        page_ids = self.reading_pages
        for page_id in page_ids:
            self.summary.cancelled.append(page_id)
            self._finish_page(page_id)
            self.restore(page_id)
        return page_ids

    def cancel_all(self) -> list[int]:
        """Put every waiting page back now; the jobs that were live (to cancel in the reading loop)."""
        jobs = sorted(self._live_jobs)
        self._live_jobs.clear()
        self.summary.cancelled.extend(self._page_job)
        for page_id in list(self._page_job):
            self.restore(page_id)
        self._page_job.clear()
        self._reading.clear()
        return jobs

    def restore(self, page_id: str) -> None:
        """The page waits no more: back to the state it had before it was queued."""
        self._page_job.pop(page_id, None)
        self._reading.pop(page_id, None)
        prev = self._prev_state.pop(page_id, PageState.NOT_READ)
        if self.project.has_page(page_id) and self.project.page(page_id).state.transient:
            self.project.set_state([page_id], prev if not prev.transient else PageState.NOT_READ)

    def restore_all(self) -> None:
        for page_id in list(self._page_job):
            self.restore(page_id)
        self._page_job.clear()

    def forget(self, page_ids: Iterable[str]) -> None:
        """Pages deleted from the project: nothing to put back, answers for them are dropped."""
        for pid in page_ids:
            self._page_job.pop(pid, None)
            self._prev_state.pop(pid, None)
            self._reading.pop(pid, None)

    def set_project(self, project: Project) -> None:
        """Another project: nothing of the old one waits any more."""
        self.project = project
        self._page_job.clear()
        self._prev_state.clear()
        self._reading.clear()
        self.take_tally()

    # -- the reading loop's answers ------------------------------------------------------------------
    def _finish_page(self, page_id: str) -> bool:
        """True when ``page_id`` was being read."""
        return self._reading.pop(page_id, None) is not None

    def _settle(self, page_id: str) -> bool:
        was_reading = self._finish_page(page_id)
        self._page_job.pop(page_id, None)
        self._prev_state.pop(page_id, None)
        return was_reading

    def page_started(self, job_id: int, page_id: str) -> bool:
        if not self.accepts(job_id, page_id):
            return False
        self._reading[page_id] = time.monotonic()
        self.project.set_state([page_id], PageState.READING)
        return True

    def streams(self, page_id: str) -> bool:
        """Streamed text and blocks are shown only for pages being read."""
        return page_id in self._reading

    def page_finished(self, job_id: int, page_id: str, result: PageResult) -> bool | None:
        """Store the result. None: dropped (stale); else whether it was the page being read."""
        if not self.accepts(job_id, page_id):
            return None
        was_reading = self._settle(page_id)
        self.project.set_result(page_id, result)
        self.summary.read.append(page_id)
        return was_reading

    def page_failed(
        self, job_id: int, page_id: str, message: str, reason: str
    ) -> tuple[bool, ReadOptions | None] | None:
        """Mark the page failed. None: dropped (stale); else (was the page being read, the options to
        retry with after running out of memory, or None)."""
        if not self.accepts(job_id, page_id):
            return None
        was_reading = self._settle(page_id)
        self.project.set_state([page_id], PageState.FAILED, error=message)
        self.summary.failed[page_id] = message
        retry = None
        if reason == "oom":
            opts = self._job_options.get(job_id) or ReadOptions()
            smaller = SMALLER_MODE.get(opts.mode)
            if smaller:
                retry = dataclasses.replace(opts, mode=smaller)
        return was_reading, retry

    def page_cancelled(self, job_id: int, page_id: str) -> bool | None:
        """Put the page back. None: dropped (stale); else whether it was the page being read."""
        if not self.accepts(job_id, page_id):
            return None
        was_reading = self._finish_page(page_id)
        self.restore(page_id)
        self.summary.cancelled.append(page_id)
        return was_reading

    def job_finished(self, job_id: int) -> None:
        self._live_jobs.discard(job_id)
        self._job_options.pop(job_id, None)

    def job_failed(self, job_id: int) -> None:
        self._live_jobs.discard(job_id)
        for page_id in [p for p, j in self._page_job.items() if j == job_id]:
            self.restore(page_id)

    def queue_drained(self) -> bool:
        """The loop has nothing left. True when reading is over (pages never answered put back)."""
        if self._live_jobs:
            return False
        for page_id in list(self._page_job):
            self.restore(page_id)
        self._reading.clear()
        return True
