"""Which pieces of the eager batch-1 decode attention a batched or Triton form reproduces bit for bit (GPU).

Usage (CUDA machine): ``python benchmarks/bench_attention_bits.py --out OUT.json``

The exact decoder attends each row with the eager ops ``infer()`` runs at batch 1 (bf16):
``s = q @ k[:n].T`` (cuBLAS, bf16 out), ``s / sqrt(d)``, ``softmax(s, float32)``, ``.to(bf16)``,
``w @ v[:n]`` (cuBLAS). A graph-capturable batched step must give the same bits with shapes that do not
follow ``n``. For a sample of lengths ``n`` (one head-row of 16 heads x 128 dims per length, scores
scaled to a peaked softmax as a trained model's), this counts for each piece how often an alternative
gives bits different from the eager piece on exactly ``n`` positions:

- ``scores_padded``: the product over a padded window of T = 4096 positions, sliced to ``n``;
- ``scores_fp32_sum``: float32 products summed by torch (another order), rounded to bf16;
- ``softmax_padded``: the float32 softmax over the padded window with the rest masked (finfo.min);
- ``wv_padded``: ``w @ v`` over the padded window with zero weights beyond ``n``;
- ``varlen_kernel``: :mod:`desktop_ocr.engine.deepseek.decode_attention` (the invariant decoder's kernel)
  against the whole eager attention.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=Path("attention_bits.json"))
    p.add_argument(
        "--lengths",
        default="1,2,7,31,32,33,64,100,255,256,300,310,512,700,929,1000,1023,1024,1025,1500,2000,2048,2500,3000,3584,4000",
    )
    args = p.parse_args(argv)
    import torch

    from desktop_ocr.engine.deepseek import decode_attention

    dev, dt, heads, d, big = "cuda", torch.bfloat16, 16, 128, 4096
    gen = torch.Generator(device=dev).manual_seed(5)
    q = (torch.randn(1, heads, 1, d, device=dev, generator=gen) * 2.0).to(dt)
    k = torch.randn(1, heads, big, d, device=dev, generator=gen).to(dt)
    v = torch.randn(1, heads, big, d, device=dev, generator=gen).to(dt)
    rows = []
    with torch.no_grad():
        for n in (int(x) for x in args.lengths.split(",")):
            kn, vn = k[:, :, :n], v[:, :, :n]
            s = torch.matmul(q, kn.transpose(2, 3))
            sp = torch.matmul(q, k.transpose(2, 3))[..., :n]
            s32 = (q.float() * kn.float()).sum(-1).unsqueeze(2).to(dt)
            sc = s / math.sqrt(d)
            w32 = torch.nn.functional.softmax(sc, dim=-1, dtype=torch.float32)
            full = torch.full((1, heads, 1, big), torch.finfo(dt).min, dtype=dt, device=dev)
            full[..., :n] = sc
            wp32 = torch.nn.functional.softmax(full, dim=-1, dtype=torch.float32)[..., :n]
            w = w32.to(dt)
            o = torch.matmul(w, vn)
            wz = torch.zeros(1, heads, 1, big, dtype=dt, device=dev)
            wz[..., :n] = w
            op = torch.matmul(wz, v)
            kern = torch.empty_like(o)
            decode_attention.attend(q, k, v, torch.full((1,), n, device=dev), kern)

            def frac(a: torch.Tensor, b: torch.Tensor) -> float:
                return round(float((a != b).float().mean()), 6)

            row = {
                "n": n,
                "scores_padded": frac(s, sp),
                "scores_fp32_sum": frac(s, s32),
                "softmax_padded": frac(w32, wp32),
                "wv_padded": frac(o, op),
                "varlen_kernel": frac(o, kern),
                "varlen_max_diff": float((o.float() - kern.float()).abs().max()),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    args.out.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
