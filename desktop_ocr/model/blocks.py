"""A page's blocks as the user handles them: spans of the page text with a label and boxes. No Qt.

A :class:`Layout` is the page text plus :class:`Span` s: each span starts at an offset of the text
and runs to the next span's start (the last to the end), so every character after the first span
belongs to exactly one block. Text before the first span belongs to no block.

A page that was never edited has no stored layout: :func:`page_layout` derives it from the engine's
blocks by finding each block's text (:func:`block_starts`). Once the user
edits the text or a block, the editor's exact spans are stored with the text, so block boundaries
survive edits, re-opening the project and history restores.

The operations here (relabel, delete, merge, split, move, boxes, insert, region merge) are pure functions
returning a new layout; the editor applies each as one undoable step.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from desktop_ocr.model import label_markup as markup
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import FIGURE_LABEL, FIGURE_SCHEME, Block, PageResult

#: Label given to blocks that have none (text the user typed, regions read without grounding).
DEFAULT_LABEL = "text"
#: How much of a block's box area must lie in a region for the block to count as inside it.
REGION_OVERLAP = 0.5

_FIGURE_LINK_RE = re.compile(r"\]\(" + re.escape(FIGURE_SCHEME) + r"(\d+)\)")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a block starts in the page text, its label and its boxes (0..999 page coordinates)."""

    start: int
    label: str = DEFAULT_LABEL
    boxes: tuple[Box, ...] = ()

    def to_json(self) -> list[Any]:
        return [self.start, self.label, [b.as_list() for b in self.boxes]]

    @classmethod
    def from_json(cls, data: Any) -> Span:
        start, label, boxes = data
        return cls(int(start), str(label), tuple(Box(*map(int, b)) for b in boxes))


@dataclass(frozen=True, slots=True)
class Layout:
    """A page's text and its blocks. Build with :meth:`make` to get a normalised layout."""

    text: str
    spans: tuple[Span, ...] = ()

    @classmethod
    def make(cls, text: str, spans: Iterable[Span]) -> Layout:
        """Spans sorted, clamped to the text, and empty ones (no characters) dropped."""
        ordered = sorted(
            (replace(s, start=max(0, min(s.start, len(text)))) for s in spans), key=lambda s: s.start
        )
        kept: list[Span] = []
        for n, span in enumerate(ordered):
            end = ordered[n + 1].start if n + 1 < len(ordered) else len(text)
            if end > span.start and text[span.start : end].strip():
                kept.append(span)
        # a dropped empty span's characters (whitespace) fall to the block before it
        return cls(text, tuple(kept))

    def __len__(self) -> int:
        return len(self.spans)

    def span_range(self, index: int) -> tuple[int, int]:
        start = self.spans[index].start
        end = self.spans[index + 1].start if index + 1 < len(self.spans) else len(self.text)
        return start, end

    def block_text(self, index: int) -> str:
        start, end = self.span_range(index)
        return self.text[start:end].strip()

    def blocks(self) -> list[Block]:
        """The blocks as :class:`Block` s (texts stripped), for the canvas and exporters."""
        return [Block(s.label, s.boxes, self.block_text(i)) for i, s in enumerate(self.spans)]

    def index_at(self, position: int) -> int:
        """The block a text position belongs to, or -1 before the first block."""
        return bisect.bisect_right(self.spans, position, key=lambda s: s.start) - 1

    def to_json(self) -> list[Any]:
        return [s.to_json() for s in self.spans]

    @staticmethod
    def spans_from_json(data: Any) -> tuple[Span, ...]:
        return tuple(Span.from_json(d) for d in data)

    @classmethod
    def from_blocks(cls, text: str, blocks: Sequence[Block]) -> Layout:
        """The layout of text that came from ``blocks`` (found by their text, as the margin does)."""
        starts = block_starts(text, blocks)
        return cls.make(text, (Span(pos, blocks[i].label, blocks[i].boxes) for pos, i in starts))


class PageText(Protocol):
    """What the layout of a page is read from (``model.document.Page`` has it all)."""

    @property
    def text(self) -> str: ...
    @property
    def edited_text(self) -> str | None: ...
    @property
    def spans(self) -> tuple[Span, ...] | None: ...
    @property
    def result(self) -> PageResult | None: ...


def page_layout(page: PageText) -> Layout:
    """The page's current text and blocks: the user's stored layout, or the engine's blocks."""
    if page.edited_text is not None and page.spans is not None:
        return Layout.make(page.edited_text, page.spans)
    return Layout.from_blocks(page.text, page.result.blocks if page.result else ())


def page_figures(page: PageText) -> dict[int, Box]:
    """``figure:N`` number -> the box to cut it from, following the user's block edits.

    A link inside a block that the engine's N-th figure box still overlaps (moved, resized, or
    merged with its caption) takes the block's box that overlaps it most; a link in a figure block
    the user added takes that block's boxes in link order; other links fall back to the engine's
    N-th figure box.
    """
    original = page.result.figures if page.result is not None else []
    figures: dict[int, Box] = {}
    layout = page_layout(page)
    for i, span in enumerate(layout.spans):
        if not span.boxes:
            continue
        for k, m in enumerate(_FIGURE_LINK_RE.finditer(layout.block_text(i))):
            n = int(m.group(1))
            if n in figures:
                continue
            if 1 <= n <= len(original):
                best = max(span.boxes, key=lambda b: _overlap(b, original[n - 1]))
                if _overlap(best, original[n - 1]) > 0:
                    figures[n] = best
                    continue
            if span.label == FIGURE_LABEL:
                figures[n] = span.boxes[min(k, len(span.boxes) - 1)]
    for n, box in enumerate(original, 1):
        figures.setdefault(n, box)
    return figures


def _overlap(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 when apart)."""
    inter = a.intersection(b)
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0


def next_figure_number(text: str) -> int:
    return max((int(n) for n in _FIGURE_LINK_RE.findall(text)), default=0) + 1


def block_starts(text: str, blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """(offset, block index) where each result block begins in ``text``, in order.

    Each block is found by its first non-empty line (its first 40 characters), searching on
    from the previous block; blocks whose text is gone (edited away) are skipped. Used for pages
    without stored spans; the editor then keeps the exact spans through every edit.
    """
    starts: list[tuple[int, int]] = []
    cursor = 0
    for i, block in enumerate(blocks):
        probe = next((ln.strip() for ln in block.text.splitlines() if ln.strip()), "")[:40]
        if not probe:
            continue
        pos = text.find(probe, cursor)
        if pos < 0:
            continue
        line_start = text.rfind("\n", 0, pos) + 1
        starts.append((line_start if line_start >= cursor else pos, i))
        cursor = pos + len(probe)
    return starts


# -- operations -----------------------------------------------------------------------------------
def relabel(layout: Layout, index: int, label: str) -> Layout:
    """The block with another label, its Markdown rewritten to match (see
    :mod:`desktop_ocr.model.label_markup`): text made a title gets its ``#``, a title made text
    loses it, and so on; a block made a figure gets a figure link."""
    span = layout.spans[index]
    if label != span.label and span.label != FIGURE_LABEL and label != FIGURE_LABEL:
        start, end = _core_range(layout, index)
        core = layout.text[start:end]
        layout = _replace_text(layout, start, end, markup.remarked(core, span.label, label))
    spans = list(layout.spans)
    spans[index] = replace(spans[index], label=label)
    text = layout.text
    if label == FIGURE_LABEL and not _FIGURE_LINK_RE.search(layout.block_text(index)):
        # a block made a figure gets a link, so that export cuts its box out of the page
        start = spans[index].start
        link = f"![]({FIGURE_SCHEME}{next_figure_number(text)})\n\n"
        text = text[:start] + link + text[start:]
        spans = [s if s.start <= start else replace(s, start=s.start + len(link)) for s in spans]
    return Layout.make(text, spans)


def _core_range(layout: Layout, index: int) -> tuple[int, int]:
    """Where a block's text is without the white space around it."""
    start, end = layout.span_range(index)
    chunk = layout.text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + len(chunk.rstrip())


def _replace_text(layout: Layout, start: int, end: int, new: str) -> Layout:
    """``layout`` with ``text[start:end]`` replaced; spans after it shift, the spans stay as they are."""
    delta = len(new) - (end - start)
    spans = tuple(s if s.start <= start else replace(s, start=s.start + delta) for s in layout.spans)
    return Layout(layout.text[:start] + new + layout.text[end:], spans)


def set_boxes(layout: Layout, index: int, boxes: Sequence[Box]) -> Layout:
    spans = list(layout.spans)
    spans[index] = replace(spans[index], boxes=tuple(boxes))
    return Layout(layout.text, tuple(spans))


def set_box(layout: Layout, index: int, box_index: int, box: Box) -> Layout:
    boxes = list(layout.spans[index].boxes)
    if 0 <= box_index < len(boxes):
        boxes[box_index] = box
    else:
        boxes.append(box)
    return set_boxes(layout, index, boxes)


def delete_block(layout: Layout, index: int) -> Layout:
    """Remove a block: its text (with the separator after it) and its boxes."""
    start, end = layout.span_range(index)
    text = layout.text
    if index + 1 == len(layout.spans):  # the last block: also drop the separator before it
        start = len(text[:start].rstrip()) if text[:start].strip() else 0
    cut = end - start
    spans = [
        s if s.start < start else replace(s, start=s.start - cut)
        for n, s in enumerate(layout.spans)
        if n != index
    ]
    return Layout.make(text[:start] + text[end:], spans)


def merge_with_next(layout: Layout, index: int) -> Layout:
    """One block of this and the next: the boxes are joined, this label is kept. Two paragraphs
    of running text become one (the blank line between them a space, the second one's heading
    marks dropped); tables, lists, formulas and figures stay apart as they are."""
    if not 0 <= index < len(layout.spans) - 1:
        raise IndexError("There is no next block to merge with.")
    first, second = layout.spans[index], layout.spans[index + 1]
    _s1, e1 = _core_range(layout, index)
    s2, e2 = _core_range(layout, index + 1)
    one, two = layout.text[_s1:e1], layout.text[s2:e2]
    spans = list(layout.spans)
    spans[index] = replace(first, boxes=first.boxes + second.boxes)
    del spans[index + 1]
    merged = Layout(layout.text, tuple(spans))
    if one and two and markup.is_paragraph(one, first.label) and markup.is_paragraph(two, second.label):
        rest = markup.plain(two, "text")
        # a word cut at the end of the first ("pharma-" / "bio pricing") goes on whole: the hyphen
        # is kept (it may be the word's own), the space is not
        joint = "" if _CUT_WORD.search(one) and rest[:1].islower() else " "
        merged = _replace_text(merged, e1, e2, joint + rest)
    return merged


#: A paragraph ending in a word cut at a hyphen (a letter, then "-").
_CUT_WORD = re.compile(r"[^\W\d_]-$")


def split_block(layout: Layout, position: int) -> Layout:
    """Split the block at a text position into two blocks with the same label and two paragraphs.

    The new block starts at the position (the white space around it becomes one blank line, so
    that the Markdown has two paragraphs; a heading's second half is a heading too). A single box
    is cut across in proportion to the lines above and below the split; several boxes are shared out.
    """
    index = layout.index_at(position)
    if index < 0:
        raise IndexError("The cursor is not inside a block.")
    start, end = layout.span_range(index)
    text = layout.text
    while position < end and text[position] in "\r\n":
        position += 1
    if not text[start:position].strip() or not text[position:end].strip():
        raise ValueError("Put the cursor inside the block's text to split it.")
    span = layout.spans[index]
    above = len(text[start:position].strip().splitlines())
    below = len(text[position:end].strip().splitlines())
    fraction = above / (above + below)
    first_boxes, second_boxes = _share_boxes(span.boxes, fraction)
    cut = len(text[:position].rstrip())
    resume = position + len(text[position:end]) - len(text[position:end].lstrip())
    second = text[resume:end].rstrip()
    if span.label in markup.HEADING_MARKS:
        second = markup.marked(markup.plain(second, span.label), span.label)
    tail = text[resume + len(text[resume:end].rstrip()) :]
    new_text = text[:cut] + "\n\n" + second + tail
    delta = len(new_text) - len(text)
    spans = [s if s.start <= start else replace(s, start=s.start + delta) for s in layout.spans]
    spans[index] = replace(span, boxes=first_boxes)
    spans.insert(index + 1, Span(cut + 2, span.label, second_boxes))
    return Layout(new_text, tuple(spans))


def move_block(layout: Layout, index: int, to: int) -> Layout:
    """The page with block ``index`` moved to place ``to`` of the reading order (0 = first):
    its text moves with it, the blank lines between blocks stay where they were."""
    n = len(layout.spans)
    if not (0 <= index < n and 0 <= to < n):
        raise IndexError("There is no block at that place.")
    if index == to:
        return layout
    head = layout.text[: layout.spans[0].start]
    bodies: list[str] = []
    gaps: list[str] = []
    for i in range(n):
        chunk = layout.text[slice(*layout.span_range(i))]
        body = chunk.rstrip()
        bodies.append(body)
        gaps.append(chunk[len(body) :])
    order = list(range(n))
    order.insert(to, order.pop(index))
    parts = [head]
    spans = []
    for place, i in enumerate(order):
        gap = gaps[place]
        if place < n - 1 and "\n\n" not in gap:
            gap = "\n\n"  # blocks apart by less than a blank line (in mid-line) become paragraphs
        spans.append(replace(layout.spans[i], start=sum(map(len, parts))))
        parts += [bodies[i], gap]
    return Layout.make("".join(parts), spans)


def _share_boxes(boxes: tuple[Box, ...], fraction: float) -> tuple[tuple[Box, ...], tuple[Box, ...]]:
    if not boxes:
        return (), ()
    if len(boxes) == 1:
        b = boxes[0]
        cut = round(b.y1 + (b.y2 - b.y1) * fraction)
        cut = max(b.y1 + 1, min(cut, b.y2 - 1)) if b.y2 - b.y1 >= 2 else b.y1
        return (Box(b.x1, b.y1, b.x2, cut),), (Box(b.x1, cut, b.x2, b.y2),)
    keep = max(1, min(len(boxes) - 1, round(len(boxes) * fraction)))
    return boxes[:keep], boxes[keep:]


def reading_position(layout: Layout, box: Box) -> int:
    """Where a block at ``box`` belongs in the text: before the first block below it in its column."""
    boxed = [(i, s.boxes[0]) for i, s in enumerate(layout.spans) if s.boxes]
    same_column = [(i, b) for i, b in boxed if min(b.x2, box.x2) - max(b.x1, box.x1) > 0]
    for i, b in same_column or boxed:
        if (b.y1 + b.y2) / 2 > (box.y1 + box.y2) / 2:
            return layout.spans[i].start
    return len(layout.text)


def insert_block(layout: Layout, position: int, text: str, spans: Sequence[Span] = ()) -> Layout:
    """Insert text (with its own spans, offsets relative to ``text``) as blocks at a block boundary.

    Blank lines keep the new text apart from the blocks around it. Without spans the text is one
    block labelled :data:`DEFAULT_LABEL`.
    """
    return _insert(layout, position, text, spans)[0]


def _insert(layout: Layout, position: int, text: str, spans: Sequence[Span]) -> tuple[Layout, int]:
    """:func:`insert_block`, and the offset where the inserted text starts."""
    body = text.strip()
    if not body:
        return layout, position
    lead = len(text) - len(text.lstrip())
    own = [replace(s, start=max(0, s.start - lead)) for s in spans] or [Span(0)]
    before, after = layout.text[:position], layout.text[position:]
    prefix = (
        ""
        if not before.strip()
        else ("" if before.endswith("\n\n") else "\n" if before.endswith("\n") else "\n\n")
    )
    suffix = "\n\n" if after.strip() else ""
    offset = len(before) + len(prefix)
    moved = len(prefix) + len(body) + len(suffix)
    new_spans = [s if s.start < position else replace(s, start=s.start + moved) for s in layout.spans]
    new_spans += [replace(s, start=s.start + offset) for s in own]
    return Layout.make(before + prefix + body + suffix + after, new_spans), offset


def blocks_in_region(layout: Layout, region: Box) -> list[int]:
    """Blocks with at least :data:`REGION_OVERLAP` of their box area inside ``region``."""
    found = []
    for i, span in enumerate(layout.spans):
        area = sum(b.area for b in span.boxes)
        inside = sum(b.intersection(region) for b in span.boxes)
        if area > 0 and inside / area >= REGION_OVERLAP:
            found.append(i)
    return found


def _mostly_on(span: Span, boxes: Sequence[Box]) -> bool:
    area = sum(b.area for b in span.boxes)
    on = sum(b.intersection(k) for b in span.boxes for k in boxes)
    return area > 0 and min(on, area) / area >= REGION_OVERLAP


def region_read_box(layout: Layout, region: Box, replace_blocks: bool = True) -> Box:
    """The box to read for ``region``: with ``replace_blocks`` it also takes in the whole boxes of
    the blocks it replaces (:func:`blocks_in_region`), so that none of their text is lost."""
    if not replace_blocks:
        return region
    boxes = [b for i in blocks_in_region(layout, region) for b in layout.spans[i].boxes]
    return Box.enclosing([region, *boxes])


def without_kept_text(new: Layout, layout: Layout, replaced: Sequence[int]) -> Layout:
    """A region's ``new`` blocks without those that lie mostly on a page block that stays (any
    block of ``layout`` not in ``replaced``): that text is on the page already, and reading a region
    never puts a text on the page twice."""
    kept = [b for i, s in enumerate(layout.spans) if i not in set(replaced) for b in s.boxes]
    keep = [i for i, span in enumerate(new.spans) if not _mostly_on(span, kept)]
    if len(keep) == len(new.spans):
        return new
    text = new.text[: new.spans[0].start].strip() if new.spans else ""
    spans = []
    for i in keep:
        start, end = new.span_range(i)
        text += "\n\n" if text else ""
        spans.append(replace(new.spans[i], start=len(text)))
        text += new.text[start:end].strip()
    return Layout.make(text, spans)


def renumber_figures(layout: Layout, first: int) -> Layout:
    """The layout with its ``figure:N`` links renumbered from ``first`` on (spans kept in place)."""
    numbers: dict[str, int] = {}
    parts: list[str] = []
    shifts: list[tuple[int, int]] = []  # (offset in the old text, change in length after it)
    pos = 0
    for m in _FIGURE_LINK_RE.finditer(layout.text):
        n = numbers.setdefault(m.group(1), first + len(numbers))
        link = f"]({FIGURE_SCHEME}{n})"
        parts += [layout.text[pos : m.start()], link]
        shifts.append((m.end(), len(link) - (m.end() - m.start())))
        pos = m.end()
    if not shifts:
        return layout
    parts.append(layout.text[pos:])

    def moved(offset: int) -> int:
        return offset + sum(d for at, d in shifts if at <= offset)

    return Layout.make("".join(parts), [replace(s, start=moved(s.start)) for s in layout.spans])


def merge_region(layout: Layout, region: Box, new: Layout, replace_blocks: bool = True) -> Layout:
    """Put a region's new text and blocks into the page: in place of the blocks inside the region
    (``replace_blocks``), or as new blocks at the region's place in reading order. The region's
    figure links are renumbered after the page's, so that each still names its own box."""
    return place_region(layout, region, new, replace_blocks)[0]


def place_region(layout: Layout, region: Box, new: Layout, replace_blocks: bool = True) -> tuple[Layout, int]:
    """:func:`merge_region`, and the offset where the region's text starts in the result."""
    new = renumber_figures(new, next_figure_number(layout.text))
    matching = blocks_in_region(layout, region) if replace_blocks else []
    if not matching:
        return _insert(layout, reading_position(layout, region), new.text, new.spans)
    position = layout.spans[matching[0]].start
    result = layout
    for index in reversed(matching):
        result = delete_block(result, index)
    return _insert(result, min(position, len(result.text)), new.text, new.spans)


def region_layout(result: PageResult, region: Box) -> Layout:
    """A region's result as a layout to merge: its blocks found in its Markdown, or, when none
    is found there, all of the Markdown as one block with the result's first box (or the region)."""
    new = Layout.from_blocks(result.markdown, result.blocks)
    if new.spans or not result.markdown.strip():
        return new
    boxes = next((b.boxes for b in result.blocks if b.boxes), (region,))
    label = result.blocks[0].label if result.blocks else DEFAULT_LABEL
    return Layout(result.markdown, (Span(0, label, boxes),))
