"""GPU checks of the DeepSeek-OCR path: accel.py without host syncs, and token fidelity against infer().

Skipped without CUDA. The fidelity test also needs the model's remote code, which never enters this
repository: point ``DESKTOP_OCR_REMOTE_CODE`` at a folder holding it (``*.py`` and ``config.json``).
Random weights are built once into ``DESKTOP_OCR_RANDOM_WEIGHTS`` (default /tmp/dsocr-random, 6.7 GB).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from moe_standin import Model  # noqa: E402

from desktop_ocr.engine.deepseek import accel  # noqa: E402

pytestmark = [pytest.mark.gpu, pytest.mark.torch]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("tokens", [1, 8, 64, 256])
def test_accel_moe_has_no_host_sync_and_matches_in_bf16(tokens: int) -> None:
    torch.manual_seed(tokens)
    model = Model().cuda().to(torch.bfloat16).eval()
    x = torch.randn(1, tokens, 32, device="cuda", dtype=torch.bfloat16)
    moe = model.layers[0]
    with torch.no_grad():
        idx, w = moe.gate(x)
        flat = x.reshape(-1, 32)
        expected = moe.moe_infer(flat, idx, w)
        accel.apply(model)
        torch.cuda.synchronize()
        torch.cuda.set_sync_debug_mode("error")  # any device-to-host copy in the patched path raises
        try:
            got = moe.moe_infer(flat, idx, w)
        finally:
            torch.cuda.set_sync_debug_mode("default")
    torch.testing.assert_close(got.float(), expected.float(), rtol=2e-2, atol=2e-2)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DESKTOP_OCR_REMOTE_CODE"), reason="set DESKTOP_OCR_REMOTE_CODE to the remote code"
)
def test_engine_generates_the_same_ids_as_infer(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import fidelity_check

    weights = os.environ.get("DESKTOP_OCR_RANDOM_WEIGHTS", "/tmp/dsocr-random")
    rc = fidelity_check.main(
        [
            "--remote-code",
            os.environ["DESKTOP_OCR_REMOTE_CODE"],
            "--weights",
            weights,
            "--modes",
            "base,gundam",
            "--pages",
            "1",
            "--max-new-tokens",
            "32",
            "--dtypes",
            "",
            "--out-dir",
            str(tmp_path),
        ]
    )
    assert rc == 0, (tmp_path / "fidelity.md").read_text()


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DESKTOP_OCR_REMOTE_CODE"), reason="set DESKTOP_OCR_REMOTE_CODE to the remote code"
)
def test_batched_pages_keep_their_alone_ids_exact_and_invariant(tmp_path: Path) -> None:
    """bf16, full-size random weights: a page read in batches of 2 and 4 (companions of other pages,
    modes and caps) gets the ids it gets alone with the exact default and with the invariant
    ("fastest") decoder, with teacher-forced logits equal bit for bit; the exact default's ids are
    ``infer()``'s too (H200, round five: 12/12 and 16/16)."""
    import json

    sys.path.insert(0, str(ROOT / "scripts"))
    import fidelity_check

    weights = os.environ.get("DESKTOP_OCR_RANDOM_WEIGHTS", "/tmp/dsocr-random")
    rc = fidelity_check.main(
        [
            "--remote-code",
            os.environ["DESKTOP_OCR_REMOTE_CODE"],
            "--weights",
            weights,
            "--modes",
            "base,gundam",
            "--pages",
            "1",
            "--max-new-tokens",
            "64",
            "--dtypes",
            "",
            "--no-accel",
            "--batches",
            "2,4",
            "--batch-dtypes",
            "bf16",
            "--batch-variants",
            "default,invariant",
            "--fp32-variants",
            "",
            "--batch-targets",
            "1",
            "--teacher-forced",
            "--out-dir",
            str(tmp_path),
        ]
    )
    assert rc == 0
    rows = json.loads((tmp_path / "fidelity.json").read_text())["fast_batches"]
    assert rows and all(r["equal_alone"] for r in rows), rows
    assert all(r.get("tf_max_logit_diff") in (None, 0.0) for r in rows), rows
    assert all(r["equal_infer"] for r in rows if r["variant"] == "default"), rows


def test_kernels_address_a_slot_cache_past_two_gigaelements() -> None:
    """A slot cache of 8,192 positions x 1,280 passes 2**31 elements at 205 slots (the settings allow
    256): the attention and the rotary cache write computed ``row * slot_stride`` in int32, which
    wrapped to an address outside the cache (an illegal memory access at 512 slots on the H200)."""
    pytest.importorskip("triton")
    from desktop_ocr.engine.deepseek.decode_attention import attend
    from desktop_ocr.engine.deepseek.fused import Fused

    rows, heads, d = 3, 1, 128
    positions = 2**31 // (heads * d) * 3 // 4  # the last row starts at 1.5 x 2**31 elements
    gen = torch.Generator(device="cuda").manual_seed(0)
    keys = torch.empty((rows, heads, positions, d), dtype=torch.bfloat16, device="cuda")
    values = torch.empty_like(keys)
    n = 7
    keys[:, :, :n].copy_(torch.randn(rows, heads, n, d, device="cuda", generator=gen).to(torch.bfloat16))
    values[:, :, :n].copy_(torch.randn(rows, heads, n, d, device="cuda", generator=gen).to(torch.bfloat16))
    q = torch.randn(rows, heads, 1, d, device="cuda", generator=gen).to(torch.bfloat16)
    lengths = torch.full((rows,), n, dtype=torch.int32, device="cuda")
    out = attend(q, keys, values, lengths, torch.empty_like(q))
    torch.cuda.synchronize()
    for r in range(rows):
        k, v = keys[r : r + 1, :, :n].float(), values[r : r + 1, :, :n].float()
        w = torch.softmax(q[r : r + 1].float() @ k.transpose(-1, -2) / d**0.5, dim=-1)
        torch.testing.assert_close(out[r : r + 1].float(), w @ v, rtol=3e-2, atol=3e-2)

    # The rotary write puts row r's k and v at (slot r, pos[r]).
    proj = [
        torch.randn(rows, 1, heads * d, device="cuda", generator=gen).to(torch.bfloat16) for _ in range(3)
    ]
    cos = torch.ones(rows, 1, d, device="cuda", dtype=torch.bfloat16)
    sin = torch.zeros_like(cos)
    pos = torch.tensor([3, 5, positions - 1], dtype=torch.int64, device="cuda")
    qo = Fused().rope_write(*proj, cos, sin, pos, keys, values, heads)
    torch.cuda.synchronize()
    for r in range(rows):
        p = int(pos[r])
        assert torch.equal(keys[r, 0, p], proj[1][r, 0]) and torch.equal(values[r, 0, p], proj[2][r, 0])
    assert torch.equal(qo[:, 0, 0], proj[0][:, 0])


@pytest.mark.skipif(
    not os.environ.get("DESKTOP_OCR_REMOTE_CODE"), reason="set DESKTOP_OCR_REMOTE_CODE to the remote code"
)
@pytest.mark.parametrize("invariant", [False, True])
@pytest.mark.parametrize("ban", [{"ngram": (20, 90)}, {"hf_no_repeat_ngram_size": 3}])
def test_pipelined_steps_on_cuda_graphs_give_the_ids_of_steps_read_one_by_one(
    tmp_path: Path, invariant: bool, ban: dict
) -> None:
    """bf16 on CUDA with graphs (static outputs overwritten by the next replay, pinned copies, events):
    pages through 4 slots, some ending on their end-of-text id mid-batch while a step for them is in
    flight, get the ids, probabilities and ends of steps read one at a time, with the exact default
    and with the invariant decoder."""
    from PIL import Image

    sys.path.insert(0, str(ROOT / "scripts"))
    import dsocr_checkpoint as ckpt

    from desktop_ocr.engine.base import ReadOptions
    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.generation import PageRequest
    from desktop_ocr.engine.deepseek.loader import load_model
    from desktop_ocr.model.result import Completion

    folder = ckpt.ensure_checkpoint(
        Path(os.environ["DESKTOP_OCR_REMOTE_CODE"]), tmp_path, tiny=True, device="cuda"
    )
    lm = load_model(folder, device="cuda", dtype=torch.bfloat16, trust_remote_code=True)
    prompt = ReadOptions().prompt_text()
    caps = [9, 25, 5, 14, 11, 20, 40, 3, 30]
    colours = ["white", "black", (90, 140, 200), (200, 30, 30)]
    reqs = [
        PageRequest(Image.new("RGB", (300 + 40 * i, 420), colours[i % 4]), prompt, "tiny", cap)
        for i, cap in enumerate(caps)
    ]
    dec = fastdecode.create_decoder(lm.model, 4, 600, invariant=invariant)
    assert dec is not None and dec.graphs
    kw = dict(version=lm.version, **ban)
    plain = fastdecode.run_pages(dec, lm.tokenizer, reqs, pipeline=False, **kw)
    eos = plain[1].token_ids[3]
    want = fastdecode.run_pages(dec, lm.tokenizer, reqs, pipeline=False, eos_id=eos, **kw)
    assert any(w.completion is Completion.COMPLETE and len(w.token_ids) < c for w, c in zip(want, caps))
    got = fastdecode.run_pages(dec, lm.tokenizer, reqs, pipeline=True, eos_id=eos, **kw)
    assert dec.graphs  # no capture fell back to eager steps
    assert [g.token_ids for g in got] == [w.token_ids for w in want]
    assert [g.completion for g in got] == [w.completion for w in want]
    for g, w in zip(got, want):
        assert g.token_probs == pytest.approx(w.token_probs, abs=1e-6)
