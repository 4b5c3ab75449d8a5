"""Work the embedded engine does not do (crops nobody reads), and work it does beside other work."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from desktop_ocr.engine.base import PageInput

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
EPSON = REAL / "ocrmypdf-epson.png"


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


def test_a_spreads_layout_model_runs_while_drop_caps_are_looked_for(engine, monkeypatch):
    """On a spread the layout model starts as soon as the lines tell where the fold is, on the
    thread beside, while the main thread cuts lines at gutters and looks for drop caps (one core's
    work): before, it started only after them. The Markdown is the same (one page then the other)."""
    import desktop_ocr.engine.embedded as embedded

    events: list[str] = []
    real_find = embedded.find_drop_caps

    def find_drop_caps(*args, **kwargs):
        events.append("drop caps")
        return real_find(*args, **kwargs)

    real_submit = engine._beside.submit

    def submit(*args, **kwargs):
        events.append("layout")
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(embedded, "find_drop_caps", find_drop_caps)
    monkeypatch.setattr(engine._beside, "submit", submit)
    pages = [Image.open(REAL / f"{name}.png").convert("RGB") for name in ("ocrmypdf-linn", "ocrmypdf-epson")]
    spread = Image.new("RGB", (pages[0].width + pages[1].width, max(p.height for p in pages)), "white")
    spread.paste(pages[0], (0, 0))
    spread.paste(pages[1], (pages[0].width, 0))
    [result] = engine.read([PageInput("spread", spread)])
    assert events == ["layout", "drop caps"]
    left, right = result.markdown.split("Optical character recognition", 1)
    assert "Linn Electronics" in left and "Wikipedia" in right
