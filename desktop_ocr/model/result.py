"""What an engine returns for one page: ordered blocks with labels and boxes, plus the raw output."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field, replace
from typing import Any

from desktop_ocr.model.geometry import Box

#: The label given to figure blocks; their boxes are cut out as images on export.
FIGURE_LABEL = "image"
#: How page Markdown refers to the N-th figure of its page (1-based); exporters rewrite these links.
FIGURE_SCHEME = "figure:"


class Completion(str, enum.Enum):
    """How a page's generation ended."""

    COMPLETE = "complete"  # reached end of sequence
    INCOMPLETE = "incomplete"  # hit the token cap without EOS: possible repetition, kept and marked
    CANCELLED = "cancelled"  # stopped by the user; partial output kept


#: ``PageResult.extra`` key: clockwise degrees the page was turned after it was read.
TURNED_SINCE_READ = "turned_since_read"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a page in reading order: a label, one or more boxes, and its text."""

    label: str
    boxes: tuple[Box, ...]
    text: str

    def boxes_px(self, width: int, height: int) -> list[tuple[float, float, float, float]]:
        return [b.to_pixels(width, height) for b in self.boxes]

    def to_json(self, width: int | None = None, height: int | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {
            "label": self.label,
            "boxes": [b.as_list() for b in self.boxes],
            "text": self.text,
        }
        if width and height:
            d["boxes_px"] = [[round(v, 1) for v in px] for px in self.boxes_px(width, height)]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Block:
        return cls(
            label=str(d.get("label", "text")),
            boxes=tuple(Box(*map(int, b)) for b in d.get("boxes", [])),
            text=str(d.get("text", "")),
        )


@dataclass(frozen=True, slots=True)
class ScoredWord:
    """A word of a page's Markdown that the engine was not sure of: its characters
    ``[start, end)`` and the engine's confidence in it (0..1, the least sure of its characters)."""

    start: int
    end: int
    score: float

    def to_json(self) -> list[Any]:
        return [self.start, self.end, self.score]

    @classmethod
    def from_json(cls, data: Any) -> ScoredWord:
        """Raises ValueError for anything but ``[start, end, score]`` with 0 <= start < end, 0 <= score <= 1."""
        if not isinstance(data, (list, tuple)) or len(data) != 3:
            raise ValueError(f"a scored word is [start, end, score], not {data!r}")
        start, end, score = data
        if (
            not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
            or not 0 <= start < end
        ):
            raise ValueError(f"a scored word's characters are wrong: {data!r}")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
            raise ValueError(f"a scored word's score is not between 0 and 1: {data!r}")
        return cls(start, end, float(score))


@dataclass(frozen=True, slots=True)
class PageResult:
    """An engine's result for one page image."""

    blocks: tuple[Block, ...]
    #: The engine's raw output (for DeepSeek-OCR: decoded with special tokens kept).
    raw: str
    #: Cleaned Markdown for the editor; figures are linked as ``![](figure:N)``.
    markdown: str
    completion: Completion = Completion.COMPLETE
    engine: str = ""
    model: str = ""
    mode: str = ""
    prompt: str = ""
    width: int = 0
    height: int = 0
    elapsed_s: float = 0.0
    prompt_tokens: int = 0
    generated_tokens: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: Words of ``markdown`` read with a low confidence, in text order (``model.confidence``);
    #: empty when the engine gives no confidences (and in results stored before there were any).
    words: tuple[ScoredWord, ...] = ()

    @property
    def figures(self) -> list[Box]:
        """Boxes of figure blocks, in order: ``figure:N`` refers to the N-th of these."""
        return [b for blk in self.blocks if blk.label == FIGURE_LABEL for b in blk.boxes]

    @property
    def unreadable_boxes(self) -> int:
        """How many blocks' boxes the engine's output gave in a form that could not be read (those
        blocks are kept as text, without a box); 0 when the result does not say."""
        value = self.extra.get("unreadable_boxes", 0)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0

    @property
    def turned_by_engine(self) -> int:
        """Clockwise degrees the engine turned the page to read it upright (its boxes are on the
        turned page): the page's rotation follows when the result is stored (:meth:`settled`)."""
        try:
            return int(self.extra.get("turned", 0) or 0) % 360 // 90 * 90
        except (TypeError, ValueError):
            return 0

    @property
    def turned_since_read(self) -> int:
        """Clockwise degrees the page was turned after it was read (:meth:`turned`): the text on its
        boxes stands turned by as much (0 in results stored before this was kept)."""
        value = self.extra.get(TURNED_SINCE_READ, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            return 0
        return value % 360 // 90 * 90

    def settled(self, rotation: int) -> PageResult:
        """This result as stored on a page now shown at ``rotation`` (the engine's turn applied):
        ``extra`` says the rotation its boxes are on and no longer asks for a turn."""
        if not self.turned_by_engine:
            return self
        extra = {k: v for k, v in self.extra.items() if k != "turned"}
        extra["rotation"] = rotation % 360
        extra["turned_by_engine"] = self.turned_by_engine
        return replace(self, extra=extra)

    def turned(self, degrees: int) -> PageResult:
        """The same reading on the page turned clockwise by ``degrees``: boxes, the engine's line
        boxes (in ``raw`` where it holds them) and the page size follow."""
        d = degrees % 360
        if d == 0:
            return self
        blocks = tuple(replace(b, boxes=tuple(x.turned(d) for x in b.boxes)) for b in self.blocks)
        width, height = (self.height, self.width) if d % 180 else (self.width, self.height)
        extra = dict(self.extra)
        if isinstance(extra.get("rotation"), int):  # the rotation the boxes are on follows
            extra["rotation"] = (extra["rotation"] + d) % 360
        # how far the text now stands turned from upright (its lines run down or up the page)
        since = (self.turned_since_read + d) % 360
        if since:
            extra[TURNED_SINCE_READ] = since
        else:
            extra.pop(TURNED_SINCE_READ, None)  # turned back as it was read
        return replace(
            self,
            blocks=blocks,
            width=width,
            height=height,
            raw=_turned_lines(self.raw, d, self.width, self.height),
            extra=extra,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "blocks": [b.to_json() for b in self.blocks],
            "raw": self.raw,
            "markdown": self.markdown,
            "completion": self.completion.value,
            "engine": self.engine,
            "model": self.model,
            "mode": self.mode,
            "prompt": self.prompt,
            "width": self.width,
            "height": self.height,
            "elapsed_s": self.elapsed_s,
            "prompt_tokens": self.prompt_tokens,
            "generated_tokens": self.generated_tokens,
            "extra": self.extra,
            "word_scores": [w.to_json() for w in self.words],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PageResult:
        return cls(
            blocks=tuple(Block.from_json(b) for b in d.get("blocks", [])),
            raw=str(d.get("raw", "")),
            markdown=str(d.get("markdown", "")),
            completion=Completion(d.get("completion", "complete")),
            engine=str(d.get("engine", "")),
            model=str(d.get("model", "")),
            mode=str(d.get("mode", "")),
            prompt=str(d.get("prompt", "")),
            width=int(d.get("width", 0)),
            height=int(d.get("height", 0)),
            elapsed_s=float(d.get("elapsed_s", 0.0)),
            prompt_tokens=int(d.get("prompt_tokens", 0)),
            generated_tokens=int(d.get("generated_tokens", 0)),
            extra=dict(d.get("extra", {})),
            words=_scored_words(d.get("word_scores", []), len(str(d.get("markdown", "")))),
        )


def _scored_words(data: Any, length: int) -> tuple[ScoredWord, ...]:
    """Stored scored words, checked: a list, each inside the Markdown (``length`` characters)."""
    if not isinstance(data, list):
        raise ValueError(f"word_scores is not a list: {type(data).__name__}")
    words = tuple(ScoredWord.from_json(item) for item in data)
    for w in words:
        if w.end > length:
            raise ValueError(f"a scored word ends after the Markdown ({w.end} > {length})")
    return words


def _turned_lines(raw: str, degrees: int, width: int, height: int) -> str:
    """``raw`` with the pixel boxes of its ``lines`` (the embedded engine's form) turned clockwise
    on a ``width`` x ``height`` page; any other raw output is returned as it is."""
    if not raw.startswith('{"lines"'):
        return raw
    try:
        data = json.loads(raw)
        for line in data["lines"]:
            x1, y1, x2, y2 = (float(v) for v in line["box"])
            if degrees == 90:
                box = [height - y2, x1, height - y1, x2]
            elif degrees == 180:
                box = [width - x2, height - y2, width - x1, height - y1]
            else:
                box = [y1, width - x2, y2, width - x1]
            line["box"] = [round(v) for v in box]
    except (ValueError, KeyError, TypeError):
        return raw
    return json.dumps(data, ensure_ascii=False)
