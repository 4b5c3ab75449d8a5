"""Page and thumbnail rendering off the GUI thread, cached by (page, rotation, size).

:class:`RenderWorker` lives on the GUI thread and implements the ``ThumbnailSource`` protocol of
the page list (``request`` + ``thumbnail_ready``); the rendering itself happens in a
:class:`_RenderCore` moved into its own QThread, which owns the open PDFs (PyMuPDF is not
thread-safe) and builds ``QImage`` (never ``QPixmap``) objects. Newest requests are served first,
so the rows a user scrolls to appear before the ones scrolled past.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import threading
from collections import OrderedDict

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from desktop_ocr.i18n import translated
from desktop_ocr.messages import joined, message_of
from desktop_ocr.model.sources import PageRenderer, SourceError
from desktop_ocr.worker.jobs import Opener, PageSnapshot
from desktop_ocr.worker.lifetime import keep_alive_while_running
from desktop_ocr.worker.ocr_worker import lower_thread_priority

log = logging.getLogger(__name__)

#: ``size`` value that means "the full page at the project's DPI" (for the canvas).
FULL = 0
MAX_PENDING = 400


def pil_to_qimage(img) -> QImage:  # type: ignore[no-untyped-def]
    """A QImage of a PIL RGB image that owns its pixels (safe to send to another thread), in
    ``Format_RGB32``: the raster pixmaps' own format on every desktop platform, so that the GUI
    thread's ``QPixmap.fromImage`` shares it instead of converting it (the 4000×2864 typewriter scan:
    46-126 ms on the GUI thread as RGB888, 0.4 ms now; benchmarks/bench_canvas_image.py)."""
    img = img.convert("RGB") if img.mode != "RGB" else img
    data = img.tobytes()
    qimg = QImage(data, img.width, img.height, img.width * 3, QImage.Format.Format_RGB888)
    return qimg.convertToFormat(QImage.Format.Format_RGB32)  # a new image: no longer uses ``data``


class _RenderCore(QObject):
    """Lives in the render thread; pops requests newest first and renders them."""

    rendered = Signal(str, int, int, QImage)  # page id, rotation, size, image
    failed = Signal(str, int, int, str)  # page id, rotation, size, message

    _wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._pending: collections.OrderedDict[tuple[str, int, int], tuple[PageSnapshot, Opener]] = (
            collections.OrderedDict()
        )
        self._renderer: PageRenderer | None = None  # created and used in the render thread only
        self._opener: Opener | None = None
        self._forget: list[str] = []
        self._wake.connect(self._drain)

    def submit(self, key: tuple[str, int, int], spec: PageSnapshot, opener: Opener) -> None:
        with self._lock:
            if key in self._pending:
                self._pending.move_to_end(key)
            else:
                self._pending[key] = (spec, opener)
                while len(self._pending) > MAX_PENDING:
                    self._pending.popitem(last=False)
        self._wake.emit()

    def drop_pending(self) -> list[tuple[str, int, int]]:
        with self._lock:
            keys = list(self._pending)
            self._pending.clear()
        return keys

    def forget_source(self, source_id: str) -> None:
        with self._lock:
            self._forget.append(source_id)

    @Slot()
    def _drain(self) -> None:
        while True:
            with self._lock:
                forget, self._forget = self._forget, []
                item = None if not self._pending else self._pending.popitem(last=True)
            if self._renderer is not None:
                for source_id in forget:
                    self._renderer.forget(source_id)
            if item is None:
                return
            (page_id, rotation, size), (spec, opener) = item
            if self._renderer is None or opener is not self._opener:
                if self._renderer is None:
                    lower_thread_priority(5)
                if self._renderer is not None:
                    self._renderer.close()
                self._renderer = PageRenderer(opener, max_open=6)
                self._opener = opener
            try:
                if size:
                    img = self._renderer.thumbnail(spec.source_id, spec.kind, spec.index, size, spec.rotation)
                else:
                    img = self._renderer.render(
                        spec.source_id, spec.kind, spec.index, spec.dpi, spec.rotation
                    )
                self.rendered.emit(page_id, rotation, size, pil_to_qimage(img))
            except Exception as exc:
                log.info("Rendering %s failed: %s", page_id, exc)
                reason = exc.reason if isinstance(exc, SourceError) else message_of(exc)
                msg = translated(joined(spec.label, reason))  # in the user's language: signals carry str
                self.failed.emit(page_id, rotation, size, msg)

    @Slot()
    def close(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
        QThread.currentThread().quit()


class RenderWorker(QObject):
    """GUI-side facade: cache + requests. Its thumbnails reach the page list through a
    :class:`ThumbnailPort` (the Controller's ``thumbnails``), never the worker itself."""

    thumbnail_ready = Signal(str, QImage)  # page id, image (ThumbnailSource protocol)
    page_rendered = Signal(str, QImage)  # page id, full-size image for the canvas
    render_failed = Signal(str, str)  # page id, message

    _close = Signal()

    def __init__(self, parent: QObject | None = None, thumb_cache: int = 400, page_cache: int = 6) -> None:
        super().__init__(parent)
        self._specs: dict[str, PageSnapshot] = {}
        self._opener: Opener | None = None
        self._thumbs: OrderedDict[tuple[str, int, int], QImage] = OrderedDict()
        self._pages: OrderedDict[tuple[str, int, int], QImage] = OrderedDict()
        self._requested: set[tuple[str, int, int]] = set()
        self._failed: dict[tuple[str, int, int], str] = {}
        self._thumb_cache = thumb_cache
        self._page_cache = page_cache
        self._thread = QThread()
        self._thread.setObjectName("render-worker")
        self._core = _RenderCore()
        self._core.moveToThread(self._thread)
        self._core.rendered.connect(self._on_rendered)
        self._core.failed.connect(self._on_failed)
        self._close.connect(self._core.close)
        self._thread.start()

    # -- page registry (GUI thread) ------------------------------------------------------------
    def set_specs(self, specs: dict[str, PageSnapshot], opener: Opener) -> None:
        """The current pages and how to open their sources (keys include rotation, so a rotated
        page simply gets new images)."""
        if opener is not self._opener:
            self.cancel_pending()
            self._thumbs.clear()
            self._pages.clear()
            self._failed.clear()
            self._opener = opener
        gone_sources = {s.source_id for s in self._specs.values()} - {s.source_id for s in specs.values()}
        self._specs = dict(specs)
        for source_id in gone_sources:
            self._core.forget_source(source_id)
        for cache in (self._thumbs, self._pages):
            for key in [k for k in cache if k[0] not in specs]:
                del cache[key]

    def update_spec(self, spec: PageSnapshot) -> None:
        self._specs[spec.page_id] = spec

    def failure(self, page_id: str) -> str:
        """The last rendering error of a page ("" when none)."""
        return next((m for k, m in self._failed.items() if k[0] == page_id), "")

    def spec(self, page_id: str) -> PageSnapshot | None:
        return self._specs.get(page_id)

    # -- ThumbnailSource -----------------------------------------------------------------------
    def request(self, page_id: str, rotation: int | None = None, size: int = 120) -> QImage | None:
        """A cached thumbnail, or None after scheduling its rendering (``thumbnail_ready`` follows)."""
        spec = self._specs.get(page_id)
        if spec is None:
            return None
        rotation = spec.rotation if rotation is None else rotation % 360
        key = (page_id, rotation, max(16, int(size)))
        img = self._thumbs.get(key)
        if img is not None:
            self._thumbs.move_to_end(key)
            return img
        self._schedule(key, spec, rotation)
        return None

    def request_page(self, page_id: str, rotation: int | None = None) -> QImage | None:
        """The full page image for the canvas, or None after scheduling it (``page_rendered``)."""
        spec = self._specs.get(page_id)
        if spec is None:
            return None
        rotation = spec.rotation if rotation is None else rotation % 360
        key = (page_id, rotation, FULL)
        img = self._pages.get(key)
        if img is not None:
            self._pages.move_to_end(key)
            return img
        self._schedule(key, spec, rotation)
        return None

    def cached_page(self, page_id: str) -> QImage | None:
        spec = self._specs.get(page_id)
        if spec is None:
            return None
        return self._pages.get((page_id, spec.rotation, FULL))

    def _schedule(self, key: tuple[str, int, int], spec: PageSnapshot, rotation: int) -> None:
        if key in self._failed or self._opener is None:
            return  # do not retry a broken page on every paint
        self._requested.add(key)
        if spec.rotation != rotation:
            spec = dataclasses.replace(spec, rotation=rotation)
        self._core.submit(key, spec, self._opener)  # a repeated request moves it to the front

    def cancel_pending(self) -> None:
        for key in self._core.drop_pending():
            self._requested.discard(key)

    # -- results (GUI thread) ----------------------------------------------------------------
    @Slot(str, int, int, QImage)
    def _on_rendered(self, page_id: str, rotation: int, size: int, image: QImage) -> None:
        key = (page_id, rotation, size)
        self._requested.discard(key)
        if page_id not in self._specs:
            return
        if size == FULL:
            self._pages[key] = image
            while len(self._pages) > self._page_cache:
                self._pages.popitem(last=False)
            if (
                rotation == self._specs[page_id].rotation
            ):  # a late render of an old rotation is kept, not shown
                self.page_rendered.emit(page_id, image)
        else:
            self._thumbs[key] = image
            while len(self._thumbs) > self._thumb_cache:
                self._thumbs.popitem(last=False)
            self.thumbnail_ready.emit(page_id, image)

    @Slot(str, int, int, str)
    def _on_failed(self, page_id: str, rotation: int, size: int, message: str) -> None:
        self._requested.discard((page_id, rotation, size))
        self._failed[(page_id, rotation, size)] = message
        self.render_failed.emit(page_id, message)

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop the render thread. A page that is still being rendered in native code cannot be
        interrupted: then :meth:`is_running` stays True and the app ends without waiting for it."""
        if not self._thread.isRunning():
            return
        self.cancel_pending()
        self._close.emit()
        if not self._thread.wait(timeout_ms):
            log.warning("The render worker is still rendering a page; not waiting for it")
            keep_alive_while_running(self, self._thread)  # destroyed under the thread: a native crash

    def is_running(self) -> bool:
        return self._thread.isRunning()


class ThumbnailPort(QObject):
    """What the page list uses of the render worker (``ui.page_list.Thumbnails``): a thumbnail
    asked for, cached or scheduled, and ``thumbnail_ready`` when it arrives, nothing of the worker's
    specs, thread or shutdown. Lives on the GUI thread, as the worker's public signals do."""

    thumbnail_ready = Signal(str, QImage)  # page id, image

    def __init__(self, render: RenderWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._render = render
        render.thumbnail_ready.connect(self.thumbnail_ready)

    def request(self, page_id: str, rotation: int | None, size: int) -> QImage | None:
        """A cached thumbnail (None: the page's own rotation), or None after scheduling its
        rendering (``thumbnail_ready`` follows)."""
        return self._render.request(page_id, rotation, size)
