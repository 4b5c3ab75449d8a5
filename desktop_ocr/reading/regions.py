"""Region reads and locates waiting for an answer, on the thread that owns the Project. No Qt.

A region request reads one box of a page again (any prompt and mode) or looks for a phrase on it;
it never changes the page: the answer goes to whoever asked (the editor asks before merging a
region's text). :class:`RegionRequests` builds the frozen :class:`~desktop_ocr.reading.jobs.RegionJob`
for the OCR worker and says which answers are still wanted: none after the project was replaced or
the page deleted, and a failure when the page was rotated meanwhile (its boxes would not fit).
"""

from __future__ import annotations

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.document import Project
from desktop_ocr.model.geometry import Box
from desktop_ocr.reading.jobs import Opener, PageSnapshot, RegionJob, next_job_id

#: Why a region answer is turned into a failure.
ROTATED = "rotated"


class RegionRequests:
    """Region reads and locates asked and not answered yet, by request id."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._requests: dict[int, RegionJob] = {}

    def read(self, page_id: str, box: Box, options: ReadOptions, opener: Opener) -> RegionJob | None:
        """A request to read ``box`` (0..999 of the page); None when the page or the box is not there."""
        if not self.project.has_page(page_id) or box.x2 <= box.x1 or box.y2 <= box.y1:
            return None
        page = PageSnapshot.of(self.project, self.project.page(page_id))
        return self._add(RegionJob(next_job_id(), "read", page, opener, box, options))

    def locate(self, page_id: str, phrase: str, mode: str, opener: Opener) -> RegionJob | None:
        """A request to find ``phrase`` on a page; None when the page is not there or the phrase blank."""
        phrase = " ".join(phrase.split())
        if not self.project.has_page(page_id) or not phrase:
            return None
        page = PageSnapshot.of(self.project, self.project.page(page_id))
        options = ReadOptions(prompt="locate", locate_target=phrase, mode=mode)
        return self._add(RegionJob(next_job_id(), "locate", page, opener, None, options, phrase))

    def _add(self, job: RegionJob) -> RegionJob:
        self._requests[job.request_id] = job
        return job

    def pending(self) -> list[int]:
        return list(self._requests)

    def cancel(self, request_id: int) -> bool:
        """Forget a request; True when it was waiting (the worker is to stop it)."""
        return self._requests.pop(request_id, None) is not None

    def drop_all(self, project: Project | None = None) -> list[int]:
        """Forget every request (another project, if given, from now on); the ids to stop."""
        ids = list(self._requests)
        self._requests.clear()
        if project is not None:
            self.project = project
        return ids

    def answered(self, request_id: int, page_id: str) -> tuple[RegionJob | None, str]:
        """The request an answer belongs to and "" when the answer is wanted; (job, ROTATED) when the
        page was rotated or re-rendered meanwhile; (None, "") when nobody waits for it any more."""
        job = self._requests.pop(request_id, None)
        if job is None or job.page.page_id != page_id or not self.project.has_page(page_id):
            return None, ""
        now = PageSnapshot.of(self.project, self.project.page(page_id))
        then = job.page
        if (now.source_id, now.index, now.rotation, now.dpi) != (
            then.source_id,
            then.index,
            then.rotation,
            then.dpi,
        ):
            return job, ROTATED
        return job, ""

    def failed(self, request_id: int, page_id: str) -> RegionJob | None:
        """The request a failure belongs to, if it is still wanted."""
        job = self._requests.pop(request_id, None)
        return job if job is not None and self.project.has_page(page_id) else None
