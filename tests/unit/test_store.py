"""The project file: round trip, history and versions, crash safety, recovery, save as, recent list."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest

from desktop_ocr.model import lockfile
from desktop_ocr.model import store as store_mod
from desktop_ocr.model.document import PageState, SourceKind
from desktop_ocr.model.geometry import Box
from desktop_ocr.model.importer import import_paths
from desktop_ocr.model.lockfile import ProjectLocked
from desktop_ocr.model.recent import add_recent, clear_recent, load_recent, remove_recent
from desktop_ocr.model.recovery import list_recoverable
from desktop_ocr.model.result import Block, Completion, PageResult
from desktop_ocr.model.sources import PageRenderer
from desktop_ocr.model.store import ProjectError, ProjectStore

ROOT = Path(__file__).resolve().parents[2]


def make_pdf(path: Path, pages: int = 3) -> Path:
    doc = pymupdf.open()
    for i in range(pages):
        doc.new_page(width=300, height=400).insert_text((40, 60), f"Page {i + 1}", fontsize=20)
    doc.save(str(path))
    return path


def result(text: str, completion=Completion.COMPLETE) -> PageResult:
    block = Block("text", (Box(10, 20, 500, 60),), text)
    return PageResult(
        blocks=(block,),
        raw=f"<|ref|>text<|/ref|><|det|>[[10, 20, 500, 60]]<|/det|>\n{text}",
        markdown=text,
        completion=completion,
        engine="fake",
        mode="base",
        prompt="document",
        width=600,
        height=800,
        generated_tokens=7,
        extra={"note": 1},
    )


def new_project(tmp_path, pages=3, name="p.deskocr"):
    store = ProjectStore.create(tmp_path / name)
    project = store.project
    outcome = import_paths(project, [make_pdf(tmp_path / "scan.pdf", pages)], store)
    assert not outcome.problems
    return store, project


def test_round_trip_everything(tmp_path):
    store, project = new_project(tmp_path)
    pages = project.documents[0].pages
    project.set_result(pages[0].id, result("First page"))
    project.set_result(pages[1].id, result("Second", Completion.INCOMPLETE))
    project.set_text(pages[0].id, "First page, corrected")
    project.rotate_pages([pages[2].id], 90)
    project.set_state([pages[2].id], PageState.FAILED, "engine broke")
    project.set_reviewed([pages[0].id])
    project.rename_document(project.documents[0].id, "Minutes 1907")
    project.set_meta("view", {"zoom": 1.5, "page": pages[1].id})
    project.split_document(project.documents[0].id, 2, "Annex")
    store.close()
    assert not Path(f"{store.path}-wal").exists(), "a closed project is one self-contained file"

    store2, loaded = ProjectStore.open(tmp_path / "p.deskocr")
    assert not store2.was_crashed
    assert [d.name for d in loaded.documents] == ["Minutes 1907", "Annex"]
    assert [d.id for d in loaded.documents] == [d.id for d in project.documents]
    p0, p1 = loaded.documents[0].pages
    (p2,) = loaded.documents[1].pages
    assert p0.text == "First page, corrected" and p0.state == PageState.EDITED and p0.reviewed
    assert p0.result is not None and p0.result.markdown == "First page"
    assert p0.result.blocks[0].boxes[0] == Box(10, 20, 500, 60)
    assert p0.result.raw.startswith("<|ref|>") and p0.result.extra == {"note": 1}
    assert p0.result.generated_tokens == 7 and p0.result.engine == "fake"
    assert p1.state == PageState.INCOMPLETE and p1.result.completion == Completion.INCOMPLETE
    assert p2.rotation == 90 and p2.state == PageState.FAILED and p2.error == "engine broke"
    assert (p2.width, p2.height) == (600, 800)
    assert loaded.meta["view"] == {"zoom": 1.5, "page": pages[1].id}
    assert loaded.meta["dpi"] == 144
    (src,) = loaded.sources.values()
    assert src.kind == SourceKind.PDF and src.page_count == 3
    assert store2.source_bytes(src.id) == (tmp_path / "scan.pdf").read_bytes()
    img = PageRenderer(store2.source_opener()).render(src.id, src.kind, 2, 144, p2.rotation)
    assert img.size == (800, 600)
    store2.close()


def test_transient_states_are_stored_as_what_the_page_is(tmp_path):
    store, project = new_project(tmp_path, pages=2)
    a, b = project.documents[0].pages
    project.set_result(a.id, result("done"))
    project.set_state([a.id, b.id], PageState.READING)
    store.close()
    _, loaded = ProjectStore.open(store.path)
    a2, b2 = loaded.documents[0].pages
    assert a2.state == PageState.READ and b2.state == PageState.NOT_READ


def test_word_confidences_are_kept_with_the_result(tmp_path):
    from desktop_ocr.model.result import ScoredWord

    store, project = new_project(tmp_path, pages=1)
    page = project.documents[0].pages[0]
    words = (ScoredWord(0, 5, 0.31), ScoredWord(6, 10, 0.8))
    project.set_result(page.id, replace(result("First page"), words=words))
    store.close()
    store2, loaded = ProjectStore.open(tmp_path / "p.deskocr")
    try:
        assert loaded.documents[0].pages[0].result.words == words
    finally:
        store2.close()


def test_results_history_and_text_versions(tmp_path, monkeypatch):
    store, project = new_project(tmp_path, pages=1)
    (page,) = project.documents[0].pages
    clock = [1000.0]
    monkeypatch.setattr(store_mod.time, "time", lambda: clock[0])
    project.set_result(page.id, result("ocr one"))
    for text in ("ocr one.", "ocr one..", "ocr one..."):  # one editing burst
        clock[0] += 5
        project.set_text(page.id, text)
    clock[0] += 120  # a pause: the next typing is a new version
    project.set_text(page.id, "second session")
    clock[0] += 1
    project.set_result(page.id, result("ocr two"))  # re-read replaces the edit; it stays in history
    versions = store.versions(page.id)
    assert [(v.origin, v.text) for v in versions] == [
        ("ocr", "ocr two"),
        ("edit", "second session"),
        ("edit", "ocr one..."),
        ("ocr", "ocr one"),
    ]
    assert [r.markdown for _, _, r in store.results(page.id)] == ["ocr two", "ocr one"]

    store.restore_version(page.id, versions[1].id)
    assert page.text == "second session" and page.state == PageState.EDITED
    assert store.versions(page.id)[0].origin == "restore"
    clock[0] += 1
    project.set_text(page.id, "typed after restore")  # a new edit version, the restore kept
    assert [v.origin for v in store.versions(page.id)][:2] == ["edit", "restore"]
    store.close()

    store2, loaded = ProjectStore.open(store.path)
    p = loaded.page(page.id)
    assert p.text == "typed after restore" and p.result.markdown == "ocr two"
    assert len(store2.versions(page.id)) == 6
    store2.close()


def test_deleted_pages_and_unused_sources_are_cleaned_on_open(tmp_path):
    store, project = new_project(tmp_path, pages=2)
    other = make_pdf(tmp_path / "other.pdf", 1)
    import_paths(project, [other], store)
    assert len(project.sources) == 2
    project.remove_document(project.documents[1].id)
    project.delete_pages([project.documents[0].pages[0].id])
    store.close()
    store2, loaded = ProjectStore.open(store.path)
    assert loaded.page_count == 1 and len(loaded.sources) == 1
    c = store2.conn
    assert c.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == 1
    assert c.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 1
    store2.close()


def test_lock_detects_other_instance_and_crash(tmp_path):
    store, _ = new_project(tmp_path, pages=1)
    with pytest.raises(ProjectLocked):
        ProjectStore.open(store.path)
    store.close()
    # A lock left by a process that is gone: the previous run crashed.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    lock = lockfile.lock_path(store.path)
    lock.write_text(json.dumps({"pid": int(dead.stdout), "host": os.uname().nodename, "started": 0}))
    store2, _ = ProjectStore.open(store.path)
    assert store2.was_crashed
    store2.close()
    assert not lock.exists()


def test_not_a_project_file(tmp_path):
    bogus = tmp_path / "x.deskocr"
    bogus.write_bytes(b"hello, not sqlite at all" * 100)
    with pytest.raises(ProjectError):
        ProjectStore.open(bogus)
    other_db = tmp_path / "y.deskocr"
    sqlite3.connect(other_db).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not a"):
        ProjectStore.open(other_db)
    store = ProjectStore.create(tmp_path / "future.deskocr")
    store.close()
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(ProjectError, match="newer version"):
        ProjectStore.open(store.path)


def test_save_as_moves_untitled_session_and_continues_there(tmp_path):
    store, project = ProjectStore.create_untitled()
    assert store.is_untitled
    untitled_path = store.path
    import_paths(project, [make_pdf(tmp_path / "a.pdf", 2)], store)
    page = project.documents[0].pages[0]
    project.set_result(page.id, result("kept"))
    target = store.save_as(tmp_path / "out" / "Saved")
    assert target.name == "Saved.deskocr" and target.exists()
    assert not untitled_path.exists()
    project.set_text(page.id, "edited after save as")  # written to the new file
    store.close()
    moved = tmp_path / "elsewhere" / "moved.deskocr"
    moved.parent.mkdir()
    os.replace(target, moved)  # another machine: everything is inside the file
    os.remove(tmp_path / "a.pdf")
    store2, loaded = ProjectStore.open(moved)
    p = loaded.page(page.id)
    assert p.text == "edited after save as" and p.result.markdown == "kept"
    src = loaded.sources[p.source_id]
    assert PageRenderer(store2.source_opener()).render(src.id, src.kind, 0).size == (600, 800)
    assert sqlite3.connect(moved).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store2.close()


def test_recovery_says_when_the_last_change_was_written(tmp_path):
    """The recovery question's "Last change" was the project file's own time, which SQLite leaves
    alone while the changes go to its write-ahead log: the work of the last minutes (here an hour)
    was dated as old as the file's creation."""
    hour_ago = time.time() - 3600
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from desktop_ocr.model.store import ProjectStore
        from desktop_ocr.model.importer import import_paths
        store, project = ProjectStore.create_untitled()
        os.utime(store.path, ({hour_ago!r}, {hour_ago!r}))  # made an hour ago, nothing since
        import_paths(project, [{str(make_pdf(tmp_path / "r.pdf", 1))!r}], store)  # the work: now
        print(store.path, flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ))
    left = Path(out.stdout.strip())
    assert Path(str(left) + "-wal").exists() and left.stat().st_mtime < time.time() - 3000
    (session,) = list_recoverable()
    assert session.path == left and session.page_count == 1
    assert session.modified > time.time() - 600, time.ctime(session.modified)
    store, _project = ProjectStore.open(session.path)
    store.discard()


def test_recovery_lists_sessions_left_by_a_crash(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from desktop_ocr.model.store import ProjectStore
        from desktop_ocr.model.importer import import_paths
        store, project = ProjectStore.create_untitled()
        import_paths(project, [{str(make_pdf(tmp_path / "r.pdf", 1))!r}], store)
        print(store.path, flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    env = dict(os.environ)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    left = Path(out.stdout.strip())
    assert left.exists()
    # An empty untitled session of this (running) process is neither listed nor deleted.
    mine, _ = ProjectStore.create_untitled()
    (session,) = list_recoverable()
    assert (
        session.path == left and session.crashed and session.documents == ("r",) and session.page_count == 1
    )
    store, project = ProjectStore.open(session.path)
    assert store.was_crashed and store.is_untitled and project.page_count == 1
    store.discard()
    assert not left.exists()
    assert list_recoverable() == []
    mine.close()
    assert list_recoverable() == [] and not mine.path.exists()  # empty sessions are dropped


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from desktop_ocr.model.store import ProjectStore
    from desktop_ocr.model.importer import import_paths
    from desktop_ocr.model.result import PageResult
    path, pdf = sys.argv[1], sys.argv[2]
    import os
    if os.path.exists(path):
        store, project = ProjectStore.open(path, force=True)
    else:
        store = ProjectStore.create(path)
        project = store.project
    n = 0
    while True:
        n += 1
        if n % 7 == 0 or not project.page_count:
            import_paths(project, [pdf], store)  # imports (deduplicated sources, new documents)
        if n % 40 == 0:  # a big new file: its blob takes several chunk transactions
            from PIL import Image
            noise = Image.frombytes("RGB", (1600, 1000), os.urandom(1600 * 1000 * 3))
            big = os.path.join(os.path.dirname(path), "noise%d.png" % n)
            noise.save(big, compress_level=0)
            import_paths(project, [big], store)
        pages = list(project.all_pages())
        page = pages[n % len(pages)]
        if n % 5 == 0:
            project.set_result(page.id, PageResult((), "raw %d" % n, "result %d" % n))
        elif n % 11 == 0:
            project.rotate_pages([page.id], 90)
        elif n % 13 == 0 and len(project.documents) > 2:
            project.remove_document(project.documents[-1].id)
        project.set_text(pages[0].id, "edit %d" % n)
        print(n, flush=True)
    """
)


@pytest.mark.slow
def test_killing_a_writer_at_random_moments_never_corrupts(tmp_path):
    pdf = make_pdf(tmp_path / "k.pdf", 3)
    project_path = tmp_path / "killed.deskocr"
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    rng = random.Random(1234)
    for _round in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(project_path), str(pdf)], stdout=subprocess.PIPE, text=True
        )
        first = proc.stdout.readline()  # started: the machine may be slow to import everything
        time.sleep(rng.random() * 1.5)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        numbers = [int(x) for x in (first + out).split()]
        assert numbers, "the writer made progress before it was killed"
        last = numbers[-1]
        conn = sqlite3.connect(project_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        store, project = ProjectStore.open(project_path)
        assert store.was_crashed
        first = next(project.all_pages())
        # The last edit reported as done is on disk (at most the one in flight is lost).
        n = int(first.text.split()[1])
        assert n in (last, last + 1)
        for src in project.sources.values():
            store.source_bytes(src.id)  # every stored original is whole
        assert store.conn.execute("SELECT COUNT(*) FROM blobs WHERE complete = 0").fetchone()[0] == 0
        store.close()


def test_recent_projects(tmp_path):
    files = []
    for i in range(12):
        f = tmp_path / f"p{i}.deskocr"
        f.write_bytes(b"x")
        files.append(f)
        add_recent(f)
    add_recent(files[3])
    recent = load_recent()
    assert recent[0] == files[3].resolve() and len(recent) == 10
    assert len(set(recent)) == 10
    files[11].unlink()
    assert files[11].resolve() not in load_recent()
    remove_recent(files[3])
    assert files[3].resolve() not in load_recent()
    clear_recent()
    assert load_recent() == []


SAVER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from desktop_ocr.model.store import ProjectStore
    from desktop_ocr.model.importer import import_paths
    folder, pdf = sys.argv[1], sys.argv[2]
    store = ProjectStore.create(folder + "/start.deskocr")
    import_paths(store.project, [pdf], store)
    n = 0
    while True:
        n += 1
        store.project.set_text(next(store.project.all_pages()).id, "edit %d" % n)
        store.save_as(folder + "/copy%d.deskocr" % (n % 3))
        print(n, flush=True)
    """
)


@pytest.mark.slow
def test_killing_during_save_as_leaves_whole_files(tmp_path):
    pdf = make_pdf(tmp_path / "s.pdf", 2)
    folder = tmp_path / "saves"
    folder.mkdir()
    script = tmp_path / "saver.py"
    script.write_text(SAVER.format(root=str(ROOT)))
    proc = subprocess.Popen(
        [sys.executable, str(script), str(folder), str(pdf)], stdout=subprocess.PIPE, text=True
    )
    first = proc.stdout.readline()
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate()
    assert int((first + out).split()[-1]) > 3
    copies = sorted(folder.glob("*.deskocr"))
    assert len(copies) >= 3
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        store, project = ProjectStore.open(copy, force=True)
        assert project.page_count == 2 and next(project.all_pages()).text.startswith("edit")
        store.close()


def test_odd_folder_and_file_names(tmp_path):
    folder = tmp_path / "Archiv #1 ?é 100%"
    folder.mkdir()
    store = ProjectStore.create(folder / "Brief an Müller & Co.deskocr")
    import_paths(store.project, [make_pdf(folder / "a b#c.pdf", 1)], store)
    store.close()
    store2, project = ProjectStore.open(store.path)
    src = next(iter(project.sources.values()))
    assert store2.source_bytes(src.id) == (folder / "a b#c.pdf").read_bytes()
    store2.close()
    assert sorted(p.name for p in folder.iterdir()) == ["Brief an Müller & Co.deskocr", "a b#c.pdf"]
