"""Page list micro-benchmark: a 500-page project, first thumbnails, scrolling, a page move.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_page_list.py [--pages N]
Thumbnails come from an in-process source that answers like the render worker (None first, the
image later through ``thumbnail_ready``), so the figures measure the list itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from desktop_ocr.model.document import PageState
    from desktop_ocr.ui import demo
    from desktop_ocr.ui.page_list import PageListModel, PageListView, StaticThumbnailSource

    project = demo.sample_project((("big.pdf", args.pages),))
    ids = [p.id for p in project.all_pages()]
    states = list(PageState)
    for i, pid in enumerate(ids):
        project.set_state([pid], states[i % len(states)])
    source = StaticThumbnailSource(demo.sample_thumbnail)

    t0 = time.perf_counter()
    model = PageListModel(project, source)
    view = PageListView()
    view.setModel(model)
    view.resize(190, args.height)
    view.show()
    app.processEvents()
    t_first_paint = time.perf_counter() - t0
    visible = [
        r
        for r in range(model.rowCount())
        if view.visualRect(model.index(r, 0)).intersects(view.viewport().rect())
    ]
    while any(model.item(r).image is None for r in visible):
        app.processEvents()
        if time.perf_counter() - t0 > 10:
            break
    view.viewport().repaint()
    t_thumbs = time.perf_counter() - t0

    # scroll through the whole list in wheel-sized steps, painting each step synchronously
    bar = view.verticalScrollBar()
    paints: list[float] = []
    t_scroll = time.perf_counter()
    value = 0
    while value <= bar.maximum():
        bar.setValue(value)
        app.processEvents()  # thumbnails of newly visible rows arrive here
        t = time.perf_counter()
        view.viewport().repaint()
        paints.append((time.perf_counter() - t) * 1000)
        value += 120
    scroll_total = time.perf_counter() - t_scroll
    # and back up, now with cached thumbnails
    cached: list[float] = []
    while value >= 0:
        bar.setValue(value)
        app.processEvents()
        t = time.perf_counter()
        view.viewport().repaint()
        cached.append((time.perf_counter() - t) * 1000)
        value -= 120

    view.select_page(ids[10])
    t = time.perf_counter()
    project.move_pages([ids[10], ids[11]], project.documents[0].id, args.pages - 5)
    app.processEvents()
    t_move = (time.perf_counter() - t) * 1000

    print(f"pages: {args.pages}, viewport 190x{args.height}, Qt platform {app.platformName()}")
    print(f"first paint after show:        {t_first_paint * 1000:7.1f} ms")
    print(f"visible thumbnails painted:    {t_thumbs * 1000:7.1f} ms ({len(visible)} rows)")
    print(f"thumbnails requested in total: {len(source.requests)} of {args.pages} (scrolled end to end)")
    print(f"scroll paints (new thumbs):    {_stats(paints)}; {len(paints)} steps in {scroll_total:.2f} s")
    print(f"scroll paints (cached):        {_stats(cached)}")
    print(f"move 2 pages (model sync):     {t_move:7.1f} ms")
    return 0


def _stats(ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"longest {ordered[-1]:5.1f} ms, p95 {p95:4.1f} ms, median {statistics.median(ordered):4.1f} ms, "
        f"mean {statistics.mean(ordered):4.1f} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
