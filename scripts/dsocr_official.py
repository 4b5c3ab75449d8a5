"""Drive the official remote code's ``model.infer()`` and record what it hands to ``generate()``.

``infer()`` hard-codes ``max_new_tokens=8192``; for a check we cap it by wrapping the model instance's
``generate`` (the wrapper replaces only that keyword, every other argument passes through unchanged)
and record the keyword arguments and the returned token ids. ``infer()`` also patches
``nn.Linear.reset_parameters``/``nn.LayerNorm.reset_parameters`` for the whole process
(``disable_torch_init``); :func:`run_infer` restores them afterwards. Without CUDA (a CPU smoke run)
the remote code's hard ``.cuda()`` calls are redirected to the model's device and dtype.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

#: base_size, image_size, crop_mode per mode, as the official READMEs give them (v1, v2).
MODES: dict[str, tuple[int, int, bool]] = {
    "tiny": (512, 512, False),
    "small": (640, 640, False),
    "base": (1024, 1024, False),
    "large": (1280, 1280, False),
    "gundam": (1024, 640, True),
}
MODES_V2: dict[str, tuple[int, int, bool]] = {"base": (1024, 1024, False), "gundam": (1024, 768, True)}
DOCUMENT_PROMPT = "<image>\n<|grounding|>Convert the document to markdown. "


@dataclass
class GenerateCall:
    """One recorded call of ``model.generate``: its inputs (on the CPU) and the new token ids per row."""

    kwargs: dict[str, Any]
    new_ids: list[list[int]]
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    #: The raw logits (before any logits processor) of every generated position, [new tokens, vocab]
    #: float32 on the CPU, for row 0; None unless asked for (``recording_generate(logits=True)``).
    logits: Any = None


def _to_cpu(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu")
    if isinstance(value, (list, tuple)):
        return type(value)(_to_cpu(v) for v in value)
    return value


@contextlib.contextmanager
def recording_generate(
    model: Any,
    calls: list[GenerateCall],
    *,
    max_new_tokens: int | None = None,
    keep_inputs: bool = True,
    logits: bool = False,
) -> Iterator[None]:
    """Wrap ``model.generate`` on this instance: cap ``max_new_tokens``, record inputs and outputs.
    ``logits``: also keep the raw logits of each step (``output_logits``; the ids are unchanged, and the
    caller still gets the plain tensor of ids it asked for)."""
    original = model.generate

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if max_new_tokens is not None:
            kwargs["max_new_tokens"] = max_new_tokens
        if args:
            kwargs = dict(kwargs, input_ids=args[0])
            args = ()
        if model.device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        asked = dict(kwargs, output_logits=True, return_dict_in_generate=True) if logits else kwargs
        out = original(*args, **asked)
        if model.device.type == "cuda":
            torch.cuda.synchronize()
        dt = time.perf_counter() - t0
        seqs = out if isinstance(out, torch.Tensor) else out.sequences
        raw = torch.stack(out.logits, dim=1)[0].float().cpu() if logits else None
        prompt_len = kwargs["input_ids"].shape[1]
        new = seqs[:, prompt_len:].tolist()
        recorded = {
            k: _to_cpu(v)
            for k, v in kwargs.items()
            if k not in ("streamer", "logits_processor", "stopping_criteria")
        }
        if not keep_inputs:
            recorded = {k: v for k, v in recorded.items() if not k.startswith("images")}
        for k in ("streamer", "logits_processor", "stopping_criteria"):
            if k in kwargs:
                recorded[k] = repr(type(kwargs[k]))
        calls.append(GenerateCall(recorded, new, dt, logits=raw))
        return seqs if logits else out

    model.generate = wrapper
    try:
        yield
    finally:
        try:
            del model.generate
        except AttributeError:
            model.generate = original


@contextlib.contextmanager
def cuda_shim(model: Any) -> Iterator[None]:
    """Without CUDA: ``Tensor.cuda()`` moves to the model's device (floats also to its dtype)."""
    if torch.cuda.is_available():
        yield
        return
    original = torch.Tensor.cuda
    device, dtype = model.device, model.dtype

    def fake_cuda(self: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        return self.to(device=device, dtype=dtype) if self.is_floating_point() else self.to(device)

    torch.Tensor.cuda = fake_cuda  # type: ignore[method-assign]
    try:
        yield
    finally:
        torch.Tensor.cuda = original  # type: ignore[method-assign]


@contextlib.contextmanager
def float32_infer(model: Any) -> Iterator[None]:
    """``infer()`` in float32 (a float32 model): its ``torch.autocast("cuda", dtype=torch.bfloat16)``
    blocks are turned off and the pixel tensors it makes with ``.to(torch.bfloat16)`` reach the model as
    float32 holding those same rounded values (what the engine feeds a float32 model), so every op of
    the official code path runs in float32. Nothing else of ``infer()`` changes; no-op for other dtypes."""
    if model.dtype != torch.float32:
        yield
        return
    autocast, cuda = torch.autocast, torch.Tensor.cuda

    def no_autocast(*args: Any, **kwargs: Any) -> Any:
        return autocast(*args, **{**kwargs, "enabled": False})

    def cuda_fp32(self: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        out = cuda(self, *args, **kwargs)
        return out.float() if out.dtype == torch.bfloat16 else out

    torch.autocast = no_autocast  # type: ignore[assignment,misc]
    torch.Tensor.cuda = cuda_fp32  # type: ignore[method-assign]
    try:
        yield
    finally:
        torch.autocast = autocast  # type: ignore[misc]
        torch.Tensor.cuda = cuda  # type: ignore[method-assign]


@contextlib.contextmanager
def torch_init_guard() -> Iterator[None]:
    """Undo ``disable_torch_init()``'s process-wide patch when the block ends."""
    saved = (torch.nn.Linear.reset_parameters, torch.nn.LayerNorm.reset_parameters)
    try:
        yield
    finally:
        torch.nn.Linear.reset_parameters, torch.nn.LayerNorm.reset_parameters = saved  # type: ignore[method-assign]


def run_infer(
    model: Any,
    tokenizer: Any,
    image_file: Path,
    mode: str,
    *,
    prompt: str = DOCUMENT_PROMPT,
    max_new_tokens: int = 128,
    eval_mode: bool = True,
    keep_inputs: bool = True,
    version: str = "v1",
    logits: bool = False,
) -> GenerateCall:
    """Run the official ``infer()`` on one image; return the recorded ``generate`` call. A float32
    model runs ``infer()`` in float32 (:func:`float32_infer`); ``logits``: keep each step's raw logits."""
    base_size, image_size, crop_mode = (MODES_V2 if version == "v2" else MODES)[mode]
    calls: list[GenerateCall] = []
    with (
        tempfile.TemporaryDirectory() as out_dir,
        torch_init_guard(),
        cuda_shim(model),
        float32_infer(model),
        recording_generate(
            model, calls, max_new_tokens=max_new_tokens, keep_inputs=keep_inputs, logits=logits
        ),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        t0 = time.perf_counter()
        text = model.infer(
            tokenizer,
            prompt=prompt,
            image_file=str(image_file),
            output_path=out_dir,
            base_size=base_size,
            image_size=image_size,
            crop_mode=crop_mode,
            save_results=False,
            eval_mode=eval_mode,
        )
        total = time.perf_counter() - t0
    if len(calls) != 1:
        raise RuntimeError(f"infer() called generate {len(calls)} times")
    call = calls[0]
    call.extra["text"] = text
    call.extra["infer_seconds"] = total
    return call
