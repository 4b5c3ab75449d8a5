"""The OCR worker thread with the real embedded engine: read, stream, cancel, pause, failures."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from sample_docs import make_text_pdf

from desktop_ocr.engine.base import Engine, EngineInfo, EngineUnavailable, ReadOptions
from desktop_ocr.model.document import SourceKind
from desktop_ocr.model.result import PageResult
from desktop_ocr.worker.jobs import OcrJob, PageSnapshot, next_job_id
from desktop_ocr.worker.ocr_worker import OcrWorker

pytestmark = pytest.mark.gui


def _embedded() -> Engine:
    from desktop_ocr.engine.embedded import EmbeddedEngine

    return EmbeddedEngine()


SOURCES = {"src1": make_text_pdf(), "bad": b"%PDF-1.4 this is not really a pdf"}


def opener(source_id: str) -> bytes:
    return SOURCES[source_id]


def page(pid: str, index: int, source_id: str = "src1", label: str = "survey.pdf") -> PageSnapshot:
    return PageSnapshot(pid, source_id, SourceKind.PDF, index, 0, 144, f"{label} p. {index + 1}")


@pytest.fixture
def pdf_ref() -> str:
    return "src1"


@pytest.fixture
def worker():
    w = OcrWorker("embedded", _embedded)
    w.start()
    yield w
    assert w.shutdown()


def _job(ref: str, indexes, ids=None) -> OcrJob:
    ids = ids or [f"p{i}" for i in indexes]
    pages = tuple(page(pid, i, ref) for pid, i in zip(ids, indexes))
    return OcrJob(next_job_id(), pages, opener, ReadOptions())


class Recorder:
    def __init__(self, w: OcrWorker) -> None:
        self.events: list[tuple] = []
        self.lock = threading.Lock()
        w.page_started.connect(lambda j, p: self.events.append(("started", p)))
        w.page_finished.connect(lambda j, p, r: self.events.append(("finished", p, r)))
        w.page_failed.connect(lambda j, p, m, r: self.events.append(("failed", p, m, r)))
        w.page_cancelled.connect(lambda j, p: self.events.append(("cancelled", p)))
        w.job_finished.connect(lambda j, c: self.events.append(("job_finished", j, c)))
        w.progress_changed.connect(lambda d, t, eta: self.events.append(("progress", d, t, eta)))

    def of(self, kind: str) -> list[tuple]:
        return [e for e in self.events if e[0] == kind]


def test_reads_a_rendered_pdf_page_with_the_real_engine(qtbot, worker, pdf_ref):
    rec = Recorder(worker)
    job = _job(pdf_ref, [0, 1])
    with qtbot.waitSignal(worker.job_finished, timeout=60_000) as blocker:
        worker.enqueue(job)
    assert blocker.args == [job.job_id, False]
    finished = rec.of("finished")
    assert [e[1] for e in finished] == ["p0", "p1"]
    result: PageResult = finished[0][2]
    assert "Harbour Survey 1911" in result.markdown
    assert "north pier was measured" in result.markdown
    assert "Repairs began on the east wall" in finished[1][2].markdown
    assert result.blocks and all(b.boxes for b in result.blocks)
    # progress ends at done == total, with an ETA of 0 for nothing left
    last = rec.of("progress")[-1]
    assert last[1] == last[2] == 2 and last[3] == 0


def test_text_streams_while_a_page_is_read(qtbot, worker, pdf_ref):
    deltas: list[tuple[str, str]] = []
    worker.text_streamed.connect(lambda p, d: deltas.append((p, d)))
    with qtbot.waitSignal(worker.job_finished, timeout=60_000):
        worker.enqueue(_job(pdf_ref, [2]))
    streamed = "".join(d for p, d in deltas if p == "p2")
    assert "Final Notes" in streamed and "survey closed in June" in streamed


def test_cancel_all_stops_the_queue(qtbot, worker, pdf_ref):
    rec = Recorder(worker)
    job = _job(pdf_ref, [0, 1, 2, 0, 1, 2], ids=[f"c{i}" for i in range(6)])
    with qtbot.waitSignal(worker.page_started, timeout=30_000):
        worker.enqueue(job)
    t0 = time.monotonic()
    with qtbot.waitSignal(worker.job_finished, timeout=30_000) as blocker:
        worker.cancel_all()
    took = time.monotonic() - t0
    assert blocker.args == [job.job_id, True]
    assert len(rec.of("finished")) == 0  # the page being read was cancelled too: no result
    assert {e[1] for e in rec.of("cancelled")} == {f"c{i}" for i in range(6)}
    assert took < 5, f"cancelling took {took:.1f} s"


def test_cancel_current_page_continues_with_the_next(qtbot, worker, pdf_ref):
    rec = Recorder(worker)
    job = _job(pdf_ref, [0, 1], ids=["first", "second"])
    with qtbot.waitSignal(worker.page_started, timeout=30_000):
        worker.enqueue(job)
    worker.cancel_current_page()
    with qtbot.waitSignal(worker.job_finished, timeout=60_000):
        pass
    assert [e[1] for e in rec.of("cancelled")] == ["first"]
    assert [e[1] for e in rec.of("finished")] == ["second"]


def test_pause_holds_the_queue_until_resume(qtbot, worker, pdf_ref):
    rec = Recorder(worker)
    with qtbot.waitSignal(worker.paused_changed):
        worker.pause()
    worker.enqueue(_job(pdf_ref, [0], ids=["held"]))
    qtbot.wait(1500)
    assert rec.of("started") == [] and worker.paused
    with qtbot.waitSignal(worker.job_finished, timeout=60_000):
        worker.resume()
    assert [e[1] for e in rec.of("finished")] == ["held"]


def test_a_bad_page_fails_with_its_name_and_the_others_are_read(qtbot, worker, pdf_ref):
    rec = Recorder(worker)
    pages = (page("bad1", 0, "bad", "broken.pdf"), page("good", 1), page("gone", 99))
    with qtbot.waitSignal(worker.job_finished, timeout=60_000):
        worker.enqueue(OcrJob(next_job_id(), pages, opener))
    failed = {e[1]: e[2] for e in rec.of("failed")}
    assert set(failed) == {"bad1", "gone"}
    assert "broken.pdf" in failed["bad1"] and "survey.pdf" in failed["gone"]
    assert "Traceback" not in failed["bad1"]
    assert [e[1] for e in rec.of("finished")] == ["good"]


class _MissingModelEngine(Engine):
    @property
    def info(self) -> EngineInfo:
        return EngineInfo("missing", "Missing")

    def load(self, progress=None, cancel=None) -> None:
        raise EngineUnavailable("The model folder /nowhere does not exist. Choose it in Settings.")

    def read(self, pages, *, on_text=None, on_block=None, cancel=None):
        raise AssertionError("never loaded")


def test_an_engine_that_cannot_load_fails_the_job_with_its_message(qtbot, pdf_ref):
    w = OcrWorker("missing", _MissingModelEngine)
    w.start()
    try:
        messages: list[str] = []
        w.engine_failed.connect(messages.append)
        with qtbot.waitSignal(w.job_failed, timeout=10_000) as blocker:
            w.enqueue(_job(pdf_ref, [0]))
        assert "does not exist" in messages[0]
        assert blocker.args[0] > 0
    finally:
        assert w.shutdown()


def test_a_worker_that_does_not_stop_in_time_is_not_destroyed_under_its_thread(tmp_path):
    """A read that ignores cancel outlives shutdown(); dropping the worker then must not kill the
    process (a QThread destroyed while it runs aborts; freed memory under the engine segfaults)."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        """
        import gc, sys, time
        from PySide6.QtCore import QCoreApplication
        from desktop_ocr.engine.base import Engine, EngineInfo, PageFailure
        from desktop_ocr.engine.base import ReadOptions
        from desktop_ocr.model.document import SourceKind
        from desktop_ocr.worker.jobs import OcrJob, PageSnapshot, next_job_id
        from desktop_ocr.worker.lifetime import wait_for_stuck
        from desktop_ocr.worker.ocr_worker import OcrWorker
        from sample_docs import make_text_pdf

        class Deaf(Engine):
            info = EngineInfo(name="deaf", title="Deaf")
            def load(self, progress=None, cancel=None):
                pass
            def read(self, pages, *, on_text=None, on_block=None, cancel=None):
                time.sleep(2.0)  # never looks at cancel
                return [PageFailure(p.key, "done", "cancelled") for p in pages]

        app = QCoreApplication([])
        pdf = make_text_pdf()
        w = OcrWorker("deaf", Deaf)
        w.start()
        started = []
        w.page_started.connect(lambda j, p: started.append(p))
        page = PageSnapshot("p0", "s", SourceKind.PDF, 0, 0, 72, "p. 1")
        w.enqueue(OcrJob(next_job_id(), (page,), lambda _s: pdf, ReadOptions()))
        deadline = time.monotonic() + 30
        while not started and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        assert started, "the read never started"
        print("STOPPED-IN-TIME", w.shutdown(timeout_ms=100), flush=True)
        del w
        gc.collect()
        print("ALL-ENDED", wait_for_stuck(20_000), flush=True)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_OCR_BASEDIR=str(tmp_path))
    tests_dir = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [tests_dir, env.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert "STOPPED-IN-TIME False" in out.stdout and "ALL-ENDED True" in out.stdout
