"""The DeepSeek-OCR engine on a CUDA GPU with the stand-in checkpoint (skipped without CUDA)."""

from __future__ import annotations

import pytest
from PIL import Image

from desktop_ocr.engine.base import PageInput, ReadOptions
from desktop_ocr.model.result import Completion, PageResult

pytestmark = [pytest.mark.gpu, pytest.mark.torch]


def _page(key, size=(640, 640), colour="white", **opts):
    return PageInput(key, Image.new("RGB", size, colour), ReadOptions(**opts))


def test_loads_straight_into_half_precision_on_the_gpu(standin_checkpoint):
    import torch

    from desktop_ocr.engine.deepseek.loader import load_model

    lm = load_model(standin_checkpoint, trust_remote_code=True)
    expected = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    assert lm.device.type == "cuda" and lm.dtype == expected
    assert all(p.device.type == "cuda" and p.dtype == expected for p in lm.model.parameters())


def test_batched_equals_single_and_nothing_is_patched(standin_checkpoint):
    import torch

    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    cuda = torch.Tensor.cuda
    seen: list[bool] = []
    pages = [
        _page("a4", size=(1240, 1754), colour=(240, 240, 240)),
        _page("dark", size=(500, 300), colour=(20, 20, 20)),
        _page("base", size=(1754, 1240), mode="base"),
    ]
    auto = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, max_batch=8)
    auto.load()
    assert 1 <= auto.batch_size <= 8  # chosen from free GPU memory
    one = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, batch_size=1)
    one.load()
    many = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, batch_size=3)
    many.load()
    singles = one.read(pages)
    batched = many.read(pages, on_text=lambda k, d: seen.append(torch.Tensor.cuda is cuda))
    assert all(isinstance(r, PageResult) and r.completion is Completion.COMPLETE for r in batched)
    assert [r.raw for r in batched] == [r.raw for r in singles]
    assert seen and all(seen)  # no .cuda() redirect on a CUDA device
    assert batched[0].extra["image_tokens"] == 903


def test_ngram_ban_runs_without_host_sync():
    import torch

    from desktop_ocr.engine.deepseek.ngram import WindowedNGramBan

    proc = WindowedNGramBan(20, 50, prompt_length=100)
    ids = torch.randint(0, 50, (16, 400), device="cuda")
    ids[:, -40:-20] = ids[:, -20:]  # a repeat, so something is banned
    scores = torch.zeros((16, 129280), device="cuda")
    proc(ids, scores.clone())  # warm up (the whitelist tensor is built once)
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        out = proc(ids, scores)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert torch.isinf(out).any()


def test_accel_is_applied_on_request(standin_checkpoint):
    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    eng = DeepSeekOCREngine(standin_checkpoint, trust_remote_code=True, accel=True)
    eng.load()
    assert accel.is_applied(eng.loaded_model.model)
    (res,) = eng.read([_page("x")])
    assert isinstance(res, PageResult) and res.completion is Completion.COMPLETE
