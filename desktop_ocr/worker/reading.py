"""The Controller's reading commands and the OCR worker's answers (a mixin of ``Controller``).

Pages waiting for a job are tracked in ``_page_job`` (page id -> job id) with the state they had
before (``_prev_state``), so a cancel puts them back at once and late results are dropped.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from desktop_ocr.engine.base import EngineInfo, ReadOptions
from desktop_ocr.i18n import translated
from desktop_ocr.model.document import PageState
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.worker.jobs import OcrJob, next_job_id

#: The next resolution mode down, offered when a page ran out of GPU memory.
SMALLER_MODE = {"large": "base", "gundam": "base", "base": "small", "small": "tiny"}

if TYPE_CHECKING:
    from desktop_ocr.worker.controller import Controller as _Base
else:
    _Base = object


class ReadingMixin(_Base):
    """Read, cancel, pause; the worker's page signals applied to the Project."""

    # -- reading ------------------------------------------------------------------------------
    def edited_pages(self, page_ids: Iterable[str]) -> list[str]:
        """Pages among ``page_ids`` whose text the user edited (re-reading them asks first)."""
        return [pid for pid in page_ids if self.project.has_page(pid) and self.project.page(pid).is_edited]

    def read_pages(
        self, page_ids: Sequence[str], include_edited: bool = False, options: ReadOptions | None = None
    ) -> int:
        """Queue pages for reading, in project order. Edited pages are skipped unless
        ``include_edited``; pages already queued are not queued twice. Returns the job id (0: none)."""
        order = {p.id: i for i, p in enumerate(self.project.all_pages())}
        wanted = sorted({pid for pid in page_ids if pid in order}, key=order.__getitem__)
        skip = set(self._page_job)
        if not include_edited:
            skip |= set(self.edited_pages(wanted))
        pages = [self.project.page(pid) for pid in wanted if pid not in skip]
        if not pages:
            return 0
        opts = options or self._default_options()
        job = OcrJob(
            next_job_id(), tuple(self.page_job(p) for p in pages), self._opener, opts, f"{len(pages)} page(s)"
        )
        self._live_jobs.add(job.job_id)
        self._job_options[job.job_id] = opts
        for p in pages:
            self._page_job[p.id] = job.job_id
            self._prev_state[p.id] = p.state
        self.project.set_state([p.id for p in pages], PageState.QUEUED)
        self.ocr.enqueue(job)
        self.reading_changed.emit(True)
        if not self._tick.isActive():
            self._tick.start()
        return job.job_id

    def read_document(self, document_id: str, include_edited: bool = False) -> int:
        return self.read_pages([p.id for p in self.project.document(document_id).pages], include_edited)

    def read_all(self, include_edited: bool = False, only_unread: bool = False) -> int:
        pages = list(self.project.all_pages())
        if only_unread:
            pages = [p for p in pages if p.state in (PageState.NOT_READ, PageState.FAILED)]
        return self.read_pages([p.id for p in pages], include_edited)

    def default_read_options(self) -> ReadOptions:
        """How pages are read unless a run chooses otherwise (the settings' prompt and mode)."""
        return self._default_options()

    def _default_options(self) -> ReadOptions:
        ds = self.settings.deepseek
        return ReadOptions(
            prompt=ds.prompt, custom_prompt=ds.custom_prompt, mode=ds.mode, max_new_tokens=ds.max_new_tokens
        )

    @property
    def is_reading(self) -> bool:
        return bool(self._page_job)

    def is_page_busy(self, page_id: str) -> bool:
        """Queued or being read: its text is not editable."""
        return page_id in self._page_job

    def cancel_current(self) -> None:
        """Stop the page being read now (within a second: its result is dropped at once)."""
        if self._reading_page:
            page_id = self._reading_page
            self.ocr.cancel_current_page()
            self._finish_page(page_id)
            self._restore_state(page_id)
            self.status_message.emit(self.tr("Cancelled the current page"), 3000)

    def cancel_all(self) -> None:
        """Stop reading and empty the queue; pages go back to their previous state now."""
        if not self._page_job:
            return
        self.ocr.cancel_all()
        for job_id in list(self._live_jobs):
            self.ocr.cancel_job(job_id)
        self._live_jobs.clear()
        for page_id in list(self._page_job):
            self._restore_state(page_id)
        self._page_job.clear()
        self._reading_page = ""
        self._tick.stop()
        self.reading_changed.emit(False)
        self.progress_changed.emit(0, 0, -1.0)
        self.status_message.emit(self.tr("Reading cancelled"), 3000)

    def pause(self) -> None:
        self.ocr.pause()

    def resume(self) -> None:
        self.ocr.resume()

    @property
    def paused(self) -> bool:
        return self.ocr.paused

    def _restore_state(self, page_id: str) -> None:
        self._page_job.pop(page_id, None)
        prev = self._prev_state.pop(page_id, PageState.NOT_READ)
        if self.project.has_page(page_id) and self.project.page(page_id).state.transient:
            self.project.set_state([page_id], prev if not prev.transient else PageState.NOT_READ)

    def _accepts(self, job_id: int, page_id: str) -> bool:
        """A worker result is used only if its page is still waiting for exactly this job."""
        return self._page_job.get(page_id) == job_id and self.project.has_page(page_id)

    def _finish_page(self, page_id: str) -> None:
        if self._reading_page == page_id:
            self._reading_page = ""
            self.page_progress.emit(page_id, 1.0)

    @Slot(int, str)
    def _on_page_started(self, job_id: int, page_id: str) -> None:
        if not self._accepts(job_id, page_id):
            return
        self._reading_page = page_id
        self._reading_since = time.monotonic()
        self.project.set_state([page_id], PageState.READING)
        self.page_reading_started.emit(page_id)

    @Slot(str, str)
    def _on_text_streamed(self, page_id: str, delta: str) -> None:
        if page_id == self._reading_page:
            self.text_streamed.emit(page_id, delta)

    @Slot(str, object)
    def _on_block_completed(self, page_id: str, block: Block) -> None:
        if page_id == self._reading_page:
            self.block_completed.emit(page_id, block)

    @Slot(int, str, object)
    def _on_page_finished(self, job_id: int, page_id: str, result: PageResult) -> None:
        if not self._accepts(job_id, page_id):
            return  # superseded or cancelled: dropped
        self._finish_page(page_id)
        self._page_job.pop(page_id, None)
        self._prev_state.pop(page_id, None)
        self.project.set_result(page_id, result)
        if result.elapsed_s > 0:
            self._seconds_per_page = 0.7 * self._seconds_per_page + 0.3 * result.elapsed_s
        self.page_result_arrived.emit(page_id)
        server = result.extra.get("server") if isinstance(result.extra, dict) else None
        if server:  # a page read by a DeepSeek-OCR server: say which one
            label = self.project.page(page_id).label or self.tr("A page")
            self.status_message.emit(
                self.tr("{page} read by {server} in {seconds:.1f} s").format(
                    page=label, server=server, seconds=result.elapsed_s
                ),
                5000,
            )

    @Slot(int, str, str, str)
    def _on_page_failed(self, job_id: int, page_id: str, message: str, reason: str) -> None:
        if not self._accepts(job_id, page_id):
            return
        self._finish_page(page_id)
        self._page_job.pop(page_id, None)
        self._prev_state.pop(page_id, None)
        self.project.set_state([page_id], PageState.FAILED, error=message)
        if reason == "oom":
            opts = self._job_options.get(job_id) or self._default_options()
            smaller = SMALLER_MODE.get(opts.mode)
            if smaller:
                self.retry_offered.emit([page_id], dataclasses.replace(opts, mode=smaller))
        label = self.project.page(page_id).label or self.tr("A page")
        self.status_message.emit(self.tr("{page}: {reason}").format(page=label, reason=message), 8000)

    @Slot(int, str)
    def _on_page_cancelled(self, job_id: int, page_id: str) -> None:
        if self._accepts(job_id, page_id):
            self._finish_page(page_id)
            self._restore_state(page_id)

    @Slot(int, bool)
    def _on_job_finished(self, job_id: int, cancelled: bool) -> None:
        self._live_jobs.discard(job_id)
        self._job_options.pop(job_id, None)

    @Slot(int, str)
    def _on_job_failed(self, job_id: int, message: str) -> None:
        self._live_jobs.discard(job_id)
        for page_id in [p for p, j in self._page_job.items() if j == job_id]:
            self._restore_state(page_id)
        self.problems_reported.emit(self.tr("Reading failed"), [message])

    @Slot()
    def _on_queue_drained(self) -> None:
        if self._live_jobs:
            return
        for page_id in list(self._page_job):  # anything the worker never answered for
            self._restore_state(page_id)
        self._reading_page = ""
        self._tick.stop()
        self.reading_changed.emit(False)

    @Slot(float, str)
    def _on_engine_progress(self, fraction: float, message: str) -> None:
        if fraction >= 0:
            text = self.tr("Loading engine {percent} {message}").format(
                percent=f"{fraction:.0%}", message=message
            )
        else:
            text = self.tr("Loading engine {message}").format(message=message)
        self.engine_status_changed.emit(text.strip())

    @Slot(object)
    def _on_engine_loaded(self, info: EngineInfo) -> None:
        self._engine_info = info
        self._seconds_per_page = info.seconds_per_page_estimate
        self.engine_status_changed.emit(
            self.tr("{engine} on {device}").format(engine=translated(info.title), device=info.device)
        )

    @Slot(str)
    def _on_engine_failed(self, message: str) -> None:
        self.engine_status_changed.emit(self.tr("Engine not available"))
        self.problems_reported.emit(self.tr("The OCR engine could not be started"), [message])

    def _estimate_page_progress(self) -> None:
        if self._reading_page:
            elapsed = time.monotonic() - self._reading_since
            self.page_progress.emit(self._reading_page, min(0.95, elapsed / max(self._seconds_per_page, 0.1)))
