"""The server engine in the settings dialog and the first-run dialog, with a loopback server."""

from __future__ import annotations

import pytest
from openai_server import FakeOpenAIServer, Reply, free_port
from PySide6.QtCore import Qt

from desktop_ocr.engine.server.check import SAMPLE_TEXT
from desktop_ocr.settings import Settings
from desktop_ocr.ui.first_run import FirstRunDialog
from desktop_ocr.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.gui
MODEL = "deepseek-ai/DeepSeek-OCR"


def _type(qtbot, widget, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


def test_settings_lists_the_server_and_test_connection_reads_a_sample(qtbot):
    dialog = SettingsDialog(None, Settings())
    qtbot.addWidget(dialog)
    engines = [dialog._engine.itemData(i) for i in range(dialog._engine.count())]
    assert "server" in engines
    box = dialog.server_box
    with FakeOpenAIServer(lambda b, n: Reply(text=SAMPLE_TEXT), models=(MODEL, "other-model")) as srv:
        _type(qtbot, box.urls_edit, srv.url)
        with qtbot.waitSignal(box.check_finished, timeout=10000):
            qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    text = box.result_label.text()
    assert f"{srv.url} (vLLM): {MODEL}, other-model" in text
    assert "not read" in text and "name the one to use" in text  # two models and none chosen
    assert [box.model_combo.itemText(i) for i in range(box.model_combo.count())] == [MODEL, "other-model"]
    dialog._engine.setCurrentIndex(engines.index("server"))
    box.model_combo.setCurrentIndex(0)
    dialog._accept_if_valid()
    s = dialog.settings()
    assert s.engine == "server" and s.server.urls == [srv.url] and s.server.model == MODEL


def test_test_connection_with_a_model_reads_the_sample_page(qtbot):
    dialog = SettingsDialog(None, Settings())
    qtbot.addWidget(dialog)
    box = dialog.server_box
    with FakeOpenAIServer(lambda b, n: Reply(text=SAMPLE_TEXT)) as srv:
        _type(qtbot, box.urls_edit, srv.url)
        with qtbot.waitSignal(box.check_finished, timeout=10000):
            qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert f"Sample page read by 127.0.0.1:{srv.port}" in box.result_label.text()
    assert SAMPLE_TEXT in box.result_label.text()
    assert box.model_combo.currentText() == MODEL  # the only model is filled in


def test_test_connection_names_a_server_that_is_down(qtbot):
    dialog = SettingsDialog(None, Settings())
    qtbot.addWidget(dialog)
    box = dialog.server_box
    url = f"http://127.0.0.1:{free_port()}/v1"
    _type(qtbot, box.urls_edit, url)
    with qtbot.waitSignal(box.check_finished, timeout=10000):
        qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert url in box.result_label.text() and "refused" in box.result_label.text()


def test_ok_with_the_server_engine_and_no_url_is_refused(qtbot):
    dialog = SettingsDialog(None, Settings())
    qtbot.addWidget(dialog)
    dialog._engine.setCurrentIndex(dialog._engine.findData("server"))
    dialog._accept_if_valid()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert "URL" in dialog.server_box.result_label.text()


def test_first_run_offers_a_server(qtbot):
    settings = Settings()
    dialog = FirstRunDialog(settings, probe=lambda: [])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.recommendation is not None, timeout=5000)
    assert not dialog.server_box.isEnabled()
    qtbot.mouseClick(dialog.server_radio, Qt.MouseButton.LeftButton)
    assert dialog.server_box.isEnabled()
    _type(qtbot, dialog.server_box.urls_edit, "http://gpu1:8000/v1, http://gpu2:8000/v1")
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    saved = Settings.load()
    assert saved.engine == "server" and saved.server.urls == ["http://gpu1:8000/v1", "http://gpu2:8000/v1"]


def test_reading_through_the_controller_says_which_server_read_each_page(qtbot, tmp_path):
    from sample_docs import write_pdf

    from desktop_ocr.model.document import PageState
    from desktop_ocr.worker.controller import Controller

    def answer(body, n):
        return Reply(text=f"<|ref|>text<|/ref|><|det|>[[50, 50, 900, 120]]<|/det|>\nRead remotely {n}\n")

    with FakeOpenAIServer(answer) as srv:
        s = Settings()
        s.engine = "server"
        s.server.urls = [srv.url]
        c = Controller(s)
        try:
            messages: list[str] = []
            c.status_message.connect(lambda text, ms: messages.append(text))
            with qtbot.waitSignal(c.import_finished, timeout=30_000) as blocker:
                c.import_paths([str(write_pdf(tmp_path / "survey.pdf"))])
            pages = c.project.document(blocker.args[0][0]).pages
            with qtbot.waitSignal(c.reading_changed, timeout=60_000, check_params_cb=lambda on: on is False):
                assert c.read_pages([p.id for p in pages])
            assert [p.state for p in pages] == [PageState.READ] * len(pages)
            assert all("Read remotely" in p.text for p in pages)
            assert sum(f"read by 127.0.0.1:{srv.port}" in m for m in messages) == len(pages)
        finally:
            c.shutdown()
