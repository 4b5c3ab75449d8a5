"""Decoding at the GPU's pace: a static KV cache, the decode step captured in CUDA graphs, continuous batching.

Public API:

- :func:`create_decoder` - a :class:`StaticDecoder` for a loaded remote-code model, or None (with one log
  line saying why) when its decoder is not the structure this module knows.
- :class:`StaticDecoder` - the pre-allocated KV cache ([slots, heads, max_len, head_dim] per layer) and one
  decode step for the first ``b`` slots, run eagerly (CPU, tests) or replayed from a CUDA graph captured
  once per (batch bucket, cache-length bucket).
- :func:`run_pages` - greedy generation for a queue of pages with continuous batching: a page that ends
  (EOS or its cap) frees its slot, and the next queued page is prefilled into it before the next step.

The step is the remote code's own decoder layer, spelled out with its own modules (RMS norms, q/k/v/o
projections, rotary embedding, MoE gate, shared experts, dense MLP, final norm, ``lm_head``) so that only
the cache handling differs: keys and values are written at the page's position in its slot instead of
being concatenated, and attention runs over a fixed-length window with the unused positions masked
(their weights are exactly 0 after the float32 softmax, as with the remote code's padding mask). The
routed experts run as in :mod:`.accel`: ``moe="dense"`` computes every expert on every row (one path for
every batch size), ``"gather"`` gathers the chosen experts' weights (batched matrix-vector products, what
the remote code's per-expert loop computes for one token), ``"auto"`` (default) gathers for a single row
and is dense above; the chosen outputs are mixed exactly as the remote code mixes them.

Fidelity (H200, bf16, ``benchmarks/results/deepseek_fastdecode_h200.md``): a step over ONE row (a page
read alone: the default at batch 1) runs as piecewise CUDA graphs - one graph per layer boundary holding
everything but the attention core (embed or the previous layer's o_proj, residual, norm and MoE/MLP, then
this layer's norm, q/k/v projections, rotary and cache write; the last one the final norm, ``lm_head``,
ban and pick) - and the attention core eagerly over exactly the written positions; its ids equal
``infer(eval_mode=True)``'s (4/4 pages x 128 tokens, Base and Gundam; 276-326 tok/s against 336-348 for
whole-step graphs). Round three made that step lean (``lean=True``: the rotary cos/sin once per step for every
layer, q and k rotated in one pass, the gate without its no-op casts, the attention product written
into the next piece's buffer) and, where :mod:`.fused`'s Triton kernels match torch bit for bit on the
device, fuses the RMS norms and the rotary + KV write: the same arithmetic in fewer kernels (H200,
round four: 538 kernels and 2.3-2.5 ms per step, 407-456 tok/s, ids still equal ``infer()``'s).

Batches (``exact_rows``, default: every step): a step over several rows runs the same piecewise
graphs over all rows (every cuBLAS linear, norm, gate and gathered-expert product of the step gives a
row the same bits for 1..256 rows on an H200, ``fidelity_check --kernel-map``; the layer-0 dense MLP
from 128 rows on is the exception) and each row's attention core eagerly over exactly its own
positions, so a page's ids equal the ids it gets alone, and ``infer()``'s, whatever its batch (H200,
bf16: 12/12 page-runs x 128 tokens in batches of 2, 4 and 16). That costs eager launches per row
(about 3.2-5.3 ms a step at 2 rows, 16-21 ms at 16). ``exact_rows=0`` gives steps over two or more rows
one whole-step graph per batch bucket whose attention reads each row over its own length
(:mod:`.decode_attention`, ``attention="varlen"``; ``"padded"``: round two's graph per (batch, window)
with a padded window): 3.5-4.6 ms a step at 2-16 rows, but in bf16 a page's ids then leave its alone ids
after 5-17 tokens (measured: the attention is what differs; the MoE's gather/dense switch alone is not
it); float32 ids are batch-invariant either way. ``invariant=True`` (the app's "fastest" decoding)
makes every step, batch 1 included, one whole-step graph per batch bucket of row-invariant kernels
(varlen attention, experts dense at every size, the dense MLP in chunks of <= 64 rows, a fixed-order
Triton RMS norm per row): a page's ids do not depend on its batch (H200: 16/16 page-runs at 2..64
rows, 4-5.5 ms a step), but in bf16 they leave ``infer()``'s after 5-17 tokens (teacher-forced on
``infer()``'s ids: top-1 agreement 103-118 of 128, logits up to 4.8-7.2 apart); in float32 (the varlen
kernel's float32 branch, torch's norm per row: the fused kernels are bf16 only) they equal ``infer()``'s
run in float32, alone and in batches of 2-16 (H200: 16/16 page-runs x 128 tokens). Every batched step that
must keep a row's bits also avoids torch's ``mean`` over several rows (its sum order follows the row
count): exact rows take each row's mean alone. ``piecewise=False`` uses the whole-step
graphs at batch 1 too; ``exact_window=True`` runs every step eagerly over the exact window.

Prefill is the remote code's own forward, one call per group of pages of equal prompt length (no
padding), under :func:`.accel.exact`, so each page's prefill is the one ``infer()`` runs.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from desktop_ocr.engine.deepseek.inputs import EOS_ID
from desktop_ocr.engine.deepseek.repetition import DEFAULT_LOOP, LoopGuard
from desktop_ocr.engine.deepseek.runtime import log

#: Granularity of the attention window (positions); graphs are captured per multiple of it.
LENGTH_STEP = 512
#: Invariant steps run the dense (layer-0) MLP over at most this many rows at a time (see _post).
DENSE_ROWS = 64


class Unsupported(Exception):
    """The model's decoder is not the structure the static decoder knows."""


def _check_structure(model: Any) -> list[Any]:
    inner = getattr(model, "model", None)
    layers = getattr(inner, "layers", None)
    for name in ("embed_tokens", "norm"):
        if not hasattr(inner, name):
            raise Unsupported(f"no model.{name}")
    if getattr(model, "lm_head", None) is None or not layers:
        raise Unsupported("no lm_head or decoder layers")
    for i, layer in enumerate(layers):
        attn: Any = getattr(layer, "self_attn", None)
        if type(attn).__name__ != "LlamaAttention":
            raise Unsupported(f"layer {i}: attention {type(attn).__name__} (only the MHA decoder is known)")
        for name in ("q_proj", "k_proj", "v_proj", "o_proj", "rotary_emb", "num_heads", "head_dim"):
            if not hasattr(attn, name):
                raise Unsupported(f"layer {i}: attention without {name}")
        if getattr(attn, "num_key_value_heads", attn.num_heads) != attn.num_heads:
            raise Unsupported(f"layer {i}: grouped key/value heads")
        if getattr(getattr(attn, "config", None), "pretraining_tp", 1) != 1:
            raise Unsupported(f"layer {i}: pretraining_tp > 1")
        for name in ("input_layernorm", "post_attention_layernorm", "mlp"):
            if not hasattr(layer, name):
                raise Unsupported(f"layer {i}: no {name}")
        mlp = layer.mlp
        moe = all(hasattr(mlp, a) for a in ("gate", "experts", "moe_infer"))
        if moe and getattr(mlp, "ep_size", 1) != 1:
            raise Unsupported(f"layer {i}: expert parallelism")
        if not moe and not all(hasattr(mlp, a) for a in ("gate_proj", "up_proj", "down_proj")):
            raise Unsupported(f"layer {i}: unknown MLP {type(mlp).__name__}")
    return list(layers)


def _lean_checks(layers: Sequence[Any]) -> tuple[bool, bool]:
    """(every layer's rotary embedding computes the same cos/sin, every MoE gate is the plain
    softmax + greedy top-k one with scaling 1): what the lean step's shortcuts rely on."""
    import torch

    ropes = [layer.self_attn.rotary_emb for layer in layers]
    first = ropes[0]
    inv = getattr(first, "inv_freq", None)
    shared = (
        inv is not None
        and "dynamic" not in str(getattr(first, "rope_type", "default"))
        and all(
            type(r) is type(first)
            and getattr(r, "rope_type", None) == getattr(first, "rope_type", None)
            and getattr(r, "attention_scaling", 1.0) == getattr(first, "attention_scaling", 1.0)
            and isinstance(getattr(r, "inv_freq", None), torch.Tensor)
            and r.inv_freq.shape == inv.shape
            and torch.equal(r.inv_freq.to(inv.device), inv)
            for r in ropes
        )
    )
    gates = [layer.mlp.gate for layer in layers if hasattr(layer.mlp, "moe_infer")]
    plain = bool(gates) and all(
        getattr(g, "scoring_func", None) == "softmax"
        and getattr(g, "topk_method", None) == "greedy"
        and float(getattr(g, "routed_scaling_factor", 0.0)) == 1.0
        and not (getattr(g, "top_k", 1) > 1 and getattr(g, "norm_topk_prob", True))
        and not g.training
        and isinstance(getattr(g, "weight", None), torch.Tensor)
        for g in gates
    )
    return bool(shared), plain


def _bucket(n: int, limit: int) -> int:
    b = 1
    while b < n:
        b *= 2
    return min(b, limit)


class StaticDecoder:
    """Static KV cache + one decode step over the first ``b`` slots (see the module docstring)."""

    def __init__(
        self,
        model: Any,
        slots: int,
        max_len: int,
        *,
        graphs: bool | None = None,
        moe: str = "auto",
        gather_rows: int = 1,
        exact_window: bool = False,
        piecewise: bool = True,
        lean: bool = True,
        attention: str = "auto",
        fused: bool = True,
        exact_rows: int | None = None,
        invariant: bool = False,
    ) -> None:
        import torch

        if moe not in ("dense", "gather", "auto"):
            raise ValueError(f"moe must be dense, gather or auto, not {moe!r}")
        self.moe = moe
        self.gather_rows = int(gather_rows)
        # Attention over exactly the positions written so far (no padded window): eager steps only.
        self.exact_window = bool(exact_window)
        # Batch 1: piecewise graphs around an eager attention core over exactly the written positions.
        self.piecewise = bool(piecewise)
        # Steps over up to this many rows run as batch 1 does, row by row where rows could interact:
        # piecewise graphs, each row's attention core eager over exactly its own positions, the MoE
        # gathered per row (see exact()). None (default): every step, so a page's ids never depend on
        # its batch (H200: equal to the page read alone and to infer() in batches of 2, 4 and 16);
        # 0: batches of 2+ take the faster whole-step graphs (varlen attention), not batch-invariant.
        self.exact_rows = int(slots) if exact_rows is None else max(0, int(exact_rows))
        # Batch-invariant whole-step graphs ("fastest"): every step, batch 1 included, is one graph per
        # batch bucket with the same kernels for every row count - each row's attention by its own
        # programs of the varlen kernel (a fixed reduction order over its own length), the routed
        # experts dense, the dense MLP over at most DENSE_ROWS rows at a time - so a row's bits do not
        # depend on its batch; they are not infer()'s (another attention kernel than the eager ops).
        self.invariant = bool(invariant)
        if self.invariant:
            self.exact_rows = 0
        self._row_lengths: list[int] = []
        self.layers = _check_structure(model)
        self.model = model
        # Fewer kernels per step, same arithmetic (see _lean_checks): the rotary cos/sin once per step
        # for all layers, q and k rotated in one pass, the MoE gate without its no-op casts.
        self.lean = bool(lean)
        self.shared_rope, self.plain_gate = _lean_checks(self.layers) if self.lean else (False, False)
        param = next(model.parameters())
        self.device = param.device
        self.dtype = param.dtype
        self.slots = int(slots)
        self.max_len = int(math.ceil(max_len / LENGTH_STEP) * LENGTH_STEP)
        attn = self.layers[0].self_attn
        self.heads, self.head_dim = int(attn.num_heads), int(attn.head_dim)
        self.graphs = not exact_window and (
            self.device.type == "cuda" if graphs is None else bool(graphs and self.device.type == "cuda")
        )
        # Steps over 2+ rows: "varlen" attends each row over its own positions (Triton kernel, one
        # graph per batch bucket); "padded" over the longest row's window (cuBLAS, graphs per window).
        if attention not in ("auto", "varlen", "padded"):
            raise ValueError(f"attention must be auto, varlen or padded, not {attention!r}")
        from desktop_ocr.engine.deepseek import decode_attention

        self.varlen = (
            attention != "padded"
            and not exact_window
            and (self.graphs or self.invariant)
            and decode_attention.available(self.device, self.dtype)
        )
        if attention == "varlen" and not self.varlen:
            log.info("fast decoder: no varlen attention here (needs CUDA graphs and Triton); padded windows")
        shape = (self.slots, self.heads, self.max_len, self.head_dim)
        self.k = [torch.zeros(shape, dtype=self.dtype, device=self.device) for _ in self.layers]
        self.v = [torch.zeros(shape, dtype=self.dtype, device=self.device) for _ in self.layers]
        self.tok = torch.zeros(self.slots, dtype=torch.long, device=self.device)
        self.pos = torch.zeros(self.slots, dtype=torch.long, device=self.device)
        self.rows = torch.arange(self.slots, device=self.device)
        self.span = torch.arange(self.max_len, device=self.device)
        from desktop_ocr.engine.deepseek import accel

        self.experts: dict[int, tuple[Any, Any, Any]] = {}
        for i, layer in enumerate(self.layers):
            if hasattr(layer.mlp, "moe_infer"):
                w13, w2 = accel.stacked_experts(layer.mlp)
                self.experts[i] = (w13, w2, layer.mlp.experts[0].act_fn)
        self._captured: dict[tuple[int, int, bool], tuple[Any, Any]] = {}
        self._pieces: dict[tuple[int, bool], list[tuple[Any, Any]]] = {}
        self._buffers: dict[int, dict[str, Any]] = {}
        self._pool: Any = None
        # The windowed n-gram ban, inside the graph (see set_ban); tail: last generated tokens per slot.
        self.ban_n = 0
        self.tail = torch.full((self.slots, 1), -1, dtype=torch.long, device=self.device)
        self.whitelist = torch.zeros(0, dtype=torch.long, device=self.device)
        import transformers.models.llama.modeling_llama as llama

        self._rotate = llama.apply_rotary_pos_emb
        self._rotate_half = llama.rotate_half
        # Fused elementwise kernels (RMS norm, rotary + cache write), bit-identical, checked here.
        self.fused: Any = None
        if fused and self.lean and self.shared_rope and self.device.type == "cuda":
            from desktop_ocr.engine.deepseek.fused import Fused

            self.fused = Fused.create(self.layers[0].input_layernorm, self._rope_matches)

    def _rope_matches(self, fused: Any) -> bool:
        """Whether ``fused.rope_write`` gives the unfused rotary and cache write bit for bit."""
        import torch

        b, h, d = 3, self.heads, self.head_dim
        gen = torch.Generator(device=self.device).manual_seed(1)
        q, k, v = (
            torch.randn(b, 1, h * d, device=self.device, generator=gen).to(self.dtype) for _ in range(3)
        )
        pos = torch.tensor([0, 17, 600], device=self.device)
        cos, sin = self.layers[0].self_attn.rotary_emb(v, pos.unsqueeze(1))
        shape = (b, h, 700, d)
        ck, cv = (
            torch.zeros(shape, dtype=self.dtype, device=self.device),
            torch.zeros_like(torch.empty(shape, dtype=self.dtype, device=self.device)),
        )
        got = fused.rope_write(q, k, v, cos, sin, pos, ck, cv, h)
        q4, k4 = (t.view(b, 1, h, d).transpose(1, 2) for t in (q, k))
        ref_q, ref_k = self._rotate(q4, k4, cos, sin)
        rows = torch.arange(b, device=self.device)
        same = (
            torch.equal(got, ref_q),
            torch.equal(ck[rows, :, pos], ref_k[:, :, 0]),
            torch.equal(cv[rows, :, pos], v.view(b, h, d)),
        )
        if not all(same):
            type(fused).why_not = (
                f"fused rotary + cache write differs from torch's (q {same[0]}, k {same[1]}, v {same[2]}; "
                f"q largest difference {float((got.float() - ref_q.float()).abs().max()):.4g})"
            )
        return all(same)

    def _norm(self, module: Any, x: Any) -> Any:
        # torch's mean over a row sums it in an order that depends on the number of rows (its threads
        # per row: 512 for 1 row, 256 for 2, 128 for 4, ...), so steps over several rows that must give
        # each row its own bits take each row's mean alone (exact rows) or in one fixed order
        # (invariant: one Triton program per row).
        b = x.shape[0]
        rows = b > 1 and (self.invariant or (self.exact(b) and not self.exact_window))
        if self.fused is not None and x.dtype == module.weight.dtype:
            if self.invariant:
                return self.fused.rms_norm_rows(module, x)
            return self.fused.rms_norm(module, x, alone=rows)
        if rows:
            import torch

            return torch.cat([module(x[r : r + 1]) for r in range(b)])
        return module(x)

    def _rotate_one(self, x: Any, cos: Any, sin: Any) -> Any:
        """``apply_rotary_pos_emb``'s arithmetic for one tensor (its q line)."""
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
        return (x * cos) + (self._rotate_half(x) * sin)

    @property
    def cache_bytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in (*self.k, *self.v))

    # -- slots ----------------------------------------------------------------------------------
    def load(self, slot: int, past: Sequence[tuple[Any, Any]], row: int, length: int) -> None:
        """Copy one page's prefill keys/values (row ``row`` of a legacy cache) into ``slot``."""
        for layer, (k, v) in enumerate(past):
            self.k[layer][slot, :, :length].copy_(k[row, :, :length])
            self.v[layer][slot, :, :length].copy_(v[row, :, :length])

    # -- the step -------------------------------------------------------------------------------
    def gathers(self, b: int) -> bool:
        """Whether a step over ``b`` rows gathers the chosen experts' weights (else: every expert)."""
        if self.invariant:  # one path for every row count
            return self.moe == "gather"
        return self.moe == "gather" or (
            self.moe == "auto" and (b <= self.gather_rows or (self.piecewise and b <= self.exact_rows))
        )

    def _routed(self, index: int, x: Any, topk_ids: Any, topk_weight: Any) -> Any:
        import torch

        w13, w2, act = self.experts[index]
        n_exp, two_i, hidden = w13.shape
        inter = two_i // 2
        rows = x.shape[0]
        if self.gathers(rows):
            # Batched matrix-vector products on the chosen experts' weights (what the remote code's
            # per-expert loop computes for one token per expert).
            k = topk_ids.shape[1]
            flat = topk_ids.reshape(-1)
            xs = x.repeat_interleave(k, dim=0).unsqueeze(-1)
            hh = torch.bmm(w13[flat], xs).squeeze(-1)
            mid_g = act(hh[:, :inter]) * hh[:, inter:]
            picked = torch.bmm(w2[flat], mid_g.unsqueeze(-1)).squeeze(-1).view(rows, k, -1)
            return (
                picked.type(topk_weight.dtype)
                .mul_(topk_weight.unsqueeze(dim=-1))
                .sum(dim=1)
                .type(picked.dtype)
            )
        h = torch.matmul(x, w13.view(n_exp * two_i, hidden).t()).view(rows, n_exp, 2, inter)
        mid = act(h[:, :, 0]) * h[:, :, 1]
        out = torch.bmm(mid.transpose(0, 1), w2.transpose(1, 2))  # [E, rows, H]
        chosen = out[topk_ids, self.rows[:rows].unsqueeze(1)]  # [rows, k, H]
        return (
            chosen.type(topk_weight.dtype).mul_(topk_weight.unsqueeze(dim=-1)).sum(dim=1).type(chosen.dtype)
        )

    # The step in pieces: embed -> per layer [pre-attention | attention core | post-attention] -> head.
    def _embed(self, b: int) -> Any:
        return self.model.model.embed_tokens(self.tok[:b].unsqueeze(1))  # [b, 1, H]

    def _rope(self, index: int, v: Any, b: int) -> tuple[Any, Any]:
        return self.layers[index].self_attn.rotary_emb(v, self.pos[:b].unsqueeze(1))

    def _pre(self, index: int, hidden: Any, b: int, rope: tuple[Any, Any] | None = None) -> Any:
        """Norm, q/k/v projections, rotary, the cache write of layer ``index``; the rotated queries.
        ``rope``: this step's (cos, sin) when every layer's rotary embedding is the same (lean)."""
        import torch

        attn = self.layers[index].self_attn
        pos, rows = self.pos[:b], self.rows[:b]
        x = self._norm(self.layers[index].input_layernorm, hidden)
        if self.fused is not None and rope is not None:
            qp, kp, vp = attn.q_proj(x), attn.k_proj(x), attn.v_proj(x)
            if qp.dtype == rope[0].dtype == self.dtype:
                return self.fused.rope_write(
                    qp, kp, vp, rope[0], rope[1], pos, self.k[index], self.v[index], self.heads
                )
        q = attn.q_proj(x).view(b, 1, self.heads, self.head_dim).transpose(1, 2)
        k = attn.k_proj(x).view(b, 1, self.heads, self.head_dim).transpose(1, 2)
        v = attn.v_proj(x).view(b, 1, self.heads, self.head_dim).transpose(1, 2)
        cos, sin = rope if rope is not None else self._rope(index, v, b)
        if self.lean and q.dtype == k.dtype:
            # One elementwise pass over q and k stacked: the same products and sums, half the kernels.
            qk = self._rotate_one(torch.cat([q, k], dim=1), cos, sin)
            q, k = qk[:, : self.heads], qk[:, self.heads :]
        else:
            q, k = self._rotate(q, k, cos, sin)
        cache_k, cache_v = self.k[index], self.v[index]
        cache_k[rows, :, pos] = k[:, :, 0].to(cache_k.dtype)
        cache_v[rows, :, pos] = v[:, :, 0].to(cache_v.dtype)
        return q

    def _core(self, index: int, q: Any, b: int, t: int, masked: Any, out: Any = None) -> Any:
        """Attention of ``q`` over cache positions 0..t-1 (``masked``: positions beyond each row's,
        None where there are none). ``out`` [b, heads, 1, head_dim]: where to write the product."""
        import torch

        if self.uses_varlen(b):
            from desktop_ocr.engine.deepseek.decode_attention import attend

            res = torch.empty((b, self.heads, 1, self.head_dim), dtype=q.dtype, device=q.device)
            attend(q, self.k[index][:b], self.v[index][:b], self.pos[:b] + 1, res)
            return res.transpose(1, 2).reshape(b, 1, -1)
        if self.invariant:  # no varlen kernel here (eager steps): each row over its own positions
            res = q.new_empty((b, self.heads, 1, self.head_dim))
            for r, p in enumerate(self.pos[:b].tolist()):
                self._core_row(index, q[r : r + 1], r, int(p) + 1, res[r : r + 1])
            return res.transpose(1, 2).reshape(b, 1, -1)
        keys, values = self.k[index][:b, :, :t], self.v[index][:b, :, :t]
        scores = torch.matmul(q, keys.transpose(2, 3)) / math.sqrt(self.head_dim)
        if masked is not None:
            scores = scores.masked_fill(masked, torch.finfo(scores.dtype).min)
        weights = torch.nn.functional.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        if out is not None:
            torch.matmul(weights, values, out=out)
            return out
        return torch.matmul(weights, values).transpose(1, 2).reshape(b, 1, -1)

    def _core_row(self, index: int, q: Any, row: int, n: int, out: Any) -> None:
        """Row ``row``'s attention over its ``n`` positions, with the ops of a batch-1 step."""
        import torch

        keys, values = self.k[index][row : row + 1, :, :n], self.v[index][row : row + 1, :, :n]
        scores = torch.matmul(q, keys.transpose(2, 3)) / math.sqrt(self.head_dim)
        weights = torch.nn.functional.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        torch.matmul(weights, values, out=out)

    def _post(self, index: int, residual: Any, out: Any, b: int) -> Any:
        """o_proj, the residual, the post-attention norm and the MLP / MoE of layer ``index``."""
        layer = self.layers[index]
        hidden = residual + layer.self_attn.o_proj(out)
        residual = hidden
        x = self._norm(layer.post_attention_layernorm, hidden)
        mlp = layer.mlp
        if index in self.experts:
            topk_ids, topk_weight, _aux = self._gate(mlp.gate, x)
            y = self._routed(index, x.view(b, -1), topk_ids, topk_weight).view(b, 1, -1)
            shared = getattr(mlp, "shared_experts", None)
            if shared is not None and getattr(mlp.config, "n_shared_experts", None) is not None:
                y = y + shared(x)
        elif self.invariant and b > DENSE_ROWS:
            # cuBLAS gives the layer-0 MLP's rows other bits from 128 rows on (H200): chunks of 64.
            import torch

            y = torch.cat([mlp(x[i : i + DENSE_ROWS]) for i in range(0, b, DENSE_ROWS)])
        else:
            y = mlp(x)
        return residual + y

    def _gate(self, gate: Any, x: Any) -> tuple[Any, Any, Any]:
        """The remote code's MoEGate (softmax, greedy top-k, scaling 1, no normalisation) without
        its casts that change nothing: under autocast to the weights' dtype, ``F.linear`` on
        ``x.float()`` and ``weight.float()`` casts both back first, so it is ``F.linear(x, weight)``."""
        import torch

        dev = x.device.type
        if not (
            self.plain_gate
            and torch.is_autocast_enabled(dev)
            and torch.get_autocast_dtype(dev) == x.dtype == gate.weight.dtype
        ):
            return gate(x)
        logits = torch.nn.functional.linear(x.view(-1, x.shape[-1]), gate.weight, None)
        scores = logits.softmax(dim=-1, dtype=torch.float32)
        topk_weight, topk_idx = torch.topk(scores, k=gate.top_k, dim=-1, sorted=False)
        return topk_idx, topk_weight, None

    def _head(self, hidden: Any) -> Any:
        return self.model.lm_head(self._norm(self.model.model.norm, hidden))[:, 0].float()

    def _mask(self, b: int, t: int) -> Any:
        return (self.span[:t].unsqueeze(0) > self.pos[:b].unsqueeze(1)).view(b, 1, 1, t)

    def forward(self, b: int, t: int) -> Any:
        """Logits [b, vocab] (float32) for tokens ``tok[:b]`` at positions ``pos[:b]`` (eager)."""
        hidden = self._embed(b)
        masked = None if self.uses_varlen(b) else self._mask(b, t)
        rope = self._step_rope(b, hidden)
        for index in range(len(self.layers)):
            q = self._pre(index, hidden, b, rope)
            hidden = self._post(index, hidden, self._core(index, q, b, t, masked), b)
        return self._head(hidden)

    def _step_rope(self, b: int, hidden: Any) -> tuple[Any, Any] | None:
        """This step's rotary (cos, sin), computed once for every layer (lean, shared embedding)."""
        if not self.shared_rope:
            return None
        import torch

        # The dtype the remote code's rotary_emb(v, ...) returns: v_proj's output dtype.
        dev = hidden.device.type
        dtype = torch.get_autocast_dtype(dev) if torch.is_autocast_enabled(dev) else hidden.dtype
        probe = torch.empty(0, dtype=dtype, device=hidden.device)
        return self._rope(0, probe, b)

    def set_ban(self, ngram: tuple[int, int] | None, whitelist: Iterable[int] = ()) -> None:
        """Configure the windowed n-gram ban that :meth:`decode` applies inside the graph."""
        import torch

        n, window = ngram if ngram else (0, 1)
        wl = sorted(int(x) for x in whitelist)
        if n == self.ban_n and window == self.tail.shape[1] and wl == self.whitelist.tolist():
            return
        self.ban_n = n
        self.tail = torch.full((self.slots, window), -1, dtype=torch.long, device=self.device)
        self.whitelist = torch.tensor(wl, dtype=torch.long, device=self.device)
        self._captured = {k: v for k, v in self._captured.items() if not k[2]}
        self._pieces = {k: v for k, v in self._pieces.items() if not k[1]}
        self._forget_pool()

    def _forget_pool(self) -> None:
        # A memory pool whose graphs are all gone is released by PyTorch: capturing into its old
        # handle again fails an internal assert, so the next capture takes a fresh pool.
        if not self._captured and not self._pieces:
            self._pool = None

    def ban_and_pick(self, scores: Any, slots: Any) -> Any:
        """Apply the configured ban for rows ``slots``; [2, rows] float32: the greedy tokens (exact in
        float32, ids < 2**24) and the probability of each after the ban. Records the tokens."""
        import torch

        if self.ban_n:
            scores = ban_window(scores, self.tail[slots], self.ban_n, self.whitelist)
        chosen = scores.argmax(dim=-1)
        prob = torch.softmax(scores.float(), dim=-1).amax(dim=-1)
        if self.ban_n:
            self.tail[slots] = torch.cat([self.tail[slots, 1:], chosen.unsqueeze(1)], dim=1)
        return torch.stack([chosen.to(prob.dtype), prob])

    def _decode_body(self, b: int, t: int) -> Any:
        return self.ban_and_pick(self.forward(b, t), self.rows[:b])

    def step(self, tokens: Any, positions: Any, b: int, t: int, lengths: Sequence[int] | None = None) -> Any:
        """One decode step for slots 0..b-1 (``tokens``/``positions``: [b] long); logits [b, vocab].
        ``lengths``: each row's position + 1 as host integers, for exact steps over several rows
        (read from ``positions`` when not given)."""
        return self._run(tokens, positions, b, t, False, lengths)

    def decode(
        self, tokens: Any, positions: Any, b: int, t: int, lengths: Sequence[int] | None = None
    ) -> Any:
        """One step with the ban and the greedy choice inside the graph; the chosen tokens [b]."""
        return self._run(tokens, positions, b, t, True, lengths)

    def _run(
        self, tokens: Any, positions: Any, b: int, t: int, fused: bool, lengths: Sequence[int] | None = None
    ) -> Any:
        self.tok[:b].copy_(tokens)
        self.pos[:b].copy_(positions)
        if self.piecewise and self.exact(b) and not self.exact_window:
            if b > 1:
                got = list(lengths) if lengths is not None else (self.pos[:b] + 1).tolist()
                self._row_lengths = [int(n) for n in got[:b]]
            return self._run_pieces(b, t, fused)
        body = self._decode_body if fused else self.forward
        if not self.graphs:
            return body(b, t)
        captured = self._captured.get((b, t, fused))
        if captured is None:
            try:
                captured = self._capture(b, t, fused, body)
            except Exception as exc:
                self._no_graphs(exc)
                return body(b, t)
        captured[0].replay()
        return captured[1]

    def _no_graphs(self, exc: BaseException) -> None:
        """A capture failed: eager steps from now on (same results, slower), said once in the log."""
        log.warning("fast decoder: CUDA graph capture failed (%s); decoding with eager steps", exc)
        self.graphs = False
        self._captured.clear()
        self._pieces.clear()
        self._forget_pool()

    def _capture(self, b: int, t: int, fused: bool, body: Callable[[int, int], Any]) -> tuple[Any, Any]:
        # Warm-up without the ban's side effect on the tail (the cache writes are idempotent).
        tail = self.tail.clone()
        with self._side_stream():
            for _ in range(2):
                body(b, t)
                self.tail.copy_(tail)
        graph, out = self._graph(lambda: body(b, t))
        self._captured[(b, t, fused)] = (graph, out)
        log.debug("fast decoder: captured the step for batch %d, window %d", b, t)
        return graph, out

    # -- piecewise graphs: everything but the attention core captured, the core eager and exact -----
    def _keep(self, b: int, name: str, value: Any) -> None:
        bufs = self._buffers.setdefault(b, {})
        if name in bufs:
            bufs[name].copy_(value)
        else:  # first (eager, never captured) run: the buffer takes the value's shape and dtype
            bufs[name] = value.clone()

    def _piece(self, i: int, b: int, fused: bool) -> Any:
        """Piece ``i`` of a step: embed (i = 0) or layer i-1's post-attention, then layer i's
        pre-attention; the last piece ends with the final norm, ``lm_head`` and (fused) the ban."""
        bufs = self._buffers.get(b, {})
        hidden = self._embed(b) if i == 0 else self._post(i - 1, bufs["h"], bufs["ao"], b)
        if i == 0 and self.shared_rope:
            cos, sin = self._step_rope(b, hidden)  # type: ignore[misc]
            self._keep(b, "cos", cos)
            self._keep(b, "sin", sin)
            bufs = self._buffers[b]
        rope = (bufs["cos"], bufs["sin"]) if self.shared_rope else None
        if i < len(self.layers):
            self._keep(b, "h", hidden)
            self._keep(b, "q", self._pre(i, hidden, b, rope))
            return None
        logits = self._head(hidden)
        return self.ban_and_pick(logits, self.rows[:b]) if fused else logits

    def _pieces_step(self, b: int, t: int, fused: bool, run: Callable[[int], Any]) -> Any:
        # Exactly t = position + 1 positions at batch 1: nothing to mask.
        rows_exact = b > 1 and self.exact(b)
        masked = None if (self.lean and b == 1) or rows_exact else self._mask(b, t)
        out = None
        for i in range(len(self.layers) + 1):
            out = run(i)
            if i < len(self.layers):
                bufs = self._buffers[b]
                if rows_exact:
                    if "ao4" not in bufs:  # [b, 1, heads * head_dim], as o_proj reads it
                        bufs["ao"] = bufs["q"].new_zeros((b, 1, self.heads * self.head_dim))
                        bufs["ao4"] = bufs["ao"].view(b, 1, self.heads, self.head_dim).transpose(1, 2)
                    q, ao4 = bufs["q"], bufs["ao4"]
                    for r, n in enumerate(self._row_lengths):
                        # Each row as a page read alone: its own positions, the batch-1 kernels.
                        self._core_row(i, q[r : r + 1], r, n, ao4[r : r + 1])
                    continue
                if self.lean and "ao4" in bufs:
                    self._core(i, bufs["q"], b, t, masked, out=bufs["ao4"])
                    continue
                ao = self._core(i, bufs["q"], b, t, masked)
                self._keep(b, "ao", ao)
                if self.lean:  # from the next step on, _core writes into this 4-d view of it
                    bufs["ao4"] = bufs["ao"].view(b, 1, self.heads, self.head_dim).transpose(1, 2)
        return out

    def _run_pieces(self, b: int, t: int, fused: bool) -> Any:
        """One step with the attention core run eagerly over exactly ``t`` positions (the same ops
        as ``exact_window``) and the rest replayed from one CUDA graph per piece (eager on CPU)."""
        if not self.graphs:
            return self._pieces_step(b, t, fused, lambda i: self._piece(i, b, fused))
        pieces = self._pieces.get((b, fused))
        if pieces is None:
            try:
                pieces = self._capture_pieces(b, t, fused)
            except Exception as exc:
                self._no_graphs(exc)
                return self._pieces_step(b, t, fused, lambda i: self._piece(i, b, fused))

        def replay(i: int) -> Any:
            pieces[i][0].replay()
            return pieces[i][1]

        return self._pieces_step(b, t, fused, replay)

    def _capture_pieces(self, b: int, t: int, fused: bool) -> list[tuple[Any, Any]]:
        tail = self.tail.clone()
        with self._side_stream():
            for _ in range(2):  # warm-up: allocates the buffers (the cache writes are idempotent)
                self._pieces_step(b, t, fused, lambda i: self._piece(i, b, fused))
                self.tail.copy_(tail)
        pieces = [self._graph(self._piece_fn(i, b, fused)) for i in range(len(self.layers) + 1)]
        self._pieces[(b, fused)] = pieces
        log.debug("fast decoder: captured %d pieces of the step for batch %d", len(pieces), b)
        return pieces

    def _piece_fn(self, i: int, b: int, fused: bool) -> Callable[[], Any]:
        return lambda: self._piece(i, b, fused)

    @contextlib.contextmanager
    def _side_stream(self) -> Iterator[None]:
        import torch

        if self.device.type != "cuda":
            yield
            return
        stream = torch.cuda.Stream(self.device)
        stream.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(stream):
            yield
        torch.cuda.current_stream(self.device).wait_stream(stream)

    def _graph(self, fn: Callable[[], Any]) -> tuple[Any, Any]:
        """``fn`` captured as a CUDA graph: (graph, its output)."""
        import torch

        if self._pool is None:
            self._pool = torch.cuda.graph_pool_handle()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph, pool=self._pool):
            out = fn()
        return graph, out

    def window(self, longest: int, b: int = 1) -> int:
        """The attention window for a longest position ``longest`` in a step over ``b`` rows:
        exactly ``longest + 1`` where the step is exact, else a multiple of LENGTH_STEP (graphs)."""
        if self.exact(b):
            return longest + 1
        if self.uses_varlen(b):
            return self.max_len  # one graph per batch bucket: the kernel reads each row's own length
        return min(self.max_len, int(math.ceil((longest + 1) / LENGTH_STEP) * LENGTH_STEP))

    def uses_varlen(self, b: int) -> bool:
        """Whether a step over ``b`` rows attends with the varlen kernel (graphs over 2+ rows)."""
        return self.varlen and not self.exact(b)

    def exact(self, b: int) -> bool:
        """Whether a step over ``b`` rows attends over exactly the written positions (as ``infer()``)."""
        if self.invariant:
            return self.exact_window
        return self.exact_window or (self.piecewise and (b == 1 or b <= self.exact_rows))

    def bucket(self, rows: int) -> int:
        return _bucket(rows, self.slots)


def create_decoder(
    model: Any, slots: int, max_len: int, *, graphs: bool | None = None, **options: Any
) -> StaticDecoder | None:
    """A :class:`StaticDecoder`, or None with a log line when the model's decoder is unknown to it."""
    try:
        dec = StaticDecoder(model, slots, max_len, graphs=graphs, **options)
    except Unsupported as exc:
        log.info("fast decoder off: %s; using the model's generate()", exc)
        return None
    log.info(
        "fast decoder on: %d slots x %d positions (%.1f GiB KV cache), %s, %s; %s",
        dec.slots,
        dec.max_len,
        dec.cache_bytes / 2**30,
        "CUDA graphs" if dec.graphs else "eager steps (no CUDA graphs on this device)",
        "fused norm/rotary kernels" if dec.fused is not None else "no fused kernels",
        "every step attends over exactly the written positions (infer()'s ids)"
        if dec.exact_window or (dec.slots == 1 and not dec.invariant)
        else "batch-invariant whole-step graphs: a page's ids do not depend on its batch, but they can "
        "leave infer()'s after some tokens (another attention kernel than the eager ops)"
        if dec.invariant
        else "every page decodes as it would alone, whatever its batch (infer()'s ids; batches are "
        "slower than the whole-step graphs of exact_rows=0)"
        if dec.exact_rows >= dec.slots
        else "a page decoded alone gives infer()'s ids; pages decoded together attend "
        + ("over each row's own length (varlen kernel)" if dec.varlen else "over a padded window")
        + ", whose bf16 rounding can change a page's text slightly after some tokens",
    )
    return dec


# -- n-gram bans on the device, per row ---------------------------------------------------------------


def ban_window(scores: Any, tail: Any, n: int, whitelist: Any) -> Any:
    """The windowed ban of :class:`.ngram.WindowedNGramBan` for rows with their own lengths.

    ``tail`` [R, window]: each row's last ``window`` generated tokens, -1 where none yet.
    """
    import torch

    window = tail.shape[1]
    if n > window:
        return scores
    grams = tail.unfold(1, n, 1)  # [R, window - n + 1, n]
    prefix = tail[:, window - n + 1 :]
    cand = grams[:, :, -1]
    match = (grams[:, :, :-1] == prefix[:, None, :]).all(dim=-1) & (cand >= 0)
    if n > 1:
        match &= (prefix >= 0).all(dim=-1, keepdim=True)
    if whitelist is not None and whitelist.numel():
        match &= ~torch.isin(cand, whitelist)
    return _apply_ban(scores, cand, match)


def ban_whole(scores: Any, hist: Any, lengths: Any, n: int) -> Any:
    """transformers' ``no_repeat_ngram_size`` (whole sequence, prompt included) for rows of own lengths.

    ``hist`` [R, T]: prompt + generated ids, -1 after each row's length ``lengths`` [R].
    """
    import torch

    if hist.shape[1] < n:
        return scores
    grams = hist.unfold(1, n, 1)  # [R, T - n + 1, n]
    cand = grams[:, :, -1]
    if n == 1:
        match = cand >= 0
    else:
        idx = (lengths.unsqueeze(1) - (n - 1) + torch.arange(n - 1, device=hist.device)).clamp(min=0)
        prefix = hist.gather(1, idx)
        match = (grams[:, :, :-1] == prefix[:, None, :]).all(dim=-1) & (cand >= 0)
        match &= (lengths >= n - 1).unsqueeze(1)
    return _apply_ban(scores, cand, match)


def _apply_ban(scores: Any, cand: Any, match: Any) -> Any:
    import torch

    src = torch.full(cand.shape, float("inf"), dtype=scores.dtype, device=scores.device)
    src.masked_fill_(match, -float("inf"))
    return scores.scatter_reduce_(1, cand.clamp(min=0), src, reduce="amin")


# -- continuous batching -----------------------------------------------------------------------------


@dataclass
class _Page:
    index: int
    prompt: list[int]
    cap: int
    prepared: Any
    tokens: list[int] = field(default_factory=list)
    probs: list[float] = field(default_factory=list)
    decoder: Any = None
    slot: int = -1
    started: float = 0.0
    loop: Any = None  # the repetition.Loop that ended it, if any
    issued: int = 0  # tokens chosen or being chosen on the device (len(tokens) + steps in flight)
    done: bool = False


def run_pages(
    dec: StaticDecoder,
    tokenizer: Any,
    requests: Sequence[Any],
    *,
    version: str,
    ngram: tuple[int, int] | None = None,
    hf_no_repeat_ngram_size: int | None = None,
    on_text: Callable[[int, str], None] | None = None,
    on_done: Callable[[int, Any], None] | None = None,
    cancel: threading.Event | None = None,
    max_positions: int | None = None,
    max_prefill: int = 8,
    stats: dict[str, Any] | None = None,
    eos_id: int = EOS_ID,
    source: Callable[[], Any] | None = None,
    loop_guard: tuple[int, int] | None = DEFAULT_LOOP,
    pipeline: bool = True,
) -> list[Any]:
    """Generate for ``requests`` (:class:`.generation.PageRequest`) with continuous batching.

    Returns, in request order, a :class:`.generation.Generated` per page or the exception that made that
    page fail (the other pages go on). ``on_done(index, outcome)`` is called as each page ends.
    ``stats`` (a dict) receives the step count, the time in prefill and in decode steps, and per-page
    first-token latencies (seconds from the call).

    ``source``: pages drawn as room comes (after ``requests``): called from this thread whenever fewer
    than the free slots plus ``max_prefill`` pages are waiting, it returns the next request or None (no
    more now: it is not called again); page indices count on from ``len(requests)`` in draw order.
    ``loop_guard`` ((min_span, max_period), see :mod:`.repetition`; None: off): a page whose output
    loops ends there (INCOMPLETE, ``extra["repetition"]`` = {"period", "span", "at_token"}, one log
    line) and frees its slot.

    ``pipeline`` (default): each step is launched before the previous step's tokens are read, its
    input tokens taken on the device from the previous step's choice, so the host's launches and its
    bookkeeping of a step's tokens (streaming, loop checks, page ends) overlap the GPU's work instead
    of alternating with it. The arithmetic is the same: only where the input ids come from changes. A
    page that ends on EOS or a loop has had one more step launched for it; that row's output is
    dropped (its slot's cache and ban history are rewritten when the slot takes the next page, after
    that step in stream order). Steps are never launched past a page's cap. False: every step's
    tokens are read before the next step is launched. With the exact (default) and the invariant
    decoders a page's ids are the same either way; with ``exact_rows=0`` (whole-step graphs whose bf16
    rows depend on their batch) they can differ, since a pipelined step's batch differs (an ended page's
    spare row, a page at its cap left out, a new page joining one step later).
    """
    import time

    import torch

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.generation import (
        GenerationCancelled,
        _image_dtype,
        _IncrementalDecoder,
        cancel_hooks,
        model_max_positions,
        prepare_batch,
        token_caps,
    )
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_WHITELIST
    from desktop_ocr.engine.deepseek.runtime import (
        autocast_for,
        preserve_torch_init,
        redirect_cuda,
        stdout_to_log,
    )

    model, device = dec.model, dec.device
    limit = min(max_positions or model_max_positions(model), dec.max_len)
    t_start = time.perf_counter()
    requests = list(requests)
    results: list[Any] = [None] * len(requests)
    guard = LoopGuard(*loop_guard) if loop_guard else None
    exhausted = source is None
    st = stats if stats is not None else {}
    st.update(steps=0, prefill_s=0.0, decode_s=0.0, first_token_s={}, prefills=0, rows=0)
    # The windowed ban runs inside the decode graph; transformers' whole-sequence ban (to reproduce
    # infer()) runs after the step on the logits.
    dec.set_ban(ngram, DEFAULT_WHITELIST)
    fused = not hf_no_repeat_ngram_size
    hist = (
        torch.full((dec.slots, dec.max_len), -1, dtype=torch.long, device=device)
        if hf_no_repeat_ngram_size
        else None
    )
    img_dtype = _image_dtype(dec.dtype)

    def prepare(i: int) -> Any:
        return prepare_batch(tokenizer, [requests[i]], version)

    pool = ThreadPoolExecutor(max_workers=4)
    ahead: deque[tuple[int, Future[Any]]] = deque()
    next_index = 0

    def fill_ahead() -> None:
        nonlocal next_index, exhausted
        while len(ahead) < dec.slots + max_prefill:
            if next_index >= len(requests):
                # Draw from the source only what can start soon (a drawn page counts as started).
                if exhausted or len(ahead) >= len(free) + max_prefill:
                    return
                req = source() if source is not None else None
                if req is None:
                    exhausted = True
                    return
                requests.append(req)
                results.append(None)
            ahead.append((next_index, pool.submit(prepare, next_index)))
            next_index += 1

    def more_waiting() -> int:
        return len(ahead) + len(requests) - next_index + (0 if exhausted else 1)

    free = list(range(dec.slots))
    active: dict[int, _Page] = {}  # slot -> page

    def finish(page: _Page, cancelled: bool = False) -> None:
        from desktop_ocr.engine.deepseek.generation import Generated
        from desktop_ocr.model.result import Completion

        page.done = True
        ids = page.tokens
        if ids and ids[-1] == eos_id:
            completion, text_ids = Completion.COMPLETE, ids[:-1]
        else:
            text_ids = ids
            hit_cap = len(ids) >= page.cap
            completion = Completion.CANCELLED if cancelled and not hit_cap else Completion.INCOMPLETE
        if page.loop is not None:
            completion = Completion.INCOMPLETE
        batch = page.prepared
        gen = Generated(
            token_ids=list(ids),
            token_probs=list(page.probs),
            text=tokenizer.decode(text_ids, skip_special_tokens=False),
            completion=completion,
            prompt_tokens=batch.prompt_lengths[0],
            cap=page.cap,
            extra={
                "grid": list(batch.images[0].grid),
                "image_tokens": batch.images[0].n_image_tokens,
                "seconds": round(time.perf_counter() - page.started, 3),
            },
        )
        if page.loop is not None:
            gen.extra["repetition"] = {
                "period": page.loop.period,
                "span": page.loop.span,
                "at_token": len(ids),
            }
        results[page.index] = gen
        if page.slot >= 0:
            active.pop(page.slot, None)
            free.append(page.slot)
            free.sort()
            page.slot = -1
        if on_done is not None:
            on_done(page.index, gen)

    def fail(index: int, exc: BaseException) -> None:
        results[index] = exc
        if on_done is not None:
            on_done(index, exc)

    def push(page: _Page, token: int) -> bool:
        """Record a token; True when the page has ended."""
        page.tokens.append(token)
        if page.index not in st["first_token_s"]:
            st["first_token_s"][page.index] = time.perf_counter() - t_start
        if token == eos_id:
            return True
        if on_text is not None:
            delta = page.decoder.push(token)
            if delta:
                on_text(page.index, delta)
        if guard is not None:
            found = guard.check(page.tokens)
            if found is not None:
                page.loop = found
                st["loops"] = st.get("loops", 0) + 1
                log.warning(
                    "fast decoder: page %d repeats a %d-token sequence over its last %d tokens; "
                    "ended at %d tokens (kept, marked incomplete)",
                    page.index,
                    found.period,
                    found.span,
                    len(page.tokens),
                )
                return True
        return len(page.tokens) >= page.cap

    pinned = device.type == "cuda"

    def to_device(values: list[Any]) -> Any:
        """A host list as a long tensor on the device without waiting for the GPU (pinned source)."""
        return torch.tensor(values, dtype=torch.long, pin_memory=pinned).to(device, non_blocking=True)

    def pick(scores: Any, slots_: list[int], pages: list[_Page]) -> Any:
        """Ban (both kinds as configured), choose greedily, record the choice in the histories."""
        idx = to_device(slots_)
        if hist is not None and hf_no_repeat_ngram_size:
            lengths = to_device([len(p.prompt) + p.issued for p in pages])
            span = int(max(len(p.prompt) + p.issued for p in pages))
            scores = ban_whole(scores, hist[idx, :span], lengths, int(hf_no_repeat_ngram_size))
        picked = dec.ban_and_pick(scores, idx)
        if hist is not None:
            where = to_device([len(p.prompt) + p.issued for p in pages])
            hist[idx, where] = picked[0].long()
        return picked

    def prefill(group: list[_Page]) -> None:
        ids = torch.cat([p.prepared.input_ids for p in group], dim=0).to(device)
        length = ids.shape[1]
        images = [
            (
                p.prepared.images[0].crops_tensor.to(device=device, dtype=img_dtype),
                p.prepared.images[0].global_tensor.to(device=device, dtype=img_dtype),
            )
            for p in group
        ]
        t0 = time.perf_counter()
        out = model(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            position_ids=torch.arange(length, device=device).unsqueeze(0).expand(len(group), -1),
            past_key_values=None,
            images=images,
            images_seq_mask=torch.cat([p.prepared.images_seq_mask for p in group], dim=0).to(device),
            images_spatial_crop=torch.cat([p.prepared.images_spatial_crop for p in group], dim=0),
            use_cache=True,
            return_dict=True,
        )
        past = out.past_key_values
        if hasattr(past, "to_legacy_cache"):
            past = past.to_legacy_cache()
        slots_ = [free.pop(0) for _ in group]
        try:
            for row, (page, slot) in enumerate(zip(group, slots_)):
                dec.load(slot, past, row, length)
                page.slot = slot
                active[slot] = page
                dec.tail[slot].fill_(-1)
                if hist is not None:
                    hist[slot].fill_(-1)
                    hist[slot, :length] = ids[row]
            scores = out.logits[:, -1, :].float()
            del out, past
            first = pick(scores, slots_, group).tolist()
        except BaseException:  # the slots go back: a retry page by page takes them again
            for page, slot in zip(group, slots_):
                if active.get(slot) is page:
                    del active[slot]
                page.slot = -1
            free.extend(slots_)
            free.sort()
            raise
        st["prefill_s"] += time.perf_counter() - t0
        st["prefills"] += 1
        for page in group:
            page.issued = 1
        for page, token, prob in zip(group, *first):
            page.probs.append(prob)
            if push(page, int(token)):
                finish(page)

    def admit() -> None:
        fill_ahead()
        taken: list[_Page] = []
        while ahead and len(taken) < min(len(free), max_prefill):
            index, fut = ahead.popleft()
            try:
                batch = fut.result()
            except Exception as exc:  # a page that cannot be prepared fails alone
                fail(index, exc)
                continue
            cap = token_caps(batch.prompt_lengths, [requests[index].max_new_tokens], limit)[0]
            page = _Page(index, batch.input_ids[0].tolist(), cap, batch, started=time.perf_counter())
            if on_text is not None:
                page.decoder = _IncrementalDecoder(tokenizer)
            taken.append(page)
        fill_ahead()
        groups: dict[int, list[_Page]] = {}
        for page in taken:
            groups.setdefault(len(page.prompt), []).append(page)
        for group in groups.values():
            try:
                prefill(group)
            except GenerationCancelled:
                raise
            except Exception as exc:
                if len(group) == 1:
                    _free_memory(device)
                    fail(group[0].index, exc)
                    continue
                _free_memory(device)
                for page in group:  # one bad page must not fail the others
                    try:
                        prefill([page])
                    except GenerationCancelled:
                        raise
                    except Exception as exc2:
                        _free_memory(device)
                        fail(page.index, exc2)

    # Each slot's last chosen id, on the device: the next step's input where the host has not read it.
    next_tok = torch.zeros(dec.slots, dtype=torch.long, device=device)

    def launch(slots_: list[int], pages: list[_Page]) -> tuple[_Snapshot, list[int], list[_Page]]:
        """Launch one decode step for ``pages`` (in ``slots_``); returns what reading it needs."""
        b = dec.bucket(slots_[-1] + 1)
        tok_list, pos_list, from_host = [0] * b, [0] * b, [1] * b
        for s, p in zip(slots_, pages):
            pos_list[s] = len(p.prompt) + p.issued - 1
            if p.issued == len(p.tokens):  # the host has this page's last token
                tok_list[s] = p.tokens[-1]
            else:  # chosen by the step in flight: taken on the device
                from_host[s] = 0
        t = dec.window(max(pos_list[s] for s in slots_), b)
        rows = [tok_list, pos_list, from_host] if 0 in from_host else [tok_list, pos_list]
        host = to_device(rows)
        tokens = torch.where(host[2].bool(), host[0], next_tok[:b]) if len(rows) == 3 else host[0]
        lengths = [q + 1 for q in pos_list]
        if fused:
            out = dec.decode(tokens, host[1], b, t, lengths)  # [2, b]: every row's choice
            next_tok[:b].copy_(out[0])
        else:
            logits = dec.step(tokens, host[1], b, t, lengths)
            idx = to_device(slots_)
            out = pick(logits.index_select(0, idx), slots_, pages)  # [2, len(slots_)]
            next_tok[idx] = out[0].long()
        for p in pages:
            p.issued += 1
        return _Snapshot(out), slots_, pages

    def read(step: tuple[_Snapshot, list[int], list[_Page]]) -> None:
        """Record a launched step's tokens (waiting for the GPU if it is not done)."""
        snap, slots_, pages = step
        t0 = time.perf_counter()
        values, probs = snap.values()
        st["decode_s"] += time.perf_counter() - t0
        if fused:  # one column per row of the step's bucket
            values, probs = [values[s] for s in slots_], [probs[s] for s in slots_]
        for page, token, prob in zip(pages, values, probs):
            if page.done:  # ended at the step before (EOS or a loop): this row's output is dropped
                continue
            page.probs.append(prob)
            if push(page, int(token)):
                finish(page)

    group_at = max(1, dec.slots // 8)  # free slots that make a prefill call worth it
    cancelled = False
    inflight: tuple[_Snapshot, list[int], list[_Page]] | None = None
    try:
        with (
            preserve_torch_init(),
            redirect_cuda(device),
            _autocast(device, dec.dtype, autocast_for),
            torch.no_grad(),
            cancel_hooks(model, cancel),
            stdout_to_log(),
            accel.exact(model),
        ):
            while True:
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    if inflight is not None:  # its tokens count, as they would have read one by one
                        read(inflight)
                        inflight = None
                    break
                if free:
                    fill_ahead()
                waiting = more_waiting()
                # Prefill several pages in one call (one vision/decoder pass instead of several)
                # once enough slots are free; at once when nothing is decoding.
                if waiting and free and (not active or len(free) >= min(max_prefill, waiting, group_at)):
                    admit()
                if not active:
                    if not ahead and next_index >= len(requests) and exhausted:
                        break
                    continue
                # Rows of the next step: pages that may go on (none is launched past its cap).
                slots_ = sorted(s for s, p in active.items() if p.issued < p.cap)
                step = None
                if slots_:
                    pages = [active[s] for s in slots_]
                    t0 = time.perf_counter()
                    step = launch(slots_, pages)
                    st["decode_s"] += time.perf_counter() - t0
                    st["steps"] += 1
                    st["rows"] += len(pages)
                if inflight is not None:
                    read(inflight)  # while the step just launched runs
                inflight = None
                if step is not None:
                    if pipeline:
                        inflight = step
                    else:
                        read(step)
    except GenerationCancelled:  # raised in a prefill (the model's cancel hooks)
        cancelled = True
        if inflight is not None:
            read(inflight)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    if cancelled:
        for page in list(active.values()):
            finish(page, cancelled=True)
        for i, outcome in enumerate(results):
            if outcome is None:
                fail(i, GenerationCancelled())
    st["total_s"] = time.perf_counter() - t_start
    return results


class _Snapshot:
    """A step's [2, n] output (chosen ids, their probabilities) copied off the device without waiting:
    a pinned host copy queued behind the step (the step's own output buffer is overwritten by the next
    replay), read once the GPU is past it."""

    def __init__(self, out: Any) -> None:
        import torch

        if out.device.type == "cuda":
            self.host = torch.empty(out.shape, dtype=out.dtype, pin_memory=True)
            self.host.copy_(out, non_blocking=True)
            self.event: Any = torch.cuda.Event()
            self.event.record(torch.cuda.current_stream(out.device))
        else:
            self.host, self.event = out.clone(), None

    def values(self) -> list[list[float]]:
        if self.event is not None:
            self.event.synchronize()
        return self.host.tolist()


@contextlib.contextmanager
def _autocast(device: Any, dtype: Any, autocast_for: Callable[[Any, Any], Any]) -> Iterator[None]:
    import torch

    if torch.device(device).type == "cuda" and dtype in (torch.bfloat16, torch.float16):
        # No weight-cast cache: CUDA graph capture must not keep tensors cached by autocast.
        with torch.autocast("cuda", dtype=dtype, cache_enabled=False):
            yield
    else:
        with autocast_for(device, dtype):
            yield


def _free_memory(device: Any) -> None:
    import gc

    import torch

    gc.collect()
    if torch.device(device).type == "cuda":
        torch.cuda.empty_cache()
