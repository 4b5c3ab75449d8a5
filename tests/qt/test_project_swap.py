"""Project swaps in the real window: A, then B, then A again; the page list, the editor and the canvas
follow each open project, and nothing keeps listening to (or holding) a project that was closed."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from sample_docs import write_pdf

from desktop_ocr.model.document import PageState
from desktop_ocr.ui.page_list import PageListModel

pytestmark = pytest.mark.gui

A_PAGES = [["Alpha report", "First page of A."], ["Alpha annex", "Second page of A."]]
B_PAGES = [["Beta notes", "Only page of B."], ["Beta two", "B again."], ["Beta three", "B ends."]]


def type_into_editor(qtbot, window, text: str) -> None:
    editor = window.editor.editor
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    window.editor.flush()


def make_project(qtbot, window, tmp_path, name: str, pages: list[list[str]], typed: str):
    """A project of one imported PDF whose first page the user typed ``typed`` into, saved as
    ``name``.deskocr."""
    c = window.controller
    c.new_project()
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        window.open_paths([str(write_pdf(tmp_path / f"{name}.pdf", pages))])
    first = c.project.documents[0].pages[0].id
    qtbot.waitUntil(lambda: window.current_page_id() == first, timeout=5000)
    type_into_editor(qtbot, window, typed)
    assert c.project.page(first).text.endswith(typed)
    path = tmp_path / f"{name}.deskocr"
    assert c.save_as(path)
    return path


def shown(qtbot, window, page_count: int, text_end: str) -> None:
    """The window shows the open project: its pages in the list, its first page in the editor and on
    the canvas."""
    c = window.controller
    ids = [p.id for p in c.project.all_pages()]
    model = window.page_list.model()
    assert len(ids) == page_count
    qtbot.waitUntil(lambda: window.current_page_id() == ids[0], timeout=5000)
    assert [model.index(r, 0).data(PageListModel.PageIdRole) for r in range(model.rowCount())] == ids
    assert window.page_list.current_page_id() == ids[0]
    assert window.editor.text().endswith(text_end)
    assert window.canvas.page_id() == ids[0]
    qtbot.waitUntil(lambda: window.canvas.image_item() is not None, timeout=15_000)


def test_open_a_then_b_then_a_again_and_edit(qtbot, window, tmp_path):
    c = window.controller
    a = make_project(qtbot, window, tmp_path, "alpha", A_PAGES, " typed in A")
    b = make_project(qtbot, window, tmp_path, "beta", B_PAGES, " typed in B")
    closed = []  # every project object the window showed and then left
    for path, count, typed in ((a, 2, " typed in A"), (b, 3, " typed in B"), (a, 2, " typed in A")):
        closed.append(weakref.ref(c.project))
        assert c.open_project(path)
        shown(qtbot, window, count, typed)
    project = c.project
    # Only the store and the controller listen to the open project: widgets follow the controller.
    assert len(project._listeners) == 2

    # Edits in the project opened last reach the page list, the editor and the canvas.
    first, second = (p.id for p in project.all_pages())
    model = window.page_list.model()
    type_into_editor(qtbot, window, " and more")
    assert project.page(first).text.endswith("typed in A and more")
    qtbot.waitUntil(lambda: model.index(0, 0).data(PageListModel.StateRole) == PageState.EDITED, timeout=2000)
    window.page_list.select_page(second)
    qtbot.waitUntil(lambda: window.current_page_id() == second, timeout=5000)
    assert window.canvas.page_id() == second
    window.acts.rotate_right.trigger()
    assert project.page(second).rotation == 90
    qtbot.waitUntil(lambda: window.canvas.rotation() == 90, timeout=5000)
    w, h = model.index(1, 0).data(PageListModel.PageSizeRole)
    assert w > h  # the list shows the page on its side too

    # The projects closed on the way are gone: nothing (a model, a signal connection) holds them.
    gc.collect()
    for _ in range(3):  # every deleteLater done
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert [ref() is None for ref in closed] == [True, True, True]
