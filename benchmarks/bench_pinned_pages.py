"""Wall and CPU seconds of the embedded engine on a few real pages, after a warm-up page: the figure
to take on quiet, pinned cores (``taskset -c 2,3``), for one checkout or two side by side.

Usage::

    taskset -c 2,3 python benchmarks/bench_pinned_pages.py [--tree DIR] [--runs 2] [--threads 2] [--idle 11]

Each page (the committed 300-dpi Epson and Linn scans, and a spread of the two side by side, tops
aligned on white as ``bench_real_pages.py --spread`` makes it) is read ``--runs`` times; the best
wall time is printed with that run's CPU seconds (the process's, every thread) and the Markdown's
MD5, so that two checkouts' outputs can be compared, and the memory the process holds (resident)
right after the read. ``--tree`` imports ``desktop_ocr`` from another checkout. ``--idle`` waits
that many seconds before each read: past the engine's idle time (10 s) it times a page read after a
pause, its heap handed back to the system (``desktop_ocr.engine.heap``), rather than one of pages
read back to back.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tree", default=str(ROOT))
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--idle", type=float, default=0.0, help="seconds to wait before each read")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.tree).resolve()))
    from PIL import Image

    from desktop_ocr.engine.base import PageInput
    from desktop_ocr.engine.embedded import EmbeddedEngine

    def page(name: str) -> Image.Image:
        with Image.open(REAL / name) as im:
            return im.convert("RGB")

    epson, linn = page("ocrmypdf-epson.png"), page("ocrmypdf-linn.png")
    spread = Image.new("RGB", (linn.width + epson.width, max(linn.height, epson.height)), "white")
    spread.paste(linn, (0, 0))
    spread.paste(epson, (linn.width, 0))
    pages = {"epson (A4)": epson, "linn (Letter)": linn, "spread linn+epson": spread}

    engine = EmbeddedEngine({"threads": args.threads})
    t = time.perf_counter()
    engine.load()
    print(f"tree {args.tree}: load {time.perf_counter() - t:.2f} s", flush=True)
    engine.read([PageInput("warm-up", page("ocrmypdf-c03-29.jpeg"))])
    for name, image in pages.items():
        best: tuple[float, float, str, int] | None = None
        for _ in range(args.runs):
            time.sleep(args.idle)
            wall, cpu = time.perf_counter(), time.process_time()
            [result] = engine.read([PageInput(name, image)])
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            md5 = hashlib.md5(getattr(result, "markdown", "").encode()).hexdigest()[:10]
            if best is None or wall < best[0]:
                best = (wall, cpu, md5, resident_mb())
        assert best is not None
        print(
            f"{name:20s} wall {best[0]:6.2f} s  CPU {best[1]:6.2f} s  md5 {best[2]}  held {best[3]} MB",
            flush=True,
        )
    engine.unload()
    return 0


def resident_mb() -> int:
    """The process's resident memory in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1_000_000
    except (OSError, ValueError, AttributeError):
        return 0


if __name__ == "__main__":
    sys.exit(main())
