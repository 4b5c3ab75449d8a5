"""Spaces the recogniser lost between two words: proposed by the English dictionary, put back only
where the print has a gap (committed real scans, tests/data/real, with RapidOCR's own line boxes
and word columns for those lines)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.engine import words
from desktop_ocr.engine.embedded import _respaced
from desktop_ocr.engine.reading_order import LineBox
from desktop_ocr.engine.spaces import respace

REAL = Path(__file__).resolve().parents[1] / "data" / "real"

needs_dictionary = pytest.mark.skipif(words.known("the") is None, reason="no `spelling` extra")


def gray(name: str) -> np.ndarray:
    return np.asarray(Image.open(REAL / name).convert("L"))


def info(text: str, cols: list[list[int]], frames: float) -> SimpleNamespace:
    """RapidOCR's word info for a line as it read it (its characters per word, their columns)."""
    return SimpleNamespace(words=[list(w) for w in text.split()], word_cols=cols, line_txt_len=frames)


def put_back(text: str, at: list[int]) -> str:
    return _respaced(text, [1.0] * len(text), at)[0]


@needs_dictionary
@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        (
            "the purpose of this reportis essentiallya summary",
            "the purpose of this report is essentially a summary",
        ),
        (
            "Refugee Interview Project¹, indicatingprocedures of value",
            "Refugee Interview Project¹, indicating procedures of value",
        ),
        ("Refugee Interview Project¹, indicatingproce-", "Refugee Interview Project¹, indicating proce-"),
        ("6Accuracy", "6 Accuracy"),
        ("4.4Application-specific optimisations", "4.4 Application-specific optimisations"),
    ],
)
def test_the_dictionary_finds_two_words_read_as_one(line, fixed):
    assert put_back(line, words.glued_spaces(line)) == fixed


@needs_dictionary
@pytest.mark.parametrize(
    "line",
    [
        "nicht am Mangel des Verstandes, sondern der",  # German: "Man" + "gel" to an English list
        "the NASAJPL team and the rest",  # capitals: an acronym
        "ingprocedures of value for interviewing Russians",  # may end a word of the line before
        "the widow she didn't scold, but",
    ],
)
def test_the_dictionary_leaves_other_lines_alone(line):
    assert words.glued_spaces(line) == []


@needs_dictionary
def test_a_space_is_put_back_only_where_the_print_has_a_gap():
    # Epson printout (300 dpi): the contents box prints "6 Accuracy" and "4.4 Application-specific"
    # with a space; RapidOCR read both without it.
    epson = gray("ocrmypdf-epson.png")
    text = "6Accuracy"
    box = LineBox(285.6, 2472.4, 606.7, 2531.6)
    assert respace(text, info(text, [[7, 12, 15, 17, 20, 23, 25, 28, 30]], 32.64), epson, box) == [1]
    text = "4.4Application-specific optimisations"
    cols = [
        [6, 8, 10, 15, 18, 21, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 45, 47, 49, 51, 52, 54],
        [57, 60, 62, 64, 66, 69, 71, 73, 75, 77, 78, 81, 83],
    ]
    box = LineBox(407.4, 2196.3, 1335.2, 2264.2)
    assert respace(text, info(text, cols, 85.0), epson, box) == [3]
    # LinnSequencer brochure: "aftertouch" is printed solid, though "after" + "touch" are words.
    text = "including pitch bend, modulation, velocity, aftertouch,"
    assert words.glued_spaces(text) == [49]
    cols = [
        [2, 4, 6, 8, 10, 13, 15, 17, 20],
        [24, 26, 28, 30, 32],
        [37, 39, 42, 45, 47],
        [51, 55, 58, 60, 63, 65, 67, 69, 71, 73, 76],
        [79, 81, 83, 85, 88, 90, 91, 93, 95],
        [98, 101, 103, 104, 106, 108, 110, 113, 116, 118, 121],
    ]
    box = LineBox(337.1, 1885.1, 1172.8, 1930.5)
    assert respace(text, info(text, cols, 122.0), gray("ocrmypdf-linn.png"), box) == []


def test_without_word_columns_nothing_is_put_back():
    text = "6Accuracy"
    assert respace(text, None, gray("ocrmypdf-epson.png"), LineBox(285.6, 2472.4, 606.7, 2531.6)) == []


@needs_dictionary
def test_a_narrow_space_before_a_hyphenated_word_is_put_back():
    # Harvard refugee report (scribe-multicol-05 in the benchmark corpus, not committed): "...
    # Project¹, indicating proce-" with a narrow space (4 px against 8 at the read spaces, letters
    # 2 px apart), read "indicatingproce-".
    page = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus" / "pages" / "scribe-multicol-05.jpg"
    if not page.is_file():
        pytest.skip("the benchmark corpus is not fetched")
    text = "Refugee Interview Project¹, indicatingproce-"
    cols = [
        [3, 6, 8, 10, 13, 15, 18],
        [22, 24, 26, 28, 31, 34, 36, 38, 41],
        [46, 49, 52, 54, 56, 59, 61, 64, 65],
        [67, 69, 72, 74, 76, 79, 81, 83, 85, 88, 91, 94, 97, 99, 102, 105],
    ]
    g = np.asarray(Image.open(page).convert("L"))
    assert respace(text, info(text, cols, 107.0), g, LineBox(246.0, 197.0, 637.0, 219.0)) == [38]
