"""The embedded engine's large buffers (a page's images, the detector's tensors, each line's class
scores) come from glibc's heap rather than a fresh mapping each; what a page freed is kept for the
next page while pages follow each other, and handed back to the system once the engine has been
idle for a while, at once when the heap holds more free memory than its cap, and when the engine is
unloaded (see ``engine.heap``)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_ocr.engine import heap
from desktop_ocr.engine.base import PageInput
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.engine.heap import HandBack

LINN = Path(__file__).resolve().parents[1] / "data" / "real" / "ocrmypdf-linn.png"


pytestmark = pytest.mark.skipif(heap.mallinfo() is None, reason="glibc's malloc (2.33 or later) only")


def mallinfo():
    info = heap.mallinfo()
    assert info is not None
    return info


def mapped_bytes() -> int:
    """The bytes glibc's malloc holds in blocks mapped one by one (``mallinfo2().hblkhd``)."""
    return int(mallinfo().hblkhd)


def free_mib() -> int:
    """What glibc's heaps hold free, in MiB (``mallinfo2().fordblks``: resident or handed back)."""
    return int(mallinfo().fordblks) >> 20


def resident_mib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_large_buffer_comes_from_the_heap(engine):
    before = mapped_bytes()
    buffer = np.ones(48 << 20, dtype=np.uint8)  # over glibc's largest threshold of its own (32 MiB)
    grown = mapped_bytes() - before
    del buffer
    assert grown < 1 << 20, grown


def test_a_page_read_keeps_its_memory_for_the_next_page_and_hands_it_back_once_idle():
    """A 300-dpi Letter page frees some 700 MB; kept while pages follow each other (the next page
    reuses it rather than faulting it in again), handed back within 60 MB of before the page once
    the engine has been idle for ``hand_back_after`` seconds."""
    engine = EmbeddedEngine({"threads": 2, "hand_back_after": 1.0})
    engine.load()
    try:
        page = Image.open(LINN).convert("RGB")
        before = resident_mib()
        [result] = engine.read([PageInput("linn", page)])
        held, held_free = resident_mib(), free_mib()
        assert wait_for(lambda: resident_mib() - before < 150)
        after = resident_mib()
    finally:
        engine.unload()
    assert result.markdown
    assert held - before > 300 and held_free > 300, (before, held, held_free)
    assert after - before < 150, (before, held, after)


def test_unloading_the_engine_hands_its_memory_back():
    engine = EmbeddedEngine({"threads": 2, "hand_back_after": 3600})
    engine.load()
    page = Image.open(LINN).convert("RGB")
    before = resident_mib()
    try:
        engine.read([PageInput("linn", page)])
        held = resident_mib()
    finally:
        engine.unload()
    assert held - before > 300, (before, held)
    assert resident_mib() - before < 150, (before, held, resident_mib())


def test_reading_again_before_the_idle_time_is_up_keeps_the_memory():
    hand_back = HandBack(seconds=0.5, cap=1 << 40)
    hand_back.busy()
    hand_back.idle()
    time.sleep(0.2)
    hand_back.busy()  # the next page comes in before the 0.5 s are up
    time.sleep(0.6)
    assert hand_back.count == 0
    hand_back.idle()
    assert wait_for(lambda: hand_back.count == 1, 5)
    time.sleep(0.6)
    assert hand_back.count == 1  # once per idle spell


def test_a_heap_over_its_cap_hands_back_after_the_page():
    """With more free memory in the heap than the cap, the page's memory goes back at once; within
    the cap it stays resident."""
    assert heap.reuse_freed_memory()  # what the engine sets when it loads
    before = resident_mib()
    buffer = np.ones(256 << 20, dtype=np.uint8)  # from the heap
    del buffer
    assert resident_mib() - before > 200 and free_mib() > 200
    within = HandBack(seconds=3600, cap=1 << 40)
    within.page_read()
    assert within.count == 0 and resident_mib() - before > 200
    over = HandBack(seconds=3600, cap=64 << 20)
    over.page_read()
    assert over.count == 1 and resident_mib() - before < 50, (before, resident_mib())
