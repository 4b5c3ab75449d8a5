"""Where each piece of a page's corrected text stands on the page: the invisible layer of a searchable PDF.

The user's text is the truth, the engine's geometry tells where it stands. Two cases:

- The embedded engine stores its lines (``PageResult.raw`` = ``{"lines": [{"box", "text"}...]}``).
  The corrected words are aligned to the engine's words (difflib on word sequences); each corrected
  word lands on the line of the engine word it matches, and an unmatched word (inserted or retyped)
  lands on the line of its neighbour, so order and searchability are kept.
- Otherwise (DeepSeek-OCR: boxes per block only), each block's text is wrapped into as many lines as
  its box holds at the size the text needs, and the lines are spread over the box(es).

Positions are fractions (0..1) of the image the engine read. No Qt.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from desktop_ocr.export.text import markdown_to_text
from desktop_ocr.model.blocks import page_layout
from desktop_ocr.model.document import Page
from desktop_ocr.model.geometry import NORM, Box

#: Width of an average glyph relative to the font size, and line pitch relative to it (estimates
#: for spreading a block's text over its box; the PDF writer fits each line's width exactly).
GLYPH_WIDTH = 0.5
LINE_PITCH = 1.25
#: Where text that no box places goes: the page within a small margin.
PAGE_AREA = Box(40, 40, 959, 959)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text and its rectangle, in fractions (0..1) of the read image."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def page_lines(page: Page) -> list[Line]:
    """The page's corrected text as positioned lines in reading order (empty for an unread page)."""
    result = page.result
    if result is None:
        return []
    engine_lines = _engine_lines(result.raw, result.width, result.height)
    if engine_lines:
        ordered = in_block_order(engine_lines, [b.boxes for b in page_layout(page).blocks()])
        return align_to_lines(markdown_to_text(page.text), ordered)
    return _block_lines(page)


def upright_lines(page: Page) -> tuple[list[Line], int]:
    """The page's lines (:func:`page_lines`) on the page as it stood when it was read, and the
    clockwise degrees it was turned since: a page turned after reading has its text running down
    (90) or up (270) the page, so its lines are laid out upright and turned when written."""
    turn = page.result.turned_since_read if page.result is not None else 0
    if not turn:
        return page_lines(page), 0
    back = (360 - turn) % 360
    upright = replace(
        page,
        result=page.result.turned(back) if page.result is not None else None,
        spans=None
        if page.spans is None
        else tuple(replace(s, boxes=tuple(b.turned(back) for b in s.boxes)) for s in page.spans),
    )
    return page_lines(upright), turn


def in_block_order(lines: Sequence[Line], blocks: Sequence[Sequence[Box]]) -> list[Line]:
    """The engine's lines in the order of the page's blocks (``blocks``: each block's boxes, in the
    page's reading order, which the user may have changed).

    The engine stores its lines in its own order (a caption or a region read again comes last); the
    corrected text follows the blocks. Aligned in the engine's order, the words of a moved block,
    a caption or words typed at the end land on another block's lines. Each line goes with the
    block whose smallest box holds its centre (a caption's box lies inside the picture's and the
    text's beside it); a line in no block keeps its place after the line before it.
    """
    keys: list[float] = []
    last = -1.0
    for ln in lines:
        cx, cy = (ln.x0 + ln.x1) / 2 * NORM, (ln.y0 + ln.y1) / 2 * NORM
        best: tuple[float, int] | None = None
        for k, boxes in enumerate(blocks):
            for b in boxes:
                if b.x1 <= cx <= b.x2 and b.y1 <= cy <= b.y2 and (best is None or b.area < best[0]):
                    best = (b.area, k)
        last = float(best[1]) if best is not None else last
        keys.append(last)
    order = sorted(range(len(lines)), key=lambda i: (keys[i], i))
    return [lines[i] for i in order]


def _engine_lines(raw: str, width: int, height: int) -> list[Line]:
    if not raw.startswith("{") or width <= 0 or height <= 0:
        return []
    try:
        data = json.loads(raw)
        out = []
        for ln in data.get("lines", []):
            x1, y1, x2, y2 = (float(v) for v in ln["box"])
            text = str(ln.get("text", "")).strip()
            if text and x2 > x1 and y2 > y1:
                out.append(Line(text, x1 / width, y1 / height, x2 / width, y2 / height))
        return out
    except (ValueError, TypeError, KeyError, AttributeError):
        return []


def align_to_lines(corrected: str, lines: Sequence[Line]) -> list[Line]:
    """The corrected text placed on the engine's lines (see the module's docstring).

    Consecutive corrected words on the same engine line form one output line; a line that receives
    words in two separate runs (rare: reordered text) shares its box between them by length.
    """
    words = corrected.split()
    if not words or not lines:
        return []
    engine_words: list[str] = []
    owner: list[int] = []
    for k, ln in enumerate(lines):
        for w in ln.text.split():
            engine_words.append(_norm(w))
            owner.append(k)
    target: list[int | None] = [None] * len(words)
    matcher = difflib.SequenceMatcher(None, engine_words, [_norm(w) for w in words], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for d in range(j2 - j1):
                target[j1 + d] = owner[i1 + d]
        elif tag == "replace":  # different counts: spread the new words over the replaced lines
            for d in range(j2 - j1):
                target[j1 + d] = owner[i1 + min(i2 - i1 - 1, d * (i2 - i1) // (j2 - j1))]
    # unmatched words join the previous word's line (the next one's at the start)
    last: int | None = next((t for t in target if t is not None), 0)
    for j, t in enumerate(target):
        if t is None:
            target[j] = last
        else:
            last = t
    runs: list[tuple[int, list[str]]] = []
    for word, t in zip(words, target):
        assert t is not None
        if runs and runs[-1][0] == t:
            runs[-1][1].append(word)
        else:
            runs.append((t, [word]))
    per_line: dict[int, list[int]] = {}
    for r, (t, _ws) in enumerate(runs):
        per_line.setdefault(t, []).append(r)
    out: list[Line] = []
    for r, (t, ws) in enumerate(runs):
        ln = lines[t]
        text = " ".join(ws)
        siblings = per_line[t]
        if len(siblings) == 1:
            out.append(Line(text, ln.x0, ln.y0, ln.x1, ln.y1))
            continue
        sizes = [len(" ".join(runs[s][1])) + 1 for s in siblings]
        before = sum(sizes[: siblings.index(r)])
        share = (ln.x1 - ln.x0) / sum(sizes)
        x0 = ln.x0 + before * share
        out.append(Line(text, x0, ln.y0, x0 + sizes[siblings.index(r)] * share, ln.y1))
    return out


def _norm(word: str) -> str:
    return word.casefold().strip(".,;:!?\"'()[]«»“”‘’")


def _block_lines(page: Page) -> list[Line]:
    """Each block's plain text spread over its boxes; text in blocks without a box joins the block before."""
    pieces: list[tuple[tuple[Box, ...], str]] = []
    layout = page_layout(page)
    # text before the first block (or all of it, when the page has no blocks)
    lead = layout.text[: layout.spans[0].start] if layout.spans else layout.text
    pending = markdown_to_text(lead).replace("\t", " ").strip()
    pending = pending + "\n" if pending else ""
    for block in layout.blocks():
        plain = markdown_to_text(block.text).replace("\t", " ").strip()
        if not plain:
            continue
        if not block.boxes:
            if pieces:
                pieces[-1] = (pieces[-1][0], pieces[-1][1] + "\n" + plain)
            else:
                pending += plain + "\n"
            continue
        pieces.append((block.boxes, pending + plain))
        pending = ""
    if pending and pieces:
        pieces[0] = (pieces[0][0], pending + pieces[0][1])
    elif pending:  # text with no box at all (typed by the user): over the page, so it is still found
        pieces.append(((PAGE_AREA,), pending))
    out: list[Line] = []
    aspect = (page.result.height / page.result.width) if page.result and page.result.width else 1.0
    for boxes, plain in pieces:
        out.extend(spread(plain, boxes, aspect))
    return out


def spread(text: str, boxes: Sequence[Box], aspect: float = 1.0) -> list[Line]:
    """``text`` wrapped into lines that fill ``boxes`` (normalised 0..999) in order.

    ``aspect`` is the read image's height / width, so that glyph estimates use real proportions.
    Each box gets a share of the words by its area; within a box the line count is what fits the
    text at the font size that fills the box; explicit line breaks in the text (table rows, verse)
    are kept as lines.
    """
    words_total = len(text.split())
    if not words_total or not boxes:
        return []
    areas = [max(1, b.area) for b in boxes]
    paragraphs = [p.split() for p in text.split("\n") if p.strip()]
    # share the explicit lines among the boxes by area, keeping their order
    flat: list[list[str]] = paragraphs
    shares: list[list[list[str]]] = [[] for _ in boxes]
    total_chars = sum(len(" ".join(p)) for p in flat) or 1
    budget = [a / sum(areas) * total_chars for a in areas]
    k = 0
    used = 0.0
    for p in flat:
        size = len(" ".join(p))
        if k < len(boxes) - 1 and used >= budget[k] and shares[k]:
            k += 1
            used = 0.0
        shares[k].append(p)
        used += size
    out: list[Line] = []
    for box, paras in zip(boxes, shares):
        if paras:
            out.extend(_fill_box(paras, box, aspect))
    return out


def _fill_box(paragraphs: list[list[str]], box: Box, aspect: float) -> list[Line]:
    w = max(1e-6, (box.x2 - box.x1) / NORM)
    h = max(1e-6, (box.y2 - box.y1) / NORM * aspect)  # in units of the image width
    chars = sum(len(" ".join(p)) for p in paragraphs) or 1
    # font size f (image widths) at which the text fills the box: chars * (GLYPH_WIDTH f) * (LINE_PITCH f) = w h
    f = math.sqrt(w * h / (chars * GLYPH_WIDTH * LINE_PITCH))
    per_line = max(1, int(w / (GLYPH_WIDTH * f)))
    rows: list[str] = []
    for words in paragraphs:
        rows.extend(_wrap(words, per_line))
    n = len(rows)
    x0, x1 = box.x1 / NORM, box.x2 / NORM
    y0, y1 = box.y1 / NORM, box.y2 / NORM
    step = (y1 - y0) / n
    return [Line(row, x0, y0 + i * step, x1, y0 + (i + 1) * step) for i, row in enumerate(rows)]


def _wrap(words: list[str], width: int) -> list[str]:
    rows: list[str] = []
    row: list[str] = []
    size = 0
    for w in words:
        if row and size + 1 + len(w) > width:
            rows.append(" ".join(row))
            row, size = [], 0
        size += len(w) + (1 if row else 0)
        row.append(w)
    if row:
        rows.append(" ".join(row))
    return rows
