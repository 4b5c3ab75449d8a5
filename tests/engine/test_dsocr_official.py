"""scripts/dsocr_official.py: infer() driven in float32, and its raw logits recorded without changing its ids."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import dsocr_official as official  # noqa: E402


class _Model:
    def __init__(self, dtype):
        self.dtype = dtype
        self.device = torch.device("cpu")


def test_float32_infer_turns_infers_autocast_off_and_feeds_its_bf16_pixels_as_float32():
    pixels = torch.tensor([0.1, -0.7, 0.33]).to(torch.bfloat16)  # what infer() makes with .to(torch.bfloat16)
    model = _Model(torch.float32)
    original = torch.autocast
    # cuda_shim (CPU runs) first, as run_infer enters them: .cuda() then goes to the model's device.
    with official.cuda_shim(model), official.float32_infer(model):
        with torch.autocast("cpu", dtype=torch.bfloat16):  # infer()'s autocast, spelled for the CPU
            assert not torch.is_autocast_enabled("cpu")
            x = torch.ones(2, 3)
            assert (x @ x.t()).dtype == torch.float32
        moved = pixels.cuda()
        assert moved.dtype == torch.float32
        assert torch.equal(moved, pixels.float())  # the same rounded values
        assert torch.ones(2, dtype=torch.long).cuda().dtype == torch.long
    assert torch.autocast is original


def test_float32_infer_leaves_a_bf16_model_as_infer_runs_it():
    with official.float32_infer(_Model(torch.bfloat16)), torch.autocast("cpu", dtype=torch.bfloat16):
        assert torch.is_autocast_enabled("cpu")


def test_recorded_logits_are_each_steps_raw_logits_and_the_ids_are_unchanged():
    config = transformers.GPT2Config(n_layer=1, n_embd=16, n_head=2, vocab_size=61, n_positions=64)
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(config).eval()
    prompt = torch.tensor([[3, 14, 15, 9]])
    kw = {"max_new_tokens": 7, "do_sample": False, "pad_token_id": 0}
    plain = model.generate(prompt, **kw)
    calls: list = []
    with official.recording_generate(model, calls, logits=True):
        got = model.generate(prompt, **kw)
    assert isinstance(got, torch.Tensor) and torch.equal(got, plain)  # the caller sees what it asked for
    (call,) = calls
    assert call.logits.shape == (7, 61) and call.logits.dtype == torch.float32
    assert call.logits.argmax(-1).tolist() == call.new_ids[0]  # greedy, no processors: the raw logits
    with torch.no_grad():
        first = model(prompt).logits[0, -1].float()
    assert torch.allclose(call.logits[0], first)
