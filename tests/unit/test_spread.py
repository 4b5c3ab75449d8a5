"""Two-page spreads: where the fold is, and the detection resolution a wide image gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from desktop_ocr.engine.embedded import DEFAULT_MAX_SIDE, detect_side
from desktop_ocr.engine.reading_order import LineBox
from desktop_ocr.engine.spread import crossed_middle, page_side, spread_fold

REAL = Path(__file__).resolve().parent.parent / "data" / "real"


def _page(x0: float, lines: int = 20) -> list[LineBox]:
    """A text column of ``lines`` lines, 1000 px wide, starting at ``x0``."""
    return [LineBox(x0, 100 + 40 * n, x0 + 1000, 130 + 40 * n) for n in range(lines)]


def test_the_fold_of_a_spread_lies_between_its_pages():
    boxes = _page(200) + _page(1600)
    fold = spread_fold(boxes, 2800, 1100)
    assert fold is not None and 1200 < fold < 1600
    left = page_side(boxes, fold, left=True)
    assert [b.width > 0 for b in left] == [True] * 20 + [False] * 20


def test_a_headline_over_both_pages_makes_it_one_page():
    boxes = [*_page(200), *_page(1600), LineBox(300, 20, 2500, 80)]
    assert spread_fold(boxes, 2800, 1100) is None


def test_a_portrait_page_is_no_spread():
    assert spread_fold(_page(100) + _page(1300), 2400, 3300) is None


def test_a_wide_page_keeps_the_resolution_of_a_single_page():
    # A 300-dpi Letter page and a spread of two of them: the same detector scale.
    single = detect_side(2550, 3300, DEFAULT_MAX_SIDE)
    spread = detect_side(5100, 3300, DEFAULT_MAX_SIDE)
    assert single == DEFAULT_MAX_SIDE
    assert abs(spread / 5100 - single / 3300) < 0.01


def _grey(path: Path) -> Any:
    return np.asarray(Image.open(path).convert("L"))


def _side_by_side(*pages: Any) -> Any:
    height = max(p.shape[0] for p in pages)
    return np.hstack([np.pad(p, ((0, height - p.shape[0]), (0, 0)), constant_values=255) for p in pages])


def test_lines_across_the_middle_make_a_wide_image_one_page():
    # The real landscape typewriter scan: its lines run across the middle, so it is detected at a
    # page's scale, not at the twice larger one a spread's pages need.
    assert crossed_middle(_grey(REAL / "ocrmypdf-typewriter.png"))


def test_a_spread_of_two_real_pages_is_not_crossed():
    spread = _side_by_side(_grey(REAL / "ocrmypdf-linn.png"), _grey(REAL / "ocrmypdf-epson.png"))
    assert not crossed_middle(spread)


def test_a_headline_or_a_photo_over_the_fold_leaves_a_spread_a_spread():
    spread = _side_by_side(_grey(REAL / "ocrmypdf-linn.png"), _grey(REAL / "ocrmypdf-epson.png"))
    height, width = spread.shape
    headline = _grey(REAL / "ocrmypdf-typewriter.png")[150:300]  # the recipe's title, one line
    with_title = spread.copy()
    with_title[20 : 20 + headline.shape[0], width // 2 - 2000 : width // 2 + 2000] = headline
    assert not crossed_middle(with_title)
    with_photo = spread.copy()
    photo = np.random.default_rng(7).integers(0, 200, (height // 3, 1200), dtype=np.uint8)
    with_photo[height // 3 : height // 3 + photo.shape[0], width // 2 - 600 : width // 2 + 600] = photo
    assert not crossed_middle(with_photo)
