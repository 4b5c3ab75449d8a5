"""Drop caps found in the ink (desktop_ocr.engine.drop_caps) on real pages, with the embedded
engine's own detected lines and recognition: the WSJ page's "I" (fetched corpus page, see
tests/engine/test_real_multicolumn_pages.py), and no false drop cap on the committed real scans
(a book page with an illustration beside its text, a brochure with a logo, a printout, a typed
recipe, a born-digital two-column page)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from desktop_ocr.engine.drop_caps import find_drop_caps
from desktop_ocr.engine.gutters import ink_profile, split_at_gutters
from desktop_ocr.engine.reading_order import LineBox
from desktop_ocr.model.document import SourceKind
from desktop_ocr.model.sources import render_page

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real"
CORPUS = ROOT / "benchmarks" / "corpus" / "pages"


def drop_caps_of(engine, path: Path, kind: SourceKind = SourceKind.IMAGE) -> list[tuple[LineBox, str]]:
    engine.load()
    image = render_page(str(path), kind, 0).convert("RGB")
    bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
    gray = np.asarray(image.convert("L"))
    quads = split_at_gutters(engine._detect(bgr), ink_profile(gray))
    lines = [LineBox.from_points(q) for q in quads]
    return [(c.box, c.text) for c in find_drop_caps(bgr, gray, lines, engine._read_alone)]


def test_the_wsj_pages_drop_cap_is_found_and_read(engine):
    path = CORPUS / "scribe-multicol-08.png"
    if not path.exists():
        pytest.skip("scribe-multicol-08 is not fetched (benchmarks/corpus/fetch_corpus.py)")
    [(box, text)] = drop_caps_of(engine, path)
    assert text == "I"
    assert 60 <= box.x1 <= 70 and 88 <= box.y1 <= 100 and box.height > 60


@pytest.mark.parametrize(
    "name",
    ["ocrmypdf-c03-29.jpeg", "ocrmypdf-linn.png", "ocrmypdf-epson.png", "ocrmypdf-typewriter.png"],
)
def test_no_drop_cap_on_real_pages_without_one(engine, name):
    assert drop_caps_of(engine, REAL / name) == []


def test_no_drop_cap_on_the_born_digital_two_column_page(engine):
    assert drop_caps_of(engine, REAL / "born-digital-two-column.pdf", SourceKind.PDF) == []
