"""Page list: model contract, lazy thumbnails, drag reordering, state badges."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent, QImage

from desktop_ocr.model.document import Page, PageState, new_id
from desktop_ocr.ui import demo
from desktop_ocr.ui.page_delegate import STATE_COLOURS
from desktop_ocr.ui.page_list import PageListModel, PageListView, StaticThumbnailSource

pytestmark = pytest.mark.gui


def solid(colour: str, w: int = 100, h: int = 141) -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    return img


@pytest.fixture
def project():
    return demo.sample_project((("first.pdf", 3), ("second.pdf", 2)))


@pytest.fixture
def source():
    return StaticThumbnailSource(lambda pid, rot, size: solid("#ff0000"))


@pytest.fixture
def view(qtbot, project, source):
    model = PageListModel(project, source)
    v = PageListView()
    v.setModel(model)
    v.resize(180, 900)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_model_passes_qt_model_tester(qtmodeltester, project, source):
    model = PageListModel(project, source)
    qtmodeltester.check(model)
    # structure changes keep the model consistent
    ids = [p.id for p in project.all_pages()]
    second = project.documents[1].id
    project.move_pages([ids[0]], second, 1)
    project.delete_pages([ids[2]])
    project.add_document("new", [Page(new_id(), "s", 0, 100, 100)])
    project.rotate_pages([ids[1]], 90)
    qtmodeltester.check(model)
    assert model.page_ids() == [p.id for p in project.all_pages()]


def test_roles_follow_the_project(project, source):
    model = PageListModel(project, source)
    _first, second = project.documents
    assert model.rowCount() == 5
    idx = model.index(3, 0)
    assert model.data(idx, Qt.ItemDataRole.DisplayRole) == "p. 1"
    assert model.data(idx, PageListModel.DocumentNameRole) == second.name
    assert model.data(idx, PageListModel.DocumentIdRole) == second.id
    assert model.data(idx, PageListModel.FirstOfDocumentRole) is True
    assert model.data(model.index(4, 0), PageListModel.FirstOfDocumentRole) is False
    page = second.pages[0]
    project.set_state([page.id], PageState.READING)
    model.set_progress(page.id, 0.25)
    assert model.data(idx, PageListModel.StateRole) == PageState.READING
    assert model.data(idx, PageListModel.ProgressRole) == pytest.approx(0.25)
    project.set_reviewed([page.id])
    assert model.data(idx, PageListModel.ReviewedRole) is True
    project.set_state([page.id], PageState.FAILED, error="bad page")
    assert model.data(idx, PageListModel.ProgressRole) is None
    assert "bad page" in model.data(idx, Qt.ItemDataRole.ToolTipRole)


def test_placeholder_then_real_thumbnail(qtbot, view, source):
    model = view.model()
    pid = model.page_id_at(0)
    assert model.item(0).image is None  # requested, not ready yet: the delegate paints a placeholder
    before = view.grab().toImage()
    with qtbot.waitSignal(model.dataChanged, timeout=2000):
        pass
    qtbot.waitUntil(lambda: model.item(0).image is not None, timeout=2000)
    assert model.item(0).image.pixelColor(5, 5) == QColor("#ff0000")
    after = view.grab().toImage()
    rect = view.visualRect(model.index(0, 0))
    centre = rect.center() + QPoint(0, 10)
    dpr = after.devicePixelRatio()
    px = lambda img: img.pixelColor(round(centre.x() * dpr), round(centre.y() * dpr))  # noqa: E731
    assert px(after) == QColor("#ff0000")
    assert px(before) != QColor("#ff0000")
    assert (pid, 0, model.thumbnail_size) in source.requests


def test_thumbnails_requested_only_for_visible_rows(qtbot):
    project = demo.sample_project((("big.pdf", 500),))
    source = StaticThumbnailSource(lambda pid, rot, size: solid("#00ff00"))
    model = PageListModel(project, source)
    view = PageListView()
    view.setModel(model)
    view.resize(180, 600)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(50)
    requested = {key[0] for key in source.requests}
    assert 0 < len(requested) < 20
    assert model.page_id_at(0) in requested
    assert model.page_id_at(499) not in requested
    view.scrollToBottom()
    qtbot.wait(50)
    view.grab()
    assert model.page_id_at(499) in {key[0] for key in source.requests}


def test_drop_requests_a_move_with_ids_and_position(qtbot, view, project):
    model = view.model()
    first, second = project.documents
    moving = [first.pages[0].id, first.pages[1].id]
    mime = model.mimeData([model.index(0, 0), model.index(1, 0)])
    # dropped before row 4 (the second page of the second document)
    with qtbot.waitSignal(model.pages_move_requested) as blocker:
        model.dropMimeData(mime, Qt.DropAction.MoveAction, 4, 0, QModelIndex())
    assert blocker.args == [moving, second.id, 1]
    # the model does not move anything itself
    assert [p.id for p in first.pages][:2] == moving


def test_view_drop_event_maps_position_to_document_and_index(qtbot, view, project):
    model = view.model()
    first, second = project.documents
    mime = model.mimeData([model.index(0, 0)])
    target = view.visualRect(model.index(3, 0))  # first page of the second document
    # lower half of that item: after it
    pos = QPointF(target.center().x(), target.bottom() - 5)
    event = QDropEvent(
        pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(model.pages_move_requested) as blocker:
        view.dropEvent(event)
    assert blocker.args == [[first.pages[0].id], second.id, 1]
    # upper half of the last page of the first document: before it
    target = view.visualRect(model.index(2, 0))
    pos = QPointF(target.center().x(), target.top() + 40)
    event = QDropEvent(
        pos, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(model.pages_move_requested) as blocker:
        view.dropEvent(event)
    assert blocker.args == [[first.pages[0].id], first.id, 2]
    # applying the request with the project's own operation gives the expected order
    project.move_pages(*blocker.args)
    assert [p.id for p in first.pages] == [first.pages[0].id, first.pages[1].id, first.pages[2].id]


def test_selection_survives_a_move_and_signals(qtbot, view, project):
    model = view.model()
    first, second = project.documents
    pid = first.pages[1].id
    with qtbot.waitSignal(view.current_page_changed) as blocker:
        view.select_page(pid)
    assert blocker.args == [pid]
    project.move_pages([pid], second.id, 2)
    assert view.current_page_id() == pid
    assert view.selected_page_ids() == [pid]
    assert model.row_of(pid) == 4


def test_keys_request_delete_and_rotate(qtbot, view, project):
    pid = project.documents[0].pages[0].id
    view.select_page(pid)
    with qtbot.waitSignal(view.delete_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert blocker.args == [[pid]]
    with qtbot.waitSignal(view.rotate_requested) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [[pid], 90]
    with qtbot.waitSignal(view.rotate_requested) as blocker:
        qtbot.keyClick(
            view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
    assert blocker.args == [[pid], -90]


@pytest.mark.parametrize("state", list(PageState))
def test_state_badges_paint_their_colour(qtbot, view, project, state):
    model = view.model()
    pid = model.page_id_at(0)
    project.set_state([pid], state)
    img = view.grab().toImage()
    dpr = img.devicePixelRatio()
    rect = view.visualRect(model.index(0, 0))
    # the caption's right half carries the state word in the state's colour
    cap_y = rect.bottom() - 12
    wanted = STATE_COLOURS[state]
    found = False
    for x in range(rect.center().x(), rect.right()):
        for y in range(cap_y - 8, cap_y + 8):
            c = img.pixelColor(round(x * dpr), round(y * dpr))
            if (
                abs(c.red() - wanted.red()) + abs(c.green() - wanted.green()) + abs(c.blue() - wanted.blue())
                < 60
            ):
                found = True
                break
        if found:
            break
    assert found, f"no {state.value} colour in the caption"


def test_rotated_page_asks_for_a_new_thumbnail_and_ignores_stale_ones(qtbot, project):
    made = []

    def make(pid, rot, size):
        made.append((pid, rot))
        return solid("#0000ff", 141, 100) if rot % 180 else solid("#ff0000")

    source = StaticThumbnailSource(make)
    model = PageListModel(project, source)
    pid = model.page_id_at(0)
    assert model.item(0).image is None
    source.deliver()
    assert model.item(0).image.pixelColor(1, 1) == QColor("#ff0000")
    project.rotate_pages([pid], 90)
    assert model.item(0).image is None  # a new request for the new rotation
    # a portrait thumbnail (rendered before the rotation) arriving late is ignored
    source.thumbnail_ready.emit(pid, solid("#ff0000"))
    assert model.item(0).image is None
    source.deliver()
    assert model.item(0).image.pixelColor(1, 1) == QColor("#0000ff")
    assert (pid, 90) in made


def test_a_new_model_replaces_the_old_one(qtbot, view, source):
    other = demo.sample_project((("other.pdf", 2),))
    model = PageListModel(other, source)
    view.setModel(model)
    pid = other.documents[0].pages[1].id
    with qtbot.waitSignal(view.current_page_changed) as blocker:
        view.select_page(pid)
    assert blocker.args == [pid]
    assert view.selected_page_ids() == [pid]


def test_one_model_shows_another_project_and_follows_it(qtbot, qtmodeltester, view, project, source):
    model = view.model()
    view.select_page(project.documents[1].pages[0].id)
    other = demo.sample_project((("other.pdf", 2),))
    with qtbot.waitSignal(view.current_page_changed) as blocker:
        model.set_project(other)
        view.select_page(other.documents[0].pages[0].id)
    assert blocker.args == [other.documents[0].pages[0].id]
    assert model.page_ids() == [p.id for p in other.all_pages()]
    qtmodeltester.check(model)
    project.delete_pages([project.documents[0].pages[0].id])  # the project left: not followed
    other.add_document("new", [Page(new_id(), "s", 0, 100, 100)])
    assert model.page_ids() == [p.id for p in other.all_pages()] and model.rowCount() == 3
    qtmodeltester.check(model)
