"""The engine interface: plain Python, no Qt. Every OCR engine implements :class:`Engine`.

An engine is owned by exactly one thread (the OCR worker). Calls take plain callables for
progress and streaming, and a :class:`threading.Event` for cancellation; they return plain
dataclasses. Engines never import Qt; only modules under ``desktop_ocr.engine`` import torch.

Pages reach an engine in one of two forms; the reading service (:mod:`desktop_ocr.reading`) always
calls :meth:`Engine.read_feed`:

* **batch** (every engine): :meth:`Engine.read` takes up to ``info.max_batch`` pages and returns
  one outcome per page. The default :meth:`Engine.read_feed` draws that many pages from the feed,
  calls :meth:`Engine.read`, reports them and draws the next batch, so an engine that implements
  only :meth:`Engine.read` needs nothing else.
* **pull** (opt-in): an engine that reads several pages at once and can start a page the moment
  another finishes (several server endpoints, continuous batching on a GPU) overrides
  :meth:`Engine.read_feed`: it calls ``feed.take()`` whenever a slot is free and ``feed.done()``
  as each page finishes. See :class:`PageFeed` for the rules.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

if TYPE_CHECKING:
    from PIL import Image

# --- prompts --------------------------------------------------------------------------------

#: The official DeepSeek-OCR prompts, by key. ``{target}`` is filled for ``locate``.
PROMPTS: dict[str, str] = {
    "document": "<image>\n<|grounding|>Convert the document to markdown. ",
    "ocr": "<image>\n<|grounding|>OCR this image. ",
    "free": "<image>\nFree OCR. ",
    "figure": "<image>\nParse the figure. ",
    "describe": "<image>\nDescribe this image in detail. ",
    "locate": "<image>\nLocate <|ref|>{target}<|/ref|> in the image. ",
    "table": "<image>\n<|grounding|>Extract the table content.",
}
PROMPT_TITLES: dict[str, str] = {
    "document": "Document to Markdown",
    "ocr": "OCR image",
    "free": "Free OCR (text only)",
    "figure": "Parse figure",
    "describe": "Describe image",
    "locate": "Locate text",
    "table": "Extract table",
    "custom": "Custom prompt",
}


#: Token cap of a locate answer (a list of boxes): a looping answer stops early.
LOCATE_MAX_NEW_TOKENS = 1024


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read a page. Engines ignore what they do not support."""

    prompt: str = "document"  # a key of PROMPTS, or "custom"
    custom_prompt: str = ""  # used when prompt == "custom"; must contain "<image>"
    locate_target: str = ""  # used when prompt == "locate"
    mode: str = "gundam"  # tiny, small, base, large, gundam (v1) / gundam (v2: 768 tiles)
    max_new_tokens: int = 8192  # a cap; engines never exceed their model's positions
    #: Born-digital PDF pages are read from their own text layer (exact, no OCR) instead of their
    #: image; scans with an invisible OCR layer are always read again.
    use_text_layer: bool = False

    def prompt_text(self) -> str:
        """The full prompt string, ``<image>`` included."""
        if self.prompt == "custom":
            text = self.custom_prompt or PROMPTS["document"]
            return text if "<image>" in text else "<image>\n" + text
        if self.prompt == "locate":
            return PROMPTS["locate"].format(target=self.locate_target)
        return PROMPTS.get(self.prompt, PROMPTS["document"])


@dataclass(frozen=True, slots=True)
class PageInput:
    """One page to read: a stable key (the page id), the upright RGB image, and options."""

    key: str
    image: Image.Image
    options: ReadOptions = field(default_factory=ReadOptions)


@dataclass(frozen=True, slots=True)
class PageFailure:
    """A page that could not be read, with a message a user understands."""

    key: str
    message: str
    #: A machine-readable reason: "oom", "cancelled", "error", ...
    reason: str = "error"
    #: Suggestions the UI may offer, e.g. {"mode": "base", "batch_size": 1} after an OOM.
    retry_hint: dict[str, object] = field(default_factory=dict)


#: ``on_text(key, delta)``: a chunk of newly generated text for page ``key``.
TextCallback = Callable[[str, str], None]
#: ``on_block(key, block)``: a block of page ``key`` is complete (boxes can be drawn now).
BlockCallback = Callable[[str, Block], None]
#: ``progress(fraction 0..1 or -1 if unknown, message)``.
ProgressCallback = Callable[[float, str], None]


#: ``done(key, outcome)``: page ``key`` is finished (a result, or a failure with its reason).
DoneCallback = Callable[[str, "PageResult | PageFailure"], None]


@dataclass(frozen=True, slots=True)
class PageFeed:
    """Pages handed to an engine as it has room for them, and where it reports each one.

    Rules for an engine that draws from a feed (:meth:`Engine.read_feed`):

    * ``take()`` returns the next page, or None when no more pages come now (the run was cancelled,
      or the job has no page left). It may block (while reading is paused). After None, stop taking,
      finish the pages in flight and return.
    * ``done(key, outcome)`` exactly once for every page taken: a :class:`PageResult` (completion
      CANCELLED when stopped with partial text) or a :class:`PageFailure`.
    * ``on_text``/``on_block`` stream as in :meth:`Engine.read`.
    * Call all four from the thread that called :meth:`Engine.read_feed` (an engine with its own
      threads or connections collects their answers there), so the caller needs no locks.
    * ``take()`` may answer waiting region requests on the engine (through :meth:`Engine.read`) when
      no page is in flight: between batches, never in the middle of one.
    * An exception from ``read_feed`` is an engine-wide failure: every page taken and not done gets
      it as its failure; the caller goes on with the pages not taken yet.
    """

    take: Callable[[], PageInput | None]
    done: DoneCallback
    on_text: TextCallback | None = None
    on_block: BlockCallback | None = None


class EngineError(Exception):
    """An engine problem with a message meant for the user (what happened and what to do)."""


class EngineUnavailable(EngineError):
    """The engine cannot run here (missing packages, no model, wrong versions...)."""


class EngineCancelled(EngineError):
    """The operation was cancelled by the user."""


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What the UI shows about an engine and what it can do."""

    name: str  # registry key, e.g. "embedded", "deepseek-ocr"
    title: str
    streams: bool = False  # emits on_text while reading
    grounded: bool = False  # returns labelled layout blocks
    modes: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    max_batch: int = 1
    device: str = "cpu"
    #: Rough seconds per page for the ETA before any page has been measured.
    seconds_per_page_estimate: float = 2.0


class Engine(abc.ABC):
    """An OCR engine. Load once, read many pages; owned by one thread."""

    @property
    @abc.abstractmethod
    def info(self) -> EngineInfo: ...

    @abc.abstractmethod
    def load(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> None:
        """Load the model. Raises :class:`EngineUnavailable` or :class:`EngineCancelled`."""

    @abc.abstractmethod
    def read(
        self,
        pages: Sequence[PageInput],
        *,
        on_text: TextCallback | None = None,
        on_block: BlockCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[PageResult | PageFailure]:
        """Read pages (at most ``info.max_batch`` at once); one result per input, in order.

        A cancelled page comes back as a :class:`PageResult` whose completion is CANCELLED
        (partial text kept) or as a :class:`PageFailure` with reason "cancelled".
        Exceptions are for engine-wide failures only; a bad page is a PageFailure.
        """

    def read_feed(self, feed: PageFeed, *, cancel: threading.Event | None = None) -> None:
        """Read pages drawn from ``feed`` until it returns None (see :class:`PageFeed`).

        The default reads batches: up to ``info.max_batch`` pages taken, read with :meth:`read`,
        each reported, then the next batch. Engines that can refill a slot as soon as a page
        finishes override this and keep up to their capacity of pages in flight.
        """
        from desktop_ocr.messages import QT_TRANSLATE_NOOP

        size = max(1, int(self.info.max_batch))
        while True:
            batch: list[PageInput] = []
            while len(batch) < size:
                page = feed.take()
                if page is None:
                    break
                batch.append(page)
            if not batch:
                return
            results = list(self.read(batch, on_text=feed.on_text, on_block=feed.on_block, cancel=cancel))
            if len(results) != len(batch):
                missing = QT_TRANSLATE_NOOP("Reading", "The engine returned no result for this page.")
                results = [PageFailure(p.key, missing, "error") for p in batch]
            for page, res in zip(batch, results):
                feed.done(page.key, res)
            if len(batch) < size:
                return

    def locate(
        self,
        image: Image.Image,
        phrase: str,
        *,
        mode: str = "gundam",
        cancel: threading.Event | None = None,
    ) -> list[Box]:
        """Where ``phrase`` appears on ``image``: boxes in 0..999 of the image, [] when not found.

        The default asks the model with its official locate prompt
        (``<image>\nLocate <|ref|>PHRASE<|/ref|> in the image. ``) through :meth:`read` and takes
        the boxes of its ``<|det|>`` answer. Engines that cannot take that prompt override this.
        Raises :class:`EngineCancelled` when cancelled and :class:`EngineError` (with the read's
        message) when the read failed.
        """
        from desktop_ocr.engine.grounding import located_boxes
        from desktop_ocr.messages import QT_TRANSLATE_NOOP

        phrase = " ".join(phrase.split())
        if not phrase:
            return []
        options = ReadOptions(
            prompt="locate", locate_target=phrase, mode=mode, max_new_tokens=LOCATE_MAX_NEW_TOKENS
        )
        results = self.read([PageInput("locate", image, options)], cancel=cancel)
        res = (
            results[0]
            if results
            else PageFailure("locate", QT_TRANSLATE_NOOP("Engine", "The engine returned no answer."))
        )
        if cancel is not None and cancel.is_set():
            raise EngineCancelled(QT_TRANSLATE_NOOP("Engine", "Locating was cancelled."))
        if isinstance(res, PageFailure):
            if res.reason == "cancelled":
                raise EngineCancelled(res.message)
            raise EngineError(res.message)
        return located_boxes(res.raw)

    def unload(self) -> None:  # noqa: B027 - optional hook
        """Free the model's memory."""

    @property
    def loaded(self) -> bool:
        return True
