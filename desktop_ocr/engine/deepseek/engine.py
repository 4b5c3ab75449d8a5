"""The DeepSeek-OCR engine for the app: load once, read pages in batches, stream text and blocks.

Public API: :class:`DeepSeekOCREngine` (implements :class:`desktop_ocr.engine.base.Engine`)::

    engine = DeepSeekOCREngine("/models/DeepSeek-OCR", trust_remote_code=True)  # or a hub id + revision
    engine.load(progress, cancel)
    results = engine.read([PageInput(key, image, ReadOptions(mode="gundam"))], on_text=..., on_block=...)

Constructor options: ``revision`` (required for a hub id), ``device`` (default: first GPU, else CPU),
``dtype`` (default: bf16 / fp16 / fp32 as the device allows), ``attn`` ("eager" or
"flash_attention_2"), ``batch_size`` (None: from free GPU memory after loading; 1 on the CPU),
``trust_remote_code`` (the user confirmed the model's code may run), ``ngram`` ((size, window) of the
on-device n-gram ban, None for none), ``max_batch`` (upper bound of the automatic batch size),
``accel`` (apply :mod:`.accel`'s speed-ups on a CUDA GPU: on by default since the GPU fidelity check
showed the same token ids as the official ``infer()`` with them; see benchmarks/results/),
``fast_decode`` (None: on a CUDA GPU with ``accel``, decode with :mod:`.fastdecode` - static KV cache,
CUDA graphs, continuous batching over ``batch_size`` slots; True forces its eager form elsewhere too;
it falls back to ``generate()`` with a log line when the model's decoder is not one it knows). A page
gives ``infer()``'s ids whether it is decoded alone or with other pages in flight (each row's attention
over exactly its own positions; measured on an H200 in batches of 2, 4 and 16, see the results).
``decode`` ("exact", the default: that; "fastest": the batch-invariant graphs of
``StaticDecoder(invariant=True)`` - batches several times faster, a page's ids still independent of
its batch, but not ``infer()``'s after some tokens; the app's ``deepseek.decode`` setting).

Running out of GPU memory halves the batch and retries; a page that does not fit alone fails with
``reason="oom"`` and a ``retry_hint`` naming a smaller mode; the model stays loaded. A page that hits
its token cap without EOS is kept and marked INCOMPLETE; a cancelled page keeps its partial text.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from desktop_ocr.engine.base import (
    PROMPTS,
    BlockCallback,
    Engine,
    EngineCancelled,
    EngineInfo,
    EngineUnavailable,
    PageFailure,
    PageFeed,
    PageInput,
    ProgressCallback,
    TextCallback,
)
from desktop_ocr.engine.deepseek.ngram import DEFAULT_NGRAM
from desktop_ocr.engine.deepseek.preprocess import MODES, smaller_mode
from desktop_ocr.engine.grounding import StreamingBlockParser, parse_blocks, to_markdown, unreadable_blocks
from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.confidence import carry_over, scored_words, token_char_scores
from desktop_ocr.model.result import Completion, PageResult, ScoredWord

ENGINE_NAME = "deepseek-ocr"
#: Rough GPU memory per page in a batch (GiB): vision activations + KV cache for a long page.
_GIB_PER_PAGE = {"tiny": 0.6, "small": 0.7, "base": 1.0, "large": 1.4, "gundam": 1.8}
_RESERVE_GIB = 1.5
#: Typical length of a document page's output, for the estimate before anything was measured.
_TYPICAL_TOKENS = 1200


class DeepSeekOCREngine(Engine):
    """DeepSeek-OCR v1 / v2 through the model's remote code; see the module docstring."""

    def __init__(
        self,
        model_path: str | os.PathLike[str],
        *,
        revision: str | None = None,
        device: Any = None,
        dtype: Any = None,
        attn: str = "eager",
        batch_size: int | None = None,
        trust_remote_code: bool = False,
        ngram: tuple[int, int] | None = DEFAULT_NGRAM,
        max_batch: int = 16,
        transformers_version: str | None = None,
        accel: bool = True,
        fast_decode: bool | None = None,
        decode: str = "exact",
    ) -> None:
        if decode not in ("exact", "fastest"):
            raise ValueError(f"decode must be 'exact' or 'fastest', not {decode!r}")
        #: "exact": every page decodes as alone (infer()'s ids); "fastest": batch-invariant graphs.
        self.decode = decode
        self.model_path = os.fspath(model_path)
        self.revision = revision
        self.device = device
        self.dtype = dtype
        self.attn = attn
        self.trust_remote_code = trust_remote_code
        self.ngram = ngram
        self.max_batch = max(1, int(max_batch))
        self.transformers_version = transformers_version
        self.accel = accel
        self.fast_decode = fast_decode
        self._fast: Any = None
        self._requested_batch = batch_size if batch_size and batch_size > 0 else None
        self._batch_size = self._requested_batch or 1
        self._loaded: Any = None
        self._seconds_per_page: float | None = None

    # -- Engine interface ---------------------------------------------------------------------
    @property
    def info(self) -> EngineInfo:
        lm = self._loaded
        version = lm.version if lm is not None else "v1"
        device = str(lm.device) if lm is not None else str(self.device or "auto")
        return EngineInfo(
            name=ENGINE_NAME,
            title="DeepSeek-OCR 2" if version == "v2" else "DeepSeek-OCR",
            streams=True,
            grounded=True,
            modes=tuple(MODES[version]),
            prompts=(*PROMPTS, "custom"),
            max_batch=self._batch_size,
            device=device,
            seconds_per_page_estimate=self.seconds_per_page_estimate(),
        )

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def version(self) -> str | None:
        return self._loaded.version if self._loaded is not None else None

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @property
    def loaded_model(self) -> Any:
        """The :class:`~desktop_ocr.engine.deepseek.loader.LoadedModel` (model, tokenizer, ...) or None."""
        return self._loaded

    def load(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> None:
        from desktop_ocr.engine.deepseek.loader import load_model

        if cancel is not None and cancel.is_set():
            raise EngineCancelled(QT_TRANSLATE_NOOP("Engine", "Loading DeepSeek-OCR was cancelled."))
        loaded = load_model(
            self.model_path,
            revision=self.revision,
            device=self.device,
            dtype=self.dtype,
            attn=self.attn,
            trust_remote_code=self.trust_remote_code,
            transformers_version=self.transformers_version,
            progress=progress,
        )
        if cancel is not None and cancel.is_set():
            del loaded
            raise EngineCancelled(QT_TRANSLATE_NOOP("Engine", "Loading DeepSeek-OCR was cancelled."))
        if self.accel and getattr(loaded.device, "type", "") == "cuda":
            from desktop_ocr.engine.deepseek import accel

            accel.apply(loaded.model)
        self._loaded = loaded
        self._batch_size = self._requested_batch or self._auto_batch_size()
        on_cuda = getattr(loaded.device, "type", "") == "cuda"
        if self.fast_decode or (self.fast_decode is None and self.accel and on_cuda):
            from desktop_ocr.engine.deepseek.fastdecode import create_decoder
            from desktop_ocr.engine.deepseek.generation import model_max_positions

            self._fast = create_decoder(
                loaded.model,
                self._batch_size,
                model_max_positions(loaded.model),
                invariant=self.decode == "fastest",
            )
        else:
            from desktop_ocr.engine.deepseek.runtime import log

            why = (
                "switched off by the engine's options"
                if self.fast_decode is False or not self.accel
                else f"the device is {loaded.device}, not a CUDA GPU"
            )
            log.info(
                "fast decoder off: %s; using the model's generate() in batches of %d", why, self._batch_size
            )

    def unload(self) -> None:
        lm, self._loaded = self._loaded, None
        self._fast = None
        if lm is None:
            return
        device = lm.device
        del lm
        import gc

        gc.collect()
        if getattr(device, "type", "") == "cuda":
            import torch

            torch.cuda.empty_cache()

    def read(
        self,
        pages: Sequence[PageInput],
        *,
        on_text: TextCallback | None = None,
        on_block: BlockCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[PageResult | PageFailure]:
        if self._loaded is None:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP("Engine", "DeepSeek-OCR is not loaded yet. Load the model first.")
            )
        results: dict[str, PageResult | PageFailure] = {}
        streams = _Streams(on_text, on_block)
        if self._fast is not None:
            return self._read_fast(list(pages), streams, cancel)
        queue = list(pages)
        while queue:
            if cancel is not None and cancel.is_set():
                for page in queue:
                    results[page.key] = PageFailure(
                        page.key, QT_TRANSLATE_NOOP("Engine", "Reading was cancelled."), reason="cancelled"
                    )
                break
            chunk, queue = queue[: self._batch_size], queue[self._batch_size :]
            for key, outcome in self._read_chunk(chunk, streams, cancel):
                results[key] = outcome
        return [results[p.key] for p in pages]

    # -- internals ----------------------------------------------------------------------------
    def _read_chunk(
        self, chunk: list[PageInput], streams: _Streams, cancel: threading.Event | None
    ) -> list[tuple[str, PageResult | PageFailure]]:
        import torch

        from desktop_ocr.engine.deepseek.generation import PageRequest, generate_pages

        lm = self._loaded
        bad = [(p.key, _check_page(p, lm.version)) for p in chunk]
        out: list[tuple[str, PageResult | PageFailure]] = [(k, f) for k, f in bad if f is not None]
        chunk = [p for p, (_, f) in zip(chunk, bad) if f is None]
        if not chunk:
            return out
        for p in chunk:
            streams.start(p.key)
        requests = [
            PageRequest(p.image, p.options.prompt_text(), p.options.mode, p.options.max_new_tokens)
            for p in chunk
        ]
        t0 = time.monotonic()
        oom = False
        try:
            generated = generate_pages(
                lm.model,
                lm.tokenizer,
                requests,
                version=lm.version,
                ngram=self.ngram,
                on_text=(lambda i, d: streams.text(chunk[i].key, d)) if streams.wanted else None,
                cancel=cancel,
            )
        except torch.cuda.OutOfMemoryError:
            oom = True
        except Exception as exc:
            if _is_oom(exc):
                oom = True
            elif len(chunk) > 1:
                for p in chunk:
                    out.extend(self._read_chunk([p], streams, cancel))
                return out
            else:
                return [*out, (chunk[0].key, PageFailure(chunk[0].key, _error_message(chunk[0], exc)))]
        if oom:
            # Outside the except block: its traceback no longer holds the failed pass's tensors.
            _free_cuda_memory()
            return out + self._after_oom(chunk, streams, cancel)
        elapsed = time.monotonic() - t0
        if not (cancel is not None and cancel.is_set()):
            self._note_speed(elapsed, len(chunk))
        for page, gen in zip(chunk, generated):
            streams.finish(page.key)
            out.append((page.key, self._to_result(page, gen, elapsed / len(chunk), len(chunk))))
        return out

    def _read_fast(
        self, pages: list[PageInput], streams: _Streams, cancel: threading.Event | None
    ) -> list[PageResult | PageFailure]:
        """All pages through the fast decoder's queue: a slot that frees takes the next page at once."""
        results: dict[str, PageResult | PageFailure] = {}
        queue = iter(pages)
        self._run_fast(
            lambda: next(queue, None), lambda key, outcome: results.__setitem__(key, outcome), streams, cancel
        )
        return [results[p.key] for p in pages]

    def read_feed(self, feed: PageFeed, *, cancel: threading.Event | None = None) -> None:
        """With the fast decoder (CUDA): pages drawn from ``feed`` as slots free (continuous batching),
        each reported the moment it ends; otherwise the default batches of :meth:`Engine.read_feed`."""
        if self._fast is None or self._loaded is None:
            super().read_feed(feed, cancel=cancel)
            return
        self._run_fast(feed.take, feed.done, _Streams(feed.on_text, feed.on_block), cancel)

    def _run_fast(
        self,
        take: Callable[[], PageInput | None],
        report: Callable[[str, PageResult | PageFailure], None],
        streams: _Streams,
        cancel: threading.Event | None,
    ) -> None:
        """Pages from ``take()`` (until None) through :func:`.fastdecode.run_pages`; ``report(key,
        outcome)`` once per page as it ends (a page that cannot be read is reported when taken)."""
        import torch

        from desktop_ocr.engine.deepseek.fastdecode import run_pages
        from desktop_ocr.engine.deepseek.generation import GenerationCancelled, PageRequest

        lm = self._loaded
        taken: list[PageInput] = []

        def source() -> PageRequest | None:
            while True:
                page = take()
                if page is None:
                    return None
                failure = _check_page(page, lm.version)
                if failure is not None:
                    report(page.key, failure)
                    continue
                taken.append(page)
                streams.start(page.key)
                opts = page.options
                return PageRequest(page.image, opts.prompt_text(), opts.mode, opts.max_new_tokens)

        def done(index: int, outcome: Any) -> None:
            page = taken[index]
            result: PageResult | PageFailure
            if isinstance(outcome, GenerationCancelled):
                result = PageFailure(
                    page.key, QT_TRANSLATE_NOOP("Engine", "Reading was cancelled."), reason="cancelled"
                )
            elif isinstance(outcome, torch.cuda.OutOfMemoryError) or (
                isinstance(outcome, BaseException) and _is_oom(outcome)
            ):
                result = self._after_oom([page], streams, None)[0][1]
            elif isinstance(outcome, BaseException):
                result = PageFailure(page.key, _error_message(page, outcome))
            else:
                streams.finish(page.key)
                seconds = float(outcome.extra.get("seconds", 0.0))
                result = self._to_result(page, outcome, seconds, self._batch_size)
                if not (cancel is not None and cancel.is_set()):
                    self._note_speed(seconds / max(1, min(len(taken), self._batch_size)), 1)
            report(page.key, result)

        run_pages(
            self._fast,
            lm.tokenizer,
            [],
            source=source,
            version=lm.version,
            ngram=self.ngram,
            on_text=(lambda i, d: streams.text(taken[i].key, d)) if streams.wanted else None,
            on_done=done,
            cancel=cancel,
        )

    def _after_oom(
        self, chunk: list[PageInput], streams: _Streams, cancel: threading.Event | None
    ) -> list[tuple[str, PageResult | PageFailure]]:
        if len(chunk) > 1:
            self._batch_size = max(1, len(chunk) // 2)
            half = self._batch_size
            return self._read_chunk(chunk[:half], streams, cancel) + self._read_chunk(
                chunk[half:], streams, cancel
            )
        self._batch_size = 1
        page = chunk[0]
        version = self._loaded.version if self._loaded is not None else "v1"
        smaller = smaller_mode(version, page.options.mode)
        hint: dict[str, object] = {"batch_size": 1}
        mode = page.options.mode.capitalize()
        if smaller:
            hint["mode"] = smaller
            message = QT_TRANSLATE_NOOP(
                "Engine",
                "Not enough GPU memory to read this page in {mode} mode. "
                "Try the {smaller} mode, or close other programs that use the GPU.",
            ).format(mode=mode, smaller=smaller.capitalize())
        else:
            message = QT_TRANSLATE_NOOP(
                "Engine",
                "Not enough GPU memory to read this page in {mode} mode. Close other programs that use the GPU.",
            ).format(mode=mode)
        return [(page.key, PageFailure(page.key, message, reason="oom", retry_hint=hint))]

    def _to_result(self, page: PageInput, gen: Any, elapsed: float, batch: int) -> PageResult:
        lm = self._loaded
        width, height = page.image.size
        markdown = to_markdown(gen.text)
        return PageResult(
            blocks=tuple(parse_blocks(gen.text)),
            raw=gen.text,
            markdown=markdown,
            completion=gen.completion,
            engine=ENGINE_NAME,
            model=os.path.basename(self.model_path.rstrip("/\\")) or self.model_path,
            mode=page.options.mode,
            prompt=page.options.prompt,
            width=width,
            height=height,
            elapsed_s=round(elapsed, 3),
            prompt_tokens=gen.prompt_tokens,
            generated_tokens=len(gen.token_ids),
            extra={
                **gen.extra,
                "version": lm.version if lm is not None else "",
                "batch_size": batch,
                "token_cap": gen.cap,
                "possible_repetition": gen.completion is Completion.INCOMPLETE,
                "unreadable_boxes": unreadable_blocks(gen.text),
            },
            words=tuple(_doubtful_words(lm.tokenizer if lm is not None else None, gen, markdown)),
        )

    def _auto_batch_size(self) -> int:
        lm = self._loaded
        if lm is None or getattr(lm.device, "type", "cpu") != "cuda":
            return 1
        import torch

        try:
            free, _total = torch.cuda.mem_get_info(lm.device)
        except Exception:
            return 1
        free_gib = free / 2**30
        per_page = _GIB_PER_PAGE["gundam"]
        return max(1, min(self.max_batch, int((free_gib - _RESERVE_GIB) / per_page)))

    def _note_speed(self, elapsed: float, pages: int) -> None:
        per_page = elapsed / max(1, pages)
        prev = self._seconds_per_page
        self._seconds_per_page = per_page if prev is None else 0.7 * prev + 0.3 * per_page

    def seconds_per_page_estimate(self) -> float:
        """Measured average once pages were read; before that an honest guess for the device."""
        if self._seconds_per_page is not None:
            return round(self._seconds_per_page, 2)
        lm = self._loaded
        dev_type = getattr(lm.device, "type", None) if lm is not None else None
        if dev_type is None:
            try:
                import torch

                wants_gpu = self.device in (None, "auto") or str(self.device).startswith("cuda")
                dev_type = "cuda" if wants_gpu and torch.cuda.is_available() else "cpu"
            except ImportError:
                dev_type = "cpu"
        if dev_type == "cuda":
            # ~25-50 tokens/s per page at batch 1, better per page in batches.
            return round(_TYPICAL_TOKENS / (30.0 * max(1.0, self._batch_size**0.7)) + 1.0, 1)
        # CPU, fp32: roughly 0.4 tokens/s per core for the 3B MoE decoder, plus the vision encoder.
        cores = max(1, min(16, os.cpu_count() or 1))
        return round(_TYPICAL_TOKENS / (0.4 * cores) + 20.0 * 8 / cores, 0)


class _Streams:
    """Per-page streaming state; a page read again (after an OOM retry) does not repeat its text."""

    def __init__(self, on_text: TextCallback | None, on_block: BlockCallback | None) -> None:
        self.on_text = on_text
        self.on_block = on_block
        self.sent_chars: dict[str, int] = {}
        self.sent_blocks: dict[str, int] = {}
        self.chars_now: dict[str, int] = {}  # lengths only: keeping the text would copy it per delta
        self.parsers: dict[str, StreamingBlockParser] = {}
        self.blocks_now: dict[str, int] = {}

    @property
    def wanted(self) -> bool:
        return self.on_text is not None or self.on_block is not None

    def start(self, key: str) -> None:
        self.chars_now[key] = 0
        self.parsers[key] = StreamingBlockParser()
        self.blocks_now[key] = 0

    def text(self, key: str, delta: str) -> None:
        before = self.chars_now[key]
        now = self.chars_now[key] = before + len(delta)
        sent = self.sent_chars.get(key, 0)
        if self.on_text is not None and now > sent:
            self.on_text(key, delta[max(sent, before) - before :])
            self.sent_chars[key] = now
        self._blocks(key, self.parsers[key].feed(delta))

    def finish(self, key: str) -> None:
        if self.wanted:
            self._blocks(key, self.parsers[key].finish())

    def _blocks(self, key: str, blocks: list[Any]) -> None:
        for block in blocks:
            index = self.blocks_now[key]
            self.blocks_now[key] = index + 1
            if self.on_block is not None and index >= self.sent_blocks.get(key, 0):
                self.on_block(key, block)
                self.sent_blocks[key] = index + 1


def _check_page(page: PageInput, version: str) -> PageFailure | None:
    width, height = page.image.size
    if width < 1 or height < 1:
        return PageFailure(
            page.key, QT_TRANSLATE_NOOP("Engine", "The page image is empty (0 pixels wide or high).")
        )
    opts = page.options
    if opts.mode not in MODES[version]:
        known = ", ".join(m.capitalize() for m in MODES[version])
        name = "DeepSeek-OCR 2" if version == "v2" else "DeepSeek-OCR"
        return PageFailure(
            page.key,
            QT_TRANSLATE_NOOP("Engine", "{model} has no {mode} mode (use {known}).").format(
                model=name, mode=opts.mode.capitalize(), known=known
            ),
        )
    if opts.prompt == "locate" and not opts.locate_target.strip():
        return PageFailure(
            page.key,
            QT_TRANSLATE_NOOP("Engine", "Type the text to locate before reading with the Locate prompt."),
        )
    return None


def _is_oom(exc: BaseException) -> bool:
    text = str(exc)
    return "out of memory" in text.lower() and ("CUDA" in text or "cuda" in text)


def _free_cuda_memory() -> None:
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _error_message(page: PageInput, exc: BaseException) -> str:
    if isinstance(exc, ValueError) and "Mode" in str(exc):
        return str(exc)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return QT_TRANSLATE_NOOP("Engine", "DeepSeek-OCR could not read this page ({error}).").format(error=first)


def _doubtful_words(tokenizer: Any, gen: Any, markdown: str) -> list[ScoredWord]:
    """The words of ``markdown`` made of tokens the model chose with a low probability."""
    from desktop_ocr.engine.deepseek.generation import token_pieces

    probs = list(getattr(gen, "token_probs", None) or ())
    ids = gen.token_ids[:-1] if gen.eos else gen.token_ids
    if tokenizer is None or len(probs) < len(ids):
        return []
    text, scores = token_char_scores(token_pieces(tokenizer, ids, probs))
    if text != gen.text:  # a partly decoded character at a cut-off end, or a decoder that cleans up
        text, scores = text[: len(gen.text)], scores[: len(gen.text)]
        if text != gen.text[: len(text)]:
            return []
    return carry_over(text, scored_words(text, scores), markdown)
