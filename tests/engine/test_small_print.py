"""Small print is not lost to the detection size: a sheet of nine real brochure pages (the committed
300-dpi LinnSequencer scan tiled 3 x 3, 7650 x 9900 px, read at half resolution as the engine
reads any page over 6000 px) holds nine times the page's lines at a third of their size; at the
fixed 1600 px detection size 616 of its 738 lines were found."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

from desktop_ocr.engine.embedded import MAX_READ_SIDE

LINN = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-linn.png"


def bgr_of(image: Image.Image) -> np.ndarray:
    factor = math.ceil(max(image.size) / MAX_READ_SIDE)  # as EmbeddedEngine._read_page reduces it
    if factor > 1:
        image = image.reduce(factor)
    return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])


def test_a_sheet_of_small_print_keeps_every_line(engine):
    page = Image.open(LINN).convert("RGB")
    one = len(engine._detect(bgr_of(page)))
    sheet = Image.new("RGB", (page.width * 3, page.height * 3), "white")
    for i in range(3):
        for j in range(3):
            sheet.paste(page, (i * page.width, j * page.height))
    found = len(engine._detect(bgr_of(sheet)))
    assert one > 70
    assert found >= 0.98 * 9 * one, (found, one)
