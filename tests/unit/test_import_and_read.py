"""The shared read step: batches, rotation applied, failures stored, cancel restores states."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pymupdf

from desktop_ocr import import_and_read
from desktop_ocr.engine.base import Engine, EngineInfo, PageFailure, PageInput, ReadOptions
from desktop_ocr.model.document import PageState, Project
from desktop_ocr.model.importer import MemorySources
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import PageRenderer


class SizeEngine(Engine):
    """Reports each image's size as its text; fails on pages whose key is in ``fail``."""

    def __init__(self, max_batch: int = 2, fail: Sequence[str] = (), cancel_after: int = 0) -> None:
        self.batches: list[int] = []
        self.fail = set(fail)
        self.cancel_after = cancel_after
        self.cancel_event: threading.Event | None = None
        self._max_batch = max_batch

    @property
    def info(self) -> EngineInfo:
        return EngineInfo("size", "Size", max_batch=self._max_batch, seconds_per_page_estimate=0.1)

    def load(self, progress=None, cancel=None) -> None:
        pass

    def read(self, pages: Sequence[PageInput], *, on_text=None, on_block=None, cancel=None):
        self.batches.append(len(pages))
        if self.cancel_after and sum(self.batches) >= self.cancel_after and self.cancel_event is not None:
            self.cancel_event.set()
        out: list[PageResult | PageFailure] = []
        for p in pages:
            if p.key in self.fail:
                out.append(PageFailure(p.key, "the page is unreadable"))
            else:
                w, h = p.image.size
                out.append(PageResult((), f"{w}x{h}", f"{w}x{h}", engine="size", width=w, height=h))
        return out


def make_project(tmp_path, pages=5):
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=200, height=100)
    path = tmp_path / "d.pdf"
    doc.save(str(path))
    project = Project()
    sink = MemorySources()
    outcome = import_and_read.import_paths(project, [path], 144, sink=sink)
    return project, sink, outcome


def test_read_pages_batches_rotation_and_failures(tmp_path):
    project, sink, outcome = make_project(tmp_path)
    pages = outcome.documents[0].pages
    project.rotate_pages([pages[1].id], 90)
    engine = SizeEngine(max_batch=2, fail=[pages[3].id])
    progress: list[import_and_read.ReadProgress] = []
    renderer = PageRenderer(sink.opener(project))
    summary = import_and_read.read_pages(
        engine, project, [p.id for p in pages], renderer, ReadOptions(), progress.append
    )
    assert engine.batches == [2, 2, 1]
    assert pages[0].text == "400x200" and pages[1].text == "200x400"
    assert pages[1].result.extra["rotation"] == 90
    assert pages[3].state == PageState.FAILED and pages[3].error == "the page is unreadable"
    assert summary.failed == {pages[3].id: "the page is unreadable"}
    assert len(summary.read) == 4 and not summary.ok
    assert [p.done for p in progress] == [1, 2, 3, 4, 5] and progress[-1].eta_s == 0
    assert progress[3].ok is False and progress[3].failed == 1


def test_cancel_puts_pages_back(tmp_path):
    project, sink, outcome = make_project(tmp_path)
    pages = outcome.documents[0].pages
    project.set_result(pages[4].id, PageResult((), "old", "old"))
    cancel = threading.Event()
    engine = SizeEngine(max_batch=1, cancel_after=2)
    engine.cancel_event = cancel
    renderer = PageRenderer(sink.opener(project))
    summary = import_and_read.read_pages(engine, project, [p.id for p in pages], renderer, cancel=cancel)
    assert len(summary.read) + len(summary.cancelled) == 5
    assert engine.batches == [1, 1]
    assert pages[2].state == PageState.NOT_READ and pages[2].result is None
    assert pages[4].state == PageState.READ and pages[4].text == "old"


def test_render_failure_is_a_page_failure(tmp_path):
    project, sink, outcome = make_project(tmp_path, pages=2)
    pages = outcome.documents[0].pages
    blobs = sink.opener(project)

    def broken(source_id):
        raise OSError("disk gone")

    renderer = PageRenderer(broken)
    summary = import_and_read.read_pages(SizeEngine(), project, [p.id for p in pages], renderer)
    assert len(summary.failed) == 2
    assert "could not be rendered" in pages[0].error and "d.pdf" in pages[0].error
    assert blobs(pages[0].source_id)  # the data itself was fine


class ClockEngine(SizeEngine):
    """Each page takes ``seconds`` on the clock ``now`` (one page at a time)."""

    def __init__(self, now: list[float], seconds: float) -> None:
        super().__init__(max_batch=1)
        self.now, self.seconds = now, seconds

    def read(self, pages: Sequence[PageInput], *, on_text=None, on_block=None, cancel=None):
        self.now[0] += self.seconds * len(pages)
        return super().read(pages, on_text=on_text, on_block=on_block, cancel=cancel)


def test_the_time_left_convert_prints_is_the_reading_loops_pace(tmp_path, monkeypatch):
    """``convert`` and the window's status bar show one formula: the reading loop's ``Pace.eta``."""
    from desktop_ocr.reading import runner
    from desktop_ocr.reading.pace import Pace

    now = [100.0]
    paces: list[Pace] = []

    def pace(*args, **kwargs):  # the loop's own Pace, on a clock the engine moves
        paces.append(Pace(*args, **{**kwargs, "clock": lambda: now[0]}))
        return paces[-1]

    monkeypatch.setattr(runner, "Pace", pace)
    project, sink, outcome = make_project(tmp_path, pages=4)
    pages = outcome.documents[0].pages
    progress: list[import_and_read.ReadProgress] = []
    etas: list[float] = []

    def report(p: import_and_read.ReadProgress) -> None:
        progress.append(p)
        etas.append(paces[-1].eta(p.total - p.done))  # what the window shows at that moment

    renderer = PageRenderer(sink.opener(project))
    import_and_read.read_pages(
        ClockEngine(now, 3.0), project, [p.id for p in pages], renderer, ReadOptions(), report
    )
    assert [p.eta_s for p in progress] == etas == [9.0, 6.0, 3.0, 0.0]
