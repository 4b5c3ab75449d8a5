"""Hostile model output through the real engine (issue 12, item 9): one page's unreadable box fails
neither its batch nor its other blocks (both pages of the batch carry one; before, every page failed)."""

from __future__ import annotations

import pytest
from PIL import Image

from desktop_ocr.engine.base import PageFailure, PageInput, ReadOptions
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult

pytestmark = pytest.mark.torch

#: A 401-digit coordinate ("@" is a digit that depends on the page); varied digits, so that the engine's
#: repetition ban leaves them alone.
DIGITS = str(3**900)[:400]
SCRIPT = (
    "<|ref|>title<|/ref|><|det|>[[100, 50, 900, 120]]<|/det|>\n# Title\n\n"
    "<|ref|>text<|/ref|><|det|>[[@" + DIGITS + ", 150, 900, 400]]<|/det|>\nMiddle words.\n\n"
    "<|ref|>text<|/ref|><|det|>[[100, 820, 900, 950]]<|/det|>\nThe end."
)


def test_a_400_digit_coordinate_fails_no_page_of_the_batch(tmp_path, tokenizer_json, make_checkpoint):
    # tests/engine/conftest.py's writer (a plain "from conftest import" finds whichever conftest
    # module the whole suite imported last)
    write_checkpoint = make_checkpoint.__globals__["write_checkpoint"]

    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    folder = write_checkpoint(tmp_path / "ckpt", tokenizer_json, script=SCRIPT)
    engine = DeepSeekOCREngine(folder, trust_remote_code=True, batch_size=2)
    engine.load()
    pages = [
        PageInput("white", Image.new("RGB", (640, 640), "white"), ReadOptions()),
        PageInput("black", Image.new("RGB", (640, 640), "black"), ReadOptions()),
    ]
    streamed: list[tuple[str, object]] = []
    results = engine.read(pages, on_block=lambda key, block: streamed.append((key, block)))
    assert not any(isinstance(r, PageFailure) for r in results), results
    white, black = results
    assert isinstance(white, PageResult) and isinstance(black, PageResult)
    assert "9" + DIGITS in white.raw and "0" + DIGITS in black.raw
    for page in (white, black):
        assert [b.boxes for b in page.blocks] == [(Box(100, 50, 900, 120),), (), (Box(100, 820, 900, 950),)]
        assert [b.text for b in page.blocks] == ["# Title", "Middle words.", "The end."]
        assert page.extra["unreadable_boxes"] == 1
    assert [b for k, b in streamed if k == "white"] == list(white.blocks)
    assert [b for k, b in streamed if k == "black"] == list(black.blocks)
