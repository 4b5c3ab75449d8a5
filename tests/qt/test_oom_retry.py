"""Out of GPU memory: the page fails with the engine's message, a retry in a smaller mode is offered,
and reading again with it stores the result. The engine here is a test engine that only fits Base."""

from __future__ import annotations

import threading

import pytest
from sample_docs import write_pdf

from desktop_ocr.engine.base import Engine, EngineInfo, PageFailure, ReadOptions
from desktop_ocr.model.document import PageState
from desktop_ocr.model.result import PageResult
from desktop_ocr.settings import Settings
from desktop_ocr.worker.controller import Controller

pytestmark = pytest.mark.gui


class BaseOnlyEngine(Engine):
    """Runs out of memory in every mode above Base, like a small GPU would."""

    def __init__(self) -> None:
        self.modes_seen: list[str] = []

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="base-only", title="Base only", modes=("base", "gundam"))

    def load(self, progress=None, cancel: threading.Event | None = None) -> None:
        pass

    def read(self, pages, *, on_text=None, on_block=None, cancel=None):
        out = []
        for p in pages:
            self.modes_seen.append(p.options.mode)
            if p.options.mode in ("gundam", "large"):
                out.append(PageFailure(p.key, "Out of GPU memory in this mode.", "oom", {"mode": "base"}))
            else:
                w, h = p.image.size
                out.append(
                    PageResult((), "ok", f"read in {p.options.mode}", mode=p.options.mode, width=w, height=h)
                )
        return out


def test_oom_offers_a_smaller_mode_and_the_retry_reads(qtbot, tmp_path):
    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    engine = BaseOnlyEngine()
    c.ocr.set_engine("base-only", lambda: engine)
    try:
        pdf = write_pdf(tmp_path / "scan.pdf", [["A page that is too big for this GPU."]])
        with qtbot.waitSignal(c.import_finished, timeout=30_000):
            c.import_paths([str(pdf)])
        page_id = next(c.project.all_pages()).id
        with qtbot.waitSignal(c.retry_offered, timeout=60_000) as offer:
            c.read_pages([page_id], options=ReadOptions(mode="gundam", prompt="document"))
        ids, retry_options = offer.args
        assert ids == [page_id]
        assert retry_options.mode == "base" and retry_options.prompt == "document"
        page = c.project.page(page_id)
        qtbot.waitUntil(lambda: page.state == PageState.FAILED, timeout=10_000)
        assert "Out of GPU memory" in page.error
        with qtbot.waitSignal(c.page_result_arrived, timeout=60_000):
            c.read_pages(ids, options=retry_options)
        assert page.state == PageState.READ and page.text == "read in base"
        assert engine.modes_seen == ["gundam", "base"]
    finally:
        c.shutdown()
