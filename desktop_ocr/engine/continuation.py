"""Paragraphs that run on past a column's end, and the blocks that interrupt them.

The reading order reads a page piece by piece (a column, a section under a title) and groups each
piece's lines into paragraphs; a paragraph that goes on at the top of the next column, or past a
pull quote, a picture or its caption set into the column, would come out cut in two, with the
pull quote or the caption in the middle of its sentence ("working in the garden" / a pull quote
/ "last year, he said"). A reader, and ABBYY FineReader's output, keep the paragraph whole and
put what interrupts it after it. :class:`ParagraphStream` does that to the page's blocks as they
are read:

- a body paragraph that leaves its sentence open (it ends in a word, a comma or a hyphen: see
  :func:`reading_order.continues`) is held back;
- what comes while it is held (at most :data:`MAX_ASIDES` blocks: figures, captions, tables,
  headers and footers, and paragraphs that end their own sentence and are set in larger type,
  such as a pull quote, or span columns, such as a caption over two) is held behind it;
- the first body paragraph that goes on with the open sentence (it starts with a lower-case
  letter) joins it: one block with both boxes, the line-end hyphen mended (``sup-`` + ``ply``);
  the held blocks follow the paragraph once it ends, and a paragraph among them held for its
  larger type is the page's pull quote: a Markdown block quote (``> ...``), as the print sets it
  apart from the text it interrupts (pandoc's exports make it a quote, the text export drops
  the mark);
- anything else (a paragraph of the text's own type that starts a new sentence; a heading, which
  on a real page was a line run into a picture's letters and read as one; too many blocks
  between) lets the held blocks go in the order they came, unchanged.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from desktop_ocr.engine.reading_order import SUB_TITLE, TEXT, TITLE, LineBox, continues, ends_open, join_lines
from desktop_ocr.model.result import Block

#: At most this many blocks may stand between a paragraph and its continuation.
MAX_ASIDES = 3
#: A paragraph between the two parts that ends its own sentence is set apart from them (a pull
#: quote) when its type is at least this much larger than theirs (smaller type in mid-sentence
#: is a form's label under its field, "(Describe question briefly)", read where it stands).
ASIDE_TYPE = 1.2
#: ... or when it is this much wider than their column (it spans columns).
ASIDE_SPAN = 1.4
#: A paragraph this short that ends without a full stop is a list item or a label ("3 uien" in
#: a recipe's two columns of ingredients, a footnote's number), not a sentence that runs on.
MIN_OPEN_CHARS = 30
#: Lines of at least this many characters give their type size by character width.
MIN_CHARS = 8

#: Where blocks go once their place is known: the block and its lines (indices into the page's).
Sink = Callable[[Block, Sequence[int]], None]


def pull_quote(text: str) -> str:
    """A paragraph's Markdown as a block quote: every line marked ``> ``."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n"))


def type_size(boxes: Sequence[LineBox], texts: Sequence[str]) -> float:
    """A paragraph's type size: the median character width of its lines of :data:`MIN_CHARS`
    characters or more (a line box's height also holds the detector's margin and any accents),
    else the median line height; 0 without lines."""
    widths = [b.width / len(t) for b, t in zip(boxes, texts, strict=True) if len(t.strip()) >= MIN_CHARS]
    if widths:
        return statistics.median(widths)
    heights = [b.height for b in boxes]
    return statistics.median(heights) if heights else 0.0


@dataclass(slots=True)
class _Held:
    block: Block
    lines: list[int]
    size: float
    paragraph: bool
    opens: bool = True
    larger: bool = False  # held aside for its larger type: a pull quote once the text goes on


@dataclass(slots=True)
class ParagraphStream:
    """The page's blocks in reading order, passed to ``sink`` once their place is known (see the
    module docstring). ``add`` each block as it is read, ``close`` at the page's end."""

    sink: Sink
    _open: _Held | None = None
    _asides: list[_Held] = field(default_factory=list)

    def add(
        self,
        block: Block,
        lines: Sequence[int] = (),
        *,
        paragraph: bool = False,
        size: float = 0.0,
        opens: bool = True,
    ) -> None:
        """One block: ``paragraph`` for a body paragraph of running text (label text), ``size``
        its :func:`type_size`; ``opens`` False for one that may go on from an open paragraph but
        never leaves its own open (it ends in a row of cells far apart: a form's check boxes,
        "... Cost Reduction  x Urgent", see :func:`reading_order.ends_in_cells`); ``lines`` go with
        it to the sink."""
        item = _Held(block, list(lines), size, paragraph and block.label == TEXT, opens)
        if self._open is None:
            self._start(item)
            return
        if item.paragraph and continues(self._open.block.text, item.block.text):
            head = self._open
            text = join_lines([head.block.text, item.block.text])
            merged = Block(head.block.label, head.block.boxes + item.block.boxes, text)
            self._open = _Held(merged, head.lines + item.lines, head.size, True, item.opens)
            for aside in self._asides:  # the text went on past them: a larger one is a pull quote
                if aside.larger and not aside.block.text.startswith(">"):
                    aside.block = replace(aside.block, text=pull_quote(aside.block.text))
            if not ends_open(text):  # the sentence ends here: the paragraph and its asides go
                self._release()
            return
        if len(self._asides) < MAX_ASIDES and self._aside(item):
            self._asides.append(item)
            return
        self._release()
        self._start(item)

    def close(self) -> None:
        """The page's end: whatever is held goes, in the order it came."""
        self._release()

    def _start(self, item: _Held) -> None:
        if (
            item.paragraph
            and item.opens
            and len(item.block.text) >= MIN_OPEN_CHARS
            and ends_open(item.block.text)
        ):
            self._open = item
        else:
            self.sink(item.block, item.lines)

    def _aside(self, item: _Held) -> bool:
        """Whether ``item`` may stand aside from the open paragraph: a figure, caption, table,
        header or footer (not a heading, nothing ending in a hyphen), or a paragraph that ends
        its own sentence and is set in larger type (a pull quote) or spans more than the
        paragraph's column (a caption over two columns)."""
        if item.block.label in (TITLE, SUB_TITLE) or item.block.text.rstrip().endswith(("-", "\u00ad")):
            return False  # a heading in mid-sentence is text misread as one (or a new section)
        if not item.paragraph:
            return True
        assert self._open is not None
        if ends_open(item.block.text):
            return False
        column = max(b.x2 - b.x1 for b in self._open.block.boxes)
        wide = min(b.x2 - b.x1 for b in item.block.boxes) >= ASIDE_SPAN * column
        item.larger = self._open.size > 0 and item.size >= ASIDE_TYPE * self._open.size
        return item.larger or wide

    def _release(self) -> None:
        held = [self._open, *self._asides] if self._open is not None else self._asides
        self._open, self._asides = None, []
        for item in held:
            self.sink(item.block, item.lines)
