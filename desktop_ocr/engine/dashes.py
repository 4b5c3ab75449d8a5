"""A dash at a line's end that the recogniser read as a hyphen, told apart by its length.

RapidOCR reads the em dash that ends a line ("in shoots—" / "he appreciates", the WSJ page of
the corpus) as "-"; the reading order then takes it for a word split and mends it away
("shootshe"). An em dash is about an em long, a hyphen a third of that: at the line's end the
last mark of the line's ink at mid-height, thin, is measured against the line's letters (an
em dash is wider than a letter, a hyphen about half as wide). The detector's box often ends
inside a long dash, so the ink is looked at up to a line height past its end.

Pure functions over a greyscale numpy page; OpenCV (RapidOCR's own dependency).
"""

from __future__ import annotations

import statistics
from typing import Any

from desktop_ocr.engine.reading_order import LineBox

#: A dash at least this many times the median letter's width is an em dash (a hyphen is about
#: 0.5, an en dash about 1: both stay hyphens).
EM_DASH_WIDTH = 1.4
#: A dash is at most this share of the line's height tall, its middle within this band.
DASH_HEIGHT, DASH_BAND = 0.25, (0.3, 0.8)
#: Letters (for the width they give) are at least this share of the line's height tall.
LETTER_HEIGHT = 0.3


def is_em_dash(gray: Any, box: LineBox) -> bool:
    """Whether the line ``box`` (page pixels) of ``gray`` (0 black .. 255 white) ends in a mark
    as long as an em dash (see the module docstring)."""
    import cv2
    import numpy as np

    h = box.height
    if h < 6 or box.width < 2 * h:
        return False
    y1, y2 = max(0, int(box.y1)), min(gray.shape[0], int(box.y2))
    x1, x2 = max(0, int(box.x2 - 4 * h)), min(gray.shape[1], int(box.x2 + h))
    crop = np.ascontiguousarray(gray[y1:y2, x1:x2], dtype=np.uint8)
    if crop.size == 0:
        return False
    _t, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    comps = [tuple(int(v) for v in stats[k]) for k in range(1, n) if stats[k][4] >= 2]
    letters = [w for _x, _y, w, hh, _a in comps if hh >= LETTER_HEIGHT * h]
    if len(letters) < 3:
        return False
    low, high = DASH_BAND
    dashes = [
        (x, w)
        for x, y, w, hh, _a in comps
        if hh <= DASH_HEIGHT * h and low * h <= y + hh / 2 <= high * h and x + w <= box.x2 - x1 + h
    ]
    if not dashes:
        return False
    last_x, last_w = max(dashes)
    # The dash is the line's last mark: nothing taller stands right of it.
    if any(x > last_x + last_w for x, _y, _w, hh, _a in comps if hh >= LETTER_HEIGHT * h):
        return False
    return last_w >= EM_DASH_WIDTH * statistics.median(letters)


def mend_line_end(text: str, gray: Any, box: LineBox) -> str:
    """``text`` with a final "-" that is an em dash on the page written "—"."""
    if text.endswith("-") and not text.endswith("--") and is_em_dash(gray, box):
        return text[:-1] + "\u2014"
    return text
