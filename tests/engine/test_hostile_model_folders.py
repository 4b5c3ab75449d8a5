"""A trusted model folder edited to run other code (issue 12, item 6): consent covers every file that
decides which code runs, an auto_map that points outside the folder is refused before Transformers is
called, and a folder loads offline. Cases: tests/hostile/model_folders/."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from desktop_ocr.engine.base import EngineUnavailable
from desktop_ocr.engine.deepseek.loader import load_model
from desktop_ocr.settings import Settings
from desktop_ocr.setup import trust
from desktop_ocr.setup.folder import inspect_folder

CORPUS = Path(__file__).resolve().parents[1] / "hostile" / "model_folders"
CASES = sorted(CORPUS.glob("*.json"))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, tokenizer_json, make_checkpoint) -> Path:
    write_checkpoint = make_checkpoint.__globals__["write_checkpoint"]  # tests/engine/conftest.py's
    return write_checkpoint(tmp_path_factory.mktemp("pristine") / "model", tokenizer_json)


@pytest.fixture
def folder(pristine, tmp_path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "model"))


def _apply(folder: Path, case: Path) -> None:
    edit = json.loads(case.read_text(encoding="utf-8"))
    target = folder / edit["file"]
    data = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    data.setdefault("auto_map", {}).update(edit["auto_map"])
    target.write_text(json.dumps(data), encoding="utf-8")


def _trusted_settings(folder: Path) -> Settings:
    s = Settings()
    s.deepseek.source = "folder"
    s.deepseek.folder = str(folder)
    trust.grant(s.deepseek, folder)
    return s


def _still_trusted(s: Settings, folder: Path) -> bool:
    return trust.is_trusted(s.deepseek.trusted, trust.location_key(s.deepseek), folder)


def test_the_pristine_folder_is_fine(folder):
    assert trust.foreign_code(folder) == []
    assert inspect_folder(folder).ok, inspect_folder(folder).problems


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_code_from_elsewhere_is_refused_and_ends_consent(folder, case, monkeypatch):
    s = _trusted_settings(folder)
    assert _still_trusted(s, folder)
    _apply(folder, case)
    assert not _still_trusted(s, folder)  # the edit asks again
    edit = json.loads(case.read_text(encoding="utf-8"))
    assert any(f == edit["file"] for f, _ in trust.foreign_code(folder))
    report = inspect_folder(folder)
    assert not report.ok and any(
        "outside the model folder" in p or "another repository" in p for p in report.problems
    )
    # Refused before Transformers is called: importing it would fail here with another message.
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(EngineUnavailable, match="outside the model folder") as err:
        load_model(folder, trust_remote_code=True, transformers_version="4.46.3")
    assert edit["file"] in str(err.value)


@pytest.mark.parametrize("name", ["config.json", "tokenizer_config.json", "processor_config.json"])
def test_any_change_to_a_file_that_decides_the_code_asks_again(folder, name):
    s = _trusted_settings(folder)
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["harmless_looking"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not _still_trusted(s, folder)
    assert name in {p.name for p in trust.code_files(folder)}


def test_weights_and_the_tokenizer_vocabulary_are_not_code(folder):
    s = _trusted_settings(folder)
    (folder / "tokenizer.json").write_text((folder / "tokenizer.json").read_text(encoding="utf-8") + " ")
    assert _still_trusted(s, folder)


@pytest.mark.torch
def test_a_trusted_folder_loads_offline(folder, monkeypatch):
    import transformers

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    seen: list[tuple[str | None, str | None, object]] = []
    for auto in (transformers.AutoModel, transformers.AutoTokenizer):
        real = auto.from_pretrained.__func__

        def spy(cls, *args, _real=real, **kwargs):
            seen.append(
                (
                    os.environ.get("HF_HUB_OFFLINE"),
                    os.environ.get("TRANSFORMERS_OFFLINE"),
                    kwargs.get("local_files_only"),
                )
            )
            return _real(cls, *args, **kwargs)

        monkeypatch.setattr(auto, "from_pretrained", classmethod(spy))
    lm = load_model(folder, trust_remote_code=True)
    assert lm.tokenizer is not None
    assert seen == [("1", "1", True), ("1", "1", True)]
    assert "HF_HUB_OFFLINE" not in os.environ and "TRANSFORMERS_OFFLINE" not in os.environ
