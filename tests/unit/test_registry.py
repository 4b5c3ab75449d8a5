"""The engine registry: listing, the automatic choice (GPU + trusted model), creating engines, no torch."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_ocr.engine import registry
from desktop_ocr.engine.base import EngineUnavailable
from desktop_ocr.engine.embedded import EmbeddedEngine
from desktop_ocr.settings import Settings
from desktop_ocr.setup import gpu_probe, trust

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_gpu(tmp_path, monkeypatch):
    """An nvidia-smi on PATH that reports one 24 GB card."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "nvidia-smi"
    exe.write_text(
        "#!/bin/sh\n"
        'case "$1" in --query-gpu*) echo "0, NVIDIA GeForce RTX 4090, 24564, 580.65.06, GPU-42";;'
        ' *) echo "| Driver Version: 580.65.06     CUDA Version: 13.0 |";; esac\n'
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.setattr(gpu_probe, "_cache", None)
    yield
    monkeypatch.setattr(gpu_probe, "_cache", None)


@pytest.fixture
def no_gpu(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(gpu_probe, "PROC_GPUS", tmp_path / "none")
    monkeypatch.setattr(gpu_probe, "_cache", None)
    yield
    monkeypatch.setattr(gpu_probe, "_cache", None)


@pytest.fixture
def model_dir(tmp_path):
    folder = tmp_path / "DeepSeek-OCR"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "deepseek_vl_v2"}')
    (folder / "modeling_deepseekocr.py").write_text("# remote code\n")
    return folder


def folder_settings(folder: Path, trusted: bool) -> Settings:
    s = Settings()
    s.deepseek.source = "folder"
    s.deepseek.folder = str(folder)
    if trusted:
        trust.grant(s.deepseek, folder)
    return s


@pytest.fixture
def without_torch(monkeypatch):
    """Pretend the deepseek extra is not installed (the import system says torch is not there)."""
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name.split(".")[0] in ("torch", "transformers"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_embedded_is_always_listed_and_deepseek_when_installed(without_torch):
    assert [e.name for e in registry.list_engines()] == ["embedded", "server"]
    assert registry.list_engines()[0].installed


def test_deepseek_listed_with_its_packages():
    if registry.missing_modules(registry.DEEPSEEK_MODULES):
        pytest.skip("the deepseek extra is not installed here")
    names = registry.engine_names()
    assert names == ["embedded", "deepseek-ocr", "server"]


def test_listing_and_choosing_import_no_engine_packages(tmp_path):
    code = textwrap.dedent(
        """
        import sys
        from desktop_ocr.engine import registry
        from desktop_ocr.settings import Settings
        registry.list_engines()
        registry.choose_engine(Settings())
        registry.deepseek_status(Settings())
        heavy = [m for m in ("torch", "transformers", "rapidocr", "onnxruntime", "cv2") if m in sys.modules]
        print(heavy)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DESKTOP_OCR_BASEDIR": str(tmp_path)},
    )
    assert out.stdout.strip() == "[]", out.stderr


def test_default_is_embedded_without_a_gpu(no_gpu, model_dir):
    settings = folder_settings(model_dir, trusted=True)
    status = registry.deepseek_status(settings)
    if not status.installed:
        pytest.skip("the deepseek extra is not installed here")
    assert not status.gpu and not status.ready
    assert "GPU" in status.reason
    assert registry.choose_engine(settings) == "embedded"


def test_default_is_deepseek_with_a_gpu_and_a_trusted_model(fake_gpu, model_dir):
    if not registry.deepseek_installed():
        pytest.skip("the deepseek extra is not installed here")
    settings = folder_settings(model_dir, trusted=True)
    status = registry.deepseek_status(settings)
    assert status.ready, status.reason
    assert status.model_folder == model_dir
    assert registry.choose_engine(settings) == "deepseek-ocr"
    assert registry.resolve_engine_name(settings) == "deepseek-ocr"  # settings.engine is "auto"


def test_untrusted_missing_or_changed_model_keeps_the_embedded_default(
    fake_gpu, model_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    if not registry.deepseek_installed():
        pytest.skip("the deepseek extra is not installed here")
    untrusted = folder_settings(model_dir, trusted=False)
    assert registry.choose_engine(untrusted) == "embedded"
    assert "approved" in registry.deepseek_status(untrusted).reason

    missing = folder_settings(tmp_path / "nowhere", trusted=False)
    assert registry.choose_engine(missing) == "embedded"
    assert "No DeepSeek-OCR model" in registry.deepseek_status(missing).reason

    changed = folder_settings(model_dir, trusted=True)
    (model_dir / "modeling_deepseekocr.py").write_text("import os  # edited after approval\n")
    assert registry.choose_engine(changed) == "embedded"

    hub = Settings()  # the hub model, never downloaded: not on disk
    assert registry.choose_engine(hub) == "embedded"


def test_default_without_the_extra(without_torch, fake_gpu, model_dir):
    settings = folder_settings(model_dir, trusted=True)
    status = registry.deepseek_status(settings)
    assert not status.installed and "pip install" in status.reason
    assert registry.choose_engine(settings) == "embedded"
    with pytest.raises(EngineUnavailable, match="not installed"):
        registry.create_engine("deepseek-ocr", settings)


def test_explicit_names_and_aliases():
    s = Settings()
    s.engine = "DeepSeek"
    assert registry.resolve_engine_name(s) == "deepseek-ocr"
    s.engine = "embedded"
    assert registry.resolve_engine_name(s) == "embedded"
    assert registry.resolve_engine_name(s, requested="deepseek") == "deepseek-ocr"
    assert registry.resolve_engine_name(None) == "embedded"


def test_create_embedded_engine_with_options():
    engine = registry.create_engine("embedded", {"threads": 1, "text_score": 0.7})
    assert isinstance(engine, EmbeddedEngine)
    assert engine.info.name == "embedded" and not engine.loaded
    assert isinstance(registry.create_engine("auto", Settings()), EmbeddedEngine)
    assert isinstance(registry.create_engine("embedded", Settings()), EmbeddedEngine)


def test_unknown_engine():
    with pytest.raises(registry.UnknownEngine) as info:
        registry.create_engine("tesseract")
    assert isinstance(info.value, KeyError) and isinstance(info.value, EngineUnavailable)
    assert str(info.value).startswith("There is no OCR engine called 'tesseract'")


def test_create_deepseek_engine_from_settings(model_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))  # no cached snapshot of the hub model
    if not registry.deepseek_installed():
        pytest.skip("the deepseek extra is not installed here")
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

    s = folder_settings(model_dir, trusted=True)
    s.deepseek.batch_size = 4
    s.deepseek.attention = "eager"
    s.deepseek.dtype = "fp32"
    engine = registry.create_engine("deepseek-ocr", s)
    assert isinstance(engine, DeepSeekOCREngine) and not engine.loaded
    assert engine.model_path == str(model_dir)
    assert engine.trust_remote_code is True
    assert (engine.attn, engine.dtype, engine.ngram, engine.batch_size) == ("eager", "fp32", (20, 50), 4)

    untrusted = registry.create_engine("deepseek", folder_settings(model_dir, trusted=False))
    assert untrusted.trust_remote_code is False

    with pytest.raises(EngineUnavailable, match="does not exist"):
        registry.create_engine("deepseek-ocr", folder_settings(tmp_path / "gone", trusted=False))

    hub = Settings()  # not downloaded: the hub id at the pinned commit, code not approved yet
    path, kwargs = registry.deepseek_arguments(hub)
    assert path == "deepseek-ai/DeepSeek-OCR" and len(kwargs["revision"]) == 40
    assert kwargs["trust_remote_code"] is False

    direct = registry.create_engine("deepseek-ocr", {"model_path": str(model_dir), "batch_size": 2})
    assert direct.model_path == str(model_dir) and direct.batch_size == 2
