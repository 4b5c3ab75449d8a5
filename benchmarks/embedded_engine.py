"""Embedded engine benchmark: seconds per page and character error rate on rendered pages.

Usage: ``.venv/bin/python benchmarks/embedded_engine.py [--pages N] [--dpi 200] [--threads 0]``
Prints one line per page and a summary (median seconds per page, mean CER).
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
sys.path.insert(0, str(ROOT / "tests"))

from ocr_pages import PARAGRAPHS, SANS, SERIF, cer, render_page  # noqa: E402

from desktop_ocr.engine.base import PageInput  # noqa: E402
from desktop_ocr.engine.embedded import EmbeddedEngine  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()

    engine = EmbeddedEngine({"threads": args.threads})
    t0 = time.perf_counter()
    engine.load()
    print(f"load: {time.perf_counter() - t0:.2f} s")
    times: list[float] = []
    errors: list[float] = []
    cpus: list[float] = []  # CPU seconds (all threads): a figure less disturbed by a busy machine
    for n in range(args.pages):
        kind = ("1col-serif", "1col-sans", "2col-title", "3col-title")[n % 4]
        rot = PARAGRAPHS[n % len(PARAGRAPHS) :] + PARAGRAPHS[: n % len(PARAGRAPHS)]
        if kind == "1col-serif":
            page = render_page(rot[:7], dpi=args.dpi, font=SERIF)
        elif kind == "1col-sans":
            page = render_page(rot[:7], dpi=args.dpi, font=SANS, fontsize=10)
        elif kind == "2col-title":
            page = render_page(rot, columns=2, title="Holloway Papers: A Guide", dpi=args.dpi)
        else:
            page = render_page(rot[:6], columns=3, title="Three Columns", dpi=args.dpi)
        t, c = time.perf_counter(), time.process_time()
        [result] = engine.read([PageInput(str(n), page.image)])
        dt = time.perf_counter() - t
        cpu = time.process_time() - c
        cpus.append(cpu)
        error = cer(page.text, getattr(result, "markdown", ""))
        times.append(dt)
        errors.append(error)
        chars = len(page.text)
        print(
            f"page {n + 1} {kind:11s} {page.image.size[0]}x{page.image.size[1]} {chars} chars: {dt:.2f} s ({cpu:.2f} CPU s), CER {error:.4%}"
        )
    print(
        f"summary: {args.pages} pages at {args.dpi} dpi, median {statistics.median(times):.2f} s/page "
        f"({statistics.median(cpus):.2f} CPU s/page, load avg {os.getloadavg()[0]:.2f}), mean CER {statistics.mean(errors):.4%}, max CER {max(errors):.4%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
