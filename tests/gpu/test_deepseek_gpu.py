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
