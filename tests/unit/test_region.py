"""Region geometry, phrase matching and region results mapped to the page (pure functions)."""

from __future__ import annotations

import pytest
from PIL import Image

from desktop_ocr.engine.grounding import located_boxes
from desktop_ocr.engine.phrase import Piece, find_phrase, piece_box
from desktop_ocr.engine.region import region_image, to_page
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult


def test_crop_pixels_follow_the_figure_rule_and_stay_inside():
    assert Box(0, 0, 999, 999).crop_pixels(1000, 500) == (0, 0, 1000, 500)
    # int(v / 999 * size), as figure crops
    assert Box(100, 200, 300, 400).crop_pixels(1190, 1684) == (119, 337, 357, 674)
    # an empty box still cuts one pixel, inside the image
    assert Box(999, 999, 999, 999).crop_pixels(50, 40) == (49, 39, 50, 40)
    img = Image.new("RGB", (1190, 1684))
    assert region_image(img, Box(100, 200, 300, 400)).size == (238, 337)


def test_from_crop_maps_back_to_the_page():
    crop = Box(200, 100, 700, 600)
    # the whole crop is the crop box itself
    assert Box.from_crop(Box(0, 0, 999, 999), crop) == crop
    # the middle of the crop is the middle of the crop box
    assert Box.from_crop(Box(0, 0, 500, 500), crop) == Box(200, 100, 450, 350)
    # with the page size: the crop's exact pixels (what the engine saw), then normalised again
    w, h = 1190, 1684
    left, top, right, bottom = crop.crop_pixels(w, h)
    inner = Box(100, 200, 900, 800)
    expected = Box.from_pixels(
        left + 100 / 999 * (right - left),
        top + 200 / 999 * (bottom - top),
        left + 900 / 999 * (right - left),
        top + 800 / 999 * (bottom - top),
        w,
        h,
    )
    assert Box.from_crop(inner, crop, w, h) == expected
    assert abs(Box.from_crop(inner, crop, w, h).x1 - Box.from_crop(inner, crop).x1) <= 1


@pytest.mark.parametrize("crop", [Box(0, 0, 999, 999), Box(950, 950, 999, 999), Box(0, 500, 10, 510)])
def test_from_crop_stays_in_range(crop):
    b = Box.from_crop(Box(0, 0, 999, 999), crop, 640, 480)
    assert 0 <= b.x1 <= b.x2 <= 999 and 0 <= b.y1 <= b.y2 <= 999
    assert b.intersection(crop) > 0 or crop.area == 0


def test_intersection():
    assert Box(0, 0, 10, 10).intersection(Box(5, 5, 20, 20)) == 25
    assert Box(0, 0, 10, 10).intersection(Box(10, 0, 20, 10)) == 0
    assert Box(0, 0, 10, 10).intersection(Box(50, 50, 60, 60)) == 0


def test_enclosing():
    assert Box.enclosing([Box(10, 50, 20, 60), Box(5, 70, 15, 90)]) == Box(5, 50, 20, 90)


def test_to_page_maps_every_box_and_always_gives_a_box():
    region = Box(500, 500, 999, 999)
    res = PageResult(
        blocks=(Block("text", (), "lead"), Block("title", (Box(0, 0, 999, 499),), "# T")),
        raw="raw",
        markdown="lead\n\n# T",
        width=200,
        height=100,
        extra={"lines": 2},
    )
    page = to_page(res, region, 1000, 1000)
    assert page.width == page.height == 1000
    assert page.extra == {"lines": 2, "region": [500, 500, 999, 999]}
    assert page.blocks[0].boxes == (region,)  # box-less block: the region
    (title,) = page.blocks[1].boxes
    assert title.x1 == 500 and title.x2 == 999 and title.y1 == 500 and 740 <= title.y2 <= 760
    free = PageResult(blocks=(), raw="Just text", markdown="Just text")
    assert to_page(free, region, 1000, 1000).blocks == (Block("text", (region,), "Just text"),)


def test_locate_answer_boxes():
    raw = (
        "<|ref|>north pier<|/ref|><|det|>[[10, 20, 300, 60], [400, 500, 620, 540]]<|/det|>"
        "<｜end▁of▁sentence｜>"
    )
    assert located_boxes(raw) == [Box(10, 20, 300, 60), Box(400, 500, 620, 540)]
    assert located_boxes("<|ref|>x<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|><|det|>[[1, 2, 3, 4]]<|/det|>") == [
        Box(1, 2, 3, 4)
    ]
    assert located_boxes("<|ref|>x<|/ref|><|det|>[[1, 2, 3") == []  # cut off: nothing complete
    assert located_boxes("not found") == []


LINES = [
    "The committee met on the fourth",
    "of March 1923 to consider the ac-",
    "counts of the harbour trust.",
]


def _texts(lines, matches):
    return [" ".join(lines[p.line][p.start : p.end] for p in m) for m in matches]


def test_exact_phrase_ignores_case_and_spacing():
    matches = find_phrase(LINES, "  the FOURTH ")
    assert matches == [[Piece(0, 21, 31)]]
    assert _texts(LINES, matches) == ["the fourth"]
    assert find_phrase(LINES, "harbour  master") == []
    assert find_phrase(LINES, "   ") == []


def test_phrase_over_a_line_break_and_a_hyphen():
    (m,) = find_phrase(LINES, "fourth of march")
    assert [p.line for p in m] == [0, 1]
    (m,) = find_phrase(LINES, "the accounts of")  # "ac-" + "counts" joined
    assert [p.line for p in m] == [1, 2]
    assert LINES[1][m[0].start : m[0].end] == "the ac"  # the hyphen is not part of the word


def test_every_occurrence_is_found():
    lines = ["the pier and the pier", "no pier here"]
    assert len(find_phrase(lines, "pier")) == 3


def test_approximate_match_tolerates_ocr_slips_but_not_other_text():
    lines = ["Repairs began on the east wa11 in May.", "The crane was rnoved twice."]
    (m,) = find_phrase(lines, "east wall in may")
    assert m[0].line == 0 and lines[0][m[0].start : m[0].end] == "east wa11 in May"
    (m,) = find_phrase(lines, "crane was moved")
    assert m[0].line == 1
    assert find_phrase(lines, "north pier measured") == []
    assert find_phrase(lines, "wal") == []  # too short to guess at


def test_piece_box_is_the_line_or_its_share():
    box = (100.0, 10.0, 400.0, 30.0)
    text = "abcdefghij"  # 30 px per character
    assert piece_box(Piece(0, 0, 10), text, box) == box
    x1, y1, x2, y2 = piece_box(Piece(0, 2, 4), text, box)
    assert (y1, y2) == (10.0, 30.0)
    assert x1 == pytest.approx(100 + 1.5 * 30) and x2 == pytest.approx(100 + 4.5 * 30)
