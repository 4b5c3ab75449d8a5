"""The detector's second chance for a line whose bounding rectangle is mostly paper
(desktop_ocr.engine.embedded._outline_second_chance), on RapidOCR's own DB post-processing step
and a drawn probability map: a line opened by a raised initial (a tall capital, then short
letters: the Kant page's first line) is kept; a faint fragment is still rejected."""

from __future__ import annotations

import numpy as np
from rapidocr.ch_ppocr_det.utils import DBPostProcess

from desktop_ocr.engine.embedded import _outline_second_chance


def _map(*regions: tuple[int, int, int, int, float]) -> np.ndarray:
    """A detector's probability map (1, 1, H, W) with rectangles (x1, y1, x2, y2) at a probability."""
    pred = np.zeros((1, 1, 200, 600), dtype=np.float32)
    for x1, y1, x2, y2, p in regions:
        pred[0, 0, y1:y2, x1:x2] = p
    return pred


def _found(post: DBPostProcess, pred: np.ndarray) -> list[tuple[int, int, int, int]]:
    boxes, _scores = post(pred, (200, 600))
    return [(int(b[:, 0].min()), int(b[:, 1].min()), int(b[:, 0].max()), int(b[:, 1].max())) for b in boxes]


def _post() -> DBPostProcess:
    # RapidOCR 3.10's configuration for its detector (rapidocr/config.yaml, Det).
    return DBPostProcess(thresh=0.3, box_thresh=0.5, unclip_ratio=1.6, score_mode="fast", use_dilation=True)


def test_a_line_opened_by_a_raised_initial_is_kept():
    # A capital 60 px tall, then the line's letters 18 px tall along its foot, slightly skewed:
    # the rectangle round them is mostly paper.
    line = [(40, 60, 80, 120, 0.9)] + [
        (80 + 20 * k, 102 - k // 4, 100 + 20 * k, 120 - k // 4, 0.9) for k in range(20)
    ]
    pred = _map(*line)
    assert _found(_post(), pred) == []  # RapidOCR's own score drops it
    post = _post()
    _outline_second_chance(post)
    [(x1, y1, x2, _y2)] = _found(post, pred)
    assert x1 <= 45 and x2 >= 470 and y1 <= 65


def test_a_faint_fragment_and_ordinary_lines_are_scored_as_before():
    pred = _map(
        (40, 20, 560, 40, 0.9),  # an ordinary line
        (40, 150, 60, 190, 0.62),  # a faint blob: under the threshold by its rectangle and outline
        (100, 150, 400, 190, 0.55),
    )
    plain = _found(_post(), pred)
    post = _post()
    _outline_second_chance(post)
    assert _found(post, pred) == plain
