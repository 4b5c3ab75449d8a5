"""Drop caps the line detector misses (desktop_ocr.engine.drop_caps), on pages drawn with PIL: the
glyph is found in the ink beside the detected lines, and pictures beside indented text are not."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.engine.drop_caps import candidates, letter
from desktop_ocr.engine.reading_order import LineBox

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
BESIDE = ["he committee met on the", "fourth of March to consider", "the accounts of the trust,"]
UNDER = [
    "which showed a small deficit after the long winter,",
    "and the members agreed to meet again in the spring",
    "when the harbour would be open to ships once more.",
]
LEFT, TOP, PITCH, FONT = 100, 120, 30, 22


def page(initial: str | None = "T", picture: str | None = None) -> tuple[np.ndarray, list[LineBox], tuple]:
    """A column whose first three lines are indented beside ``initial`` (drawn three lines
    tall) or ``picture`` ("block", "disc", "photo"), then lines at the column's margin. The
    line boxes are what a detector gives: the text's box grown by a margin; the glyph has none."""
    image = Image.new("L", (900, 500), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SERIF, FONT)
    big = ImageFont.truetype(SERIF, int(PITCH * 3.4))
    glyph = (LEFT, TOP, LEFT + 60, TOP + 3 * PITCH - 8)
    if initial is not None:
        draw.text((LEFT, TOP), initial, font=big, fill=0, anchor="lt")
        alone = Image.new("L", image.size, 0)
        ImageDraw.Draw(alone).text((LEFT, TOP), initial, font=big, fill=255, anchor="lt")
        glyph = alone.getbbox()  # its ink
    elif picture == "block":
        draw.rectangle(glyph, fill=30)
    elif picture == "disc":
        draw.ellipse(glyph, fill=30)
    elif picture == "photo":
        rng = np.random.default_rng(7)
        noise = (rng.random((glyph[3] - glyph[1], glyph[2] - glyph[0])) * 200).astype(np.uint8)
        image.paste(Image.fromarray(noise), glyph[:2])
    indent = glyph[2] + 12
    lines = []
    for n, text in enumerate(BESIDE + UNDER):
        x = indent if n < len(BESIDE) else LEFT
        y = TOP + n * PITCH
        draw.text((x, y), text, font=font, fill=0)
        x1, y1, x2, y2 = draw.textbbox((x, y), text, font=font)
        m = 0.3 * (y2 - y1)
        lines.append(LineBox(x1 - m, y1 - m, x2 + m, y2 + m))
    return np.asarray(image), lines, glyph


@pytest.mark.parametrize("initial", ["T", "W", "I"])
def test_a_drop_cap_without_a_line_box_is_found(initial):
    gray, lines, glyph = page(initial)
    [found] = candidates(gray, lines)
    assert abs(found.x1 - glyph[0]) <= 4 and abs(found.y1 - glyph[1]) <= 4
    assert abs(found.x2 - glyph[2]) <= 4 and abs(found.y2 - glyph[3]) <= 4


@pytest.mark.parametrize("picture", ["block", "disc", "photo", None])
def test_a_picture_beside_indented_lines_is_not_a_drop_cap(picture):
    gray, lines, _glyph = page(None, picture)
    assert candidates(gray, lines) == []


def test_a_glyph_the_detector_found_is_not_found_again():
    gray, lines, glyph = page("T")
    m = 4
    assert candidates(gray, [*lines, LineBox(glyph[0] - m, glyph[1] - m, glyph[2] + m, glyph[3] + m)]) == []


def test_a_large_letter_beside_a_block_that_stays_indented_is_not_a_drop_cap():
    """A logo or a letter in a picture with the text running round it: no line under it starts
    at its left edge (the column's margin)."""
    gray, lines, glyph = page("T")
    shifted = [b if b.x1 > glyph[2] else LineBox(glyph[2] + 12, b.y1, b.x2, b.y2) for b in lines]
    assert candidates(gray, shifted) == []


def test_a_reading_is_kept_only_as_one_capital_letter():
    assert letter("T", 0.9) == "T"
    assert letter(" 1 ", 0.9) == "I"  # a serif I alone reads as a one
    assert letter("l", 0.9) == "I"
    for text, score in (("t", 0.9), ("Th", 0.9), ("7", 0.9), ("", 0.9), ("W", 0.3), ("•", 0.99)):
        assert letter(text, score) is None
