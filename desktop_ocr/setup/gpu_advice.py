"""Which engine, model and mode fit the user's GPU: a pure function the first-run dialog shows.

No Qt and no torch. Input: what ``desktop_ocr.setup.gpu_probe`` found (objects with ``name``,
``memory_mb``, ``driver`` and ``cuda``). The figures behind the thresholds are in
docs/deepseek-ocr-contract.md section 6: 6.7 GB of bf16 weights, about 60 KB of KV cache per token,
1-2 GB of Gundam vision activations; 8 GB cards are tight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

#: The CUDA version the GPU add-on's torch wheels are built for (torch 2.14.1+cu130): the driver
#: must support at least this (NVIDIA driver 580 or newer).
ADDON_CUDA = (13, 0)
MIN_DRIVER_FOR_ADDON = "580"
#: The GPU architectures the add-on's torch build has kernels for (torch 2.14.1+cu130:
#: ``torch.cuda.get_arch_list()`` is sm_75 sm_80 sm_86 sm_90 sm_100 sm_120, no PTX). A GPU runs
#: them when one has its major version and a minor version not above its own (8.9 runs sm_86).
#: Turing (7.5) is the oldest: Pascal (6.x) and Volta (7.0) cards are found but cannot run it.
ADDON_ARCHS = ((7, 5), (8, 0), (8, 6), (9, 0), (10, 0), (12, 0))
MIN_COMPUTE_FOR_ADDON = "7.5"
DEFAULT_HUB_ID = "deepseek-ai/DeepSeek-OCR"

#: Memory floors in MiB (cards report a little under their nominal size: a "16 GB" card says ~16,300).
ROOMY_MB = 15 * 1024  # Gundam with automatic batches
COMFORTABLE_MB = 10 * 1024  # Gundam, one page at a time (10-12 GB cards)
TIGHT_MB = 7 * 1024 + 512  # Base, one page at a time (8 GB cards)


class GpuLike(Protocol):
    name: str
    memory_mb: int
    driver: str
    cuda: str
    # and, where known, ``compute_cap`` ("8.6"): read with getattr, older callers lack it


class Fit(Enum):
    """How well the best GPU fits DeepSeek-OCR."""

    ROOMY = "roomy"  # >= 15 GiB
    COMFORTABLE = "comfortable"  # 10-15 GiB
    TIGHT = "tight"  # 7.5-10 GiB
    TOO_SMALL = "too_small"  # under 7.5 GiB
    NO_GPU = "no_gpu"  # no NVIDIA GPU (or no working driver)


@dataclass(frozen=True)
class Recommendation:
    """What to use. ``engine`` is "deepseek" or "embedded"; mode and batch apply to DeepSeek-OCR."""

    fit: Fit
    engine: str
    hub_id: str
    mode: str
    #: 0: chosen from free GPU memory at run time; 1: one page per call.
    batch_size: int
    #: The GPU the advice is for (the one with most memory), or None.
    gpu: GpuLike | None
    #: The driver is too old for the GPU add-on's CUDA build: it must be updated first.
    driver_too_old: bool = False
    #: The GPU's architecture is older than any the add-on's torch has kernels for (Pascal, Volta).
    gpu_too_old: bool = False

    @property
    def uses_gpu(self) -> bool:
        return self.engine == "deepseek"


def parse_version(text: str) -> tuple[int, ...]:
    """``"13.0"`` -> (13, 0); ``"580.65.06"`` -> (580, 65, 6); junk -> ()."""
    parts: list[int] = []
    for piece in text.strip().split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def best_gpu(gpus: Sequence[GpuLike]) -> GpuLike | None:
    """The GPU with the most memory (the first on a tie), or None."""
    usable = [g for g in gpus if g.memory_mb > 0]
    return max(usable, key=lambda g: g.memory_mb) if usable else None


def driver_supports_addon(gpu: GpuLike) -> bool:
    """Whether the driver's CUDA version runs the add-on's torch build (unknown versions pass)."""
    cuda = parse_version(gpu.cuda)
    return not cuda or cuda[:2] >= ADDON_CUDA


def compute_supports_addon(gpu: GpuLike) -> bool:
    """Whether the add-on's torch has kernels for the GPU's compute capability (unknown passes)."""
    cap = parse_version(str(getattr(gpu, "compute_cap", "") or ""))
    if len(cap) < 2:
        return True
    return any(major == cap[0] and minor <= cap[1] for major, minor in ADDON_ARCHS)


def fit_for(memory_mb: int) -> Fit:
    if memory_mb >= ROOMY_MB:
        return Fit.ROOMY
    if memory_mb >= COMFORTABLE_MB:
        return Fit.COMFORTABLE
    if memory_mb >= TIGHT_MB:
        return Fit.TIGHT
    return Fit.TOO_SMALL


def recommend(gpus: Sequence[GpuLike]) -> Recommendation:
    """The engine, model, mode and batch size that fit the best of ``gpus``."""
    # A card the add-on cannot run on is advised against only when no other card can run it.
    gpu = best_gpu([g for g in gpus if compute_supports_addon(g)]) or best_gpu(gpus)
    if gpu is None:
        return Recommendation(Fit.NO_GPU, "embedded", DEFAULT_HUB_ID, "gundam", 1, None)
    fit = fit_for(gpu.memory_mb)
    old_driver = not driver_supports_addon(gpu)
    if not compute_supports_addon(gpu):  # memory does not matter: no kernel would run on it
        mode = "gundam" if fit in (Fit.ROOMY, Fit.COMFORTABLE) else "base"
        return Recommendation(fit, "embedded", DEFAULT_HUB_ID, mode, 1, gpu, old_driver, gpu_too_old=True)
    if fit is Fit.ROOMY:
        return Recommendation(fit, "deepseek", DEFAULT_HUB_ID, "gundam", 0, gpu, old_driver)
    if fit is Fit.COMFORTABLE:
        return Recommendation(fit, "deepseek", DEFAULT_HUB_ID, "gundam", 1, gpu, old_driver)
    if fit is Fit.TIGHT:
        return Recommendation(fit, "deepseek", DEFAULT_HUB_ID, "base", 1, gpu, old_driver)
    return Recommendation(fit, "embedded", DEFAULT_HUB_ID, "base", 1, gpu, old_driver)
