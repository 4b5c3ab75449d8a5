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
2. **Vision encoding batched across pages.** The remote ``forward`` encodes each page's tiles and global
   view separately (SAM, then CLIP, then the projector) with a host sync per page. The patched forward
   (v1 only) encodes the images of all pages of a batch together, in chunks of about
   ``vision_chunk_pixels``, then assembles and scatters each page's features exactly as the remote code
   does (tile rows with newline embeddings, global view rows, view separator) and calls the decoder the
   same way. With one page the calls are the remote code's own (tiles together, global view alone).
3. **Prefill logits for the last position only.** ``generate()`` uses only the last position's logits,
   but the remote ``forward`` projects every position to the 129280-word vocabulary and casts to float32:
   about 0.5 GB per page of a Gundam prompt, 30+ GB for a batch of 64. A forward pre-hook on
   ``lm_head`` feeds it only the last position while no gradients are recorded.

Only the matmul shapes differ from the original (cuBLAS may then round the last bit differently), so
greedy tokens can drift only where two logits are within rounding of each other; the GPU fidelity
script verifies the tokens against the unpatched model. Works for fp32, fp16 and bf16 models, with or
without autocast (as ``infer()`` uses it).
"""

from __future__ import annotations

import contextlib
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: Above this many tokens in one MoE call (a large prefill), the original per-expert loop is used.
DEFAULT_DENSE_MAX_TOKENS = 2048
#: Up to this many (token, expert) pairs, chosen experts' weights are gathered (batched GEMV).
DEFAULT_GATHER_MAX_PAIRS = 48
#: Pixels of images encoded in one vision call (16 global views of 1024x1024, or ~40 tiles of 640x640).
DEFAULT_VISION_CHUNK_PIXELS = 16 * 1024 * 1024

_ATTR = "_desktop_ocr_accel"
_EXPERTS_ATTR = "_desktop_ocr_experts"


@dataclass
class Accel:
    """Handle of the patches applied to one model."""

    model: Any
    moe_layers: int = 0
    #: While True (see :func:`exact`), the patched code runs the remote code's own paths.
    bypass: bool = False
    batched_vision: bool = False
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


@contextlib.contextmanager
def exact(model: Any) -> Iterator[None]:
    """While inside, a patched model runs the remote code's own MoE loop and per-page vision encoding.

    The fast decoder prefills through this: the original paths give a page the same prefill whatever
    else is in its batch (the patched MoE switches kernels by the batch's token count, and encoding
    pages together changes the vision kernels' shapes), so a page's output cannot depend on its batch.
    """
    handle = getattr(model, _ATTR, None)
    if handle is None:
        yield
        return
    previous, handle.bypass = handle.bypass, True
    try:
        yield
    finally:
        handle.bypass = previous


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


def stacked_experts(moe: Any) -> tuple[Any, Any]:
    """The MoE layer's experts stacked (w13, w2), made once and kept on the module (the experts' weights
    become views of them, so no memory is added); shared by the patched ``moe_infer`` and the fast decoder."""
    found = getattr(moe, _EXPERTS_ATTR, None)
    if found is None:
        found = _stack_experts(moe)
        setattr(moe, _EXPERTS_ATTR, found)
    return found  # type: ignore[no-any-return]


def _make_moe_infer(
    handle: Accel,
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
        if handle.bypass or tokens > dense_max or getattr(self, "ep_size", 1) > 1:
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


def _encode(inner: Any, x: Any) -> Any:
    """SAM -> CLIP -> projector for a stack of images, as the remote forward does for one call."""
    import torch

    f1 = inner.sam_model(x)
    f2 = inner.vision_model(x, f1)
    return inner.projector(torch.cat((f2[:, 1:], f1.flatten(2).permute(0, 2, 1)), dim=-1))


def _encode_many(inner: Any, stacks: list[Any], chunk_pixels: int) -> list[Any]:
    """Encode several image stacks [n_i, 3, S, S]; stacks of one size are concatenated and chunked."""
    import torch

    out: list[Any] = [None] * len(stacks)
    by_size: dict[tuple[int, ...], list[int]] = {}
    for i, st in enumerate(stacks):
        by_size.setdefault(tuple(st.shape[1:]), []).append(i)
    for shape, members in by_size.items():
        if len(members) == 1:
            out[members[0]] = _encode(inner, stacks[members[0]])
            continue
        allx = torch.cat([stacks[i] for i in members], dim=0)
        per = max(1, chunk_pixels // (shape[-1] * shape[-2]))
        feats = torch.cat([_encode(inner, allx[j : j + per]) for j in range(0, allx.shape[0], per)], dim=0)
        counts = [stacks[i].shape[0] for i in members]
        for i, part in zip(members, torch.split(feats, counts, dim=0)):
            out[i] = part
    return out


def _page_features(inner: Any, local: Any, glob: Any, grid: tuple[int, int]) -> Any:
    """One page's image features in sequence order (the remote code's layout, v1)."""
    import torch

    newline, sep = inner.image_newline, inner.view_seperator
    _, hw, n_dim = glob.shape
    h = w = int(hw**0.5)
    g = torch.cat([glob.view(h, w, n_dim), newline[None, None, :].expand(h, 1, n_dim)], dim=1).view(-1, n_dim)
    if local is None:
        return torch.cat([g, sep[None, :]], dim=0)
    _, hw2, n2 = local.shape
    h2 = w2 = int(hw2**0.5)
    cols, rows = grid
    loc = local.view(rows, cols, h2, w2, n2).permute(0, 2, 1, 3, 4).reshape(rows * h2, cols * w2, n2)
    loc = torch.cat([loc, newline[None, None, :].expand(rows * h2, 1, n2)], dim=1).view(-1, n2)
    return torch.cat([loc, g, sep[None, :]], dim=0)


def _make_forward(handle: Accel, inner: Any, chunk_pixels: int) -> Callable[..., Any]:
    import torch

    original = inner.forward
    decoder_forward: Callable[..., Any] = type(inner).__mro__[1].forward  # type: ignore[attr-defined]  # DeepseekV2Model.forward

    def forward(
        self: Any,
        input_ids: Any = None,
        attention_mask: Any = None,
        position_ids: Any = None,
        past_key_values: Any = None,
        inputs_embeds: Any = None,
        use_cache: Any = None,
        output_attentions: Any = None,
        output_hidden_states: Any = None,
        images: Any = None,
        images_seq_mask: Any = None,
        images_spatial_crop: Any = None,
        return_dict: Any = None,
    ) -> Any:
        common = {
            "attention_mask": attention_mask,
            "position_ids": position_ids,
            "past_key_values": past_key_values,
            "use_cache": use_cache,
            "output_attentions": output_attentions,
            "output_hidden_states": output_hidden_states,
            "return_dict": return_dict,
        }
        plain = (
            handle.bypass
            or inputs_embeds is not None
            or input_ids is None
            or input_ids.shape[1] == 1
            or self.training
            or images is None
            or images_seq_mask is None
            or images_spatial_crop is None
            or len(images) != input_ids.shape[0]
        )
        if plain or torch.sum(images[0][1]).item() == 0:  # the remote code's own test (one sync per prefill)
            return original(
                input_ids=input_ids,
                inputs_embeds=inputs_embeds,
                images=images,
                images_seq_mask=images_seq_mask,
                images_spatial_crop=images_spatial_crop,
                **common,
            )
        embeds = self.get_input_embeddings()(input_ids)
        grids = [(int(c), int(r)) for c, r in torch.as_tensor(images_spatial_crop).tolist()]
        with torch.no_grad():
            tiled = [i for i, g in enumerate(grids) if g != (1, 1)]
            locals_ = _encode_many(self, [images[i][0] for i in tiled], chunk_pixels)
            globals_ = _encode_many(self, [im[1] for im in images], chunk_pixels)
            local_of = dict(zip(tiled, locals_))
            for idx in range(len(images)):
                feats = _page_features(self, local_of.get(idx), globals_[idx], grids[idx])
                embeds[idx].masked_scatter_(images_seq_mask[idx].unsqueeze(-1).to(embeds.device), feats)
        return decoder_forward(self, input_ids=None, inputs_embeds=embeds, **common)

    return forward


def _is_v1_vision(inner: Any) -> bool:
    return all(
        hasattr(inner, a)
        for a in ("sam_model", "vision_model", "projector", "image_newline", "view_seperator")
    )


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
    batch_vision: bool = True,
    dense_max_tokens: int = DEFAULT_DENSE_MAX_TOKENS,
    gather_max_pairs: int = DEFAULT_GATHER_MAX_PAIRS,
    vision_chunk_pixels: int = DEFAULT_VISION_CHUNK_PIXELS,
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
            w13, w2 = stacked_experts(module)
            act = module.experts[0].act_fn
            module.moe_infer = types.MethodType(
                _make_moe_infer(handle, original, w13, w2, act, dense_max_tokens, gather_max_pairs), module
            )
            handle.moe_layers += 1

            def undo(m: Any = module) -> None:
                if "moe_infer" in m.__dict__:
                    del m.moe_infer

            handle._undo.append(undo)
    inner = getattr(model, "model", None)
    if batch_vision and inner is not None and _is_v1_vision(inner):
        inner.forward = types.MethodType(_make_forward(handle, inner, vision_chunk_pixels), inner)
        handle.batched_vision = True

        def undo_forward(m: Any = inner) -> None:
            if "forward" in m.__dict__:
                del m.forward

        handle._undo.append(undo_forward)
    head = getattr(model, "lm_head", None)
    if last_logits_only and head is not None:
        handle.lm_head_hook = head.register_forward_pre_hook(_last_position_only)
    setattr(model, _ATTR, handle)
    return handle
