"""Lines the detector joined across a column gutter are cut at it, and only there."""

from __future__ import annotations

import numpy as np

from desktop_ocr.engine.gutters import ink_profile, split_at_gutters
from desktop_ocr.engine.reading_order import LineBox

H = 30


def quad(x1, y1, x2, y2):
    return np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], dtype=np.float32)


def page(merged_row: bool, gutter_ink: bool = False):
    """Two columns (100-700, 760-1360) of ten lines; the first row optionally detected as one box.
    The page image has ink on every line except in the gutter (unless ``gutter_ink``)."""
    gray = np.full((600, 1500), 255, dtype=np.uint8)
    quads = []
    for k in range(10):
        y = 40 + k * 45
        gray[y + 8 : y + H - 8, 100:700] = 0
        gray[y + 8 : y + H - 8, 760:1360] = 0
        if gutter_ink:
            gray[y + 8 : y + H - 8, 700:760] = 0
        if k == 0 and merged_row:
            quads.append(quad(100, y, 1360, y + H))
        else:
            quads += [quad(100, y, 700, y + H), quad(760, y, 1360, y + H)]
    return quads, gray


def test_a_line_joined_across_the_gutter_is_cut_there():
    quads, gray = page(merged_row=True)
    out = split_at_gutters(quads, ink_profile(gray))
    assert len(out) == len(quads) + 1
    left, right = LineBox.from_points(out[0]), LineBox.from_points(out[1])
    assert 695 <= left.x2 <= 715 and 745 <= right.x1 <= 765
    assert (left.x1, right.x2) == (100, 1360)
    assert [LineBox.from_points(q) for q in out[2:]] == [LineBox.from_points(q) for q in quads[1:]]


def test_no_cut_without_a_gap_in_the_ink_or_without_lines_that_confirm_the_gutter():
    quads, gray = page(merged_row=True, gutter_ink=True)  # one long line whose ink runs on
    assert len(split_at_gutters(quads, ink_profile(gray))) == len(quads)
    # A single full-width line with a wide word space, on a page of full-width lines: no gutter.
    gray = np.full((600, 1500), 255, dtype=np.uint8)
    quads = []
    for k in range(10):
        y = 40 + k * 45
        gray[y + 8 : y + H - 8, 100:1360] = 0
        quads.append(quad(100, y, 1360, y + H))
    gray[40 + 8 : 40 + H - 8, 700:760] = 255
    assert len(split_at_gutters(quads, ink_profile(gray))) == len(quads)
