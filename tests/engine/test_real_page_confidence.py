"""The embedded engine's word confidences on a real scan (tests/data/real): the words it marks
doubtful are words of the page's Markdown, and its misreads are among them."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_ocr.engine.base import PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.model.confidence import DEFAULT_THRESHOLD, KEPT_BELOW, words_of
from desktop_ocr.model.document import SourceKind
from desktop_ocr.model.result import PageResult
from desktop_ocr.model.sources import render_page

REAL = Path(__file__).resolve().parents[2] / "tests" / "data" / "real"


@pytest.fixture(scope="module")
def linn() -> tuple[PageResult, set[str]]:
    """The LinnSequencer sheet (300 dpi, two columns, a few accented misreads) and its words."""
    name = "ocrmypdf-linn.png"
    if not (REAL / name).is_file():
        pytest.skip("the real-scan corpus (tests/data/real) is not here")
    engine = EmbeddedEngine({"threads": 2})
    engine.load()
    try:
        [result] = engine.read([PageInput(name, render_page(str(REAL / name), SourceKind.IMAGE, 0))])
    finally:
        engine.unload()
    assert isinstance(result, PageResult), result
    truth = (REAL / "ocrmypdf-linn.gt.txt").read_text(encoding="utf-8")
    return result, {truth[a:b] for a, b in words_of(truth)}


def test_the_engine_gives_word_confidences_on_the_words_of_its_markdown(linn):
    result, _truth = linn
    words = result.words
    assert len(words) >= 5
    spans = set(words_of(result.markdown))
    for w in words:
        assert (w.start, w.end) in spans, result.markdown[w.start : w.end]
        assert 0.0 <= w.score < KEPT_BELOW
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert PageResult.from_json(result.to_json()).words == words


def test_misreads_are_marked_far_more_often_than_correct_words(linn):
    result, truth = linn
    doubtful = {(w.start, w.end) for w in result.words if w.score < DEFAULT_THRESHOLD}
    spans = words_of(result.markdown)
    wrong = [s for s in spans if result.markdown[s[0] : s[1]] not in truth]
    marked_wrong = [s for s in wrong if s in doubtful]
    assert marked_wrong, "no misread word is marked"
    share_marked = len(marked_wrong) / len(doubtful)
    share_unmarked = (len(wrong) - len(marked_wrong)) / (len(spans) - len(doubtful))
    assert share_marked > 3 * share_unmarked, (share_marked, share_unmarked)
