"""The reading service without Qt: the pull-based feed, page states, stale answers, OOM, pace."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pymupdf

from desktop_ocr.engine.base import Engine, EngineInfo, PageFailure, PageFeed, PageInput, ReadOptions
from desktop_ocr.model.document import PageState, Project
from desktop_ocr.model.importer import MemorySources, import_paths
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.reading.convert import read_pages
from desktop_ocr.reading.pace import Pace
from desktop_ocr.reading.queue import ReadingQueue
from desktop_ocr.reading.runner import PageReader, ReadingListener


def make_project(tmp_path, pages=6):
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page(width=200 + 10 * i, height=100)
    path = tmp_path / "d.pdf"
    doc.save(str(path))
    project = Project()
    sink = MemorySources()
    outcome = import_paths(project, [path], sink, 72)
    return project, sink, outcome.documents[0].pages


def size_result(p: PageInput) -> PageResult:
    w, h = p.image.size
    return PageResult((), f"{w}x{h}", f"{w}x{h}", engine="fake", width=w, height=h)


class SlotEngine(Engine):
    """Reads up to ``slots`` pages side by side and finishes the oldest one first whenever it has
    ``slots`` in flight (or no more to take): a pull-based engine, as a multi-endpoint server is."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.log: list[tuple[str, str]] = []  # ("take"/"done", key)
        self.most_in_flight = 0

    @property
    def info(self) -> EngineInfo:
        return EngineInfo("slots", "Slots", max_batch=self.slots, seconds_per_page_estimate=0.5)

    def load(self, progress=None, cancel=None) -> None:
        pass

    def read(self, pages: Sequence[PageInput], *, on_text=None, on_block=None, cancel=None):
        raise AssertionError("a pull-based engine is fed, never handed batches")

    def read_feed(self, feed: PageFeed, *, cancel: threading.Event | None = None) -> None:
        flight: list[PageInput] = []
        more = True
        while more or flight:
            while more and len(flight) < self.slots:
                page = feed.take()
                if page is None:
                    more = False
                    break
                self.log.append(("take", page.key))
                flight.append(page)
            self.most_in_flight = max(self.most_in_flight, len(flight))
            if flight:
                page = flight.pop(0)
                if feed.on_text:
                    feed.on_text(page.key, "x")
                self.log.append(("done", page.key))
                feed.done(page.key, size_result(page))


class BatchEngine(Engine):
    """The plain batch form (only ``read``); ``oom`` pages make the whole batch run out of memory."""

    def __init__(self, max_batch: int = 2, oom: Sequence[str] = (), short: bool = False) -> None:
        self.batches: list[list[str]] = []
        self.oom = set(oom)
        self.short = short
        self._max_batch = max_batch

    @property
    def info(self) -> EngineInfo:
        return EngineInfo("batch", "Batch", max_batch=self._max_batch, seconds_per_page_estimate=0.5)

    def load(self, progress=None, cancel=None) -> None:
        pass

    def read(self, pages: Sequence[PageInput], *, on_text=None, on_block=None, cancel=None):
        self.batches.append([p.key for p in pages])
        if self.oom & {p.key for p in pages}:
            raise MemoryError
        out: list[PageResult | PageFailure] = [size_result(p) for p in pages]
        return out[:-1] if self.short else out


def test_a_pull_engine_takes_the_next_page_as_soon_as_a_slot_frees(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=6)
    engine = SlotEngine(slots=3)
    texts: list[str] = []
    summary = read_pages(
        engine,
        project,
        [p.id for p in pages],
        PageRenderer(sink.opener(project)),
        on_text=lambda key, delta: texts.append(key),
    )
    ids = [p.id for p in pages]
    assert summary.read == ids and summary.ok
    assert engine.most_in_flight == 3
    # after the first three, every page is taken right after one finished, not after a whole batch
    takes = [i for i, (what, _) in enumerate(engine.log) if what == "take"]
    assert [engine.log[i - 1][0] for i in takes[3:]] == ["done", "done", "done"]
    assert [p.text for p in pages] == [f"{(200 + 10 * i) * 2}x200" for i in range(6)]
    assert all(p.state == PageState.READ for p in pages) and texts == ids


def test_a_batch_engine_out_of_memory_fails_its_batch_and_the_next_batch_is_read(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=5)
    engine = BatchEngine(max_batch=2, oom=[pages[2].id])
    summary = read_pages(engine, project, [p.id for p in pages], PageRenderer(sink.opener(project)))
    assert engine.batches == [[pages[0].id, pages[1].id], [pages[2].id, pages[3].id], [pages[4].id]]
    assert set(summary.failed) == {pages[2].id, pages[3].id}
    assert pages[3].state == PageState.FAILED and "Out of memory" in pages[3].error
    assert pages[4].state == PageState.READ


def test_a_batch_engine_returning_too_few_results_fails_those_pages(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=2)
    summary = read_pages(
        BatchEngine(max_batch=2, short=True),
        project,
        [p.id for p in pages],
        PageRenderer(sink.opener(project)),
    )
    assert set(summary.failed) == {pages[0].id, pages[1].id}
    assert "returned no result" in pages[0].error


class Recorder(ReadingListener):
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def page_finished(self, job_id, page_id, result):
        self.events.append(("finished", job_id, page_id, result))

    def page_failed(self, job_id, page_id, message, reason):
        self.events.append(("failed", job_id, page_id, message, reason))

    def page_cancelled(self, job_id, page_id):
        self.events.append(("cancelled", job_id, page_id))

    def job_finished(self, job_id, cancelled):
        self.events.append(("job_finished", job_id, cancelled))


def test_the_queue_drops_stale_answers_and_offers_a_smaller_mode_after_oom(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=3)
    queue = ReadingQueue(project)
    project.set_result(pages[2].id, PageResult((), "old", "old"))
    first = queue.submit([p.id for p in pages], ReadOptions(mode="gundam"), sink.opener(project))
    assert first is not None and all(p.state == PageState.QUEUED for p in pages)
    assert queue.submit([pages[0].id], ReadOptions(), sink.opener(project)) is None  # queued already
    # the loop reads with the job it was given, from another thread in the GUI; here on this one
    rec = Recorder()
    reader = PageReader(rec)
    reader.enqueue(first)
    job, _ = reader.next_job()
    assert queue.cancel_all() == [first.job_id]  # the user cancels: states back at once
    assert pages[2].state == PageState.READ and pages[0].state == PageState.NOT_READ
    reader.run_job(BatchEngine(max_batch=1, oom=[pages[1].id]), job, PageRenderer(sink.opener(project)))
    # the loop was not told (the worker would have been): its answers arrive, and are dropped
    for event in rec.events:
        if event[0] == "finished":
            assert queue.page_finished(event[1], event[2], event[3]) is None
        elif event[0] == "failed":
            assert queue.page_failed(*event[1:]) is None
    assert pages[0].result is None and pages[2].text == "old"
    # queued again: an out-of-memory failure is kept and a retry with the next mode down is offered
    second = queue.submit([pages[1].id], ReadOptions(mode="gundam"), sink.opener(project))
    assert second is not None
    rec.events.clear()
    reader.enqueue(second)
    job, _ = reader.next_job()
    reader.run_job(BatchEngine(max_batch=1, oom=[pages[1].id]), job, PageRenderer(sink.opener(project)))
    (failed,) = [e for e in rec.events if e[0] == "failed"]
    _was_reading, retry = queue.page_failed(*failed[1:])
    assert failed[4] == "oom" and retry == ReadOptions(mode="base")
    assert pages[1].state == PageState.FAILED


def test_cancelling_one_waiting_page_skips_it_and_reads_the_others(tmp_path):
    project, sink, pages = make_project(tmp_path, pages=3)
    queue = ReadingQueue(project)
    job = queue.submit([p.id for p in pages], ReadOptions(), sink.opener(project))
    rec = Recorder()
    reader = PageReader(rec)
    reader.enqueue(job)
    reader.cancel_page(pages[1].id)
    reader.run_job(BatchEngine(max_batch=1), reader.next_job()[0], PageRenderer(sink.opener(project)))
    kinds = [(e[0], e[2]) for e in rec.events if e[0] != "job_finished"]
    assert kinds == [("finished", pages[0].id), ("cancelled", pages[1].id), ("finished", pages[2].id)]
    assert rec.events[-1] == ("job_finished", job.job_id, False)


def test_pace_is_a_throughput_and_leaves_pauses_out():
    now = [100.0]
    pace = Pace(estimate=3.0, clock=lambda: now[0])
    assert pace.per_page == 3.0 and pace.eta(4) == 12.0
    pace.start()
    now[0] += 8.0  # a batch of four pages finishes together after 8 s
    for _ in range(4):
        pace.page_done()
    assert pace.per_page == 2.0 and pace.eta(10) == 20.0
    pace.pause()
    now[0] += 60.0  # paused for a minute
    pace.resume()
    now[0] += 2.0
    pace.page_done()
    assert pace.per_page == 2.0
    pace.stop()  # idle between runs is not measured either
    now[0] += 500.0
    pace.start()
    now[0] += 1.0
    pace.page_done()
    assert pace.per_page == 1.0


def test_eta_counts_down_between_pages_and_follows_a_slow_page():
    """The time left is not the last figure frozen until the next page: it counts down, says "not
    known" while the first page overruns the engine's guess, and grows when a page is slower."""
    now = [0.0]
    pace = Pace(estimate=3.0, clock=lambda: now[0])
    pace.start()
    assert pace.eta(2) == 6.0
    now[0] += 2.0
    assert pace.eta(2) == 4.0  # counting down while the first page is read
    now[0] += 298.0  # five minutes on the first page: the guess of 3 s was wrong
    assert pace.eta(2) == -1.0
    pace.page_done()  # measured: 300 s a page
    assert pace.eta(1) == 300.0
    now[0] += 100.0
    assert pace.eta(1) == 200.0
    pace.pause()
    now[0] += 1000.0
    assert pace.eta(1) == 200.0  # paused: frozen, not counting down
    pace.resume()
    now[0] += 400.0  # this page is slower than the measured pace
    assert pace.eta(1) == 0.0  # at least as long as it already took: the end is near, not "-300 s"
    assert pace.eta(3) == 1000.0  # the two pages after it take at least as long as this one
