"""A project file may come from anywhere: crafted or damaged contents give clear errors, never writes
outside the cache or a crash; Save As over a crashed project's leftovers stays whole."""

from __future__ import annotations

import sqlite3

import pytest
from test_store import new_project

from desktop_ocr import paths
from desktop_ocr.model.store import ProjectError, ProjectStore


def _edit(path, sql, *args):
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql, args)
        conn.commit()
    finally:
        conn.close()


def test_a_crafted_checksum_never_becomes_a_path(tmp_path):
    store, project = new_project(tmp_path, pages=1)
    path = store.path
    store.close()
    evil = tmp_path / "evil.txt"
    _edit(path, "UPDATE sources SET sha256 = ?", str(evil))
    store, project = ProjectStore.open(path)
    try:
        source_id = next(iter(project.sources))
        with pytest.raises(ProjectError):
            store.source_file(source_id)
        with pytest.raises(ProjectError):
            store.source_bytes(source_id)
        assert not evil.exists()
    finally:
        store.close()


def test_a_corrupt_cached_copy_is_replaced(tmp_path):
    store, project = new_project(tmp_path, pages=1)
    try:
        source_id = next(iter(project.sources))
        cached = store.source_file(source_id)
        good = cached.read_bytes()
        cached.write_bytes(b"\0" * len(good))  # same size, wrong content
        assert store.source_file(source_id).read_bytes() == good
        assert cached.is_relative_to(paths.cache_dir())
    finally:
        store.close()


def test_bad_stored_values_give_a_clear_error_and_release_the_lock(tmp_path):
    store, _project = new_project(tmp_path, pages=1)
    path = store.path
    store.close()
    _edit(path, "UPDATE pages SET state = 'exploded'")
    with pytest.raises(ProjectError, match="damaged"):
        ProjectStore.open(path)
    _edit(path, "UPDATE pages SET state = 'read'")
    store, project = ProjectStore.open(path)  # not "open in another window"
    assert project.page_count == 1
    store.close()


def test_save_as_over_a_crashed_projects_leftovers(tmp_path):
    store, project = new_project(tmp_path, pages=2)
    target = tmp_path / "copy.deskocr"
    target.write_bytes(b"old")
    (tmp_path / "copy.deskocr-wal").write_bytes(b"stale frames of another database")
    store.save_as(target)
    store.close()
    assert not (tmp_path / "copy.deskocr-wal").exists() or (tmp_path / "copy.deskocr-wal").stat().st_size == 0
    store, project = ProjectStore.open(target)
    assert project.page_count == 2
    store.close()


def test_save_as_while_an_import_stores_a_file_keeps_the_file_whole(tmp_path):
    import hashlib
    import os
    import threading

    from desktop_ocr.model import blobs

    store = ProjectStore.create(tmp_path / "first.deskocr")
    big = tmp_path / "big.tif"
    big.write_bytes(os.urandom(48 * 1024 * 1024))
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    started = threading.Event()
    original = blobs._chunks

    def slow_chunks(data):
        for chunk in original(data):
            started.set()
            yield chunk

    blobs._chunks = slow_chunks
    try:
        writer = threading.Thread(target=store.put_blob, args=(sha, big))
        writer.start()
        assert started.wait(10)
        new_path = store.save_as(tmp_path / "second.deskocr")  # while the import thread writes
        writer.join()
    finally:
        blobs._chunks = original
    conn = blobs.connect(new_path)
    try:
        assert blobs.has_blob(conn, sha)
        assert hashlib.sha256(b"".join(blobs.iter_blob(conn, sha))).hexdigest() == sha
    finally:
        conn.close()
    store.close()
    # storing into a closed project fails clearly and creates no file at its old path
    gone = ProjectStore.create(tmp_path / "gone.deskocr")
    gone.discard()
    import pytest

    with pytest.raises(ProjectError):
        gone.put_blob(sha, big)
    assert not (tmp_path / "gone.deskocr").exists()
