"""Issue 11 (behaviour a user expects): the log folder, the empty window, export and save-as proposals,
reading only what is not read yet, the progress line, undoable deletes (driven through the real window)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolBar
from qt_window import take_from_editor_menu

from desktop_ocr.model.document import PageState

pytestmark = pytest.mark.gui


def click_menu(qtbot, window, menu_title: str, action_text: str) -> None:
    """Open a menu of the menu bar and click one of its items, with the mouse."""
    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    menu = top.menu()
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    item = next(a for a in menu.actions() if a.text().replace("&", "").startswith(action_text))
    QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())


def test_open_log_folder_without_a_file_manager_says_where_the_folder_is(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from desktop_ocr.log import log_path

    # the offscreen platform has no file opener, like a machine without xdg-open; make sure of it
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    click_menu(qtbot, window, "Help", "Open Log Folder")
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "folder_path_box") is not None, timeout=2000)
    box = window.findChild(QMessageBox, "folder_path_box")
    folder = str(log_path().parent)
    assert folder in box.informativeText()
    labels = [lab for lab in box.findChildren(QLabel) if folder in lab.text()]
    assert labels and labels[0].textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    copy = next(b for b in box.buttons() if "Copy" in b.text())
    QTest.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == folder
    assert box.isVisible()  # copying leaves the box open
    box.button(QMessageBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "folder_path_box") is None, timeout=2000)


# -- helpers ------------------------------------------------------------------------------------
REAL = __import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "real"


def import_real(qtbot, window, *names: str) -> list[str]:
    """Import real scans into the window's project; the ids of the new pages."""
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=90000) as blocker:
        c.import_paths([str(REAL / n) for n in names])
    ids = [p.id for d in blocker.args[0] for p in c.project.document(d).pages]
    qtbot.waitUntil(lambda: window.current_page_id() != "", timeout=5000)
    return ids


def when_shown(qtbot, find, act, delay: int = 50) -> list:
    """Call ``act(widget)`` once ``find()`` gives a widget (a modal dialog or popup opened by what follows)."""
    seen: list = []

    def later() -> None:
        w = find()
        if w is None:
            QTimer.singleShot(delay, later)
            return
        seen.append(w)
        act(w)

    QTimer.singleShot(delay, later)
    return seen


def send_mouse(widget, kind: str, pos: QPoint, mods=Qt.KeyboardModifier.NoModifier) -> None:
    types = {"press": QEvent.Type.MouseButtonPress, "move": QEvent.Type.MouseMove,
             "release": QEvent.Type.MouseButtonRelease}  # fmt: skip
    left = Qt.MouseButton.LeftButton
    button = left if kind != "move" else Qt.MouseButton.NoButton
    held = left if kind in ("press", "move") else Qt.MouseButton.NoButton
    event = QMouseEvent(types[kind], QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, held, mods)
    QApplication.sendEvent(widget, event)


# -- 14: the read options show what the engine has ------------------------------------------------
def _read_options_rows(dlg) -> dict[str, bool]:
    from PySide6.QtWidgets import QFormLayout

    form = dlg.layout()
    assert isinstance(form, QFormLayout)
    return {
        name: form.isRowVisible(getattr(dlg, name)) for name in ("_mode", "_tokens", "_target", "_custom")
    }


def test_read_region_with_on_the_cpu_engine_offers_no_deepseek_options(window, qtbot):
    from PySide6.QtWidgets import QCheckBox

    from desktop_ocr.ui.read_options import ReadOptionsDialog

    import_real(qtbot, window, "ocrmypdf-c03-29.jpeg")
    canvas = window.canvas
    qtbot.waitUntil(lambda: canvas.image_item() is not None, timeout=10000)  # the page is shown
    window.resizeDocks([window._text_dock], [300], Qt.Orientation.Horizontal)
    canvas.fit_page()
    viewport = canvas.viewport()
    w, h = viewport.width(), viewport.height()
    start, end = QPoint(w // 10, h // 10), QPoint(w * 9 // 10, h * 4 // 10)
    ctrl = Qt.KeyboardModifier.ControlModifier
    found: dict = {}

    def in_dialog(dlg) -> None:
        found["rows"] = _read_options_rows(dlg)
        found["prompts"] = [dlg._prompt.itemData(i) for i in range(dlg._prompt.count())]
        note = dlg.findChild(QLabel, "engine_note")
        found["note"] = note.text() if note is not None and note.isVisible() else ""
        found["replace"] = dlg.findChild(QCheckBox) is not None
        dlg.reject()

    def in_menu(menu) -> None:
        item = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Read Region With"))
        when_shown(qtbot, lambda: QApplication.activeModalWidget() if isinstance(
            QApplication.activeModalWidget(), ReadOptionsDialog) else None, in_dialog)  # fmt: skip
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())

    menus = when_shown(qtbot, lambda: QApplication.activePopupWidget(), in_menu)
    send_mouse(viewport, "press", start, ctrl)
    for k in (1, 2, 3, 4):
        send_mouse(viewport, "move", start + (end - start) * (k / 4), ctrl)
    send_mouse(viewport, "release", end, ctrl)
    qtbot.waitUntil(lambda: "rows" in found, timeout=15000)
    assert menus
    assert found["rows"] == {"_mode": False, "_tokens": False, "_target": False, "_custom": False}
    assert found["prompts"] == ["ocr"]
    assert "no prompts or resolution modes" in found["note"]
    assert found["replace"]  # the region's own choice stays


def test_read_with_offers_the_deepseek_options_when_the_engine_has_them(qtbot):
    from desktop_ocr.engine.base import EngineInfo, ReadOptions
    from desktop_ocr.ui.read_options import ReadOptionsDialog

    ds = EngineInfo("deepseek-ocr", "DeepSeek-OCR", modes=("tiny", "small", "base", "large", "gundam"),
                    prompts=("document", "ocr", "free", "locate", "custom"))  # fmt: skip
    dlg = ReadOptionsDialog(ReadOptions(), 1, engine=ds)
    qtbot.addWidget(dlg)
    dlg.show()
    assert _read_options_rows(dlg) == {"_mode": True, "_tokens": True, "_target": True, "_custom": True}
    assert dlg.findChild(QLabel, "engine_note") is None


# -- 9: Read All / Read Document leave pages that are read already -------------------------------
def three_crops(folder) -> list[str]:
    """Three loose images (one document in the window): thirds of a real scanned book page."""
    from PIL import Image

    page = Image.open(REAL / "ocrmypdf-c03-29.jpeg")
    w, h = page.size
    paths = []
    for i in range(3):
        path = folder / f"part{i + 1}.png"
        page.crop((0, i * h // 8, w, (i + 1) * h // 8)).save(path)  # a few lines each
        paths.append(str(path))
    return paths


def import_files(qtbot, window, paths: list[str]) -> list[str]:
    c = window.controller
    with qtbot.waitSignal(c.import_finished, timeout=90000) as blocker:
        c.import_paths(paths)
    ids = [p.id for d in blocker.args[0] for p in c.project.document(d).pages]
    qtbot.waitUntil(lambda: window.current_page_id() != "", timeout=5000)
    return ids


def read_and_wait(qtbot, c, page_ids, timeout=180000) -> None:
    with qtbot.waitSignal(c.reading_changed, timeout=timeout, check_params_cb=lambda on: not on):
        c.read_pages(page_ids)


def modal_box():
    w = QApplication.activeModalWidget()
    return w if isinstance(w, QMessageBox) else None


def click_button(box, text: str) -> None:
    button = next(b for b in box.buttons() if b.text().replace("&", "").startswith(text))
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def test_read_all_asks_once_and_skips_read_and_edited_pages(window, qtbot, tmp_path):
    from desktop_ocr.model.document import PageState

    c = window.controller
    p1, p2, p3 = import_files(qtbot, window, three_crops(tmp_path))
    read_and_wait(qtbot, c, [p1, p2])
    c.edits.set_page_text(p2, "My corrected text")
    assert c.project.page(p2).state == PageState.EDITED
    result1 = c.project.page(p1).result
    started: list[str] = []
    c.page_reading_started.connect(started.append)

    def read_all(answer: str) -> list[str]:
        questions: list[str] = []
        seen = when_shown(
            qtbot, modal_box, lambda box: (questions.append(box.text()), click_button(box, answer))
        )
        started.clear()
        click_menu(qtbot, window, "Read", "Read All")
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        qtbot.waitUntil(lambda: not c.reading.is_reading, timeout=180000)
        qtbot.wait(100)
        assert not QApplication.activeModalWidget()  # one question, not one per kind of page
        return questions

    assert read_all("Cancel") == ["2 of the 3 pages are read already. 1 of them has your corrections."]
    assert started == [] and c.project.page(p3).state == PageState.NOT_READ

    read_all("Read Only the 1 Unread")
    assert started == [p3]
    assert c.project.page(p1).result is result1
    assert c.project.page(p2).text == "My corrected text"
    assert c.project.page(p3).state == PageState.READ

    assert read_all("Read Them Again") == [
        "3 of the 3 pages are read already. 1 of them has your corrections."
    ]
    assert started == [p1, p2, p3]
    assert c.project.page(p2).text != "My corrected text" and c.project.page(p1).result is not result1


# -- 10: the progress line: counts down, says "paused", says when the job is done -----------------
SHOTS = (
    __import__("pathlib").Path(__import__("os").environ.get("DESKTOP_OCR_SHOTS", ""))
    if __import__("os").environ.get("DESKTOP_OCR_SHOTS")
    else None
)


def shot(window, name: str) -> None:
    """Save a screenshot when DESKTOP_OCR_SHOTS names a folder (for a person to look at)."""
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / f"{name}.png"))


def test_progress_says_paused_while_paused_and_what_was_done_at_the_end(window, qtbot, tmp_path):
    c = window.controller
    pages = import_files(qtbot, window, three_crops(tmp_path))
    eta = window._eta
    texts: list[str] = []
    c.progress_changed.connect(lambda *_: texts.append(eta.text()))
    finished: list[tuple] = []
    c.reading_finished.connect(lambda *a: finished.append(a))
    toolbar_pause = window.findChild(QToolBar, "main_toolbar").widgetForAction(window.acts.pause)
    with qtbot.waitSignal(c.page_reading_started, timeout=90000):
        click_menu(qtbot, window, "Read", "Read All")
    QTest.mouseClick(toolbar_pause, Qt.MouseButton.LeftButton)  # pause: the page being read finishes
    qtbot.waitUntil(lambda: eta.text() == "paused", timeout=5000)
    qtbot.waitUntil(lambda: c.project.page(pages[0]).state.value == "read", timeout=180000)
    texts.clear()
    qtbot.wait(1500)  # the progress line is refreshed every 200 ms: it still says paused
    assert eta.text() == "paused" and c.reading.is_reading
    assert len(texts) > 3 and set(texts) == {"paused"}, texts  # refreshed, not frozen, and paused
    assert [c.project.page(p).state.value for p in pages[1:]] == ["queued", "queued"]
    shot(window, "progress-paused")
    QTest.mouseClick(toolbar_pause, Qt.MouseButton.LeftButton)  # resume
    qtbot.waitUntil(lambda: eta.text() != "paused", timeout=5000)
    qtbot.waitUntil(lambda: bool(finished), timeout=180000)  # the reading loop said it has nothing left
    assert finished == [(3, 0, 0)] and not c.reading.is_reading
    assert eta.text() == "Reading done: 3 pages read"
    assert eta.isVisible()
    shot(window, "progress-done")


# -- 11: deleting pages or documents can be undone --------------------------------------------
def _click_page(qtbot, window, page_id: str, mods=Qt.KeyboardModifier.NoModifier) -> None:
    view = window.page_list
    rect = view.visualRect(view.model().index_of(page_id))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, mods, rect.center())


def _delete_with_key(qtbot, window) -> list[str]:
    questions: list[str] = []
    seen = when_shown(qtbot, modal_box, lambda box: (questions.append(box.text()), click_button(box, "Yes")))
    QTest.keyClick(window.page_list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    return questions


def _delete_page(qtbot, window, page_id: str) -> None:
    """Page ``page_id`` deleted as a user does (clicked in the page list, Delete, Yes), and the window
    active again (the question box had the focus)."""
    qtbot.waitUntil(lambda: window.page_list.model().index_of(page_id).isValid(), timeout=5000)
    _click_page(qtbot, window, page_id)
    window.page_list.setFocus()
    _delete_with_key(qtbot, window)
    qtbot.waitUntil(lambda: not window.controller.project.has_page(page_id), timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def test_ctrl_z_in_the_text_brings_deleted_pages_back(window, qtbot, tmp_path):
    """The deletion's question and message say Ctrl+Z brings the page back, and Edit > Undo says
    "Undo Delete Pages"; but with the cursor in the text (the page shown next, clicked to go on
    proofreading) the text took Ctrl+Z for its own undo and the page stayed deleted."""
    c = window.controller
    p1, p2, p3 = import_files(qtbot, window, three_crops(tmp_path))
    c.edits.set_page_text(p2, "Text the user corrected on page 2")
    c.edits.set_page_text(p3, "Page three as corrected")
    _delete_page(qtbot, window, p2)
    shown = window.current_page_id()
    assert shown in (p1, p3)
    editor = window.editor.editor
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.cursorRect().center())
    qtbot.waitUntil(editor.hasFocus, timeout=3000)
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.project.has_page(p2), timeout=5000)
    assert c.project.page(p2).text == "Text the user corrected on page 2"
    assert c.project.page(p3).text == "Page three as corrected"
    assert window.acts.undo.text().replace("&", "") == "Undo"
    # with nothing deleted left to undo, Ctrl+Z in the text is the text's own undo again
    window.page_list.select_page(p3)
    qtbot.waitUntil(lambda: window.current_page_id() == p3, timeout=5000)
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=editor.cursorRect().center())
    QTest.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, " typed")
    assert window.editor.text().endswith("corrected typed")
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.text() == "Page three as corrected"
    assert c.project.page_count == 3


def test_the_editors_menu_undo_brings_deleted_pages_back_as_edit_undo_does(window, qtbot, tmp_path):
    """The editor's right-click Undo was Qt's own: with a deletion of pages the last thing to undo,
    Edit > Undo says "Undo Delete Pages" and brings them back, the menu's Undo undid the text."""
    c = window.controller
    p1, p2, p3 = import_files(qtbot, window, three_crops(tmp_path))
    c.edits.set_page_text(p3, "Page three as corrected")
    _delete_page(qtbot, window, p2)
    text = take_from_editor_menu(qtbot, window, 0, "edit-undo")
    assert text.split("\t")[0].replace("&", "") == "Undo Delete Pages"
    qtbot.waitUntil(lambda: c.project.has_page(p2), timeout=5000)
    assert [p.id for p in c.project.document_of(p1).pages] == [p1, p2, p3]
    assert c.project.page(p3).text == "Page three as corrected"


def test_a_page_waiting_its_turn_says_so_and_the_one_being_read_says_that(window, qtbot, tmp_path):
    """Read All on three real crops, then the user goes to the last page while the first is read:
    its banner said "This page is being read" though its turn had not come."""
    c = window.controller
    p1, p2, p3 = import_files(qtbot, window, three_crops(tmp_path))
    qtbot.waitUntil(lambda: window.page_list.model().index_of(p3).isValid(), timeout=5000)
    with qtbot.waitSignal(c.reading_changed, timeout=180000, check_params_cb=lambda on: not on):
        c.read_pages([p1, p2, p3])
        _click_page(qtbot, window, p3)
        qtbot.waitUntil(lambda: window.current_page_id() == p3, timeout=5000)
        banner = window.editor.banner
        waited = c.project.page(p3).state == PageState.QUEUED  # not when read side by side
        if waited:
            assert banner.isVisible() and "waiting to be read" in banner.text(), banner.text()
            qtbot.waitUntil(lambda: c.project.page(p3).state == PageState.READING, timeout=180000)
            assert banner.isVisible() and "being read" in banner.text(), banner.text()
    qtbot.waitUntil(lambda: not window.editor.banner.isVisible(), timeout=5000)
    if not waited:
        pytest.skip("the engine read the three pages side by side: none waited its turn")


def test_deleted_pages_and_documents_come_back_with_undo(window, qtbot, tmp_path):
    import sqlite3

    c = window.controller
    p1, p2, p3 = import_files(qtbot, window, three_crops(tmp_path))
    c.edits.set_page_text(p2, "Text the user corrected on page 2")
    doc = c.project.document_of(p1)
    qtbot.waitUntil(lambda: window.page_list.model().index_of(p2).isValid(), timeout=5000)

    _click_page(qtbot, window, p2)
    window.page_list.setFocus()
    [question] = _delete_with_key(qtbot, window)
    assert "Undo" in question  # the question says it can be undone
    qtbot.waitUntil(lambda: not c.project.has_page(p2), timeout=5000)
    assert window.acts.undo.text().replace("&", "") == "Undo Delete Pages"
    window.activateWindow()  # the question box had the focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    window.page_list.setFocus()
    QTest.keyClick(window.page_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: c.project.has_page(p2), timeout=5000)
    assert [p.id for p in c.project.document(doc.id).pages] == [p1, p2, p3]
    assert c.project.page(p2).text == "Text the user corrected on page 2"

    # the whole document: every page selected and deleted; it comes back under its name
    _click_page(qtbot, window, p1)
    _click_page(qtbot, window, p3, Qt.KeyboardModifier.ShiftModifier)
    assert set(window.page_list.selected_page_ids()) == {p1, p2, p3}
    window.page_list.setFocus()
    _delete_with_key(qtbot, window)
    qtbot.waitUntil(lambda: c.project.page_count == 0, timeout=5000)
    assert c.project.documents == []
    click_menu(qtbot, window, "Edit", "Undo Delete Pages")
    qtbot.waitUntil(lambda: c.project.page_count == 3, timeout=5000)
    [back] = c.project.documents
    assert (back.id, back.name, [p.id for p in back.pages]) == (doc.id, doc.name, [p1, p2, p3])
    assert window.acts.undo.text().replace("&", "") == "Undo"

    # and the project file holds them again, the corrected text included (read without our code)
    path = tmp_path / "saved.deskocr"
    assert c.save_as(str(path))
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT id, edited_text FROM pages WHERE document_id IS NOT NULL ORDER BY position"
        ).fetchall()
    assert rows == [(p1, None), (p2, "Text the user corrected on page 2"), (p3, None)]


# -- 15: the empty window, export and save-as proposals, the last project at start --------------
def _saved_project(tmp_path, name="harbour.deskocr"):
    """A real project file on disk with one page, listed as recent (as saving one in the app does)."""
    from desktop_ocr.model import recent
    from desktop_ocr.model.importer import import_paths
    from desktop_ocr.model.store import ProjectStore

    folder = tmp_path / "projects"
    folder.mkdir(exist_ok=True)
    store, project = ProjectStore.create_untitled()
    import_paths(project, [str(REAL / "ocrmypdf-c03-29.jpeg")], store)
    path = store.save_as(folder / name)
    store.close()
    recent.add_recent(path)
    return path


def test_the_empty_window_says_what_to_do_and_opens_a_recent_project(qtbot, tmp_path):
    from PySide6.QtWidgets import QFrame, QPushButton
    from qt_window import close_window, open_window

    path = _saved_project(tmp_path)
    w, c = open_window()
    try:
        hint = w.findChild(QFrame, "empty_hint")
        qtbot.waitUntil(hint.isVisible, timeout=3000)
        texts = " ".join(lab.text() for lab in hint.findChildren(QLabel))
        assert "Drop scans, PDFs or a project here" in texts and "Recent projects" in texts
        buttons = {b.text().split("  (")[0]: b for b in hint.findChildren(QPushButton) if b.isVisible()}
        assert {"Open…", "Open Folder…"} <= set(buttons) or {"Open...", "Open Folder..."} <= set(buttons), (
            buttons
        )
        shot(w, "empty-window")
        QTest.mouseClick(buttons[path.name], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: c.session.path == path, timeout=10000)
        qtbot.waitUntil(lambda: not hint.isVisible(), timeout=3000)  # a page is shown instead
        assert c.project.page_count == 1
    finally:
        close_window(w, c)


def test_export_proposes_the_projects_folder_then_the_last_export_folder(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from desktop_ocr.settings import Settings
    from desktop_ocr.ui.dialogs import ExportDialog

    c = window.controller
    path = _saved_project(tmp_path)
    window.open_paths([str(path)])
    qtbot.waitUntil(lambda: c.session.path == path and c.project.page_count == 1, timeout=10000)
    c.project.set_result(c.project.documents[0].pages[0].id,
                         __import__("desktop_ocr.model.result", fromlist=["PageResult"]).PageResult(
                             (), "raw", "Chapter III", width=770, height=995))  # fmt: skip
    proposed: list[str] = []
    out = tmp_path / "exports"
    out.mkdir()

    def export_to(folder):
        def act(dlg) -> None:
            edit = dlg.findChild(QLineEdit)
            proposed.append(edit.text())
            if folder is None:
                dlg.reject()
                return
            edit.setText(str(folder))
            QTest.mouseClick(dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                             Qt.MouseButton.LeftButton)  # fmt: skip

        return act

    seen = when_shown(qtbot, lambda: QApplication.activeModalWidget() if isinstance(
        QApplication.activeModalWidget(), ExportDialog) else None, export_to(out))  # fmt: skip
    with qtbot.waitSignal(c.export_finished, timeout=20000):
        click_menu(qtbot, window, "File", "Export")
    assert seen and proposed == [str(path.parent)]  # not the home folder
    assert Settings.load().last_export_dir == str(out)  # remembered at once, on disk
    seen = when_shown(qtbot, lambda: QApplication.activeModalWidget() if isinstance(
        QApplication.activeModalWidget(), ExportDialog) else None, export_to(None))  # fmt: skip
    click_menu(qtbot, window, "File", "Export")
    qtbot.waitUntil(lambda: len(proposed) == 2, timeout=5000)
    assert proposed[1] == str(out)


def test_save_as_proposes_the_first_documents_name(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []

    def get_save_file_name(parent, caption, start, *args, **kwargs):  # Qt's dialog, answered "Cancel"
        asked.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    import_files(qtbot, window, three_crops(tmp_path))
    window.controller.settings.last_open_dir = str(tmp_path)
    click_menu(qtbot, window, "File", "Save Project As")
    qtbot.waitUntil(lambda: bool(asked), timeout=3000)
    assert asked == [str(tmp_path / "part1.deskocr")]  # not "Untitled project.deskocr"


@pytest.mark.parametrize("reopen", [True, False])
def test_the_last_project_reopens_at_start_when_the_setting_says_so(window, qtbot, tmp_path, reopen):
    c = window.controller
    path = _saved_project(tmp_path)
    c.settings.reopen_last_project = reopen
    assert window.reopen_last_project() is reopen
    if reopen:
        qtbot.waitUntil(lambda: c.session.path == path, timeout=10000)
    else:
        assert c.session.is_untitled


# -- 12: a drop of several loose images asks whether they are one document --------------------
def _drop_on(widget, paths) -> None:
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(30, 30), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)  # fmt: skip
    widget.dropEvent(event)  # what Qt calls when files are dropped on the window


@pytest.mark.parametrize(("answer", "names"), [("One Document", ["part1"]),
                                               ("One Document Each", ["part1", "part2", "part3"])])  # fmt: skip
def test_a_drop_of_loose_images_offers_to_make_one_document(window, qtbot, tmp_path, answer, names):
    c = window.controller
    questions: list[str] = []
    seen = when_shown(qtbot, modal_box, lambda box: (questions.append(box.text()), click_button(box, answer)))
    with qtbot.waitSignal(c.import_finished, timeout=90000):
        _drop_on(window, three_crops(tmp_path))
    assert seen and questions == ["Make one document of the 3 images, named part1?"]
    assert [d.name for d in c.project.documents] == names
    assert c.project.page_count == 3
