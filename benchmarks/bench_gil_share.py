"""Where the window's long event-loop gaps go while pages are read: the GIL or a core (issue 12, item 12).

    python benchmarks/bench_gil_share.py [--pages 4] [--hogs 2] [--runs 2] [--threshold-ms 50]

Two sides, alternated, each with ``--hogs`` busy processes beside and the same GUI work (the real
window on a PDF of dense pages; a 100 ms timer repaints the page list and the page, as progress does):

- ``in-process``: the window reads the pages (its reading thread: Python, in this process);
- ``elsewhere``: ``desktop-ocr convert`` reads them in another process while the window waits;
- ``elsewhere+spin``: the same, and a Python thread in this process spins (holds the GIL, as a
  reading thread's Python does, with none of its results for the window to show).

For each gap over the threshold (``benchmarks/event_gaps.py``) the GUI thread's time is split into
ran (CPU), waited for a core (runnable: ``/proc/thread-self/schedstat``) and slept (not runnable:
waiting for the GIL or another lock). With the reader elsewhere nothing in this process holds the GIL
for long, so the "slept" share that is left is the meter's own and Qt's; what the in-process side has
more is the reading thread's GIL.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=4)
    p.add_argument("--hogs", type=int, default=len(os.sched_getaffinity(0)))
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--threshold-ms", type=float, default=50.0)
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    base = Path(tempfile.mkdtemp(prefix="desktop-ocr-bench-"))
    os.environ["DESKTOP_OCR_BASEDIR"] = str(base)
    from bench_gui_stall import open_window, pump, wait_for
    from bench_loaded_reading import HOG, cli_pages_per_min, dense_pages
    from event_gaps import GapExplainer
    from PySide6.QtCore import QTimer
    from sample_docs import write_pdf

    pdf = write_pdf(base / "dense.pdf", dense_pages(args.pages))
    from desktop_ocr.app import make_application

    app = make_application()  # noqa: F841 - keep it alive
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(args.hogs)]
    sides = ("in-process", "elsewhere", "elsewhere+spin")
    totals: dict[str, list[tuple[float, float, float, float, int]]] = {side: [] for side in sides}
    try:
        time.sleep(1.0)
        for run in range(args.runs):
            for side in sides:
                load = os.getloadavg()[0]
                controller, window = open_window("1400x900")
                window.open_paths([str(pdf)])
                assert wait_for(lambda c=controller: c.project.page_count == args.pages, 120)
                if side == "in-process":
                    loaded: list[bool] = []
                    controller.ocr.engine_ready_for_work.connect(lambda done=loaded: done.append(True))
                    controller.preload_engine()
                    assert wait_for(lambda done=loaded: bool(done), 300), "the engine did not load"
                repaint = QTimer()
                repaint.setInterval(100)
                repaint.timeout.connect(window.page_list.viewport().update)
                repaint.timeout.connect(window.canvas.viewport().update)
                repaint.start()
                explainer = GapExplainer(args.threshold_ms / 1000)
                t0 = time.perf_counter()
                if side == "in-process":
                    controller.read_all()
                    assert wait_for(lambda c=controller: c.reading.is_reading, 30)
                    assert wait_for(lambda c=controller: not c.reading.is_reading, 1800), (
                        "reading did not end"
                    )
                else:
                    done = threading.Event()
                    if side == "elsewhere+spin":

                        def spin(end=done) -> None:
                            while not end.is_set():
                                for _ in range(10_000):
                                    pass

                        threading.Thread(target=spin, daemon=True).start()

                    def convert(
                        out: Path = base / f"out-{run}", home: Path = base / f"cli-{run}", end=done
                    ) -> None:
                        cli_pages_per_min(pdf, out, home)
                        end.set()

                    threading.Thread(target=convert, daemon=True).start()
                    assert wait_for(done.is_set, 1800), "convert did not end"
                elapsed = time.perf_counter() - t0
                explainer.stop()
                repaint.stop()
                gaps = explainer.gaps
                wall = sum(g.wall for g in gaps)
                cpu = sum(g.cpu for g in gaps)
                queued = sum(g.queued for g in gaps)
                totals[side].append((wall, cpu, queued, elapsed, len(gaps)))
                print(
                    f"run {run} {side} (load {load:.1f}, {elapsed:.0f} s): " + explainer.report(worst=5),
                    flush=True,
                )
                controller.cancel_all()
                controller.discard_untitled()
                window.close()
                controller.shutdown()
                window.deleteLater()
                pump(0.3)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(
        f"gaps over {args.threshold_ms:g} ms while {args.pages} pages are read, {args.hogs} busy processes beside"
    )
    print("  side            gaps  per min  gap time s  ran %  waited for a core %  slept (GIL, locks) %")
    for side, rows in totals.items():
        wall = sum(r[0] for r in rows)
        cpu = sum(r[1] for r in rows)
        queued = sum(r[2] for r in rows)
        minutes = sum(r[3] for r in rows) / 60
        n = sum(r[4] for r in rows)
        if not wall:
            print(f"  {side:14s} {n:5d}")
            continue
        slept = max(0.0, wall - cpu - queued)
        print(
            f"  {side:14s} {n:5d}  {n / minutes:7.1f}  {wall:10.2f}  {100 * cpu / wall:5.0f}"
            f"  {100 * queued / wall:19.0f}  {100 * slept / wall:20.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
