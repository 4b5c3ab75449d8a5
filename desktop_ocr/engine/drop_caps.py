"""Drop caps the line detector misses, found in the page's ink and read alone.

A drop cap (a paragraph's first letter set over several lines, the lines beside it indented) is a
single tall glyph standing apart from any line: the text detector, trained on lines of text, often
finds no box for it (the Wall Street Journal page of the corpus: the "I" of "I LIKE walking" over
five lines), and the paragraph then starts without its first letter. Here such a glyph is found
as a dark connected component of the page that

- stands clear of every detected line and is at least :data:`MIN_HEIGHT` line heights tall, at
  most :data:`MAX_HEIGHT`, and shaped like a letter (not a rule, a frame or a blot);
- has at least :data:`MIN_BESIDE` lines starting just right of it, level with its height, the top
  one level with its top, starting at one indent;
- has a line under it that starts at its left edge (the column's margin, which the lines beside
  it are indented from), and no line to its left.

It is then read alone by the recognition model (a crop with a little white around it) and kept
only when it reads as one capital letter. :mod:`reading_order` puts it at the start of its first
line (the row it opens; its text joins the line's first word without a space).

Pure functions apart from the recognition callable; numpy and OpenCV (RapidOCR's own dependency).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_ocr.engine.reading_order import LineBox, body_height

#: The glyph's height in (detected) line heights: at least a two-line drop cap's, at most a
#: six-line one's (anything taller is a picture or a headline's letter).
MIN_HEIGHT, MAX_HEIGHT = 1.3, 8.0
#: Its width for its height (a capital W is wider than tall, an I a third as wide).
MIN_ASPECT, MAX_ASPECT = 0.12, 1.6
#: Share of its bounding box the glyph's ink fills (a letter, not a frame or a thin rule).
MIN_FILL, MAX_FILL = 0.12, 0.7
#: Lines beside it needed, and how far right of it (line heights) they may start.
MIN_BESIDE, BESIDE_REACH = 2, 2.0
#: A detected line may overlap the glyph by at most this share of its box (else it was found).
MAX_COVERED = 0.2
#: White around the glyph in the crop read, as a share of its height.
CROP_PAD = 0.1
#: Readings of a lone tall stroke that mean the letter I (or O) in a drop cap.
LOOK_ALIKE = {"1": "I", "l": "I", "|": "I", "!": "I", "]": "I", "[": "I", "0": "O"}
MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class DropCap:
    """A drop cap found on the page: its box (page pixels), its letter and the reading's score."""

    box: LineBox
    text: str
    score: float

    @property
    def quad(self) -> list[list[float]]:
        b = self.box
        return [[b.x1, b.y1], [b.x2, b.y1], [b.x2, b.y2], [b.x1, b.y2]]


def candidates(gray: Any, lines: Sequence[LineBox]) -> list[LineBox]:
    """Boxes (page pixels) of glyphs that stand where a drop cap would, in ``gray`` (a greyscale
    numpy page, 0 black .. 255 white) beside the detected ``lines``; see the module docstring."""
    import cv2
    import numpy as np

    real = [b for b in lines if b.width > 0 and b.height > 0]
    h = body_height(real)
    if h <= 0 or len(real) < MIN_BESIDE + 2:
        return []
    # Only glyphs several lines tall matter: a coarser page is enough and much cheaper.
    scale = max(1, int(h // 8))
    small = gray[::scale, ::scale] if scale > 1 else gray
    small = np.ascontiguousarray(small, dtype=np.uint8)
    _t, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    out: list[LineBox] = []
    for k in range(1, n):
        x, y, w, hh, area = (int(v) for v in stats[k])
        box = LineBox(x * scale, y * scale, (x + w) * scale, (y + hh) * scale)
        if not MIN_HEIGHT * h <= box.height <= MAX_HEIGHT * h:
            continue
        if not MIN_ASPECT * box.height <= box.width <= MAX_ASPECT * box.height:
            continue
        if not MIN_FILL <= area / max(1, w * hh) <= MAX_FILL:
            continue
        if _stands_as_drop_cap(box, real, h):
            out.append(box)
    return out


def _stands_as_drop_cap(c: LineBox, lines: Sequence[LineBox], h: float) -> bool:
    def overlap(a: LineBox, b: LineBox) -> float:
        w = min(a.x2, b.x2) - max(a.x1, b.x1)
        v = min(a.y2, b.y2) - max(a.y1, b.y1)
        return max(0.0, w) * max(0.0, v)

    area = c.width * c.height
    if any(overlap(c, b) > MAX_COVERED * area for b in lines):
        return False  # the detector found it (a headline's letter, a line's glyph)
    beside = [
        b
        for b in lines
        if c.x2 - 0.5 * h <= b.x1 <= c.x2 + BESIDE_REACH * h
        and c.y1 - 0.5 * h <= b.cy <= c.y2
        and b.height < 0.7 * c.height
    ]
    if len(beside) < MIN_BESIDE:
        return False
    top = min(beside, key=lambda b: b.y1)
    if not c.y1 - h <= top.y1 <= c.y1 + 0.5 * h:
        return False  # the top line beside it is level with its top
    indent = statistics.median(b.x1 for b in beside)
    if any(abs(b.x1 - indent) > 0.5 * h for b in beside):
        return False  # the lines beside it start at one indent
    # A line under it starts at its left edge, the column's margin ...
    under = [b for b in lines if c.y2 - 0.5 * h <= b.y1 <= c.y2 + 1.5 * h and b.x1 < c.x2 and b.x2 > indent]
    if not any(c.x1 - 1.0 * h <= b.x1 <= c.x1 + 0.5 * h for b in under):
        return False
    # ... and nothing stands left of it on its lines (it opens the column's lines, not a row).
    return not any(b.x2 <= c.x1 + 0.5 * h and b.x2 > c.x1 - 3 * h and c.y1 <= b.cy <= c.y2 for b in lines)


def crop(bgr: Any, box: LineBox) -> Any:
    """The glyph with :data:`CROP_PAD` of its height in white around it (what the model reads)."""
    import numpy as np

    pad = max(1, round(CROP_PAD * box.height))
    hgt, wid = bgr.shape[:2]
    x1, y1 = max(0, int(box.x1) - pad), max(0, int(box.y1) - pad)
    x2, y2 = min(wid, int(box.x2) + pad), min(hgt, int(box.y2) + pad)
    return np.ascontiguousarray(bgr[y1:y2, x1:x2])


def letter(text: str, score: float) -> str | None:
    """The capital letter a reading of a lone drop-cap glyph stands for, or None (not a letter:
    not a drop cap)."""
    text = text.strip()
    text = LOOK_ALIKE.get(text, text)
    if len(text) != 1 or not text.isalpha() or not text.isupper() or score < MIN_SCORE:
        return None
    return text


def find_drop_caps(
    bgr: Any, gray: Any, lines: Sequence[LineBox], read: Callable[[Any], tuple[str, float]]
) -> list[DropCap]:
    """The drop caps of a page (``bgr`` and ``gray`` numpy images of it, its detected ``lines``),
    each read alone with ``read`` (a crop -> (text, score)); see the module docstring."""
    out: list[DropCap] = []
    for box in candidates(gray, lines):
        text, score = read(crop(bgr, box))
        cap = letter(text, float(score))
        if cap is not None:
            out.append(DropCap(box, cap, float(score)))
    return out
