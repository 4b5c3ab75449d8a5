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
