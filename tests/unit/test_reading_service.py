"""The reading service without Qt: answers for several pages in flight, in any order, applied to the
right pages; stale answers (page re-queued, reading cancelled, page deleted) dropped; the
out-of-memory retry; the run's tally; region answers for a rotated page. A real Project with real
PDF pages, the real reading loop (PageReader) and a small engine that reads pages side by side."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from test_reading import SlotEngine, make_project

from desktop_ocr.engine.base import Engine, EngineInfo, PageFailure, PageFeed, ReadOptions
from desktop_ocr.model.document import PageState
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.reading.jobs import OcrJob
from desktop_ocr.reading.queue import ReadSummary
from desktop_ocr.reading.region_runner import RegionListener
from desktop_ocr.reading.runner import PageReader, ReadingListener
from desktop_ocr.reading.service import ReadingEvents, ReadingService


class Events(ReadingEvents):
    """What the service reported, in order."""

    def __init__(self) -> None:
        self.log: list[tuple] = []
        self.finished: list[tuple[ReadSummary, bool]] = []

    def reading_changed(self, reading):
        self.log.append(("reading", reading))

    def page_reading_started(self, page_id):
        self.log.append(("started", page_id))

    def text_streamed(self, page_id, delta):
        self.log.append(("text", page_id, delta))

    def page_progress(self, page_id, fraction):
        self.log.append(("progress", page_id, fraction))

    def page_read(self, page_id, result):
        self.log.append(("read", page_id, result.markdown))

    def page_failed(self, page_id, message, retry):
        self.log.append(("failed", page_id, retry))

    def page_cancelled(self, page_id):
        self.log.append(("cancelled", page_id))

    def reading_finished(self, summary, cancelled):
        self.finished.append((summary, cancelled))

    def region_read(self, page_id, request_id, result):
        self.log.append(("region", page_id, request_id))

    def region_outdated(self, kind, page_id, request_id):
        self.log.append(("outdated", kind, page_id, request_id))

    def of(self, kind: str) -> list[tuple]:
        return [e for e in self.log if e[0] == kind]


class Loop(ReadingListener):
    """The reading loop's answers as they would cross from the OCR worker's thread: recorded, to be
    delivered to the service later and in any order."""

    def __init__(self) -> None:
        self.answers: list[tuple] = []

    def page_started(self, job_id, page_id):
        self.answers.append(("page_started", job_id, page_id))

    def text_streamed(self, page_id, delta):
        self.answers.append(("text_streamed", page_id, delta))

    def page_finished(self, job_id, page_id, result):
        self.answers.append(("page_finished", job_id, page_id, result))

    def page_failed(self, job_id, page_id, message, reason):
        self.answers.append(("page_failed", job_id, page_id, message, reason))

    def page_cancelled(self, job_id, page_id):
        self.answers.append(("page_cancelled", job_id, page_id))

    def job_finished(self, job_id, cancelled):
        self.answers.append(("job_finished", job_id, cancelled))

    def of(self, name: str) -> list[tuple]:
        return [a for a in self.answers if a[0] == name]


def deliver(service: ReadingService, answers: Sequence[tuple]) -> None:
    for name, *args in answers:
        getattr(service, name)(*args)


def run(job: OcrJob, engine: Engine, renderer: PageRenderer) -> Loop:
    loop = Loop()
    reader = PageReader(loop)
    reader.enqueue(job)
    reader.run_job(engine, reader.next_job()[0], renderer)
    return loop


def expected_text(page_index: int) -> str:
    return f"{(200 + 10 * page_index) * 2}x200"  # make_project's pages differ in width


def test_pages_in_flight_answered_out_of_order_each_get_their_own_result(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=6)
    events = Events()
    service = ReadingService(project, events)
    job = service.submit([p.id for p in pages], ReadOptions(), sink.opener(project))
    assert job is not None and events.log == [("reading", True)]
    loop = run(job, SlotEngine(slots=3), PageRenderer(sink.opener(project)))
    # three pages start side by side; their text streams interleaved; they finish newest first
    started = loop.of("page_started")
    deliver(service, started[:3])
    assert service.reading_pages == [pages[0].id, pages[1].id, pages[2].id]
    assert all(p.state == PageState.READING for p in pages[:3]) and pages[3].state == PageState.QUEUED
    service.estimate_progress()
    fractions = events.of("progress")
    assert [e[1] for e in fractions] == [p.id for p in pages[:3]] and all(0 <= e[2] < 1 for e in fractions)
    deliver(service, [("text_streamed", pid, f"<{pid}>") for pid in (pages[2].id, pages[0].id, pages[1].id)])
    assert [e[1] for e in events.of("text")] == [pages[2].id, pages[0].id, pages[1].id]
    finished = {a[2]: a for a in loop.of("page_finished")}
    deliver(service, [finished[pages[i].id] for i in (2, 0)])
    assert service.reading_pages == [pages[1].id]
    deliver(service, started[3:])
    deliver(service, [finished[pages[i].id] for i in (5, 1, 3, 4)])
    assert [p.text for p in pages] == [expected_text(i) for i in range(6)]
    assert all(p.state == PageState.READ for p in pages)
    read_order = [e[1] for e in events.of("read")]
    assert read_order == [pages[i].id for i in (2, 0, 5, 1, 3, 4)]
    done = [e[1] for e in events.of("progress") if e[2] == 1.0]
    assert sorted(done) == sorted(p.id for p in pages)  # every page's bar completes once
    assert not service.reading_pages and not service.is_reading
    deliver(service, loop.of("job_finished"))
    service.queue_drained()
    ((summary, cancelled),) = events.finished
    assert summary.counts == (6, 0, 0) and not cancelled and events.log[-1] == ("reading", False)


def test_stale_answers_are_dropped_after_a_cancel_a_requeue_and_a_delete(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=4)
    project.set_result(pages[3].id, PageResult((), "kept", "kept"))
    events = Events()
    service = ReadingService(project, events)
    opener = sink.opener(project)
    first = service.submit([p.id for p in pages], ReadOptions(), opener, include_edited=True)
    loop1 = run(first, SlotEngine(slots=3), PageRenderer(opener))
    deliver(service, loop1.of("page_started")[:3])
    # the user cancels everything: pages back at once, the run reported as cancelled
    assert service.cancel_all() == [first.job_id]
    assert pages[0].state == PageState.NOT_READ and pages[3].state == PageState.READ
    ((summary, cancelled),) = events.finished
    assert cancelled and summary.counts == (0, 0, 4)
    # page 1 is queued again (a new job), page 2 too, and then page 2 is deleted
    second = service.submit([pages[1].id, pages[2].id], ReadOptions(), opener)
    assert second is not None and second.job_id != first.job_id
    deliver(service, [("page_started", second.job_id, pages[2].id)])
    project.delete_pages([pages[2].id])
    service.forget([pages[2].id])
    # the first job's answers arrive late, in reverse order: every one is dropped
    events.log.clear()
    deliver(service, list(reversed(loop1.answers)))
    assert events.log == []
    assert pages[0].result is None and pages[0].state == PageState.NOT_READ
    assert pages[1].state == PageState.QUEUED and pages[3].text == "kept"
    # the second job's answers: page 1 is read; the deleted page's answer is dropped
    loop2 = run(second, SlotEngine(slots=2), PageRenderer(opener))
    deliver(service, loop2.answers)
    assert [e[1] for e in events.of("read")] == [pages[1].id]
    assert pages[1].text == expected_text(1) and pages[1].state == PageState.READ
    assert not project.has_page(pages[2].id) and not service.is_reading


class OomEngine(SlotEngine):
    """Runs out of memory on the pages it is told to."""

    def __init__(self, slots: int, oom: set[str]) -> None:
        super().__init__(slots)
        self.oom = oom

    def read_feed(self, feed: PageFeed, *, cancel: threading.Event | None = None) -> None:
        while (page := feed.take()) is not None:
            if page.key in self.oom:
                feed.done(page.key, PageFailure(page.key, "Out of memory.", "oom"))
            else:
                feed.done(page.key, PageResult((), "ok", "ok", width=1, height=1))

    @property
    def info(self) -> EngineInfo:
        return EngineInfo("oom", "Oom", max_batch=self.slots)


def test_a_page_out_of_memory_fails_and_offers_the_next_smaller_mode(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=3)
    events = Events()
    service = ReadingService(project, events)
    job = service.submit([p.id for p in pages], ReadOptions(mode="gundam"), sink.opener(project))
    loop = run(job, OomEngine(2, {pages[1].id}), PageRenderer(sink.opener(project)))
    deliver(service, loop.answers)
    service.queue_drained()
    assert events.of("failed") == [("failed", pages[1].id, ReadOptions(mode="base"))]
    assert pages[1].state == PageState.FAILED and pages[0].state == pages[2].state == PageState.READ
    ((summary, _cancelled),) = events.finished
    assert summary.counts == (2, 1, 0) and summary.failed == {pages[1].id: "Out of memory."}


def test_a_region_answer_for_a_page_rotated_meanwhile_is_outdated_and_a_stale_one_dropped(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=2)
    events = Events()
    service = ReadingService(project, events)
    assert isinstance(service, RegionListener)
    opener = sink.opener(project)
    box = Box(0, 0, 999, 999)
    kept = service.read_region(pages[0].id, box, ReadOptions(), opener)
    turned = service.read_region(pages[1].id, box, ReadOptions(), opener)
    gone = service.read_region(pages[1].id, box, ReadOptions(), opener)
    assert (
        kept
        and turned
        and gone
        and service.read_region(pages[0].id, Box(5, 5, 5, 9), ReadOptions(), opener) is None
    )
    project.rotate_pages([pages[1].id], 90)
    assert service.cancel_request(gone.request_id)
    result = PageResult((), "r", "r")
    service.region_read(gone.request_id, pages[1].id, result)
    service.region_read(turned.request_id, pages[1].id, result)
    service.region_read(kept.request_id, pages[0].id, result)
    assert events.log == [
        ("outdated", "read", pages[1].id, turned.request_id),
        ("region", pages[0].id, kept.request_id),
    ]
    assert service.pending_requests() == []
