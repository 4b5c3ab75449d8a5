"""Page orientation for line-based engines: is the page upright, on its side, or upside down?

A page scanned on its side has tall, thin text lines; an upside-down page has ordinary lines that
read as nonsense. Both are told apart by the recogniser itself: a sample of the longest lines is
read as it stands and turned half a turn, and the way that reads with clearly higher confidence
wins (PaddleOCR's line classifier, tried first, turns correct lines over on upright pages). Pure
functions over the detector's quadrilaterals and a scoring callable; no Qt, no ONNX here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

#: Lines whose box is this much taller than wide are vertical.
TALL = 2.0
#: The share of vertical lines that makes a page "on its side" (rather than a few vertical labels).
TALL_SHARE = 0.5
SAMPLE = 6  # lines read to decide
#: Mean confidence of the sample at or above which an ordinary page is taken as upright unread.
UPRIGHT_OK = 0.85
#: A turned reading wins when it is at least this confident and this much better than the other.
WIN_SCORE, WIN_MARGIN = 0.75, 0.15
#: Sample crops are cut to this many line heights (the start of the line): enough to judge.
MAX_CROP_RATIO = 14

Quad = Sequence[Sequence[float]]
#: Mean recogniser confidence of crops (numpy HxWx3 arrays); an empty reading counts as 0.
Scorer = Callable[[list[Any]], float]


def _extent(q: Quad) -> tuple[float, float]:
    xs = [float(p[0]) for p in q]
    ys = [float(p[1]) for p in q]
    return max(xs) - min(xs), max(ys) - min(ys)


def is_on_its_side(quads: Sequence[Quad]) -> bool:
    """Whether most text lines of the page stand vertically."""
    sized = [_extent(q) for q in quads]
    sized = [(w, h) for w, h in sized if max(w, h) >= 8]
    if len(sized) < 3:
        return False
    tall = sum(1 for w, h in sized if h > TALL * w)
    return tall >= TALL_SHARE * len(sized)


def sample_lines(quads: Sequence[Quad], count: int = SAMPLE) -> list[int]:
    """Indices of the longest lines (the most text to judge by), at most ``count``."""
    longest = sorted(range(len(quads)), key=lambda i: -max(_extent(quads[i])))
    return longest[:count]


def trim(crop: Any) -> Any:
    """The start of a long line crop (a numpy image): recognition cost grows with its width."""
    h, w = crop.shape[:2]
    return crop[:, : max(1, min(w, MAX_CROP_RATIO * h))] if w > MAX_CROP_RATIO * h else crop


def detect_turn(
    quads: Sequence[Quad],
    crops: Callable[[list[int]], list[Any]],
    score: Scorer,
    whole: Callable[[list[int]], float] | None = None,
) -> int:
    """Clockwise degrees (0, 90, 180, 270) to turn the page so that its text stands upright.

    ``crops(indices)`` cuts the given lines out of the page as the recogniser would read them
    (vertical lines already turned a quarter anticlockwise, as RapidOCR does); ``score`` rates
    crops. ``whole(indices)``, if given, rates the given lines read whole as they stand (a
    reading the page needs anyway): an ordinary page whose sample reads well so is upright, and
    only other pages have their sample's starts read both ways. Undecided pages stay as they are
    (0): a wrong turn costs more than none."""
    import numpy as np

    if not quads:
        return 0
    picked = sample_lines(quads)
    if not picked:
        return 0
    if whole is not None and not is_on_its_side(quads) and whole(picked) >= UPRIGHT_OK:
        return 0
    sample = [trim(c) for c in crops(picked)]
    if not sample:
        return 0
    as_is = score(sample)
    side = is_on_its_side(quads)
    if not side and as_is >= UPRIGHT_OK:
        return 0
    flipped = score([np.ascontiguousarray(np.rot90(c, 2)) for c in sample])
    if side:
        # The crop was turned anticlockwise: reading well as cut means the page lies turned
        # clockwise (text running downwards), so the page goes back anticlockwise (270).
        if as_is >= WIN_SCORE and as_is - flipped >= WIN_MARGIN:
            return 270
        if flipped >= WIN_SCORE and flipped - as_is >= WIN_MARGIN:
            return 90
        return 0  # vertical writing (e.g. Japanese), or undecided
    if flipped >= WIN_SCORE and flipped - as_is >= WIN_MARGIN:
        return 180
    return 0
