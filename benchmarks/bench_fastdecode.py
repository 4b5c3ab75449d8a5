"""The fast decoder (static KV cache, CUDA graphs, continuous batching) beside the official ``infer()``.

Usage (GPU machine, transformers 4.46.x; the remote code is never part of this repository)::

    python benchmarks/bench_fastdecode.py --remote-code DIR --weights /tmp/dsocr-random --out-dir OUT \
        [--sections fidelity,invariance,speed,steps,aggregate,fp32] [--pages 2] [--fidelity-tokens 128]

Sections (each writes its rows into ``fastdecode.json`` as soon as it ends; ``fastdecode.md`` at the end):

- ``fidelity_default``: as ``fidelity`` for the engine's default decoder (batch 1: piecewise graphs
  around an eager attention core over exactly the written positions).
- ``fidelity``: (padded-window graphs) per mode (Base, Gundam) and page, ``infer(eval_mode=True)``'s ids against the fast path's
  at batch 1 with the same n-gram processor (``no_repeat_ngram_size=35`` over the whole sequence), bf16
  as ``infer()`` runs; plus, teacher-forced on ``infer()``'s ids, the fast step's top-1 agreement with
  the remote code's own full forward and the largest logit difference.
- ``invariance``: the engine's default windowed ban; every page alone against all pages in one run and
  against a run with filler pages of other lengths (other batch buckets, other neighbours).
- ``fp32``: the same invariance check with a float32 model (no autocast).
- ``speed``: ``infer()`` decode tok/s on a Gundam page; fast path batch 1 (exact piecewise and padded
  graphs): decode tok/s, time to the first streamed token, and the old ``generate()`` path with ``accel.py`` for reference.
- ``steps``: one decode step replayed from its graph per batch bucket and window, with CUDA events, beside
  the bytes it must read / 4.3 TB/s and its FLOPs / 790 TFLOP/s (KINDS.md's measured ceilings).
- ``aggregate``: many Base pages with caps drawn from 200..3000 (fixed seed), continuous batching over
  ``--slots`` slots; tokens/s end to end (preprocessing, prefill and decode), peak GPU memory.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import dsocr_checkpoint as ckpt  # noqa: E402

BANDWIDTH = 4.3e12  # bytes/s, device-to-device copy measured on an H200 here
PEAK = 790e12  # bf16 FLOP/s, 8192^3 matmul measured on an H200 here

RESULTS: dict[str, Any] = {}
#: Where the run happens: "cuda:0", or "cpu" for --dry-run (tiny checkpoint, float32, CUDA calls stubbed).
DEVICE = "cuda:0"


def _dtype() -> Any:
    import torch

    return torch.bfloat16 if DEVICE.startswith("cuda") else torch.float32


def _dry_run_stubs() -> None:
    """CPU dry run: the torch.cuda calls of this script become no-ops (the script's logic still runs)."""
    import torch

    torch.cuda.synchronize = lambda *a, **k: None  # type: ignore[assignment]
    torch.cuda.empty_cache = lambda *a, **k: None  # type: ignore[assignment]
    torch.cuda.reset_peak_memory_stats = lambda *a, **k: None  # type: ignore[assignment]
    torch.cuda.max_memory_allocated = lambda *a, **k: 0  # type: ignore[assignment]
    torch.cuda.get_device_name = lambda *a, **k: "cpu (dry run)"  # type: ignore[assignment]


def _save(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "fastdecode.json").write_text(json.dumps(RESULTS, indent=1, default=str))


def _prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _trim(ids: list[int], eos: int = 1) -> list[int]:
    return ids[: ids.index(eos) + 1] if eos in ids else ids


def _requests(images: list[Any], mode: str, caps: list[int], prompt: str) -> list[Any]:
    from desktop_ocr.engine.deepseek.generation import PageRequest

    return [PageRequest(image=im, prompt=prompt, mode=mode, max_new_tokens=c) for im, c in zip(images, caps)]


def _fast(lm: Any, dec: Any, reqs: list[Any], **kw: Any) -> tuple[list[Any], dict[str, Any]]:
    from desktop_ocr.engine.deepseek import fastdecode

    st: dict[str, Any] = {}
    out = fastdecode.run_pages(dec, lm.tokenizer, reqs, version=lm.version, stats=st, **kw)
    for o in out:
        if isinstance(o, BaseException):
            raise o
    return out, st


def teacher_forced(lm: Any, official: Any, dec: Any, req: Any, ids: list[int]) -> dict[str, Any]:
    """Feed ``ids`` to the fast step; compare with the remote code's own forward over prompt + ids."""
    import torch

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.generation import prepare_batch
    from desktop_ocr.engine.deepseek.runtime import autocast_for

    device = dec.device
    batch = prepare_batch(lm.tokenizer, [req], lm.version)
    prompt = batch.input_ids.to(device)
    n = prompt.shape[1]
    img = batch.images[0]
    images = [(img.crops_tensor.to(device, torch.bfloat16), img.global_tensor.to(device, torch.bfloat16))]
    full = torch.cat([prompt, torch.tensor([ids[:-1]], device=device)], dim=1)
    mask = torch.cat([batch.images_seq_mask, torch.zeros(1, len(ids) - 1, dtype=torch.bool)], dim=1).to(
        device
    )
    with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16):
        ref = (
            official(
                input_ids=full,
                attention_mask=torch.ones_like(full),
                images=images,
                images_seq_mask=mask,
                images_spatial_crop=batch.images_spatial_crop,
                use_cache=False,
                return_dict=True,
            )
            .logits[0, n - 1 :]
            .float()
        )
    with torch.no_grad(), _autocast(device, dec.dtype, autocast_for), accel.exact(lm.model):
        out = lm.model(
            input_ids=prompt,
            attention_mask=torch.ones_like(prompt),
            images=images,
            images_seq_mask=batch.images_seq_mask.to(device),
            images_spatial_crop=batch.images_spatial_crop,
            use_cache=True,
            return_dict=True,
        )
        past = out.past_key_values
        if hasattr(past, "to_legacy_cache"):
            past = past.to_legacy_cache()
        dec.load(0, past, 0, n)
        rows = [out.logits[0, -1].float()]
        for j, tok in enumerate(ids[:-1]):
            pos = n + j
            logits = dec.step(
                torch.tensor([tok], device=device), torch.tensor([pos], device=device), 1, dec.window(pos)
            )
            rows.append(logits[0].clone())
    fast = torch.stack(rows)
    top_ref, top_fast = ref.argmax(-1), fast.argmax(-1)
    return {
        "teacher_forced_steps": len(ids),
        "top1_agree": int((top_ref == top_fast).sum()),
        "top1_agree_with_infer_ids": int((top_fast == torch.tensor(ids, device=device)).sum()),
        "max_logit_diff": float((ref - fast).abs().max()),
        "first_step_logit_diff": float((ref[0] - fast[0]).abs().max()),
    }


def _keyed(key: str, fn: Any, *a: Any) -> None:
    fn(*a)
    RESULTS[key] = RESULTS.pop("fidelity")


def section_fidelity(args: argparse.Namespace, folder: Path, pages: list[Path], lm: Any, dec: Any) -> None:
    import dsocr_official as official
    import torch
    from fidelity_check import load_official

    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    model, tok = load_official(folder, DEVICE, _dtype())
    rows = []
    for mode in ("base", "gundam"):
        for path in pages:
            ref = official.run_infer(
                model,
                tok,
                path,
                mode,
                prompt=args.prompt,
                max_new_tokens=args.fidelity_tokens,
                version=lm.version,
            )
            ref_ids = _trim(ref.new_ids[0])
            req = _requests([load_page_image(path)], mode, [args.fidelity_tokens], args.prompt)
            out, st = _fast(lm, dec, req, hf_no_repeat_ngram_size=35)
            got = out[0].token_ids
            row = {
                "mode": mode,
                "page": path.name,
                "prompt_tokens": int(ref.kwargs["input_ids"].shape[1]),
                "infer_tokens": len(ref_ids),
                "fast_tokens": len(got),
                "distinct": len(set(ref_ids)),
                "equal": ref_ids == got,
                "agreeing_prefix": _prefix(ref_ids, got),
                "infer_seconds": round(ref.seconds, 3),
                "fast_seconds": round(st["total_s"], 3),
            }
            try:
                row.update(teacher_forced(lm, model, dec, req[0], ref_ids))
            except Exception as exc:
                row["teacher_forced_error"] = repr(exc)[:300]
            print(json.dumps(row), flush=True)
            rows.append(row)
    RESULTS["fidelity"] = rows
    del model
    torch.cuda.empty_cache()


def _invariance(lm: Any, dec: Any, images: list[Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM

    modes = ["base", "gundam"]
    reqs = [r for m in modes for r in _requests(images, m, [args.fidelity_tokens] * len(images), args.prompt)]
    alone = [_fast(lm, dec, [r], ngram=DEFAULT_NGRAM)[0][0].token_ids for r in reqs]
    together = [g.token_ids for g in _fast(lm, dec, reqs, ngram=DEFAULT_NGRAM)[0]]
    rng = random.Random(7)
    filler = _requests(
        [images[i % len(images)] for i in range(10)],
        "base",
        [rng.randint(20, 3 * args.fidelity_tokens) for _ in range(10)],
        args.prompt,
    )
    mixed_reqs = filler[:5] + reqs + filler[5:]
    mixed = [g.token_ids for g in _fast(lm, dec, mixed_reqs, ngram=DEFAULT_NGRAM)[0]][5 : 5 + len(reqs)]
    rows = []
    for r, a, t, m in zip(reqs, alone, together, mixed):
        rows.append(
            {
                "mode": r.mode,
                "tokens": len(a),
                "together_equal": a == t,
                "together_prefix": _prefix(a, t),
                "mixed_equal": a == m,
                "mixed_prefix": _prefix(a, m),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def section_speed(
    args: argparse.Namespace, folder: Path, pages: list[Path], lm: Any, decs: dict[str, Any]
) -> None:
    import dsocr_official as official
    import torch
    from fidelity_check import load_official

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.generation import generate_pages
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM
    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    res: dict[str, Any] = {}
    RESULTS["speed"] = res
    path = pages[0]
    image = load_page_image(path)
    model, tok = load_official(folder, DEVICE, _dtype())
    infer_runs: list[dict[str, Any]] = []
    # Untimed first call: its CUDA/cuBLAS start-up would land in the first timed 16-token run.
    official.run_infer(model, tok, path, "gundam", prompt=args.prompt, max_new_tokens=4, version=lm.version)
    for _ in range(max(1, args.infer_repeats)):
        short = official.run_infer(
            model, tok, path, "gundam", prompt=args.prompt, max_new_tokens=16, version=lm.version
        )
        long_ = official.run_infer(
            model, tok, path, "gundam", prompt=args.prompt, max_new_tokens=144, version=lm.version
        )
        n_short, n_long = len(_trim(short.new_ids[0])), len(_trim(long_.new_ids[0]))
        infer_runs.append(
            {
                "seconds_16": round(short.seconds, 3),
                "seconds_144": round(long_.seconds, 3),
                "tokens": [n_short, n_long],
                "decode_tok_s": round((n_long - n_short) / max(1e-9, long_.seconds - short.seconds), 1),
            }
        )
        print(json.dumps(infer_runs[-1]), flush=True)
    res["infer_gundam"] = {**_median_run(infer_runs), "runs": infer_runs}
    del model
    torch.cuda.empty_cache()
    cap = args.speed_tokens
    pipes = [x for x in args.pipelines.split(",") if x]
    for (name, dec), mode, pipe in [
        (kv, m, pp) for kv in decs.items() for m in args.speed_modes.split(",") if m for pp in pipes
    ]:
        moe = name if pipe == "on" else f"{name}_nopipe"
        on = pipe == "on"
        _fast(
            lm, dec, _requests([image], mode, [cap], args.prompt), ngram=DEFAULT_NGRAM, pipeline=on
        )  # capture
        runs: list[dict[str, Any]] = []
        for _ in range(max(1, args.speed_repeats)):
            req = _requests([image], mode, [cap], args.prompt)
            firsts: list[float] = []
            t0 = [0.0]

            def on_text(i: int, delta: str, firsts: list[float] = firsts, t0: list[float] = t0) -> None:
                if not firsts:
                    firsts.append(time.perf_counter() - t0[0])

            t0[0] = time.perf_counter()
            out, st = _fast(lm, dec, req, ngram=DEFAULT_NGRAM, on_text=on_text, pipeline=on)
            n = len(out[0].token_ids)
            after_first = st["total_s"] - st["first_token_s"][0]
            runs.append(
                {
                    "pipeline": on,
                    "tokens": n,
                    # Tokens after the first over the wall time from the first to the end (what the
                    # user watching the page stream sees; decode_tok_s counts the step calls only).
                    "streamed_tok_s": round((n - 1) / max(1e-9, after_first), 1),
                    "first_streamed_text_s": round(firsts[0], 3) if firsts else None,
                    "first_token_s": round(st["first_token_s"][0], 3),
                    "prefill_s": round(st["prefill_s"], 3),
                    "decode_tok_s": round((n - 1) / max(1e-9, st["decode_s"]), 1),
                    "step_ms": round(1000 * st["decode_s"] / max(1, st["steps"]), 3),
                    "total_s": round(st["total_s"], 3),
                }
            )
            print(json.dumps({f"{moe}_{mode}": runs[-1]}), flush=True)
        name_b1 = f"fast_{moe}_{mode}_b1"
        if name_b1 in res:  # a repeat (--pipelines on,off,on)
            name_b1 += f"_{sum(k.startswith(name_b1) for k in res) + 1}"
        res[name_b1] = {**_median_run(runs), "runs": runs}
        if "infer_gundam" in res:
            res[name_b1]["x_infer_median"] = round(
                res[name_b1].get("streamed_tok_s", res[name_b1]["decode_tok_s"])
                / max(1e-9, res["infer_gundam"]["decode_tok_s"]),
                1,
            )
        print(json.dumps({k: v for k, v in res[name_b1].items() if k != "runs"}), flush=True)
        _save(args.out_dir)
    RESULTS["speed"] = res
    if args.skip_generate:
        return
    # The previous engine path (model.generate with accel.py), batch 1, for reference.
    accel.apply(lm.model)
    reqs = _requests([image], "gundam", [128], args.prompt)
    generate_pages(
        lm.model, lm.tokenizer, _requests([image], "gundam", [8], args.prompt), ngram=DEFAULT_NGRAM
    )
    torch.cuda.synchronize()
    t = time.perf_counter()
    g8 = generate_pages(
        lm.model, lm.tokenizer, _requests([image], "gundam", [8], args.prompt), ngram=DEFAULT_NGRAM
    )
    torch.cuda.synchronize()
    t8 = time.perf_counter() - t
    t = time.perf_counter()
    g = generate_pages(lm.model, lm.tokenizer, reqs, ngram=DEFAULT_NGRAM)
    torch.cuda.synchronize()
    t128 = time.perf_counter() - t
    res["generate_accel_gundam_b1"] = {
        "decode_tok_s": round((len(g[0].token_ids) - len(g8[0].token_ids)) / max(1e-9, t128 - t8), 1)
    }
    print(json.dumps(res["generate_accel_gundam_b1"]), flush=True)
    RESULTS["speed"] = res


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median decode rate, with the rates' median, smallest and largest."""
    # The streamed rate (wall time from the first token to the end) where there is one: with pipelined
    # steps decode_s leaves out the host's bookkeeping, which overlaps the GPU.
    key = "streamed_tok_s" if all("streamed_tok_s" in r for r in runs) else "decode_tok_s"
    rates = sorted(r[key] for r in runs)
    middle = sorted(runs, key=lambda r: r[key])[(len(runs) - 1) // 2]
    median = (
        rates[len(rates) // 2]
        if len(rates) % 2
        else (rates[len(rates) // 2 - 1] + rates[len(rates) // 2]) / 2
    )
    return {
        **middle,
        "median_of": key,
        key: round(median, 1),
        f"{key}_min": rates[0],
        f"{key}_max": rates[-1],
        "repeats": len(runs),
    }


def section_profile(args: argparse.Namespace, pages: list[Path], lm: Any, decs: dict[str, Any]) -> None:
    """Where a batch-1 decode step goes: kernels per step, GPU-busy time per step (torch.profiler,
    CUPTI sees the kernels inside graph replays) against the step's wall time (CUDA events)."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM
    from desktop_ocr.engine.deepseek.preprocess import load_page_image
    from desktop_ocr.engine.deepseek.runtime import autocast_for

    image = load_page_image(pages[0])
    res: dict[str, Any] = {}
    RESULTS["profile"] = res
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, dec in decs.items():
        out, _st = _fast(lm, dec, _requests([image], "gundam", [64], args.prompt), ngram=DEFAULT_NGRAM)
        start = out[0].prompt_tokens + 64
        n = 48
        with torch.no_grad(), _autocast(dec.device, dec.dtype, autocast_for):

            def steps(first: int, count: int, dec: Any = dec) -> None:
                for j in range(count):
                    pos = first + j
                    dec.decode(
                        torch.tensor([5 + j], device=dec.device),
                        torch.tensor([pos], device=dec.device),
                        1,
                        dec.window(pos, 1),
                    ).tolist()  # the host waits for each step, as run_pages does

            steps(start, 8)  # warm (captures)
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            steps(start + 8, n)
            torch.cuda.synchronize()
            wall_ms = (time.perf_counter() - t0) * 1000 / n
            split = _host_split(dec, start + 8, n) if args.host_split else {}
            with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
                steps(start + 8 + n, n)
                torch.cuda.synchronize()
        kernels: dict[str, list[float]] = {}
        for ev in prof.events():
            if getattr(ev, "device_type", None) == torch.autograd.DeviceType.CUDA and ev.device_time > 0:
                kernels.setdefault(ev.name, []).append(ev.device_time)
        total_us = sum(sum(v) for v in kernels.values())
        count = sum(len(v) for v in kernels.values())
        top = sorted(kernels.items(), key=lambda kv: -sum(kv[1]))[:25]
        res[name] = {
            **split,
            "step_ms_wall": round(wall_ms, 3),
            "kernels_per_step": round(count / n, 1),
            "gpu_busy_ms_per_step": round(total_us / n / 1000, 3),
            "top_kernels": [
                {
                    "kernel": k[:110],
                    "per_step": round(len(v) / n, 1),
                    "us_per_step": round(sum(v) / n, 1),
                    "share": round(sum(v) / max(1e-9, total_us), 3),
                }
                for k, v in top
            ],
        }
        print(json.dumps({name: {k: v for k, v in res[name].items() if k != "top_kernels"}}), flush=True)
        (args.out_dir / f"profile_{name}.txt").write_text(
            prof.key_averages().table(sort_by="cuda_time_total", row_limit=40)
        )
    RESULTS["profile"] = res


def _host_split(dec: Any, first: int, n: int) -> dict[str, Any]:
    """Where a batch-1 step's wall time goes on the host: the time until ``decode`` returns (every launch
    issued; the GPU runs behind) and the wait in ``.tolist()`` for the GPU to finish; then the same steps
    with run_pages' input path (a host tensor copied to the device) and with Python's GC off."""
    import gc

    import torch

    def loop(kind: str) -> dict[str, float]:
        launch = wait = 0.0
        torch.cuda.synchronize()
        t_all = time.perf_counter()
        for j in range(n):
            pos = first + j
            t0 = time.perf_counter()
            if kind == "run_pages":
                both = torch.tensor([[5 + j], [pos]], dtype=torch.long).to(dec.device, non_blocking=True)
                got = dec.decode(both[0], both[1], 1, dec.window(pos, 1), [pos + 1])
            else:
                got = dec.decode(
                    torch.tensor([5 + j], device=dec.device),
                    torch.tensor([pos], device=dec.device),
                    1,
                    dec.window(pos, 1),
                )
            t1 = time.perf_counter()
            got.tolist()
            t2 = time.perf_counter()
            launch += t1 - t0
            wait += t2 - t1
        total = time.perf_counter() - t_all
        return {
            "wall_ms": round(1000 * total / n, 3),
            "host_until_return_ms": round(1000 * launch / n, 3),
            "wait_in_tolist_ms": round(1000 * wait / n, 3),
        }

    out = {"host_split": loop("plain"), "host_split_run_pages_inputs": loop("run_pages")}
    was = gc.isenabled()
    gc.disable()
    try:
        out["host_split_gc_off"] = loop("run_pages")
    finally:
        if was:
            gc.enable()
    print(json.dumps(out), flush=True)
    return out


def _counts(lm: Any) -> dict[str, float]:
    """Bytes the step reads for weights (dense MoE: every expert), active parameters, KV bytes/position."""
    model = lm.model
    layers = model.model.layers
    weight_bytes = 0
    all_params = 0
    active = 0
    for layer in layers:
        for name, p in layer.named_parameters():
            weight_bytes += p.numel() * p.element_size()
            all_params += p.numel()
            if ".experts." in f".{name}":
                e = layer.mlp.config.num_experts_per_tok / layer.mlp.config.n_routed_experts
                active += p.numel() * e
            else:
                active += p.numel()
    head = model.lm_head.weight
    weight_bytes += head.numel() * head.element_size()
    all_params += head.numel()
    active += head.numel()
    attn = layers[0].self_attn
    kv_per_pos = len(layers) * 2 * attn.num_heads * attn.head_dim * head.element_size()
    return {
        "weight_bytes": weight_bytes,
        "params_computed": all_params,
        "params_active": active,
        "kv_bytes_per_position": kv_per_pos,
        "attn_flop_per_position": len(layers) * 4 * attn.num_heads * attn.head_dim,
    }


def section_steps(args: argparse.Namespace, lm: Any, dec: Any) -> None:
    import torch

    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.runtime import autocast_for

    c = _counts(lm)
    dec.set_ban(None)
    rows = []
    with torch.no_grad(), _autocast(dec.device, dec.dtype, autocast_for):
        for b in [x for x in (1, 8, 32, 64, 128, 256) if x <= dec.slots and not dec.exact(x)]:
            for t in (1024, 2048, 3584):
                if t > dec.max_len:
                    continue
                tok = torch.randint(3, 100000, (b,), device=dec.device)
                pos = torch.full((b,), t - 1, device=dec.device)
                dec.decode(tok, pos, b, t)
                graph, _out = dec._captured[(b, t, True)]
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                times = []
                for _ in range(20):
                    start.record()
                    graph.replay()
                    end.record()
                    end.synchronize()
                    times.append(start.elapsed_time(end))
                ms = sorted(times)[len(times) // 2]
                read = c["weight_bytes"] + b * t * c["kv_bytes_per_position"]
                flop = 2 * b * c["params_computed"] + b * t * c["attn_flop_per_position"]
                flop_active = 2 * b * c["params_active"] + b * t * c["attn_flop_per_position"]
                rows.append(
                    {
                        "batch": b,
                        "window": t,
                        "step_ms": round(ms, 3),
                        "tok_s": round(b / ms * 1000, 0),
                        "bytes_GB": round(read / 1e9, 2),
                        "bandwidth_floor_ms": round(read / BANDWIDTH * 1000, 3),
                        "TFLOP_dense_moe": round(flop / 1e12, 3),
                        "TFLOP_active_only": round(flop_active / 1e12, 3),
                        "compute_floor_ms": round(flop / PEAK * 1000, 3),
                        "achieved_TBps": round(read / (ms / 1000) / 1e12, 2),
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    RESULTS["steps"] = {"counts": c, "rows": rows}


def section_aggregate(args: argparse.Namespace, pages: list[Path], lm: Any, dec: Any) -> None:
    for pipe in [x for x in args.pipelines.split(",") if x]:
        _aggregate(args, pages, lm, dec, pipe == "on")


def _aggregate(args: argparse.Namespace, pages: list[Path], lm: Any, dec: Any, pipeline: bool) -> None:
    import torch

    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    rng = random.Random(args.seed)
    images = [load_page_image(p) for p in pages]
    n = args.aggregate_pages
    lo, hi = (int(x) for x in args.cap_range.split(","))
    caps = [rng.randint(lo, hi) for _ in range(n)]
    reqs = _requests([images[i % len(images)] for i in range(n)], args.aggregate_mode, caps, args.prompt)
    # Capture every graph this run can need first (a real run captures each once, on first use).
    t0 = time.perf_counter()
    dec.set_ban(None)
    _warm(dec)
    warm_s = time.perf_counter() - t0
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    out, st = _fast(lm, dec, reqs, ngram=None, max_prefill=args.max_prefill, pipeline=pipeline)
    torch.cuda.synchronize()
    wall = time.perf_counter() - t0
    tokens = sum(len(o.token_ids) for o in out)
    res = {
        "pages": n,
        "mode": args.aggregate_mode,
        "max_prefill": args.max_prefill,
        "attention": "varlen" if dec.varlen else "padded",
        "decoder": args.decoder,
        "pipeline": pipeline,
        "loops": st.get("loops", 0),
        "host_other_s": round(wall - st["prefill_s"] - st["decode_s"], 2),
        "slots": dec.slots,
        "caps_sum": sum(caps),
        "tokens": tokens,
        "eos_pages": sum(1 for o in out if o.eos),
        "wall_s": round(wall, 2),
        "tok_s": round(tokens / wall, 0),
        "pages_per_min": round(n / wall * 60, 1),
        "prefill_s": round(st["prefill_s"], 2),
        "prefills": st["prefills"],
        "decode_s": round(st["decode_s"], 2),
        "steps": st["steps"],
        "mean_rows_per_step": round(st["rows"] / max(1, st["steps"]), 1),
        "graph_capture_s": round(warm_s, 1),
        "graphs": len(dec._captured),
        "peak_gpu_GiB": round(torch.cuda.max_memory_allocated() / 2**30, 2),
        "kv_cache_GiB": round(dec.cache_bytes / 2**30, 2),
    }
    print(json.dumps(res), flush=True)
    key = "aggregate" if pipeline else "aggregate_nopipe"
    if key in RESULTS:  # a repeat
        key += f"_{sum(k.startswith(key) for k in RESULTS)}"
    RESULTS[key] = res


def _warm(dec: Any) -> None:
    import torch

    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.runtime import autocast_for

    buckets = sorted({dec.bucket(i) for i in range(1, dec.slots + 1)})
    with torch.no_grad(), _autocast(dec.device, dec.dtype, autocast_for):
        for b in buckets:
            windows = [dec.max_len] if dec.uses_varlen(b) else range(512, dec.max_len + 1, 512)
            for t in windows:
                if (b, t, True) not in dec._captured:
                    dec.decode(torch.zeros(b, dtype=torch.long), torch.zeros(b, dtype=torch.long), b, t)


def to_markdown() -> str:
    meta = RESULTS.get("meta", {})
    lines = [
        "# Fast decoder (static KV cache + CUDA graphs + continuous batching) vs `infer()`",
        "",
        f"{meta.get('device_name')}, torch {meta.get('torch')}, transformers {meta.get('transformers')}, "
        f"remote code {meta.get('remote_code_name')} ({meta.get('remote_code_sha')}), random full-size weights "
        f"(seed {meta.get('seed')}), bf16 unless said; {meta.get('date')}.",
        "",
    ]
    for key in [k for k in RESULTS if k.startswith(("fidelity", "invariance"))]:
        rows = RESULTS.get(key)
        if not rows:
            continue
        lines += [f"## {key}", "", "| " + " | ".join(rows[0].keys()) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(str(v) for v in r.values()) + " |" for r in rows]
        lines.append("")
    if "speed" in RESULTS:
        lines += ["## speed (batch 1)", "", "```", json.dumps(RESULTS["speed"], indent=1), "```", ""]
    if "profile" in RESULTS:
        lines += ["## profile (batch 1, Gundam page, 48 steps)", ""]
        for name, r in RESULTS["profile"].items():
            lines += [
                f"### {name}: {r['step_ms_wall']} ms per step (wall), {r['kernels_per_step']} kernels and "
                f"{r['gpu_busy_ms_per_step']} ms of kernel time per step",
                "",
                "| kernel | per step | us per step | share |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| `{k['kernel']}` | {k['per_step']} | {k['us_per_step']} | {k['share']} |"
                for k in r["top_kernels"]
            ]
            lines.append("")
    if "steps" in RESULTS:
        rows = RESULTS["steps"]["rows"]
        lines += ["## decode step vs hardware limits", "", f"counts: `{RESULTS['steps']['counts']}`", ""]
        if rows:
            lines += ["| " + " | ".join(rows[0].keys()) + " |", "|" + "---|" * len(rows[0])]
            lines += ["| " + " | ".join(str(v) for v in r.values()) + " |" for r in rows]
        lines.append("")
    for key in [k for k in RESULTS if k.startswith("aggregate")]:
        lines += [f"## {key}", "", "```", json.dumps(RESULTS[key], indent=1), "```", ""]
    if RESULTS.get("errors"):
        lines += ["## errors", "", "```", *RESULTS["errors"], "```"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--remote-code", type=Path, required=True)
    p.add_argument("--weights", type=Path, default=Path("/tmp/dsocr-random"))
    p.add_argument("--out-dir", type=Path, default=Path("."))
    p.add_argument("--sections", default="profile,fidelity_default,speed,invariance,steps,aggregate")
    p.add_argument("--pages", type=int, default=2)
    p.add_argument("--fidelity-tokens", type=int, default=128)
    p.add_argument("--speed-tokens", type=int, default=512)
    p.add_argument("--slots", type=int, default=128)
    p.add_argument("--aggregate-pages", type=int, default=192)
    p.add_argument("--aggregate-mode", default="base")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--max-prefill", type=int, default=8, help="aggregate: pages per prefill call at most")
    p.add_argument("--cap-range", default="200,3000", help="aggregate: token caps drawn from LO,HI")
    p.add_argument("--moe", default="auto", help="MoE path of the steps/aggregate decoder")
    p.add_argument(
        "--exact-rows",
        type=int,
        default=0,
        help="steps/aggregate: rows decoded as alone (0: whole-step graphs)",
    )
    p.add_argument("--attention", default="auto", help="attention of 2+ row steps: auto, varlen, padded")
    p.add_argument(
        "--decoder",
        default="invariant",
        help="steps/aggregate decoder: invariant (batch-invariant graphs, the 'fastest' setting), "
        "exact (the default: every row as alone) or fast (exact_rows=0, round three's graphs)",
    )
    p.add_argument("--skip-generate", action="store_true", help="speed: leave out the generate() path")
    p.add_argument(
        "--speed-repeats", type=int, default=1, help="speed: runs per decoder and mode (median, range)"
    )
    p.add_argument("--infer-repeats", type=int, default=1, help="speed: infer() measurements (16/144 tokens)")
    p.add_argument("--speed-modes", default="gundam,base", help="speed: modes of the fast decoder runs")
    p.add_argument(
        "--speed-decoders",
        default="exact_lean,invariant_graph,padded_graph",
        help="speed: decoders (exact_lean = the default, invariant_graph = 'fastest', padded_graph)",
    )
    p.add_argument(
        "--pipelines",
        default="on",
        help="speed/aggregate: run_pages with its pipelined steps (on), steps read one by one (off), or both "
        "(on,off; off,on,off: repeats)",
    )
    p.add_argument("--host-split", action="store_true", help="profile: host launch time vs GPU wait per step")
    p.add_argument(
        "--profile-decoders",
        default="exact_lean,exact_lean_unfused,exact_plain,padded_graph",
        help="profile: decoders whose batch-1 step is profiled",
    )
    p.add_argument("--dry-run", action="store_true", help="on the CPU with a tiny checkpoint (script check)")
    args = p.parse_args(argv)
    sections = [s for s in args.sections.split(",") if s]

    import hashlib

    import torch
    import transformers
    from fidelity_check import _page_set, load_engine

    from desktop_ocr.engine.base import ReadOptions
    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    args.prompt = ReadOptions().prompt_text()
    t0 = time.perf_counter()
    global DEVICE
    if args.dry_run:
        DEVICE = "cpu"
        _dry_run_stubs()
        folder = ckpt.ensure_checkpoint(
            args.remote_code, args.weights, tiny=True, seed=args.seed, device="cpu"
        )
    else:
        folder = ckpt.ensure_checkpoint(args.remote_code, args.weights, seed=args.seed, device="cuda:0")
    print(f"checkpoint ready in {time.perf_counter() - t0:.1f}s", flush=True)
    pages = _page_set(folder / "pages", max(args.pages, 3))
    sha = hashlib.sha256()
    for f in sorted(args.remote_code.glob("*.py")):
        sha.update(f.read_bytes())
    RESULTS["meta"] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "device_name": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "remote_code_name": args.remote_code.name,
        "remote_code_sha": sha.hexdigest()[:12],
        "seed": args.seed,
        "args": {k: str(v) for k, v in vars(args).items()},
    }
    RESULTS["errors"] = []
    lm = load_engine(folder, DEVICE, _dtype())
    # The engine's default: batch 1 piecewise (graphs around an eager, exact attention core), lean
    # step; 2+ rows: whole-step graphs with the varlen attention kernel.
    default = fastdecode.create_decoder(lm.model, 16, 4096)
    # Round two's default (no lean shortcuts, padded windows for 2+ rows), and whole-step graphs at batch 1.
    plain = fastdecode.create_decoder(lm.model, 16, 4096, lean=False, attention="padded")
    padded = fastdecode.create_decoder(lm.model, 16, 4096, piecewise=False, attention="padded")
    decs: dict[str, Any] = {}
    imgs = [load_page_image(x) for x in pages[: args.pages]]
    RESULTS["meta"]["default_decoder"] = {
        "lean": default.lean,
        "shared_rope": default.shared_rope,
        "plain_gate": default.plain_gate,
        "varlen": default.varlen,
        "fused": default.fused is not None,
    }
    nofused = fastdecode.create_decoder(lm.model, 16, 4096, fused=False)
    invariant = fastdecode.create_decoder(lm.model, 16, 4096, invariant=True)
    todo: list[tuple[str, Any]] = [
        (
            "profile",
            lambda: section_profile(
                args,
                pages,
                lm,
                {
                    k: v
                    for k, v in {
                        "exact_lean": default,
                        "exact_lean_unfused": nofused,
                        "exact_plain": plain,
                        "padded_graph": padded,
                        "invariant_graph": invariant,
                    }.items()
                    if k in args.profile_decoders.split(",")
                },
            ),
        ),
        (
            "fidelity_default",
            lambda: _keyed(
                "fidelity_default_lean", section_fidelity, args, folder, pages[: args.pages], lm, default
            ),
        ),
        (
            "speed",
            lambda: section_speed(
                args,
                folder,
                pages,
                lm,
                {
                    k: v
                    for k, v in {
                        "exact_lean": default,
                        "invariant_graph": invariant,
                        "padded_graph": padded,
                    }.items()
                    if k in args.speed_decoders.split(",")
                },
            ),
        ),
        (
            "invariance",
            lambda: RESULTS.__setitem__("invariance_bf16_varlen", _invariance(lm, default, imgs, args)),
        ),
        (
            "invariance_padded",
            lambda: RESULTS.__setitem__("invariance_bf16_padded", _invariance(lm, plain, imgs, args)),
        ),
    ]
    for name, fn in todo:
        if name not in sections:
            continue
        t = time.perf_counter()
        try:
            fn()
        except Exception:
            RESULTS["errors"].append(f"{name}: {traceback.format_exc()[-1500:]}")
            print(RESULTS["errors"][-1], flush=True)
        print(f"section {name}: {time.perf_counter() - t:.0f}s", flush=True)
        _save(args.out_dir)
    decs.clear()
    default = padded = plain = nofused = invariant = None  # free their caches before the big decoder
    if "steps" in sections or "aggregate" in sections:
        torch.cuda.empty_cache()
        chosen: dict[str, Any] = {
            "invariant": {"invariant": True},
            "exact": {},
            "fast": {"exact_rows": args.exact_rows},
        }[args.decoder]
        big = fastdecode.create_decoder(
            lm.model, args.slots, 3584, moe=args.moe, attention=args.attention, **chosen
        )
        for name, fn in (
            ("steps", lambda: section_steps(args, lm, big)),
            ("aggregate", lambda: section_aggregate(args, pages, lm, big)),
        ):
            if name not in sections:
                continue
            t = time.perf_counter()
            try:
                fn()
            except Exception:
                RESULTS["errors"].append(f"{name}: {traceback.format_exc()[-1500:]}")
                print(RESULTS["errors"][-1], flush=True)
            print(f"section {name}: {time.perf_counter() - t:.0f}s", flush=True)
            _save(args.out_dir)
        del big
    if "fp32" in sections:
        t = time.perf_counter()
        try:
            del lm
            torch.cuda.empty_cache()
            lm32 = load_engine(folder, DEVICE, torch.float32)
            dec32 = fastdecode.create_decoder(lm32.model, 16, 2048, graphs=True, moe="auto")
            RESULTS["invariance_fp32_auto"] = _invariance(
                lm32, dec32, [load_page_image(x) for x in pages[: args.pages]], args
            )
        except Exception:
            RESULTS["errors"].append(f"fp32: {traceback.format_exc()[-1500:]}")
            print(RESULTS["errors"][-1], flush=True)
        print(f"section fp32: {time.perf_counter() - t:.0f}s", flush=True)
        _save(args.out_dir)
    md = to_markdown()
    (args.out_dir / "fastdecode.md").write_text(md)
    print(md, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
