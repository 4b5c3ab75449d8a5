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
    rows: list[dict[str, Any]] = []
    for dname in args.infer_dtypes:
        rows += _infer_vs_engine(args, folder, pages, dname)
    return rows


def _infer_vs_engine(
    args: argparse.Namespace, folder: Path, pages: list[Path], dname: str
) -> list[dict[str, Any]]:
    """infer() against the engine in one dtype: ``bf16`` (as ``infer()`` runs; float32 on the CPU) or
    ``fp32`` (a float32 model, ``infer()`` with its autocast off: :func:`dsocr_official.float32_infer`)."""
    import dsocr_official as official
    import torch

    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    cuda = args.device.startswith("cuda")
    dtype = torch.bfloat16 if dname == "bf16" and cuda else torch.float32
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
                    logits=True,
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
                "dtype": dname,
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
            INFER_LOGITS[(dname, mode, path.name)] = ref.logits[: len(ref_ids)]
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
        INFER_IDS[(dname, row["mode"], row["page"])] = row.pop("_infer_ids", None)
    _free(model, loaded)
    del model, loaded
    _free()
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


# -- the fast decoder's default batches: a page's ids alone vs with companions -----------------------


def _fast_variants(names: list[str]) -> dict[str, dict[str, Any]]:
    """Decoder options per variant name (``default``: what the engine builds)."""
    known: dict[str, dict[str, Any]] = {
        "default": {},
        "padded": {"attention": "padded"},
        "gather16": {"gather_rows": 16},
        "gather8": {"gather_rows": 8},
        "exactrows8": {"exact_rows": 8},
        "exactrows": {"exact_rows": 16},
        "exact_eager": {"exact_window": True},
        "invariant": {"invariant": True},
    }
    return {n: known[n] for n in names}


def _prefill_into(loaded: Any, dec: Any, req: Any, slot: int) -> tuple[Any, int]:
    """Prefill one page alone (the remote code's forward, as run_pages) into ``slot``; (logits, length)."""
    import torch

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.generation import _image_dtype, prepare_batch
    from desktop_ocr.engine.deepseek.runtime import (
        autocast_for,
        preserve_torch_init,
        redirect_cuda,
        stdout_to_log,
    )

    device = dec.device
    batch = prepare_batch(loaded.tokenizer, [req], loaded.version)
    ids = batch.input_ids.to(device)
    n = ids.shape[1]
    img = batch.images[0]
    dt = _image_dtype(dec.dtype)
    with (
        preserve_torch_init(),
        redirect_cuda(device),
        _autocast(device, dec.dtype, autocast_for),
        torch.no_grad(),
        stdout_to_log(),
        accel.exact(loaded.model),
    ):
        out = loaded.model(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            position_ids=torch.arange(n, device=device).unsqueeze(0),
            past_key_values=None,
            images=[(img.crops_tensor.to(device, dt), img.global_tensor.to(device, dt))],
            images_seq_mask=batch.images_seq_mask.to(device),
            images_spatial_crop=batch.images_spatial_crop,
            use_cache=True,
            return_dict=True,
        )
        past = out.past_key_values
        if hasattr(past, "to_legacy_cache"):
            past = past.to_legacy_cache()
        dec.load(slot, past, 0, n)
        return out.logits[0, -1].float(), n


def forced_logits(
    loaded: Any, dec: Any, target: Any, ids: list[int], companions: list[Any], slot: int
) -> Any:
    """The target page's logits [len(ids), vocab] with ``ids`` fed back (teacher forcing), decoded in
    slot ``slot`` of a batch of ``len(companions) + 1`` rows; the companions decode greedily beside it."""
    import torch

    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.runtime import autocast_for, redirect_cuda

    b = len(companions) + 1
    others = [s for s in range(b) if s != slot]
    first, n = _prefill_into(loaded, dec, target, slot)
    toks, poss = [0] * b, [0] * b
    for s, req in zip(others, companions):
        lg, m = _prefill_into(loaded, dec, req, s)
        toks[s], poss[s] = int(lg.argmax()), m
    rows = [first]
    dec.set_ban(None)
    with redirect_cuda(dec.device), _autocast(dec.device, dec.dtype, autocast_for), torch.no_grad():
        for j, tok in enumerate(ids[:-1]):
            toks[slot], poss[slot] = tok, n + j
            t = dec.window(max(poss), b)
            logits = dec.step(
                torch.tensor(toks, device=dec.device),
                torch.tensor(poss, device=dec.device),
                b,
                t,
                [p + 1 for p in poss],
            )
            rows.append(logits[slot].float().clone())
            nxt = logits.argmax(-1).tolist()
            for s in others:
                toks[s], poss[s] = nxt[s], poss[s] + 1
    return torch.stack(rows)


#: (ms per decode step, rows per step) of the last run in section_fast_batches.
STEP: list[float] = [0.0, 0.0]


def _against_infer(fast: Any, ref: Any) -> dict[str, Any]:
    """Teacher-forced on ``infer()``'s ids: the fast step's logits ``fast`` against ``infer()``'s own raw
    logits ``ref`` at the same positions (top-1 agreement, largest difference, first differing step)."""
    n = min(len(fast), len(ref))
    a, b = fast[:n].float().cpu(), ref[:n].float().cpu()
    diff = (a - b).abs().amax(-1)
    nz = (diff > 0).nonzero()
    return {
        "tfi_top1_agree": int((a.argmax(-1) == b.argmax(-1)).sum()),
        "tfi_steps": n,
        "tfi_max_logit_diff": round(float(diff.max()), 6) if n else None,
        "tfi_first_diff_step": int(nz[0]) if len(nz) else None,
    }


def _decoder_facts(dec: Any) -> dict[str, Any]:
    """Which kernels a decoder runs here (the invariant decoder's Triton kernels in this dtype)."""
    from desktop_ocr.engine.deepseek.fused import Fused

    return {
        "graphs": bool(dec.graphs),
        "attention": "varlen Triton kernel" if dec.varlen else "eager/cuBLAS",
        "norm": (
            "fused Triton"
            if dec.fused is not None
            else "torch, each row alone"
            if dec.invariant or dec.exact_rows
            else "torch"
        ),
        "fused_why_not": Fused.why_not,
        "moe": "dense" if dec.invariant else dec.moe,
    }


def section_fast_batches(
    args: argparse.Namespace,
    folder: Path,
    pages: list[Path],
    infer_ids: dict[tuple[str, str, str], list[int]],
    infer_logits: dict[tuple[str, str, str], Any] | None = None,
) -> list[dict[str, Any]]:
    """Each target page (mode x page) read by the fast decoder alone and in batches of ``--batches``
    rows with companions of other pages, modes and caps, per dtype and decoder variant: ids equal / the
    agreeing prefix against the page alone and against ``infer()`` in the same dtype (``--infer-dtypes``);
    teacher-forced on the alone ids, the batched step's top-1 agreement with the alone step and the
    largest logit difference (``tf_*``); teacher-forced on ``infer()``'s ids, the same against
    ``infer()``'s own logits (``tfi_*``, when ``infer()`` ran in that dtype)."""
    import random

    import torch

    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.generation import PageRequest
    from desktop_ocr.engine.deepseek.preprocess import load_page_image

    cap = args.max_new_tokens
    images = {p.name: load_page_image(p) for p in pages}
    targets = [(m, p.name) for m in args.modes for p in pages[: args.batch_targets]]
    rng = random.Random(args.seed)
    pool = [
        PageRequest(
            images[rng.choice(list(images))], PROMPT[0], rng.choice(args.modes), rng.randint(8, 2 * cap)
        )
        for _ in range(max(args.batches) * 2)
    ]
    rows: list[dict[str, Any]] = []
    EXTRA["fast_batches"] = rows  # saved after each variant (a run cut short keeps what it has)
    for dname in args.batch_dtypes:
        dtype = {"bf16": torch.bfloat16, "fp32": torch.float32}[dname]
        loaded = load_engine(folder, args.device, dtype)
        names = args.batch_variants if dname == "bf16" else args.fp32_variants
        for vname, opts in _fast_variants(names).items():
            t_v = time.perf_counter()
            dec = fastdecode.create_decoder(loaded.model, max(args.batches), 4096, **opts)
            if dec is None:
                continue

            def run(reqs: list[Any], dec: Any = dec, loaded: Any = loaded) -> list[Any]:
                st: dict[str, Any] = {}
                out = fastdecode.run_pages(
                    dec, loaded.tokenizer, reqs, version=loaded.version, hf_no_repeat_ngram_size=35, stats=st
                )
                STEP[:] = [1000 * st["decode_s"] / max(1, st["steps"]), st["rows"] / max(1, st["steps"])]
                for o in out:
                    if isinstance(o, BaseException):
                        raise o
                return out

            for mode, name in targets:
                req = PageRequest(images[name], PROMPT[0], mode, cap)
                alone = run([req])[0].token_ids
                ref = infer_ids.get((dname, mode, name))
                ref_logits = (infer_logits or {}).get((dname, mode, name))
                tfi = args.teacher_forced and ref is not None and ref_logits is not None
                base = {"dtype": dname, "variant": vname, "mode": mode, "page": name}
                rows.append(
                    {
                        **base,
                        "batch": 1,
                        "slot": 0,
                        "tokens": len(alone),
                        "equal_alone": True,
                        "prefix_alone": len(alone),
                        "equal_infer": (alone == ref) if ref is not None else None,
                        "prefix_infer": _prefix(ref, alone) if ref is not None else None,
                        **(
                            _against_infer(forced_logits(loaded, dec, req, ref, [], 0), ref_logits)
                            if tfi
                            else {}
                        ),
                        "decoder": _decoder_facts(dec),
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
                tf_alone = args.teacher_forced and args.tf_alone
                one = forced_logits(loaded, dec, req, alone, [], 0) if tf_alone else None
                for b in args.variant_batches.get(vname, args.batches):
                    comps = [pool[(b * 7 + i + len(rows)) % len(pool)] for i in range(b - 1)]
                    at = rng.randrange(b)
                    got = run([*comps[:at], req, *comps[at:]])[at].token_ids
                    row = {
                        **base,
                        "batch": b,
                        "slot": at,
                        "tokens": len(got),
                        "equal_alone": got == alone,
                        "prefix_alone": _prefix(alone, got),
                        "equal_infer": (got == ref) if ref is not None else None,
                        "prefix_infer": _prefix(ref, got) if ref is not None else None,
                        "step_ms": round(STEP[0], 3),
                        "rows_per_step": round(STEP[1], 1),
                    }
                    if one is not None:
                        many = forced_logits(loaded, dec, req, alone, comps, at)
                        row["tf_top1_agree"] = int((one.argmax(-1) == many.argmax(-1)).sum())
                        row["tf_steps"] = len(alone)
                        row["tf_max_logit_diff"] = round(float((one - many).abs().max()), 5)
                        diff = (one - many).abs().amax(-1)
                        nz = torch.nonzero(diff > 0)
                        row["tf_first_diff_step"] = int(nz[0]) if len(nz) else None
                    if tfi:
                        row.update(
                            _against_infer(forced_logits(loaded, dec, req, ref, comps, at), ref_logits)
                        )
                    rows.append(row)
                    print(json.dumps(row), flush=True)
            print(f"variant {dname}/{vname}: {time.perf_counter() - t_v:.0f}s", flush=True)
            if SAVE:
                SAVE[0]()
            del dec
            _free()
        _free(loaded)
        del loaded
        _free()
    return rows


def fused_probe(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Whether the default decoder uses the fused Triton kernels here, and if not, why."""
    import torch

    from desktop_ocr.engine.deepseek import fastdecode
    from desktop_ocr.engine.deepseek.fused import Fused

    dtype = torch.bfloat16 if args.device.startswith("cuda") else torch.float32
    loaded = load_engine(folder, args.device, dtype)
    dec = fastdecode.create_decoder(loaded.model, 2, 1024)
    res = {
        "fused": dec is not None and dec.fused is not None,
        "why_not": Fused.why_not,
        "lean": getattr(dec, "lean", None),
        "shared_rope": getattr(dec, "shared_rope", None),
        "varlen": getattr(dec, "varlen", None),
    }
    print(json.dumps({"fused_probe": res}), flush=True)
    del dec
    _free(loaded)
    return res


def section_kernel_map(args: argparse.Namespace, folder: Path) -> list[dict[str, Any]]:
    """Which of the decode step's ops give a row the same bits whatever the number of rows beside it:
    each op on M rows (M = 2..256) against the op on that row alone, on the model's own weights (bf16,
    autocast as the step runs). ``rows_equal``: rows 0..3 (or fewer) identical to their single-row
    result; ``max_diff``: the largest difference there."""
    import math

    import torch

    from desktop_ocr.engine.deepseek import accel
    from desktop_ocr.engine.deepseek.fastdecode import _autocast
    from desktop_ocr.engine.deepseek.runtime import autocast_for

    dtype = torch.bfloat16 if args.device.startswith("cuda") else torch.float32
    loaded = load_engine(folder, args.device, dtype)
    model = loaded.model
    lang = model.model
    layers = lang.layers
    dev = next(model.parameters()).device
    moe_i = next(i for i, lyr in enumerate(layers) if hasattr(lyr.mlp, "moe_infer"))
    dense_i = next((i for i, lyr in enumerate(layers) if not hasattr(lyr.mlp, "moe_infer")), None)
    moe = layers[moe_i].mlp
    w13, w2 = accel.stacked_experts(moe)
    act = moe.experts[0].act_fn
    attn = layers[moe_i].self_attn
    hidden = w13.shape[2]
    gen = torch.Generator(device=dev).manual_seed(3)
    x_all = torch.randn(256, 1, hidden, device=dev, generator=gen).to(dtype)
    ops: dict[str, Any] = {
        "q_proj": lambda x: attn.q_proj(x),
        "o_proj": lambda x: attn.o_proj(x),
        "input_layernorm": lambda x: layers[moe_i].input_layernorm(x),
        "moe_gate_linear": lambda x: torch.nn.functional.linear(x, moe.gate.weight),
        "moe_gate_softmax": lambda x: torch.nn.functional.linear(x, moe.gate.weight).softmax(
            -1, dtype=torch.float32
        ),
        "shared_experts": lambda x: moe.shared_experts(x),
        "dense_moe_w13": lambda x: torch.matmul(x.view(x.shape[0], -1), w13.view(-1, hidden).t()),
        "lm_head": lambda x: model.lm_head(x),
    }
    if dense_i is not None:
        ops["layer0_dense_mlp"] = lambda x: layers[dense_i].mlp(x)

    def gather(x: Any) -> Any:
        rows = x.shape[0]
        # The same experts for row r whatever the number of rows (fixed in the first M=1 call: row 0's).
        ids = (torch.arange(6, device=dev) * 5 + 11).remainder(w13.shape[0]).expand(rows, 6)
        xs = x.view(rows, -1).repeat_interleave(6, dim=0).unsqueeze(-1)
        hh = torch.bmm(w13[ids.reshape(-1)], xs).squeeze(-1)
        inter = hh.shape[1] // 2
        mid = act(hh[:, :inter]) * hh[:, inter:]
        return torch.bmm(w2[ids.reshape(-1)], mid.unsqueeze(-1)).squeeze(-1).view(rows, 6, -1)

    ops["moe_gather_bmm"] = gather

    def dense_w2(x: Any) -> Any:
        rows = x.shape[0]
        inter = w13.shape[1] // 2
        h = torch.matmul(x.view(rows, -1), w13.view(-1, hidden).t()).view(rows, -1, 2, inter)
        mid = act(h[:, :, 0]) * h[:, :, 1]
        return torch.bmm(mid.transpose(0, 1), w2.transpose(1, 2)).transpose(0, 1)

    ops["dense_moe_full"] = dense_w2
    # Attention for one row at length n: eager (as batch 1) vs the varlen kernel and vs a padded window.
    heads, hd = attn.num_heads, attn.head_dim
    res: list[dict[str, Any]] = []
    with torch.no_grad(), _autocast(dev, dtype, autocast_for):
        for name, fn in ops.items():
            single = [fn(x_all[r : r + 1]) for r in range(4)]
            for m in (2, 3, 4, 8, 16, 32, 64, 128, 256):
                out = fn(x_all[:m])
                k = min(m, 4)
                diffs = [float((out[r : r + 1].float() - single[r].float()).abs().max()) for r in range(k)]
                res.append(
                    {"op": name, "rows": m, "rows_equal": all(d == 0 for d in diffs), "max_diff": max(diffs)}
                )
        n = 700
        q = torch.randn(8, heads, 1, hd, device=dev, generator=gen).to(dtype)
        kc = torch.randn(8, heads, 1024, hd, device=dev, generator=gen).to(dtype)
        vc = torch.randn(8, heads, 1024, hd, device=dev, generator=gen).to(dtype)

        def eager(qr: Any, kr: Any, vr: Any, m: int) -> Any:
            s = torch.matmul(qr, kr[:, :, :m].transpose(2, 3)) / math.sqrt(hd)
            w = torch.nn.functional.softmax(s, dim=-1, dtype=torch.float32).to(qr.dtype)
            return torch.matmul(w, vr[:, :, :m])

        alone = eager(q[:1], kc[:1], vc[:1], n)
        padded_s = torch.matmul(q, kc.transpose(2, 3)) / math.sqrt(hd)
        mask = torch.arange(1024, device=dev) >= n
        padded_s = padded_s.masked_fill(mask, torch.finfo(padded_s.dtype).min)
        padded = torch.matmul(torch.nn.functional.softmax(padded_s, -1, dtype=torch.float32).to(dtype), vc)
        res.append(
            {
                "op": "attention_padded_1024_vs_alone",
                "rows": 8,
                "rows_equal": bool(torch.equal(padded[:1], alone)),
                "max_diff": float((padded[:1].float() - alone.float()).abs().max()),
            }
        )
        batched = eager(q, kc, vc, n)
        res.append(
            {
                "op": "attention_eager_batched_vs_alone",
                "rows": 8,
                "rows_equal": bool(torch.equal(batched[:1], alone)),
                "max_diff": float((batched[:1].float() - alone.float()).abs().max()),
            }
        )
        try:
            from desktop_ocr.engine.deepseek import decode_attention

            if decode_attention.available(dev, dtype):
                out = torch.empty_like(q)
                decode_attention.attend(q, kc, vc, torch.full((8,), n, device=dev), out)
                res.append(
                    {
                        "op": "attention_varlen_vs_alone",
                        "rows": 8,
                        "rows_equal": bool(torch.equal(out[:1], alone)),
                        "max_diff": float((out[:1].float() - alone.float()).abs().max()),
                    }
                )
                out1 = torch.empty_like(q[:1])
                decode_attention.attend(q[:1], kc[:1], vc[:1], torch.full((1,), n, device=dev), out1)
                res.append(
                    {
                        "op": "attention_varlen_rows_vs_varlen_alone",
                        "rows": 8,
                        "rows_equal": bool(torch.equal(out[:1], out1)),
                        "max_diff": float((out[:1].float() - out1.float()).abs().max()),
                    }
                )
        except Exception as exc:
            res.append({"op": "attention_varlen", "error": repr(exc)[:300]})
    for r in res:
        print(json.dumps(r), flush=True)
    _free(loaded)
    return res


#: infer()'s ids per (dtype, mode, page name), kept by section_infer_vs_engine for the batch section.
INFER_IDS: dict[tuple[str, str, str], list[int]] = {}
#: infer()'s raw logits per generated position [tokens, vocab] (float32, CPU), keyed as INFER_IDS.
INFER_LOGITS: dict[tuple[str, str, str], Any] = {}


def _table(title: str, rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return []
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return [
        "",
        f"## {title}",
        "",
        "| " + " | ".join(keys) + " |",
        "|" + "---|" * len(keys),
        *("| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows),
    ]


def to_markdown(meta: dict[str, Any], a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str:
    lines = [
        "# DeepSeek-OCR fidelity check: engine vs official `infer()`",
        "",
        f"Run: {meta['date']} on {meta['device_name']}; torch {meta['torch']}, transformers {meta['transformers']}; "
        f"remote code `{meta['remote_code_name']}` ({meta['remote_code_sha']}); random full-size weights "
        f"(seed {meta['seed']}, decoder gain {meta['gain']}); cap {meta['max_new_tokens']} new tokens.",
        "",
        "## infer(eval_mode=True) vs engine `generate_pages` (HF no_repeat_ngram_size=35; bf16 + autocast as infer(), "
        "fp32: a float32 model, infer()'s autocast off)",
        "",
        "Last columns: the engine again with `accel.py` applied, and the fast decoder (`fastdecode.py`, the "
        "default on a GPU: static KV cache, piecewise CUDA graphs at batch 1), against infer()'s ids.",
        "",
        "| dtype | mode | page | prompt tokens | grid | inputs identical | first-step logits max abs diff | tokens (infer / engine) | distinct | ids equal | agreeing prefix | accel ids equal | fast ids equal (prefix) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in a:
        ok = all(r["inputs_equal"].values())
        bad = ", ".join(k for k, v in r["inputs_equal"].items() if not v)
        lines.append(
            f"| {r.get('dtype', 'bf16')} | {r['mode']} | {r['page']} | {r['prompt_tokens']} | {r['grid']} | {'yes' if ok else 'NO: ' + bad} | "
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
    lines += _table(
        "Fast decoder: a page alone vs in batches with companions (other pages, modes, caps), "
        "HF no_repeat_ngram_size=35 as infer()",
        EXTRA.get("fast_batches", []),
    )
    lines += _table(
        "Decode-step ops: a row among M rows vs the row alone (model weights)", EXTRA.get("kernel_map", [])
    )
    if EXTRA.get("fused"):
        lines += ["", "## Fused kernels", "", "```", json.dumps(EXTRA["fused"], indent=1), "```"]
    return "\n".join(lines) + "\n"


#: Writes fidelity.json with what is there so far (set by main).
SAVE: list[Any] = []

#: Further sections' rows (fast_batches, kernel_map, fused), written beside a and b.
EXTRA: dict[str, Any] = {}


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
        "--batches", default="", help="fast decoder: batch sizes to read each page in (e.g. 2,4,16)"
    )
    p.add_argument("--batch-dtypes", default="bf16,fp32")
    p.add_argument(
        "--infer-dtypes",
        default="bf16",
        help="dtypes to run infer() against the engine in: bf16 (as infer() runs), fp32 (infer() with its "
        "autocast off on a float32 model); the batch section compares each dtype's ids with these",
    )
    p.add_argument(
        "--batch-variants", default="default", help="decoders: default,padded,gather16,exactrows,exact_eager"
    )
    p.add_argument("--fp32-variants", default="default,exactrows", help="decoders for the fp32 batches")
    p.add_argument(
        "--variant-batches",
        default="",
        help="batch sizes per variant, e.g. 'default=2,4,16;invariant=2,4,16,64' (others: --batches)",
    )
    p.add_argument("--batch-targets", type=int, default=2, help="pages per mode read alone and in batches")
    p.add_argument("--teacher-forced", action="store_true", help="batches: teacher-forced logits too")
    p.add_argument(
        "--no-tf-alone",
        dest="tf_alone",
        action="store_false",
        help="teacher-forced: only against infer()'s logits (tfi_*), not batch against alone (tf_*)",
    )
    p.add_argument("--kernel-map", action="store_true", help="which step ops are row-invariant (GPU)")
    p.add_argument("--skip-batched", action="store_true", help="skip the generate() batched section")
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
    args.batches = [int(b) for b in args.batches.split(",") if b]
    args.batch_dtypes = [d for d in args.batch_dtypes.split(",") if d]
    args.infer_dtypes = [d for d in args.infer_dtypes.split(",") if d]
    args.batch_variants = [v for v in args.batch_variants.split(",") if v]
    args.fp32_variants = [v for v in args.fp32_variants.split(",") if v]
    args.variant_batches = {
        name: [int(x) for x in sizes.split(",") if x]
        for name, _, sizes in (item.partition("=") for item in args.variant_batches.split(";") if item)
    }

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
    args.out_dir.mkdir(parents=True, exist_ok=True)

    def save(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> None:
        (args.out_dir / "fidelity.json").write_text(
            json.dumps({"meta": meta, "infer_vs_engine": a, "batched": b, **EXTRA}, indent=1, default=str)
        )

    a = [] if args.skip_infer else section_infer_vs_engine(args, folder, pages)
    save(a, [])
    SAVE[:] = [lambda: save(a, [])]
    if args.kernel_map:
        t1 = time.perf_counter()
        try:
            EXTRA["fused"] = fused_probe(args, folder)
            EXTRA["kernel_map"] = section_kernel_map(args, folder)
        except Exception:
            import traceback

            EXTRA.setdefault("errors", []).append(f"kernel_map: {traceback.format_exc()[-1500:]}")
            print(EXTRA["errors"][-1], flush=True)
        print(f"kernel map: {time.perf_counter() - t1:.0f}s", flush=True)
        save(a, [])
    if args.batches:
        t1 = time.perf_counter()
        try:
            EXTRA["fast_batches"] = section_fast_batches(args, folder, pages, INFER_IDS, INFER_LOGITS)
        except Exception:
            import traceback

            EXTRA.setdefault("errors", []).append(f"fast_batches: {traceback.format_exc()[-1500:]}")
            print(EXTRA["errors"][-1], flush=True)
        print(f"fast batches: {time.perf_counter() - t1:.0f}s", flush=True)
        save(a, [])
    b = section_batched(args, folder, pages) if args.dtypes and not args.skip_batched else []
    save(a, b)
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
