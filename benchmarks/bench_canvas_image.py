"""The GUI thread's cost when a page's full image reaches the canvas (``PageCanvas.set_image``).

    python benchmarks/bench_canvas_image.py [--runs 7] [--pages epson,linn,typewriter,c03-29]

Each committed real scan (tests/data/real) is made into the QImage the render worker sends
(``render_worker.pil_to_qimage``, timed: that runs in the render thread), then handed to a shown
PageCanvas, as the window does when the image arrives: ``set_page`` with no image, then
``set_image``. Prints, per page, the median and worst wall and process CPU milliseconds of
``set_image`` (``QPixmap.fromImage`` and the scene) and of the first paint after it (``repaint``),
and the CPU milliseconds of the conversion (the render thread's, in the app). Process CPU, not the
GUI thread's: Qt converts big images on its thread pool too. Run it on the old and the new tree.
Target: ``set_image`` under ~16 ms (one frame) on the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {
    "epson": "ocrmypdf-epson.png",
    "linn": "ocrmypdf-linn.png",
    "typewriter": "ocrmypdf-typewriter.png",
    "c03-29": "ocrmypdf-c03-29.jpeg",
}


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:6.1f} [{max(values) * 1000:6.1f}]"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--pages", default=",".join(PAGES))
    args = p.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PIL import Image
    from PySide6.QtWidgets import QApplication

    from desktop_ocr.ui.canvas import PageCanvas
    from desktop_ocr.worker.render_worker import pil_to_qimage

    app = QApplication(sys.argv[:1])
    canvas = PageCanvas()
    canvas.resize(1000, 800)
    canvas.show()
    app.processEvents()
    print(
        f"platform {app.platformName()}, screen format {app.primaryScreen().grabWindow(0).toImage().format()}"
    )
    print("page           size   image fmt   | set_image wall ms  CPU ms       | first paint wall ms  CPU ms"
          "        | render thread conversion CPU ms")  # fmt: skip
    for name in args.pages.split(","):
        pil = Image.open(ROOT / "tests" / "data" / "real" / PAGES[name])
        pil.load()
        pil = pil.convert("RGB")
        conv, set_wall, set_cpu, paint_wall, paint_cpu = [], [], [], [], []
        fmt = ""
        for run in range(args.runs + 1):
            c0 = time.process_time()
            qimg = pil_to_qimage(pil)
            c1 = time.process_time()
            fmt = str(qimg.format()).rsplit(".", 1)[-1]
            canvas.set_page(f"page-{run}", None, [])  # a new page: "Rendering page..." until its image
            app.processEvents()
            w0, t0 = time.perf_counter(), time.process_time()
            canvas.set_image(qimg)
            w1, t1 = time.perf_counter(), time.process_time()
            canvas.viewport().repaint()
            w2, t2 = time.perf_counter(), time.process_time()
            app.processEvents()
            if run == 0:
                continue  # warm-up
            conv.append(c1 - c0)
            set_wall.append(w1 - w0)
            set_cpu.append(t1 - t0)
            paint_wall.append(w2 - w1)
            paint_cpu.append(t2 - t1)
        size = f"{pil.width}x{pil.height}"
        print(f"{name:10s} {size:>10s} {fmt:>14s} | {ms(set_wall)} {ms(set_cpu)} | {ms(paint_wall)} "
              f"{ms(paint_cpu)} | {ms(conv)}")  # fmt: skip
    canvas.close()


if __name__ == "__main__":
    main()
