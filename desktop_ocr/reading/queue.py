"""Which page waits for which reading job, on the thread that owns the Project. No Qt.

:class:`ReadingQueue` queues pages (state QUEUED, in project order, never twice), remembers the
state each had so a cancel puts it back at once, applies the reading loop's answers to the Project
and drops answers for pages no longer waiting for exactly that job (stale results). A page that ran
out of memory gets a retry offer with the next smaller mode. The GUI's Controller and
``desktop-ocr convert`` both use it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.document import Page, PageState, Project
from desktop_ocr.model.result import PageResult
from desktop_ocr.reading.jobs import OcrJob, Opener, PageSnapshot, next_job_id

#: The next resolution mode down, offered when a page ran out of GPU memory.
SMALLER_MODE = {"large": "base", "gundam": "base", "base": "small", "small": "tiny"}

#: The page fraction shown while a page is read never reaches 1 before its result.
MAX_ESTIMATED_FRACTION = 0.95


class ReadingQueue:
    """Pages queued or being read, by job (see the module docstring)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._page_job: dict[str, int] = {}  # page id -> job id, for pages queued or being read
        self._prev_state: dict[str, PageState] = {}  # the state to put back on cancel
        self._live_jobs: set[int] = set()
        self._job_options: dict[int, ReadOptions] = {}
        self.reading_page = ""  # the page being read now (streamed text is shown for it)
        self._reading_since = 0.0
        self.seconds_per_page = 2.0  # the reading loop's measured pace
        self._tally = {"read": 0, "failed": 0, "cancelled": 0}  # answers since reading began

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

    def page_fraction(self) -> tuple[str, float] | None:
        """The page being read and how far it probably is (from the measured pace)."""
        if not self.reading_page:
            return None
        elapsed = time.monotonic() - self._reading_since
        return self.reading_page, min(MAX_ESTIMATED_FRACTION, elapsed / max(self.seconds_per_page, 0.1))

    def take_tally(self) -> tuple[int, int, int]:
        """Pages (read, failed, cancelled) since the last call: what a finished run did."""
        t = self._tally
        counts = (t["read"], t["failed"], t["cancelled"])
        self._tally = dict.fromkeys(t, 0)
        return counts

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
            f"{len(pages)} page(s)",
        )
        self._live_jobs.add(job.job_id)
        self._job_options[job.job_id] = options
        for p in pages:
            self._page_job[p.id] = job.job_id
            self._prev_state[p.id] = p.state
        self.project.set_state([p.id for p in pages], PageState.QUEUED)
        return job

    def cancel_current(self) -> str:
        """Put the page being read back now; its id ("" when none)."""
        page_id = self.reading_page
        if page_id:
            self._tally["cancelled"] += 1
            self._finish_page(page_id)
            self.restore(page_id)
        return page_id

    def cancel_all(self) -> list[int]:
        """Put every waiting page back now; the jobs that were live (to cancel in the reading loop)."""
        jobs = sorted(self._live_jobs)
        self._live_jobs.clear()
        self._tally["cancelled"] += len(self._page_job)
        for page_id in list(self._page_job):
            self.restore(page_id)
        self._page_job.clear()
        self.reading_page = ""
        return jobs

    def restore(self, page_id: str) -> None:
        """The page waits no more: back to the state it had before it was queued."""
        self._page_job.pop(page_id, None)
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

    def set_project(self, project: Project) -> None:
        """Another project: nothing of the old one waits any more."""
        self.project = project
        self._page_job.clear()
        self._prev_state.clear()
        self.reading_page = ""
        self.take_tally()

    # -- the reading loop's answers ------------------------------------------------------------------
    def _finish_page(self, page_id: str) -> bool:
        """True when ``page_id`` was the page being read."""
        if self.reading_page == page_id:
            self.reading_page = ""
            return True
        return False

    def _settle(self, page_id: str) -> bool:
        was_reading = self._finish_page(page_id)
        self._page_job.pop(page_id, None)
        self._prev_state.pop(page_id, None)
        return was_reading

    def page_started(self, job_id: int, page_id: str) -> bool:
        if not self.accepts(job_id, page_id):
            return False
        self.reading_page = page_id
        self._reading_since = time.monotonic()
        self.project.set_state([page_id], PageState.READING)
        return True

    def streams(self, page_id: str) -> bool:
        """Streamed text and blocks are shown only for the page being read."""
        return page_id == self.reading_page

    def page_finished(self, job_id: int, page_id: str, result: PageResult) -> bool | None:
        """Store the result. None: dropped (stale); else whether it was the page being read."""
        if not self.accepts(job_id, page_id):
            return None
        was_reading = self._settle(page_id)
        self.project.set_result(page_id, result)
        self._tally["read"] += 1
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
        self._tally["failed"] += 1
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
        self._tally["cancelled"] += 1
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
        self.reading_page = ""
        return True
