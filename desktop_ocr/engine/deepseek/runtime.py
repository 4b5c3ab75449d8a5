"""Process-wide patches around the remote code: keep its init patch from leaking, redirect ``.cuda()``.

Public API:

- :func:`preserve_torch_init` - context manager restoring ``reset_parameters`` of torch's layers
  (the remote code's ``disable_torch_init()`` replaces them with no-ops for the whole process).
- :func:`redirect_cuda` - context manager that makes ``Tensor.cuda()`` move to the model's device
  while the remote code runs on a machine without CUDA (its forward calls ``.cuda()`` itself).
- :func:`autocast_for` - the autocast context ``infer()`` uses on CUDA, a no-op elsewhere.
- :func:`stdout_to_log` - the remote code ``print()``s feature shapes on every page: send that to
  the debug log instead of the terminal.
"""

from __future__ import annotations

import contextlib
import io
import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

_lock = threading.RLock()
log = logging.getLogger("desktop_ocr.engine.deepseek")


def _init_targets() -> list[Any]:
    import torch.nn as nn

    return [nn.Linear, nn.LayerNorm, nn.Conv2d, nn.Embedding]


@contextlib.contextmanager
def preserve_torch_init() -> Iterator[None]:
    """Restore the layers' ``reset_parameters`` on exit, whatever the code inside patched."""
    saved = [(cls, cls.__dict__.get("reset_parameters")) for cls in _init_targets()]
    try:
        yield
    finally:
        for cls, fn in saved:
            if fn is not None and cls.__dict__.get("reset_parameters") is not fn:
                cls.reset_parameters = fn


@contextlib.contextmanager
def redirect_cuda(device: Any) -> Iterator[None]:
    """While inside, ``tensor.cuda()`` moves to ``device`` when that is not a CUDA device."""
    import torch

    dev = torch.device(device)
    if dev.type == "cuda":
        yield
        return
    with _lock:
        original = torch.Tensor.cuda

        def _to_model_device(self: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
            non_blocking = bool(kwargs.get("non_blocking", False))
            return self.to(dev, non_blocking=non_blocking)

        torch.Tensor.cuda = _to_model_device  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            torch.Tensor.cuda = original  # type: ignore[method-assign]


def autocast_for(device: Any, dtype: Any) -> contextlib.AbstractContextManager[Any]:
    """``torch.autocast("cuda", dtype)`` as ``infer()`` uses it, for half-precision models on CUDA."""
    import torch

    dev = torch.device(device)
    if dev.type == "cuda" and dtype in (torch.bfloat16, torch.float16):
        return torch.autocast("cuda", dtype=dtype)
    return contextlib.nullcontext()


class _LogWriter(io.TextIOBase):
    """A text stream that sends complete lines to the debug log."""

    def __init__(self) -> None:
        self._buffer = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._buffer += text
        *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            if line.strip():
                log.debug("model: %s", line)
        return len(text)

    def flush(self) -> None:
        if self._buffer.strip():
            log.debug("model: %s", self._buffer)
        self._buffer = ""


@contextlib.contextmanager
def stdout_to_log() -> Iterator[None]:
    """While inside, ``print()`` output goes to the debug log (the remote code prints per page)."""
    writer = _LogWriter()
    previous = sys.stdout
    sys.stdout = writer
    try:
        yield
    finally:
        if sys.stdout is writer:
            sys.stdout = previous
        writer.flush()
