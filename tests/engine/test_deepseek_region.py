"""Region reads and locate with the DeepSeek-OCR engine on the stand-in checkpoint (see conftest.py):
the cut goes through the engine's ordinary generation path, locate sends the official prompt."""

from __future__ import annotations

import pytest
from PIL import Image

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.engine.region import locate, read_region
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import PageResult

pytestmark = pytest.mark.torch

IMAGE_TOKEN_ID = 128815


def _engine(folder):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(folder, trust_remote_code=True)
    eng.load()
    return eng


def _record_generate(monkeypatch, model) -> list:
    """The input ids the model's own generate() receives (the model is third-party code)."""
    seen: list = []
    original = model.generate

    def generate(input_ids, *args, **kwargs):
        seen.append(input_ids.tolist())
        return original(input_ids, *args, **kwargs)

    monkeypatch.setattr(model, "generate", generate)
    return seen


def _checkpoint(make_checkpoint, tokenizer_json, folder, script):
    """A stand-in checkpoint answering ``script`` (written directly: the cached maker names its
    folder after the options, and a script's ``/`` cannot be in a folder name)."""
    write_checkpoint = make_checkpoint.__globals__["write_checkpoint"]
    return write_checkpoint(folder, tokenizer_json, script=script)


def _half_black_page() -> Image.Image:
    page = Image.new("RGB", (800, 600), "white")
    page.paste((0, 0, 0), (0, 0, 400, 600))
    return page


def test_region_read_goes_through_generation_and_maps_boxes(standin_checkpoint, monkeypatch):
    eng = _engine(standin_checkpoint)
    seen = _record_generate(monkeypatch, eng.loaded_model.model)
    page = _half_black_page()
    region = Box(0, 0, 499, 999)  # the black half
    res = read_region(eng, page, region, ReadOptions(mode="small"))
    assert isinstance(res, PageResult), res
    # the model saw the cut: a black image gives "Page 0" (a white one 9, the whole page ~4)
    assert "# Page 0" in res.markdown
    # ordinary generation: BOS + 111 image tokens (Small) + the document prompt
    (ids,) = seen
    tok = eng.loaded_model.tokenizer
    after = tok.encode("\n<|grounding|>Convert the document to markdown.", add_special_tokens=False)
    assert ids[0] == [0] + [IMAGE_TOKEN_ID] * 111 + after
    assert res.prompt_tokens == len(ids[0]) and res.extra["image_tokens"] == 111
    # boxes on the page: the stand-in's title box [100, 50, 900, 120] of the cut
    assert res.blocks[0].boxes == (Box.from_crop(Box(100, 50, 900, 120), region, 800, 600),)
    assert res.blocks[0].boxes[0].x2 <= 499
    assert (res.width, res.height) == (800, 600) and res.extra["region"] == region.as_list()


def test_locate_sends_the_official_prompt_and_returns_its_boxes(
    make_checkpoint, tokenizer_json, tmp_path, monkeypatch
):
    answer = "<|ref|>north pier<|/ref|><|det|>[[120, 340, 480, 390], [500, 700, 640, 730]]<|/det|>"
    eng = _engine(_checkpoint(make_checkpoint, tokenizer_json, tmp_path / "ck", answer))
    seen = _record_generate(monkeypatch, eng.loaded_model.model)
    boxes = locate(eng, _half_black_page(), "north  pier", mode="base")
    assert boxes == [Box(120, 340, 480, 390), Box(500, 700, 640, 730)]
    (ids,) = seen
    tok = eng.loaded_model.tokenizer
    # "<image>\nLocate <|ref|>TARGET<|/ref|> in the image. " as the model's plain template leaves it
    after = tok.encode("\nLocate <|ref|>north pier<|/ref|> in the image.", add_special_tokens=False)
    assert ids[0] == [0] + [IMAGE_TOKEN_ID] * 273 + after
    assert 128816 in after and 128817 in after  # <|ref|> and <|/ref|> are the special tokens
    assert tok.decode(ids[0][1 + 273 :], skip_special_tokens=False) == (
        "\nLocate <|ref|>north pier<|/ref|> in the image."
    )


def test_locate_with_no_boxes_in_the_answer_is_empty(make_checkpoint, tokenizer_json, tmp_path):
    eng = _engine(_checkpoint(make_checkpoint, tokenizer_json, tmp_path / "ck", "<|ref|>ghost<|/ref|>"))
    assert locate(eng, _half_black_page(), "ghost", mode="tiny") == []
