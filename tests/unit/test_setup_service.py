"""The set-up service without Qt: choices land in the settings and are saved in one place, the one
download path asks the hub once and then finds the local copy, trust is asked again when code changes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from fakehub import COMMIT, FakeHub, sample_repo
from test_model_folder import make_model

from desktop_ocr import paths
from desktop_ocr.settings import Settings
from desktop_ocr.setup import catalog
from desktop_ocr.setup import download as dl
from desktop_ocr.setup.resolve import resolve_model
from desktop_ocr.setup.service import SetupService

REPO = "acme/Tiny-OCR"


@pytest.fixture
def hub(monkeypatch, tmp_path):
    h = FakeHub(REPO, sample_repo(), lfs={"model-00001-of-000001.safetensors"}).start()
    monkeypatch.setenv(dl.ENV_ENDPOINT, h.endpoint)
    monkeypatch.delenv(dl.ENV_OFFLINE, raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))
    yield h
    h.stop()


def _saved() -> dict:
    return json.loads((paths.config_dir() / "settings.json").read_text(encoding="utf-8"))


def test_first_run_choices_are_kept_in_memory_until_saved(tmp_path: Path) -> None:
    service = SetupService(Settings())
    service.choose_gpu_options("base", 2)
    service.choose_hub(catalog.V1.hub_id)
    service.choose_engine("deepseek")
    assert not (paths.config_dir() / "settings.json").exists()
    assert service.finish_first_run() == ""
    saved = _saved()
    assert saved["engine"] == "deepseek" and saved["first_run_done"] is True
    assert saved["deepseek"]["mode"] == "base" and saved["deepseek"]["batch_size"] == 2
    assert Settings.load().deepseek.source == "hub"


def test_a_service_for_tests_never_writes_the_file() -> None:
    service = SetupService(Settings(), save_to_disk=False)
    assert service.finish_first_run() == ""
    assert service.settings.first_run_done
    assert not (paths.config_dir() / "settings.json").exists()


def test_an_unusable_folder_changes_nothing(tmp_path: Path) -> None:
    settings = Settings()
    before = settings.deepseek.source, settings.deepseek.folder
    service = SetupService(settings, save_to_disk=False)
    assert service.choose_folder("   ") is None
    (tmp_path / "empty").mkdir()
    report = service.choose_folder(str(tmp_path / "empty"))
    assert report is not None and not report.ok and "config.json" in report.summary()
    assert (settings.deepseek.source, settings.deepseek.folder) == before
    good = make_model(tmp_path / "good")
    assert service.choose_folder(f" {good} ").ok
    assert (settings.deepseek.source, settings.deepseek.folder) == ("folder", str(good))


def test_the_one_download_path_asks_the_hub_once_then_uses_the_local_copy(hub) -> None:
    service = SetupService(Settings(), save_to_disk=False)
    heard: list[object] = []
    folder = asyncio.run(service.fetch_model(REPO, COMMIT, report=heard.append))
    assert folder == dl.snapshot_dir(REPO, COMMIT) and dl.is_complete(folder)
    assert isinstance(heard[0], dl.Manifest) and heard[0].commit == COMMIT
    assert all(isinstance(x, dl.Progress) for x in heard[1:]) and heard[-1].phase == "done"
    requests = len(hub.log)
    assert asyncio.run(service.fetch_model(REPO, COMMIT)) == folder
    assert len(hub.log) == requests
    assert service.local_model(REPO, COMMIT) == folder
    assert service.local_model(REPO, "main") is None  # only a commit names a copy


def test_a_copy_in_the_hugging_face_cache_is_used_offline(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    cached = make_model(tmp_path / "hf" / ("models--" + REPO.replace("/", "--")) / "snapshots" / COMMIT)
    settings = Settings()
    settings.offline = True
    service = SetupService(settings, save_to_disk=False)
    assert asyncio.run(service.fetch_model(REPO, COMMIT)) == cached
    with pytest.raises(dl.OfflineError):
        asyncio.run(service.fetch_model(REPO, "f" * 40))


def test_choosing_a_model_grants_trust_and_the_engine_can_resolve_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty"))
    pin = catalog.V1.default_revision
    dest = make_model(dl.snapshot_dir(catalog.V1.hub_id, pin))
    (dest / dl.MARKER).write_text("{}")
    service = SetupService(Settings(), save_to_disk=False)
    location = f"{catalog.V1.hub_id}@{pin}"
    assert not service.trust_state(location, dest).trusted
    service.choose_model(dest, location, hub_id=catalog.V1.hub_id, revision=pin)
    assert service.settings.deepseek.revision == ""  # the tested pin is followed, not frozen
    assert resolve_model(service.settings).folder == dest
    (dest / "conversation.py").write_text("changed = True\n")
    state = service.trust_state(location, dest)
    assert not state.trusted and state.changed and "conversation.py" in state.question


def test_gpu_detection_runs_off_the_callers_thread_and_reports_once() -> None:
    import threading

    caller = threading.get_ident()
    seen: list[tuple[list, int]] = []

    def probe() -> list:
        return ["card"]

    thread = SetupService(Settings(), probe=probe).detect_gpus_in_background(
        lambda gpus: seen.append((gpus, threading.get_ident()))
    )
    thread.join(10)
    assert len(seen) == 1 and seen[0][0] == ["card"] and seen[0][1] != caller
