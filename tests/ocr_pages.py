"""Test pages with known text (rendered with PyMuPDF and DejaVu) and a character error rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF = FONT_DIR / "DejaVuSerif.ttf"
SANS = FONT_DIR / "DejaVuSans.ttf"
SANS_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

A4 = (595.0, 842.0)

#: Plain prose with digits and punctuation, cut into paragraphs. Deterministic; no hyphenation.
PARAGRAPHS = [
    "The archive received forty-two boxes of correspondence in March 1987, most of them letters "
    "written between 1921 and 1958 by the engineer Margaret Holloway to her brother in Leeds.",
    "Each letter was numbered, photographed at 300 dpi and stored in acid-free folders; the "
    "catalogue lists the date, the place of writing, the number of pages and a short summary.",
    "Researchers who consult the collection should note that several pages were damaged by water "
    "in 1953. Where the ink has faded, the transcription marks uncertain words with brackets.",
    "Questions about access, copying fees (currently 0.25 per page) or permission to publish "
    "extracts should be sent to the reading room, which is open from Tuesday to Friday.",
    "In her later letters Holloway describes the construction of the river bridge at Selby, the "
    "strikes of 1926 and the difficulty of buying steel during the war years that followed.",
    "A complete index of names, places and technical terms was prepared by volunteers in 2004 and "
    "revised in 2019; it is available as a printed volume and as a searchable file.",
    "The family also deposited two notebooks with calculations, seven drawings of cranes and a "
    "small box of photographs, which are described separately in the second part of this guide.",
    "Volunteers who wish to help with the transcription can register at the front desk; training "
    "sessions take place on the first Monday of every month and last about two hours.",
]


@dataclass
class TestPage:
    image: Image.Image
    #: The expected text in reading order (paragraphs joined by blank lines).
    text: str
    #: For multi-column pages: the expected text of each column (title excluded).
    columns: list[str]


def render_page(
    paragraphs: list[str],
    *,
    columns: int = 1,
    title: str = "",
    dpi: int = 200,
    fontsize: float = 11,
    font: Path = SERIF,
) -> TestPage:
    """An A4 page: an optional title across the full width, then the paragraphs flowing into
    ``columns`` columns (split evenly by paragraph count, each column its own text box)."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=A4[0], height=A4[1])
    margin, gutter = 56.0, 28.0
    top = margin
    if title:
        page.insert_textbox(
            pymupdf.Rect(margin, top, A4[0] - margin, top + 40),
            title,
            fontsize=fontsize * 2,
            fontfile=str(SANS_BOLD),
            fontname="title",
            align=pymupdf.TEXT_ALIGN_CENTER,
        )
        top += 56
    col_w = (A4[0] - 2 * margin - (columns - 1) * gutter) / columns
    per_col = -(-len(paragraphs) // columns)
    col_texts: list[str] = []
    for c in range(columns):
        chunk = paragraphs[c * per_col : (c + 1) * per_col]
        if not chunk:
            continue
        x = margin + c * (col_w + gutter)
        rc = page.insert_textbox(
            pymupdf.Rect(x, top, x + col_w, A4[1] - margin),
            "\n\n".join(chunk),
            fontsize=fontsize,
            fontfile=str(font),
            fontname="body",
        )
        if rc < 0:
            raise ValueError("the text does not fit on the page")
        col_texts.append("\n\n".join(chunk))
    pix = page.get_pixmap(dpi=dpi)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    doc.close()
    text = "\n\n".join(([title] if title else []) + col_texts)
    return TestPage(image, text, col_texts)


def normalise(text: str) -> str:
    """Whitespace collapsed, Markdown heading marks removed."""
    text = re.sub(r"(?m)^#{1,6}\s+", "", text)
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance, one numpy row at a time (fast enough for whole pages)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    bv = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    cols = np.arange(len(b) + 1, dtype=np.int64)
    prev = cols.copy()
    for i, ch in enumerate(a, 1):
        cost = (bv != ord(ch)).astype(np.int64)
        tmp = np.empty_like(prev)
        tmp[0] = i
        tmp[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        # insertions along the row: row[j] = min_k<=j (tmp[k] + j - k)
        prev = np.minimum.accumulate(tmp - cols) + cols
    return int(prev[-1])


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference`` over normalised whitespace."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return levenshtein(ref, hyp) / max(1, len(ref))
