"""The project session without Qt: an untitled start, Save As with the suffix added, a swap that
leaves the old store for the caller to close (an empty untitled one is deleted), reopening."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_ocr import PROJECT_SUFFIX, paths
from desktop_ocr.model.importer import import_paths
from desktop_ocr.model.recent import load_recent
from desktop_ocr.model.session import ProjectSession, project_file
from desktop_ocr.model.store import ProjectError


def _add_pages(session: ProjectSession, tmp_path: Path) -> None:
    from test_store import make_pdf

    outcome = import_paths(session.project, [make_pdf(tmp_path / "scan.pdf", 2)], session.store)
    assert not outcome.problems


def test_untitled_then_saved_as_then_reopened(tmp_path: Path) -> None:
    session = ProjectSession()
    assert session.is_untitled and session.path is None and not session.has_content
    assert session.store.path.parent == paths.recovery_dir()
    _add_pages(session, tmp_path)
    page_ids = [p.id for p in session.project.all_pages()]
    target = project_file(tmp_path / "minutes")
    assert target.suffix == PROJECT_SUFFIX and project_file(target) == target
    session.save_as(target)
    assert session.path == target and not session.is_untitled and target.is_file()
    assert load_recent()[0] == target
    assert session.is_open(tmp_path / "." / target.name)
    store, project = session.create_untitled()
    old = session.swap(store, project)
    session.close_store(old)
    store, project = session.open_file(target)
    session.close_store(session.swap(store, project))
    assert session.path == target and [p.id for p in session.project.all_pages()] == page_ids
    session.close_store(session.store)


def test_an_empty_untitled_store_is_deleted_when_swapped_out(tmp_path: Path) -> None:
    session = ProjectSession()
    first = session.store.path
    store, project = session.create_untitled()
    session.close_store(session.swap(store, project))
    assert not first.exists() and session.store.path.exists()
    session.close_store(session.store)
    assert not session.store.path.exists()


def test_a_file_that_is_not_a_project_is_refused_by_name(tmp_path: Path) -> None:
    bad = tmp_path / "notes.deskocr"
    bad.write_text("not sqlite")
    with pytest.raises(ProjectError) as e:
        ProjectSession.open_file(bad)
    assert "notes.deskocr" in str(e.value)


def test_the_session_hears_the_open_projects_changes_only(tmp_path: Path) -> None:
    heard: list[str] = []
    errors: list[str] = []
    session = ProjectSession(lambda change: heard.append(change.kind.name), errors.append)
    first = session.project
    _add_pages(session, tmp_path)
    assert "DOCUMENTS" in heard and session.store.on_error == errors.append
    store, project = session.create_untitled()
    old = session.swap(store, project)
    heard.clear()
    first.set_meta("dpi", 300)  # the project swapped out: not heard any more
    assert heard == []
    project.set_meta("dpi", 200)
    assert heard == ["META"] and store.on_error == errors.append
    session.close_store(old)
    session.stop_following()
    project.set_meta("dpi", 100)
    assert heard == ["META"]
    session.close_store(session.store)


def test_a_session_of_a_file_creates_it_then_reopens_it_and_refuses_a_damaged_one(tmp_path: Path) -> None:
    """What ``desktop-ocr convert --project`` works in: the file made, its pages there on the next
    run, no recovery file and no recent entry; a damaged file refused by name and left as it was."""
    target = tmp_path / "book.deskocr"
    session = ProjectSession.of_file(target)
    assert session.created and session.path == target and target.is_file()
    _add_pages(session, tmp_path)
    page_ids = [p.id for p in session.project.all_pages()]
    session.close()
    assert session.store.closed and load_recent() == []
    again = ProjectSession.of_file(target)
    assert not again.created and [p.id for p in again.project.all_pages()] == page_ids
    again.close()
    bad = tmp_path / "bad.deskocr"
    bad.write_bytes(b"SQLite format 3\0" + b"\xff" * 200)
    before = bad.read_bytes()
    with pytest.raises(ProjectError) as e:
        ProjectSession.of_file(bad)
    assert "bad.deskocr" in str(e.value) and bad.read_bytes() == before
