"""Words an engine was unsure of: from its character or token confidences to words of the page text. No Qt.

Engines give confidences for what they produced (RapidOCR: one per character of a line; DeepSeek-OCR:
the probability of each generated token). :func:`scored_words` turns per-character confidences of a
text into :class:`~desktop_ocr.model.result.ScoredWord` s (a word is as sure as its least sure
character); :func:`carry_over` moves them onto another text made from the first (the engine's raw
output -> its Markdown, or the Markdown -> the user's corrected text): a word keeps its score only
where the other text has the same word in the same place of the word sequence, so a word the user
corrected (or that the Markdown clean-up rewrote) is no longer marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from desktop_ocr.model.result import ScoredWord

if TYPE_CHECKING:
    from desktop_ocr.model.document import Page

#: Words scored at least this sure are not stored with a result (they would never be marked).
KEPT_BELOW = 0.95
#: Words scored below this are marked as uncertain by default (Settings: ``uncertain_below``).
DEFAULT_THRESHOLD = 0.85

#: One CJK ideograph or kana (those scripts put no spaces between words), or a run of letters and
#: digits with inner apostrophes or hyphens ("don't", "well-known").
WORD_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
    r"|[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
    r"(?:['’\-][^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)*"
)


def words_of(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every word of ``text``, in order."""
    return [m.span() for m in WORD_RE.finditer(text)]


def scored_words(text: str, char_scores: Sequence[float], below: float = KEPT_BELOW) -> list[ScoredWord]:
    """The words of ``text`` whose least sure character scores under ``below``.

    ``char_scores`` has one confidence (0..1) per character of ``text``; a punctuation mark
    touching a word counts for that word (a doubtful comma after a word marks the word)."""
    if len(char_scores) != len(text):
        raise ValueError(f"{len(char_scores)} scores for {len(text)} characters")
    out: list[ScoredWord] = []
    for start, end in words_of(text):
        lo, hi = start, end
        while lo > 0 and not text[lo - 1].isspace() and not _is_word_char(text[lo - 1]):
            lo -= 1
        while hi < len(text) and not text[hi].isspace() and not _is_word_char(text[hi]):
            hi += 1
        score = min(char_scores[lo:hi])
        if score < below:
            out.append(ScoredWord(start, end, round(max(0.0, min(1.0, float(score))), 3)))
    return out


def _is_word_char(ch: str) -> bool:
    return bool(WORD_RE.match(ch))


def carry_over(source: str, words: Sequence[ScoredWord], target: str) -> list[ScoredWord]:
    """``words`` (of ``source``) placed on ``target``: each word that ``target`` keeps unchanged,
    at the same place of the word sequence, keeps its score; the others are dropped."""
    if not words:
        return []
    if source == target:
        return list(words)
    src = words_of(source)
    dst = words_of(target)
    scored = {(w.start, w.end): w.score for w in words}
    matcher = SequenceMatcher(
        None, [source[a:b] for a, b in src], [target[a:b] for a, b in dst], autojunk=False
    )
    out: list[ScoredWord] = []
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag != "equal":
            continue
        for k in range(i2 - i1):
            score = scored.get(src[i1 + k])
            if score is not None:
                start, end = dst[j1 + k]
                out.append(ScoredWord(start, end, score))
    return out


def token_char_scores(pieces: Sequence[tuple[str, float]]) -> tuple[str, list[float]]:
    """The text of decoded pieces and one score per character: each character gets its piece's
    score (a piece is the text one or more tokens added, with the least sure of their probabilities)."""
    text_parts: list[str] = []
    scores: list[float] = []
    for piece, score in pieces:
        text_parts.append(piece)
        scores.extend([score] * len(piece))
    return "".join(text_parts), scores


def page_words(page: Page) -> list[ScoredWord]:
    """The uncertain words of the page's current text: its result's, where the user left them."""
    result = page.result
    if result is None or not result.words:
        return []
    return carry_over(result.markdown, result.words, page.text)
