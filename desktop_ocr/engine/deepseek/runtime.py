"""Process-wide patches around the remote code: keep its init patch from leaking, redirect ``.cuda()``.

Public API:

- :func:`preserve_torch_init` - context manager restoring ``reset_parameters`` of torch's layers
  (the remote code's ``disable_torch_init()`` replaces them with no-ops for the whole process).
- :func:`redirect_cuda` - context manager that makes ``Tensor.cuda()`` move to the model's device
  while the remote code runs on a machine without CUDA (its forward calls ``.cuda()`` itself).
- :func:`autocast_for` - the autocast context ``infer()`` uses on CUDA, a no-op elsewhere.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

_lock = threading.RLock()


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
