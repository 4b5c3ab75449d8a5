"""Detected lines that run across a column gutter are cut in two at it.

The line detector sometimes joins the first lines of two neighbouring columns into one box when
they stand at the same height (a title's baseline, a narrow gutter, a low-resolution pass). No
reading order can undo that: half a line of one column and half of the next would be read as one.
A line is cut where its own ink leaves a wide white gap that the lines around it confirm as a
gutter (lines above and below end at its left edge and start at its right edge). Pure functions
over the detector's quadrilaterals and an ink-profile callable; no ONNX here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from desktop_ocr.engine.reading_order import LineBox, body_height

#: Only lines at least this many line heights wide are looked at (two columns' worth of text).
MIN_WIDTH = 10.0
#: A white gap in the line's ink this wide (in line heights) may be a gutter...
MIN_GAP = 0.9
#: ...when at least this many other lines nearby end at its left and start at its right...
SUPPORT = 2
NEAR_Y = 15.0  # line heights above or below that count as "nearby"
EDGE = 3.0  # how close (line heights) to the gap a supporting line's end or start must be
#: ...and no more lines than this share of the supporting ones run across it.
CROSSING_SHARE = 0.5
MAX_SKEW = math.radians(1.5)  # cut only nearly level lines (skewed ones are cut as rectangles)

#: The ink columns of a pixel rectangle (x1, y1, x2, y2): a sequence of booleans, one per x.
InkProfile = Callable[[int, int, int, int], Sequence[bool]]


def split_at_gutters(quads: Sequence[Any], ink: InkProfile) -> list[Any]:
    """The quadrilaterals with every line that crosses a confirmed gutter cut at it (the pieces
    are axis-aligned rectangles); the others unchanged, in the same order."""
    boxes = [LineBox.from_points(q) for q in quads]
    h = body_height(boxes)
    if h <= 0 or len(boxes) < 1 + 2 * SUPPORT:
        return list(quads)
    out: list[Any] = []
    for i, (q, b) in enumerate(zip(quads, boxes)):
        cuts = _gutters_in(i, boxes, h, ink) if b.width >= MIN_WIDTH * h and _level(q) else []
        if not cuts:
            out.append(q)
            continue
        left = b.x1
        for a, z in cuts:
            pad = min(0.3 * h, (z - a) / 2)
            out.append(_rect(left, b.y1, a + pad, b.y2))
            left = z - pad
        out.append(_rect(left, b.y1, b.x2, b.y2))
    return out


def _gutters_in(i: int, boxes: Sequence[LineBox], h: float, ink: InkProfile) -> list[tuple[float, float]]:
    """The confirmed gutters (x from, x to) inside line ``i``, left to right."""
    b = boxes[i]
    x1, x2 = int(b.x1), math.ceil(b.x2)
    band = max(1, int(0.2 * b.height))
    profile = list(ink(x1, int(b.y1) + band, x2, int(b.y2) - band))
    runs: list[tuple[float, float]] = []
    start = -1
    for k, v in enumerate([*profile, True]):
        if not v and start < 0:
            start = k
        elif v and start >= 0:
            a, z = x1 + start, x1 + k
            if z - a >= MIN_GAP * h and a - b.x1 >= 2 * h and b.x2 - z >= 2 * h:
                runs.append((float(a), float(z)))
            start = -1
    return [r for r in runs if _confirmed(i, boxes, h, *r)]


def _confirmed(i: int, boxes: Sequence[LineBox], h: float, a: float, z: float) -> bool:
    """Whether the lines near line ``i`` end at ``a`` and start at ``z`` (a gutter's two edges)."""
    b = boxes[i]
    ends = starts = crossing = 0
    for j, o in enumerate(boxes):
        if j == i or abs(o.cy - b.cy) > NEAR_Y * h:
            continue
        if o.x1 < a and o.x2 > z:
            crossing += 1
        elif a - EDGE * h <= o.x2 <= a + 0.5 * h:
            ends += 1
        elif z - 0.5 * h <= o.x1 <= z + EDGE * h:
            starts += 1
    return ends >= SUPPORT and starts >= SUPPORT and crossing <= CROSSING_SHARE * min(ends, starts)


def _level(quad: Any) -> bool:
    (x0, y0), (x1, y1) = quad[0][:2], quad[1][:2]
    return abs(math.atan2(float(y1) - float(y0), float(x1) - float(x0))) <= MAX_SKEW


def _rect(x1: float, y1: float, x2: float, y2: float) -> Any:
    import numpy as np

    return np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], dtype=np.float32)


def ink_profile(gray: Any) -> InkProfile:
    """An :data:`InkProfile` over a greyscale page (numpy, 0 black .. 255 white): a column has
    ink where at least two of its pixels are clearly darker than the band's paper."""
    import numpy as np

    def profile(x1: int, y1: int, x2: int, y2: int) -> Sequence[bool]:
        hgt, wid = gray.shape[:2]
        x1, x2 = max(0, x1), min(wid, x2)
        y1, y2 = max(0, y1), min(hgt, max(y2, y1 + 1))
        band = gray[y1:y2, x1:x2]
        if band.size == 0:
            return []
        paper = float(np.percentile(band, 90))
        dark = band < paper - max(40.0, 0.25 * paper)
        return list((dark.sum(axis=0) >= 2).tolist())

    return profile
