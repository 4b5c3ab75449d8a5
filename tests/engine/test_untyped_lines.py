"""The embedded engine does not make thin-stroked lettering at a heading's height a heading.

The real cases (FUNSD 87086073's signatures, SROIE 020's handwritten "RSK": corpus pages that are
not committed) are covered on their line boxes in tests/unit/test_strokes.py; this page checks
the whole path (detection, engine/strokes.py's measure, the paragraphs' labels, the Markdown) on
a drawn page: hollow letters drawn with a 1 px pen, 90 px tall (what a signature is to the
detector: a pen's line at three times the body's height, which it finds reliably), beside a
printed title of about the same height.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from desktop_ocr.engine.base import PageInput
from desktop_ocr.model.result import PageResult

BODY = [
    "The committee met on Tuesday to review the annual budget and the",
    "proposals that the members had sent in before the end of the month.",
    "Most of them were accepted after a short discussion of their costs,",
    "and the rest were sent back to their authors for another reading.",
]


def test_pen_lettering_at_a_headings_height_is_text_and_a_printed_title_a_heading(engine):
    image = Image.new("RGB", (1200, 1000), "white")
    draw = ImageDraw.Draw(image)
    draw.text((100, 30), "Annual Budget Review", font=ImageFont.load_default(size=60), fill="black")
    body = ImageFont.load_default(size=26)
    for k, text in enumerate(BODY):
        draw.text((100, 150 + 40 * k), text, font=body, fill="black")
    big = ImageFont.load_default(size=90)
    draw.text((600, 450), "J. Smith", font=big, fill="white", stroke_width=1, stroke_fill="black")
    [result] = engine.read([PageInput("page", image)])
    assert isinstance(result, PageResult), result
    paragraphs = result.markdown.split("\n\n")
    assert paragraphs[0] == "# Annual Budget Review"
    [signature] = [p for p in paragraphs if "Smith" in p]
    assert not signature.startswith("#"), result.markdown
    assert {b.label for b in result.blocks if "Smith" in b.text} == {"text"}
