"""Read one region of a page and locate a phrase on a page with any engine: plain functions, no Qt.

:func:`read_region` cuts the region out of the page image (the pixel rule of figure crops), reads
it with the engine's ordinary :meth:`Engine.read` and maps every block's boxes back to the page
(:func:`to_page`). Small cuts are not enlarged: RapidOCR scales its input for detection and each line
to 48 px for recognition itself, and enlarging first made it read words twice (measured on rendered
7-11 pt text; re-rendering a PDF at twice the DPI gained nothing either). :func:`locate` calls :meth:`Engine.locate`.
Both return a result or a :class:`~desktop_ocr.engine.base.PageFailure`; they raise nothing but
programming errors. They never touch a Project: the caller decides what to do with the answer.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from desktop_ocr.engine.base import (
    Engine,
    EngineCancelled,
    EngineError,
    PageFailure,
    PageInput,
    ReadOptions,
)
from desktop_ocr.messages import QT_TRANSLATE_NOOP, Message, message_of
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, PageResult

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)
T = TypeVar("T")


def region_image(page: Image.Image, box: Box) -> Image.Image:
    """The part of ``page`` under ``box`` (0..999 of the page), at least 1 x 1 pixel."""
    return page.crop(box.crop_pixels(*page.size))


def to_page(result: PageResult, region: Box, width: int, height: int) -> PageResult:
    """``result`` of a region's cut with its boxes in 0..999 of the page (``width`` x ``height``).

    Blocks without a box get the region's box; a result without blocks becomes one "text" block
    with the region's box and the Markdown, so that every answer can be placed on the page.
    ``extra["region"]`` is the region's box; ``raw`` stays as the engine wrote it (cut-relative).
    """
    blocks = tuple(
        Block(
            b.label,
            tuple(Box.from_crop(x, region, width, height) for x in b.boxes) or (region,),
            b.text,
        )
        for b in result.blocks
    )
    if not blocks:
        blocks = (Block("text", (region,), result.markdown),)
    extra = {**result.extra, "region": region.as_list()}
    return dataclasses.replace(result, blocks=blocks, width=width, height=height, extra=extra)


def read_region(
    engine: Engine,
    page: Image.Image,
    box: Box,
    options: ReadOptions,
    *,
    key: str = "region",
    cancel: threading.Event | None = None,
) -> PageResult | PageFailure:
    """Read the region ``box`` of the upright page image ``page`` (see the module docstring).

    A cancelled read comes back as a PageFailure with reason "cancelled".
    """
    if box.x2 <= box.x1 or box.y2 <= box.y1:
        return PageFailure(
            key, QT_TRANSLATE_NOOP("Engine", "The region is empty: draw a rectangle around the text to read.")
        )
    cut = region_image(page, box)
    results = _guarded(
        key,
        lambda: engine.read([PageInput(key, cut, options)], cancel=cancel),
        QT_TRANSLATE_NOOP("Engine", "Out of memory while reading this region."),
        QT_TRANSLATE_NOOP("Engine", "The engine failed on this region: {error}"),
    )
    if isinstance(results, PageFailure):
        return results
    res = (
        results[0]
        if results
        else PageFailure(key, QT_TRANSLATE_NOOP("Engine", "The engine returned no result for this region."))
    )
    if cancel is not None and cancel.is_set():
        return PageFailure(key, QT_TRANSLATE_NOOP("Engine", "Cancelled."), "cancelled")
    if isinstance(res, PageFailure):
        return res
    return to_page(res, box, page.width, page.height)


def locate(
    engine: Engine,
    page: Image.Image,
    phrase: str,
    *,
    key: str = "locate",
    mode: str = "gundam",
    cancel: threading.Event | None = None,
) -> list[Box] | PageFailure:
    """The boxes (0..999 of ``page``) where ``phrase`` is, [] when nowhere, or a PageFailure."""
    return _guarded(
        key,
        lambda: engine.locate(page, phrase, mode=mode, cancel=cancel),
        QT_TRANSLATE_NOOP("Engine", "Out of memory while looking for the text."),
        QT_TRANSLATE_NOOP("Engine", "The engine failed to look for the text: {error}"),
    )


def _guarded(key: str, call: Callable[[], T], oom: Message, failed: Message) -> T | PageFailure:
    """``call()``, with cancelling, running out of memory and engine errors as PageFailures."""
    try:
        return call()
    except EngineCancelled:
        return PageFailure(key, QT_TRANSLATE_NOOP("Engine", "Cancelled."), "cancelled")
    except MemoryError:
        return PageFailure(key, oom, "oom")
    except EngineError as exc:
        return PageFailure(key, message_of(exc))
    except Exception as exc:
        log.exception("The engine failed on a region or locate request for %s", key)
        return PageFailure(key, failed.format(error=str(exc)))
