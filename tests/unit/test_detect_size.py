"""The line detector's second, larger pass for small print (desktop_ocr.engine.detect_size)."""

from __future__ import annotations

from desktop_ocr.engine.detect_size import second_side


def test_ordinary_print_is_detected_once():
    # A 300-dpi A4 page (3508 px) at 1600: 10-pt lines about 50 px high (23 px to the detector).
    assert second_side(1600, 3508, [50.0] * 40 + [120.0] * 3, 4800) is None
    # A page read at its own size already: nothing to gain.
    assert second_side(1600, 1170, [12.0] * 40, 4800) is None
    assert second_side(1600, 3508, [], 4800) is None


def test_small_print_is_detected_again_at_the_size_its_lines_need():
    # Nine brochure pages on one sheet, read at 3825 x 4950: lines 31 px high, 10 px at 1600.
    side = second_side(1600, 4950, [31.0] * 600 + [90.0] * 20, 4800)
    assert side is not None and 2300 <= side <= 2500  # 15 px lines
    # A few small lines (a footnote, a credit) do not make a page small print.
    assert second_side(1600, 4950, [31.0] * 10 + [60.0] * 90, 4800) is None


def test_the_second_pass_stays_within_the_page_and_the_limit():
    assert second_side(1600, 2000, [10.0] * 50, 4800) == 2000
    assert second_side(1600, 9000, [10.0] * 50, 4800) == 4800
    # Not worth a pass for a gain of a few per cent.
    assert second_side(1600, 1700, [30.0] * 50, 4800) is None
