"""Two instances opening one project at the same moment: exactly one gets it, every time."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
from hostile_corpus import make_base

from desktop_ocr.model import lockfile
from desktop_ocr.model.lockfile import ProjectLocked
from desktop_ocr.model.store import ProjectStore

ROUNDS = 30


def _contender(path, go, done, results) -> None:
    go.wait()
    try:
        store, _project = ProjectStore.open(path)
    except ProjectLocked:
        results.put("locked")
        return
    except Exception as exc:
        results.put(f"error {type(exc).__name__}: {exc}")
        return
    results.put("opened")
    done.wait(120)  # hold it until both have tried
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="needs fork")
@pytest.mark.parametrize("kind", ["flock", "exclusive-create"])
def test_exactly_one_of_two_simultaneous_opens_wins(kind, tmp_path, monkeypatch):
    if kind == "exclusive-create":  # as on systems without flock (Windows)
        monkeypatch.setattr(lockfile, "fcntl", None)
    path = make_base(tmp_path)
    ctx = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        go, done, results = ctx.Event(), ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_contender, args=(path, go, done, results)) for _ in range(2)]
        for p in procs:
            p.start()
        go.set()
        outcome = sorted(results.get(timeout=120) for _ in procs)
        done.set()
        for p in procs:
            p.join(120)
            assert p.exitcode == 0
        assert outcome == ["locked", "opened"], f"round {round_}: {outcome}"
        assert not lockfile.lock_path(path).exists(), "the winner removed its lock on closing"


def _hold_then_die(path, ready) -> None:
    ProjectStore.open(path)
    ready.set()
    signal.pause()


@pytest.mark.skipif(os.name != "posix", reason="needs fork")
def test_a_killed_owners_lock_is_taken_over_and_reported_as_a_crash(tmp_path):
    path = make_base(tmp_path)
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    owner = ctx.Process(target=_hold_then_die, args=(path, ready))
    owner.start()
    assert ready.wait(30)
    with pytest.raises(ProjectLocked):
        ProjectStore.open(path)
    assert lockfile.is_held(path)
    os.kill(owner.pid, signal.SIGKILL)
    owner.join(30)
    assert not lockfile.is_held(path)
    store, _project = ProjectStore.open(path)
    assert store.was_crashed
    store.close()


def test_a_second_open_in_the_same_process_is_refused(tmp_path):
    path = make_base(tmp_path)
    store, _project = ProjectStore.open(path)
    try:
        with pytest.raises(ProjectLocked):
            ProjectStore.open(path)
    finally:
        store.close()
    store, _project = ProjectStore.open(path)
    store.close()
