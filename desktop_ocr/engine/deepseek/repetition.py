"""Detecting a page whose output has fallen into a loop, so its slot can be given to the next page.

Public API: :func:`loop_at`, :class:`LoopGuard`, :data:`DEFAULT_LOOP`.

DeepSeek-OCR sometimes repeats one line or one cell for the rest of its token budget (9 % of the
newspaper scans of deepseek-ai/DeepSeek-OCR#151; blank pages and repeated lines, #160): such a page
then burns all 8192 tokens. A loop here is the plainest form of it: the last ``span`` generated tokens
equal the ``span`` tokens one period ``p`` earlier, for some period ``p <= max_period`` and
``span >= max(min_span, 3 * p)`` - the same n-gram of ``p`` tokens written four times or more, over at
least ``min_span`` tokens. The n-gram bans make short exact loops impossible outside whitelisted
tokens, so what is caught in practice is a line (or a table row) written again and again. A real
table of many identical empty rows looks the same; ``min_span`` (384 tokens by default, about 40
empty rows of five cells) keeps ordinary forms clear of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: (min_span, max_period) of the default guard.
DEFAULT_LOOP = (384, 128)


@dataclass(frozen=True, slots=True)
class Loop:
    """A detected loop: its period (tokens) and how many tokens at the end repeat it."""

    period: int
    span: int


def loop_at(tokens: Sequence[int], min_span: int, max_period: int) -> Loop | None:
    """The loop the end of ``tokens`` is in (the shortest period), or None (see the module docstring)."""
    max_period = max(1, int(max_period))
    need_longest = max(int(min_span), 3 * max_period)
    if len(tokens) < int(min_span) + 1:
        return None
    tail = np.asarray(tokens[-(need_longest + max_period) :], dtype=np.int64)
    n = tail.shape[0]
    periods = np.arange(1, min(max_period, n - 1) + 1)
    periods = periods[np.maximum(int(min_span), 3 * periods) + periods <= n]
    # A period must repeat the last few tokens (every span checked below covers them): one vectorised
    # pass over all periods first, so a page that does not loop costs ~20 us, not 128 slice compares.
    for j in range(1, min(8, max(int(min_span), 3)) + 1):
        if not periods.size:
            return None
        periods = periods[tail[n - j - periods] == tail[n - j]]
    for p in (int(x) for x in periods):
        need = max(int(min_span), 3 * p)
        same = tail[n - need :] == tail[n - need - p : n - p]
        if same.all():
            # How far back it goes (within what was looked at).
            back = tail[p:] == tail[:-p]
            run = int(np.argmin(back[::-1])) if not back.all() else back.shape[0]
            return Loop(p, max(run, need))
    return None


class LoopGuard:
    """Checks a growing token list every ``every`` tokens; ``check`` returns the loop once found."""

    def __init__(self, min_span: int, max_period: int, every: int = 32) -> None:
        self.min_span, self.max_period, self.every = int(min_span), int(max_period), max(1, int(every))

    def check(self, tokens: Sequence[int]) -> Loop | None:
        n = len(tokens)
        if n <= self.min_span or n % self.every:
            return None
        return loop_at(tokens, self.min_span, self.max_period)
