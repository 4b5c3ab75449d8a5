"""Two-page spreads: a scan of an open book or magazine holds two pages side by side, and each is
read in full, left page first, before the other (a reader never runs a line on from the left page
into the right one). Pure functions over line boxes; no Qt, no ONNX here.

A spread is told by its shape and its text: an image clearly wider than tall, with a white band
near its middle, from its top to its bottom, that no text line crosses. A headline running over
both pages crosses the band: such a spread is laid out as one page, which is what it is.
"""

from __future__ import annotations

from collections.abc import Sequence

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
