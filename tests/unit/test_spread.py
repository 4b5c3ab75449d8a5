"""Two-page spreads: where the fold is, and the detection resolution a wide image gets."""

from __future__ import annotations

from desktop_ocr.engine.embedded import DEFAULT_MAX_SIDE, detect_side
from desktop_ocr.engine.reading_order import LineBox
from desktop_ocr.engine.spread import page_side, spread_fold


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
