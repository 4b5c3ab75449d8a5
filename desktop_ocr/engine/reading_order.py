"""Reading order for engines that return text lines only: columns, paragraphs, titles (pure functions).

The input is a list of axis-aligned line boxes in page pixels. :func:`layout` finds column gutters
recursively (an XY-cut on the x-projection of the lines that tolerates lines crossing the gutter,
such as titles spanning both columns), cuts the page into horizontal sections at those crossing
lines, reads each column top to bottom, and groups consecutive lines into paragraphs by their
spacing, indentation, short last lines and height. :func:`join_lines` joins a paragraph's lines into
one string, undoing line-end hyphenation.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import statistics
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

#: Labels produced here (the same names DeepSeek-OCR uses).
TEXT, TITLE, SUB_TITLE = "text", "title", "sub_title"


@dataclass(frozen=True, slots=True)
class LineBox:
    """One detected text line: a pixel rectangle (x1 <= x2, y1 <= y2)."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    @property
    def cy(self) -> float:
        return (self.y1 + self.y2) / 2

    @classmethod
    def from_points(cls, points: Sequence[Sequence[float]]) -> LineBox:
        """The bounding rectangle of a polygon (e.g. a detector's four corner points)."""
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        return cls(min(xs), min(ys), max(xs), max(ys))


def boxes_from_quads(quads: Sequence[Sequence[Sequence[float]]]) -> list[LineBox]:
    """Line boxes for a detector's quadrilaterals, straightened: on a skewed scan the bounding
    rectangles of neighbouring lines overlap, so the points are first turned back by the page's
    typical line angle (the median over long lines). Only the geometry used for ordering changes."""
    angles = []
    for q in quads:
        (x0, y0), (x1, y1) = q[0][:2], q[1][:2]
        dx, dy = float(x1) - float(x0), float(y1) - float(y0)
        height = math.dist(q[0][:2], q[3][:2]) if len(q) > 3 else 0.0
        if dx > 3 * max(height, 1.0):
            angles.append(math.atan2(dy, dx))
    angle = statistics.median(angles) if angles else 0.0
    if abs(angle) < math.radians(0.2) or abs(angle) > math.radians(15):
        return [LineBox.from_points(q) for q in quads]
    cos, sin = math.cos(-angle), math.sin(-angle)
    return [
        LineBox.from_points([(x * cos - y * sin, x * sin + y * cos) for x, y in (p[:2] for p in q)])
        for q in quads
    ]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Lines read as one block: indices into the input, in reading order, grouped by rows."""

    rows: tuple[tuple[int, ...], ...]  # each row: cells left to right (usually one line)
    label: str
    bbox: tuple[float, float, float, float]

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(i for row in self.rows for i in row)


# --- tuning, in units of the median line height -------------------------------------------------
MIN_GUTTER = 0.8  # narrowest gap between two columns on its own evidence
#: A narrower gap (down to this) is a gutter when the lines beside it show a column edge: magazine
#: columns are set 2-3 mm apart, and the detector's boxes reach into that gap from both sides.
MIN_NARROW_GUTTER = 0.2
NARROW_GUTTER_ROWS = 4  # rows with a line on each side, touching the narrow gap, needed for it
#: The line detector grows each box by a margin around the ink (DBNet's unclip): this share of the
#: box height is taken off both ends of a line before gaps between lines are measured.
INK_MARGIN = 0.2
MIN_COLUMN_LINE = 6.0  # median line width on each side of a gutter (labels of a form are narrower)
#: A side of mostly short lines is a column (a sidebar) only beside a column of lines this many
#: times MIN_COLUMN_LINE wide, and when a quarter of its own lines are that wide (a form's labels
#: and values are short on both sides).
SIDEBAR_COLUMN = 2.0
#: A body-size line alone at a gutter is over two columns when this much wider than its side's median.
LONE_BODY_WIDE = 1.5
MAX_SPANNING_SHARE = 0.5  # at most this share of lines may cross a gutter (titles, wide paragraphs)
CELL_GAP = 1.2  # lines of one row further apart than this are table-like cells, not one line
# A vertical gap between rows starts a new paragraph when it exceeds the column's usual gap by
# PARAGRAPH_GAP (double-spaced text has wide usual gaps), and always beyond PARAGRAPH_GAP_MAX.
PARAGRAPH_GAP, PARAGRAPH_GAP_MAX = 0.4, 0.55
#: A line at least this share of its column wide that stops short in mid-sentence goes on in the
#: next line (a first line set loose); a shorter one is a list's item.
LOOSE_LINE = 0.6
INDENT = 0.6  # first-line indent that starts a new paragraph (in line-box heights: about an em)
MEASURE_OUTLIERS = 10  # at most one row end in this many is passed over for a column's measure
SHORT_LINE = 0.35  # without text: a line ending this share of the column width early ends its paragraph
FIT_MARGIN = 1.15  # with text: ends its paragraph when the next line's first word would have fitted
HEIGHT_JUMP = 1.3  # line-height ratio between rows that starts a new paragraph
SHORT_TAIL_JUMP = 1.6  # ... except a paragraph's short last line this much lower (see _short_tail)
TITLE_RATIO, SUB_TITLE_RATIO = 1.6, 1.25  # paragraph height against the page's body text
#: A taller row whose box reaches this far (line heights) down into the next row's is a paragraph's
#: first line with a raised initial in its box (a book's large opening capital), not a heading:
#: headings stand clear of the text under them.
RAISED_INITIAL_REACH = 0.3
MAX_TITLE_ROWS = 3
#: Page furniture: lines within this share of the page height from its top or bottom edge, at
#: most this many, and this many line heights clear of the body.
FURNITURE_BAND, MAX_FURNITURE_LINES, FURNITURE_GAP = 0.08, 4, 1.0
FURNITURE_HEIGHT = 1.3  # at most this many body line heights tall
#: ... or, for a narrow line (a page number in parentheses, "( 484 )"), at most this tall and wide.
PAGE_NUMBER_HEIGHT, PAGE_NUMBER_WIDTH = 1.6, 6.0
#: A top group set larger than the body that a layout model calls the page header is one when a
#: line under it is this much taller (the headline) and it is at most this wide (see _furniture).
HEADER_UNDER_TITLE, HEADER_MAX_WIDTH = 1.4, 20.0
#: ... in at most this many lines, each inside one of the model's header boxes or in a row with one.
HEADER_MAX_LINES = 4
#: A page's first and last lines this close in height and width (a share of the larger), their
#: middles this close (body line heights), and at most this share of the text's width wide, are
#: one marking at both edges: its running header and footer (see _twins).
TWIN_SIZE, TWIN_MIDDLE, TWIN_WIDTH = 0.05, 0.5, 0.5
#: White above a bottom group that a layout model calls the page footer (see _furniture).
#: A title-size paragraph whose top lies in this bottom share of the page's text, over at most
#: MAX_FURNITURE_LINES lines of body size or smaller in its column, is a mark (see _foot_mark).
FOOT_MARK_BAND = 1 / 3
#: A title-size paragraph right over a title-size row this much taller, at most KICKER_GAP body line
#: heights under it, is the headline's kicker, a level under it (see _kicker).
KICKER_STEP, KICKER_GAP = 1.1, 2.0
FOOTER_GAP_WITH_MODEL = 0.5
#: Rows of at least this many characters have their type size judged by character width too;
#: a row may stand this much taller than its characters' width says before it counts as larger type.
GLYPH_MIN_CHARS, GLYPH_SLACK = 12, 1.0
#: An initial (drop cap): at least this many body lines tall, and at most this wide for its height.
DROP_CAP_HEIGHT, DROP_CAP_WIDTH = 1.8, 1.6


def reading_order(boxes: Sequence[LineBox]) -> list[int]:
    """Indices of ``boxes`` in reading order."""
    return [i for p in layout(boxes) for i in p.lines]


def layout(boxes: Sequence[LineBox], texts: Mapping[int, str] | None = None) -> list[Paragraph]:
    """Paragraphs of a page in reading order, labelled text, title or sub_title.

    ``texts`` (line index -> recognised text), when known, sharpens paragraph ends: a line is the
    last of its paragraph when the next line's first word would have fitted after it.
    """
    body_h = body_height(boxes)
    paragraphs: list[Paragraph] = []
    for rows in columns(boxes):
        paragraphs.extend(group_paragraphs(rows, boxes, body_h, texts))
    return paragraphs


def body_height(boxes: Sequence[LineBox]) -> float:
    """The typical line height of a page (the median), the unit of every threshold here."""
    heights = [b.height for b in boxes if b.width > 0 and b.height > 0]
    return statistics.median(heights) if heights else 0.0


def columns(boxes: Sequence[LineBox]) -> list[list[list[int]]]:
    """The page cut into pieces read one after another (columns, full-width sections), each a list
    of rows top to bottom, each row the indices of its lines left to right."""
    idx = [i for i, b in enumerate(boxes) if b.width > 0 and b.height > 0]
    if not idx:
        return []
    h = body_height(boxes)
    caps = _drop_caps(idx, boxes, h)
    pieces = _segments([i for i in idx if i not in caps], boxes, _ink_boxes(boxes), h, 0)
    for cap, first in caps.items():  # the initial opens its first line's row
        for rows in pieces:
            for row in rows:
                if first in row:
                    row.insert(0, cap)
    return pieces


def page_pieces(
    boxes: Sequence[LineBox],
    page_height: float,
    footers: Sequence[tuple[float, float, float, float]] = (),
    headers: Sequence[tuple[float, float, float, float]] = (),
) -> list[tuple[str, list[list[int]]]]:
    """The page in reading order as (kind, rows) pieces: the running header first ("header"), the
    body's columns ("body"), the footer last ("footer"). Header and footer are lines in the top or
    bottom band of the page standing apart from the body, so that a page number under the first
    column is not read between two columns. ``footers``: boxes (x1, y1, x2, y2) a layout model
    calls page footer; a bottom line inside one needs less white above it; ``headers``: boxes it
    calls page header, where a top line set larger than the body may be one (see :func:`_furniture`)."""
    idx = [i for i, b in enumerate(boxes) if b.width > 0 and b.height > 0]
    h = body_height(boxes)
    head, foot = _furniture(idx, boxes, h, page_height, footers, headers)
    body = [i for i in idx if i not in head and i not in foot]
    pieces: list[tuple[str, list[list[int]]]] = []
    if head:
        pieces.append(("header", _rows(sorted(head), boxes, h)))
    sub = [boxes[i] if i in body else LineBox(0, 0, 0, 0) for i in range(len(boxes))]
    pieces.extend(("body", rows) for rows in columns(sub))
    if foot:
        pieces.append(("footer", _rows(sorted(foot), boxes, h)))
    return pieces


def paragraph_text(
    para: Paragraph, kind: str, boxes: Sequence[LineBox], texts: Mapping[int, str]
) -> tuple[str, str]:
    """A paragraph's label and Markdown from its lines' texts; ``kind`` is its piece's (see
    :func:`page_pieces`): a running header or footer is labelled so, kept out of the body text."""
    text = join_lines([t for t in (row_text(r, boxes, texts) for r in para.rows) if t])
    label = furniture_label(kind, text) if kind != "body" else para.label
    return label, paragraph_markdown(label, text) if text else ""


def furniture_label(kind: str, text: str) -> str:
    """The block label of a header or footer paragraph: page numbers are told apart."""
    if _PAGE_NUMBER.fullmatch(text.strip()):
        return "page_number"
    return kind


_PAGE_NUMBER = re.compile(
    r"(?i)[-–—(\[]?\s*(?:page|p\.|seite|pag\.)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?"
)


def _furniture(
    idx: list[int],
    boxes: Sequence[LineBox],
    h: float,
    page_height: float,
    footers: Sequence[tuple[float, float, float, float]] = (),
    headers: Sequence[tuple[float, float, float, float]] = (),
) -> tuple[set[int], set[int]]:
    """Lines of the running header and footer: the few outermost lines of the text (at most
    MAX_FURNITURE_LINES, within FURNITURE_BAND of the text's height from its top or bottom, which
    on a book scan with wide margins is not the page's edge), set apart from the next line inward
    by at least FURNITURE_GAP line heights of white, and not set in larger type than the body
    (titles are not furniture) unless narrow (a page number's parentheses stand taller than its
    line). A bottom group inside a layout model's page-footer box (``footers``) needs only
    FOOTER_GAP_WITH_MODEL of white: a footer's date and page count sit close under the text. A
    top group set larger than the body is a running header all the same (a section name over a
    newspaper page, "STYLE & FASHION") when it lies inside a layout model's page-header box
    (``headers``) and is short, and a line below it stands at least HEADER_UNDER_TITLE times
    taller: the page's headline is under it (a page whose top line is its largest type, a
    typewritten recipe's title the model also calls a header, keeps it as its title); it needs only
    FOOTER_GAP_WITH_MODEL of white under it (the headline is set close under the section name).
    The page's first and last lines are its running header and footer, however close the text
    and however large, when they have one box (:func:`_twins`): a marking printed over and under
    the page ("RESTRICTED" over a report's "I. INTRODUCTION")."""
    if h <= 0 or page_height <= 0 or len(idx) < 6:
        return set(), set()
    top_edge = min(boxes[i].y1 for i in idx)
    bottom_edge = max(boxes[i].y2 for i in idx)
    band = FURNITURE_BAND * max(bottom_edge - top_edge, 0.0)

    def small(i: int) -> bool:
        b = boxes[i]
        if b.height <= FURNITURE_HEIGHT * h:
            return True
        return b.width <= PAGE_NUMBER_WIDTH * h and b.height <= PAGE_NUMBER_HEIGHT * h

    def in_box(i: int, found: Sequence[tuple[float, float, float, float]]) -> bool:
        b = boxes[i]
        return any(x1 <= (b.x1 + b.x2) / 2 <= x2 and y1 <= b.cy <= y2 for x1, y1, x2, y2 in found)

    def in_footer_box(i: int) -> bool:
        return in_box(i, footers)

    def section_name(group: list[int]) -> bool:
        """A short top group in the model's header boxes, over the page's taller headline: each of
        its lines in one, or beside one in its row (a masthead's "RESEARCH" between the model's
        "Morgan Stanley" and "UPDATE" boxes, which the model scores under its threshold)."""
        if not headers or len(group) > HEADER_MAX_LINES:
            return False
        boxed = [i for i in group if in_box(i, headers)]
        if not boxed or any(
            i not in boxed and not any(_same_row(boxes[i], boxes[j]) for j in boxed) for i in group
        ):
            return False
        if any(boxes[i].width > HEADER_MAX_WIDTH * h for i in group):
            return False
        tallest = max(boxes[i].height for i in group)
        return any(boxes[j].height >= HEADER_UNDER_TITLE * tallest for j in idx if j not in group)

    def outer_group(order: list[int], top: bool, min_gap: float) -> list[int]:
        """The lines from the edge inward up to the first gap of ``min_gap`` (none: no such gap)."""
        for n in range(1, min(len(order), MAX_FURNITURE_LINES + 1)):
            group = order[:n]
            if top:
                gap = boxes[order[n]].y1 - max(boxes[i].y2 for i in group)
            else:
                gap = min(boxes[i].y1 for i in group) - boxes[order[n]].y2
            if gap >= min_gap:
                return group
        return []

    def edge(top: bool, taken: set[int]) -> set[int]:
        order = sorted(
            (i for i in idx if i not in taken),
            key=(lambda i: boxes[i].y1) if top else (lambda i: -boxes[i].y2),
        )
        for min_gap, model in ((FURNITURE_GAP * h, False), (FOOTER_GAP_WITH_MODEL * h, True)):
            if model and not (headers if top else footers):
                break
            group = outer_group(order, top, min_gap)
            if not group:
                continue
            if top and any(boxes[i].y2 > top_edge + band for i in group):
                continue
            if not top and any(boxes[i].y1 < bottom_edge - band for i in group):
                continue
            if top and model:  # closer to the text: only a section name the model calls a header
                if section_name(group):
                    return set(group)
                continue
            if not (all(small(i) for i in group) or (top and section_name(group))):
                continue
            if model and not all(in_footer_box(i) for i in group):
                continue
            return set(group)
        return set()

    first = min(idx, key=lambda i: boxes[i].y1)
    last = max(idx, key=lambda i: boxes[i].y2)
    text_width = max(boxes[i].x2 for i in idx) - min(boxes[i].x1 for i in idx)
    if (
        first != last
        and boxes[first].y2 <= top_edge + band
        and boxes[last].y1 >= bottom_edge - band
        and _twins(boxes[first], boxes[last], h, text_width)
    ):
        # A marking printed at both edges ("RESTRICTED" over and under a report's page) is the
        # running header and footer, however close the text comes and whatever its size.
        head = {first} | edge(True, {first, last})
        return head, {last} | edge(False, head | {last})
    head = edge(True, set())
    foot = edge(False, head)
    return head, foot


def _same_row(a: LineBox, b: LineBox) -> bool:
    """Whether two lines stand side by side: the middle of each within the other's height."""
    return a.y1 <= b.cy <= a.y2 and b.y1 <= a.cy <= b.y2


def _twins(a: LineBox, b: LineBox, h: float, text_width: float) -> bool:
    """Whether two lines have one box but for their place on the page: the same height and width
    (within TWIN_SIZE), the same middle (within TWIN_MIDDLE body line heights ``h``), and short
    (at most TWIN_WIDTH of the text's width): a typed page's title over a last line that happens
    to be as long is no marking."""

    def close(u: float, v: float) -> bool:
        return abs(u - v) <= TWIN_SIZE * max(u, v)

    return (
        close(a.height, b.height)
        and close(a.width, b.width)
        and abs((a.x1 + a.x2) - (b.x1 + b.x2)) / 2 <= TWIN_MIDDLE * h
        and max(a.width, b.width) <= TWIN_WIDTH * text_width
    )


def row_text(row: Sequence[int], boxes: Sequence[LineBox], texts: Mapping[int, str]) -> str:
    """The text of one row (its cells left to right); a drop cap joins its line's first word
    (see :func:`drop_cap_glue`)."""
    out = ""
    for k, i in enumerate(row):
        text = texts.get(i, "").strip()
        if not text:
            continue
        if not out:
            out = text
        elif k == 1 and is_drop_cap(boxes[row[0]], boxes[i]):
            out += drop_cap_glue(out, text) + text
        else:
            out += " " + text
    return out


#: Capitals that are English words on their own: a drop cap of one of these may be the whole
#: first word ("I" + "LIKE walking").
ONE_LETTER_WORDS = frozenset("IAO")


def drop_cap_glue(cap: str, text: str) -> str:
    """What goes between a drop cap and its line's text: nothing, as the cap is the first word's
    first letter (``T`` + ``HE``), or a space where the cap is a word of its own: a one-letter
    word (:data:`ONE_LETTER_WORDS`) before a first word that is a word while the two joined are
    none (``I`` + ``LIKE``, by the English dictionary, :mod:`desktop_ocr.engine.words`; without
    it, nothing). A "cap" of more than one character is no initial but lettering that stands as
    tall beside the lines (a graphic's "US" over "ELECTION 2016" beside a report's first
    paragraph): a word of its own, so a space."""
    if len(cap) > 1:
        return " "
    if cap not in ONE_LETTER_WORDS:
        return ""
    first = _FIRST_WORD.match(text)
    if first is None:
        return ""
    from desktop_ocr.engine import words

    word = first.group(0)
    return " " if words.known(cap + word) is False and words.known(word) else ""


def is_drop_cap(cap: LineBox, line: LineBox) -> bool:
    """Whether ``cap`` is an initial standing at the start of ``line`` over several lines' height."""
    return (
        cap.height >= DROP_CAP_HEIGHT * line.height
        and cap.width <= DROP_CAP_WIDTH * cap.height
        and cap.x2 - 0.5 * line.height <= line.x1 <= cap.x2 + 2.0 * line.height
        and cap.y1 - line.height <= line.y1 <= cap.y1 + line.height
    )


def _drop_caps(idx: list[int], boxes: Sequence[LineBox], h: float) -> dict[int, int]:
    """Initials (drop caps) by their index, each with the first line it begins: a tall, narrow
    box with at least two lines starting just right of it, the top one level with its top."""
    caps: dict[int, int] = {}
    if h <= 0:
        return caps
    for i in idx:
        c = boxes[i]
        if c.height < DROP_CAP_HEIGHT * h or c.width > DROP_CAP_WIDTH * c.height:
            continue
        beside = [
            j
            for j in idx
            if j != i
            and c.x2 - 0.5 * h <= boxes[j].x1 <= c.x2 + 2.0 * h
            and boxes[j].y1 >= c.y1 - h
            and boxes[j].cy <= c.y2
            and boxes[j].height < 0.7 * c.height
        ]
        if len(beside) < 2:
            continue
        first = min(beside, key=lambda j: boxes[j].y1)
        if is_drop_cap(c, boxes[first]):
            caps[i] = first
    return caps


def _ink_boxes(boxes: Sequence[LineBox]) -> list[LineBox]:
    """The boxes without the detector's margin at both ends (at most a third of a line's width):
    what gaps between columns are measured on."""
    out = []
    for b in boxes:
        cut = min(INK_MARGIN * b.height, b.width / 3)
        out.append(LineBox(b.x1 + cut, b.y1, b.x2 - cut, b.y2))
    return out


def join_lines(texts: Sequence[str]) -> str:
    """Join a paragraph's lines with spaces; a line-end hyphen that splits a word is removed
    (``digi-`` + ``tise`` -> ``digitise``, see :func:`_soft_break`), other hyphens and dashes join
    without a space (``Jean-`` + ``Pierre``, ``1923-`` + ``2024``, ``scratched-`` +
    ``but-handsome``, ``shoots—`` + ``he``)."""
    out = ""
    whole = " ".join(t.strip() for t in texts)
    for raw in texts:
        text = raw.strip()
        if not text:
            continue
        if not out:
            out = text
        elif _soft_break(out, text, whole):
            out = out[:-1] + text
        elif out.endswith(("-", "‐", "–", "—", "/")) and len(out) >= 2 and not out[-2].isspace():
            out += text
        else:
            out += " " + text
    return out


_LAST_WORD = re.compile(r"([^\W\d_]+)-$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def _soft_break(out: str, text: str, whole: str = "") -> bool:
    """Whether the line ``out`` ends in a hyphen that splits a word over the line break: a soft
    hyphen; or a hyphen after a letter before a lower-case word, unless the hyphen is the
    compound's own, which stays (``scratched-`` / ``but-handsome``: the next word has a hyphen
    of its own; ``well-`` / ``known``, ``shoots-`` / ``he``, a dash read as a hyphen: both halves
    are words and, joined, they are none, by the English dictionary when it is installed, see
    :mod:`desktop_ocr.engine.words`). A name split at the line end (``Bin-`` / ``stock``) and
    words the dictionary does not know are mended, unless the paragraph (``whole``, its lines
    joined with spaces) prints the two halves with the hyphen elsewhere, within a line: a compound
    the dictionary does not know (``pharma-`` / ``bio pricing`` ... ``for pharma-bio.``)."""
    if out.endswith("\u00ad"):
        return True
    if not (out.endswith("-") and len(out) >= 2 and out[-2].isalpha() and text[0].islower()):
        return False
    first = text.split(maxsplit=1)[0]
    if "-" in first.rstrip("-"):
        return False  # the next word is a compound already: this hyphen is one of its joints
    head, tail = _LAST_WORD.search(out), _FIRST_WORD.match(first)
    if head is None or tail is None:
        return True
    left, right = head.group(1), tail.group(0)
    if re.search(rf"(?<![^\W\d_]){re.escape(left)}-{re.escape(right)}(?![^\W\d_])", whole, re.IGNORECASE):
        return False  # the paragraph prints this compound with its hyphen within a line
    if not left.islower():
        return True  # a name (or a word in capitals) split at the line end
    from desktop_ocr.engine import words

    if words.known(left + right) is not False:
        return True  # a word (or no dictionary to tell)
    return not (words.known(left) and words.known(right))


def paragraph_markdown(label: str, text: str) -> str:
    """The Markdown of one paragraph: titles become headings."""
    if label == TITLE:
        return "# " + text
    if label == SUB_TITLE:
        return "## " + text
    return text


# --- columns ------------------------------------------------------------------------------------
def _segments(
    idx: list[int], boxes: Sequence[LineBox], ink: Sequence[LineBox], h: float, depth: int
) -> list[list[list[int]]]:
    """Column-wise pieces of the page in reading order; each piece is a list of rows. Gutters are
    found on ``ink`` (the boxes less the detector's margin), rows on ``boxes``."""
    gutter = _find_gutter(idx, ink, h) if len(idx) >= 4 and depth < 12 else None
    if gutter is None:
        return [_rows(idx, boxes, h)]
    lo, hi, lone = gutter
    spanners = sorted(
        (i for i in idx if i in lone or (ink[i].x1 < hi and ink[i].x2 > lo)), key=lambda i: boxes[i].cy
    )
    span_set = set(spanners)
    span_cys = [boxes[i].cy for i in spanners]
    # Each line that does not cross the gutter belongs to the section between two spanning lines.
    sections: list[list[int]] = [[] for _ in range(len(spanners) + 1)]
    for i in idx:
        if i not in span_set:
            sections[bisect.bisect_left(span_cys, boxes[i].cy)].append(i)
    out: list[list[list[int]]] = []
    run: list[int] = []  # consecutive spanning lines form one full-width piece
    for k, section in enumerate(sections):
        if section and run:
            tail = _continuation(section, run[-1], boxes, ink, h, lo)
            run.extend(tail)
            section = [i for i in section if i not in tail]
        if section:
            if run:
                out.append(_rows(run, boxes, h))
                run = []
            left = [i for i in section if ink[i].x2 <= lo]
            right = [i for i in section if ink[i].x1 >= hi]
            lifted = _lifted_titles(left, right, boxes, h)
            if lifted:
                out.append(_rows(lifted, boxes, h))
                right = [i for i in right if i not in lifted]
            for side in (left, right):
                if side:
                    out.extend(_segments(side, boxes, ink, h, depth + 1))
        if k < len(spanners):
            run.append(spanners[k])
    if run:
        out.append(_rows(run, boxes, h))
    return out


def _lifted_titles(left: list[int], right: list[int], boxes: Sequence[LineBox], h: float) -> list[int]:
    """Titles opening the right side of a gutter that are read before the left side: large-type
    rows at the top of the right side, each either wholly above the left side's first line (a
    section name over the page) or, starting no lower than that line, wider than one and a half
    of the left side's columns (a magazine headline and its deck over the columns right of a first
    column that runs the page's height). A heading at the top of a single column is no wider than
    the column and stays where it is."""
    if not left or not right or h <= 0:
        return []
    top = min(boxes[i].y1 for i in left)
    column = statistics.median(boxes[i].width for i in left)
    lifted: list[int] = []
    for row in _rows(right, boxes, h):
        x1, y1, x2, y2 = _bbox(row, boxes)
        size = _row_height(row, boxes)
        above = y2 <= top and size >= TITLE_RATIO * h
        wide = x2 - x1 > 1.5 * column and (bool(lifted) or y1 <= top + h)
        if size < SUB_TITLE_RATIO * h or not (above or wide):
            break
        lifted.extend(row)
    return lifted


def _continuation(
    section: list[int], spanner: int, boxes: Sequence[LineBox], ink: Sequence[LineBox], h: float, lo: float
) -> list[int]:
    """The last line of a paragraph read across the gutter (``spanner``, its line before), when it
    opens the ``section`` below: short, it stops left of the gutter and would otherwise be read as
    a column of its own (a list item's "synthesizers!" under its full-width lines). The lines of
    the section's first row, or none: that row must sit just under the spanning line, start at its
    left edge (or the item's hanging indent), be of its height, stand alone on its side of the
    gutter, and be set apart from the section's next row by a paragraph's gap (a column's first
    line is followed closely by the column)."""
    rows = _rows(section, boxes, h)
    first = rows[0]
    s, r = boxes[spanner], _bbox(first, boxes)
    row_h, span_h = _row_height(first, boxes), s.height
    if not (
        r[1] - s.y2 <= PARAGRAPH_GAP_MAX * h
        and s.x1 - INDENT * h <= r[0] <= s.x1 + 2 * INDENT * h
        and r[2] < s.x2
        and max(row_h, span_h) <= HEIGHT_JUMP * min(row_h, span_h)
        and all(ink[i].x2 <= lo for i in first)
    ):
        return []
    if len(rows) > 1 and _bbox(rows[1], boxes)[1] - r[3] <= PARAGRAPH_GAP_MAX * h:
        return []
    return list(first)


def _find_gutter(
    idx: list[int], boxes: Sequence[LineBox], h: float
) -> tuple[float, float, frozenset[int]] | None:
    """The widest acceptable vertical gap between columns, as (left, right) x and the lines read
    across it (titles beside no other line), or None."""
    x0 = min(boxes[i].x1 for i in idx)
    x1 = max(boxes[i].x2 for i in idx)
    min_gap = MIN_NARROW_GUTTER * h
    if x1 - x0 < 2 * MIN_COLUMN_LINE * h:
        return None
    step = max(1.0, h / 16)
    nbins = int((x1 - x0) / step) + 1
    cover = [0] * (nbins + 1)
    for i in idx:  # difference array: +1 at the first bin of a line, -1 after its last
        line = boxes[i]
        cover[int((line.x1 - x0) / step)] += 1
        cover[min(nbins, int((line.x2 - x0) / step) + 1)] -= 1
    counts: list[int] = []
    running = 0
    for c in cover[:nbins]:
        running += c
        counts.append(running)
    max_span = int(MAX_SPANNING_SHARE * len(idx))
    tried: set[tuple[int, int]] = set()
    for k in sorted(set(counts)):
        if k > max_span:
            break
        runs = _runs_at_most(counts, k)
        runs = [r for r in runs if r[0] > 0 and r[1] < nbins and (r[1] - r[0]) * step >= min_gap]
        for a, b in sorted(runs, key=lambda r: r[0] - r[1]):
            if (a, b) in tried:
                continue
            tried.add((a, b))
            found = _refine(idx, boxes, h, x0 + a * step, x0 + b * step, min_gap, max_span)
            if found is not None:
                return found
    return None


def _refine(
    idx: list[int], boxes: Sequence[LineBox], h: float, lo: float, hi: float, min_gap: float, max_span: int
) -> tuple[float, float, frozenset[int]] | None:
    """Check a candidate gap. Spanners are the lines crossing it whole, and lines reaching into it
    with no other line beside them (a title over two of three columns); the rest must leave a clean
    gap with real columns of text on both sides that sit beside each other."""
    spanners = {i for i in idx if boxes[i].x1 <= lo and boxes[i].x2 >= hi}
    for i in idx:
        if i not in spanners and boxes[i].x1 < hi and boxes[i].x2 > lo and not _has_neighbour(i, idx, boxes):
            spanners.add(i)
    spanners |= _lone_wide_lines(idx, boxes, h, lo, hi, spanners)
    if len(spanners) > max_span:
        return None
    others = [i for i in idx if i not in spanners]
    # The clean gap: inside (lo, hi), the widest stretch no other line reaches into.
    edges = sorted(
        [(lo, hi)] + [(boxes[i].x1, boxes[i].x2) for i in others if boxes[i].x1 < hi and boxes[i].x2 > lo]
    )
    best: tuple[float, float] | None = None
    pos = lo
    for a, b in edges[1:]:
        if a - pos >= min_gap and (best is None or a - pos > best[1] - best[0]):
            best = (pos, a)
        pos = max(pos, b)
    if hi - pos >= min_gap and (best is None or hi - pos > best[1] - best[0]):
        best = (pos, hi)
    if best is None:
        return None
    glo, ghi = best
    left = [boxes[i] for i in others if boxes[i].x2 <= glo]
    right = [boxes[i] for i in others if boxes[i].x1 >= ghi]
    if len(left) + len(right) < len(others) or len(left) < 2 or len(right) < 2:
        return None
    widths = [sorted(b.width for b in side) for side in (left, right)]
    narrow = [statistics.median(w) < MIN_COLUMN_LINE * h for w in widths]
    if all(narrow):
        return None
    if any(narrow):  # a sidebar of short lines (names, figures) beside a column of running text
        short, column = (widths[0], widths[1]) if narrow[0] else (widths[1], widths[0])
        if not (
            ghi - glo >= MIN_GUTTER * h
            and statistics.median(column) >= SIDEBAR_COLUMN * MIN_COLUMN_LINE * h
            and short[(3 * len(short)) // 4] >= MIN_COLUMN_LINE * h
        ):
            return None
    overlap = min(max(b.y2 for b in left), max(b.y2 for b in right)) - max(
        min(b.y1 for b in left), min(b.y1 for b in right)
    )
    if overlap < h:
        return None
    if ghi - glo < MIN_GUTTER * h and _edge_rows(others, boxes, glo, ghi, h) < NARROW_GUTTER_ROWS:
        return None
    return glo, ghi, frozenset(spanners)


def _lone_wide_lines(
    idx: list[int], boxes: Sequence[LineBox], h: float, lo: float, hi: float, taken: set[int]
) -> set[int]:
    """Lines that end (or start) close to the gap with no other line beside them and are wider than
    the lines of their side: a title over several columns whose ends stop short of the gutters."""
    near = MIN_GUTTER * h
    left = [boxes[i].width for i in idx if i not in taken and boxes[i].x2 <= lo]
    right = [boxes[i].width for i in idx if i not in taken and boxes[i].x1 >= hi]
    if not left or not right:
        return set()
    wide_left, wide_right = 1.15 * statistics.median(left), 1.15 * statistics.median(right)
    left_top = min(boxes[i].y1 for i in idx if i not in taken and boxes[i].x2 <= lo)
    out = set()
    for i in idx:
        b = boxes[i]
        if i in taken:
            continue
        at_left = lo - near <= b.x2 <= lo and b.width > wide_left
        at_right = hi <= b.x1 <= hi + near and b.width > wide_right
        # A body-size line over the right columns with nothing left of the gap before it starts
        # the right side, read after the left column (a caption over two columns under a picture
        # whose own column's text starts below it); a title there stays over the columns.
        if at_right and b.y2 <= left_top and b.height < SUB_TITLE_RATIO * h:
            at_right = False
        # A body-size line must reach well past its side's lines, and over two columns' measure,
        # to be over two columns: the long lines of a ragged column stop near a sidebar's gutter
        # wherever the sidebar is empty, and a sidebar's name is wider than its phone numbers.
        if b.height < SUB_TITLE_RATIO * h and b.width < 2 * MIN_COLUMN_LINE * h:
            at_left = at_right = False
        if at_left and b.height < SUB_TITLE_RATIO * h and b.width <= LONE_BODY_WIDE * wide_left / 1.15:
            at_left = False
        if at_right and b.height < SUB_TITLE_RATIO * h and b.width <= LONE_BODY_WIDE * wide_right / 1.15:
            at_right = False
        if (at_left or at_right) and not _has_neighbour(i, idx, boxes):
            out.add(i)
    return out


def _edge_rows(idx: list[int], boxes: Sequence[LineBox], lo: float, hi: float, h: float) -> int:
    """How many lines right of a narrow gap (lo, hi) start at it with a line beside them on its
    left that ends at it: the two edges of a gutter, rather than a gap between scattered words."""
    near = 1.0 * h
    lefts = [boxes[i] for i in idx if lo - near <= boxes[i].x2 <= lo]
    count = 0
    for i in idx:
        r = boxes[i]
        if not hi <= r.x1 <= hi + near:
            continue
        if any(min(r.y2, b.y2) - max(r.y1, b.y1) >= 0.5 * min(r.height, b.height) for b in lefts):
            count += 1
    return count


def _has_neighbour(i: int, idx: list[int], boxes: Sequence[LineBox]) -> bool:
    """Whether another line sits beside line ``i`` (on the same height, left or right of it)."""
    b = boxes[i]
    for j in idx:
        o = boxes[j]
        beside = j != i and (o.x2 <= b.x1 or o.x1 >= b.x2)
        if beside and min(b.y2, o.y2) - max(b.y1, o.y1) >= 0.3 * min(b.height, o.height):
            return True
    return False


def _runs_at_most(values: list[int], limit: int) -> list[tuple[int, int]]:
    """Maximal [start, end) runs of indices whose value is at most ``limit``."""
    out: list[tuple[int, int]] = []
    start = -1
    for j, v in enumerate(values):
        ok = v <= limit
        if ok and start < 0:
            start = j
        elif not ok and start >= 0:
            out.append((start, j))
            start = -1
    if start >= 0:
        out.append((start, len(values)))
    return out


# --- rows and paragraphs ------------------------------------------------------------------------
def _rows(idx: list[int], boxes: Sequence[LineBox], h: float) -> list[list[int]]:
    """Lines grouped into rows (vertically overlapping lines), rows top to bottom, cells left to right."""
    rows: list[list[int]] = []
    for i in sorted(idx, key=lambda i: (boxes[i].cy, boxes[i].x1)):
        b = boxes[i]
        if rows:
            last = rows[-1]
            top = min(boxes[j].y1 for j in last)
            bottom = max(boxes[j].y2 for j in last)
            row_h = min(b.height, statistics.median(boxes[j].height for j in last))
            # Lines of one row stand side by side; one over the other (an initial grown into its
            # line's box above the next line) are rows of their own.
            stacked = any(
                min(b.x2, boxes[j].x2) - max(b.x1, boxes[j].x1) > 0.5 * min(b.width, boxes[j].width)
                for j in last
            )
            if not stacked and min(bottom, b.y2) - max(top, b.y1) >= 0.5 * row_h:
                last.append(i)
                continue
        rows.append([i])
    for row in rows:
        row.sort(key=lambda i: boxes[i].x1)
    return rows


def ends_in_cells(para: Paragraph, boxes: Sequence[LineBox]) -> bool:
    """Whether a paragraph's last row is cells far apart (:func:`is_table_row`): a form's row of
    check boxes ("Deletion  Compatibity  Cost Reduction  x Urgent") leaves no sentence open for
    the next row ("x Change  Manufacturability ...") to go on with."""
    return bool(para.rows) and is_table_row(list(para.rows[-1]), boxes)


def is_table_row(row: list[int], boxes: Sequence[LineBox]) -> bool:
    """Cells far apart on one row (a table or a form), rather than one line cut in two."""
    for k, (a, b) in enumerate(itertools.pairwise(row)):
        if k == 0 and is_drop_cap(boxes[a], boxes[b]):
            continue
        h = min(boxes[a].height, boxes[b].height)
        if boxes[b].x1 - boxes[a].x2 > CELL_GAP * h:
            return True
    return False


def group_paragraphs(
    rows: Sequence[Sequence[int]],
    boxes: Sequence[LineBox],
    body_h: float,
    texts: Mapping[int, str] | None = None,
    upto: int | None = None,
    titles: Sequence[tuple[float, float, float, float]] = (),
    untyped: Collection[int] = (),
    headers: Sequence[tuple[float, float, float, float]] = (),
) -> list[Paragraph]:
    """Paragraphs of one column piece (rows from :func:`columns`).

    With ``upto``, only the first ``upto`` rows are grouped (the rest are not read yet); the
    decisions only look at neighbouring rows and the whole piece's geometry, so every paragraph
    but the last is final. The engine streams paragraphs this way as it reads.

    ``titles``: boxes (x1, y1, x2, y2) a layout model calls titles. A short paragraph of body-size
    type lying wholly in one is a heading (``sub_title``): bold or capitals the size of the text
    ("Recording a Sequence") have no other sign a line box shows.

    ``untyped``: lines whose height is no type size (handwriting, a picture's lettering: see
    :mod:`strokes`). A row's height is that of its other lines, and a paragraph of such lines
    alone is text, never a heading.

    ``headers``: boxes a layout model calls page headers. A paragraph lying wholly in one, under
    which the page has type at least HEADER_UNDER_TITLE times as tall (its headline), is part of the
    page's masthead, not a heading: a research note's "UPDATE" tag in the top corner, over its
    sidebar. (A page whose top line is its largest type, a typed recipe's title the model also
    calls a header, keeps its heading.)
    """
    if not rows:
        return []
    # The column's right edge: a line reaching alone past the others (a footer's "1 of 9 ...
    # 20:42" across the page, a closing quote hanging in the margin) would make every line look short.
    right = _measure([_bbox(row, boxes)[2] for row in rows], 0.5 * body_h)
    width = right - min(boxes[i].x1 for row in rows for i in row)
    # The left edge of ordinary lines (a low quantile of row starts), so indents stand out.
    starts = sorted(min(boxes[i].x1 for i in row) for row in rows)
    body_left = starts[len(starts) // 4]
    several = len(rows) >= 3
    # The usual gap between rows of this piece (a low quantile, so paragraph breaks do not count).
    gaps = sorted(_bbox(b, boxes)[1] - _bbox(a, boxes)[3] for a, b in itertools.pairwise(rows))
    usual_gap = gaps[len(gaps) // 4] if len(gaps) >= 2 else 0.0
    todo = [list(r) for r in rows[: len(rows) if upto is None else upto]]
    if not todo:
        return []

    typed_height = _glyph_heights(todo, boxes, texts)

    def typed(row: Sequence[int]) -> list[int]:
        return [i for i in row if i not in untyped] or list(row)

    def glyph(row: Sequence[int]) -> float:
        return typed_height(typed(row))

    groups: list[list[list[int]]] = [[todo[0]]]
    cap_bottom = -math.inf  # lines beside a drop cap continue its paragraph
    for prev, row in itertools.pairwise(todo):
        if len(prev) >= 2 and is_drop_cap(boxes[prev[0]], boxes[prev[1]]):
            cap_bottom = boxes[prev[0]].y2
        p, n = _bbox(typed(prev), boxes), _bbox(typed(row), boxes)
        hp, hn = glyph(prev), glyph(row)
        small = min(hp, hn)
        at_margin = n[0] <= body_left + INDENT * small
        if n[1] < cap_bottom - 0.3 * small:
            groups[-1].append(row)
            continue
        new = (
            n[1] - p[3]
            > min(max(PARAGRAPH_GAP * small, usual_gap + PARAGRAPH_GAP * small), PARAGRAPH_GAP_MAX * small)
            or (
                max(hp, hn) > HEIGHT_JUMP * small
                and not _short_tail(prev, row, hp, hn, body_h, texts)
                and not _raised_initial(prev, p, n, hp, hn, small, texts)
            )
            or is_table_row(prev, boxes)
            or is_table_row(row, boxes)
            or (
                not at_margin
                and p[0] <= body_left + 0.5 * small
                and not _hanging(prev, texts)
                and small < SUB_TITLE_RATIO * body_h  # a centred heading's lines start where they may
            )  # first-line indent
            or (
                several
                and at_margin
                and _ends_early(prev, row, boxes, right, width, texts)
                # a line set loose in mid-sentence (not a list's short item: "3 uien" / "bloem")
                and not (p[2] - p[0] >= LOOSE_LINE * width and _row_continues(prev, row, texts))
            )
            or _next_item(groups[-1][0], row, boxes, texts, small)
        )
        if new:
            groups.append([row])
        else:
            groups[-1].append(row)
    out: list[Paragraph] = []
    done_rows = 0  # rows of the piece before this paragraph's
    for g in groups:
        done_rows += len(g)
        members = [boxes[i] for row in g for i in row]
        box = (
            min(b.x1 for b in members),
            min(b.y1 for b in members),
            max(b.x2 for b in members),
            max(b.y2 for b in members),
        )
        heights = [glyph(r) for r in g if any(i not in untyped for i in r)]
        ratio = statistics.median(heights) / body_h if body_h > 0 and heights else 1.0
        label = TEXT
        if heights and len(g) <= MAX_TITLE_ROWS and not any(is_table_row(r, boxes) for r in g):
            if ratio >= TITLE_RATIO:
                label = TITLE
            elif ratio >= SUB_TITLE_RATIO or _inside_one(members, titles):
                label = SUB_TITLE
        if label == TITLE and _foot_mark(box, boxes, body_h):
            label = TEXT  # a maker's logo over its address at the foot of the page: no title
        if label == TITLE and done_rows < len(rows) and _kicker(g, rows[done_rows], boxes, body_h):
            label = SUB_TITLE  # a kicker over the headline: the headline is the title
        if label != TEXT and _inside_one(members, headers):
            tallest = max(b.height for b in members)
            below = [
                b.height for i, b in enumerate(boxes) if i not in untyped and b.y1 >= box[3] and b.width > 0
            ]
            if any(hb >= HEADER_UNDER_TITLE * tallest for hb in below):
                label = TEXT  # the model's page header, over the page's headline: no heading
        out.append(Paragraph(tuple(tuple(r) for r in g), label, box))
    return out


def _kicker(para: Sequence[Sequence[int]], after: Sequence[int], boxes: Sequence[LineBox], h: float) -> bool:
    """Whether a title-size paragraph (rows ``para``) is the kicker over a headline: the row
    ``after`` it is title-size too, at least KICKER_STEP times as tall as the paragraph's rows, and
    within KICKER_GAP body line heights under it (a research note's "US Pharmaceuticals &
    Biotechnology" over "Elections mark start of next chapter ..."). Line boxes are compared,
    known for every row before its text is read, so the decision does not move as the piece is read."""
    if not after or h <= 0:
        return False
    own = statistics.median(_row_height(row, boxes) for row in para)
    nxt = _row_height(after, boxes)
    gap = _bbox(after, boxes)[1] - max(boxes[i].y2 for row in para for i in row)
    return nxt >= TITLE_RATIO * h and nxt >= KICKER_STEP * own and gap <= KICKER_GAP * h


def _foot_mark(box: tuple[float, float, float, float], boxes: Sequence[LineBox], h: float) -> bool:
    """Whether a paragraph set as large as a title (``box``) is a mark at the foot of the page, not
    a title: its top in the bottom FOOT_MARK_BAND of the page's text, and under it, in its column,
    nothing but at most MAX_FURNITURE_LINES lines no taller than a footer's (a brochure's "Linn"
    logotype over the maker's address). A title heads text: a headline low on a newspaper page
    stands over its story's lines, and a book's chapter title is never left at a page's foot."""
    real = [b for b in boxes if b.width > 0 and b.height > 0]
    if not real or h <= 0:
        return False
    top, bottom = min(b.y1 for b in real), max(b.y2 for b in real)
    if box[1] < bottom - FOOT_MARK_BAND * (bottom - top):
        return False
    under = [b for b in real if b.y1 >= box[3] and b.x1 < box[2] and b.x2 > box[0]]
    return len(under) <= MAX_FURNITURE_LINES and all(b.height <= FURNITURE_HEIGHT * h for b in under)


def _raised_initial(
    prev: Sequence[int],
    p: tuple[float, float, float, float],
    n: tuple[float, float, float, float],
    hp: float,
    hn: float,
    small: float,
    texts: Mapping[int, str] | None,
) -> bool:
    """Whether the taller row ``prev`` (box ``p``) over the row ``n`` is its paragraph's first line
    with a large initial capital in its box: not much taller, reaching down into the next row's box
    (headings stand clear of their text), and starting with a capital letter."""
    if texts is None or not hp > hn or hp >= TITLE_RATIO * hn or p[3] - n[1] < RAISED_INITIAL_REACH * small:
        return False
    text = texts.get(prev[0], "").strip()
    return bool(text) and text[0].isupper()


def _inside_one(members: Sequence[LineBox], regions: Sequence[tuple[float, float, float, float]]) -> bool:
    """Whether the middles of all ``members`` lie in one of ``regions``."""
    return bool(members) and any(
        all(x1 <= (b.x1 + b.x2) / 2 <= x2 and y1 <= b.cy <= y2 for b in members) for x1, y1, x2, y2 in regions
    )


def _ends_early(
    prev: list[int],
    row: list[int],
    boxes: Sequence[LineBox],
    right: float,
    width: float,
    texts: Mapping[int, str] | None,
) -> bool:
    """Whether ``prev`` is the last line of its paragraph because it stops short of the column's end."""
    p = _bbox(prev, boxes)
    free = right - p[2]
    prev_text = " ".join(texts.get(i, "") for i in prev).strip() if texts is not None else ""
    next_text = " ".join(texts.get(i, "") for i in row).strip() if texts is not None else ""
    if prev_text and next_text:
        if prev_text.endswith(("-", "\u00ad")):
            return False
        char_w = (p[2] - p[0]) / max(1, len(prev_text))
        first_word = next_text.split()[0]
        return free > (len(first_word) + 1) * char_w * FIT_MARGIN
    return free > SHORT_LINE * width


#: Marks that end a sentence (or a heading, a list's lead-in) at a line's or a paragraph's end.
_SENTENCE_END = frozenset(".!?:…)]}\"'”’»›")


def ends_open(text: str) -> bool:
    """Whether ``text`` leaves its sentence open: it ends in a word, a comma, a semicolon or a
    hyphen, not in ``. ! ? :``, a closing quote or a bracket."""
    text = text.rstrip()
    return bool(text) and text[-1] not in _SENTENCE_END


def continues(prev: str, text: str) -> bool:
    """Whether ``text`` (a line, a paragraph) goes on with the sentence ``prev`` leaves open
    (:func:`ends_open`): it starts with a lower-case letter."""
    return ends_open(prev) and text.lstrip()[:1].islower()


def _row_continues(prev: Sequence[int], row: Sequence[int], texts: Mapping[int, str] | None) -> bool:
    """Whether the text of ``row`` goes on with the sentence ``prev`` leaves open (see
    :func:`continues`): a line that stops short in mid-sentence (a first line set loose, a word
    that did not fit) does not end its paragraph."""
    if texts is None:
        return False
    return continues(" ".join(texts.get(i, "") for i in prev), " ".join(texts.get(i, "") for i in row))


def _measure(ends: list[float], near: float) -> float:
    """A column's right edge from its rows' ends: the furthest end another row comes within
    ``near`` of; at most one row in MEASURE_OUTLIERS is passed over to find it."""
    ends = sorted(ends, reverse=True)
    for k in range(min(len(ends) // MEASURE_OUTLIERS, len(ends) - 1) + 1):
        if k + 1 >= len(ends) or ends[k] - ends[k + 1] <= near:
            return ends[k]
    return ends[0]


def _short_tail(
    prev: Sequence[int],
    row: Sequence[int],
    hp: float,
    hn: float,
    body_h: float,
    texts: Mapping[int, str] | None,
) -> bool:
    """Whether ``row``, lower than the body line ``prev`` above it, is that paragraph's short last
    line rather than smaller type: a word or two ("components.") has a box that fits its few
    letters, lower than a long line's, and too few characters to judge its type size by."""
    if texts is None or body_h <= 0 or hn >= hp or hp > SUB_TITLE_RATIO * body_h:
        return False
    prev_text = " ".join(texts.get(i, "") for i in prev).strip()
    text = " ".join(texts.get(i, "") for i in row).strip()
    return (
        len(prev_text) >= GLYPH_MIN_CHARS and 0 < len(text) < GLYPH_MIN_CHARS and hp <= SHORT_TAIL_JUMP * hn
    )


def _bbox(row: Sequence[int], boxes: Sequence[LineBox]) -> tuple[float, float, float, float]:
    return (
        min(boxes[i].x1 for i in row),
        min(boxes[i].y1 for i in row),
        max(boxes[i].x2 for i in row),
        max(boxes[i].y2 for i in row),
    )


_BULLET = re.compile(r"\s*(?:[•·▪■●◦‣○*–—-]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")


def _hanging(row: Sequence[int], texts: Mapping[int, str] | None) -> bool:
    """Whether ``row`` opens a list item (a bullet or number), whose next lines hang indented."""
    if texts is None or not row:
        return False
    return bool(_BULLET.match(texts.get(row[0], "") + " "))


#: Marks that open a list item wherever they start a line (a hyphen or a number may be text).
_ITEM_MARK = re.compile(r"\s*[•▪■●◦‣]")


def _next_item(
    first: Sequence[int],
    row: Sequence[int],
    boxes: Sequence[LineBox],
    texts: Mapping[int, str] | None,
    h: float,
) -> bool:
    """Whether ``row`` opens the next list item: it starts with a bullet, or with a number or dash
    like the item the current paragraph opened with (``first``, its first row), level with it."""
    if texts is None or not row:
        return False
    text = texts.get(row[0], "")
    if _ITEM_MARK.match(text):
        return True
    return (
        _hanging(first, texts)
        and _hanging(row, texts)
        and abs(_bbox(first, boxes)[0] - _bbox(row, boxes)[0]) <= 0.5 * h
    )


def _glyph_heights(
    rows: Sequence[Sequence[int]], boxes: Sequence[LineBox], texts: Mapping[int, str] | None
) -> Callable[[Sequence[int]], float]:
    """A row's height as its type size shows it: where the text is known, a row taller than the
    width of its characters says (an initial sharing its line's box) counts as body text."""

    def per_char(row: Sequence[int]) -> float | None:
        text = " ".join(texts.get(i, "") for i in row).strip() if texts is not None else ""
        if len(text) < GLYPH_MIN_CHARS:
            return None
        return sum(boxes[i].width for i in row) / len(text)

    # The page's body height per character width, over every line read so far (not only this
    # piece's: a short piece between two wide titles has too few lines to tell).
    ratios = [
        boxes[i].height * len(t) / boxes[i].width
        for i, t in (texts or {}).items()
        if len(t.strip()) >= GLYPH_MIN_CHARS and i < len(boxes) and boxes[i].width > 0
    ]
    if len(ratios) < 3:
        return lambda row: _row_height(row, boxes)
    aspect = statistics.median(ratios)

    def height(row: Sequence[int]) -> float:
        h = _row_height(row, boxes)
        w = per_char(row)
        return h if w is None else min(h, max(w * aspect * GLYPH_SLACK, 0.0))

    return height


def _row_height(row: Sequence[int], boxes: Sequence[LineBox]) -> float:
    if len(row) >= 2 and is_drop_cap(boxes[row[0]], boxes[row[1]]):
        row = row[1:]
    return statistics.median(boxes[i].height for i in row)
