"""The page list's paints while pages are read, on a big project and a busy machine (issue 12).

    python benchmarks/bench_page_list_reading.py [--pages 500] [--read 4] [--hogs 2] [--explain]

Opens the real main window (offscreen) on a PDF of ``--pages`` dense pages, loads the embedded
engine, starts ``--hogs`` busy processes (normal priority) and reads the first ``--read`` pages
while the page list shows them (each page's state and progress badge is repainted as it is read).
Every paint of the page list (``PageListView.paintEvent``) is timed, wall and GUI-thread CPU, and the
Python callbacks Qt makes during it (the delegate's ``paint``, the model's ``item``/``data``/
``flags``/``rowCount`` where they are Python methods) are counted. A 5 ms QTimer finds the event-loop stalls; for each stall over
50 ms it reports how much of it was page-list painting. Prints per paint: median, p95 and worst
(wall and CPU), callbacks per paint; and the stalls over 50 ms with the share spent painting the
page list. The hogs are stopped (by their process ids) at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


class PaintLog:
    """Times every page-list paint and counts the Python callbacks made inside it."""

    def __init__(self) -> None:
        self.paints: list[tuple[float, float, float, int, int]] = []  # start, end, cpu, calls, items
        self.calls = 0
        self.items = 0
        self.depth = 0
        self.by_name: dict[str, int] = {}  # callbacks made during paints, by method

    def install(self) -> None:
        from desktop_ocr.ui.page_delegate import PageDelegate
        from desktop_ocr.ui.page_list import PageListModel
        from desktop_ocr.ui.page_view import PageListView

        log = self
        paint_event = PageListView.paintEvent

        def timed_paint(view, event):  # type: ignore[no-untyped-def]
            log.depth += 1
            calls, items = log.calls, log.items
            t, c = time.perf_counter(), time.thread_time()
            try:
                paint_event(view, event)
            finally:
                log.depth -= 1
                log.paints.append(
                    (t, time.perf_counter(), time.thread_time() - c, log.calls - calls, log.items - items)
                )

        PageListView.paintEvent = timed_paint  # type: ignore[method-assign]
        for cls, name in (
            (PageDelegate, "paint"),
            (PageListModel, "item"),
            (PageListModel, "data"),
            (PageListModel, "flags"),
            (PageListModel, "rowCount"),
        ):
            self._count(cls, name, name == "paint" and cls is PageDelegate)

    def _count(self, cls: type, name: str, item: bool) -> None:
        if name not in cls.__dict__:
            return  # Qt's own (C++) method: no call into Python to count, and none to add
        fn = getattr(cls, name)
        log = self
        label = f"{cls.__name__}.{name}"

        def counted(*a, **k):  # type: ignore[no-untyped-def]
            if log.depth:
                log.calls += 1
                log.items += item
                log.by_name[label] = log.by_name.get(label, 0) + 1
            return fn(*a, **k)

        setattr(cls, name, counted)


class Gaps:
    """Event-loop stalls over ``threshold`` seconds (a 5 ms QTimer's lateness)."""

    def __init__(self, threshold: float = 0.05, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.threshold = threshold
        self.interval = interval_ms / 1000
        self.gaps: list[tuple[float, float, float]] = []  # start, end, GUI-thread cpu
        self.worst = 0.0
        self._last = time.perf_counter()
        self._cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        late = now - self._last - self.interval
        self.worst = max(self.worst, late)
        if late > self.threshold:
            self.gaps.append((self._last, now, cpu - self._cpu))
        self._last, self._cpu = now, cpu

    def stop(self) -> None:
        self._timer.stop()


def _q(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))] if s else 0.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=500)
    p.add_argument("--read", type=int, default=4)
    p.add_argument("--hogs", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--size", default="1400x900")
    p.add_argument("--explain", action="store_true", help="also list the handlers in each long gap")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = Path(tempfile.mkdtemp(prefix="desktop-ocr-bench-"))
    os.environ["DESKTOP_OCR_BASEDIR"] = str(base)
    from bench_gui_stall import open_window, pump, wait_for
    from bench_loaded_reading import HOG, dense_pages
    from sample_docs import write_pdf

    pdf = write_pdf(base / "dense.pdf", dense_pages(args.pages))
    from desktop_ocr.app import make_application

    app = make_application()  # noqa: F841 - keep it alive
    log = PaintLog()
    log.install()
    controller, window = open_window(args.size)
    window.open_paths([str(pdf)])
    assert wait_for(lambda: controller.project.page_count == args.pages, 300), "import did not finish"
    loaded: list[bool] = []
    controller.ocr.engine_ready_for_work.connect(lambda: loaded.append(True))
    controller.preload_engine()
    assert wait_for(lambda: bool(loaded), 300), "the engine did not load"
    pump(2.0)  # first thumbnails
    ids = [pg.id for pg in controller.project.all_pages()][: args.read]
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(args.hogs)]
    try:
        time.sleep(1.0)
        explainer = None
        if args.explain:
            from event_gaps import GapExplainer

            explainer = GapExplainer(threshold_s=0.05)
        gaps = Gaps()
        log.paints.clear()
        t0, cpu0 = time.perf_counter(), time.thread_time()
        controller.read_pages(ids)
        assert wait_for(lambda: controller.reading.is_reading, 30)
        assert wait_for(lambda: not controller.reading.is_reading, 1800), "reading did not end"
        wall, gui_cpu = time.perf_counter() - t0, time.thread_time() - cpu0
        gaps.stop()
        if explainer is not None:
            explainer.stop()
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    done = sum(controller.project.page(i).result is not None for i in ids)
    paints = log.paints
    walls = [(e - s) * 1000 for s, e, _, _, _ in paints]
    cpus = [c * 1000 for _, _, c, _, _ in paints]
    calls = [n for *_, n, _ in paints]
    items = [n for *_, n in paints]
    print(
        f"{args.pages}-page project, {done}/{args.read} pages read in {wall:.1f} s with {args.hogs} busy"
        f" processes beside; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"GUI thread CPU while reading: {gui_cpu * 1000:.0f} ms")
    if paints:
        print(
            f"page-list paints: {len(paints)}, in all {sum(walls):.0f} ms wall, {sum(cpus):.0f} ms CPU;"
            f" per paint wall median {statistics.median(walls):.1f} p95 {_q(walls, 0.95):.1f} worst"
            f" {max(walls):.1f} ms; CPU median {statistics.median(cpus):.2f} p95 {_q(cpus, 0.95):.2f} worst"
            f" {max(cpus):.2f} ms"
        )
        print(
            f"Python callbacks per paint: median {statistics.median(calls):.0f}, worst {max(calls)};"
            f" items painted per paint: median {statistics.median(items):.0f}, worst {max(items)}"
        )
        per = ", ".join(f"{k} {v / len(paints):.1f}" for k, v in sorted(log.by_name.items()))
        print(f"  callbacks per paint by method: {per}")
    print(f"longest event-loop stall while reading: {gaps.worst * 1000:.0f} ms")
    long_gaps = gaps.gaps
    print(f"stalls over 50 ms: {len(long_gaps)}")
    for gs, ge, gc in sorted(long_gaps, key=lambda g: g[0] - g[1])[:10]:
        inside = [(s, e, c) for s, e, c, _, _ in paints if s >= gs and e <= ge]
        pw = sum(e - s for s, e, _ in inside) * 1000
        pc = sum(c for _, _, c in inside) * 1000
        print(
            f"  stall {(ge - gs) * 1000:5.0f} ms, GUI CPU {gc * 1000:4.0f} ms: page-list paints {len(inside)},"
            f" {pw:5.0f} ms wall, {pc:4.1f} ms CPU"
        )
    if explainer is not None:
        print(explainer.report())
    controller.cancel_all()
    controller.discard_untitled()
    window.close()
    controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
