"""A page image drawn with PIL whose paragraphs and lines are known, with their pixel boxes."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

PARAGRAPHS = [
    [
        "The committee met on the fourth of March",
        "to consider the accounts of the harbour",
        "trust, which showed a small deficit.",
    ],
    [
        "Mr. Albright moved that the annual levy",
        "be raised by two pence on every ton of coal",
        "landed at the north quay before winter.",
    ],
    [
        "The motion was carried by seven votes",
        "to three and the meeting closed at noon.",
    ],
]


@dataclass
class DrawnPage:
    image: Image.Image
    #: Pixel boxes (x1, y1, x2, y2): per paragraph, and per line of each paragraph.
    paragraph_boxes: list[tuple[int, int, int, int]] = field(default_factory=list)
    line_boxes: list[list[tuple[int, int, int, int]]] = field(default_factory=list)

    def line_box(self, para: int, line: int) -> tuple[int, int, int, int]:
        return self.line_boxes[para][line]


def draw_page(size: tuple[int, int] = (1190, 1684), font_px: int = 24) -> DrawnPage:
    """An A4 page at 144 dpi (11-12 pt text), three paragraphs well apart."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SERIF, font_px)
    page = DrawnPage(image)
    y = 200
    for para in PARAGRAPHS:
        boxes = []
        for line in para:
            boxes.append(tuple(int(v) for v in draw.textbbox((140, y), line, font=font)))
            draw.text((140, y), line, font=font, fill="black")
            y += int(font_px * 1.5)
        page.line_boxes.append(boxes)
        page.paragraph_boxes.append(
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        )
        y += font_px * 4
    return page


def paragraph_text(i: int) -> str:
    return " ".join(PARAGRAPHS[i])
