"""The PySide6 emit() refcount work-around: thousands of emits leave the count of True unchanged."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

import desktop_ocr.ui  # noqa: F401  (installs the work-around, as the app does)
from desktop_ocr import qtcompat

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    changed = Signal(object)
    pinged = Signal()


def test_emit_does_not_drain_the_reference_count_of_true(qapp):
    e = _Emitter()
    got = []
    e.changed.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(2000):  # more than True's whole reference count in a fresh process
        assert e.changed.emit(i) is True
        e.pinged.emit()
    assert sys.getrefcount(True) >= before
    assert len(got) == 2000
    assert qtcompat.install() in (True, False)  # idempotent
