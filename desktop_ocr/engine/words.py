"""Is it a word? For the few joins the reading order cannot decide from the page alone. No Qt.

A line-end hyphen is a word split (``digi-`` / ``tise``), a compound's own hyphen
(``scratched-`` / ``but-handsome``) or a dash the recogniser read as a hyphen (``shoots-`` /
``he``); a drop cap is a word's first letter (``T`` + ``HE``) or a word of its own (``I`` +
``LIKE``). Where the page's geometry cannot tell, the English Hunspell dictionary the
``spelling`` extra ships (``desktop_ocr.spelling``, en_US) does: loaded once, on first use
(about 0.5 s of CPU), and kept. Without that extra :func:`known` answers None and the callers
fall back to their rules.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

#: The dictionary asked (English: the one-letter words I, A, O and the hyphenation questions are
#: English ones; a word of another language is unknown to it, and unknown words keep the rules).
LANGUAGE = "en_US"

_lock = threading.Lock()


@cache
def _speller() -> Any:
    """The loaded dictionary, or None (no ``spelling`` extra, or a broken one: logged once)."""
    try:
        from desktop_ocr import spelling

        if LANGUAGE not in spelling.available():
            return None
        speller = spelling.Speller((LANGUAGE,))
        failed = speller.load()
    except Exception:  # a broken spelling install never stops reading
        log.exception("The English dictionary could not be loaded")
        return None
    return None if failed else speller


def warm_up() -> None:
    """Load the dictionary now, in a thread of its own (the engine calls this when it loads, so
    that the first page does not wait for it)."""
    if _speller.cache_info().currsize == 0:
        threading.Thread(target=known, args=("the",), name="ocr-dictionary", daemon=True).start()


def known(word: str) -> bool | None:
    """Whether ``word`` (letters, any case) is an English word; None when no dictionary is
    installed (or ``word`` is empty)."""
    word = word.strip()
    if not word:
        return None
    with _lock:  # the first call loads the dictionary; one engine thread at a time asks
        speller = _speller()
        if speller is None:
            return None
        return bool(speller.known(word) or speller.known(word.lower()) or speller.known(word.capitalize()))


#: The short words a glued pair may hold (the recogniser drops the space before "a", "is", "of"):
#: any other part must have three letters or more, since the dictionary knows odd short words
#: ("ti", "es", "ng") that would cut real words into pieces.
_SHORT = frozenset(
    [
        "a",
        "i",
        "an",
        "as",
        "at",
        "be",
        "by",
        "do",
        "go",
        "he",
        "if",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "of",
        "on",
        "or",
        "so",
        "to",
        "up",
        "us",
        "we",
    ]
)
#: Letters of a word: the token without the punctuation around it.
_CORE = re.compile(r"^([(\[“‘\"']*)([A-Za-z]+)([.,;:!?)\]”’\"'-]*)$")
#: A number glued to the word after it ("6Accuracy", "4.4Application-specific").
_NUMBER_WORD = re.compile(r"^(\d+(?:[.,]\d+)*)([A-Z][a-z]{2,})(-[A-Za-z]+)*[.,;:]?$")
#: Share of a line's words that must be English for a glued pair to be split in it: a line of
#: another language is left as read ("Mangel" is "Man" + "gel" to the English dictionary).
ENGLISH_SHARE = 0.6


def _part_ok(part: str) -> bool:
    return (len(part) >= 3 or part.lower() in _SHORT) and bool(known(part))


def _split_point(core: str) -> int | None:
    """Where ``core`` (letters, no dictionary word) is two words joined, or None: both parts words
    (see :data:`_SHORT`), the second in lower case; the longest first part wins."""
    for k in range(len(core) - 1, 0, -1):
        left, right = core[:k], core[k:]
        if right.islower() and _part_ok(left) and _part_ok(right):
            return k
    return None


def _split_before_fragment(core: str) -> int | None:
    """Where ``core``, the part of a word hyphenated at the line's end ("indicatingproce-"), is a
    whole word and the start of the next one: the first part a word of four letters or more, the
    rest (which the next line ends) lower case; the longest first part wins."""
    for k in range(len(core) - 2, 3, -1):
        if core[k:].islower() and known(core[:k]):
            return k
    return None


def glued_spaces(line: str) -> list[int]:
    """Offsets in ``line`` (one recognised line) where the recogniser lost the space between two
    words ("indicatingprocedures", "essentiallya", "6Accuracy"), checked with the English
    dictionary; empty without the dictionary or on a line that is not English. A line's first word
    in lower case is left alone (it may end a word hyphenated on the line before), and so are
    words in capitals (acronyms) and any word the dictionary knows."""
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    if not tokens or known("the") is None:
        return []
    cores = [(start, tok, _CORE.match(tok)) for start, tok in tokens]
    words_ = [m.group(2) for _s, _t, m in cores if m and len(m.group(2)) >= 2]
    english = sum(1 for w in words_ if known(w))
    is_english = len(words_) >= 3 and english >= ENGLISH_SHARE * len(words_)
    out: list[int] = []
    for n, (start, tok, m) in enumerate(cores):
        number = _NUMBER_WORD.match(tok)
        if number and _part_ok(number.group(2)):
            out.append(start + number.end(1))
            continue
        if not is_english or m is None:
            continue
        core = m.group(2)
        if len(core) < 5 or core.isupper() or known(core) or (n == 0 and core[0].islower()):
            continue
        k = _split_point(core)
        if k is None and n == len(cores) - 1 and tok.endswith("-"):
            k = _split_before_fragment(core)
        if k is not None:
            out.append(start + m.end(1) + k)
    return out
