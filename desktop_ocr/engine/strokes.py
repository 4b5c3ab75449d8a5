"""Lines whose height is not a type size: handwriting, a picture's lettering, text set vertically.

A line box's height is all the reading order has to tell a heading from text
(:mod:`reading_order`: a paragraph 1.6 times the body's height is a title). Printed type's
strokes grow with its size: a heading set 1.6 times larger than the body has strokes at least
about 1.5 times as thick (1.5-3.5 on every real heading of the benchmark corpus: book, newspaper,
magazine, brochure and receipt titles). A signature or a handwritten note in a tall box is drawn
with a pen whose stroke is no thicker than the body type's (0.7-1.2: FUNSD's signatures, a
receipt's "RSK" over its shop name, a research note's graphic "2016", a form's vertical number):
its box's height says nothing about type, so it is no heading. A line of a sub-heading's height
(1.25-1.6 times the body's) is set at most a little larger: its strokes are at least the body's
(1.1-2.6 on the corpus's real sub-headings: Fraktur and newspaper decks the lightest), and a hand's
thinner ones (0.74: FUNSD 87528321's initials and date "9/1/88" under a committee's name) say it
is no heading either.

A stroke's width is measured as twice the ink's area over its outline's length (for a stroke of
width w and length L: area w * L, outline about 2 L), the ink found by Otsu's threshold inside
the line's box. Type printed in a halftone screen (grey type as dots: a research note's kicker
"US Pharmaceuticals & Biotechnology", 25 specks a character) has no stroke to measure: it is
left as its height says.

Pure functions over a greyscale numpy page; OpenCV (RapidOCR's own dependency).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from desktop_ocr.engine.reading_order import SUB_TITLE_RATIO, TITLE_RATIO, LineBox

#: A line at least TITLE_RATIO times the body's height whose strokes are thinner than this many
#: times the body lines' is no printed heading (see the module docstring).
MIN_TITLE_STROKE = 1.35
#: ... and a line SUB_TITLE_RATIO to TITLE_RATIO times the body's height, thinner than this.
MIN_SUB_TITLE_STROKE = 0.9
#: Body lines (for the body's stroke width): this close to the body height.
BODY_BAND = (0.8, 1.25)
#: At least this many body lines are needed to know the body's stroke.
MIN_BODY_LINES = 3
#: Ink in more pieces than this per character (a character about half as wide as the line is
#: tall) is a halftone screen: no stroke is measured (printed text and handwriting on the corpus
#: have at most 9, noisy scans included; screened grey type 15-25).
HALFTONE_PIECES = 12


def stroke_width(gray: Any, box: LineBox) -> float | None:
    """The mean stroke width (pixels) of the ink in ``box`` of ``gray`` (0 black .. 255 white),
    or None for a box without ink, too small to measure or printed in a halftone screen."""
    import cv2
    import numpy as np

    y1, y2 = max(0, int(box.y1)), min(gray.shape[0], round(box.y2))
    x1, x2 = max(0, int(box.x1)), min(gray.shape[1], round(box.x2))
    crop = np.asarray(gray[y1:y2, x1:x2], dtype=np.uint8)
    if crop.shape[0] < 3 or crop.shape[1] < 3:
        return None
    ink = crop <= _otsu(crop)
    area = int(ink.sum())
    outline = int(np.count_nonzero(ink[:, 1:] != ink[:, :-1]) + np.count_nonzero(ink[1:, :] != ink[:-1, :]))
    if area == 0 or outline == 0 or area == ink.size:
        return None
    pieces = cv2.connectedComponents(ink.astype(np.uint8), connectivity=8)[0] - 1
    characters = max(ink.shape) / (0.5 * min(ink.shape))
    if pieces > HALFTONE_PIECES * characters:
        return None
    return 2.0 * area / outline


def _otsu(crop: Any) -> int:
    """Otsu's threshold of a uint8 image (the grey level that best splits ink from paper)."""
    import numpy as np

    hist = np.bincount(crop.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * np.arange(256))
    total, total_mass = weight[-1], mass[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mass * weight - mass * total) ** 2 / (weight * (total - weight))
    between = np.nan_to_num(between, nan=0.0, posinf=0.0)
    return int(np.argmax(between))


def untyped_lines(
    gray: Any, ink_boxes: Sequence[LineBox], boxes: Sequence[LineBox], body_h: float
) -> set[int]:
    """The lines (indices) standing TITLE_RATIO times taller than the body (``boxes``, the reading
    order's, against ``body_h``) whose strokes (measured in ``ink_boxes``, the same lines in
    ``gray``'s pixels) are thinner than MIN_TITLE_STROKE times the body lines', and those
    SUB_TITLE_RATIO times taller with strokes thinner than MIN_SUB_TITLE_STROKE times: not printed
    headings (see the module docstring)."""
    if body_h <= 0 or len(boxes) != len(ink_boxes):
        return set()
    tall = [i for i, b in enumerate(boxes) if b.height >= SUB_TITLE_RATIO * body_h]
    if not tall:
        return set()
    low, high = BODY_BAND
    body = [
        w
        for i, b in enumerate(boxes)
        if low * body_h <= b.height <= high * body_h and (w := stroke_width(gray, ink_boxes[i])) is not None
    ]
    if len(body) < MIN_BODY_LINES:
        return set()
    body_stroke = statistics.median(body)
    out: set[int] = set()
    for i in tall:
        w = stroke_width(gray, ink_boxes[i])
        least = MIN_TITLE_STROKE if boxes[i].height >= TITLE_RATIO * body_h else MIN_SUB_TITLE_STROKE
        if w is not None and w < least * body_stroke:
            out.add(i)
    return out
