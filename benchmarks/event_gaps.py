"""What the GUI thread did during its long event-loop gaps (for the GUI benchmarks' ``--explain``).

A 5 ms heartbeat QTimer finds the gaps; a profile hook on the GUI thread (``sys.setprofile``, this
thread only) records every Python handler the event loop ran (a slot, an event handler, a timer's
callback: a frame called by Qt from inside the benchmark's ``pump``/``wait_for``) with its wall and
CPU time. For each gap over the threshold it reports the gap's wall time, the CPU time the GUI
thread used in it (``time.thread_time``; far below the wall time means the thread was waiting: for
the GIL or for a core, not working) and the handlers that ran in it.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

_LOOPS = {"pump", "wait_for"}


def _sched() -> tuple[float, float]:
    """This thread's CPU time and its time waiting for a core (run queue), seconds (Linux)."""
    try:
        with open("/proc/thread-self/schedstat") as f:
            run, wait, _ = f.read().split()
        return int(run) / 1e9, int(wait) / 1e9
    except (OSError, ValueError):
        return time.thread_time(), 0.0


@dataclass
class Gap:
    start: float
    wall: float
    cpu: float
    queued: float = 0.0  # runnable, waiting for a core
    handlers: list[tuple[str, float, float]] = field(default_factory=list)  # name, wall, cpu

    def line(self) -> str:
        top = sorted(self.handlers, key=lambda h: -h[1])[:4]
        what = ", ".join(f"{name} {w * 1000:.0f} ms (cpu {c * 1000:.0f})" for name, w, c in top)
        blocked = max(0.0, self.wall - self.cpu - self.queued)
        return (
            f"gap {self.wall * 1000:6.0f} ms: GUI thread ran {self.cpu * 1000:4.0f} ms, waited for a core"
            f" {self.queued * 1000:4.0f} ms, slept {blocked * 1000:4.0f} ms (GIL, locks):"
            f" {what or 'no Python handler (Qt/C++ work or waiting)'}"
        )


class GapExplainer:
    def __init__(self, threshold_s: float = 0.1, interval_ms: int = 5) -> None:
        from PySide6.QtCore import QTimer

        self.threshold = threshold_s
        self.interval = interval_ms / 1000
        self.gaps: list[Gap] = []
        self._handlers: list[tuple[float, str, float, float]] = []  # end, name, wall, cpu
        self._stack: list[tuple[object, float, float]] = []
        self._last = time.perf_counter()
        self._last_cpu, self._last_queued = _sched()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        sys.setprofile(self._profile)

    def stop(self) -> None:
        sys.setprofile(None)
        self._timer.stop()

    def _profile(self, frame, event, _arg) -> None:  # type: ignore[no-untyped-def]
        if event == "call":
            back = frame.f_back
            if back is not None and back.f_code.co_name in _LOOPS:
                self._stack.append((frame, time.perf_counter(), time.thread_time()))
        elif event == "return" and self._stack and self._stack[-1][0] is frame:
            _, t0, c0 = self._stack.pop()
            now = time.perf_counter()
            if now - t0 > 0.002:
                code = frame.f_code
                name = f"{code.co_qualname}" if hasattr(code, "co_qualname") else code.co_name
                self._handlers.append((now, name, now - t0, time.thread_time() - c0))

    def _tick(self) -> None:
        now = time.perf_counter()
        cpu, queued = _sched()
        gap = now - self._last - self.interval
        if gap > self.threshold:
            found = Gap(self._last, now - self._last, cpu - self._last_cpu, queued - self._last_queued)
            found.handlers = [(n, w, c) for end, n, w, c in self._handlers if end >= self._last]
            self.gaps.append(found)
        self._handlers = [h for h in self._handlers if h[0] >= now - 1.0]
        self._last, self._last_cpu, self._last_queued = now, cpu, queued

    def report(self, worst: int = 8) -> str:
        if not self.gaps:
            return f"no event-loop gap over {self.threshold * 1000:.0f} ms"
        gaps = sorted(self.gaps, key=lambda g: -g.wall)[:worst]
        wall = sum(g.wall for g in self.gaps)
        cpu = sum(g.cpu for g in self.gaps)
        queued = sum(g.queued for g in self.gaps)
        head = (
            f"{len(self.gaps)} gaps over {self.threshold * 1000:.0f} ms: {wall:.1f} s in all; the GUI thread"
            f" ran {100 * cpu / wall:.0f}% of it, waited for a core {100 * queued / wall:.0f}%, slept"
            f" {100 * max(0.0, wall - cpu - queued) / wall:.0f}% (GIL, locks); the longest:"
        )
        return "\n".join([head] + ["  " + g.line() for g in gaps])
