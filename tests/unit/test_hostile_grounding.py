"""Hostile model output (issue 12, item 9): a bad box never fails a page or a batch, and the grounding
parser is linear in its input. Cases live in tests/hostile/grounding/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop_ocr.engine.grounding import (
    StreamingBlockParser,
    located_boxes,
    parse_blocks,
    strip_eos,
    to_markdown,
    unreadable_blocks,
)
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block

CORPUS = Path(__file__).resolve().parents[1] / "hostile" / "grounding"


def _stream(text: str, size: int = 1) -> list[Block]:
    parser = StreamingBlockParser()
    got: list[Block] = []
    for i in range(0, len(text), size):
        got.extend(parser.feed(text[i : i + size]))
    return got + parser.finish()


def test_huge_coordinate_keeps_the_block_as_text_and_flags_it():
    raw = (CORPUS / "huge_coordinate.txt").read_text(encoding="utf-8")
    blocks = parse_blocks(raw)
    assert blocks[0] == Block("title", (Box(100, 50, 900, 120),), "# Fine title")
    assert blocks[2] == Block("text", (Box(100, 420, 900, 500),), "The end.")
    bad = blocks[1]
    assert bad.boxes == ()  # no box is made up from an unreadable coordinate
    assert "The bad block's words." in bad.text
    assert unreadable_blocks(raw) == 1
    assert unreadable_blocks(raw.replace("9" * 400, "")) == 0
    assert "The bad block's words." in to_markdown(raw)
    assert _stream(raw, 7) == blocks
    assert located_boxes(raw) == [Box(100, 50, 900, 120), Box(100, 420, 900, 500)]


def test_out_of_range_but_readable_coordinates_are_clamped_not_flagged():
    raw = "<|ref|>text<|/ref|><|det|>[[-5, 20, 123456, 30]]<|/det|>\nx"
    assert parse_blocks(raw) == [Block("text", (Box(0, 20, 999, 30),), "x")]
    assert unreadable_blocks(raw) == 0


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def test_streaming_is_linear_in_the_number_of_blocks():
    run = "<|ref|>text<|/ref|><|det|>[[100, 150, 900, 400]]<|/det|>\nsome words here\n\n"
    small, large = run * 100, run * 1000
    t_small = min(_timed(_stream, small) for _ in range(3))
    t_large = _timed(_stream, large)
    assert len(_stream(large)) == 1000
    # 10x the text: linear is ~10x; the old parser re-read the whole text per block (~100x, 49 s).
    assert t_large < max(30 * t_small, 0.5), (t_small, t_large)


def test_many_end_markers_are_linear():
    eos = "<｜end▁of▁sentence｜>"
    det = "<|/det|>"
    for marker in (eos, det):
        small = "<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nx" + marker * 10_000
        large = "<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nx" + marker * 100_000
        t_small = min(_timed(parse_blocks, small) for _ in range(3))
        t_large = _timed(parse_blocks, large)
        assert t_large < max(30 * t_small, 0.5), (marker, t_small, t_large)
        t_small = min(_timed(_stream, small, len(marker)) for _ in range(3))
        t_large = _timed(_stream, large, len(marker))
        assert t_large < max(30 * t_small, 0.5), (marker, t_small, t_large)
    assert strip_eos("x" + eos * 100_000) == "x"


class _Reads:
    """A compiled pattern that counts the characters it is given to read."""

    def __init__(self, pattern):
        self.pattern, self.chars = pattern, 0

    def match(self, text, *args):
        self.chars += len(text)
        return self.pattern.match(text, *args)

    def fullmatch(self, text, *args):
        self.chars += len(text)
        return self.pattern.fullmatch(text, *args)

    def __getattr__(self, name):
        return getattr(self.pattern, name)


@pytest.mark.parametrize(
    "runaway",
    [
        "<|ref|>" + "word " * 12_000,  # a label that never ends (a looping model)
        "<|ref|>text<|/ref|><|det|>[[1, 2, " + "9" * 60_000,  # a box list that never ends
        "<|ref|>text<|/ref|>  " + " " * 60_000,
    ],
    ids=["label", "boxes", "spaces"],
)
def test_a_run_that_never_ends_is_read_a_bounded_number_of_times_while_streaming(runaway, monkeypatch):
    """The streaming parser read the whole unfinished run again for every token (a 64 KB label streamed
    one character at a time: 2 * 10^9 characters read, 13 s); it reads it again only near a "<"."""
    import desktop_ocr.engine.grounding as grounding

    readers = [_Reads(grounding._BLOCK_RE)]
    monkeypatch.setattr(grounding, "_BLOCK_RE", readers[0])
    if hasattr(grounding, "_RUN_START_RE"):
        readers.append(_Reads(grounding._RUN_START_RE))
        monkeypatch.setattr(grounding, "_RUN_START_RE", readers[1])
    text = runaway + "\n\n<|ref|>text<|/ref|><|det|>[[100, 420, 900, 500]]<|/det|>\nThe end.\n"
    got = _stream(text)
    assert [b.text for b in got] == [b.text for b in parse_blocks(text)]
    assert got[-1].text == "The end."
    assert sum(r.chars for r in readers) < 50 * len(text)
