"""Work the embedded engine does not do: crops nobody reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

EPSON = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-epson.png"


def test_line_detection_crops_no_lines(engine, monkeypatch):
    """RapidOCR, asked for the lines only, crops each one out of the shrunk page (and scales it
    back up); the engine crops the lines it reads itself, from the page at full size."""
    import rapidocr.main

    crops: list[int] = []
    real = rapidocr.main.get_rotate_crop_image

    def counted(image, box):
        crops.append(1)
        return real(image, box)

    monkeypatch.setattr(rapidocr.main, "get_rotate_crop_image", counted)
    page = Image.open(EPSON).convert("RGB")
    bgr = np.ascontiguousarray(np.asarray(page)[:, :, ::-1])
    lines = engine._detect(bgr)
    assert len(lines) > 40
    assert crops == []
