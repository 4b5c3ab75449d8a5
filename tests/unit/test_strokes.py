"""Lines whose height is no type size (handwriting, a picture's lettering, vertical text) are no
headings: their strokes are measured in the ink (engine/strokes.py), and the reading order does
not take their height for a paragraph's type (reading_order.group_paragraphs ``untyped``).

The box cases are the embedded engine's line boxes and texts on two pages of the benchmark corpus
that are not committed (benchmarks/corpus/corpus.json: FUNSD 87086073, SROIE 020): numbers and
the recogniser's texts only.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.engine.reading_order import (
    SUB_TITLE,
    SUB_TITLE_RATIO,
    TEXT,
    TITLE,
    TITLE_RATIO,
    LineBox,
    body_height,
    group_paragraphs,
    page_pieces,
)
from desktop_ocr.engine.strokes import stroke_width, untyped_lines


def _page_with(draw_extra) -> tuple[np.ndarray, list[LineBox], dict[str, int]]:
    """A white page with six body lines (20 px type) and what ``draw_extra`` adds; the line boxes
    (the ink's bounding boxes) and the index of each named extra."""
    image = Image.new("L", (900, 900), 255)
    draw = ImageDraw.Draw(image)
    body = ImageFont.load_default(size=20)
    boxes: list[LineBox] = []
    for k in range(6):
        text = "the quick brown fox jumps over the lazy dog again"
        x1, y1, x2, y2 = draw.textbbox((60, 300 + 30 * k), text, font=body)
        draw.text((60, 300 + 30 * k), text, font=body, fill=0)
        boxes.append(LineBox(x1 - 2, y1 - 3, x2 + 2, y2 + 3))
    named: dict[str, int] = {}
    for name, box in draw_extra(image, draw):
        named[name] = len(boxes)
        boxes.append(box)
    return np.asarray(image), boxes, named


def _heading_signature_and_vertical_number(image: Image.Image, draw: ImageDraw.ImageDraw):
    heading = ImageFont.load_default(size=48)
    x1, y1, x2, y2 = draw.textbbox((60, 60), "Annual Report", font=heading)
    draw.text((60, 60), "Annual Report", font=heading, fill=0)
    yield "heading", LineBox(x1 - 2, y1 - 3, x2 + 2, y2 + 3)
    # A signature: a fine pen's 1 px stroke looping over 50 px of height.
    points = [(500 + 6 * k, 640 + (25 if k % 2 else -25) + 3 * (k % 3)) for k in range(30)]
    draw.line(points, fill=0, width=1)
    yield "signature", LineBox(495, 610, 680, 672)
    # A form's number printed up its right edge, in body type.
    strip = Image.new("L", (180, 30), 255)
    ImageDraw.Draw(strip).text((4, 2), "87086073", font=ImageFont.load_default(size=20), fill=0)
    image.paste(strip.rotate(90, expand=True), (820, 500))
    yield "vertical", LineBox(820, 500, 850, 680)


def test_handwriting_and_vertical_text_are_untyped_and_a_printed_heading_is_not():
    gray, boxes, named = _page_with(_heading_signature_and_vertical_number)
    untyped = untyped_lines(gray, boxes, boxes, body_height(boxes))
    assert untyped == {named["signature"], named["vertical"]}
    # Printed type's strokes grow with its size; a pen's do not.
    body = stroke_width(gray, boxes[0])
    assert body is not None
    assert stroke_width(gray, boxes[named["heading"]]) > 1.8 * body
    assert stroke_width(gray, boxes[named["signature"]]) < 1.35 * body


def test_a_page_without_tall_lines_or_body_has_no_untyped_lines():
    gray, boxes, _named = _page_with(lambda image, draw: iter(()))
    assert untyped_lines(gray, boxes, boxes, body_height(boxes)) == set()
    assert untyped_lines(gray, boxes[:2], boxes[:2], body_height(boxes)) == set()


#: FUNSD 87086073 (a toxicity form): its line boxes and texts as the embedded engine reads them.
#: Two signatures ("IAEge", "Preckad &Pufrisve") over the typed names, a number printed up the
#: right edge ("87086073"): they came out as "# IAEge", "# Preckad &Pufrisve", "# 87086073".
FUNSD_87086073 = [
    (209, 112, 555, 134, "DECISION TREE ESTIMATION OF TOXIC RISK"),
    (88, 143, 111, 153, "NAME"),
    (112, 140, 331, 162, "J. D. Ergle and R. F. Dufresne"),
    (491, 138, 516, 152, "DATE"),
    (516, 137, 632, 157, "August 14, 1990"),
    (88, 167, 156, 181, "COMPOUND NAME"),
    (113, 184, 183, 205, "Vanitrope"),
    (86, 222, 134, 236, "STRUCTURE"),
    (276, 290, 344, 315, "CH3CH2O"),
    (390, 323, 418, 343, "OH"),
    (87, 358, 194, 373, "ESTIMATED TOXICITY CLASS"),
    (207, 367, 236, 386, "III"),
    (386, 353, 536, 372, "LORILLARD COMPOUND CODE NUMBER"),
    (452, 365, 487, 383, "B134"),
    (88, 387, 134, 400, "COMMENTS"),
    (115, 406, 499, 429, "This ethoxy substituted aromatic falls into class III."),
    (475, 568, 565, 611, "IAEge"),
    (467, 599, 553, 620, "J. D. Ergie"),
    (467, 614, 587, 633, "Research Chemist"),
    (461, 641, 665, 700, "Preckad &Pufrisve"),
    (470, 686, 576, 703, "R. F. Dufresne"),
    (470, 700, 590, 717, "Research Chemist"),
    (649, 785, 673, 875, "87086073"),
    (635, 920, 690, 933, "FORM 1 (580)"),
]
#: The first lines of SROIE 020 (a receipt): a handwritten "RSK" over the shop's name came out
#: as "# RSK".
SROIE_020 = [
    (223.3, 49.7, 373.5, 120.1, "RSK"),
    (62.8, 333.4, 558.5, 366.2, "SYL ROASTED DELIGHTS SDN. BHD."),
    (248.9, 371.4, 348.2, 401.4, "122703"),
    (75.2, 401.2, 543.5, 428.3, "75, JALAN SS 22/19, DAMANSARA JAYA, 47400 PJ."),
    (199.8, 427.9, 422.8, 457.6, "TEL:03-7731 8169"),
    (185.9, 467.4, 438.2, 496.4, "GGSID:002046390272"),
    (32.4, 515.7, 124.7, 546.7, "Doc No."),
    (159.4, 514.4, 311.4, 545.8, "SO00022185"),
    (365.7, 514.2, 452.4, 546.3, "TABLE"),
    (475.4, 517.5, 526.7, 547.1, "A10"),
    (32.1, 549.7, 126.1, 580.7, "Cashier"),
    (159.1, 548.4, 235.8, 580.6, "USER"),
    (366.8, 550.5, 433.1, 581.2, "Date:"),
    (463.8, 550.2, 595.1, 579.8, "06/03/2018"),
]


def _labels(lines, page_height: float, untyped: set[int]) -> dict[str, str]:
    """Paragraph text -> label, over the page's pieces as the engine groups them."""
    boxes = [LineBox(*line[:4]) for line in lines]
    texts = {i: line[4] for i, line in enumerate(lines)}
    h = body_height(boxes)
    out: dict[str, str] = {}
    for _kind, rows in page_pieces(boxes, page_height):
        for para in group_paragraphs(rows, boxes, h, texts, untyped=untyped):
            out[" ".join(texts[i] for i in para.lines)] = para.label
    return out


def test_signatures_and_a_vertical_number_on_a_form_are_no_headings():
    untyped = {16, 19, 22}  # what untyped_lines finds in the page's ink
    labels = _labels(FUNSD_87086073, 1000, untyped)
    assert not {t for t, label in labels.items() if label in (TITLE, SUB_TITLE)}, labels
    assert {"IAEge", "Preckad &Pufrisve", "87086073"} <= set(labels)
    # On their boxes' heights alone, the two signatures were titles (the vertical number at the
    # foot of the form, over nothing but "FORM 1 (580)", is no title by its place either: see
    # reading_order._foot_mark).
    before = _labels(FUNSD_87086073, 1000, set())
    assert [before[t] for t in ("IAEge", "Preckad &Pufrisve")] == [TITLE] * 2
    assert before["87086073"] == TEXT


def test_a_handwritten_mark_over_a_receipt_is_no_heading():
    labels = _labels(SROIE_020, 1255, {0})
    assert labels["RSK"] not in (TITLE, SUB_TITLE)
    assert _labels(SROIE_020, 1255, set())["RSK"] == TITLE


def test_grey_type_printed_in_a_halftone_screen_keeps_its_height():
    """A heading in grey type printed as dots (the research note's kicker "US Pharmaceuticals &
    Biotechnology") breaks into specks whose "strokes" are thinner than any pen's: it is not
    measured, and stays a heading by its height."""

    def grey_heading(image: Image.Image, draw: ImageDraw.ImageDraw):
        font = ImageFont.load_default(size=48)
        x1, y1, x2, y2 = draw.textbbox((60, 60), "Pharmaceuticals", font=font)
        patch = Image.new("L", (x2 - x1 + 8, y2 - y1 + 8), 255)
        ImageDraw.Draw(patch).text((4 - (x1 - 60), 4 - (y1 - 60)), "Pharmaceuticals", font=font, fill=180)
        image.paste(patch.convert("1").convert("L"), (x1 - 4, y1 - 4))  # Floyd-Steinberg dots
        yield "grey", LineBox(x1 - 2, y1 - 3, x2 + 2, y2 + 3)

    gray, boxes, named = _page_with(grey_heading)
    assert stroke_width(gray, boxes[named["grey"]]) is None
    assert untyped_lines(gray, boxes, boxes, body_height(boxes)) == set()


def _sub_heading_and_initials(image: Image.Image, draw: ImageDraw.ImageDraw):
    """A printed sub-heading about 1.4 times the body's height, and a hand's initials and date the
    same height (FUNSD 87528321's "9/1/88" under a committee's name, read as "m0an188 2me 9/1/88")."""
    font = ImageFont.load_default(size=30)
    x1, y1, x2, y2 = draw.textbbox((60, 200), "Proposed Solution", font=font)
    draw.text((60, 200), "Proposed Solution", font=font, fill=0)
    yield "sub_heading", LineBox(x1 - 2, y1 - 3, x2 + 2, y2 + 3)
    # A fine pen's 1 px stroke, looping over the height of the sub-heading's box.
    top, bottom = 640, 640 + (y2 - y1) + 6
    points = [(500 + 5 * k, bottom - 3 if k % 2 else top + 3 + 2 * (k % 3)) for k in range(36)]
    draw.line(points, fill=0, width=1)
    yield "initials", LineBox(495, top, 685, bottom)


def test_a_hand_at_a_sub_headings_height_is_untyped_and_a_printed_sub_heading_is_not():
    gray, boxes, named = _page_with(_sub_heading_and_initials)
    h = body_height(boxes)
    sub, hand = boxes[named["sub_heading"]], boxes[named["initials"]]
    assert SUB_TITLE_RATIO * h <= sub.height < TITLE_RATIO * h
    assert SUB_TITLE_RATIO * h <= hand.height < TITLE_RATIO * h
    assert untyped_lines(gray, boxes, boxes, h) == {named["initials"]}
