"""Who holds a locked project: the message names a command-line run or the app's window, with the
process (and the computer when it is another one), never "another window" for a convert run."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_ocr.model import lockfile
from desktop_ocr.model.lockfile import ProjectLocked
from desktop_ocr.model.store import ProjectError, ProjectStore

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "tests" / "data" / "real" / "ocrmypdf-epson.png"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="stops a process with SIGSTOP")


def _stopped_convert(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """A real ``desktop-ocr convert --project`` run, stopped (SIGSTOP) as soon as it holds the lock."""
    project = tmp_path / "held.deskocr"
    command = [sys.executable, "-m", "desktop_ocr", "convert", "--project", str(project), "-q"]
    proc = subprocess.Popen(
        [*command, "-o", str(tmp_path / "out"), str(PAGE)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        info = lockfile.read_lock(project)
        if info is not None and info.pid == proc.pid and project.exists():
            time.sleep(0.3)  # the project made whole (the lock is taken before the file is written)
            os.kill(proc.pid, signal.SIGSTOP)
            if lockfile.read_lock(project) == info:
                return proc, project
            break  # finished meanwhile: the page read faster than expected
        time.sleep(0.02)
    proc.kill()
    pytest.fail(f"convert never held the project's lock (exit status {proc.poll()})")


def _end(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    os.kill(proc.pid, signal.SIGCONT)
    proc.wait(60)


def test_a_project_held_by_a_command_line_run_says_so_with_its_process(tmp_path):
    proc, project = _stopped_convert(tmp_path)
    try:
        with pytest.raises(ProjectLocked) as locked:
            ProjectStore.open(project)
        text = str(locked.value)
        assert text == (
            f"held.deskocr is in use by a command-line run (desktop-ocr convert, process {proc.pid}) "
            "on this computer."
        )
        assert "window" not in text
        # saving another project over it: the same words
        store = ProjectStore.create(tmp_path / "other.deskocr")
        try:
            with pytest.raises(ProjectError) as refused:
                store.save_as(project)
            assert str(refused.value) == text
        finally:
            store.close()
    finally:
        _end(proc)


def _hold_as_window(path, ready) -> None:
    lockfile.set_holder(lockfile.WINDOW)
    ProjectStore.open(path)
    ready.set()
    signal.pause()


def test_a_project_open_in_a_window_and_an_old_lock_say_so(tmp_path):
    path = tmp_path / "win.deskocr"
    ProjectStore.create(path).close()
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    owner = ctx.Process(target=_hold_as_window, args=(path, ready))
    owner.start()
    try:
        assert ready.wait(30)
        with pytest.raises(ProjectLocked) as locked:
            ProjectStore.open(path)
        assert str(locked.value) == (
            f"win.deskocr is open in another window of the app on this computer (process {owner.pid})."
        )
    finally:
        owner.kill()
        owner.join(30)
    # a lock from another computer, written before locks named their holder
    old = lockfile.LockInfo(4242, "scanner-pc", 0.0)
    assert lockfile.held_message(path, old) == (
        "win.deskocr is in use by another run of the app on scanner-pc (process 4242)."
    )
