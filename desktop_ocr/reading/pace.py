"""The one seconds-per-page estimator: measured from page completions, paused time left out."""

from __future__ import annotations

import collections
import time
from collections.abc import Callable

#: Completions the estimate averages over (several batches of a batching engine).
WINDOW = 20


class Pace:
    """Seconds per page from the times pages finished (a throughput, so pages read side by side count
    once each), and the ETA of the pages left. Before the first measured page: the engine's estimate.

    Not thread-safe: one owner (the reading loop) calls it.
    """

    def __init__(self, estimate: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._estimate = max(0.1, estimate)
        self._stamps: collections.deque[float] = collections.deque(maxlen=WINDOW + 1)
        self._paused_at: float | None = None
        self._paused_total = 0.0

    def _now(self) -> float:
        """The clock without the time spent paused."""
        now = self._paused_at if self._paused_at is not None else self._clock()
        return now - self._paused_total

    def reset(self, estimate: float) -> None:
        """A new engine: forget the measurements."""
        self._estimate = max(0.1, estimate)
        self._stamps.clear()

    def start(self) -> None:
        """Pages are being read (again): the next completion is measured from now."""
        if not self._stamps:
            self._stamps.append(self._now())

    def stop(self) -> None:
        """Nothing is being read: the idle time until the next :meth:`start` is not measured."""
        self._estimate = self.per_page
        self._stamps.clear()

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._clock()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_total += self._clock() - self._paused_at
            self._paused_at = None

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def page_done(self) -> None:
        self._stamps.append(self._now())

    @property
    def measured(self) -> bool:
        """A page was read since :meth:`start`: :attr:`per_page` is measured, not the engine's guess."""
        return len(self._stamps) >= 2

    @property
    def per_page(self) -> float:
        if len(self._stamps) < 2:
            return self._estimate
        return max(0.0, self._stamps[-1] - self._stamps[0]) / (len(self._stamps) - 1)

    @property
    def since_last(self) -> float:
        """Seconds (paused time left out) since the last page finished or reading started."""
        return max(0.0, self._now() - self._stamps[-1]) if self._stamps else 0.0

    def eta(self, remaining: int) -> float:
        """Seconds until ``remaining`` more pages are read, counting down between completions; -1
        (unknown) while the first page takes longer than the engine's guess. A page that takes longer
        than the measured pace raises it: pages take at least as long as this one already has."""
        if remaining <= 0:
            return 0.0
        elapsed = self.since_last
        per = self.per_page
        if elapsed > per and not self.measured:
            return -1.0
        per = max(per, elapsed)
        return max(0.0, per * remaining - elapsed)
