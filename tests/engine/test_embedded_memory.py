"""The embedded engine's large buffers (a page's images, the detector's tensors, each line's class
scores) come from glibc's heap rather than a fresh mapping each, and what a page freed is handed
back to the system once it is read: the same reading at less system time, and less memory held
between pages (see ``engine.heap``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.engine.base import PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine

LINN = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-linn.png"


def glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2  # noqa: B018 (glibc 2.33 or later)
    except (OSError, AttributeError):
        return None
    return libc


LIBC = glibc()
pytestmark = pytest.mark.skipif(LIBC is None, reason="glibc's malloc only")


class MallInfo2(ctypes.Structure):
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


def mapped_bytes() -> int:
    """The bytes glibc's malloc holds in blocks mapped one by one (``mallinfo2().hblkhd``)."""
    assert LIBC is not None
    LIBC.mallinfo2.restype = MallInfo2
    return int(LIBC.mallinfo2().hblkhd)


def resident_mib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20


def test_a_large_buffer_comes_from_the_heap(engine):
    before = mapped_bytes()
    buffer = np.ones(48 << 20, dtype=np.uint8)  # over glibc's largest threshold of its own (32 MiB)
    grown = mapped_bytes() - before
    del buffer
    assert grown < 1 << 20, grown


def test_a_page_read_hands_its_memory_back():
    """Held after a 300-dpi Letter page: 60 MB more than before it, against 390 MB before the page's
    free memory was handed back."""
    engine = EmbeddedEngine({"threads": 2})
    engine.load()
    try:
        page = Image.open(LINN).convert("RGB")
        before = resident_mib()
        [result] = engine.read([PageInput("linn", page)])
        after = resident_mib()
    finally:
        engine.unload()
    assert result.markdown
    assert after - before < 150, (before, after)
