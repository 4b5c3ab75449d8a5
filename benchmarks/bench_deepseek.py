"""Benchmark the DeepSeek-OCR engine on a GPU against the official ``infer()`` one-page loop.

Usage::

    python benchmarks/bench_deepseek.py --remote-code DIR --weights /tmp/dsocr-random \
        [--batch-sizes 1,8,32,64,128] [--max-new-tokens 256] [--accel both] [--out-dir DIR]

Measures, in one run on one model (random full-size weights, see ``scripts/dsocr_checkpoint.py``):

- vision-encode time per mode (SAM + CLIP + projector on the page's global view and tiles, one A4
  page), CPU preprocessing time, and encode + prefill (``generate`` with a cap of one token);
- the official ``infer(eval_mode=True)`` called page after page (Gundam, its ``max_new_tokens`` capped
  like the engine's): seconds per page and generated tokens per second;
- the engine's ``generate_pages`` in Gundam mode on A4 pages for each batch size, without and/or with
  ``desktop_ocr.engine.deepseek.accel``: wall time, prefill time, generated tokens per second (end to
  end and decoding only), pages per minute, peak GPU memory. Running out of memory is reported, not fatal.

Random weights never stop early (no EOS), so every page generates exactly ``--max-new-tokens``. Real
pages generate far more tokens than a short cap, which makes a capped run's end-to-end figure
pessimistic; the table also projects pages/min and tokens/s for ``--project-tokens`` tokens per page
from the measured prefill time and per-step time (labelled as a projection).

Results: ``bench_deepseek.json`` and ``bench_deepseek.md`` in ``--out-dir``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import dsocr_checkpoint as ckpt  # noqa: E402
import dsocr_official as official  # noqa: E402

A4 = (1240, 1754)


def _sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _median_time(fn: Callable[[], Any], repeat: int = 3) -> float:
    fn()
    _sync()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        _sync()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def encode_vision(model: Any, prep: Any) -> Any:
    """SAM -> CLIP -> projector on the tiles (if any) and the global view, as the remote forward does."""
    import torch

    inner = model.model
    dev = next(model.parameters()).device
    dtype = next(model.parameters()).dtype

    def enc(x: Any) -> Any:
        f1 = inner.sam_model(x)
        f2 = inner.vision_model(x, f1)
        return inner.projector(torch.cat((f2[:, 1:], f1.flatten(2).permute(0, 2, 1)), dim=-1))

    out = []
    with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.type == "cuda"):
        if prep.grid != (1, 1):
            out.append(enc(prep.crops_tensor.to(dev, dtype)))
        out.append(enc(prep.global_tensor.to(dev, dtype)))
    return out


@contextlib.contextmanager
def prefill_clock(model: Any, marks: list[float]) -> Iterator[None]:
    """Append the time at which the first ``lm_head`` call (end of prefill) finished."""

    def hook(_m: Any, _i: Any, _o: Any) -> None:
        if not marks:
            _sync()
            marks.append(time.perf_counter())

    handle = model.lm_head.register_forward_hook(hook)
    try:
        yield
    finally:
        handle.remove()


def bench_modes(loaded: Any, page: Any, modes: list[str]) -> list[dict[str, Any]]:
    from desktop_ocr.engine.deepseek.generation import PageRequest, generate_pages
    from desktop_ocr.engine.deepseek.preprocess import prepare_image

    rows = []
    for mode in modes:
        t0 = time.perf_counter()
        prep = prepare_image(page, loaded.version, mode)
        prep_s = time.perf_counter() - t0
        enc_s = _median_time(lambda prep=prep: encode_vision(loaded.model, prep))
        req = [PageRequest(image=page, prompt=official.DOCUMENT_PROMPT, mode=mode, max_new_tokens=1)]
        with contextlib.redirect_stdout(io.StringIO()):
            pre_s = _median_time(
                lambda req=req: generate_pages(loaded.model, loaded.tokenizer, req, version=loaded.version)
            )
        row = {
            "mode": mode,
            "grid": list(prep.grid),
            "image_tokens": prep.n_image_tokens,
            "preprocess_ms": round(prep_s * 1000, 1),
            "vision_encode_ms": round(enc_s * 1000, 1),
            "encode_prefill_ms": round(pre_s * 1000, 1),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


def bench_preprocess(version: str, images: list[Any], threads: int = 8) -> dict[str, Any]:
    """CPU preprocessing (resize, pad, tiles, tensors) per Gundam A4 page: serial and in a thread pool."""
    from concurrent.futures import ThreadPoolExecutor

    from desktop_ocr.engine.deepseek.preprocess import prepare_image

    t0 = time.perf_counter()
    for im in images:
        prepare_image(im, version, "gundam")
    serial = (time.perf_counter() - t0) / len(images)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda im: prepare_image(im, version, "gundam"), images))
    pooled = (time.perf_counter() - t0) / len(images)
    row = {
        "pages": len(images),
        "serial_ms_per_page": round(serial * 1000, 1),
        "threads": threads,
        "pooled_ms_per_page": round(pooled * 1000, 1),
    }
    print("preprocess", json.dumps(row), flush=True)
    return row


def bench_infer(loaded: Any, paths: list[Path], cap: int) -> dict[str, Any]:
    tokens, secs = 0, 0.0
    for path in paths:
        call = official.run_infer(
            loaded.model, loaded.tokenizer, path, "gundam", max_new_tokens=cap, keep_inputs=False
        )
        tokens += len(call.new_ids[0])
        secs += call.extra["infer_seconds"]
    row = {
        "pages": len(paths),
        "tokens": tokens,
        "seconds": round(secs, 2),
        "s_per_page": round(secs / len(paths), 2),
        "tok_per_s": round(tokens / secs, 1),
        "pages_per_min": round(60 * len(paths) / secs, 2),
    }
    print("infer()", json.dumps(row), flush=True)
    return row


def bench_batch(loaded: Any, images: list[Any], cap: int, project_tokens: int) -> dict[str, Any]:
    import torch

    from desktop_ocr.engine.deepseek.generation import PageRequest, generate_pages
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM

    reqs = [
        PageRequest(image=im, prompt=official.DOCUMENT_PROMPT, mode="gundam", max_new_tokens=cap)
        for im in images
    ]
    gc.collect()
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats()
    marks: list[float] = []
    t0 = time.perf_counter()
    try:
        with prefill_clock(loaded.model, marks), contextlib.redirect_stdout(io.StringIO()):
            out = generate_pages(
                loaded.model, loaded.tokenizer, reqs, version=loaded.version, ngram=DEFAULT_NGRAM
            )
        _sync()
    except torch.cuda.OutOfMemoryError:
        gc.collect()
        torch.cuda.empty_cache()
        return {
            "batch": len(images),
            "oom": True,
            "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 1),
        }
    wall = time.perf_counter() - t0
    prefill = marks[0] - t0
    tokens = sum(len(g.token_ids) for g in out)
    b = len(images)
    decode_s = wall - prefill
    steps = max(1, max(len(g.token_ids) for g in out) - 1)
    step_s = decode_s / steps
    proj_wall = prefill + (project_tokens - 1) * step_s
    row = {
        "batch": b,
        "oom": False,
        "tokens": tokens,
        "eos_pages": sum(1 for g in out if g.eos),
        "wall_s": round(wall, 2),
        "prefill_s": round(prefill, 2),
        "prefill_s_per_page": round(prefill / b, 3),
        "step_ms": round(step_s * 1000, 2),
        "tok_per_s": round(tokens / wall, 1),
        "decode_tok_per_s": round((tokens - b) / decode_s, 1) if decode_s > 0 else None,
        "pages_per_min": round(60 * b / wall, 1),
        "proj_tok_per_s": round(b * project_tokens / proj_wall, 1),
        "proj_pages_per_min": round(60 * b / proj_wall, 1),
        "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 1),
    }
    print(json.dumps(row), flush=True)
    return row


def to_markdown(
    meta: dict[str, Any],
    modes: list[dict[str, Any]],
    infer: dict[str, Any] | None,
    runs: dict[str, list[dict[str, Any]]],
) -> str:
    lines = [
        "# DeepSeek-OCR engine benchmark",
        "",
        f"Run: {meta['date']} on **{meta['device_name']}**; torch {meta['torch']}, transformers {meta['transformers']}, "
        f"eager attention, bf16 + autocast; official v1 remote code with random full-size weights (3.3 B parameters); "
        f"Gundam mode on A4 pages ({A4[0]}x{A4[1]}, 2x3 tiles, {meta.get('gundam_image_tokens', '?')} image tokens); "
        f"{meta['max_new_tokens']} new tokens per page (random weights never emit EOS); engine n-gram ban 20/50 on the GPU. "
        f"Weights alone: {meta['weights_gib']} GiB on the GPU.",
        "",
        f"CPU preprocessing of a Gundam A4 page: {meta['preprocess']['serial_ms_per_page']} ms serial, "
        f"{meta['preprocess']['pooled_ms_per_page']} ms per page with {meta['preprocess']['threads']} threads "
        "(the prefill times below include the engine's own preprocessing of the batch).",
        "",
        "## Vision encode per mode (one A4 page)",
        "",
        "| mode | grid | image tokens | preprocess (CPU) ms | vision encode ms | encode + prefill ms | encode + prefill ms with accel.py |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in modes:
        lines.append(
            f"| {r['mode']} | {r['grid'][0]}x{r['grid'][1]} | {r['image_tokens']} | {r['preprocess_ms']} | "
            f"{r['vision_encode_ms']} | {r['encode_prefill_ms']} | {r.get('encode_prefill_accel_ms', '-')} |"
        )
    if infer:
        lines += [
            "",
            "## Official `infer(eval_mode=True)`, one page at a time (Gundam, same cap; HF no_repeat_ngram_size=35)",
            "",
            f"{infer['pages']} pages, {infer['tokens']} tokens in {infer['seconds']} s: **{infer['tok_per_s']} tok/s**, "
            f"{infer['s_per_page']} s/page, {infer['pages_per_min']} pages/min.",
        ]
    pt = meta["project_tokens"]
    for name, rows in runs.items():
        lines += [
            "",
            f"## Engine `generate_pages`, Gundam, {name}",
            "",
            f"| batch | wall s | prefill s/page | step ms | tok/s (end to end) | tok/s (decoding) | pages/min | projected tok/s at {pt} tok/page | projected pages/min | peak GiB |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            if r.get("oom"):
                lines.append(f"| {r['batch']} | out of memory | | | | | | | | {r['peak_gib']} |")
                continue
            lines.append(
                f"| {r['batch']} | {r['wall_s']} | {r['prefill_s_per_page']} | {r['step_ms']} | {r['tok_per_s']} | "
                f"{r['decode_tok_per_s']} | {r['pages_per_min']} | {r['proj_tok_per_s']} | {r['proj_pages_per_min']} | {r['peak_gib']} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--remote-code", type=Path, required=True)
    p.add_argument("--weights", type=Path, default=Path("/tmp/dsocr-random"))
    p.add_argument("--batch-sizes", default="1,8,32,64,128")
    p.add_argument("--max-new-tokens", type=int, default=256)
    p.add_argument("--modes", default="tiny,small,base,large,gundam")
    p.add_argument("--infer-pages", type=int, default=2)
    p.add_argument("--accel", choices=("off", "on", "both"), default="both")
    p.add_argument("--unpatched-max-batch", type=int, default=64, help="largest batch run without accel.py")
    p.add_argument("--project-tokens", type=int, default=1000)
    p.add_argument("--distinct-pages", type=int, default=16)
    p.add_argument(
        "--budget-s", type=float, default=540.0, help="skip what would start after this many seconds"
    )
    p.add_argument("--out-dir", type=Path, default=Path("."))
    args = p.parse_args(argv)

    import torch
    import transformers

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.loader import load_model
    from desktop_ocr.engine.deepseek.preprocess import image_token_count, load_page_image

    start = time.perf_counter()
    folder = ckpt.ensure_checkpoint(args.remote_code, args.weights)
    paths = ckpt.write_pages(folder / "pages", args.distinct_pages, A4)
    images = [load_page_image(pth) for pth in paths]
    loaded = load_model(folder, device="cuda:0", dtype=torch.bfloat16, trust_remote_code=True)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "device_name": torch.cuda.get_device_name(0),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "max_new_tokens": args.max_new_tokens,
        "project_tokens": args.project_tokens,
        "weights_gib": round(torch.cuda.memory_allocated() / 2**30, 2),
        "gundam_image_tokens": image_token_count(*A4, "v1", "gundam"),
    }
    print(json.dumps(meta), flush=True)
    meta["preprocess"] = bench_preprocess(loaded.version, images)
    modes = bench_modes(loaded, images[0], [m for m in args.modes.split(",") if m])
    if args.accel != "off":
        handle = accel.apply(loaded.model)
        fast = bench_modes(loaded, images[0], [r["mode"] for r in modes])
        handle.remove()
        for row, frow in zip(modes, fast):
            row["encode_prefill_accel_ms"] = frow["encode_prefill_ms"]
    infer = bench_infer(loaded, paths[: args.infer_pages], args.max_new_tokens) if args.infer_pages else None
    runs: dict[str, list[dict[str, Any]]] = {}
    variants = {"off": [False], "on": [True], "both": [False, True]}[args.accel]
    sizes = [int(s) for s in args.batch_sizes.split(",") if s]
    for use_accel in variants:
        name = "with accel.py" if use_accel else "unpatched remote code"
        handle = accel.apply(loaded.model) if use_accel else None
        rows: list[dict[str, Any]] = []
        for bs in sizes:
            if not use_accel and bs > args.unpatched_max_batch:
                continue
            if time.perf_counter() - start > args.budget_s:
                rows.append({"batch": bs, "oom": False, "skipped": "time budget"})
                print(f"skipping batch {bs}: time budget", flush=True)
                continue
            batch_images = [images[i % len(images)] for i in range(bs)]
            row = bench_batch(loaded, batch_images, args.max_new_tokens, args.project_tokens)
            rows.append(row)
            if row.get("oom"):
                break
        runs[name] = [r for r in rows if "skipped" not in r]
        if handle is not None:
            handle.remove()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "bench_deepseek.json").write_text(
        json.dumps({"meta": meta, "modes": modes, "infer": infer, "runs": runs}, indent=1)
    )
    md = to_markdown(meta, modes, infer, runs)
    (args.out_dir / "bench_deepseek.md").write_text(md)
    print(md, flush=True)
    print(f"total {time.perf_counter() - start:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
