"""A paint of the page list calls into Python once per page painted, not 7 times (issue 12).

While pages are read, every call from Qt into Python waits for the reading thread to give up the GIL
(and then for a core): a paint of the page list that took 3-7 ms of CPU took up to 300 ms on a busy
machine, as Qt asked the Python model ``rowCount`` 17 times and ``flags`` 9 times per paint of 4
pages (``benchmarks/bench_page_list_reading.py``). The calls are counted, not timed: a profile hook
sees every Python function that a C++ function (Qt) calls."""

from __future__ import annotations

import sys
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sample_docs import write_pdf
from shiboken6 import Shiboken

pytestmark = pytest.mark.gui


class CallsFromQt:
    """Functions of the app called from inside a Qt function (Qt calling back), by name."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self._stack: list[bool | None] = []  # bool: inside a C function (True: Qt's), None: Python

    def __enter__(self) -> CallsFromQt:
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc) -> None:
        sys.setprofile(None)

    def _profile(self, frame, event, arg) -> None:  # type: ignore[no-untyped-def]
        if event == "c_call":  # True: a Qt function (its calls into Python are Qt's callbacks)
            self._stack.append(isinstance(getattr(arg, "__self__", None), Shiboken.Object))
        elif event in ("c_return", "c_exception") and self._stack and self._stack[-1] is not None:
            self._stack.pop()
        elif event == "call":
            if self._stack and self._stack[-1] and "desktop_ocr" in frame.f_code.co_filename:
                code = frame.f_code
                self.calls[getattr(code, "co_qualname", code.co_name)] += 1
            self._stack.append(None)
        elif event == "return" and self._stack and self._stack[-1] is None:
            self._stack.pop()


def test_a_page_list_paint_calls_python_once_per_page_painted(qtbot, window, tmp_path):
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "pages.pdf", [[f"page {i}"] for i in range(40)]))])
    view = window.page_list
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount() == 40, timeout=10_000)
    qtbot.wait(500)  # thumbnails
    # the user clicks a page (it is repainted selected), as reading repaints a page's badge
    index = model.index(1, 0)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: window.current_page_id() == model.page_id_at(1), timeout=5000)
    qtbot.wait(200)
    painted = sum(
        view.visualRect(model.index(r, 0)).intersects(view.viewport().rect()) for r in range(model.rowCount())
    )
    assert painted >= 4
    with CallsFromQt() as seen:
        view.viewport().repaint()
    qt_calls = sum(seen.calls.values())
    # one paintEvent, one delegate paint per page in view; before: + rowCount and flags per page
    assert seen.calls["PageDelegate.paint"] == painted, seen.calls
    assert qt_calls <= painted + 2, seen.calls
    # and the list still shows what it did: rows, drag and drop, no editing
    assert model.rowCount() == 40
    flags = model.flags(index)
    assert flags & Qt.ItemFlag.ItemIsDragEnabled and flags & Qt.ItemFlag.ItemIsSelectable
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    qtbot.wait(100)
    assert view.state() != view.State.EditingState
    assert model.data(index) == "p. 2"


def test_a_change_of_one_page_repaints_that_page_only(qtbot, window, tmp_path):
    """While a page is read its badge and progress change a few times a second: Qt's list view
    repainted every page in view for each change (4 per paint in the window)."""
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "pages.pdf", [[f"page {i}"] for i in range(40)]))])
    view = window.page_list
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount() == 40, timeout=10_000)
    qtbot.wait(500)  # thumbnails
    painted = sum(
        view.visualRect(model.index(r, 0)).intersects(view.viewport().rect()) for r in range(model.rowCount())
    )
    assert painted >= 4
    page_id = model.page_id_at(2)
    with CallsFromQt() as seen:
        c.edits.set_reviewed([page_id], True)  # its badge gets the reviewed tick
        qtbot.wait(200)
    assert seen.calls["PageDelegate.paint"] == 1, seen.calls
    with CallsFromQt() as seen:
        model.set_progress(page_id, 0.5)  # as the reading thread reports (shown while reading)
        qtbot.wait(200)
    assert seen.calls["PageDelegate.paint"] <= 1, seen.calls
    assert model.item(2).reviewed
