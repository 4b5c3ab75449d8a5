"""Region reads and locate with the embedded engine on a real rendered A4 page: time and accuracy.

Usage: ``.venv/bin/python benchmarks/region_locate.py [--dpi 144] [--threads 0] [--repeat 3]``

Prints the full-page read time, then for each region (a paragraph, a line, a few words) the median
time and the character error rate of the plain cut and of two ways to enlarge small cuts (Lanczos to a
shorter side of 160 px; the page rendered at twice the DPI), then the time of locate for phrases that
are on the page, run over a line break, carry an OCR-style slip, or are absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ocr_pages import PARAGRAPHS, cer, render_page  # noqa: E402
from PIL import Image  # noqa: E402

from desktop_ocr.engine.base import PageInput, ReadOptions  # noqa: E402
from desktop_ocr.engine.embedded import EmbeddedEngine  # noqa: E402
from desktop_ocr.engine.region import read_region  # noqa: E402
from desktop_ocr.model.geometry import Box  # noqa: E402
from desktop_ocr.model.result import PageResult  # noqa: E402


def _median_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def _enlarge(img: Image.Image, min_side: int = 160) -> Image.Image:
    short = min(img.size)
    if short >= min_side:
        return img
    f = min(4.0, min_side / short)
    return img.resize((round(img.width * f), round(img.height * f)), Image.Resampling.LANCZOS)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dpi", type=int, default=144)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    engine = EmbeddedEngine({"threads": args.threads})
    engine.load()
    page = render_page(PARAGRAPHS[:6], dpi=args.dpi).image
    page2x = render_page(PARAGRAPHS[:6], dpi=args.dpi * 2).image
    w, h = page.size
    t, full = _median_time(lambda: engine.read([PageInput("p", page)])[0], args.repeat)
    assert isinstance(full, PageResult)
    print(f"page {w}x{h} px ({args.dpi} dpi): full read {t:.2f} s, {len(full.blocks)} blocks")

    # Regions from the page's own blocks and lines (what a user would draw around).
    import json

    lines = json.loads(full.raw)["lines"]
    para = full.blocks[1]
    line = max(lines, key=lambda ln: len(ln["text"]))
    x1, y1, x2, y2 = line["box"]
    words = " ".join(line["text"].split()[:3])
    wx2 = x1 + (x2 - x1) * len(words) / max(1, len(line["text"]))
    regions = {
        "paragraph": (Box(*para.boxes[0].as_list()), para.text),
        "line": (Box.from_pixels(x1 - 4, y1 - 4, x2 + 4, y2 + 4, w, h), line["text"]),
        "3 words": (Box.from_pixels(x1 - 4, y1 - 4, wx2 + 6, y2 + 4, w, h), words),
    }
    opts = ReadOptions(prompt="ocr")
    for name, (box, want) in regions.items():
        variants = {
            "cut": lambda box=box: read_region(engine, page, box, opts),
            "enlarged": lambda box=box: _read_cut(engine, _enlarge(page.crop(box.crop_pixels(w, h)))),
            "2x dpi": lambda box=box: read_region(engine, page2x, box, opts),
        }
        for label, fn in variants.items():
            t, res = _median_time(fn, args.repeat)
            text = res.markdown if isinstance(res, PageResult) else str(res)
            print(f"region {name:9} {label:8} {t * 1000:6.0f} ms  CER {cer(want, text):.3f}  {text[:50]!r}")

    phrases = {
        "on the page": " ".join(PARAGRAPHS[2].split()[3:6]),
        "over a line break": " ".join(PARAGRAPHS[0].split()[12:18]),
        "OCR slip": PARAGRAPHS[4].split(".")[0][20:44].replace("o", "0", 1),
        "absent": "a phrase that is nowhere",
    }
    for name, phrase in phrases.items():
        t, boxes = _median_time(lambda phrase=phrase: engine.locate(page, phrase), args.repeat)
        print(f"locate {name:18} {t:5.2f} s  {len(boxes)} box(es)  {phrase!r}")
    return 0


def _read_cut(engine: EmbeddedEngine, cut: Image.Image) -> object:
    return engine.read([PageInput("r", cut, ReadOptions(prompt="ocr"))])[0]


if __name__ == "__main__":
    raise SystemExit(main())
