"""glibc's malloc and the embedded engine's pages: large blocks from the heap, the page's freed
memory handed back to the system once it is read.

A page's large buffers (its images, the detector's tensors, each line's class scores: 115 steps x
18,710 classes, 8.6 MB) would each be mapped afresh and unmapped when freed under glibc's default
policy (every block over its threshold, dynamic and at most 32 MiB; the top of its heaps handed
back once over twice that): on a spread, 640,000 page faults and a CPU second of system time.
:func:`reuse_freed_memory` has them come from the heap and stay there while the page is read.

Where the C library is not glibc (Windows, macOS, musl), nothing here does anything: their
allocators keep their own policies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

#: Blocks up to this size come from the heap, and its freed top is kept until handed back.
HEAP_BLOCKS_UP_TO = 1 << 30


@functools.cache
def _glibc() -> Any:
    """The C library when it is glibc (it has ``mallopt`` and ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt.argtypes, libc.malloc_trim.argtypes = [ctypes.c_int, ctypes.c_int], [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc (Windows, macOS, musl): its own policy stays
        return None
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
    """Return the free memory of glibc's heaps to the system (after a page: the memory held
    between pages is less than before :func:`reuse_freed_memory`, 400 against 800 MB after a
    spread)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
