"""How large the line detector is given a page: small print gets a second, larger pass.

The detector sees the page shrunk to a longest side (:func:`embedded.detect_side`: 1600 px for a
portrait page), which keeps 7-pt print on an A4 page at about 20 px a line. On a larger sheet, or
on a page of unusually small print (a 600-dpi A3 scan, a dense newspaper page), the same size
leaves lines a few pixels high, and below about 8 px the detector stops finding them: nine
pages of a real brochure scan tiled 3 x 3 (read at half resolution, 3825 x 4950) gave 616 of
their 738 lines at 1600 px, lines at 10 px, and all 738 at 2400 px; the WSJ page of the corpus
gives all 134 lines at 8.8 px and 4 at 6-7 px.

So the first pass's lines tell the type size: when the lower quartile of their heights, at the
detector's scale, is under :data:`MIN_LINE`, the page is detected again at the size that gives
them :data:`TARGET_LINE` (never above the page's own size or the caller's limit). A page of
ordinary print never pays for a second pass.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Line height (detector input pixels) under which a page's small lines are near the detector's limit.
MIN_LINE = 12.0
#: The height its lines get in the second pass.
TARGET_LINE = 15.0
#: The share of the lines found that may be lower than MIN_LINE before the page is detected again.
SMALL_SHARE = 0.25
#: A second pass must be at least this much larger to be worth it.
MIN_GAIN = 1.15


def second_side(side: int, longest: int, heights: Sequence[float], limit: int) -> int | None:
    """The longest side for a second detection pass of a page whose longest side is ``longest``
    pixels, detected first at ``side`` with lines of ``heights`` (page pixels), or None when
    the first pass was enough (or the page was detected at its own size): see the module
    docstring. ``limit``: the largest side the caller allows."""
    if side >= longest or not heights:
        return None
    scale = side / longest
    ordered = sorted(heights)
    low = ordered[int(SMALL_SHARE * (len(ordered) - 1))] * scale
    if low >= MIN_LINE:
        return None
    bigger = int(min(longest, limit, side * TARGET_LINE / max(low, 1.0)))
    return bigger if bigger >= MIN_GAIN * side else None
