"""Work-arounds for bugs in the installed Qt binding, applied once when the Qt packages are imported.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so every
``.emit()`` made from Python (ours, and qasync's ``call_soon_threadsafe``) lowers the reference count
of ``True`` by one. ``True`` starts with a few hundred references, so after some hundreds of emits the
interpreter aborts ("Fatal Python error: bool_dealloc"), mid-run or at exit. The fix is detected at
run time (one emit, refcount compared) and only installed where the bug is present.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

_installed = False


def _emit_leaks_true() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        fired = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(4):
        probe.fired.emit()
    return sys.getrefcount(True) < before


def install() -> bool:
    """Patch ``SignalInstance.emit`` if it leaks; idempotent. Returns True when a patch is active."""
    global _installed
    if _installed:
        return True
    from PySide6.QtCore import SignalInstance

    if not _emit_leaks_true():
        return False
    original = SignalInstance.emit
    incref = ctypes.pythonapi.Py_IncRef
    incref.argtypes = [ctypes.py_object]

    def emit(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            incref(result)  # the reference the binding forgot to give us
        return result

    SignalInstance.emit = emit  # type: ignore[method-assign]
    _installed = True
    return True
