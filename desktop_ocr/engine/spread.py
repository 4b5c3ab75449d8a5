"""Two-page spreads: a scan of an open book or magazine holds two pages side by side, and each is
read in full, left page first, before the other (a reader never runs a line on from the left page
into the right one). Pure functions over line boxes (and one over pixels); no Qt, no ONNX here.

A spread is told by its shape and its text: an image clearly wider than tall, with a white band
near its middle, from its top to its bottom, that no text line crosses. A headline running over
both pages crosses the band: such a spread is laid out as one page, which is what it is.

Before its lines are found, a wide image whose middle is crossed by lines of text
(:func:`crossed_middle`, from the pixels) is a landscape page, detected at a page's own scale
rather than at the larger one a spread's pages need.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from desktop_ocr.engine.reading_order import LineBox

#: An image at least this much wider than tall may be a spread (two portrait pages: about 1.4).
MIN_ASPECT = 1.15
#: The fold lies within this share of the width on either side of the middle.
FOLD_ZONE = 0.15
#: Each side of the fold holds at least this share of the page's lines.
MIN_SIDE_SHARE = 0.1
#: The white band at the fold is at least this share of the width.
MIN_FOLD_GAP = 0.01


def spread_fold(boxes: Sequence[LineBox], width: float, height: float) -> float | None:
    """The x of the fold between the two pages of a spread, or None for a single page: the middle
    of the widest band near the image's middle that no line (box of non-zero size) crosses."""
    if height <= 0 or width < MIN_ASPECT * height:
        return None
    real = [b for b in boxes if b.width > 0 and b.height > 0]
    if len(real) < 4:
        return None
    lo, hi = width * (0.5 - FOLD_ZONE), width * (0.5 + FOLD_ZONE)
    spans = sorted((max(lo, b.x1), min(hi, b.x2)) for b in real if b.x2 > lo and b.x1 < hi)
    best: tuple[float, float] | None = None
    x = lo
    for a, b in [*spans, (hi, hi)]:
        if a > x and (best is None or a - x > best[1] - best[0]):
            best = (x, a)
        x = max(x, b)
    if best is None or best[1] - best[0] < MIN_FOLD_GAP * width:
        return None
    fold = (best[0] + best[1]) / 2
    left = sum(1 for b in real if b.x2 <= fold)
    if min(left, len(real) - left) < MIN_SIDE_SHARE * len(real):
        return None  # a wide single page with a short column at one edge
    return fold


def page_side(boxes: Sequence[LineBox], fold: float, left: bool) -> list[LineBox]:
    """The boxes of one page of the spread; the other page's are zero boxes (skipped by the
    reading order), so that indices stay the page's own."""
    empty = LineBox(0, 0, 0, 0)
    return [b if ((b.x1 + b.x2) / 2 < fold) == left else empty for b in boxes]


#: A wide image is one page when at least this many lines of text run across its middle...
MIN_CROSSING_LINES = 4
#: ...and they are at least this share of the lines through the emptier of its quarters (a spread's
#: headline may cross the fold; its pages' own lines do not).
MIN_CROSSING_SHARE = 0.5
#: A run of ink rows this share of the image's height or taller is no line of text (a photo, the
#: shadow of a book's fold).
MAX_LINE_SHARE = 0.08


def crossed_middle(gray: Any) -> bool:
    """Whether lines of text run across the middle of a wide image (a grey numpy image, 0 black):
    a landscape page or a wide crop, not a spread, whose pages never share a line.

    This is told from the pixels, before any line is found (it decides at what resolution lines
    are looked for): in the emptiest band of :data:`MIN_FOLD_GAP` of the width near the middle
    (where a fold would be), the separate runs of rows with ink that are no taller than a line are
    counted, and compared with those through bands at a quarter and three quarters of the width.
    Anything else (a white band, a fold's shadow, a photo over the fold, a headline over both
    pages) is not crossed."""
    import numpy as np

    height, width = gray.shape[:2]
    if height <= 0 or width <= 0:
        return False
    step = max(1, round(max(height, width) / 1000))  # dark wins within each step x step block
    rows = height // step
    gap = max(1, math.ceil(MIN_FOLD_GAP * width / step))

    def band_columns(x1: float, x2: float) -> Any:
        a, b = int(x1) // step, max(int(x1) // step + gap, math.ceil(x2 / step))
        part = gray[: rows * step, a * step : b * step]
        return part.reshape(rows, step, b - a, step).min(axis=(1, 3))

    def inked(columns: Any) -> Any:  # per row and window of `gap` columns: any ink there
        dark = columns < paper
        sums = np.concatenate([np.zeros((rows, 1), np.int32), np.cumsum(dark, axis=1, dtype=np.int32)], 1)
        return (sums[:, gap:] - sums[:, :-gap]) > 0

    def line_runs(ink: Any) -> Any:  # per window: the runs of ink rows no taller than a line
        edges = np.diff(np.pad(ink.astype(np.int8), ((1, 1), (0, 0))), axis=0)
        start_row, start_col = np.nonzero(edges.T == 1)[::-1]
        end_row, _ = np.nonzero(edges.T == -1)[::-1]  # the same order: column by column, top down
        short = (end_row - start_row) <= MAX_LINE_SHARE * rows
        return np.bincount(start_col[short], minlength=ink.shape[1])

    middle = band_columns(width * (0.5 - FOLD_ZONE), width * (0.5 + FOLD_ZONE))
    paper = 0.6 * float(np.percentile(middle, 90))  # darker than the paper's grey is ink
    crossing = int(line_runs(inked(middle)).min())  # where a fold would be: the fewest lines
    if crossing < MIN_CROSSING_LINES:
        return False
    quarters = [
        int(line_runs(inked(band_columns(x - gap * step / 2, x + gap * step / 2))[:, :1])[0])
        for x in (width / 4, 3 * width / 4)
    ]
    return crossing >= MIN_CROSSING_SHARE * min(quarters)
