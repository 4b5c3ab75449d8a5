"""Parse DeepSeek-OCR's grounded output into ordered blocks, clean Markdown, and do it while streaming.

Public API:

- :func:`parse_blocks` - ``<|ref|>LABEL<|/ref|><|det|>[[x1, y1, x2, y2], ...]<|/det|>\\nCONTENT`` runs
  into :class:`~desktop_ocr.model.result.Block` objects, in output order. Coordinates are read with a
  regular expression (never ``eval``), clamped to 0..999, inverted corners swapped; a block may have
  several boxes; a block cut off before its ``<|/det|>`` is dropped, text before the first block becomes
  a box-less "text" block; stray ``<|ref|>`` tags outside a run are dropped (their text kept). Figure
  blocks get ``![](figure:N)`` links as their text.
- :func:`to_markdown` - the official clean-up: trailing EOS dropped, figure blocks become
  ``![](figure:N)`` links numbered from one counter over all figure boxes of the page (so ``figure:N`` is
  ``PageResult.figures[N - 1]``), other tags removed, ``\\coloneqq`` -> ``:=``, ``\\eqqcolon`` -> ``=:``,
  runs of three or more newlines -> two; HTML tables and LaTeX are kept.
- :func:`located_boxes` - the boxes of a locate (``<|ref|>TARGET<|/ref|>``) answer.
- :func:`figure_crops` - the figures cut from the page image, item ``N - 1`` for ``figure:N``.
- :class:`StreamingBlockParser` - ``feed(delta)`` returns blocks as they complete (a block is complete
  when the next one's boxes are), ``finish()`` the rest; together they equal ``parse_blocks`` of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import FIGURE_LABEL, FIGURE_SCHEME, Block

if TYPE_CHECKING:
    from PIL import Image

REF_OPEN = "<|ref|>"
DET_CLOSE = "<|/det|>"
EOS_TEXT = "<｜end▁of▁sentence｜>"
_BLOCK_RE = re.compile(r"<\|ref\|>([^<]*)<\|/ref\|>\s*<\|det\|>([^<]*)<\|/det\|>")
_NUM = r"\s*(-?\d+(?:\.\d+)?)\s*"
_BOX_RE = re.compile(r"\[" + ",".join([_NUM] * 4) + r"\]")
_NEWLINES_RE = re.compile(r"\n{3,}")
_TRUNCATED_RE = re.compile(r"<\|ref\|>[^<]*(?:<\|/ref\|>\s*(?:<\|det\|>[^<]*)?)?$")
_STRAY_TAGS_RE = re.compile(r"<\|/?ref\|>|<\|grounding\|>|<\|det\|>[^<]*<\|/det\|>")


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A grounded run as found in the raw text: where its tags and its content are."""

    label: str
    boxes: tuple[Box, ...]
    tag_start: int
    tag_end: int
    content_end: int
    content: str


def parse_boxes(det: str) -> tuple[Box, ...]:
    """Every ``[x1, y1, x2, y2]`` in a ``<|det|>`` payload, clamped to 0..999 and ordered."""
    return tuple(Box.normalised(*(float(v) for v in m.groups())) for m in _BOX_RE.finditer(det))


def strip_eos(raw: str) -> str:
    """``raw`` without the end-of-sentence marker(s) at its end."""
    text = raw
    while text.rstrip().endswith(EOS_TEXT):
        text = text.rstrip()[: -len(EOS_TEXT)]
    return text


def truncated_tail(text: str, start: int = 0) -> int:
    """Where a run cut off before its ``<|/det|>`` begins at the end of ``text`` (after ``start``), or
    ``len(text)`` when the text does not end inside a run's tags."""
    i = text.rfind(REF_OPEN, start)
    if i >= 0 and _TRUNCATED_RE.match(text, i):
        return i
    return len(text)


def find_blocks(raw: str, final: bool = True) -> tuple[str | None, list[RawBlock]]:
    """Leading ungrounded text and the grounded runs of ``raw``.

    A run's content reaches to the next complete run. With ``final=False`` (text still streaming) only
    runs followed by another complete run are returned, and the leading text only once a run exists
    (else None); with ``final=True`` everything is returned, without a run cut off at the end.
    """
    matches = list(_BLOCK_RE.finditer(raw))
    cut = truncated_tail(raw, matches[-1].end() if matches else 0) if final else len(raw)
    if matches:
        leading: str | None = raw[: matches[0].start()]
    else:
        leading = raw[:cut] if final else None
    blocks: list[RawBlock] = []
    for i, m in enumerate(matches):
        if i + 1 < len(matches):
            end = matches[i + 1].start()
        elif final:
            end = cut
        else:
            break
        content = raw[m.end() : end]
        blocks.append(RawBlock(m.group(1).strip(), parse_boxes(m.group(2)), m.start(), m.end(), end, content))
    return leading, blocks


def clean_text(text: str) -> str:
    """Per-text clean-up: stray tags dropped, LaTeX colon-equals spelled out, newline runs collapsed."""
    text = _STRAY_TAGS_RE.sub("", text)
    text = text.replace("\\coloneqq", ":=").replace("\\eqqcolon", "=:")
    return _NEWLINES_RE.sub("\n\n", text).strip()


def _figure_links(count: int, first: int) -> str:
    return "\n".join(f"![]({FIGURE_SCHEME}{first + k})" for k in range(count))


def _to_block(raw_block: RawBlock, figure_counter: list[int]) -> Block:
    if raw_block.label == FIGURE_LABEL:
        first = figure_counter[0] + 1
        figure_counter[0] += len(raw_block.boxes)
        links = _figure_links(len(raw_block.boxes), first)
        caption = clean_text(raw_block.content)
        text = links + ("\n\n" + caption if caption else "")
        return Block(FIGURE_LABEL, raw_block.boxes, text)
    return Block(raw_block.label or "text", raw_block.boxes, clean_text(raw_block.content))


def parse_blocks(raw: str) -> list[Block]:
    """The page's blocks in output order (see the module docstring)."""
    leading, found = find_blocks(strip_eos(raw), final=True)
    blocks: list[Block] = []
    lead = clean_text(leading or "")
    if lead:
        blocks.append(Block("text", (), lead))
    counter = [0]
    blocks.extend(_to_block(b, counter) for b in found)
    return blocks


def to_markdown(raw: str) -> str:
    """The page's Markdown (see the module docstring)."""
    text = strip_eos(raw)
    _, found = find_blocks(text, final=True)
    out: list[str] = []
    pos = 0
    counter = 0
    for b in found:
        out.append(text[pos : b.tag_start])
        if b.label == FIGURE_LABEL and b.boxes:
            out.append(_figure_links(len(b.boxes), counter + 1) + "\n")
            counter += len(b.boxes)
        pos = b.tag_end
    out.append(text[pos : truncated_tail(text, pos)])  # without a run cut off at the end
    return clean_text("".join(out))


def figure_crops(image: Image.Image, blocks: Iterable[Block]) -> list[Image.Image]:
    """Each figure box cut from ``image`` (the page the model saw), in ``figure:N`` order.

    Pixel edges follow the official ``int(x / 999 * width)``; every crop is at least 1 x 1 pixel.
    """
    return [
        image.crop(box.crop_pixels(*image.size))
        for block in blocks
        if block.label == FIGURE_LABEL
        for box in block.boxes
    ]


_DET_RE = re.compile(r"<\|det\|>([^<]*)<\|/det\|>")


def located_boxes(raw: str) -> list[Box]:
    """Every box in the complete ``<|det|>`` payloads of a locate answer, in order, without repeats
    (the model answers ``<|ref|>TARGET<|/ref|><|det|>[[x1, y1, x2, y2], ...]<|/det|>``)."""
    boxes: list[Box] = []
    for m in _DET_RE.finditer(strip_eos(raw)):
        boxes.extend(b for b in parse_boxes(m.group(1)) if b not in boxes and b.area > 0)
    return boxes


class StreamingBlockParser:
    """Blocks of a page as its text streams in; see the module docstring."""

    def __init__(self) -> None:
        self.text = ""
        self._emitted = 0  # raw blocks (grounded runs) already returned
        self._lead_done = False
        self._figures = 0

    def _collect(self, final: bool) -> list[Block]:
        leading, found = find_blocks(strip_eos(self.text) if final else self.text, final=final)
        new: list[Block] = []
        if not self._lead_done and leading is not None:
            self._lead_done = True
            lead = clean_text(leading)
            if lead:
                new.append(Block("text", (), lead))
        counter = [self._figures]
        for b in found[self._emitted :]:
            new.append(_to_block(b, counter))
        self._figures = counter[0]
        self._emitted = max(self._emitted, len(found))
        return new

    def feed(self, delta: str) -> list[Block]:
        """Add streamed text; return the blocks that are now complete."""
        self.text += delta
        if DET_CLOSE not in self.text[-(len(delta) + len(DET_CLOSE)) :]:
            return []  # blocks complete only when the next run's boxes are complete
        return self._collect(final=False)

    def finish(self) -> list[Block]:
        """The blocks still open at the end of the stream (the last one, usually)."""
        return self._collect(final=True)
