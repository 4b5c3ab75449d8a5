"""The Controller with the real store, import worker and embedded engine: import, read, edit,
autosave (checked through a second SQLite connection), re-read keeps the edit, cancel, failures."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sample_docs import write_pdf

from desktop_ocr.model.document import PageState
from desktop_ocr.settings import Settings
from desktop_ocr.worker.controller import Controller

pytestmark = pytest.mark.gui


@pytest.fixture
def controller(qtbot):
    s = Settings()
    s.engine = "embedded"
    c = Controller(s)
    yield c
    c.shutdown()


def _import(qtbot, c: Controller, paths) -> list[str]:
    with qtbot.waitSignal(c.import_finished, timeout=30_000) as blocker:
        c.import_paths([str(p) for p in paths])
    return blocker.args[0]


def _read_and_wait(qtbot, c: Controller, page_ids, **kw) -> None:
    with qtbot.waitSignal(c.reading_changed, timeout=120_000, check_params_cb=lambda on: on is False):
        assert c.read_pages(page_ids, **kw)


def _stored_page(path, page_id):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT state, edited_text FROM pages WHERE id = ?", (page_id,)).fetchone()
    finally:
        conn.close()


def test_import_read_edit_is_on_disk_within_two_seconds(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf")])
    assert len(docs) == 1
    pages = c.project.document(docs[0]).pages
    assert len(pages) == 3 and all(p.state == PageState.NOT_READ for p in pages)
    _read_and_wait(qtbot, c, [p.id for p in pages])
    assert [p.state for p in pages] == [PageState.READ] * 3
    assert "north pier" in pages[0].text and "east wall" in pages[1].text

    target = pages[1]
    c.edits.set_page_text(target.id, "Second Report\n\nRepairs began on the EAST wall in May.")
    t0 = time.monotonic()
    while time.monotonic() - t0 < 2.0:
        row = _stored_page(c.store.path, target.id)
        if row and row[1] and "EAST wall" in row[1]:
            break
        qtbot.wait(50)
    assert row == ("edited", "Second Report\n\nRepairs began on the EAST wall in May.")


def test_reading_an_edited_page_again_keeps_the_edit_in_history(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf", [["Only Page", "Text to read here."]])])
    page = c.project.document(docs[0]).pages[0]
    _read_and_wait(qtbot, c, [page.id])
    c.edits.set_page_text(page.id, "My careful correction")
    assert c.reading.edited_pages([page.id]) == [page.id]
    assert c.read_pages([page.id]) == 0  # edited pages are skipped unless the user agreed
    _read_and_wait(qtbot, c, [page.id], include_edited=True)
    assert page.state == PageState.READ and "Text to read here" in page.text
    texts = [v.text for v in c.edits.text_versions(page.id)]
    assert "My careful correction" in texts
    c.edits.restore_text(page.id, "My careful correction")
    assert page.text == "My careful correction" and page.state == PageState.EDITED


def test_cancel_all_puts_pages_back_at_once_and_drops_late_results(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf")])
    ids = [p.id for p in c.project.document(docs[0]).pages]
    with qtbot.waitSignal(c.page_reading_started, timeout=30_000):
        c.read_pages(ids)
    c.cancel_all()
    assert [c.project.page(i).state for i in ids] == [PageState.NOT_READ] * 3
    assert not c.reading.is_reading
    qtbot.wait(3000)  # whatever the worker finishes now must not land
    assert all(c.project.page(i).result is None for i in ids)


def test_pause_and_resume_through_the_controller(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf")])
    ids = [p.id for p in c.project.document(docs[0]).pages]
    c.pause()
    c.read_pages(ids)
    qtbot.wait(1500)
    assert [c.project.page(i).state for i in ids] == [PageState.QUEUED] * 3
    with qtbot.waitSignal(c.reading_changed, timeout=120_000, check_params_cb=lambda on: on is False):
        c.resume()
    assert [c.project.page(i).state for i in ids] == [PageState.READ] * 3


def test_a_bad_file_is_reported_by_name_and_the_good_one_imports(qtbot, controller, tmp_path):
    c = controller
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n garbage that is not a PDF")
    problems: list = []
    c.problems_reported.connect(lambda title, lines: problems.extend(lines))
    docs = _import(qtbot, c, [bad, write_pdf(tmp_path / "good.pdf")])
    assert len(docs) == 1 and c.project.document(docs[0]).name == "good"
    assert any("broken.pdf" in line for line in problems)


def test_project_reopens_with_results_and_edits(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf", [["Kept Page", "Read me once."]])])
    page = c.project.document(docs[0]).pages[0]
    _read_and_wait(qtbot, c, [page.id])
    c.edits.set_page_text(page.id, "Kept Page\n\nRead me once, corrected.")
    target = tmp_path / "saved.deskocr"
    assert c.save_as(target)
    c.new_project()
    assert c.project.page_count == 0
    assert c.open_project(target)
    reopened = c.project.page(page.id)
    assert reopened.text == "Kept Page\n\nRead me once, corrected."
    assert reopened.result is not None and "Read me once" in reopened.result.markdown


def test_export_uses_the_edit_and_never_overwrites_silently(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf")])
    pages = c.project.document(docs[0]).pages
    _read_and_wait(qtbot, c, [p.id for p in pages])
    c.edits.set_page_text(pages[1].id, "Second Report\n\nMy corrected line.")
    out = tmp_path / "out"
    with qtbot.waitSignal(c.export_finished, timeout=30_000) as blocker:
        c.export(docs, out, ["md", "txt", "json"], "official")
    names = sorted(Path(p).name for p in blocker.args[0])
    assert names == ["survey.json", "survey.md", "survey.txt"]
    md = (out / "survey.md").read_text(encoding="utf-8")
    assert "My corrected line." in md and "east wall" not in md
    assert md.count("<--- Page Split --->") == 2
    before = md
    with qtbot.waitSignal(c.export_overwrite_requested, timeout=30_000) as asked:
        c.export(docs, out, ["md"], "none")
    assert [Path(p).name for p in asked.args[0]] == ["survey.md"]
    assert (out / "survey.md").read_text(encoding="utf-8") == before  # nothing written
    with qtbot.waitSignal(c.export_finished, timeout=30_000) as blocker:
        c.resolve_export_conflict("rename")
    assert [Path(p).name for p in blocker.args[0]] == ["survey (2).md"]
    assert "<--- Page Split --->" not in (out / "survey (2).md").read_text(encoding="utf-8")


def test_an_encrypted_pdf_asks_for_its_password_then_imports(qtbot, controller, tmp_path):
    import pymupdf
    from sample_docs import make_text_pdf

    src = pymupdf.open(stream=make_text_pdf(), filetype="pdf")
    locked = tmp_path / "locked.pdf"
    src.save(str(locked), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="owner")
    src.close()
    c = controller
    with qtbot.waitSignal(c.passwords_requested, timeout=30_000) as asked:
        c.import_paths([str(locked)])
    assert asked.args[0] == [(str(locked), False)]
    assert c.project.page_count == 0
    with qtbot.waitSignal(c.passwords_requested, timeout=30_000) as asked:
        c.import_paths([str(locked)], {str(locked): "wrong"})
    assert asked.args[0] == [(str(locked), True)]
    docs = _import_with(qtbot, c, [str(locked)], {str(locked): "s3cret"})
    assert len(c.project.document(docs[0]).pages) == 3


def test_the_password_question_comes_before_the_list_of_failed_files(qtbot, controller, tmp_path):
    """Found opening a folder of bad files in the window: the password dialog for encrypted.pdf
    opened on top of "Some files could not be imported" and hid the failed files' reasons."""
    import pymupdf
    from sample_docs import make_text_pdf

    src = pymupdf.open(stream=make_text_pdf(), filetype="pdf")
    locked = tmp_path / "locked.pdf"
    src.save(str(locked), encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="s3cret", owner_pw="owner")
    src.close()
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    c = controller
    heard: list[str] = []
    c.passwords_requested.connect(lambda *_: heard.append("password"))
    c.problems_reported.connect(lambda *_: heard.append("problems"))
    with qtbot.waitSignal(c.import_finished, timeout=30_000):
        c.import_paths([str(empty), str(locked)])
    assert heard == ["password", "problems"]


def _import_with(qtbot, c, paths, passwords):
    with qtbot.waitSignal(c.import_finished, timeout=30_000) as blocker:
        c.import_paths(paths, passwords)
    return blocker.args[0]


def test_cancel_current_page_frees_it_at_once_and_the_rest_is_read(qtbot, controller, tmp_path):
    c = controller
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf")])
    ids = [p.id for p in c.project.document(docs[0]).pages]
    with qtbot.waitSignal(c.page_reading_started, timeout=30_000) as started:
        c.read_pages(ids)
    first = started.args[0]
    c.cancel_current()
    assert c.project.page(first).state == PageState.NOT_READ and not c.reading.is_busy(first)
    with qtbot.waitSignal(c.reading_changed, timeout=120_000, check_params_cb=lambda on: on is False):
        pass
    assert c.project.page(first).result is None
    assert [c.project.page(i).state for i in ids if i != first] == [PageState.READ, PageState.READ]


def test_import_and_export_answers_reach_the_widgets_on_the_gui_thread(qtbot, controller, tmp_path):
    """The import and export threads' answers go through QObjects of the GUI thread: every signal
    the widgets hear of them (progress, problems, done, files in the way) is emitted there."""
    import threading

    from PySide6.QtCore import Qt

    c = controller
    threads: set[int] = set()

    def heard(*_args) -> None:
        threads.add(threading.get_ident())

    # Direct: ``heard`` runs in the thread that emits (PySide6 6.11 queues a plain callable to the
    # sender's thread otherwise, which would hide an emit from a worker's thread).
    direct = Qt.ConnectionType.DirectConnection
    for signal in (c.status_message, c.problems_reported, c.import_finished, c.export_finished):
        signal.connect(heard, direct)
    c.export_overwrite_requested.connect(heard, direct)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    docs = _import(qtbot, c, [write_pdf(tmp_path / "survey.pdf"), bad])
    out = tmp_path / "out"
    with qtbot.waitSignal(c.export_finished, timeout=30_000):
        c.export(docs, out, ["md", "pdf"], "official")
    with qtbot.waitSignal(c.export_overwrite_requested, timeout=30_000):
        c.export(docs, out, ["md"], "none")
    assert threads == {threading.main_thread().ident}


def test_settings_out_of_range_are_refused_by_name_and_the_file_keeps_the_good_ones(qtbot, controller):
    """The settings dialog's settings go through the one saving step: a value outside its range is
    not written (on the old code -72 dpi was saved, and every later convert refused to run)."""
    c = controller
    good = Settings()
    good.engine = "embedded"
    good.dpi = 200
    c.apply_settings(good)
    assert Settings.load().dpi == 200
    bad = Settings()
    bad.engine = "embedded"
    bad.dpi = -72
    with qtbot.waitSignal(c.status_message, timeout=2000) as said:
        c.apply_settings(bad)
    assert "setting dpi is -72" in said.args[0]
    assert Settings.load_checked() == (Settings.load(), []) and Settings.load().dpi == 200
