"""The Model dialog against a loopback fake hub: size first, download with progress, cancel/resume, trust."""

from __future__ import annotations

import asyncio
import gc
import json

import pytest
import qasync
from fakehub import COMMIT, FakeHub, model_repo_files
from PySide6.QtCore import Qt

from desktop_ocr.settings import Settings
from desktop_ocr.setup import download as dl
from desktop_ocr.setup import trust
from desktop_ocr.ui.model_dialog import ModelDialog

pytestmark = pytest.mark.gui
REPO = "deepseek-ai/DeepSeek-OCR"
BIG = "model-00001-of-000001.safetensors"


@pytest.fixture
def hub(monkeypatch, tmp_path):
    h = FakeHub(REPO, model_repo_files(), lfs={BIG}).start()
    monkeypatch.setenv(dl.ENV_ENDPOINT, h.endpoint)
    monkeypatch.delenv(dl.ENV_OFFLINE, raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf-cache"))
    yield h
    h.stop()


def _select_fake_commit(dlg: ModelDialog) -> None:
    dlg.revision_edit.setText(COMMIT)
    dlg.revision_edit.editingFinished.emit()


def test_download_on_the_qasync_loop_shows_size_first_then_progress_then_asks_trust(qtbot, qapp, hub):
    settings = Settings()
    total = sum(len(b) for b in hub.files.values())
    seen: dict[str, object] = {"texts": [], "values": []}
    chosen: list[str] = []
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def scenario():
        dlg = ModelDialog(settings)
        qtbot.addWidget(dlg)
        dlg.show()
        _select_fake_commit(dlg)
        for _ in range(300):
            if dlg.manifest is not None:
                break
            await asyncio.sleep(0.02)
        assert dlg.manifest is not None and dlg.manifest.total_size == total
        assert dl.format_size(total) in dlg.size_label.text()  # the exact size, before any file moved
        assert "Free space" in dlg.disk_label.text()
        assert hub.file_requests() == []
        assert dlg.use_button.isEnabled() is False

        def on_progress(_):
            seen["texts"].append(dlg.status_label.text())
            seen["values"].append(dlg.progress.value())

        dlg.download_job.progressed.connect(on_progress)
        dlg.model_chosen.connect(chosen.append)
        hub.delay = 0.01
        qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
        task = dlg.download_job.task
        assert task is not None  # a task on the app's (qasync) loop: no extra thread
        assert dlg.cancel_button.isEnabled() and not dlg.download_button.isEnabled()
        await task
        return dlg

    try:
        dlg = loop.run_until_complete(scenario())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        # Collect the closed loop's Qt objects here, on the GUI thread: left to a later garbage
        # collection they may be freed from a worker thread, which crashes Qt at exit.
        del loop
        gc.collect()

    values = seen["values"]
    assert values == sorted(values) and values[-1] == 1000
    assert any("/s" in t and " of " in t and "left" in t for t in seen["texts"]), seen["texts"]
    assert "verified" in dlg.status_label.text()
    # The code to review is listed; nothing can be used until the user agrees.
    text = dlg.trust_text.toPlainText()
    assert "modeling_deepseekocr.py" in text and "deepencoder.py" in text and "conversation.py" in text
    assert not dlg.use_button.isEnabled()
    dlg.trust_check.setChecked(True)
    assert dlg.use_button.isEnabled()
    qtbot.mouseClick(dlg.use_button, Qt.MouseButton.LeftButton)
    folder = dl.snapshot_dir(REPO, COMMIT)
    assert chosen == [str(folder)]
    ds = settings.deepseek
    assert (ds.source, ds.hub_id, ds.revision) == ("hub", REPO, COMMIT)
    assert trust.is_trusted(ds.trusted, f"{REPO}@{COMMIT}", folder)
    saved = json.loads(Settings.path().read_text())
    assert saved["deepseek"]["revision"] == COMMIT and saved["deepseek"]["trusted"] == ds.trusted


def test_cancel_and_resume_from_the_dialog_on_a_thread_loop(qtbot, hub):
    settings = Settings()
    dlg = ModelDialog(settings)
    qtbot.addWidget(dlg)
    _select_fake_commit(dlg)
    qtbot.waitUntil(lambda: dlg.manifest is not None, timeout=5000)
    hub.delay = 0.02
    part = dl.snapshot_dir(REPO, COMMIT) / (BIG + dl.PART_SUFFIX)
    qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    assert dlg.download_job.task is None  # no asyncio loop runs here: the job has its own thread
    qtbot.waitUntil(lambda: part.exists() and part.stat().st_size > 256 * 1024, timeout=10000)
    with qtbot.waitSignal(dlg.download_job.cancelled, timeout=5000):
        qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.download_job.running, timeout=5000)
    kept = part.stat().st_size
    assert "paused" in dlg.status_label.text().lower()
    assert dlg.download_button.text() == "Resume download" and dlg.download_button.isEnabled()
    assert not (dl.snapshot_dir(REPO, COMMIT) / BIG).exists()

    hub.delay = 0.0
    hub.log.clear()
    with qtbot.waitSignal(dlg.download_job.succeeded, timeout=10000):
        qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.download_job.running, timeout=5000)
    # The resolve request and its LFS redirect both ask for the rest only; nothing else was re-fetched.
    ranges = {
        (p.split("?")[0].rsplit("/", 1)[-1][:8], r)
        for p, r in hub.file_requests()
        if BIG in p or "/cdn/" in p
    }
    assert {r for _, r in ranges} == {f"bytes={kept}-"}
    assert all(BIG in p or "/cdn/" in p for p, _ in hub.file_requests())
    assert (dl.snapshot_dir(REPO, COMMIT) / BIG).read_bytes() == hub.files[BIG]
    assert dlg.progress.value() == 1000
    dlg.reject()


def test_offline_mode_opens_no_connection_and_disables_download(qtbot, hub):
    settings = Settings()
    settings.offline = True
    dlg = ModelDialog(settings)
    qtbot.addWidget(dlg)
    _select_fake_commit(dlg)
    qtbot.wait(200)
    assert not dlg.download_button.isEnabled() and not dlg.latest_button.isEnabled()
    assert "Offline" in dlg.status_label.text()
    assert "published size" in dlg.size_label.text()
    assert hub.log == []
    dlg.reject()


def test_env_offline_is_shown_and_cannot_be_unticked(qtbot, hub, monkeypatch):
    monkeypatch.setenv(dl.ENV_OFFLINE, "1")
    dlg = ModelDialog(Settings())
    qtbot.addWidget(dlg)
    assert dlg.offline_check.isChecked() and not dlg.offline_check.isEnabled()
    qtbot.wait(100)
    assert hub.log == []
    dlg.reject()


def test_look_up_newest_commit_fills_the_revision(qtbot, hub):
    dlg = ModelDialog(Settings())
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: not dlg.size_job.running, timeout=5000)  # the pin is unknown to the fake hub
    qtbot.mouseClick(dlg.latest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.revision() == COMMIT, timeout=5000)
    qtbot.waitUntil(lambda: dlg.manifest is not None, timeout=5000)
    assert "not the tested pin" in dlg.pin_label.text().lower()
    dlg.reject()


def test_use_a_folder_i_already_have(qtbot, hub, tmp_path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    for name, data in hub.files.items():
        (folder / name).write_bytes(data)
    (folder / "tokenizer.json").unlink()
    settings = Settings()
    dlg = ModelDialog(settings)
    qtbot.addWidget(dlg)
    dlg.folder_radio.setChecked(True)
    dlg.folder_edit.setText(str(folder))
    dlg.folder_edit.editingFinished.emit()
    assert "tokenizer is missing" in dlg.folder_status.text()
    assert not dlg.trust_check.isEnabled() and not dlg.use_button.isEnabled()
    (folder / "tokenizer.json").write_bytes(hub.files["tokenizer.json"])
    dlg.folder_edit.editingFinished.emit()
    assert "DeepSeek-OCR (v1)" in dlg.folder_status.text()
    assert "modeling_deepseekocr.py" in dlg.trust_text.toPlainText()
    dlg.trust_check.setChecked(True)
    dlg.accept()
    assert settings.deepseek.source == "folder" and settings.deepseek.folder == str(folder.resolve())
    assert trust.is_trusted(settings.deepseek.trusted, str(folder.resolve()), folder)
    # Changed code asks again when the dialog opens next time.
    (folder / "conversation.py").write_bytes(b"c = 2\n")
    again = ModelDialog(settings)
    qtbot.addWidget(again)
    assert not again.trust_check.isChecked()
    assert "code changed" in again.trust_text.toPlainText()
    again.reject()


def test_a_damaged_download_is_reported_and_nothing_is_offered_for_use(qtbot, hub):
    damaged = bytearray(hub.files[BIG])
    damaged[-1] ^= 0xFF
    hub.corrupt[BIG] = bytes(damaged)
    dlg = ModelDialog(Settings())
    qtbot.addWidget(dlg)
    _select_fake_commit(dlg)
    qtbot.waitUntil(lambda: dlg.manifest is not None, timeout=5000)
    with qtbot.waitSignal(dlg.download_job.failed, timeout=10000):
        qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.download_job.running, timeout=5000)
    assert "arrived damaged" in dlg.status_label.text()
    assert not (dl.snapshot_dir(REPO, COMMIT) / BIG).exists()
    assert not dlg.trust_check.isEnabled() and not dlg.use_button.isEnabled()
    assert dlg.download_button.isEnabled()  # try again
    dlg.reject()


def test_the_tested_pin_is_stored_as_follow_the_pin(qtbot, hub):
    from desktop_ocr.setup import catalog

    # Serve the fake repository at the catalogue's pinned commit of v1.
    hub.commit = catalog.V1.default_revision
    settings = Settings()
    dlg = ModelDialog(settings)
    qtbot.addWidget(dlg)
    assert dlg.revision() == catalog.V1.default_revision and "Pinned" in dlg.pin_label.text()
    qtbot.waitUntil(lambda: dlg.manifest is not None, timeout=5000)
    with qtbot.waitSignal(dlg.download_job.succeeded, timeout=10000):
        qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.download_job.running, timeout=5000)
    dlg.trust_check.setChecked(True)
    dlg.accept()
    assert settings.deepseek.revision == ""  # follows the app's pin
    from desktop_ocr.setup.resolve import resolve_model

    ready = resolve_model(settings)
    assert ready.location == f"{REPO}@{catalog.V1.default_revision}" and ready.generation == 1


def test_delete_downloaded_files_after_asking(qtbot, hub, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    dlg = ModelDialog(Settings())
    qtbot.addWidget(dlg)
    _select_fake_commit(dlg)
    qtbot.waitUntil(lambda: dlg.manifest is not None, timeout=5000)
    assert dlg.delete_button.isHidden()
    with qtbot.waitSignal(dlg.download_job.succeeded, timeout=10000):
        qtbot.mouseClick(dlg.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.download_job.running, timeout=5000)
    folder = dl.snapshot_dir(REPO, COMMIT)
    assert not dlg.delete_button.isHidden() and folder.is_dir()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dlg.delete_download()
    assert folder.is_dir()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dlg.delete_download()
    assert not folder.exists()
    assert "Deleted" in dlg.status_label.text() and dlg.download_button.text() == "Download"
    qtbot.waitUntil(lambda: dlg.manifest is not None, timeout=5000)
    assert dlg.download_button.isEnabled()
    dlg.reject()
