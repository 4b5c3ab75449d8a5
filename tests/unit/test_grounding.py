"""Grounded DeepSeek-OCR output: blocks, boxes, Markdown clean-up, streaming, truncation."""

from __future__ import annotations

import random

from desktop_ocr.engine.grounding import (
    EOS_TEXT,
    StreamingBlockParser,
    figure_crops,
    parse_blocks,
    parse_boxes,
    to_markdown,
)
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

PAGE = (
    "<|ref|>title<|/ref|><|det|>[[100, 50, 900, 120]]<|/det|>\n# A Title\n\n"
    "<|ref|>text<|/ref|><|det|>[[100, 150, 900, 400]]<|/det|>\nWe set \\(a \\coloneqq b\\) and \\(c \\eqqcolon d\\).\n\n\n\n"
    "<|ref|>image<|/ref|><|det|>[[100, 420, 500, 600], [520, 420, 900, 600]]<|/det|>\n\n"
    "<|ref|>image_caption<|/ref|><|det|>[[100, 610, 900, 640]]<|/det|>\nFigure 1: two panels.\n\n"
    "<|ref|>table<|/ref|><|det|>[[100, 650, 900, 800]]<|/det|>\n<table><tr><td>1</td><td>2</td></tr></table>\n\n"
    "<|ref|>image<|/ref|><|det|>[[100, 810, 400, 990]]<|/det|>\n\n"
    "<|ref|>equation<|/ref|><|det|>[[500, 810, 900, 900]]<|/det|>\n\\[ x^2 \\]" + EOS_TEXT
)


def test_blocks_labels_boxes_and_order():
    blocks = parse_blocks(PAGE)
    assert [b.label for b in blocks] == [
        "title",
        "text",
        "image",
        "image_caption",
        "table",
        "image",
        "equation",
    ]
    assert blocks[0] == Block("title", (Box(100, 50, 900, 120),), "# A Title")
    assert blocks[1].text == "We set \\(a := b\\) and \\(c =: d\\)."
    assert blocks[2].boxes == (Box(100, 420, 500, 600), Box(520, 420, 900, 600))
    assert blocks[2].text == "![](figure:1)\n![](figure:2)"
    assert blocks[5].text == "![](figure:3)"
    assert blocks[4].text == "<table><tr><td>1</td><td>2</td></tr></table>"
    assert blocks[6].text == "\\[ x^2 \\]"  # EOS dropped


def test_markdown_cleanup_and_figure_numbering():
    md = to_markdown(PAGE)
    assert "<|ref|>" not in md and "<|det|>" not in md and EOS_TEXT not in md
    assert md.startswith(
        "# A Title\n\nWe set \\(a := b\\) and \\(c =: d\\).\n\n![](figure:1)\n![](figure:2)\n"
    )
    assert "\n\n\n" not in md
    assert "<table><tr><td>1</td><td>2</td></tr></table>" in md
    assert md.count("![](figure:") == 3 and "![](figure:3)" in md
    assert md.endswith("\\[ x^2 \\]")
    # figure:N refers to PageResult.figures[N - 1]
    result = PageResult(blocks=tuple(parse_blocks(PAGE)), raw=PAGE, markdown=md)
    assert result.figures == [Box(100, 420, 500, 600), Box(520, 420, 900, 600), Box(100, 810, 400, 990)]


def test_boxes_clamped_inverted_and_safe():
    assert parse_boxes("[[-5, 20, 1200, 10]]") == (Box(0, 10, 999, 20),)
    assert parse_boxes("[[900, 900, 100, 100], [1.4, 2.6, 3, 4]]") == (
        Box(100, 100, 900, 900),
        Box(1, 3, 3, 4),
    )
    # Never evaluated: code in the payload is just text without boxes.
    assert parse_boxes("__import__('os').system('echo hi')") == ()
    assert parse_boxes("[[1, 2, 3]]") == ()  # three numbers are not a box
    blocks = parse_blocks("<|ref|>text<|/ref|><|det|>[[1, 2, 3], [4, 5, 6, 7]]<|/det|>\nhi")
    assert blocks == [Block("text", (Box(4, 5, 6, 7),), "hi")]


def test_truncated_output_keeps_what_is_complete():
    cut = PAGE[: PAGE.index("<|ref|>table") + len("<|ref|>table<|/ref|><|det|>[[100, 6")]
    blocks = parse_blocks(cut)
    assert [b.label for b in blocks] == ["title", "text", "image", "image_caption"]
    md = to_markdown(cut)
    assert md.endswith("Figure 1: two panels.") and "<|" not in md and "[[100, 6" not in md
    # Cut inside the content of a complete block: the partial content is kept.
    cut2 = PAGE[: PAGE.index("two panels")]
    assert parse_blocks(cut2)[-1] == Block("image_caption", (Box(100, 610, 900, 640),), "Figure 1:")


def test_ungrounded_output():
    assert parse_blocks("Just text\n\n\n\nmore" + EOS_TEXT) == [Block("text", (), "Just text\n\nmore")]
    assert to_markdown("Just text\n\n\n\nmore" + EOS_TEXT) == "Just text\n\nmore"
    assert parse_blocks("") == [] and to_markdown("") == ""


def _chunks(text: str, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out, i = [], 0
    while i < len(text):
        n = rnd.randint(1, 12)
        out.append(text[i : i + n])
        i += n
    return out


def test_streaming_parser_matches_final_parse():
    for seed in range(20):
        parser = StreamingBlockParser()
        got: list[Block] = []
        seen_at: list[int] = []
        for k, chunk in enumerate(_chunks(PAGE, seed)):
            new = parser.feed(chunk)
            got.extend(new)
            seen_at.extend([k] * len(new))
        before_finish = len(got)
        got.extend(parser.finish())
        assert got == parse_blocks(PAGE)
        assert before_finish == 6  # all but the last block arrived while streaming
        assert seen_at == sorted(seen_at)


def test_streaming_parser_with_leading_text_and_truncation():
    text = (
        "Intro line\n<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nbody\n<|ref|>text<|/ref|><|det|>[[5, 6"
    )
    parser = StreamingBlockParser()
    got = []
    for chunk in _chunks(text, 3):
        got.extend(parser.feed(chunk))
    # The body block is complete only once the next run's boxes are: that run was cut off, so the
    # body block comes at the end of the stream.
    assert got == [Block("text", (), "Intro line")]
    assert parser.finish() == [Block("text", (Box(1, 2, 3, 4),), "body")]
    assert parse_blocks(text) == [*got, Block("text", (Box(1, 2, 3, 4),), "body")]


def test_figure_crops_follow_figure_numbers():
    from PIL import Image

    page = Image.new("RGB", (1000, 2000), "white")
    page.paste((255, 0, 0), (100, 840, 500, 1200))  # inside figure 1's box
    crops = figure_crops(page, parse_blocks(PAGE))
    assert [c.size for c in crops] == [(400, 361), (380, 361), (300, 360)]  # int(y / 999 * 2000)
    assert crops[0].getpixel((10, 10)) == (255, 0, 0) and crops[1].getpixel((10, 10)) == (255, 255, 255)
    degenerate = [Block("image", (Box(999, 999, 999, 999),), "")]
    assert [c.size for c in figure_crops(page, degenerate)] == [(1, 1)]


def test_stray_ref_tags_do_not_swallow_text():
    text = "Intro <|ref|>x<|/ref|> more text\n\n<|ref|>text<|/ref|><|det|>[[1, 2, 3, 4]]<|/det|>\nbody <|ref|>y<|/ref|> end"
    assert parse_blocks(text) == [
        Block("text", (), "Intro x more text"),
        Block("text", (Box(1, 2, 3, 4),), "body y end"),
    ]
    assert to_markdown(text) == "Intro x more text\n\nbody y end"
    assert to_markdown("No runs at all, <|ref|>just<|/ref|> a tag.") == "No runs at all, just a tag."
    # ...but a run cut off at the end is still dropped, at each stage of its tags.
    for tail in ("<|ref|>", "<|ref|>tab", "<|ref|>table<|/ref|>", "<|ref|>table<|/ref|><|det|>[[1, 2"):
        assert to_markdown("Done.\n" + tail) == "Done."
        assert parse_blocks("Done.\n" + tail) == [Block("text", (), "Done.")]
    parser = StreamingBlockParser()
    got = [b for chunk in _chunks(text, 5) for b in parser.feed(chunk)] + parser.finish()
    assert got == parse_blocks(text)
