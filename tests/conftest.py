"""Test-wide set-up: offscreen Qt, an isolated app base directory per test."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # A 1920×1200 desktop screen, not Qt's default offscreen screen of 800×800, on which the first
    # window (1400×900) is shrunk to fit (ui/screen_fit.py; tests/qt/test_screen_fit.py tests that).
    SCREEN = Path(__file__).resolve().parent / "data" / "screens" / "desktop-1920x1200.json"
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"
os.environ.setdefault("QT_QUICK_BACKEND", "software")

import pytest


@pytest.fixture(autouse=True)
def _isolated_basedir(tmp_path_factory, monkeypatch):
    """Every test gets its own config/data/cache/log folders."""
    from desktop_ocr import paths

    base = tmp_path_factory.mktemp("basedir")
    monkeypatch.setenv(paths.ENV_BASEDIR, str(base))
    paths.set_basedir(None)
    yield base
    paths.set_basedir(None)


def pytest_collection_modifyitems(config, items):
    """Skip GPU tests without CUDA (CI never has a GPU). torch is imported only if needed."""
    gpu_items = [item for item in items if "gpu" in item.keywords]
    if not gpu_items:
        return
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except Exception:
        has_cuda = False
    if has_cuda:
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU")
    for item in gpu_items:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def _torch_init_is_never_patched_for_good():
    """The remote code's disable_torch_init() must never leak out of the engine (contract, 4)."""
    import sys

    yield
    torch = sys.modules.get("torch")
    if torch is None:
        return
    nn = torch.nn
    for cls in (nn.Linear, nn.LayerNorm):
        fn = cls.__dict__.get("reset_parameters")
        assert getattr(fn, "__module__", "").startswith("torch"), (
            f"{cls.__name__}.reset_parameters was left patched ({fn!r}) by this test"
        )
