"""The main window with the real controller: no torch at start, open/drop/paste, read into the editor."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication
from sample_docs import write_pdf

from desktop_ocr.model.document import PageState
from desktop_ocr.ui.main_window import format_eta

pytestmark = pytest.mark.gui


def test_building_the_main_window_leaves_torch_out(tmp_path):
    code = textwrap.dedent(
        """
        import sys
        from desktop_ocr.app import make_application
        from desktop_ocr.settings import Settings
        app = make_application()
        from desktop_ocr.worker.controller import Controller
        from desktop_ocr.ui.main_window import MainWindow
        c = Controller(Settings())
        w = MainWindow(c)
        w.show()
        app.processEvents()
        heavy = sorted(m for m in ("torch", "transformers", "torchvision") if m in sys.modules)
        c.shutdown()
        print("HEAVY=" + ",".join(heavy))
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_OCR_BASEDIR=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "HEAVY=" in out.stdout, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def _drop(widget, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def test_dropped_pdf_shows_pages_thumbnails_and_the_first_page(qtbot, window, tmp_path):
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        _drop(window, [write_pdf(tmp_path / "survey.pdf")])
    assert window.page_list.model().rowCount() == 3
    first = c.project.documents[0].pages[0].id
    qtbot.waitUntil(lambda: window.current_page_id() == first, timeout=5000)
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)
    qtbot.waitUntil(lambda: c.thumbnails.request(first, 0, 240) is not None, timeout=15_000)
    assert "survey" in window.windowTitle() or "Untitled" in window.windowTitle()


def test_no_widget_or_model_of_the_window_holds_a_worker(window):
    """Widgets talk to the controller and its services, never to a worker: the page list's
    thumbnails come through the controller's port (on the old code its model held the render worker)."""
    from PySide6.QtCore import QObject

    from desktop_ocr.worker.export_worker import ExportWorker
    from desktop_ocr.worker.import_worker import ImportWorker
    from desktop_ocr.worker.ocr_worker import OcrWorker
    from desktop_ocr.worker.render_worker import RenderWorker

    workers = (RenderWorker, OcrWorker, ImportWorker, ExportWorker)
    objects = [window, *window.findChildren(QObject)]
    holders = [
        f"{type(o).__name__}.{name}"
        for o in objects
        for name, value in vars(o).items()
        if isinstance(value, workers)
    ]
    assert objects and holders == []


def test_reading_streams_into_the_editor_and_edits_reach_the_project(qtbot, window, tmp_path):
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "one.pdf", [["Streamed Title", "A line to read."]]))])
    page = c.project.documents[0].pages[0]
    qtbot.waitUntil(lambda: window.current_page_id() == page.id, timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=120_000, check_params_cb=lambda on: on is False):
        window.acts.read_selected.trigger()
    assert page.state == PageState.READ
    qtbot.waitUntil(lambda: "A line to read." in window.editor.text(), timeout=5000)
    assert window.canvas.blocks()  # boxes of the result are on the canvas
    window.editor.editor.setFocus()
    cursor = window.editor.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor.editor, " Corrected.")
    qtbot.waitUntil(
        lambda: page.edited_text is not None and page.edited_text.endswith("Corrected."), timeout=3000
    )
    assert page.state == PageState.EDITED


def test_pasted_image_becomes_a_document(qtbot, window):
    img = QImage(400, 300, QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    QApplication.clipboard().setImage(img)
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000) as blocker:
        window.acts.paste_image.trigger()
    doc = c.project.document(blocker.args[0][0])
    assert len(doc.pages) == 1 and doc.pages[0].width == 400


def test_rotate_and_delete_go_through_the_controller(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / "survey.pdf"))])
    pages = list(c.project.documents[0].pages)
    qtbot.waitUntil(lambda: window.current_page_id() == pages[0].id, timeout=5000)
    window.acts.rotate_right.trigger()
    assert pages[0].rotation == 90
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.page_list.delete_requested.emit([pages[1].id])
    assert [p.id for p in c.project.documents[0].pages] == [pages[0].id, pages[2].id]


def test_eta_text():
    assert format_eta(-1) == "estimating the time left…"  # not known yet (the first page overran)
    assert format_eta(0.2) == "finishing…"
    assert format_eta(42) == "about 42 s left"
    assert format_eta(125) == "about 2 min 05 s left"
    assert format_eta(7300) == "about 2 h 01 min left"
    assert QPoint(0, 0).isNull()


def test_an_unsaved_session_left_behind_is_offered_and_recovered(qtbot, window, tmp_path, monkeypatch):
    from desktop_ocr.model.importer import import_paths
    from desktop_ocr.model.store import ProjectStore
    from desktop_ocr.ui import dialogs

    store, project = ProjectStore.create_untitled()  # a session another run left behind
    import_paths(project, [write_pdf(tmp_path / "left.pdf")], store)
    page = project.documents[0].pages[0]
    project.set_text(page.id, "typed before the crash")
    store.close()

    offered = []

    def answer(parent, sessions):
        offered.extend(sessions)
        return "recover", sessions[0]

    monkeypatch.setattr(dialogs, "offer_recovery", answer)
    window.offer_recovery()
    assert len(offered) == 1 and offered[0].page_count == 3
    c = window.controller
    assert c.project.page(page.id).text == "typed before the crash"
    assert c.project.page_count == 3 and c.session.is_untitled


def test_settings_accepted_in_the_dialog_reach_the_editors_word_marks(window, qtbot, monkeypatch):
    """File > Settings: what the dialog says is applied to the controller and to the editor's marks."""
    import copy

    from desktop_ocr.ui.settings_dialog import SettingsDialog

    marks = window.editor.editor.word_marks
    wanted = copy.deepcopy(window.controller.settings)
    wanted.mark_uncertain = not marks.show_uncertain
    wanted.uncertain_below = 37 if round(marks.threshold * 100) != 37 else 41
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: 1)  # the user pressed OK
    monkeypatch.setattr(SettingsDialog, "settings", lambda self: copy.deepcopy(wanted))
    window.acts.settings.trigger()
    assert window.controller.settings.uncertain_below == wanted.uncertain_below
    assert marks.show_uncertain == wanted.mark_uncertain
    assert round(marks.threshold * 100) == wanted.uncertain_below


def test_the_window_layout_is_kept_in_the_apps_own_config_folder(qtbot, _isolated_basedir, tmp_path):
    """Closing saves the dock layout under the base folder, and a window opened there restores it.

    It used to go to QSettings' default file in the user's HOME, shared by every base folder, test
    and profile: one run's layout changed the next one's window.
    """
    from qt_window import close_window, open_window

    from desktop_ocr import paths

    w, c = open_window()
    w.resizeDocks([w._text_dock], [431], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: w._text_dock.width() != 560, timeout=5000)  # the default width
    width = w._text_dock.width()
    close_window(w, c)
    stored = paths.config_dir() / "window.ini"
    assert stored.is_file() and b"main_window" in stored.read_bytes()

    w, c = open_window()
    try:
        qtbot.waitUntil(lambda: w._text_dock.width() == width, timeout=5000)
    finally:
        close_window(w, c)
