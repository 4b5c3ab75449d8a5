"""Project files from someone else, through the store: planted SQL never runs, damaged values are
refused naming the column, a failed open never keeps the lock, and nothing is written before the
user agreed."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from hostile_corpus import CASES, by_name, digest, make

from desktop_ocr.model import blobs, lockfile
from desktop_ocr.model.store import ForeignSchema, ProjectError, ProjectStore


def _schema(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return {(t, n) for t, n in conn.execute("SELECT type, name FROM sqlite_master")}
    finally:
        conn.close()


#: Run in-process, every case but the hanging trigger: were it ever run, this test would hang; it
#: is run as a subprocess with a time limit instead (test_hostile_cli).
_IN_PROCESS = [c for c in CASES if c.name != "trigger_hangs_garbage_collection"]


@pytest.mark.parametrize("case", _IN_PROCESS, ids=[c.name for c in _IN_PROCESS])
def test_a_hostile_file_is_refused_with_the_reason_or_opens_safely(case, base, tmp_path):
    path = make(case, base, tmp_path)
    before = digest(path)
    if case.outcome == "opens":
        store, project = ProjectStore.open(path)
        assert project.page_count == 2
        for page in project.all_pages():
            assert isinstance(page.text, str)
            assert all(isinstance(v.text, str) for v in store.versions(page.id))
        store.close()
        return
    started = time.monotonic()
    with pytest.raises(ProjectError) as caught:
        ProjectStore.open(path)
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert message.startswith(path.name) and "\n" not in message
    if case.outcome == "foreign":
        assert isinstance(caught.value, ForeignSchema)
        assert case.field in [str(o) for o in caught.value.objects]
        assert case.field in message
    else:
        assert not isinstance(caught.value, ForeignSchema)
        assert case.field in message and "damaged" in message
    assert digest(path) == before, "nothing may be written to a file the user has not agreed to"
    assert not lockfile.is_held(path) and not lockfile.lock_path(path).exists()
    with pytest.raises(ProjectError) as again:  # the same reason again, never "open in another window"
        ProjectStore.open(path)
    assert str(again.value) == message


FOREIGN = [c for c in CASES if c.outcome == "foreign"]


@pytest.mark.parametrize("case", FOREIGN, ids=[c.name for c in FOREIGN])
def test_planted_sql_is_removed_when_the_user_agrees_and_never_runs(case, base, tmp_path):
    path = make(case, base, tmp_path)
    planted = _schema(path) - _schema(base)
    assert planted or case.name == "our_index_redefined"
    started = time.monotonic()
    store, project = ProjectStore.open(path, remove_foreign=True)
    assert time.monotonic() - started < 10
    try:
        assert project.page_count >= 1
        page = project.documents[0].pages[0]
        history = len(store.versions(page.id))
        project.set_text(page.id, "typed by the user")
        project.rename_document(project.documents[0].id, "Renamed")
    finally:
        store.close()
    assert not planted & _schema(path)
    assert _schema(path) == _schema(base)  # our own indexes are back
    store, project = ProjectStore.open(path)  # opens without asking again
    try:
        page = project.documents[0].pages[0]
        assert page.text == "typed by the user"
        assert project.documents[0].name == "Renamed"
        assert len(store.versions(page.id)) >= history >= 1, "the history is kept"
    finally:
        store.close()


def test_the_tampering_trigger_would_have_replaced_the_text(base, tmp_path):
    """The case is real: plain SQLite (as the app wrote before) runs the planted trigger."""
    path = make(by_name("trigger_tampers_on_autosave"), base, tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE pages SET edited_text = 'typed'")
    assert {r[0] for r in conn.execute("SELECT edited_text FROM pages")} == {"TAMPERED"}
    assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    conn.close()


def test_a_runaway_statement_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setattr(blobs, "STATEMENT_SECONDS", 0.3)
    conn = blobs.connect(tmp_path / "x.db", create=True)
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError) as caught:
        conn.execute(endless).fetchone()
    assert blobs.is_interrupted(caught.value)
    assert time.monotonic() - started < 5
    assert conn.execute("SELECT 1").fetchone() == (1,), "the next statement gets a fresh budget"
    conn.close()


def test_an_open_that_runs_too_long_is_refused_and_releases_the_lock(base, tmp_path, monkeypatch):
    path = make(by_name("version_text_is_binary"), base, tmp_path)
    monkeypatch.setattr(blobs, "STATEMENT_SECONDS", -1.0)  # every statement is over its budget at once
    monkeypatch.setattr(blobs, "_STEPS", 1)
    with pytest.raises(ProjectError, match="took too long"):
        ProjectStore.open(path)
    assert not lockfile.lock_path(path).exists()


def test_schema_checks_accept_an_upgraded_version_1_file(base, tmp_path):
    """An older file (no spans columns) is the app's own: it opens and is upgraded."""
    path = tmp_path / "old.deskocr"
    path.write_bytes(base.read_bytes())
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE pages DROP COLUMN spans")
    conn.execute("ALTER TABLE versions DROP COLUMN spans")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    store, project = ProjectStore.open(path)
    assert project.page_count == 2
    store.close()
    store, project = ProjectStore.open(path)
    store.close()
