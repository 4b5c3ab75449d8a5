"""Region reads and locate through the Controller and the OCR worker, with the embedded engine."""

from __future__ import annotations

import io
import threading

import pytest
from region_pages import draw_page, paragraph_text
from sample_docs import many_pages, write_pdf

from desktop_ocr.engine.base import Engine, EngineInfo, EngineUnavailable, ReadOptions
from desktop_ocr.engine.phrase import normalise
from desktop_ocr.model.document import PageState, SourceKind
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult
from desktop_ocr.settings import Settings
from desktop_ocr.worker.controller import Controller
from desktop_ocr.worker.jobs import OcrJob, PageSnapshot, RegionJob, next_job_id
from desktop_ocr.worker.ocr_worker import OcrWorker

pytestmark = pytest.mark.gui


@pytest.fixture
def controller(qtbot):
    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    yield c
    c.shutdown()


@pytest.fixture
def drawn():
    return draw_page()


def _import(qtbot, c: Controller, paths) -> list[str]:
    with qtbot.waitSignal(c.import_finished, timeout=30_000) as blocker:
        c.import_paths([str(p) for p in paths])
    return [p.id for d in blocker.args[0] for p in c.project.document(d).pages]


def _box(drawn, px, pad=16) -> Box:
    w, h = drawn.image.size
    return Box.from_pixels(px[0] - pad, px[1] - pad, px[2] + pad, px[3] + pad, w, h)


def _snapshot(c: Controller, page_id: str):
    p = c.project.page(page_id)
    return p.state, p.text, p.result, p.edited_text


def test_region_read_and_locate_answer_without_changing_the_page(qtbot, controller, drawn, tmp_path):
    c = controller
    path = tmp_path / "minutes.png"
    drawn.image.save(path)
    (pid,) = _import(qtbot, c, [path])
    with qtbot.waitSignal(c.reading_changed, timeout=60_000, check_params_cb=lambda on: not on):
        c.read_pages([pid])
    c.edits.set_page_text(pid, "My corrected text")
    before = _snapshot(c, pid)
    assert before[0] == PageState.EDITED
    reading: list[bool] = []
    c.reading_changed.connect(reading.append)

    region = _box(drawn, drawn.paragraph_boxes[2])
    with qtbot.waitSignal(c.region_read, timeout=60_000) as blocker:
        rid = c.read_region(pid, region, ReadOptions(prompt="ocr"))
    page_id, request_id, result = blocker.args
    assert (page_id, request_id) == (pid, rid) and rid > 0
    assert isinstance(result, PageResult)
    assert normalise(result.markdown) == normalise(paragraph_text(2))
    assert (result.width, result.height) == drawn.image.size
    assert result.extra["region"] == region.as_list()
    for blk in result.blocks:
        for b in blk.boxes:
            assert region.x1 - 1 <= b.x1 <= b.x2 <= region.x2 + 1
            assert region.y1 - 1 <= b.y1 <= b.y2 <= region.y2 + 1

    with qtbot.waitSignal(c.located, timeout=60_000) as blocker:
        lid = c.locate(pid, "north quay")
    page_id, request_id, phrase, boxes = blocker.args
    assert (page_id, request_id, phrase) == (pid, lid, "north quay")
    assert len(boxes) == 1 and boxes[0].intersection(_box(drawn, drawn.line_box(1, 2), pad=0)) > 0
    with qtbot.waitSignal(c.located, timeout=60_000) as blocker:
        c.locate(pid, "lighthouse keeper")
    assert blocker.args[3] == []

    assert _snapshot(c, pid) == before  # neither request touched the page
    assert reading == []  # nor did they look like a reading run
    assert c.reading.pending_requests() == []
    assert c.read_region("no-such-page", region) == 0 and c.locate(pid, "   ") == 0


def test_cancel_and_project_change_drop_requests(qtbot, controller, drawn, tmp_path):
    c = controller
    path = tmp_path / "minutes.png"
    drawn.image.save(path)
    (pid,) = _import(qtbot, c, [path])
    answers: list = []
    c.region_read.connect(lambda *a: answers.append(("read", a)))
    c.region_failed.connect(lambda *a: answers.append(("failed", a)))
    c.located.connect(lambda *a: answers.append(("located", a)))
    first = c.read_region(pid, Box(0, 0, 999, 999))
    second = c.locate(pid, "committee")
    c.cancel_request(first)
    c.cancel_request(second)
    assert c.reading.pending_requests() == []
    # a later request is still answered, and only it
    with qtbot.waitSignal(c.located, timeout=60_000) as blocker:
        third = c.locate(pid, "harbour")
    assert blocker.args[1] == third and len(blocker.args[3]) == 1
    qtbot.wait(500)
    assert [a[1][1] for a in answers] == [third]

    c.read_region(pid, Box(0, 0, 999, 999))
    c.new_project()  # the old project's requests are dropped
    qtbot.wait(4000)
    assert [a[1][1] for a in answers] == [third] and c.reading.pending_requests() == []


def test_region_requests_go_before_queued_page_reads(qtbot, controller, drawn, tmp_path):
    c = controller
    ids = _import(qtbot, c, [write_pdf(tmp_path / "ledger.pdf", many_pages(6))])
    finished: list[str] = []
    c.page_result_arrived.connect(finished.append)
    with qtbot.waitSignal(c.page_reading_started, timeout=30_000):
        c.read_pages(ids)
    with qtbot.waitSignal(c.located, timeout=60_000) as blocker:
        c.locate(ids[5], "Entry number 6")
    # answered after at most the page being read, well before the queue is done
    assert len(finished) <= 1 and c.reading.is_reading
    assert len(blocker.args[3]) == 1
    assert c.project.page(ids[5]).state == PageState.QUEUED
    c.cancel_all()


def test_failures_are_reported_for_the_request(qtbot, controller, tmp_path):
    c = controller
    path = tmp_path / "broken.png"
    draw_page().image.save(path)
    (pid,) = _import(qtbot, c, [path])
    path.unlink()  # the store keeps its own copy; break that copy's source instead
    c._opener = lambda source_id: b"\x89PNG\r\n\x1a\n not an image any more"
    with qtbot.waitSignal(c.region_failed, timeout=60_000) as blocker:
        rid = c.read_region(pid, Box(0, 0, 500, 500))
    page_id, request_id, message = blocker.args
    assert (page_id, request_id) == (pid, rid) and message and "Traceback" not in message
    with qtbot.waitSignal(c.locate_failed, timeout=60_000) as blocker:
        lid = c.locate(pid, "committee")
    assert blocker.args[:2] == [pid, lid] and blocker.args[2]


# -- the worker alone --------------------------------------------------------------------------


class _MissingModel(Engine):
    @property
    def info(self) -> EngineInfo:
        return EngineInfo("missing", "Missing")

    def load(self, progress=None, cancel=None) -> None:
        raise EngineUnavailable("The model folder /nowhere does not exist. Choose it in Settings.")

    def read(self, pages, *, on_text=None, on_block=None, cancel=None):
        raise AssertionError("never loaded")


def _embedded() -> Engine:
    from desktop_ocr.engine.embedded import EmbeddedEngine

    return EmbeddedEngine({"threads": 2})


def _page_job(pid: str = "p", source: str = "img", index: int = 0) -> PageSnapshot:
    return PageSnapshot(pid, source, SourceKind.IMAGE, index, 0, 144, "minutes.png")


def _opener(drawn_png: bytes):
    return lambda source_id: drawn_png if source_id == "img" else b"\x89PNG\r\n\x1a\nbroken"


@pytest.fixture
def drawn_png(drawn) -> bytes:
    buf = io.BytesIO()
    drawn.image.save(buf, "PNG")
    return buf.getvalue()


def test_worker_answers_regions_while_paused_without_draining_the_queue(qtbot, drawn, drawn_png):
    w = OcrWorker("embedded", _embedded)
    w.start()
    try:
        drained: list[bool] = []
        w.queue_drained.connect(lambda: drained.append(True))
        w.pause()
        held = OcrJob(next_job_id(), (_page_job("held"),), _opener(drawn_png), ReadOptions())
        w.enqueue(held)  # waits for resume() inside the worker's loop
        qtbot.wait(500)
        box = _box(drawn, drawn.paragraph_boxes[0])
        job = RegionJob(next_job_id(), "read", _page_job(), _opener(drawn_png), box, ReadOptions())
        with qtbot.waitSignal(w.region_read, timeout=60_000) as blocker:
            w.enqueue_region(job)
        assert blocker.args[0] == job.request_id and blocker.args[1] == "p"
        assert normalise(blocker.args[2].markdown) == normalise(paragraph_text(0))
        qtbot.wait(300)
        assert drained == [] and w.busy  # the page read still waits; the region was answered
        bad = RegionJob(next_job_id(), "locate", _page_job(source="bad"), _opener(drawn_png), phrase="x")
        with qtbot.waitSignal(w.region_failed, timeout=30_000) as blocker:
            w.enqueue_region(bad)
        assert blocker.args[:2] == [bad.request_id, "p"] and "minutes.png" in blocker.args[2]
    finally:
        assert w.shutdown()


def test_worker_reports_a_missing_model_for_a_region(qtbot, drawn_png):
    w = OcrWorker("missing", _MissingModel)
    w.start()
    try:
        job = RegionJob(next_job_id(), "locate", _page_job(), _opener(drawn_png), phrase="committee")
        with qtbot.waitSignal(w.region_failed, timeout=10_000) as blocker:
            w.enqueue_region(job)
        assert blocker.args[0] == job.request_id and "does not exist" in blocker.args[2]
    finally:
        assert w.shutdown()


def test_the_workers_signals_reach_plain_callables_on_the_gui_thread(qtbot, drawn_png):
    """A lambda (or a test's waitSignal) connected to the worker runs on the GUI thread, never in the
    worker's: there it stopped the GUI thread's timers and event loops (native crashes of the suite)."""
    w = OcrWorker("missing", _MissingModel)
    w.start()
    try:
        threads: list[bool] = []
        w.region_failed.connect(
            lambda *_: threads.append(threading.current_thread() is threading.main_thread())
        )
        w.engine_failed.connect(
            lambda *_: threads.append(threading.current_thread() is threading.main_thread())
        )
        w.enqueue_region(RegionJob(next_job_id(), "locate", _page_job(), _opener(drawn_png), phrase="x"))
        qtbot.waitUntil(lambda: len(threads) == 2, timeout=10_000)
        assert threads == [True, True]
    finally:
        assert w.shutdown()


def test_a_region_asked_during_a_job_uses_that_jobs_engine(qtbot, drawn, drawn_png):
    """A new engine chosen meanwhile comes with the next job, never in the middle of one."""
    w = OcrWorker("embedded", _embedded)
    w.start()
    made: list[str] = []

    def other() -> Engine:
        made.append("other")
        return _embedded()

    try:
        w.pause()
        with qtbot.waitSignal(w.job_started, timeout=60_000):
            w.enqueue(OcrJob(next_job_id(), (_page_job("held"),), _opener(drawn_png), ReadOptions()))
        w.set_engine("other", other)
        box = _box(drawn, drawn.paragraph_boxes[0])
        job = RegionJob(next_job_id(), "read", _page_job(), _opener(drawn_png), box, ReadOptions())
        with qtbot.waitSignal(w.region_read, timeout=60_000):
            w.enqueue_region(job)
        assert made == []  # the held job's engine answered; nothing was unloaded under it
        with qtbot.waitSignal(w.queue_drained, timeout=120_000):
            w.resume()  # the held job ends on its own engine; the new one loads after it
    finally:
        assert w.shutdown()
