"""Born-digital PDF pages read from their own text layer: exact characters, no OCR.

A page made by an office program or a typesetter carries its text; reading its rendered image
again can only lose characters. Its lines (from :meth:`PageRenderer.text_lines`) go through the
same reading order as the embedded engine's detected lines (columns, paragraphs, titles, running
headers and footers), so the result looks like any other reading. Scans with an invisible OCR
layer are not taken for born-digital pages: they are read again.
"""

from __future__ import annotations

import json
import time

from desktop_ocr.engine.reading_order import (
    LineBox,
    group_paragraphs,
    page_pieces,
    paragraph_text,
)
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult
from desktop_ocr.model.sources import TextLayer

ENGINE = "pdf-text"


def result_from_text_layer(layer: TextLayer, rotation: int = 0, dpi: int = 144) -> PageResult:
    """The page's reading from its text layer, sized as if rendered at ``dpi``. The text is read
    upright, so the result asks for the turn that stands the page (shown with its /Rotate and the
    user's ``rotation``) upright, as an engine that found a page on its side does."""
    start = time.perf_counter()
    boxes = [LineBox(*bbox) for bbox, _ in layer.lines]
    texts = {i: text for i, (_, text) in enumerate(layer.lines)}
    scale = dpi / 72.0
    width, height = round(layer.width * scale), round(layer.height * scale)
    blocks: list[Block] = []
    body_h = 0.0
    heights = sorted(b.height for b in boxes if b.height > 0)
    if heights:
        body_h = heights[len(heights) // 2]
    for kind, rows in page_pieces(boxes, layer.height):
        for para in group_paragraphs(rows, boxes, body_h, texts):
            label, md = paragraph_text(para, kind, boxes, texts)
            if not md:
                continue
            x1, y1, x2, y2 = para.bbox
            box = Box.from_pixels(x1 * scale, y1 * scale, x2 * scale, y2 * scale, width, height)
            blocks.append(Block(label, (box,), md))
    lines = [
        {"box": [round(v * scale) for v in bbox], "text": text, "score": 1.0} for bbox, text in layer.lines
    ]
    result = PageResult(
        blocks=tuple(blocks),
        raw=json.dumps({"lines": lines}, ensure_ascii=False),
        markdown="\n\n".join(b.text for b in blocks),
        engine=ENGINE,
        model="PDF text layer",
        prompt="text layer",
        width=width,
        height=height,
        elapsed_s=time.perf_counter() - start,
        extra={"lines": len(lines), "text_layer": True, "turned": -(layer.rotation + rotation) % 360},
    )
    return result
