"""Decode attention over each row's own cache length (one query token per row), as a Triton kernel.

Public API: :func:`available`, :func:`attend`.

The padded-window step attends every row over the longest row's window, so a batch of pages of mixed
lengths reads the KV cache of its longest page for every row (61 KB per position per row), and a
page's rounding depends on its neighbours' lengths. Here each (row, head) program reads only that
row's positions ``0..lengths[row]-1``, so a step's cost follows the positions actually written and a
row's result does not depend on the other rows or on any window. The arithmetic follows the eager
attention's roundings (bf16 scores, divided by sqrt(head_dim) in bf16, float32 softmax, bf16 weights,
float32 accumulation of weights x values, one rounding at the end) in two passes (max and sum, then
the weighted values), so it agrees with the eager form except where a float32 sum taken in another
order rounds across a bf16 boundary. Lengths are read on the device: the kernel can sit inside a CUDA
graph whose rows change lengths at every replay.
"""

from __future__ import annotations

from typing import Any

_KERNEL: Any = None


def available(device: Any, dtype: Any) -> bool:
    """Whether :func:`attend` can run for tensors on ``device`` in ``dtype`` (CUDA, Triton importable)."""
    import os

    import torch

    # On the CPU only under Triton's interpreter (TRITON_INTERPRET=1: the tests run the kernel there).
    cpu_ok = os.environ.get("TRITON_INTERPRET") == "1" and torch.device(device).type == "cpu"
    if (torch.device(device).type != "cuda" and not cpu_ok) or dtype not in (
        torch.bfloat16,
        torch.float16,
        torch.float32,
    ):
        return False
    try:
        _kernel()
    except Exception:
        return False
    return True


def _kernel() -> Any:
    global _KERNEL
    if _KERNEL is not None:
        return _KERNEL
    import triton
    import triton.language as tl

    @triton.jit
    def decode_attn(
        q_ptr,
        k_ptr,
        v_ptr,
        len_ptr,
        o_ptr,
        s_qb,
        s_qh,
        s_kb,
        s_kh,
        s_kt,
        s_ob,
        s_oh,
        inv_scale,
        D: tl.constexpr,
        BLOCK: tl.constexpr,
        ROUND: tl.constexpr,
    ):
        # int64: a slot cache passes 2**31 elements (8,192 positions x 1,280 at 205 slots), and
        # row * s_kb in int32 then wraps to an address outside it.
        row = tl.program_id(0).to(tl.int64)
        head = tl.program_id(1).to(tl.int64)
        n = tl.load(len_ptr + row)
        d = tl.arange(0, D)
        q = tl.load(q_ptr + row * s_qb + head * s_qh + d).to(tl.float32)
        kbase = k_ptr + row * s_kb + head * s_kh
        vbase = v_ptr + row * s_kb + head * s_kh
        # Pass 1: the row's largest score and the softmax denominator.
        m = tl.full((), float("-inf"), tl.float32)
        total = tl.full((), 0.0, tl.float32)
        for start in range(0, n, BLOCK):
            t = start + tl.arange(0, BLOCK)
            live = t < n
            k = tl.load(kbase + t[:, None] * s_kt + d[None, :], mask=live[:, None], other=0.0).to(tl.float32)
            s = tl.sum(k * q[None, :], axis=1)
            if ROUND:
                s = (s.to(tl.bfloat16).to(tl.float32) / inv_scale).to(tl.bfloat16).to(tl.float32)
            else:
                s = s / inv_scale
            s = tl.where(live, s, float("-inf"))
            m_new = tl.maximum(m, tl.max(s, axis=0))
            total = total * tl.exp(m - m_new) + tl.sum(tl.exp(s - m_new), axis=0)
            m = m_new
        # Pass 2: weights (rounded as the eager form rounds them) times values.
        acc = tl.zeros((D,), tl.float32)
        for start in range(0, n, BLOCK):
            t = start + tl.arange(0, BLOCK)
            live = t < n
            k = tl.load(kbase + t[:, None] * s_kt + d[None, :], mask=live[:, None], other=0.0).to(tl.float32)
            s = tl.sum(k * q[None, :], axis=1)
            if ROUND:
                s = (s.to(tl.bfloat16).to(tl.float32) / inv_scale).to(tl.bfloat16).to(tl.float32)
            else:
                s = s / inv_scale
            w = tl.where(live, tl.exp(s - m) / total, 0.0)
            if ROUND:
                w = w.to(tl.bfloat16).to(tl.float32)
            v = tl.load(vbase + t[:, None] * s_kt + d[None, :], mask=live[:, None], other=0.0).to(tl.float32)
            acc += tl.sum(w[:, None] * v, axis=0)
        tl.store(o_ptr + row * s_ob + head * s_oh + d, acc.to(o_ptr.dtype.element_ty))

    _KERNEL = decode_attn
    return _KERNEL


def attend(q: Any, keys: Any, values: Any, lengths: Any, out: Any, block: int = 64) -> Any:
    """``out[b, h, 0] = softmax(q k^T / sqrt(d)) v`` over positions ``0..lengths[b]-1`` of each row.

    ``q`` [B, H, 1, D]; ``keys``/``values`` [B, H, T, D] (a slot cache, same strides); ``lengths`` [B]
    (int, on the device); ``out`` [B, H, 1, D]. Returns ``out``.
    """
    import math

    import torch

    kernel = _kernel()
    b, h, _, d = q.shape
    assert keys.stride() == values.stride() and keys.stride(-1) == 1 and q.stride(-1) == 1
    kernel[(b, h)](
        q,
        keys,
        values,
        lengths,
        out,
        q.stride(0),
        q.stride(1),
        keys.stride(0),
        keys.stride(1),
        keys.stride(2),
        out.stride(0),
        out.stride(1),
        math.sqrt(d),
        D=d,
        BLOCK=block,
        ROUND=q.dtype == torch.bfloat16,
    )
    return out
