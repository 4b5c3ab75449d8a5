"""A stand-in for the remote code's MoE layer (same module contract), for accel.py tests on CPU and GPU."""

from __future__ import annotations

import torch
from torch import nn


class Mlp(nn.Module):
    def __init__(self, hidden: int, inter: int) -> None:
        super().__init__()
        self.gate_proj = nn.Linear(hidden, inter, bias=False)
        self.up_proj = nn.Linear(hidden, inter, bias=False)
        self.down_proj = nn.Linear(inter, hidden, bias=False)
        self.act_fn = nn.SiLU()

    def forward(self, x):  # type: ignore[no-untyped-def]
        return self.down_proj(self.act_fn(self.gate_proj(x)) * self.up_proj(x))


class Gate(nn.Module):
    def __init__(self, hidden: int, n_exp: int, k: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_exp, hidden) * 0.5)
        self.k = k

    def forward(self, h):  # type: ignore[no-untyped-def]
        scores = (h.reshape(-1, h.shape[-1]).float() @ self.weight.float().t()).softmax(-1)
        w, idx = torch.topk(scores, self.k, dim=-1, sorted=False)
        return idx, w


class Moe(nn.Module):
    """Routed experts with the remote code's contract: ``moe_infer(x, topk_ids, topk_weight)``."""

    def __init__(self, hidden: int = 32, inter: int = 16, n_exp: int = 8, k: int = 3) -> None:
        super().__init__()
        self.experts = nn.ModuleList(Mlp(hidden, inter) for _ in range(n_exp))
        self.gate = Gate(hidden, n_exp, k)

    def forward(self, h):  # type: ignore[no-untyped-def]
        idx, w = self.gate(h)
        return self.moe_infer(h.reshape(-1, h.shape[-1]), idx, w).view(*h.shape)

    @torch.no_grad()
    def moe_infer(self, x, topk_ids, topk_weight):  # type: ignore[no-untyped-def]
        # Reference: every (token, slot) pair through its expert, one at a time.
        out = torch.empty((*topk_ids.shape, x.shape[-1]), dtype=x.dtype, device=x.device)
        for t in range(topk_ids.shape[0]):
            for j in range(topk_ids.shape[1]):
                out[t, j] = self.experts[int(topk_ids[t, j])](x[t : t + 1])[0]
        return out.type(topk_weight.dtype).mul_(topk_weight.unsqueeze(-1)).sum(dim=1).type(out.dtype)


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleList([Moe(), Moe()])
        self.lm_head = nn.Linear(32, 50, bias=False)

    def forward(self, h):  # type: ignore[no-untyped-def]
        for layer in self.layers:
            h = h + layer(h)
        return self.lm_head(h)
