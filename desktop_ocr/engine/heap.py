"""glibc's malloc and the embedded engine's pages: large blocks from the heap, freed memory kept
while pages follow each other, handed back to the system once reading stops.

A page's large buffers (its images, the detector's tensors, each line's class scores) would each be
mapped afresh and unmapped when freed under glibc's default policy: on a spread, 640,000 page
faults and a CPU second of system time. :func:`reuse_freed_memory` has them come from the heap and
stay there. What a page freed is reused by the next page; handing it back after every page
(``malloc_trim``) has the next page fault it all in again: 890,000 faults and 2.0 s of system time
against 490,000 and 1.3 s over the same two spreads. :class:`HandBack` hands it back when the engine
has been idle for a while (``jemalloc`` returns its dirty pages after the same 10 s by default), or
at once when the heap holds more free memory than its cap.

Where the C library is not glibc (Windows, macOS, musl), nothing here does anything: their
allocators keep their own policies.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import threading
from collections.abc import Iterator
from typing import Any

import psutil

#: Blocks up to this size come from the heap, and its freed top is kept until handed back.
HEAP_BLOCKS_UP_TO = 1 << 30
#: Seconds without a page being read before the free memory is handed back (jemalloc's default
#: ``dirty_decay_ms`` is the same 10 s).
IDLE_SECONDS = 10.0
#: The most free memory the heap may keep between pages: an eighth of the machine's memory, at most
#: 2 GiB (a spread after a spread holds 1.0-1.3 GB free).
MAX_FREE_HELD = 2 << 30


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


@functools.cache
def _glibc() -> Any:
    """The C library when it is glibc (it has ``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes, libc.malloc_trim.argtypes = [ctypes.c_int, ctypes.c_int], [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc (Windows, macOS, musl): its own policy stays
        return None
    try:
        libc.mallinfo2.restype = _MallInfo2  # glibc 2.33 or later
    except AttributeError:
        pass
    return libc


def reuse_freed_memory() -> bool:
    """Set glibc's malloc to keep blocks of up to :data:`HEAP_BLOCKS_UP_TO` on its heap and the
    freed top of its heaps until :func:`hand_back_memory`; False where it is not glibc's. The
    output is the same (the same computation in memory allocated elsewhere)."""
    libc = _glibc()
    if libc is None:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_mmap_threshold, HEAP_BLOCKS_UP_TO)) and bool(
        libc.mallopt(m_trim_threshold, HEAP_BLOCKS_UP_TO)
    )


def hand_back_memory() -> None:
    """Return the free memory of glibc's heaps to the system."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def mallinfo() -> Any:
    """glibc's ``mallinfo2()`` (``arena``, ``hblkhd``, ``fordblks``... in bytes, every arena), None
    where it cannot be had (not glibc, or older than 2.33)."""
    libc = _glibc()
    if libc is None or not hasattr(libc, "mallinfo2"):
        return None
    return libc.mallinfo2()


def free_held() -> int | None:
    """Bytes free in glibc's heaps (``mallinfo2().fordblks``), None where that cannot be known.
    This counts free memory already handed back as well (it stays in the heap's address space): an
    upper bound of what is held, not what is resident."""
    info = mallinfo()
    return None if info is None else int(info.fordblks)


def default_cap() -> int:
    """:data:`MAX_FREE_HELD`, or an eighth of the machine's memory where that is less."""
    return min(MAX_FREE_HELD, int(psutil.virtual_memory().total) // 8)


class HandBack:
    """When the free memory of the heap goes back to the system: :meth:`busy` when reading starts,
    :meth:`page_read` after each page (at once if the heap holds more than ``cap`` free, or if how
    much it holds cannot be known), :meth:`idle` when reading stops (``seconds`` later, unless
    reading starts again first), :meth:`now` when the engine is unloaded; :meth:`reading` is
    ``busy`` then ``idle`` around a block. Thread-safe."""

    def __init__(self, seconds: float = IDLE_SECONDS, cap: int | None = None) -> None:
        self.seconds = seconds
        self.cap = default_cap() if cap is None else cap
        self._lock = threading.Lock()
        self._busy = 0
        self._timer: threading.Timer | None = None
        #: How many times memory was handed back (for tests and benchmarks).
        self.count = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        self.busy()
        try:
            yield
        finally:
            self.idle()

    def busy(self) -> None:
        with self._lock:
            self._busy += 1
            self._cancel_timer()

    def page_read(self) -> None:
        held = free_held()
        if held is None or held > self.cap:
            self._hand_back()

    def idle(self) -> None:
        with self._lock:
            self._busy = max(0, self._busy - 1)
            if self._busy or self._timer is not None:
                return
            if self.seconds > 0:
                self._timer = threading.Timer(self.seconds, self._when_idle)
                self._timer.daemon = True
                self._timer.name = "ocr-hand-back"
                self._timer.start()
                return
        self._hand_back()

    def now(self) -> None:
        with self._lock:
            self._cancel_timer()
        self._hand_back()

    def _cancel_timer(self) -> None:
        """Under the lock."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _when_idle(self) -> None:
        with self._lock:
            if self._busy or self._timer is not threading.current_thread():
                return  # reading started again (or this timer was replaced)
            self._timer = None
        self._hand_back()

    def _hand_back(self) -> None:
        hand_back_memory()
        self.count += 1
