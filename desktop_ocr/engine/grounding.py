"""Parse DeepSeek-OCR's grounded output into ordered blocks, clean Markdown, and do it while streaming.

Public API:

- :func:`parse_blocks` - ``<|ref|>LABEL<|/ref|><|det|>[[x1, y1, x2, y2], ...]<|/det|>\\nCONTENT`` runs
  into :class:`~desktop_ocr.model.result.Block` objects, in output order. Coordinates are read with a
  regular expression (never ``eval``), clamped to 0..999, inverted corners swapped; a block may have
  several boxes; a run whose boxes cannot be read (a coordinate of more than six digits, say) keeps its
  text as a box-less "text" block (:func:`unreadable_blocks` counts them, for a flag on the page); a block
  cut off before its ``<|/det|>`` is dropped, text before the first block becomes
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

Every function here is linear in its input, the streaming parser in the whole stream (it never reads
text twice, and a run's tags longer than :data:`MAX_RUN_TAGS` characters are no run).
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
#: Digits a coordinate may have before its decimal point; more and the run's boxes are unreadable.
MAX_DIGITS = 6
#: The longest ``<|ref|>...<|/det|>`` a streamed run may have before it is taken as plain text.
MAX_RUN_TAGS = 65536
_BOX_RE = re.compile(r"\[" + ",".join([_NUM] * 4) + r"\]")
_NEWLINES_RE = re.compile(r"\n{3,}")
_TRUNCATED_RE = re.compile(r"<\|ref\|>[^<]*(?:<\|/ref\|>\s*(?:<\|det\|>[^<]*)?)?$")
_STRAY_TAGS_RE = re.compile(r"<\|/?ref\|>|<\|grounding\|>|<\|det\|>[^<]*<\|/det\|>")


def _partial(tag: str) -> str:
    """A pattern for the beginnings of ``tag`` (at least its first character, not all of it)."""
    return "|".join(re.escape(tag[:k]) for k in range(len(tag) - 1, 0, -1))


#: The beginnings of a run's tags (what ``_BLOCK_RE`` matches, cut short anywhere): while the text
#: from a ``<|ref|>`` still fully matches this, the run may complete.
_RUN_START_RE = re.compile(
    rf"<\|ref\|>[^<]*(?:{_partial('<|/ref|>')}"
    rf"|<\|/ref\|>\s*(?:{_partial('<|det|>')}|<\|det\|>[^<]*(?:{_partial('<|/det|>')})?)?)?"
)


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A grounded run as found in the raw text: where its tags and its content are."""

    label: str
    boxes: tuple[Box, ...]
    tag_start: int
    tag_end: int
    content_end: int
    content: str
    #: The ``<|det|>`` payload had a coordinate that is no number of the 0..999 space (``boxes`` is empty).
    unreadable: bool = False


def _readable(value: str) -> bool:
    return len(value.lstrip("-").split(".", 1)[0].lstrip("0")) <= MAX_DIGITS


def read_boxes(det: str) -> tuple[tuple[Box, ...], bool]:
    """The boxes of a ``<|det|>`` payload and whether it was readable; an unreadable one gives no box."""
    found = [m.groups() for m in _BOX_RE.finditer(det)]
    if not all(_readable(v) for values in found for v in values):
        return (), True
    return tuple(Box.normalised(*(float(v) for v in values)) for values in found), False


def parse_boxes(det: str) -> tuple[Box, ...]:
    """Every ``[x1, y1, x2, y2]`` in a ``<|det|>`` payload, clamped to 0..999 and ordered (none when a
    coordinate is unreadable)."""
    return read_boxes(det)[0]


def strip_eos(raw: str) -> str:
    """``raw`` without the end-of-sentence marker(s) at its end."""
    end = len(raw)
    while True:
        j = end
        while j > 0 and raw[j - 1].isspace():
            j -= 1
        if j < len(EOS_TEXT) or not raw.startswith(EOS_TEXT, j - len(EOS_TEXT)):
            return raw[:end]
        end = j - len(EOS_TEXT)


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
        blocks.append(_raw_block(m, raw, end))
    return leading, blocks


def _raw_block(m: re.Match[str], raw: str, end: int) -> RawBlock:
    boxes, unreadable = read_boxes(m.group(2))
    return RawBlock(m.group(1).strip(), boxes, m.start(), m.end(), end, raw[m.end() : end], unreadable)


def clean_text(text: str) -> str:
    """Per-text clean-up: stray tags dropped, LaTeX colon-equals spelled out, newline runs collapsed."""
    text = _STRAY_TAGS_RE.sub("", text)
    text = text.replace("\\coloneqq", ":=").replace("\\eqqcolon", "=:")
    return _NEWLINES_RE.sub("\n\n", text).strip()


def _figure_links(count: int, first: int) -> str:
    return "\n".join(f"![]({FIGURE_SCHEME}{first + k})" for k in range(count))


def _to_block(raw_block: RawBlock, figure_counter: list[int]) -> Block:
    if raw_block.unreadable:
        return Block("text", (), clean_text(raw_block.content))
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


def unreadable_blocks(raw: str) -> int:
    """How many runs of the page had boxes that could not be read (kept as box-less text blocks)."""
    return sum(b.unreadable for b in find_blocks(strip_eos(raw), final=True)[1])


def to_markdown(raw: str) -> str:
    """The page's Markdown (see the module docstring)."""
    text = strip_eos(raw)
    _, found = find_blocks(text, final=True)
    out: list[str] = []
    pos = 0
    counter = 0
    for b in found:
        out.append(text[pos : b.tag_start])
        if b.label == FIGURE_LABEL and b.boxes and not b.unreadable:
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
    """Blocks of a page as its text streams in; see the module docstring.

    The text is kept in parts: the settled text (the open block's content) and a short tail that may be
    the start of a run. A run can start only at a ``<|ref|>`` and is decided by the first ``<|/det|>``
    after it (no other ``<`` may come between its tags), so each character is looked at a bounded
    number of times.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []  # settled text since the open run's tags (or since the start)
        self._tail = ""  # text not settled yet: a possible run from its "<|ref|>", or the last few characters
        self._open: re.Match[str] | None = None  # the last complete run's tags (its content is in _parts)
        self._figures = 0

    @property
    def text(self) -> str:
        """The text not yet returned as blocks (the open block's content and what follows)."""
        return "".join(self._parts) + self._tail

    def _settle(self, upto: int) -> None:
        if upto > 0:
            self._parts.append(self._tail[:upto])
            self._tail = self._tail[upto:]

    def _close(self, new: list[Block], content: str) -> None:
        """Return the open block (or the leading text) with its now known ``content``."""
        if self._open is None:
            lead = clean_text(content)
            if lead:
                new.append(Block("text", (), lead))
            return
        boxes, unreadable = read_boxes(self._open.group(2))
        counter = [self._figures]
        new.append(
            _to_block(RawBlock(self._open.group(1).strip(), boxes, 0, 0, 0, content, unreadable), counter)
        )
        self._figures = counter[0]

    def feed(self, delta: str) -> list[Block]:
        """Add streamed text; return the blocks that are now complete."""
        self._tail += delta
        fresh = len(delta) + len(DET_CLOSE)  # a run of the tail can only be decided by text this new
        new: list[Block] = []
        while True:
            i = self._tail.find(REF_OPEN)
            if i < 0:
                self._settle(len(self._tail) - (len(REF_OPEN) - 1))
                return new
            self._settle(i)
            if i:
                fresh = len(self._tail) + len(DET_CLOSE)
            # A run's tags hold no "<" but their own, so only text near a new "<" can complete the
            # run or show that it is none: the tail is read again only then (a few times per run),
            # not for every piece of a long label or box list streamed one token at a time.
            long = len(self._tail) > MAX_RUN_TAGS
            if not long and "<" not in self._tail[-fresh:]:
                return new  # a run may still complete
            m = _BLOCK_RE.match(self._tail)
            if m is not None:
                self._close(new, "".join(self._parts))
                self._parts = []
                self._open = m
                self._tail = self._tail[m.end() :]
                fresh = len(self._tail) + len(DET_CLOSE)
                continue
            if long or not _RUN_START_RE.fullmatch(self._tail):
                self._settle(len(REF_OPEN))  # decided, and no run: plain text
                fresh = len(self._tail) + len(DET_CLOSE)
                continue
            return new  # a run may still complete

    def finish(self) -> list[Block]:
        """The blocks still open at the end of the stream (the last one, usually)."""
        rest = strip_eos(self.text)
        new: list[Block] = []
        self._close(new, rest[: truncated_tail(rest)])
        self._parts, self._tail, self._open = [], "", None
        return new
