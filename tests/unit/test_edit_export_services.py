"""The page edits and the export requests without Qt, on a real project session (store on disk):
pages being read are left alone, a deletion is undone with its text, a refused edit is reported;
an export that stopped at existing files runs again once with the user's policy."""

from __future__ import annotations

from pathlib import Path

from test_store import make_pdf

from desktop_ocr.engine.base import ReadOptions
from desktop_ocr.export.requests import ExportRequests
from desktop_ocr.model.edits import EditEvents, PageEdits
from desktop_ocr.model.importer import import_paths
from desktop_ocr.model.session import ProjectSession
from desktop_ocr.reading.jobs import next_job_id
from desktop_ocr.reading.service import ReadingService


class Events(EditEvents):
    def __init__(self) -> None:
        self.log: list[tuple] = []

    def refused(self, operation, error):
        self.log.append(("refused", operation, type(error).__name__))

    def deletions_changed(self, count):
        self.log.append(("deletions", count))

    def pages_restored(self, page_ids):
        self.log.append(("restored", tuple(page_ids)))


def _session(tmp_path: Path) -> ProjectSession:
    session = ProjectSession()
    outcome = import_paths(session.project, [make_pdf(tmp_path / "scan.pdf", 3)], session.store)
    assert not outcome.problems
    return session


def test_edits_leave_pages_being_read_alone_and_undo_a_deletion(tmp_path):
    session = _session(tmp_path)
    project = session.project
    pages = list(project.all_pages())
    reading = ReadingService(project)
    events = Events()
    deleting: list[list[str]] = []
    edits = PageEdits(session, reading.is_busy, deleting.append, events)
    assert reading.submit([pages[0].id], ReadOptions(), session.store.source_opener()) is not None
    edits.set_page_text(pages[0].id, "typed while queued")
    edits.set_page_text(pages[1].id, "typed")
    edits.rotate_pages([pages[0].id, pages[1].id], 90)
    assert pages[0].text == "" and pages[0].rotation == 0
    assert pages[1].text == "typed" and pages[1].rotation == 90 and pages[1].is_edited
    edits.restore_text(pages[1].id, "older")
    assert [v.text for v in edits.text_versions(pages[1].id)][:2] == ["older", "typed"]
    edits.delete_pages([pages[1].id, "no-such-page"])
    assert deleting == [[pages[1].id]] and not project.has_page(pages[1].id) and edits.can_undo_delete
    assert edits.undo_delete() == [pages[1].id]
    assert project.page(pages[1].id).text == "older" and not edits.can_undo_delete
    assert events.log == [("deletions", 1), ("deletions", 0), ("restored", (pages[1].id,))]
    events.log.clear()
    edits.move_pages([pages[2].id], "no-such-document", 0)
    assert not edits.rename_document("no-such-document", "x")
    assert events.log == [("refused", "move", "KeyError"), ("refused", "rename", "KeyError")]
    doc = project.documents[0]
    assert edits.rename_document(doc.id, "Minutes") and project.documents[0].name == "Minutes"
    edits.split_document(doc.id, 1)
    assert len(project.documents) == 2
    edits.merge_documents([d.id for d in project.documents])
    assert len(project.documents) == 1 and project.page_count == 3
    session.close_store(session.store)


def test_an_export_waiting_for_an_answer_runs_again_once_with_the_chosen_policy(tmp_path):
    session = _session(tmp_path)
    project = session.project
    requests = ExportRequests(next_job_id)
    assert requests.job(project, ["gone"], tmp_path, ["md"], "none") is None
    doc = project.documents[0]
    job = requests.job(project, ["gone", doc.id], tmp_path / "out", ["md", "txt"], "none")
    assert job is not None and job.document_ids == (doc.id,) and job.policy == "error"
    requests.started(job)
    requests.needs_overwrite(job.job_id)
    assert requests.finished(job.job_id) is None  # it waits for the answer, not for the thread
    again = requests.resolve("rename")
    assert again is not None and again.policy == "rename" and again.job_id != job.job_id
    assert (again.document_ids, again.out_dir, again.formats) == (job.document_ids, job.out_dir, job.formats)
    assert requests.resolve("overwrite") is None  # answered once
    requests.started(again)
    requests.needs_overwrite(again.job_id)
    assert requests.resolve("bogus") is None and requests.resolve("rename") is None
    session.close_store(session.store)
