"""Prove on a GPU that the engine generates the same token ids as DeepSeek-OCR's official ``infer()``.

Usage (the remote code is never part of this repository; point at a folder holding it)::

    python scripts/fidelity_check.py --remote-code /path/to/DeepSeek-OCR-code --weights /tmp/dsocr-random \
        [--modes base,gundam] [--pages 3] [--max-new-tokens 128] [--dtypes bf16,fp32] [--out-dir DIR]

What it does:

1. Builds a checkpoint folder (``--weights``): the remote code, its config, a tokenizer with the official
   special tokens at the official ids (``scripts/dsocr_checkpoint.py``), and - once, seeded - randomly
   initialised full-size weights saved as bf16 safetensors. Random weights generate junk text, but both
   sides load this one folder, so their token ids must agree. The decoder weights are scaled up (gain 4,
   router std 0.5) so that generation is diverse and depends on the image; plain tiny init makes every
   page decode to one repeated token, which would prove nothing.
2. Renders A4 pages with text (portrait and landscape).
3. **infer() vs engine** (bf16, as ``infer()`` runs): for each mode and page, calls the official
   ``model.infer(tokenizer, prompt, image_file, output_path, base_size, image_size, crop_mode,
   eval_mode=True)`` on a model loaded the official way, and the engine's ``generate_pages`` (the
   lower-level entry point of ``desktop_ocr.engine.deepseek``) on a model loaded by the engine's own
   loader, with ``hf_no_repeat_ngram_size=35`` so both apply the same n-gram processor. ``infer()``
   hard-codes ``max_new_tokens=8192``: the script wraps the model instance's ``generate`` and replaces
   only that keyword (``scripts/dsocr_official.py``). Compared exactly: the ``generate`` inputs
   (input ids, image tensors, image mask, tile grid), the first step's logits, and the generated ids.
4. **batched vs one at a time** (engine, with its default windowed n-gram ban), in each dtype: all pages
   in one ``generate`` call against each page alone; reports equal pages and the agreeing prefix.

Writes ``fidelity.json`` and ``fidelity.md`` to ``--out-dir`` and exits 1 if any infer()-vs-engine
comparison differs. ``--device cpu --tiny`` runs a small smoke version on the CPU (2-layer decoder).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import dsocr_checkpoint as ckpt  # noqa: E402


def _page_set(folder: Path, n: int) -> list[Path]:
    """``n`` pages: A4 portrait at 150 dpi, then landscape, then portrait at 144 dpi, repeating."""
    sizes = [(1240, 1754), (1754, 1240), (1191, 1684)]
    out: list[Path] = []
    for i in range(n):
        size = sizes[i % len(sizes)]
        out.append(ckpt.write_pages(folder, i + 1, size)[i])
    return out


@contextlib.contextmanager
def first_logits(model: Any, store: list[Any]) -> Iterator[None]:
    """Record the last position's logits of the first ``lm_head`` call (the prefill) inside the block."""

    def hook(_mod: Any, _inp: Any, out: Any) -> None:
        if not store:
            store.append(out[:, -1, :].detach().float().cpu())

    handle = model.lm_head.register_forward_hook(hook)
    try:
        yield
    finally:
        handle.remove()


def _trim(ids: list[int], eos: int = 1) -> list[int]:
    return ids[: ids.index(eos) + 1] if eos in ids else ids


def _prefix(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _same_tensor(a: Any, b: Any) -> bool:
    import torch

    if not isinstance(a, torch.Tensor) or not isinstance(b, torch.Tensor):
        return bool(a == b)
    if a.shape != b.shape or not torch.equal(a.float(), b.float()):
        return False
    # The "no tiles" placeholder is an all-zero tensor whose dtype the model never looks at.
    return a.dtype == b.dtype or not bool(a.any())


def compare_inputs(official: dict[str, Any], engine: dict[str, Any]) -> dict[str, bool]:
    """Exact equality of the ``generate`` inputs that define the page."""
    import torch

    res = {
        "input_ids": _same_tensor(official["input_ids"].cpu(), engine["input_ids"].cpu()),
        "images_seq_mask": _same_tensor(official["images_seq_mask"], engine["images_seq_mask"]),
        "images_spatial_crop": _same_tensor(
            torch.as_tensor(official["images_spatial_crop"]), torch.as_tensor(engine["images_spatial_crop"])
        ),
    }
    (oc, og), (ec, eg) = official["images"][0], engine["images"][0]
    res["global_view"] = _same_tensor(og, eg)
    res["tiles"] = _same_tensor(oc, ec)
    return res


def load_official(folder: Path, device: str, dtype: Any) -> tuple[Any, Any]:
    """As the official README: ``AutoModel.from_pretrained(..., trust_remote_code=True)`` in bf16, eval."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(folder), trust_remote_code=True)
    kwargs: dict[str, Any] = {"trust_remote_code": True, "use_safetensors": True, "torch_dtype": dtype}
    if device.startswith("cuda"):
        kwargs["device_map"] = {"": device}
    model = AutoModel.from_pretrained(str(folder), **kwargs).eval()
    if not device.startswith("cuda"):
        model = model.to(torch.device(device))
    return model, tok


def load_engine(folder: Path, device: str, dtype: Any) -> Any:
    from desktop_ocr.engine.deepseek.loader import load_model

    return load_model(folder, device=device, dtype=dtype, trust_remote_code=True)


def engine_generate(
    loaded: Any, images: list[Any], mode: str, cap: int, **kw: Any
) -> tuple[list[Any], list[Any], float]:
    """Run the engine's ``generate_pages`` on ``images``; returns results, recorded calls, seconds."""
    import dsocr_official as official

    from desktop_ocr.engine.deepseek.generation import PageRequest, generate_pages

    reqs = [PageRequest(image=im, prompt=PROMPT[0], mode=mode, max_new_tokens=cap) for im in images]
    calls: list[Any] = []
    t0 = time.perf_counter()
    with official.recording_generate(loaded.model, calls):
        out = generate_pages(loaded.model, loaded.tokenizer, reqs, version=loaded.version, **kw)
    return out, calls, time.perf_counter() - t0


def _free(*objs: Any) -> None:
    import torch

    for o in objs:
        del o
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def section_infer_vs_engine(
    args: argparse.Namespace, folder: Path, pages: list[Path]
) -> list[dict[str, Any]]:
    import dsocr_official as official
    import torch

    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    dtype = torch.bfloat16 if args.device.startswith("cuda") else torch.float32
    model, tok = load_official(folder, args.device, dtype)
    loaded = load_engine(folder, args.device, dtype)
    rows: list[dict[str, Any]] = []
    for mode in args.modes:
        for path in pages:
            ref_logits: list[Any] = []
            with first_logits(model, ref_logits):
                ref = official.run_infer(
                    model,
                    tok,
                    path,
                    mode,
                    prompt=PROMPT[0],
                    max_new_tokens=args.max_new_tokens,
                    version=loaded.version,
                )
            eng_logits: list[Any] = []
            with first_logits(loaded.model, eng_logits):
                out, calls, secs = engine_generate(
                    loaded, [load_page_image(path)], mode, args.max_new_tokens, hf_no_repeat_ngram_size=35
                )
            ref_ids = _trim(ref.new_ids[0])
            eng_ids = out[0].token_ids
            inputs = compare_inputs(ref.kwargs, calls[0].kwargs)
            logit_diff = (
                float((ref_logits[0] - eng_logits[0]).abs().max())
                if ref_logits and eng_logits
                else float("nan")
            )
            row = {
                "mode": mode,
                "page": path.name,
                "prompt_tokens": int(ref.kwargs["input_ids"].shape[1]),
                "grid": ref.kwargs["images_spatial_crop"].tolist()[0],
                "inputs_equal": inputs,
                "first_logits_max_abs_diff": logit_diff,
                "infer_tokens": len(ref_ids),
                "engine_tokens": len(eng_ids),
                "distinct_tokens": len(set(ref_ids)),
                "equal": ref_ids == eng_ids,
                "agreeing_prefix": _prefix(ref_ids, eng_ids),
                "infer_seconds": round(ref.seconds, 3),
                "engine_seconds": round(secs, 3),
                "infer_head": ref_ids[:8],
            }
            print(json.dumps(row), flush=True)
            row["_infer_ids"] = ref_ids
            rows.append(row)
    if args.accel:
        from desktop_ocr.engine.deepseek import accel

        handle = accel.apply(loaded.model)
        for row in rows:
            path = next(p for p in pages if p.name == row["page"])
            out, _, secs = engine_generate(
                loaded, [load_page_image(path)], row["mode"], args.max_new_tokens, hf_no_repeat_ngram_size=35
            )
            row["accel_equal"] = out[0].token_ids == row["_infer_ids"]
            row["accel_seconds"] = round(secs, 3)
            print(
                json.dumps({k: row[k] for k in ("mode", "page", "accel_equal", "accel_seconds")}), flush=True
            )
        handle.remove()
    if args.fast:
        # The engine's default decoder on a GPU (fastdecode: static KV cache, CUDA graphs; a page
        # decoded alone runs the exact piecewise step), with infer()'s whole-sequence n-gram ban.
        from desktop_ocr.engine.deepseek import fastdecode
        from desktop_ocr.engine.deepseek.generation import PageRequest

        dec = fastdecode.create_decoder(loaded.model, 4, 4096)
        for row in rows:
            if dec is None:
                row["fast_equal"] = "no fast decoder"
                continue
            path = next(p for p in pages if p.name == row["page"])
            req = PageRequest(load_page_image(path), PROMPT[0], row["mode"], args.max_new_tokens)
            t0 = time.perf_counter()
            got = fastdecode.run_pages(
                dec, loaded.tokenizer, [req], version=loaded.version, hf_no_repeat_ngram_size=35
            )[0]
            ids = got.token_ids if not isinstance(got, BaseException) else []
            row["fast_equal"] = ids == row["_infer_ids"]
            row["fast_prefix"] = _prefix(row["_infer_ids"], ids)
            row["fast_seconds"] = round(time.perf_counter() - t0, 3)
            print(json.dumps({k: row[k] for k in ("mode", "page", "fast_equal", "fast_prefix")}), flush=True)
        del dec
    for row in rows:
        row.pop("_infer_ids", None)
    _free(model, loaded)
    return rows


def section_batched(args: argparse.Namespace, folder: Path, pages: list[Path]) -> list[dict[str, Any]]:
    import torch

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM
    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    rows: list[dict[str, Any]] = []
    images = [load_page_image(p) for p in pages]
    for dname in args.dtypes:
        dtype = {"bf16": torch.bfloat16, "fp32": torch.float32}[dname]
        loaded = load_engine(folder, args.device, dtype)
        for mode in args.modes:
            singles = [
                engine_generate(loaded, [im], mode, args.max_new_tokens, ngram=DEFAULT_NGRAM)[0][0]
                for im in images
            ]
            batched, _, _secs = engine_generate(
                loaded, images, mode, args.max_new_tokens, ngram=DEFAULT_NGRAM
            )
            fast: list[Any] = [None] * len(images)
            if args.accel:
                handle = accel.apply(loaded.model)
                fast, _, _ = engine_generate(loaded, images, mode, args.max_new_tokens, ngram=DEFAULT_NGRAM)
                handle.remove()
            for path, s, b, f in zip(pages, singles, batched, fast):
                row = {
                    "dtype": dname,
                    "mode": mode,
                    "page": path.name,
                    "batch": len(images),
                    "single_tokens": len(s.token_ids),
                    "batched_tokens": len(b.token_ids),
                    "equal": s.token_ids == b.token_ids,
                    "agreeing_prefix": _prefix(s.token_ids, b.token_ids),
                }
                if f is not None:
                    row["accel_equal_batched"] = f.token_ids == b.token_ids
                    row["accel_prefix_batched"] = _prefix(f.token_ids, b.token_ids)
                    row["accel_equal_single"] = f.token_ids == s.token_ids
                    row["accel_prefix_single"] = _prefix(f.token_ids, s.token_ids)
                rows.append(row)
                print(json.dumps(row), flush=True)
        _free(loaded)
    return rows


def to_markdown(meta: dict[str, Any], a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str:
    lines = [
        "# DeepSeek-OCR fidelity check: engine vs official `infer()`",
        "",
        f"Run: {meta['date']} on {meta['device_name']}; torch {meta['torch']}, transformers {meta['transformers']}; "
        f"remote code `{meta['remote_code_name']}` ({meta['remote_code_sha']}); random full-size weights "
        f"(seed {meta['seed']}, decoder gain {meta['gain']}); cap {meta['max_new_tokens']} new tokens.",
        "",
        "## infer(eval_mode=True) vs engine `generate_pages` (bf16 + autocast as infer(), HF no_repeat_ngram_size=35)",
        "",
        "Last columns: the engine again with `accel.py` applied, and the fast decoder (`fastdecode.py`, the "
        "default on a GPU: static KV cache, piecewise CUDA graphs at batch 1), against infer()'s ids.",
        "",
        "| mode | page | prompt tokens | grid | inputs identical | first-step logits max abs diff | tokens (infer / engine) | distinct | ids equal | agreeing prefix | accel ids equal | fast ids equal (prefix) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in a:
        ok = all(r["inputs_equal"].values())
        bad = ", ".join(k for k, v in r["inputs_equal"].items() if not v)
        lines.append(
            f"| {r['mode']} | {r['page']} | {r['prompt_tokens']} | {r['grid']} | {'yes' if ok else 'NO: ' + bad} | "
            f"{r['first_logits_max_abs_diff']:.3g} | {r['infer_tokens']} / {r['engine_tokens']} | {r['distinct_tokens']} | "
            f"{'**yes**' if r['equal'] else '**NO**'} | {r['agreeing_prefix']} | "
            f"{('yes' if r['accel_equal'] else 'no') if 'accel_equal' in r else '-'} | "
            f"{(('yes' if r['fast_equal'] is True else 'no') + ' (' + str(r.get('fast_prefix')) + ')') if 'fast_equal' in r else '-'} |"
        )
    if b:
        lines += [
            "",
            "## Engine: batched (all pages in one generate()) vs one page at a time (windowed n-gram ban 20/50)",
            "",
            "Accel columns: the same batch with `desktop_ocr.engine.deepseek.accel` applied, against the unpatched",
            "batch and against the page alone (equal / agreeing prefix).",
            "",
            "| dtype | mode | page | batch | tokens (single / batched) | batched = single | agreeing prefix | accel = batched | accel = single |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in b:
            acc_b = (
                f"{'yes' if r['accel_equal_batched'] else 'no'} ({r['accel_prefix_batched']})"
                if "accel_equal_batched" in r
                else "-"
            )
            acc_s = (
                f"{'yes' if r['accel_equal_single'] else 'no'} ({r['accel_prefix_single']})"
                if "accel_equal_single" in r
                else "-"
            )
            lines.append(
                f"| {r['dtype']} | {r['mode']} | {r['page']} | {r['batch']} | {r['single_tokens']} / {r['batched_tokens']} | "
                f"{'yes' if r['equal'] else 'no'} | {r['agreeing_prefix']} | {acc_b} | {acc_s} |"
            )
    return "\n".join(lines) + "\n"


#: The prompt both sides are given (``--prompt``); the official document prompt by default.
PROMPT = ["<image>\n<|grounding|>Convert the document to markdown. "]


def _cropped(pages: list[Path], crop: str) -> list[Path]:
    """Each page cut to the region ``crop`` exactly as the app's region read cuts it."""
    from PIL import Image

    from desktop_ocr.engine.region import region_image
    from desktop_ocr.model.geometry import Box

    box = Box(*(int(v) for v in crop.split(",")))
    out = []
    for path in pages:
        target = path.with_name(f"region-{box.x1}-{box.y1}-{box.x2}-{box.y2}-{path.name}")
        with Image.open(path) as im:
            region_image(im.convert("RGB"), box).save(target)
        out.append(target)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--remote-code",
        type=Path,
        required=True,
        help="folder with the model's remote code (*.py, config.json)",
    )
    p.add_argument(
        "--weights", type=Path, default=Path("/tmp/dsocr-random"), help="checkpoint folder (built once)"
    )
    p.add_argument("--modes", default="base,gundam")
    p.add_argument("--pages", type=int, default=3)
    p.add_argument("--max-new-tokens", type=int, default=128)
    p.add_argument("--dtypes", default="bf16,fp32", help="for the batched check; empty to skip it")
    p.add_argument("--device", default="cuda:0")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--gain", type=float, default=4.0)
    p.add_argument("--tiny", action="store_true", help="2-layer decoder (CPU smoke run)")
    p.add_argument("--skip-infer", action="store_true")
    p.add_argument("--no-accel", dest="accel", action="store_false", help="skip the accel.py comparison")
    p.add_argument(
        "--no-fast",
        dest="fast",
        action="store_false",
        help="skip the fast decoder (fastdecode.py) comparison",
    )
    p.add_argument("--out-dir", type=Path, default=Path("."))
    p.add_argument(
        "--prompt",
        default="document",
        help="a prompt key of engine/base.py PROMPTS (document, ocr, free, ...) or locate:PHRASE",
    )
    p.add_argument(
        "--crop",
        default="",
        help="x1,y1,x2,y2 (0..999): compare on this region of each page, cut as a region read cuts it",
    )
    args = p.parse_args(argv)
    from desktop_ocr.engine.base import ReadOptions

    key, _, target = args.prompt.partition(":")
    PROMPT[0] = ReadOptions(prompt=key, locate_target=target).prompt_text()
    args.modes = [m for m in args.modes.split(",") if m]
    args.dtypes = [d for d in args.dtypes.split(",") if d]

    import hashlib

    import torch
    import transformers

    if not args.device.startswith("cuda"):
        torch.set_num_threads(max(1, torch.get_num_threads()))
    t0 = time.perf_counter()
    folder = ckpt.ensure_checkpoint(
        args.remote_code, args.weights, tiny=args.tiny, seed=args.seed, device=args.device, gain=args.gain
    )
    print(f"checkpoint ready in {time.perf_counter() - t0:.1f}s: {folder}", flush=True)
    pages = _page_set(folder / "pages", args.pages)
    if args.crop:
        pages = _cropped(pages, args.crop)
    sha = hashlib.sha256()
    for f in sorted(args.remote_code.glob("*.py")):
        sha.update(f.read_bytes())
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "device_name": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "CPU",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "remote_code_name": args.remote_code.name,
        "remote_code_sha": sha.hexdigest()[:12],
        "seed": args.seed,
        "gain": args.gain,
        "max_new_tokens": args.max_new_tokens,
        "tiny": args.tiny,
        "prompt": PROMPT[0],
        "crop": args.crop,
    }
    a = [] if args.skip_infer else section_infer_vs_engine(args, folder, pages)
    b = section_batched(args, folder, pages) if args.dtypes else []
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "fidelity.json").write_text(
        json.dumps({"meta": meta, "infer_vs_engine": a, "batched": b}, indent=1)
    )
    md = to_markdown(meta, a, b)
    (args.out_dir / "fidelity.md").write_text(md)
    print(md, flush=True)
    by_mode: dict[str, set[tuple[int, ...]]] = {}
    for r in a:
        by_mode.setdefault(r["mode"], set()).add(tuple(r["infer_head"]))
    for mode, heads in by_mode.items():
        if len(heads) < 2 and args.pages > 1:
            print(
                f"WARNING: all pages gave the same first ids in {mode}: the check cannot see image differences"
            )
    failed = [r for r in a if not (r["equal"] and all(r["inputs_equal"].values()))]
    print(
        f"infer() vs engine: {len(a) - len(failed)}/{len(a)} identical; total {time.perf_counter() - t0:.0f}s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
