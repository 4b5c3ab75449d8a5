"""Region reads and locate with the real embedded engine on a drawn page (no Qt)."""

from __future__ import annotations

import threading

import pytest
from region_pages import draw_page, paragraph_text

from desktop_ocr.engine.base import PageFailure, ReadOptions
from desktop_ocr.engine.phrase import normalise
from desktop_ocr.engine.region import locate, read_region
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult


@pytest.fixture(scope="module")
def page():
    return draw_page()


def _pad(px, w, h, pad=12) -> Box:
    x1, y1, x2, y2 = px
    return Box.from_pixels(x1 - pad, y1 - pad, x2 + pad, y2 + pad, w, h)


def test_a_paragraph_region_reads_that_paragraph_with_page_boxes(engine, page):
    w, h = page.image.size
    region = _pad(page.paragraph_boxes[1], w, h, pad=20)
    res = read_region(engine, page.image, region, ReadOptions())
    assert isinstance(res, PageResult), res
    assert normalise(res.markdown) == normalise(paragraph_text(1))
    assert (res.width, res.height) == (w, h) and res.extra["region"] == region.as_list()
    boxes = [b for blk in res.blocks for b in blk.boxes]
    assert boxes
    for b in boxes:  # on the page, inside the region (a unit of rounding either way)
        assert region.x1 - 1 <= b.x1 <= b.x2 <= region.x2 + 1
        assert region.y1 - 1 <= b.y1 <= b.y2 <= region.y2 + 1
    drawn = _pad(page.paragraph_boxes[1], w, h, pad=0)
    union = Box(
        min(b.x1 for b in boxes), min(b.y1 for b in boxes), max(b.x2 for b in boxes), max(b.y2 for b in boxes)
    )
    assert union.intersection(drawn) >= 0.8 * drawn.area


def test_locate_finds_words_lines_and_nothing(engine, page):
    w, h = page.image.size
    # a phrase inside one line: the box overlaps the words where they were drawn
    boxes = locate(engine, page.image, "Albright moved")
    assert isinstance(boxes, list) and len(boxes) == 1
    line = _pad(page.line_box(1, 0), w, h, pad=0)
    assert boxes[0].intersection(line) > 0.5 * boxes[0].area
    assert boxes[0].area < 0.7 * line.area  # the part of the line, not all of it
    # over a line break, case and spacing ignored: both lines
    boxes = locate(engine, page.image, "TWO pence on every ton of coal   landed")
    assert len(boxes) == 2
    assert boxes[0].intersection(_pad(page.line_box(1, 1), w, h, 0)) > 0
    assert boxes[1].intersection(_pad(page.line_box(1, 2), w, h, 0)) > 0
    # an OCR-style slip in the phrase still finds the line
    boxes = locate(engine, page.image, "carried by sevem votes")
    assert len(boxes) == 1 and boxes[0].intersection(_pad(page.line_box(2, 0), w, h, 0)) > 0
    assert locate(engine, page.image, "shipwreck at dawn") == []


def test_cancelled_region_and_locate(engine, page):
    cancel = threading.Event()
    cancel.set()
    res = read_region(engine, page.image, Box(0, 0, 999, 999), ReadOptions(), cancel=cancel)
    assert isinstance(res, PageFailure) and res.reason == "cancelled"
    res = locate(engine, page.image, "committee", cancel=cancel)
    assert isinstance(res, PageFailure) and res.reason == "cancelled"


def test_an_empty_region_fails_with_a_message(engine, page):
    res = read_region(engine, page.image, Box(10, 10, 10, 500), ReadOptions())
    assert isinstance(res, PageFailure) and "empty" in res.message
