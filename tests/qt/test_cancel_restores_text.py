"""Cancelling the read of the page on screen puts the page's own text back in the editor: the partial
streamed text must never become the baseline of the user's next edit."""

from __future__ import annotations

import threading

import pytest
from qt_window import close_window
from sample_docs import write_pdf

from desktop_ocr.engine.base import Engine, EngineInfo, PageFailure
from desktop_ocr.settings import Settings
from desktop_ocr.ui.main_window import MainWindow
from desktop_ocr.worker.controller import Controller

pytestmark = pytest.mark.gui


class StreamingUntilCancelled(Engine):
    """Streams some text, then waits until the read is cancelled."""

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name="slow", title="Slow", streams=True)

    def load(self, progress=None, cancel: threading.Event | None = None) -> None:
        pass

    def read(self, pages, *, on_text=None, on_block=None, cancel=None):
        for p in pages:
            if on_text:
                on_text(p.key, "PARTIAL STREAMED TEXT")
        if cancel is not None:
            cancel.wait(20)
        return [PageFailure(p.key, "Cancelled.", "cancelled") for p in pages]


def test_cancel_shows_the_pages_own_text_again(qtbot, tmp_path):
    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    c.ocr.set_engine("slow", StreamingUntilCancelled)
    w = MainWindow(c)
    w.show()
    try:
        pdf = write_pdf(tmp_path / "scan.pdf", [["A page."]])
        with qtbot.waitSignal(c.import_finished, timeout=30_000):
            c.import_paths([str(pdf)])
        page_id = next(c.project.all_pages()).id
        c.project.set_text(page_id, "My corrected text.")
        qtbot.waitUntil(lambda: w.current_page_id() == page_id, timeout=10_000)
        w.show_page(page_id)
        c.read_pages([page_id], include_edited=True)
        qtbot.waitUntil(lambda: "PARTIAL STREAMED TEXT" in w.editor.text(), timeout=30_000)
        c.cancel_all()
        qtbot.waitUntil(lambda: w.editor.text() == "My corrected text.", timeout=30_000)
        assert not w.editor.editor.isReadOnly()
        assert c.project.page(page_id).text == "My corrected text."
    finally:
        close_window(w, c)
