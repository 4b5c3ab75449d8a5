"""Run-time speed-ups for a loaded DeepSeek-OCR remote-code model, applied to that instance only.

Public API:

- :func:`apply` - patch a loaded model; returns an :class:`Accel` handle (``handle.remove()`` undoes it).
- :func:`is_applied` - whether a model carries the patches.

What it changes, and why (figures measured on one H100 are in ``benchmarks/results/``):

1. **MoE step without host syncs.** The remote code's ``DeepseekV2MoE.moe_infer`` copies the per-expert
   token counts to the host (``.cpu()``) in every MoE layer at every decoding step and then loops over
   up to 64 experts in Python (three small matmuls each). With few tokens (decoding: one per page in the
   batch) the patched ``moe_infer`` computes the routed experts with a handful of batched kernels and no
   sync: for very few (token, expert) pairs it gathers the chosen experts' weights and runs batched
   matrix-vector products; otherwise it runs every expert on every token in two large matmuls (the
   weights are read once either way) and keeps the chosen outputs. The experts' weights are stacked
   once into two tensors and the original ``nn.Linear`` weights become views of them (no extra memory).
   The mixing of the chosen experts' outputs is done exactly as the remote code does it (same order,
   float32 weights). Prefill (many tokens) keeps the original code path.
2. **Prefill logits for the last position only.** ``generate()`` uses only the last position's logits,
   but the remote ``forward`` projects every position to the 129280-word vocabulary and casts to float32:
   about 0.5 GB per page of a Gundam prompt, 30+ GB for a batch of 64. A forward pre-hook on
   ``lm_head`` feeds it only the last position while no gradients are recorded.

Only the matmul shapes differ from the original (cuBLAS may then round the last bit differently), so
greedy tokens can drift only where two logits are within rounding of each other; the GPU fidelity
script verifies the tokens against the unpatched model. Works for fp32, fp16 and bf16 models, with or
without autocast (as ``infer()`` uses it).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Above this many tokens in one MoE call (prefill), the original per-expert loop is used.
DEFAULT_DENSE_MAX_TOKENS = 512
#: Up to this many (token, expert) pairs, chosen experts' weights are gathered (batched GEMV).
DEFAULT_GATHER_MAX_PAIRS = 48

_ATTR = "_desktop_ocr_accel"


@dataclass
class Accel:
    """Handle of the patches applied to one model."""

    model: Any
    moe_layers: int = 0
    lm_head_hook: Any = None
    _undo: list[Callable[[], None]] = field(default_factory=list)

    def remove(self) -> None:
        """Undo the patches (stacked expert weights stay shared views; values are unchanged)."""
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()
        if self.lm_head_hook is not None:
            self.lm_head_hook.remove()
            self.lm_head_hook = None
        if getattr(self.model, _ATTR, None) is self:
            delattr(self.model, _ATTR)


def is_applied(model: Any) -> bool:
    return getattr(model, _ATTR, None) is not None


def _is_moe(module: Any) -> bool:
    return hasattr(module, "moe_infer") and hasattr(module, "experts") and hasattr(module, "gate")


def _stack_experts(moe: Any) -> tuple[Any, Any]:
    """Stack expert weights into w13 [E, 2I, H] (gate rows then up rows) and w2 [E, H, I]; re-point the experts."""
    import torch

    experts = list(moe.experts)
    first = experts[0]
    inter, hidden = first.gate_proj.weight.shape
    w13 = torch.empty(
        (len(experts), 2 * inter, hidden),
        dtype=first.gate_proj.weight.dtype,
        device=first.gate_proj.weight.device,
    )
    w2 = torch.empty(
        (len(experts), hidden, inter),
        dtype=first.down_proj.weight.dtype,
        device=first.down_proj.weight.device,
    )
    with torch.no_grad():
        for e, ex in enumerate(experts):
            w13[e, :inter].copy_(ex.gate_proj.weight)
            w13[e, inter:].copy_(ex.up_proj.weight)
            w2[e].copy_(ex.down_proj.weight)
            ex.gate_proj.weight.data = w13[e, :inter]
            ex.up_proj.weight.data = w13[e, inter:]
            ex.down_proj.weight.data = w2[e]
    return w13, w2


def _make_moe_infer(
    original: Callable[..., Any],
    w13: Any,
    w2: Any,
    act: Callable[[Any], Any],
    dense_max: int,
    gather_max: int,
) -> Callable[..., Any]:
    import torch

    n_exp, two_i, hidden = w13.shape
    inter = two_i // 2

    @torch.no_grad()
    def moe_infer(self: Any, x: Any, topk_ids: Any, topk_weight: Any) -> Any:
        tokens, k = topk_ids.shape
        if tokens > dense_max or getattr(self, "ep_size", 1) > 1:
            return original(x, topk_ids, topk_weight)
        if tokens * k <= gather_max:
            flat = topk_ids.reshape(-1)
            xs = x.repeat_interleave(k, dim=0).unsqueeze(-1)  # [P, H, 1]
            h = torch.bmm(w13[flat], xs).squeeze(-1)  # [P, 2I]
            mid = act(h[:, :inter]) * h[:, inter:]
            chosen = torch.bmm(w2[flat], mid.unsqueeze(-1)).squeeze(-1).view(tokens, k, -1)  # [T, k, H]
        else:
            h = torch.matmul(x, w13.view(n_exp * two_i, hidden).t()).view(tokens, n_exp, 2, inter)
            mid = act(h[:, :, 0]) * h[:, :, 1]  # [T, E, I]
            out = torch.bmm(mid.transpose(0, 1), w2.transpose(1, 2))  # [E, T, H]
            rows = torch.arange(tokens, device=x.device).unsqueeze(1)
            chosen = out[topk_ids, rows]  # [T, k, H]
        # Mix exactly as the remote code: cast to the weights' dtype (float32), scale, sum over k, cast back.
        return (
            chosen.type(topk_weight.dtype).mul_(topk_weight.unsqueeze(dim=-1)).sum(dim=1).type(chosen.dtype)
        )

    return moe_infer


def _last_position_only(_module: Any, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    import torch

    hidden = args[0]
    if not torch.is_grad_enabled() and hidden.dim() == 3 and hidden.shape[1] > 1:
        return (hidden[:, -1:, :], *args[1:])
    return None


def apply(
    model: Any,
    *,
    moe: bool = True,
    last_logits_only: bool = True,
    dense_max_tokens: int = DEFAULT_DENSE_MAX_TOKENS,
    gather_max_pairs: int = DEFAULT_GATHER_MAX_PAIRS,
) -> Accel:
    """Patch ``model`` (a loaded DeepSeek-OCR v1/v2 remote-code model) in place; idempotent."""
    existing = getattr(model, _ATTR, None)
    if existing is not None:
        return existing  # type: ignore[no-any-return]
    handle = Accel(model)
    if moe:
        for module in model.modules():
            if not _is_moe(module) or getattr(module, "ep_size", 1) > 1:
                continue
            original = module.moe_infer  # bound method of the class
            w13, w2 = _stack_experts(module)
            act = module.experts[0].act_fn
            module.moe_infer = types.MethodType(
                _make_moe_infer(original, w13, w2, act, dense_max_tokens, gather_max_pairs), module
            )
            handle.moe_layers += 1

            def undo(m: Any = module) -> None:
                if "moe_infer" in m.__dict__:
                    del m.moe_infer

            handle._undo.append(undo)
    head = getattr(model, "lm_head", None)
    if last_logits_only and head is not None:
        handle.lm_head_hook = head.register_forward_pre_hook(_last_position_only)
    setattr(model, _ATTR, handle)
    return handle
