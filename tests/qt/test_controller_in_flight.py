"""Several pages in flight in the GUI (a server engine reads pages side by side; the GPU engine refills
batch slots): each page's streamed text, progress and result reach the window's signals, whatever
order the engine answers in. The OCR worker's real thread, a real project, an engine that reads
three pages at once and finishes the newest first."""

from __future__ import annotations

import threading

import pytest
from sample_docs import write_pdf

from desktop_ocr.engine.base import Engine, EngineInfo, PageFeed
from desktop_ocr.model.document import PageState
from desktop_ocr.model.result import PageResult
from desktop_ocr.settings import Settings
from desktop_ocr.worker.controller import Controller

pytestmark = pytest.mark.gui


class SideBySideEngine(Engine):
    """Takes up to three pages, streams a little of each in turn, then finishes the newest first."""

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="side-by-side", title="Side by side", max_batch=3)

    def load(self, progress=None, cancel: threading.Event | None = None) -> None:
        pass

    def read(self, pages, *, on_text=None, on_block=None, cancel=None):
        raise AssertionError("fed, never handed batches")

    def read_feed(self, feed: PageFeed, *, cancel: threading.Event | None = None) -> None:
        while True:
            flight = []
            while len(flight) < 3 and (page := feed.take()) is not None:
                flight.append(page)
            if not flight:
                return
            for page in flight:
                if feed.on_text:
                    feed.on_text(page.key, f"[{page.key}]")
            for page in reversed(flight):
                w, h = page.image.size
                feed.done(page.key, PageResult((), "raw", f"text of {page.key}", width=w, height=h))


def test_pages_read_side_by_side_each_stream_finish_and_keep_their_own_text(qtbot, tmp_path):
    s = Settings()
    s.engine = "embedded"
    s.use_text_layer = False
    c = Controller(s)
    c.ocr.set_engine("side-by-side", SideBySideEngine)
    streamed: list[str] = []
    finished_bars: list[str] = []
    c.text_streamed.connect(lambda pid, delta: streamed.append(pid))
    c.page_progress.connect(lambda pid, f: finished_bars.append(pid) if f == 1.0 else None)
    try:
        pdf = write_pdf(tmp_path / "scan.pdf", [[f"Page {i}"] for i in range(4)])
        with qtbot.waitSignal(c.import_finished, timeout=30_000):
            c.import_paths([str(pdf)])
        pages = list(c.project.all_pages())
        with qtbot.waitSignal(c.reading_finished, timeout=60_000) as done:
            assert c.read_pages([p.id for p in pages])
        assert done.args == [4, 0, 0]
        ids = [p.id for p in pages]
        assert [p.text for p in pages] == [f"text of {pid}" for pid in ids]
        assert all(p.state == PageState.READ for p in pages)
        assert streamed == ids  # every page in flight streams, not only the last one started
        assert sorted(finished_bars) == sorted(ids)  # and every page's bar completes
        assert not c.reading.is_reading and c.reading.pages_waiting() == 0
    finally:
        c.shutdown()
