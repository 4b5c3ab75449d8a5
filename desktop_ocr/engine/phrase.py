"""Find a phrase in recognised text lines (case and spacing ignored, OCR slips tolerated): pure functions.

:func:`find_phrase` joins the lines in reading order (a line-end hyphen joins the word halves), looks
for the phrase exactly, and when it is nowhere, for the best word-aligned stretches whose
``difflib`` ratio to the phrase is at least ``min_ratio``. Each match comes back as the pieces of the
lines it covers, so a phrase running over a line break is found too. :func:`piece_box` turns a piece
into a pixel rectangle: the whole line, or the part of it the matched characters take.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

#: The least ``difflib`` ratio of an approximate match (OCR errors: a letter or two per word).
MIN_RATIO = 0.8
#: Phrases shorter than this (normalised) are matched exactly only.
MIN_FUZZY_LENGTH = 5
_HYPHENS = ("-", "\u00ad")


@dataclass(frozen=True, slots=True)
class Piece:
    """The characters ``start:end`` of line ``line`` (indices into that line's own text)."""

    line: int
    start: int
    end: int


def _normalised(lines: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The lines as one case-folded string with single spaces, and for each of its characters the
    (line, character index) it came from."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    for li, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if out:
            if out[-1] in _HYPHENS and text[0].isalpha() and len(out) > 1 and out[-2].isalpha():
                out.pop()  # "exam-" + "ple" -> "example"
                where.pop()
            else:
                out.append(" ")
                where.append(where[-1])
        offset = len(line) - len(line.lstrip())
        for ci, ch in enumerate(text, start=offset):
            if ch.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    where.append((li, ci))
                continue
            for folded in ch.casefold():
                out.append(folded)
                where.append((li, ci))
    return "".join(out), where


def normalise(text: str) -> str:
    """Case-folded, with runs of white space as one space, trimmed."""
    return " ".join(text.casefold().split())


def find_phrase(lines: Sequence[str], phrase: str, min_ratio: float = MIN_RATIO) -> list[list[Piece]]:
    """Every match of ``phrase`` in ``lines`` (reading order), each as its line pieces in order.

    Exact (normalised) matches win; only when there is none, approximate ones are looked for.
    """
    target = normalise(phrase)
    if not target:
        return []
    full, where = _normalised(lines)
    spans = _exact(full, target)
    if not spans and len(target) >= MIN_FUZZY_LENGTH:
        spans = _approximate(full, target, min_ratio)
    return [_pieces(where, s, e) for s, e in spans]


def _exact(full: str, target: str) -> list[tuple[int, int]]:
    spans = []
    i = full.find(target)
    while i >= 0:
        spans.append((i, i + len(target)))
        i = full.find(target, i + len(target))
    return spans


def _approximate(full: str, target: str, min_ratio: float) -> list[tuple[int, int]]:
    """Word-aligned stretches of ``full`` about as long as ``target`` with a ratio >= ``min_ratio``,
    best first, none overlapping; returned in text order."""
    n = len(full)
    # Words start after a space; they end before a space or before the punctuation that follows.
    starts = [i for i, ch in enumerate(full) if ch != " " and (i == 0 or full[i - 1] == " ")]
    ends = [
        i + 1
        for i, ch in enumerate(full)
        if ch != " " and (i + 1 == n or full[i + 1] == " " or (ch.isalnum() and not full[i + 1].isalnum()))
    ]
    low, high = 0.7 * len(target) - 2, 1.3 * len(target) + 2
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    found: list[tuple[float, int, int]] = []
    for s in starts:
        for e in ends:
            if e - s < low:
                continue
            if e - s > high:
                break
            matcher.set_seq1(full[s:e])
            if matcher.real_quick_ratio() < min_ratio or matcher.quick_ratio() < min_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= min_ratio:
                found.append((ratio, s, e))
    chosen: list[tuple[int, int]] = []
    for _ratio, s, e in sorted(found, key=lambda f: (-f[0], f[1])):
        if all(e <= cs or s >= ce for cs, ce in chosen):
            chosen.append((s, e))
    return sorted(chosen)


def _pieces(where: list[tuple[int, int]], start: int, end: int) -> list[Piece]:
    pieces: list[Piece] = []
    for li, ci in where[start:end]:
        if pieces and pieces[-1].line == li:
            last = pieces[-1]
            pieces[-1] = Piece(li, min(last.start, ci), max(last.end, ci + 1))
        else:
            pieces.append(Piece(li, ci, ci + 1))
    return pieces


def piece_box(
    piece: Piece, text: str, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """The pixel rectangle of ``piece`` in a line ``text`` drawn in ``box``: the whole line when the
    piece covers it all, else the share of the width its characters take (half a character of
    margin either side, as glyph widths vary)."""
    x1, y1, x2, y2 = box
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if not stripped or (piece.start <= lead and piece.end >= lead + len(stripped)):
        return box
    char_w = (x2 - x1) / len(stripped)
    left = x1 + (piece.start - lead - 0.5) * char_w
    right = x1 + (piece.end - lead + 0.5) * char_w
    return max(x1, left), y1, min(x2, right), y2
