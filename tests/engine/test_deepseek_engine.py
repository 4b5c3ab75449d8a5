"""The DeepSeek-OCR engine end to end on the CPU with the stand-in checkpoint (see conftest.py)."""

from __future__ import annotations

import re
import threading

import pytest
from PIL import Image

from desktop_ocr.engine.base import PageFailure, PageInput, ReadOptions
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Completion, PageResult

pytestmark = pytest.mark.torch


@pytest.fixture(scope="module")
def engine(standin_checkpoint):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True)
    eng.load()
    return eng


def _page(key, size=(640, 640), colour="white", **opts):
    return PageInput(key, Image.new("RGB", size, colour), ReadOptions(**opts))


def test_reads_a_page_with_streaming_and_blocks(engine):
    texts: list[str] = []
    events: list[tuple[str, object]] = []
    results = engine.read(
        [_page("p1")],
        on_text=lambda key, delta: (texts.append(delta), events.append(("text", key))),
        on_block=lambda key, block: events.append(("block", block)),
    )
    (res,) = results
    assert isinstance(res, PageResult)
    assert res.completion is Completion.COMPLETE
    assert "".join(texts) == res.raw
    assert res.raw.startswith("<|ref|>title<|/ref|><|det|>[[100, 50, 900, 120]]<|/det|>\n# Page 9\n")
    assert "<td>x</td><td>x</td>" in res.raw  # special tokens kept
    assert [b.label for b in res.blocks] == ["title", "text", "table", "image", "text"]
    assert res.blocks[3].boxes == (Box(100, 520, 500, 800), Box(520, 520, 900, 800))
    assert res.markdown.startswith("# Page 9\n\nSee \\(a := b\\) here.\n\n<table>")
    assert "![](figure:1)\n![](figure:2)" in res.markdown and res.markdown.endswith("The end.")
    # Blocks arrive while text streams: the first ones before the last text delta.
    streamed_blocks = [e[1] for e in events if e[0] == "block"]
    assert streamed_blocks == list(res.blocks)
    first_block = next(i for i, e in enumerate(events) if e[0] == "block")
    last_text = max(i for i, e in enumerate(events) if e[0] == "text")
    assert first_block < last_text
    # BOS, the image tokens, then the text after <image> as the tokenizer itself splits it
    backend = engine.loaded_model.tokenizer.backend_tokenizer
    after = backend.encode("\n<|grounding|>Convert the document to markdown.", add_special_tokens=False)
    assert 128820 in after.ids  # <|grounding|> is one special token
    assert res.prompt_tokens == 1 + 273 + len(after.ids)
    assert (
        res.generated_tokens
        == len(engine.loaded_model.tokenizer.encode(res.raw, add_special_tokens=False)) + 1
    )
    assert res.extra["image_tokens"] == 273 and res.width == 640


def test_remote_prints_go_to_the_log_not_stdout(engine, capsys, caplog):
    import logging

    with caplog.at_level(logging.DEBUG, logger="desktop_ocr.engine.deepseek"):
        engine.read([_page("quiet", max_new_tokens=2)])
    assert "BASE" not in capsys.readouterr().out
    assert any("BASE" in r.getMessage() for r in caplog.records)


def test_image_decides_the_text(engine):
    black, white = engine.read([_page("b", colour="black"), _page("w", colour="white")])
    assert "# Page 0" in black.raw and "# Page 9" in white.raw


def test_batched_equals_one_at_a_time(standin_checkpoint):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    pages = [
        _page("a4", size=(1240, 1754), colour=(250, 250, 250)),
        _page("small", size=(500, 300), colour=(20, 20, 20)),
        _page("land", size=(1754, 1240), colour=(120, 140, 160), mode="base"),
        _page("free", size=(900, 900), colour="white", prompt="free"),
    ]
    one = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, batch_size=1)
    one.load()
    many = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, batch_size=4)
    many.load()
    assert many.info.max_batch == 4
    singles = one.read(pages)
    batched = many.read(pages)
    assert [r.extra["batch_size"] for r in batched] == [4, 4, 4, 4]
    assert [r.raw for r in batched] == [r.raw for r in singles]
    assert [r.prompt_tokens for r in batched] == [r.prompt_tokens for r in singles]
    assert len({r.raw for r in singles}) > 1  # the pages really differ
    assert batched[0].extra["grid"] == [2, 3] and batched[0].extra["image_tokens"] == 903
    assert batched[2].extra["image_tokens"] == 273


def test_every_v1_mode_passes_the_models_token_check(engine):
    sizes = {"tiny": 73, "small": 111, "base": 273, "large": 421}
    pages = [_page(m, size=(1240, 1754), mode=m, max_new_tokens=3) for m in sizes]
    pages.append(_page("landscape", size=(1754, 1240), mode="gundam", max_new_tokens=3))
    results = engine.read(pages)
    assert all(isinstance(r, PageResult) for r in results), results
    assert [r.extra["image_tokens"] for r in results] == [*sizes.values(), 893]
    assert all(r.completion is Completion.INCOMPLETE and r.generated_tokens == 3 for r in results)


def test_unknown_mode_fails_only_that_page(engine):
    ok, bad = engine.read([_page("ok", max_new_tokens=2), _page("bad", mode="huge")])
    assert isinstance(ok, PageResult)
    assert isinstance(bad, PageFailure) and "Huge" in bad.message


def test_cancel_within_the_stream(engine):
    cancel = threading.Event()
    got: list[str] = []

    def on_text(key, delta):
        if key == "c1":
            got.append(delta)
            if len(got) == 5:
                cancel.set()

    res, later = engine.read([_page("c1"), _page("c2")], on_text=on_text, cancel=cancel)
    assert isinstance(res, PageResult) and res.completion is Completion.CANCELLED
    assert 5 <= res.generated_tokens <= 7 and res.raw == "".join(got)
    if engine.batch_size == 1:  # c2 was never started
        assert isinstance(later, PageFailure) and later.reason == "cancelled"
    else:  # c2 was read in the same batch and stopped with it
        assert isinstance(later, PageResult) and later.completion is Completion.CANCELLED
    # The engine still works afterwards.
    (again,) = engine.read([_page("c3", max_new_tokens=4)])
    assert again.completion is Completion.INCOMPLETE


def test_cancel_interrupts_a_long_prefill(make_checkpoint):
    import time

    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(make_checkpoint(prefill_delay=1.0), trust_remote_code=True)
    eng.load()
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    start = time.monotonic()
    timer.start()
    (res,) = eng.read([_page("slow")], cancel=cancel)
    elapsed = time.monotonic() - start
    timer.join()
    assert elapsed < 2.0  # the prefill alone takes 4 s
    assert (
        isinstance(res, PageResult) and res.completion is Completion.CANCELLED and res.generated_tokens == 0
    )


def test_token_cap_and_positions(engine):
    from desktop_ocr.engine.deepseek.generation import PageRequest, generate_pages, token_caps

    (res,) = engine.read([_page("cap", max_new_tokens=12)])
    assert res.completion is Completion.INCOMPLETE and res.generated_tokens == 12
    assert res.extra["possible_repetition"] is True and res.raw  # kept, marked
    # The cap never lets prompt + output pass the model's 8192 positions.
    assert token_caps([939, 300], [8192, 8192], 8192) == [8192 - 939, 8192 - 300]
    assert token_caps([939], [100], 8192) == [100]
    lm = engine.loaded_model
    prompt = "<image>\n<|grounding|>Convert the document to markdown. "
    big = Image.new("RGB", (1240, 1754), "white")
    (gen,) = generate_pages(lm.model, lm.tokenizer, [PageRequest(big, prompt)])
    assert gen.cap == 8192 - gen.prompt_tokens and gen.completion is Completion.COMPLETE
    (gen,) = generate_pages(
        lm.model, lm.tokenizer, [PageRequest(big, prompt)], max_positions=gen.prompt_tokens + 7
    )
    assert gen.cap == 7 and len(gen.token_ids) == 7 and gen.completion is Completion.INCOMPLETE


def test_ngram_ban_breaks_loops(make_checkpoint):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    folder = make_checkpoint(loop=True)
    plain = DeepSeekOCREngine(folder, trust_remote_code=True, ngram=None)
    plain.load()
    (looping,) = plain.read([_page("l", max_new_tokens=60)])
    assert looping.completion is Completion.INCOMPLETE and "~" not in looping.raw
    assert looping.raw.startswith("la la la la la")
    banned = DeepSeekOCREngine(folder, trust_remote_code=True, ngram=(6, 50))
    banned.load()
    (broken,) = banned.read([_page("l", max_new_tokens=60)])
    # The loop's first token that would repeat a 6-gram is banned: the fallback token comes there.
    tok = banned.loaded_model.tokenizer
    loop = tok.encode("la la la la ", add_special_tokens=False) * 10
    first = next(i for i in range(6, len(loop)) if _has_ngram(loop[:i], loop[i - 5 : i + 1]))
    assert broken.raw.startswith(tok.decode(loop[:first]) + "~")


def _has_ngram(seq: list[int], gram: list[int]) -> bool:
    n = len(gram)
    return any(seq[k : k + n] == gram for k in range(len(seq) - n + 1))


def test_init_patch_and_cuda_redirect_do_not_leak(standin_checkpoint):
    import torch
    from torch import nn

    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    linear, norm, cuda = nn.Linear.reset_parameters, nn.LayerNorm.reset_parameters, torch.Tensor.cuda
    seen: list[bool] = []
    eng = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True)
    eng.load()  # the stand-in patches at import time
    assert nn.Linear.reset_parameters is linear and nn.LayerNorm.reset_parameters is norm
    eng.read(
        [_page("x", max_new_tokens=3)],
        on_text=lambda k, d: seen.append(
            nn.Linear.reset_parameters is not linear and torch.Tensor.cuda is not cuda
        ),
    )
    if not torch.cuda.is_available():
        assert seen and all(seen)  # inside generate(): the remote code's patch and our redirect are active
    assert nn.Linear.reset_parameters is linear and nn.LayerNorm.reset_parameters is norm
    assert torch.Tensor.cuda is cuda


def test_without_the_redirect_the_remote_code_fails_on_cpu(engine):
    import torch

    if torch.cuda.is_available():
        pytest.skip("checks the failure the redirect prevents on machines without CUDA")
    from desktop_ocr.engine.deepseek.generation import prepare_batch

    lm = engine.loaded_model
    prompt = "<image>\nFree OCR. "
    batch = prepare_batch(lm.tokenizer, [_req(prompt)], "v1")
    images = [(p.crops_tensor.float(), p.global_tensor.float()) for p in batch.images]
    from desktop_ocr.engine.deepseek.runtime import preserve_torch_init

    # Called outside the engine, the stand-in's init patch would leak: keep it in this test.
    with preserve_torch_init(), pytest.raises((AssertionError, RuntimeError)):
        lm.model.generate(
            batch.input_ids,
            attention_mask=batch.attention_mask,
            images=images,
            images_seq_mask=batch.images_seq_mask,
            images_spatial_crop=batch.images_spatial_crop,
            max_new_tokens=2,
            pad_token_id=2,
        )


def _req(prompt):
    from desktop_ocr.engine.deepseek.generation import PageRequest

    return PageRequest(Image.new("RGB", (640, 640), "white"), prompt)


def test_oom_halves_the_batch_then_fails_single_pages_with_a_hint(make_checkpoint):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(make_checkpoint(oom_batch=2), trust_remote_code=True, batch_size=4)
    eng.load()
    results = eng.read([_page(f"p{i}", max_new_tokens=3) for i in range(3)])
    assert all(isinstance(r, PageResult) for r in results)
    assert eng.batch_size == 1 and eng.loaded

    eng = DeepSeekOCREngine(make_checkpoint(oom_batch=1), trust_remote_code=True)
    eng.load()
    (fail,) = eng.read([_page("g", mode="gundam")])
    assert isinstance(fail, PageFailure) and fail.reason == "oom"
    assert fail.retry_hint == {"mode": "base", "batch_size": 1}
    assert "GPU memory" in fail.message and "Base" in fail.message
    assert eng.loaded


def test_v2_checkpoint(make_checkpoint):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(make_checkpoint(version=2), trust_remote_code=True)
    eng.load()
    assert eng.version == "v2" and eng.info.title == "DeepSeek-OCR 2"
    assert eng.info.modes == ("base", "gundam")
    a4, square, base = eng.read(
        [
            _page("a4", size=(1240, 1754), max_new_tokens=4),
            _page("sq", size=(768, 768), max_new_tokens=4),
            _page("b", size=(1240, 1754), mode="base", max_new_tokens=4),
        ]
    )
    assert a4.extra["image_tokens"] == 1121 and a4.extra["grid"] == [2, 3]
    assert square.extra["image_tokens"] == 257 and base.extra["image_tokens"] == 257
    (tiny,) = eng.read([_page("t", mode="tiny")])
    assert isinstance(tiny, PageFailure)


def test_accel_only_on_cuda(standin_checkpoint):
    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, accel=True, device="cpu")
    eng.load()
    assert not accel.is_applied(eng.loaded_model.model)


def test_info_and_estimates(engine):
    info = engine.info
    assert info.name == "deepseek-ocr" and info.streams and info.grounded
    assert info.modes == ("tiny", "small", "base", "large", "gundam")
    assert "custom" in info.prompts and "locate" in info.prompts
    assert info.seconds_per_page_estimate > 0


def test_incremental_decoding_never_splits_characters(engine):
    from desktop_ocr.engine.deepseek.generation import _IncrementalDecoder

    tok = engine.loaded_model.tokenizer
    text = "Grüße, 你好 <td>x</td>\n<|ref|>title<|/ref|> ünd ∑ 龘䶵𠀀"
    ids = tok.encode(text, add_special_tokens=False)
    # byte-level BPE: rare characters take several tokens (龘 2, 䶵 3, 𠀀 4 with real merges)
    assert any(len(tok.encode(ch, add_special_tokens=False)) > 1 for ch in "龘䶵𠀀")
    dec = _IncrementalDecoder(tok)
    deltas = [dec.push(i) for i in ids]
    assert "".join(deltas) == text == tok.decode(ids, skip_special_tokens=False)
    assert not any("\ufffd" in d for d in deltas)


def test_token_probabilities_become_the_words_confidences(engine):
    """The stand-in's logits are 10 for its token, 5 for one other and 0 for every other id: each
    token is chosen with probability e^10 / (e^10 + e^5 + V - 2), so every word of the Markdown
    is as (un)sure as that."""
    import math

    (res,) = engine.read([_page("p1")])
    vocab = engine.loaded_model.model.config.vocab_size
    p = math.exp(10) / (math.exp(10) + math.exp(5) + vocab - 2)
    marked = [res.markdown[w.start : w.end] for w in res.words]
    # every word the model wrote; not the figure links, which the Markdown adds itself
    written = re.sub(r"!\[\]\(figure:\d\)", " ", res.markdown)
    assert marked == re.findall(r"[^\W_]+", written)
    assert "Page" in marked and "end" in marked
    assert {w.score for w in res.words} == {round(p, 3)}
    # and they are kept through the result's JSON
    assert PageResult.from_json(res.to_json()).words == res.words


def test_a_character_split_over_tokens_gets_the_least_sure_of_them(engine):
    from desktop_ocr.engine.deepseek.generation import token_pieces

    tok = engine.loaded_model.tokenizer
    head = tok.encode("a ", add_special_tokens=False)
    char = tok.encode("䶵", add_special_tokens=False)
    assert len(char) >= 2  # a rare character: its UTF-8 bytes take several tokens
    probs = [0.9] * len(head) + [0.7, 0.2] + [0.6] * (len(char) - 2)
    pieces = token_pieces(tok, head + char, probs)
    assert "".join(p for p, _ in pieces) == "a 䶵"
    assert pieces[-1] == ("䶵", 0.2) and all(score == 0.9 for _, score in pieces[:-1])
