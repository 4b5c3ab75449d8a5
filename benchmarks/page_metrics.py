"""Text metrics for whole-page OCR output: Markdown to comparable text, CER, WER, bag-of-words error.

Used by ``bench_real_pages.py`` and its unit test. No project imports: the metric does not depend on
the code it measures.

Normalisation (applied to the engine's Markdown and, minus the Markdown steps, to the ground truth):

1. Markdown to text: figure links ``![alt](...)`` and ``<img>`` tags are dropped; HTML tags become
   spaces (``<br>``, ``</p>``, ``</tr>`` become line breaks) and entities are decoded; pipe tables lose
   their ``|`` and delimiter rows; code fences go; heading ``#`` marks, block quotes ``>``, list
   bullets (``-``, ``*``, ``+``, ``•``, ``·``, ``▪``) at the start of a line, emphasis ``**``/``__``,
   single ``*``/``_`` that wrap a word, and backslash escapes are removed; page separators
   (``<--- Page Split --->``, a line of ``---``) go.
2. Ground truth: lines starting with ``@furniture `` (running headers, footers, page numbers) and
   ``@caption `` (figure captions) keep their text and lose the marker; list bullets go as above.
3. Unicode NFC; a word hyphenated at a line end is joined when the next line starts with a lower-case
   letter ("be-" / "have" -> "behave"; the app's Markdown joins them, print does not), also over one
   blank line (a word split at a column's end, "sup-" / "ply", in a ground truth whose columns are
   blocks, or in Markdown that ends a paragraph there), keeping the hyphen of a compound (the word
   after it has a hyphen of its own: "scratched-" / "but-handsome"). A word the ground truth
   hyphenates so may be written with its hyphen in an output and counts as the joined word
   (``hyphen_joins``: a printed line-end hyphen may be a compound's, "machine-" / "encoded").
   Every run of
   whitespace (line breaks included) becomes one space; ends trimmed.

That gives the *sensitive* text (case and punctuation count). The *folded* text is the sensitive text
case-folded, with typographic quotes, dashes and the like mapped to ASCII, and every character that is
neither a letter, a digit nor a space removed (then whitespace collapsed again).

CER = Levenshtein(reference, hypothesis) / len(reference), over the whole page (so reading order
counts: a column read in the wrong place costs its length twice). WER is the same over words.
The bag-of-words error ignores order: 1 - |GT words ∩ output words| (multiset) / |GT words|; a page
whose CER is high but whose bag-of-words error is low was recognised but read in the wrong order.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

try:
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.fuzz import partial_ratio_alignment as _partial
except ImportError:  # the "bench" extra is missing: a slow but equal pure-Python distance
    Levenshtein = None  # type: ignore[assignment]
    _partial = None  # type: ignore[assignment]

FURNITURE = "@furniture "
CAPTION = "@caption "

_FIG_MD = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_BREAK_TAG = re.compile(r"<\s*(br|/p|/tr|/h[1-6]|/li|/div|/table|/thead|/tbody)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>\n]{1,200}>")
_SEP = re.compile(r"(?m)^\s*<-+\s*Page Split\s*-+>\s*$")
_RULE = re.compile(r"(?m)^\s*([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"(?m)^\s*(```|~~~).*$")
_PIPE_DELIM = re.compile(r"(?m)^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"(?m)^\s{0,3}#{1,6}\s+")
_QUOTE = re.compile(r"(?m)^\s{0,3}>\s?")
_BULLET = re.compile(r"(?m)^\s*[-*+•·▪◦●]\s+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EM = re.compile(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_WS = re.compile(r"\s+")
#: A word broken at a line end ("wa-" / "ter"): joined on both sides, since the app's Markdown
#: joins such words and printed pages (so the ground truth) do not. "-" and U+00AD count; a dash
#: before a capital or a digit is kept (FAST-\nFORWARD stays).
#: Not where the hyphen is a compound's own joint, kept in print and in the app's Markdown: the word
#: after it has a hyphen of its own ("scratched-" / "but-handsome"); the parts then join without
#: a space. (A hyphen in the word before it says nothing: "once-lumi-" / "nous".)
_LINE_HYPHEN = re.compile(r"(\w)([-\u00ad])[ \t]*\n(?:[ \t]*\n)?[ \t]*(?=([a-zà-öø-ÿſ]\S*))")


def _join_hyphen(m: re.Match[str]) -> str:
    compound = m.group(2) == "-" and "-" in m.group(3).rstrip("-")
    return m.group(1) + ("-" if compound else "")


#: Historical German writes the umlaut as a small e above the vowel (U+0364).
_OLD_UMLAUT = re.compile("([aouAOU])\u0364")
_UMLAUT = {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}

_ASCII = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
        "“": '"', "”": '"', "„": '"', "″": '"', "«": '"', "»": '"',
        "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
        "ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl",
        "½": " 1/2", "¼": " 1/4", "¾": " 3/4",
        "ſ": "s",
    }
)  # fmt: skip


def _distance(a: str | list[str], b: str | list[str]) -> int:
    """Levenshtein distance (unit costs) of two strings or two lists of words."""
    if Levenshtein is not None:
        return int(Levenshtein.distance(a, b))
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _similarity(a: str, b: str) -> float:
    """1 - distance / the longer length (1.0 for two empty strings)."""
    longest = max(len(a), len(b))
    return 1.0 - _distance(a, b) / longest if longest else 1.0


def markdown_to_plain(markdown: str) -> str:
    """Step 1 of the normalisation: the text a reader sees in the Markdown, line breaks kept."""
    t = markdown.replace("\r\n", "\n").replace("\r", "\n")
    t = _SEP.sub("\n", t)
    t = _FENCE.sub("", t)
    t = _FIG_MD.sub(" ", t)
    t = _IMG.sub(" ", t)
    t = _BREAK_TAG.sub("\n", t)
    t = _TAG.sub(" ", t)
    t = html.unescape(t)
    t = _PIPE_DELIM.sub("", t)
    t = _RULE.sub("", t)
    t = "\n".join(
        line.strip().strip("|").replace("|", " ") if "|" in line else line for line in t.split("\n")
    )
    t = _HEADING.sub("", t)
    t = _QUOTE.sub("", t)
    t = _BULLET.sub("", t)
    for _ in range(2):
        t = _STRONG.sub(r"\2", t)
    t = _EM.sub(r"\2", t)
    t = _ESCAPE.sub(r"\1", t)
    return t


def gt_lines(gt: str, *, furniture: bool = True, captions: bool = True) -> list[str]:
    """The ground truth's lines with markers removed; marked lines dropped where asked."""
    out = []
    for line in gt.replace("\r\n", "\n").split("\n"):
        if line.startswith(FURNITURE):
            if not furniture:
                continue
            line = line[len(FURNITURE) :]
        elif line.startswith(CAPTION):
            if not captions:
                continue
            line = line[len(CAPTION) :]
        out.append(line)
    return out


def collapse(text: str) -> str:
    """Step 3: NFC, line-end hyphens joined, whitespace runs to one space."""
    text = unicodedata.normalize("NFC", text)
    return _WS.sub(" ", _LINE_HYPHEN.sub(_join_hyphen, text)).strip()


def gt_text(gt: str, *, furniture: bool = True, captions: bool = True) -> str:
    """The sensitive comparison text of a ground-truth file."""
    return collapse(_BULLET.sub("", "\n".join(gt_lines(gt, furniture=furniture, captions=captions))))


def hyp_text(markdown: str, joins: frozenset[str] = frozenset()) -> str:
    """The sensitive comparison text of an engine's Markdown (or plain text); a word of
    ``joins`` (:func:`hyphen_joins` of the page's ground truth) written with its hyphen counts as
    written without it, as the ground truth's text has it."""
    text = collapse(markdown_to_plain(markdown))
    for word in joins:
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", word.replace("-", "", 1), text)
    return text


def hyphen_joins(gt: str) -> frozenset[str]:
    """The words the ground truth hyphenates at a line end and :func:`collapse` joins
    ("machine-" / "encoded"), written with their hyphen ("machine-encoded"). A printed line-end
    hyphen is a word split or a compound's own hyphen ("machine-encoded", "long-term",
    "43-year-old"), which a transcription kept as printed cannot tell: an output may write either,
    and :func:`hyp_text` scores both alike (an engine that joins the lines and one that keeps
    them, as Tesseract's text does, are treated the same)."""
    text = unicodedata.normalize("NFC", "\n".join(gt_lines(gt)))
    out: set[str] = set()
    for m in _LINE_HYPHEN.finditer(text):
        if m.group(2) != "-" or _join_hyphen(m).endswith("-"):
            continue
        left = re.search(r"\w+$", text[: m.start(1) + 1])
        right = re.match(r"\w+", m.group(3))
        if left is not None and right is not None:
            out.add(f"{left.group(0)}-{right.group(0)}")
    return frozenset(out)


def fold(text: str) -> str:
    """Case and punctuation folded: letters, digits and single spaces only."""
    t = _OLD_UMLAUT.sub(lambda m: _UMLAUT[m.group(1)], text)
    t = unicodedata.normalize("NFKC", t.translate(_ASCII)).casefold()
    t = "".join(c if (c.isalnum() or c.isspace()) else " " for c in t)
    return _WS.sub(" ", t).strip()


@dataclass(frozen=True, slots=True)
class Score:
    """Edit counts and lengths for one page (sums of these give corpus-wide rates)."""

    char_edits: int
    ref_chars: int
    word_edits: int
    ref_words: int
    folded_edits: int
    folded_chars: int
    bow_missing: int

    @property
    def cer(self) -> float:
        return self.char_edits / max(1, self.ref_chars)

    @property
    def wer(self) -> float:
        return self.word_edits / max(1, self.ref_words)

    @property
    def cer_folded(self) -> float:
        return self.folded_edits / max(1, self.folded_chars)

    @property
    def bow_error(self) -> float:
        return self.bow_missing / max(1, self.ref_words)


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of two already-normalised texts."""
    return _distance(reference, hypothesis) / max(1, len(reference))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate of two already-normalised texts (words split on whitespace)."""
    ref = reference.split()
    return _distance(ref, hypothesis.split()) / max(1, len(ref))


def bag_of_words_missing(reference: str, hypothesis: str) -> int:
    """How many reference words (with multiplicity) the hypothesis lacks, in any order."""
    ref, hyp = Counter(reference.split()), Counter(hypothesis.split())
    return sum((ref - hyp).values())


def score(reference: str, hypothesis: str) -> Score:
    """All metrics for one page; both texts already normalised with :func:`gt_text`/:func:`hyp_text`."""
    ref_words = reference.split()
    f_ref, f_hyp = fold(reference), fold(hypothesis)
    return Score(
        char_edits=_distance(reference, hypothesis),
        ref_chars=len(reference),
        word_edits=_distance(ref_words, hypothesis.split()),
        ref_words=len(ref_words),
        folded_edits=_distance(f_ref, f_hyp),
        folded_chars=len(f_ref),
        bow_missing=bag_of_words_missing(f_ref, f_hyp),
    )


def drop_matching_lines(markdown: str, lines: list[str], threshold: float = 0.8) -> str:
    """The Markdown's text without what matches one of ``lines`` (the furniture and captions the GT
    marks), so that a score "without furniture" does not charge an engine for reading a running
    header. An output line whose folded text is within ``1 - threshold`` normalised edit distance of
    a marked line's goes; so does a stretch of a longer line that matches a marked line as well (two
    header items read as one line), found with rapidfuzz's partial alignment when it is installed."""
    targets = [collapse(x) for x in lines if fold(x)]
    if not targets:
        return markdown
    kept = []
    for line in markdown_to_plain(markdown).split("\n"):
        line = collapse(line)
        for t in targets:
            if not line:
                break
            if _similarity(fold(line), fold(t)) >= threshold:
                line = ""
            elif _partial is not None and len(line) > len(t):
                m = _partial(t, line, score_cutoff=100 * threshold)
                if m is not None and m.dest_end - m.dest_start >= threshold * len(t):
                    line = collapse(line[: m.dest_start] + " " + line[m.dest_end :])
        if line:
            kept.append(line)
    return "\n".join(kept)


def marked_lines(gt: str) -> list[str]:
    """The ground truth's furniture and caption lines, markers removed."""
    out = []
    for line in gt.split("\n"):
        for mark in (FURNITURE, CAPTION):
            if line.startswith(mark):
                out.append(line[len(mark) :])
    return out
