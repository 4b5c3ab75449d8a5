"""The Controller's region commands: read a region of a page again, locate a phrase (a mixin of ``Controller``).

Both run on the OCR worker ahead of queued page reads (after the batch being read now) and never
change the page: the answer comes as a signal with the request id, and the caller decides what to do
with it (the editor asks before merging a region's text). Requests are dropped when the project is
replaced, when their page is deleted, or when it was rotated meanwhile (the boxes would not fit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult
from desktop_ocr.pipeline import PageJob
from desktop_ocr.worker.jobs import RegionJob, next_job_id

if TYPE_CHECKING:
    from desktop_ocr.worker.controller import Controller as _Base
else:
    _Base = object


class RegionMixin(_Base):
    """``read_region``, ``locate``, ``cancel_request``; answers as ``region_read``/``region_failed``
    and ``located``/``locate_failed`` (declared on the Controller)."""

    def _init_regions(self) -> None:
        self._region_requests: dict[int, RegionJob] = {}
        w = self.ocr
        w.region_read.connect(self._on_region_read)
        w.located.connect(self._on_located)
        w.region_failed.connect(self._on_region_failed)
        w.region_cancelled.connect(self._on_region_cancelled)
        self.project_replaced.connect(self._drop_region_requests)

    # -- commands ---------------------------------------------------------------------------------
    def read_region(self, page_id: str, box: Box, options: ReadOptions | None = None) -> int:
        """Read the region ``box`` (0..999 of the page image) of a page with the current engine and
        ``options`` (default: the settings' prompt and mode). Returns the request id, 0 when the
        page does not exist or the box is empty. ``region_read(page_id, request_id, result)``
        follows with a PageResult whose boxes are on the page (``extra["region"]`` = the box), or
        ``region_failed(page_id, request_id, message)``. The page itself is not changed."""
        if not self.project.has_page(page_id) or box.x2 <= box.x1 or box.y2 <= box.y1:
            return 0
        page_job = self.page_job(self.project.page(page_id))
        job = RegionJob(
            next_job_id(), "read", page_job, self._opener, box, options or self._default_options()
        )
        return self._submit_region(job)

    def locate(self, page_id: str, phrase: str) -> int:
        """Look for ``phrase`` on a page with the current engine (DeepSeek-OCR: its locate prompt).
        Returns the request id, 0 when the page does not exist or the phrase is blank.
        ``located(page_id, request_id, phrase, boxes)`` follows (boxes on the page, [] when not
        found), or ``locate_failed(page_id, request_id, message)``. The page is not changed."""
        phrase = " ".join(phrase.split())
        if not self.project.has_page(page_id) or not phrase:
            return 0
        page_job = self.page_job(self.project.page(page_id))
        options = ReadOptions(prompt="locate", locate_target=phrase, mode=self._default_options().mode)
        job = RegionJob(next_job_id(), "locate", page_job, self._opener, None, options, phrase)
        return self._submit_region(job)

    def cancel_request(self, request_id: int) -> None:
        """Cancel a region read or a locate; nothing more is emitted for it."""
        if self._region_requests.pop(request_id, None) is not None:
            self.ocr.cancel_region(request_id)

    def pending_requests(self) -> list[int]:
        """Ids of the region reads and locates not answered yet."""
        return list(self._region_requests)

    def _submit_region(self, job: RegionJob) -> int:
        self._region_requests[job.request_id] = job
        self.ocr.enqueue_region(job)
        return job.request_id

    def _drop_region_requests(self) -> None:
        for request_id in list(self._region_requests):
            self.ocr.cancel_region(request_id)
        self._region_requests.clear()

    # -- answers ----------------------------------------------------------------------------------
    def _take_request(self, request_id: int, page_id: str) -> RegionJob | None:
        """The request if it is still wanted and its page still looks as it did, else None."""
        job = self._region_requests.pop(request_id, None)
        if job is None or job.page.page_id != page_id:
            return None
        if not self.project.has_page(page_id):
            return None  # deleted meanwhile: nobody can use the answer
        now: PageJob = self.page_job(self.project.page(page_id))
        if (now.source_id, now.index, now.rotation, now.dpi) != (
            job.page.source_id,
            job.page.index,
            job.page.rotation,
            job.page.dpi,
        ):
            self._region_failed(
                job, self.tr("The page was rotated while it was being read: please try again.")
            )
            return None
        return job

    def _region_failed(self, job: RegionJob, message: str) -> None:
        if job.kind == "locate":
            self.locate_failed.emit(job.page.page_id, job.request_id, message)
        else:
            self.region_failed.emit(job.page.page_id, job.request_id, message)

    @Slot(int, str, object)
    def _on_region_read(self, request_id: int, page_id: str, result: PageResult) -> None:
        if self._take_request(request_id, page_id) is not None:
            self.region_read.emit(page_id, request_id, result)

    @Slot(int, str, list)
    def _on_located(self, request_id: int, page_id: str, boxes: list) -> None:
        job = self._take_request(request_id, page_id)
        if job is not None:
            self.located.emit(page_id, request_id, job.phrase, list(boxes))

    @Slot(int, str, str)
    def _on_region_failed(self, request_id: int, page_id: str, message: str) -> None:
        job = self._region_requests.pop(request_id, None)
        if job is not None and self.project.has_page(page_id):
            self._region_failed(job, message)

    @Slot(int, str)
    def _on_region_cancelled(self, request_id: int, page_id: str) -> None:
        self._region_requests.pop(request_id, None)
