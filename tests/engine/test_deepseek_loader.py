"""Loading DeepSeek-OCR: version detection, device defaults and every failure with advice."""

from __future__ import annotations

import json
import shutil

import pytest

from desktop_ocr.engine.base import EngineUnavailable
from desktop_ocr.engine.deepseek.loader import check_transformers_version, detect_version, inspect_folder

# The shapes of the official configs (trimmed): v2 says "deepseek_vl_v2" as its model_type.
V1_CONFIG = {
    "architectures": ["DeepseekOCRForCausalLM"],
    "auto_map": {
        "AutoConfig": "modeling_deepseekocr.DeepseekOCRConfig",
        "AutoModel": "modeling_deepseekocr.DeepseekOCRForCausalLM",
    },
    "model_type": "DeepseekOCR",
}
V2_CONFIG = {
    "architectures": ["DeepseekOCR2ForCausalLM"],
    "auto_map": {
        "AutoConfig": "modeling_deepseekocr2.DeepseekOCR2Config",
        "AutoModel": "modeling_deepseekocr2.DeepseekOCR2ForCausalLM",
    },
    "model_type": "deepseek_vl_v2",
}


def test_detect_version():
    assert detect_version(V1_CONFIG) == "v1"
    assert detect_version(V2_CONFIG) == "v2"
    assert detect_version({"model_type": "DeepseekOCR"}) == "v1"
    assert (
        detect_version({"model_type": "deepseek_vl_v2", "architectures": ["DeepseekVLV2ForCausalLM"]}) is None
    )
    assert detect_version({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}) is None
    assert detect_version(None) is None


@pytest.mark.parametrize("version", ["4.46.0", "4.46.3", "4.47.0", "4.47.1"])
def test_supported_transformers(version):
    check_transformers_version(version)


@pytest.mark.parametrize("version", ["4.45.2", "4.48.0", "4.51.3", "4.57.1", "5.0.0"])
def test_unsupported_transformers(version):
    with pytest.raises(EngineUnavailable, match=r"4\.46\.0 to 4\.47\.1.*pip install"):
        check_transformers_version(version)


def test_missing_folder(tmp_path):
    with pytest.raises(EngineUnavailable, match="does not exist"):
        inspect_folder(tmp_path / "nope")


def test_folder_without_config(tmp_path):
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(EngineUnavailable, match=r"no config.json"):
        inspect_folder(tmp_path)


def test_not_deepseek(tmp_path):
    (tmp_path / "config.json").write_text(
        json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"]})
    )
    with pytest.raises(EngineUnavailable, match=r"not DeepSeek-OCR.*llama"):
        inspect_folder(tmp_path)


def test_incomplete_folder(tmp_path, standin_checkpoint):
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(standin_checkpoint / name, tmp_path / name)
    with pytest.raises(EngineUnavailable, match=r"incomplete: modeling_deepseekocr\.py, model weights"):
        inspect_folder(tmp_path)
    (tmp_path / "config.json").write_text("{broken")
    with pytest.raises(EngineUnavailable, match="cannot be read"):
        inspect_folder(tmp_path)


def test_complete_folder(standin_checkpoint):
    config, version = inspect_folder(standin_checkpoint)
    assert version == "v1" and config["auto_map"]["AutoModel"].endswith("DeepseekOCRForCausalLM")


@pytest.mark.torch
def test_load_failures_give_advice(tmp_path, standin_checkpoint):
    from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine
    from desktop_ocr.engine.deepseek.loader import load_model

    with pytest.raises(EngineUnavailable, match="Confirm once"):
        load_model(standin_checkpoint, trust_remote_code=False)
    with pytest.raises(EngineUnavailable, match=r"4.51.3 is installed"):
        load_model(standin_checkpoint, trust_remote_code=True, transformers_version="4.51.3")
    with pytest.raises(EngineUnavailable, match="pinned revision"):
        load_model("deepseek-ai/DeepSeek-OCR", trust_remote_code=True)
    # A folder whose remote code is broken.
    broken = tmp_path / "broken"
    shutil.copytree(standin_checkpoint, broken)
    (broken / "modeling_deepseekocr.py").write_text(
        "raise RuntimeError('this code is from another release')\n"
    )
    with pytest.raises(EngineUnavailable, match=r"cannot be loaded.*download the model again"):
        load_model(broken, trust_remote_code=True)
    # A tokenizer whose <image> is not 128815.
    wrong = tmp_path / "wrongtok"
    shutil.copytree(standin_checkpoint, wrong)
    data = json.loads((wrong / "tokenizer.json").read_text(encoding="utf-8"))
    for tok in data["added_tokens"]:
        if tok["content"] == "<image>":
            tok["content"] = "<img>"
    (wrong / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(EngineUnavailable, match="does not match DeepSeek-OCR"):
        load_model(wrong, trust_remote_code=True)
    # The engine reports the same through load(), and reading before loading is refused.
    eng = DeepSeekOCREngine(tmp_path / "missing", trust_remote_code=True)
    with pytest.raises(EngineUnavailable, match="does not exist"):
        eng.load()
    assert not eng.loaded
    with pytest.raises(EngineUnavailable, match="not loaded"):
        eng.read([])


@pytest.mark.torch
def test_cpu_defaults(standin_checkpoint):
    import torch

    from desktop_ocr.engine.deepseek.loader import load_model, pick_attention, pick_device, pick_dtype

    with pytest.raises(EngineUnavailable, match="MPS"):
        pick_device("mps")
    assert pick_device("cpu").type == "cpu"
    assert pick_dtype("cpu") == torch.float32
    assert pick_dtype("cpu", "bf16") == torch.bfloat16
    assert pick_attention("flash_attention_2", "cpu", torch.float32) == "eager"
    assert pick_attention("sdpa", "cpu", torch.float32) == "eager"
    assert pick_attention("auto", "cpu", torch.float32) == "eager"
    assert pick_dtype("cpu", "auto") == torch.float32
    lm = load_model(standin_checkpoint, trust_remote_code=True, device="cpu")
    assert lm.version == "v1" and lm.device.type == "cpu" and lm.dtype == torch.float32 and lm.attn == "eager"
    assert next(lm.model.parameters()).dtype == torch.float32
    assert not lm.model.training


@pytest.mark.torch
def test_a_hub_id_loads_offline_from_its_local_copy_and_nothing_is_fetched(
    tmp_path, monkeypatch, standin_checkpoint
):
    """A hub id at a pinned commit loads from the copy the set-up service finds (here the Hugging
    Face cache); with no copy it is refused with what to do. The network is never touched (on the
    old code the loader fetched config.json with hf_hub_download)."""
    import socket
    from pathlib import Path

    from desktop_ocr.engine.deepseek.loader import load_model

    commit = "0123456789abcdef0123456789abcdef01234567"
    cache = tmp_path / "hf"
    snapshot = cache / "models--deepseek-ai--DeepSeek-OCR" / "snapshots" / commit
    shutil.copytree(standin_checkpoint, snapshot)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    reached: list[object] = []

    def no_network(self, address):  # type: ignore[no-untyped-def]
        reached.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    lm = load_model("deepseek-ai/DeepSeek-OCR", revision=commit, trust_remote_code=True, device="cpu")
    assert reached == []
    assert lm.version == "v1" and lm.revision == commit and Path(lm.source) == snapshot
    with pytest.raises(EngineUnavailable, match=r"not on this computer\. Open Model"):
        load_model("deepseek-ai/DeepSeek-OCR", revision="f" * 40, trust_remote_code=True, device="cpu")
    assert reached == []
