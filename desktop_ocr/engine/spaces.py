"""Spaces the recogniser lost between two words, put back where the ink shows one. No Qt.

RapidOCR now and then reads two words as one ("indicatingprocedures", "essentiallya",
"6Accuracy"). The English dictionary (:func:`~desktop_ocr.engine.words.glued_spaces`) says where
such a token could be two words, but a word printed solid is often two words to a dictionary too
("aftertouch", "fadeout", "Tarzana"). The print decides: a space is put back only where the line's
ink has a gap as wide as the gaps at the spaces the recogniser did read, and wider than any gap
between the letters of its words. Where a character sits comes from the recogniser's own columns
(its word info: a column per character, ``line_txt_len`` columns over the line's width).
"""

from __future__ import annotations

from statistics import median
from typing import Any

from desktop_ocr.engine import words
from desktop_ocr.engine.reading_order import LineBox

#: A pixel darker than this (0-255 grey) is ink.
INK = 140
#: A gap put back is at least this share of the median gap at the line's read spaces...
SPACE_SHARE = 0.5
#: ... and wider than this many times the widest gap between two letters of the line's read words.
LETTER_FACTOR = 1.5


def _gap(ink: Any, a: float, b: float) -> int:
    """The widest run of ink-free columns of ``ink`` (a column profile: True where a column of
    the line has ink) between columns ``a`` and ``b``."""
    lo, hi = max(0, int(a)), min(len(ink), int(b) + 1)
    best = run = 0
    for x in range(lo, hi):
        run = 0 if ink[x] else run + 1
        best = max(best, run)
    return best


def respace(text: str, info: Any, gray: Any, box: LineBox) -> list[int]:
    """Offsets in ``text`` (the line read in ``box`` of the greyscale page ``gray``; ``info`` the
    recogniser's word info) where a lost space is put back: the dictionary's candidates that the
    ink confirms. Empty when the word info does not match the text."""
    candidates = words.glued_spaces(text)
    if not candidates or info is None:
        return []
    cols = [c for word in (getattr(info, "word_cols", None) or ()) for c in word]
    chars = [ch for word in (getattr(info, "words", None) or ()) for ch in word]
    frames = float(getattr(info, "line_txt_len", 0.0) or 0.0)
    if frames <= 0 or "".join(chars) != text.replace(" ", "") or len(cols) != len(chars):
        return []
    y1, y2 = int(box.y1), int(box.y2)
    x1, x2 = int(box.x1), int(box.x2)
    band = gray[max(0, y1) : y2, max(0, x1) : x2]
    if band.size == 0:
        return []
    profile = (band < INK).any(axis=0)
    step = (x2 - x1) / frames
    at = [0.0] * len(text)  # a character's x in the band (middle of its column)
    n = 0
    for k, ch in enumerate(text):
        if ch != " ":
            at[k] = (cols[n] + 0.5) * step
            n += 1
    spaces, letters = [], []
    for k in range(1, len(text) - 1):
        if text[k] == " " and text[k - 1] != " " and text[k + 1] != " ":
            spaces.append(_gap(profile, at[k - 1], at[k + 1]))
        elif text[k].isalpha() and text[k - 1].isalpha() and k not in candidates:
            letters.append(_gap(profile, at[k - 1], at[k]))
    # A line of one word has no read space to go by: a space is then a quarter of the line's
    # height (a word space is about a quarter of the type's size; the box is a little taller).
    space = median(spaces) if spaces else 0.25 * (y2 - y1)
    letter = max(letters, default=0)
    return [
        k
        for k in candidates
        if 0 < k < len(text)
        and (g := _gap(profile, at[k - 1], at[k])) >= SPACE_SHARE * space
        and g > LETTER_FACTOR * letter
    ]
