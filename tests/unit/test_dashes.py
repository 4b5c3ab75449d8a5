"""A line-end dash told from a hyphen by its length, on committed real scans (tests/data/real)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from desktop_ocr.engine.dashes import is_em_dash, mend_line_end
from desktop_ocr.engine.reading_order import LineBox

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def gray(name: str) -> np.ndarray:
    return np.asarray(Image.open(REAL / name).convert("L"))


def test_an_em_dash_at_a_line_end_is_told_from_a_hyphen():
    # ocrmypdf's Linn scan, RapidOCR's line boxes: "... plays in the sequence—" ends in an em
    # dash, "... using the SINGLE STEP func-" in a hyphen (a word split).
    page = gray("ocrmypdf-linn.png")
    dash = LineBox(335, 2081, 1218, 2131)
    hyphen = LineBox(341, 2164, 1224, 2205)
    assert is_em_dash(page, dash)
    assert not is_em_dash(page, hyphen)
    # The recogniser's hyphen for a dash is mended; a real hyphen stays.
    assert mend_line_end("just before it plays in the sequence-", page, dash).endswith("sequence\u2014")
    assert mend_line_end("using the SINGLE STEP func-", page, hyphen) == "using the SINGLE STEP func-"


def test_a_line_without_a_final_mark_has_no_dash():
    page = gray("ocrmypdf-linn.png")
    # The Linn page's line "added, erased, ..." cut before its hyphen: letters end it.
    assert not is_em_dash(page, LineBox(341, 2164, 1150, 2205))
    assert not is_em_dash(page, LineBox(0, 0, 5, 5))  # too small to tell
