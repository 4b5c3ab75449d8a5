"""accel.py on a stand-in MoE with the remote code's module contract: same outputs, undo, last-position logits."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from moe_standin import Model  # noqa: E402

from desktop_ocr.engine.deepseek import accel  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("tokens", [1, 5, 40, 700])
def test_patched_moe_matches_reference_on_every_path(tokens: int) -> None:
    torch.manual_seed(tokens)
    model = Model().eval()
    x = torch.randn(1, tokens, 32)
    moe = model.layers[0]
    expected = moe(x)
    handle = accel.apply(model, dense_max_tokens=512, gather_max_pairs=48)
    assert handle.moe_layers == 2
    got = moe(x)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-4)


def test_weights_are_shared_views_and_remove_restores() -> None:
    torch.manual_seed(0)
    model = Model().eval()
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    x = torch.randn(2, 3, 32)
    with torch.no_grad():
        ref = model(x)
    handle = accel.apply(model)
    assert accel.is_applied(model)
    assert accel.apply(model) is handle  # idempotent
    for n, p in model.named_parameters():
        torch.testing.assert_close(p, before[n], rtol=0, atol=0)
    handle.remove()
    assert not accel.is_applied(model)
    assert all("moe_infer" not in m.__dict__ for m in model.layers)
    with torch.no_grad():
        torch.testing.assert_close(model(x), ref, rtol=0, atol=0)


def test_last_position_logits_without_grad_only() -> None:
    torch.manual_seed(1)
    model = Model().eval()
    h = torch.randn(2, 6, 32)
    full = model.lm_head(h)  # grad enabled: untouched
    accel.apply(model, moe=False)
    assert model.lm_head(h).shape == (2, 6, 50)
    with torch.no_grad():
        last = model.lm_head(h)
    assert last.shape == (2, 1, 50)
    torch.testing.assert_close(last[:, 0], full[:, -1].detach())
