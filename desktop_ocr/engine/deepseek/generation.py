"""Drive the model's own ``generate()`` with the inputs ``infer()`` would build, for a batch of pages.

Public API (the lower-level entry point, also used by the GPU fidelity script and benchmarks):

- :class:`PageRequest` - an upright RGB image, the full prompt text (with ``<image>``), the mode and
  a token cap.
- :func:`prepare_batch` - preprocessing + input ids, left-padded into one batch (CPU tensors).
- :func:`generate_pages` - run ``model.generate`` on a batch and return one :class:`Generated` per page
  (token ids as generated, EOS included when reached; raw text with special tokens kept; completion).

Decoding is greedy. ``ngram=(size, window)`` adds the windowed on-device n-gram ban
(:mod:`.ngram`); ``hf_no_repeat_ngram_size`` instead uses transformers' whole-sequence processor as
``infer()`` does (20 streaming, 35 with ``eval_mode=True``) - use that to reproduce ``infer()``
token for token. Each page stops at EOS or at its own cap, which never lets prompt + output pass the
model's positions (8192). ``on_text(index, delta)`` streams decoded text (special tokens kept);
``cancel`` (a ``threading.Event``) stops the whole batch at the next step.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop_ocr.engine.deepseek.inputs import EOS_ID, PAD_ID, build_input_ids
from desktop_ocr.engine.deepseek.preprocess import PreparedImage, prepare_image, upright_rgb
from desktop_ocr.engine.deepseek.runtime import (
    autocast_for,
    preserve_torch_init,
    redirect_cuda,
    stdout_to_log,
)
from desktop_ocr.model.result import Completion

if TYPE_CHECKING:
    import torch
    from PIL import Image

#: The decoder's position limit (``max_position_embeddings``) of both model generations.
MAX_POSITIONS = 8192

#: ``on_text(page_index, delta)``
IndexedTextCallback = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One page for :func:`generate_pages`."""

    image: Image.Image
    prompt: str  # full prompt text, containing "<image>"
    mode: str = "gundam"
    max_new_tokens: int = MAX_POSITIONS


@dataclass(slots=True)
class Batch:
    """A left-padded batch ready for ``generate`` (all tensors on the CPU)."""

    input_ids: torch.Tensor  # [B, L] long
    attention_mask: torch.Tensor  # [B, L] long
    images_seq_mask: torch.Tensor  # [B, L] bool
    images_spatial_crop: torch.Tensor  # [B, 2] long: (columns, rows)
    images: list[PreparedImage]
    prompt_lengths: list[int]  # unpadded

    @property
    def padded_length(self) -> int:
        return int(self.input_ids.shape[1])


@dataclass(slots=True)
class Generated:
    """The outcome for one page."""

    token_ids: list[int]  # as generated; ends with EOS when it was reached
    text: str  # decoded without the EOS, special tokens kept
    completion: Completion
    prompt_tokens: int
    cap: int  # the token cap that applied to this page
    extra: dict[str, Any] = field(default_factory=dict)
    #: The probability the model gave each token of ``token_ids`` when it chose it (greedy: the
    #: largest after the logits processors); empty where it was not recorded.
    token_probs: list[float] = field(default_factory=list)

    @property
    def eos(self) -> bool:
        return bool(self.token_ids) and self.token_ids[-1] == EOS_ID


def model_version(model: Any) -> str:
    """ "v1" or "v2" for a loaded remote-code model (from its config)."""
    from desktop_ocr.engine.deepseek.loader import detect_version

    version = detect_version(getattr(model, "config", None))
    return version or "v1"


def prepare_batch(tokenizer: Any, requests: Sequence[PageRequest], version: str) -> Batch:
    """Preprocess each page and build its ids, then left-pad them into one batch."""
    import torch

    def _prepare(req: PageRequest) -> PreparedImage:
        return prepare_image(upright_rgb(req.image), version, req.mode)

    # Resizing and tiling is ~0.1 s of CPU per A4 page; PIL releases the GIL, so pages go in parallel.
    workers = min(8, len(requests), os.cpu_count() or 1)
    if workers > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            images = list(pool.map(_prepare, requests))
    else:
        images = [_prepare(req) for req in requests]
    prepared: list[PreparedImage] = []
    ids: list[list[int]] = []
    masks: list[list[bool]] = []
    for req, prep in zip(requests, images):
        built = build_input_ids(tokenizer, req.prompt, prep.n_image_tokens)
        prepared.append(prep)
        ids.append(built.input_ids)
        masks.append(built.images_seq_mask)
    length = max(len(x) for x in ids)
    batch = len(ids)
    input_ids = torch.full((batch, length), PAD_ID, dtype=torch.long)
    attention = torch.zeros((batch, length), dtype=torch.long)
    seq_mask = torch.zeros((batch, length), dtype=torch.bool)
    for i, (row, mrow) in enumerate(zip(ids, masks)):
        n = len(row)
        input_ids[i, length - n :] = torch.tensor(row, dtype=torch.long)
        attention[i, length - n :] = 1
        seq_mask[i, length - n :] = torch.tensor(mrow, dtype=torch.bool)
    crop = torch.tensor([list(p.grid) for p in prepared], dtype=torch.long)
    return Batch(input_ids, attention, seq_mask, crop, prepared, [len(x) for x in ids])


def _image_dtype(model_dtype: Any) -> Any:
    import torch

    # infer() feeds bfloat16 pixels; fp32 models get those same (rounded) values, fp16 models fp16.
    return model_dtype if model_dtype in (torch.bfloat16, torch.float16, torch.float32) else torch.float32


def _fast_decoder(tokenizer: Any) -> Callable[[list[int]], str]:
    """Decode with special tokens kept; straight through the Rust tokenizer when that gives the same
    text (no clean-up of spaces), which is 20 times cheaper per call than ``tokenizer.decode``."""
    backend = getattr(tokenizer, "_tokenizer", None)
    if backend is not None and not getattr(tokenizer, "clean_up_tokenization_spaces", True):
        return lambda ids: str(backend.decode(ids, skip_special_tokens=False))
    return lambda ids: str(tokenizer.decode(ids, skip_special_tokens=False))


class _IncrementalDecoder:
    """Decode a growing token list piece by piece (special tokens kept, no split UTF-8)."""

    def __init__(self, tokenizer: Any) -> None:
        self.decode = _fast_decoder(tokenizer)
        self.ids: list[int] = []
        self.prefix_offset = 0
        self.read_offset = 0

    def push(self, token_id: int) -> str:
        self.ids.append(token_id)
        prefix = self.decode(self.ids[self.prefix_offset : self.read_offset])
        full = self.decode(self.ids[self.prefix_offset :])
        if len(full) > len(prefix) and not full.endswith("\ufffd"):
            delta = full[len(prefix) :]
            self.prefix_offset = self.read_offset
            self.read_offset = len(self.ids)
            return delta
        return ""


class _BatchStreamer:
    """A ``generate`` streamer for a whole batch: records each page's tokens, reports text deltas."""

    def __init__(
        self, tokenizer: Any, caps: list[int], on_text: IndexedTextCallback | None, eos_id: int
    ) -> None:
        self.caps = caps
        self.on_text = on_text
        self.eos_id = eos_id
        self.decoders = [_IncrementalDecoder(tokenizer) for _ in caps]
        self.done = [False] * len(caps)
        self._prompt_seen = False

    def tokens(self, index: int) -> list[int]:
        return list(self.decoders[index].ids)

    def put(self, value: Any) -> None:
        if not self._prompt_seen:
            self._prompt_seen = True
            return
        tokens = value.view(-1).tolist()
        for i, tok in enumerate(tokens):
            if self.done[i]:
                continue
            dec = self.decoders[i]
            if tok == self.eos_id:
                dec.ids.append(tok)
                self.done[i] = True
                continue
            if self.on_text is None:
                dec.ids.append(int(tok))
                delta = ""
            else:
                delta = dec.push(int(tok))
            if len(dec.ids) >= self.caps[i]:
                self.done[i] = True
            if delta and self.on_text is not None:
                self.on_text(i, delta)

    def end(self) -> None:
        pass


def token_pieces(tokenizer: Any, token_ids: Sequence[int], probs: Sequence[float]) -> list[tuple[str, float]]:
    """The text each token added to the decoded output (special tokens kept) with the probability
    of the token; a character whose bytes span several tokens comes with the last of them and the
    least of their probabilities. The pieces join to the decoded text of ``token_ids``."""
    decoder = _IncrementalDecoder(tokenizer)
    pieces: list[tuple[str, float]] = []
    pending = 1.0
    for token, prob in zip(token_ids, probs):
        pending = min(pending, float(prob))
        delta = decoder.push(int(token))
        if delta:
            pieces.append((delta, pending))
            pending = 1.0
    return pieces


def _confidence_recorder() -> Any:
    """A logits processor, last in the list, that records the probability of the token greedy
    decoding is about to pick for each row (kept on the device; one stack at the end)."""
    import torch
    from transformers import LogitsProcessor

    class _TokenConfidence(LogitsProcessor):
        def __init__(self) -> None:
            self.steps: list[torch.Tensor] = []

        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
            self.steps.append(torch.softmax(scores.float(), dim=-1).amax(dim=-1))
            return scores

        def rows(self) -> list[list[float]]:
            """Per row of the batch, the recorded probabilities in step order."""
            if not self.steps:
                return []
            return torch.stack(self.steps, dim=1).cpu().tolist()

    return _TokenConfidence()


class GenerationCancelled(Exception):
    """Raised inside the model by :func:`cancel_hooks` to stop a long forward pass."""


@contextlib.contextmanager
def cancel_hooks(model: Any, cancel: threading.Event | None) -> Iterator[None]:
    """Check ``cancel`` before each layer of the model's layer lists (decoder, vision towers).

    Stopping criteria only run between decoding steps; a prefill that encodes many pages, or any step on
    the CPU, can take far longer than a second, so the check also runs inside the forward pass.
    """
    if cancel is None:
        yield
        return
    from torch import nn

    def check(module: Any, args: Any) -> None:
        if cancel.is_set():
            raise GenerationCancelled()

    handles: list[Any] = []
    for module in model.modules():
        if isinstance(module, nn.ModuleList) and len(module) <= 48:  # layers, not the 64 MoE experts
            handles.extend(child.register_forward_pre_hook(check) for child in module)
    try:
        yield
    finally:
        for handle in handles:
            handle.remove()


def _stopping(prompt_len: int, caps: list[int], cancel: threading.Event | None, device: Any) -> list[Any]:
    import torch
    from transformers import StoppingCriteria

    cap_tensor = torch.tensor(caps, dtype=torch.long, device=device)

    class _PerPageCap(StoppingCriteria):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: Any) -> torch.Tensor:
            return (input_ids.shape[1] - prompt_len) >= cap_tensor

    class _Cancelled(StoppingCriteria):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: Any) -> torch.Tensor:
            flag = cancel is not None and cancel.is_set()
            return torch.full((input_ids.shape[0],), flag, dtype=torch.bool, device=input_ids.device)

    return [_PerPageCap(), _Cancelled()]


def token_caps(prompt_lengths: Sequence[int], requested: Sequence[int], max_positions: int) -> list[int]:
    """Per-page caps: the requested cap, lowered so prompt + output stays within ``max_positions``."""
    return [max(1, min(int(r), max_positions - int(p))) for p, r in zip(prompt_lengths, requested)]


def model_max_positions(model: Any) -> int:
    cfg = getattr(model, "config", None)
    value = getattr(cfg, "max_position_embeddings", None)
    if not value:
        lang = getattr(cfg, "language_config", None)
        value = lang.get("max_position_embeddings") if isinstance(lang, dict) else None
    return int(value or MAX_POSITIONS)


def generate_pages(
    model: Any,
    tokenizer: Any,
    requests: Sequence[PageRequest],
    *,
    version: str | None = None,
    ngram: tuple[int, int] | None = None,
    hf_no_repeat_ngram_size: int | None = None,
    on_text: IndexedTextCallback | None = None,
    cancel: threading.Event | None = None,
    max_positions: int | None = None,
    eos_id: int = EOS_ID,
    pad_id: int = PAD_ID,
) -> list[Generated]:
    """Generate for a batch of pages with ``model.generate`` (greedy). See the module docstring."""
    import torch
    from transformers import LogitsProcessorList, StoppingCriteriaList

    from desktop_ocr.engine.deepseek.ngram import WindowedNGramBan

    if not requests:
        return []
    version = version or model_version(model)
    device = next(model.parameters()).device
    dtype = next(model.parameters()).dtype
    batch = prepare_batch(tokenizer, requests, version)
    limit = max_positions or model_max_positions(model)
    caps = token_caps(batch.prompt_lengths, [r.max_new_tokens for r in requests], limit)
    prompt_len = batch.padded_length
    img_dtype = _image_dtype(dtype)
    images = [
        (
            p.crops_tensor.to(device=device, dtype=img_dtype),
            p.global_tensor.to(device=device, dtype=img_dtype),
        )
        for p in batch.images
    ]
    processors = LogitsProcessorList()
    if ngram is not None:
        processors.append(WindowedNGramBan(ngram[0], ngram[1], prompt_length=prompt_len))
    confidence = _confidence_recorder()
    processors.append(confidence)
    # The streamer reports text and records tokens for a stop inside a forward pass; without either
    # need it is left out (it copies each step's tokens to the host).
    streamer = _BatchStreamer(tokenizer, caps, on_text, eos_id) if on_text or cancel else None
    kwargs: dict[str, Any] = {}
    if hf_no_repeat_ngram_size:
        kwargs["no_repeat_ngram_size"] = int(hf_no_repeat_ngram_size)
    rows: list[list[int]]
    try:
        with (
            preserve_torch_init(),
            redirect_cuda(device),
            autocast_for(device, dtype),
            torch.no_grad(),
            cancel_hooks(model, cancel),
            stdout_to_log(),
        ):
            output = model.generate(
                batch.input_ids.to(device),
                attention_mask=batch.attention_mask.to(device),
                images=images,
                images_seq_mask=batch.images_seq_mask.to(device),
                images_spatial_crop=batch.images_spatial_crop,
                do_sample=False,
                num_beams=1,
                max_new_tokens=max(caps),
                eos_token_id=eos_id,
                pad_token_id=pad_id,
                use_cache=True,
                logits_processor=processors,
                stopping_criteria=StoppingCriteriaList(_stopping(prompt_len, caps, cancel, device)),
                streamer=streamer,
                **kwargs,
            )
        rows = output[:, prompt_len:].tolist()
    except GenerationCancelled:
        assert streamer is not None  # hooks are only installed with a cancel event
        rows = [streamer.tokens(i) for i in range(len(requests))]
    cancelled = cancel is not None and cancel.is_set()
    probs = confidence.rows()
    results: list[Generated] = []
    for i, row in enumerate(rows):
        ids = row[: caps[i]]
        if eos_id in ids:
            ids = ids[: ids.index(eos_id) + 1]
            completion = Completion.COMPLETE
            text_ids = ids[:-1]
        else:
            text_ids = ids
            hit_cap = len(ids) >= caps[i]
            completion = Completion.CANCELLED if cancelled and not hit_cap else Completion.INCOMPLETE
        text = tokenizer.decode(text_ids, skip_special_tokens=False)
        results.append(
            Generated(
                token_ids=ids,
                text=text,
                completion=completion,
                prompt_tokens=batch.prompt_lengths[i],
                cap=caps[i],
                extra={"grid": list(batch.images[i].grid), "image_tokens": batch.images[i].n_image_tokens},
                token_probs=probs[i][: len(ids)] if i < len(probs) else [],
            )
        )
    return results
