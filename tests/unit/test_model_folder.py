"""Local model folders (v1/v2, every broken variant's message), the remote-code trust record, the catalogue."""

from __future__ import annotations

import ast
import json
import struct
from pathlib import Path

import pytest

from desktop_ocr import paths
from desktop_ocr.settings import Settings
from desktop_ocr.setup import catalog, trust
from desktop_ocr.setup import download as dl
from desktop_ocr.setup.folder import find_local_copy, hf_cache_snapshots, inspect_folder, model_folder

WEIGHTS = "model-00001-of-000001.safetensors"


def safetensors_bytes(n_floats: int = 8) -> bytes:
    header = json.dumps(
        {"w": {"dtype": "F32", "shape": [n_floats], "data_offsets": [0, 4 * n_floats]}}
    ).encode()
    return struct.pack("<Q", len(header)) + header + bytes(4 * n_floats)


def make_model(folder: Path, generation: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    entry = "modeling_deepseekocr" if generation == 1 else "modeling_deepseekocr2"
    arch = "DeepseekOCRForCausalLM" if generation == 1 else "DeepseekOCR2ForCausalLM"
    encoder = "deepencoder" if generation == 1 else "deepencoderv2"
    config = {
        "architectures": [arch],
        "auto_map": {"AutoConfig": f"{entry}.Config", "AutoModel": f"{entry}.{arch}"},
        "model_type": "deepseek_vl_v2",
    }
    (folder / "config.json").write_text(json.dumps(config))
    (folder / f"{entry}.py").write_text(
        f"import torch\nfrom .{encoder} import build\nfrom .modeling_deepseekv2 import V2\nfrom .conversation import c\n"
    )
    (folder / f"{encoder}.py").write_text("def build(): pass\n")
    (folder / "modeling_deepseekv2.py").write_text(
        "from .configuration_deepseek_v2 import Cfg\nclass V2: pass\n"
    )
    (folder / "configuration_deepseek_v2.py").write_text("class Cfg: pass\n")
    (folder / "conversation.py").write_text("c = 1\n")
    (folder / "tokenizer.json").write_text('{"model": {}}')
    (folder / "tokenizer_config.json").write_text("{}")
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": {"w": WEIGHTS}}))
    (folder / WEIGHTS).write_bytes(safetensors_bytes())
    return folder


@pytest.mark.parametrize("generation", [1, 2])
def test_valid_folders_are_recognised(tmp_path, generation):
    r = inspect_folder(make_model(tmp_path / "m", generation))
    assert r.ok, r.problems
    assert r.generation == generation
    entry = "modeling_deepseekocr.py" if generation == 1 else "modeling_deepseekocr2.py"
    assert entry in r.code_files and "configuration_deepseek_v2.py" in r.code_files  # followed transitively
    assert r.weight_files == [WEIGHTS] and r.weights_size == len(safetensors_bytes())
    assert f"v{generation}" in r.summary()


def _lfs_pointer() -> bytes:
    return b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64 + b"\nsize 6670000000\n"


def _break(kind: str, m: Path) -> Path:
    """Damage a valid v1 folder in one way; return the folder to inspect."""
    if kind == "missing_folder":
        return m / "nope"
    if kind == "a_file":
        return m / "config.json"
    if kind == "no_config_parent":
        return m.parent
    if kind == "bad_json":
        (m / "config.json").write_text('{"architectures": [')
    elif kind == "config_lfs":
        (m / "config.json").write_bytes(_lfs_pointer())
    elif kind == "other_model":
        (m / "config.json").write_text(
            json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"})
        )
    elif kind == "converted_v5":
        (m / "config.json").write_text(
            json.dumps(
                {"architectures": ["DeepseekOcr2ForConditionalGeneration"], "model_type": "deepseek_ocr2"}
            )
        )
    elif kind == "no_auto_map":
        cfg = json.loads((m / "config.json").read_text())
        del cfg["auto_map"]
        (m / "config.json").write_text(json.dumps(cfg))
    elif kind == "code_elsewhere":
        cfg = json.loads((m / "config.json").read_text())
        cfg["auto_map"]["AutoModel"] = "someone/repo--modeling_deepseekocr.DeepseekOCRForCausalLM"
        (m / "config.json").write_text(json.dumps(cfg))
    elif kind == "missing_entry_code":
        (m / "modeling_deepseekocr.py").unlink()
    elif kind == "missing_imported_code":
        (m / "configuration_deepseek_v2.py").unlink()
    elif kind == "no_tokenizer":
        (m / "tokenizer.json").unlink()
    elif kind == "tokenizer_lfs":
        (m / "tokenizer.json").write_bytes(_lfs_pointer())
    elif kind == "no_tokenizer_config":
        (m / "tokenizer_config.json").unlink()
    elif kind == "no_weights":
        (m / "model.safetensors.index.json").unlink()
        (m / WEIGHTS).unlink()
    elif kind == "shards_without_index":
        (m / "model.safetensors.index.json").unlink()
    elif kind == "bin_only":
        (m / "model.safetensors.index.json").unlink()
        (m / WEIGHTS).unlink()
        (m / "pytorch_model.bin").write_bytes(b"pickle")
    elif kind == "unfinished_download":
        (m / WEIGHTS).rename(m / (WEIGHTS + dl.PART_SUFFIX))
    elif kind == "weights_lfs":
        (m / WEIGHTS).write_bytes(_lfs_pointer())
    elif kind == "weights_truncated":
        (m / WEIGHTS).write_bytes(safetensors_bytes()[:-10])
    elif kind == "weights_garbage":
        (m / WEIGHTS).write_bytes(b"\xff" * 64)
    elif kind == "index_empty":
        (m / "model.safetensors.index.json").write_text('{"weight_map": {}}')
    return m


BROKEN = {
    "missing_folder": "does not exist",
    "a_file": "is a file",
    "no_config_parent": "Did you mean",
    "bad_json": "not valid JSON",
    "config_lfs": "git lfs pull",
    "other_model": "different model (LlamaForCausalLM)",
    "converted_v5": "converted for transformers 5",
    "no_auto_map": "no auto_map",
    "code_elsewhere": "code in another repository",
    "missing_entry_code": "modeling_deepseekocr.py missing",
    "missing_imported_code": "configuration_deepseek_v2.py missing",
    "no_tokenizer": "tokenizer is missing",
    "tokenizer_lfs": "Git LFS pointer",
    "no_tokenizer_config": "tokenizer_config.json is missing",
    "no_weights": "No model weights",
    "shards_without_index": "no model.safetensors.index.json",
    "bin_only": "safetensors only",
    "unfinished_download": "download unfinished",
    "weights_lfs": "Git LFS pointer",
    "weights_truncated": "is truncated",
    "weights_garbage": "not a readable safetensors file",
    "index_empty": "lists no weights",
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_each_broken_folder_says_what_is_wrong_and_what_to_do(tmp_path, kind):
    folder = _break(kind, make_model(tmp_path / "m"))
    r = inspect_folder(folder)
    assert not r.ok
    text = r.summary()
    assert BROKEN[kind] in text, text
    # Every message names a next step.
    assert any(
        w in text
        for w in ("Download", "download", "Choose", "Copy", "Resume", "Run", "Use", "Put", "Did you")
    )


def test_hf_cache_snapshots_are_found(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    commit = "a" * 40
    snap = make_model(tmp_path / "hub" / "models--deepseek-ai--DeepSeek-OCR" / "snapshots" / commit)
    assert hf_cache_snapshots("deepseek-ai/DeepSeek-OCR") == [snap]
    assert find_local_copy("deepseek-ai/DeepSeek-OCR", commit) == snap
    assert find_local_copy("deepseek-ai/DeepSeek-OCR", "b" * 40) is None
    s = Settings()
    s.deepseek.revision = commit
    assert model_folder(s.deepseek) == snap


def test_model_folder_prefers_the_apps_own_completed_download(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty"))
    s = Settings()
    pin = catalog.V1.default_revision
    assert model_folder(s.deepseek) is None
    dest = make_model(dl.snapshot_dir(catalog.V1.hub_id, pin))
    (dest / dl.MARKER).write_text("{}")
    assert model_folder(s.deepseek) == dest
    assert dest.is_relative_to(paths.models_dir())
    s.deepseek.source, s.deepseek.folder = "folder", str(tmp_path / "x")
    assert model_folder(s.deepseek) == tmp_path / "x"


# -- trust -------------------------------------------------------------------------------------
def test_trust_is_recorded_once_and_asked_again_when_code_changes(tmp_path):
    m = make_model(tmp_path / "m")
    s = Settings()
    s.deepseek.source, s.deepseek.folder = "folder", str(m)
    loc = trust.location_key(s.deepseek)
    assert not trust.is_trusted(s.deepseek.trusted, loc, m)
    trust.grant(s.deepseek, m)
    assert trust.is_trusted(s.deepseek.trusted, loc, m)
    trust.grant(s.deepseek, m)
    assert len(s.deepseek.trusted) == 1
    # The record survives a save and load of the settings.
    path = tmp_path / "settings.json"
    s.save(path)
    again = Settings.load(path)
    assert trust.is_trusted(again.deepseek.trusted, loc, m)
    # An edited code file, or a new one, asks again.
    (m / "conversation.py").write_text("c = 2  # changed\n")
    assert not trust.is_trusted(again.deepseek.trusted, loc, m)
    assert trust.was_trusted_before(again.deepseek.trusted, loc)
    trust.grant(again.deepseek, m)
    (m / "extra.py").write_text("import os\n")
    assert not trust.is_trusted(again.deepseek.trusted, loc, m)
    trust.revoke(again.deepseek)
    assert again.deepseek.trusted == []


def test_hub_location_uses_the_pinned_revision_and_other_locations_are_separate(tmp_path):
    m = make_model(tmp_path / "m")
    s = Settings()
    assert trust.location_key(s.deepseek) == f"deepseek-ai/DeepSeek-OCR@{catalog.V1.default_revision}"
    trust.grant(s.deepseek, m)
    s.deepseek.revision = "f" * 40
    assert not trust.is_trusted(s.deepseek.trusted, trust.location_key(s.deepseek), m)


def test_confirmation_text_lists_the_code_that_will_run(tmp_path):
    m = make_model(tmp_path / "m", 2)
    text = trust.confirmation_text("deepseek-ai/DeepSeek-OCR-2@abc", m)
    for name in ("modeling_deepseekocr2.py", "deepencoderv2.py", "modeling_deepseekv2.py", "conversation.py"):
        assert name in text
    assert "deepseek-ai/DeepSeek-OCR-2@abc" in text and "your computer" in text


# -- catalogue -----------------------------------------------------------------------------------
def test_catalogue_pins_full_commits_and_published_sizes():
    assert [m.hub_id for m in catalog.KNOWN_MODELS] == [
        "deepseek-ai/DeepSeek-OCR",
        "deepseek-ai/DeepSeek-OCR-2",
    ]
    for m in catalog.KNOWN_MODELS:
        assert catalog.is_commit_hash(m.default_revision)
    assert catalog.V1.size_text == "6.67 GB" and catalog.V2.size_text == "6.78 GB"
    assert catalog.by_hub_id("DEEPSEEK-AI/deepseek-ocr-2") is catalog.V2
    assert catalog.pinned_revision("deepseek-ai/DeepSeek-OCR") == catalog.V1.default_revision
    assert catalog.pinned_revision("deepseek-ai/DeepSeek-OCR", "b" * 40) == "b" * 40
    assert catalog.pinned_revision("someone/else") == ""
    assert not catalog.is_commit_hash("main")


def test_setup_package_imports_no_qt_and_no_torch():
    pkg = Path(__file__).resolve().parents[2] / "desktop_ocr" / "setup"
    files = sorted(pkg.glob("*.py"))
    assert len(files) > 5, pkg
    bad = []
    for p in files:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            )
            bad += [
                f"{p.name}: {n}"
                for n in names
                if n.split(".")[0] in ("PySide6", "qasync", "torch", "transformers")
            ]
    assert bad == []


# -- resolve: what the engine calls ---------------------------------------------------------------
def test_resolve_model_walks_missing_invalid_untrusted_ready(tmp_path, monkeypatch):
    from desktop_ocr.setup.resolve import ModelNotReady, resolve_model

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty"))
    s = Settings()
    with pytest.raises(ModelNotReady) as e:
        resolve_model(s)
    assert e.value.reason == "missing" and "download it (6.67 GB)" in str(e.value)
    s.offline = True
    with pytest.raises(ModelNotReady, match="Offline mode is on"):
        resolve_model(s)
    dest = make_model(dl.snapshot_dir(catalog.V1.hub_id, catalog.V1.default_revision))
    (dest / dl.MARKER).write_text("{}")
    (dest / "tokenizer.json").unlink()
    with pytest.raises(ModelNotReady) as e:
        resolve_model(s)
    assert e.value.reason == "invalid" and "tokenizer is missing" in str(e.value)
    (dest / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelNotReady) as e:
        resolve_model(s)
    assert e.value.reason == "untrusted"
    trust.grant(s.deepseek, dest)
    ready = resolve_model(s)
    assert ready.folder == dest and ready.generation == 1
    assert ready.location == f"{catalog.V1.hub_id}@{catalog.V1.default_revision}"
    (dest / "conversation.py").write_text("changed = True\n")
    with pytest.raises(ModelNotReady, match="changed since"):
        resolve_model(s)


def test_resolve_model_refuses_an_unpinned_hub_model():
    from desktop_ocr.setup.resolve import ModelNotReady, resolve_model

    s = Settings()
    s.deepseek.hub_id = "someone/other-ocr"
    with pytest.raises(ModelNotReady) as e:
        resolve_model(s)
    assert e.value.reason == "unpinned"
