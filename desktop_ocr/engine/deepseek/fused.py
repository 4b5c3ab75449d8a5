"""Fused elementwise kernels (Triton) for the decode step that keep the remote code's arithmetic bit for bit.

Public API: :class:`Fused` (``Fused.create(device, dtype)`` -> an instance or None).

A decode step at batch 1 is bound by kernel count, not by bytes: about 750 kernels of ~3 us each. Two
groups of them are plain elementwise work whose every rounding can be reproduced exactly:

- the RMS norm (``DeepseekV2RMSNorm``: ``w * (x.float() * rsqrt(mean(x.float() ** 2) + eps)).to(bf16)``):
  8 kernels become 3 - one writing the float32 squares, torch's own ``mean`` over them (the same
  reduction kernel on the same shape, so the same sum order), one for the rest;
- the rotary embedding of q and k (``q * cos + rotate_half(q) * sin``, each product and the sum
  rounded to the model dtype as torch rounds them) together with the KV cache write of k and v:
  8 kernels become 1.

The products of two bf16 values are exact in float32, the conversions round to nearest even, and
``rsqrt`` is the same hardware instruction, so the results equal torch's - with Triton's default
contraction of a multiply and an add into one FMA turned off (``enable_fp_fusion=False``): the rotary's
``q * cos + rotate_half(q) * sin`` rounds each product to bf16 before the sum, an FMA does not (seen on
an H200 before this change: the fused rotary's q and k 1 bf16 step off torch's, v exact). That is checked on the
device when the decoder is made (:meth:`Fused.create` compares against the torch ops on random
inputs and returns None, with a log line, at the first differing bit).
"""

from __future__ import annotations

from typing import Any

from desktop_ocr.engine.deepseek.runtime import log

_KERNELS: dict[str, Any] = {}


def _kernels() -> dict[str, Any]:
    if _KERNELS:
        return _KERNELS
    import triton
    import triton.language as tl

    @triton.jit
    def square(x_ptr, out_ptr, n, BLOCK: tl.constexpr):
        i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
        live = i < n
        x = tl.load(x_ptr + i, mask=live, other=0.0).to(tl.float32)
        tl.store(out_ptr + i, x * x, mask=live)

    @triton.jit
    def norm_apply(x_ptr, var_ptr, w_ptr, out_ptr, hidden, eps, BLOCK: tl.constexpr):
        row = tl.program_id(0)
        i = tl.arange(0, BLOCK)
        live = i < hidden
        x = tl.load(x_ptr + row * hidden + i, mask=live, other=0.0).to(tl.float32)
        var = tl.load(var_ptr + row)
        y = (x * tl.math.rsqrt(var + eps)).to(out_ptr.dtype.element_ty).to(tl.float32)
        w = tl.load(w_ptr + i, mask=live, other=0.0).to(tl.float32)
        tl.store(out_ptr + row * hidden + i, (w * y).to(out_ptr.dtype.element_ty), mask=live)

    @triton.jit
    def rope_write(
        q_ptr,
        k_ptr,
        v_ptr,
        cos_ptr,
        sin_ptr,
        pos_ptr,
        qo_ptr,
        ck_ptr,
        cv_ptr,
        s_in,  # row stride of q/k/v ([b, 1, heads * d] projections)
        s_cb,  # cache strides: slot, head, position
        s_ch,
        s_ct,
        heads,
        D: tl.constexpr,
    ):
        row = tl.program_id(0).to(tl.int64)  # int64: the cache's offsets pass 2**31 (decode_attention)
        head = tl.program_id(1).to(tl.int64)
        half = D // 2
        d = tl.arange(0, D)
        partner = tl.where(d < half, d + half, d - half)
        sign = tl.where(d < half, -1.0, 1.0)
        base = row * s_in + head * D
        cos = tl.load(cos_ptr + row * D + d).to(tl.float32)
        sin = tl.load(sin_ptr + row * D + d).to(tl.float32)
        dt = qo_ptr.dtype.element_ty
        q = tl.load(q_ptr + base + d).to(tl.float32)
        qr = tl.load(q_ptr + base + partner).to(tl.float32) * sign
        qo = ((q * cos).to(dt).to(tl.float32) + (qr * sin).to(dt).to(tl.float32)).to(dt)
        tl.store(qo_ptr + (row * heads + head) * D + d, qo)
        k = tl.load(k_ptr + base + d).to(tl.float32)
        kr = tl.load(k_ptr + base + partner).to(tl.float32) * sign
        ko = ((k * cos).to(dt).to(tl.float32) + (kr * sin).to(dt).to(tl.float32)).to(dt)
        pos = tl.load(pos_ptr + row)
        at = row * s_cb + head * s_ch + pos * s_ct + d
        tl.store(ck_ptr + at, ko.to(ck_ptr.dtype.element_ty))
        tl.store(cv_ptr + at, tl.load(v_ptr + base + d).to(cv_ptr.dtype.element_ty))

    @triton.jit
    def norm_rows(x_ptr, w_ptr, out_ptr, hidden, eps, BLOCK: tl.constexpr):
        # One program per row, the mean of squares summed in one fixed order: a row's bits do not
        # depend on how many rows the launch has (torch's mean picks its threads per row by the row
        # count: 512 for one row, 256 for two, 128 for four...).
        row = tl.program_id(0)
        i = tl.arange(0, BLOCK)
        live = i < hidden
        x = tl.load(x_ptr + row * hidden + i, mask=live, other=0.0).to(tl.float32)
        var = tl.sum(x * x, axis=0) / hidden
        y = (x * tl.math.rsqrt(var + eps)).to(out_ptr.dtype.element_ty).to(tl.float32)
        w = tl.load(w_ptr + i, mask=live, other=0.0).to(tl.float32)
        tl.store(out_ptr + row * hidden + i, (w * y).to(out_ptr.dtype.element_ty), mask=live)

    _KERNELS.update(square=square, norm_apply=norm_apply, rope_write=rope_write, norm_rows=norm_rows)
    return _KERNELS


class Fused:
    """The fused kernels for one decoder (see the module docstring)."""

    #: Why the last :meth:`create` returned None ("" when it returned an instance).
    why_not: str = ""

    @classmethod
    def create(cls, norm: Any, rope_check: Any = None) -> Fused | None:
        """An instance when Triton runs here and its results equal torch's on random inputs, else None.

        ``norm``: one of the model's RMS norm modules (its weight's device and dtype are used).
        ``rope_check``: a callable (q, k, v, cos, sin) -> (q_rot, k_rot) doing the reference rotary.
        """
        import torch

        weight = norm.weight
        cls.why_not = ""
        if weight.device.type != "cuda" or weight.dtype != torch.bfloat16:
            cls.why_not = f"{weight.device.type} {weight.dtype} (needs CUDA and bfloat16)"
            return None
        try:
            fused = cls()
            gen = torch.Generator(device=weight.device).manual_seed(0)
            hidden = weight.shape[0]
            for scale in (0.02, 1.0, 30.0):
                x = (torch.randn(7, 1, hidden, device=weight.device, generator=gen) * scale).to(weight.dtype)
                got, ref = fused.rms_norm(norm, x), norm(x)
                alone = fused.rms_norm(norm, x, alone=True)
                rows = torch.cat([norm(x[r : r + 1]) for r in range(x.shape[0])])
                if not torch.equal(alone, rows):
                    got, ref = alone, rows
                if not torch.equal(got, ref):
                    diff = (got.float() - ref.float()).abs()
                    cls.why_not = (
                        f"fused RMS norm differs from torch's (scale {scale}: {int((diff > 0).sum())} of "
                        f"{diff.numel()} values, largest difference {float(diff.max()):.4g})"
                    )
                    log.info("fast decoder: %s; not used", cls.why_not)
                    return None
            if rope_check is not None and not rope_check(fused):
                cls.why_not = cls.why_not or "fused rotary + cache write differs from torch's"
                log.info("fast decoder: %s; not used", cls.why_not)
                return None
            return fused
        except Exception as exc:  # no Triton, no compiler, an unknown GPU
            cls.why_not = f"unavailable: {type(exc).__name__}: {exc}"[:500]
            log.info("fast decoder: fused kernels %s", cls.why_not)
            return None

    def __init__(self) -> None:
        self.k = _kernels()

    def rms_norm(self, norm: Any, x: Any, alone: bool = False) -> Any:
        """torch's RMS norm bit for bit; ``alone``: each row's mean taken by its own reduction, as
        for that row alone (torch's mean sums a row in another order when it has more rows)."""
        import torch
        import triton

        x = x.contiguous()
        hidden = x.shape[-1]
        sq = torch.empty(x.shape, dtype=torch.float32, device=x.device)
        n = x.numel()
        self.k["square"][(triton.cdiv(n, 1024),)](x, sq, n, BLOCK=1024)
        rows = n // hidden
        if alone and rows > 1:
            var = torch.empty((*x.shape[:-1], 1), dtype=torch.float32, device=x.device)
            flat_sq, flat_var = sq.view(rows, 1, hidden), var.view(rows, 1, 1)
            for r in range(rows):
                torch.mean(flat_sq[r : r + 1], -1, keepdim=True, out=flat_var[r : r + 1])
        else:
            var = sq.mean(-1, keepdim=True)
        out = torch.empty_like(x)
        self.k["norm_apply"][(rows,)](
            x,
            var,
            norm.weight,
            out,
            hidden,
            float(norm.variance_epsilon),
            BLOCK=triton.next_power_of_2(hidden),
            enable_fp_fusion=False,
        )
        return out

    def rms_norm_rows(self, norm: Any, x: Any) -> Any:
        """The RMS norm with one fixed reduction order per row (not torch's bits: see norm_rows)."""
        import torch
        import triton

        x = x.contiguous()
        hidden = x.shape[-1]
        out = torch.empty_like(x)
        self.k["norm_rows"][(x.numel() // hidden,)](
            x,
            norm.weight,
            out,
            hidden,
            float(norm.variance_epsilon),
            BLOCK=triton.next_power_of_2(hidden),
            enable_fp_fusion=False,
        )
        return out

    def rope_write(
        self, q: Any, k: Any, v: Any, cos: Any, sin: Any, pos: Any, cache_k: Any, cache_v: Any, heads: int
    ) -> Any:
        """q, k, v: the projections [b, 1, heads * d] (contiguous); cos, sin [b, 1, d]; pos [b].
        Writes the rotated k and v at (slot = row, pos) of the caches; returns the rotated q
        [b, heads, 1, d]."""
        import torch

        b = q.shape[0]
        d = q.shape[-1] // heads
        qo = torch.empty((b, heads, 1, d), dtype=q.dtype, device=q.device)
        self.k["rope_write"][(b, heads)](
            q,
            k,
            v,
            cos.contiguous(),
            sin.contiguous(),
            pos,
            qo,
            cache_k,
            cache_v,
            q.stride(0),
            cache_k.stride(0),
            cache_k.stride(1),
            cache_k.stride(2),
            heads,
            D=d,
            enable_fp_fusion=False,
        )
        return qo
