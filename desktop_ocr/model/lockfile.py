"""Lock files beside open projects: tell another running instance from a crashed one. No Qt."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_ocr.fsutil import atomic_write_text
from desktop_ocr.text import QT_TRANSLATE_NOOP


class ProjectLocked(Exception):
    """The project is open in another running instance (or on another computer)."""

    def __init__(self, path: Path, owner: LockInfo) -> None:
        if owner.host == socket.gethostname():
            text = QT_TRANSLATE_NOOP(
                "Project", "{name} is open in another window of the app on this computer (process {pid})."
            ).format(name=path.name, pid=owner.pid)
        else:
            text = QT_TRANSLATE_NOOP(
                "Project", "{name} is open in another window of the app on {host} (process {pid})."
            ).format(name=path.name, host=owner.host, pid=owner.pid)
        super().__init__(text)
        self.path = path
        self.owner = owner


@dataclass(frozen=True, slots=True)
class LockInfo:
    pid: int
    host: str
    started: float  # when the lock was taken
    proc_start: str = ""  # the process's start time (Linux), to survive PID reuse


def lock_path(project_path: Path) -> Path:
    return project_path.with_name(f".~{project_path.name}.lock")


def _proc_start(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def read_lock(project_path: Path) -> LockInfo | None:
    try:
        raw = json.loads(lock_path(project_path).read_text(encoding="utf-8"))
        return LockInfo(
            int(raw["pid"]), str(raw["host"]), float(raw["started"]), str(raw.get("proc_start", ""))
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return LockInfo(0, socket.gethostname(), 0.0)  # unreadable: treat as left by a crash


def owner_alive(info: LockInfo) -> bool:
    """Whether the lock's process still runs. Locks from other hosts count as alive."""
    if info.host != socket.gethostname():
        return True
    if info.pid <= 0:
        return False
    try:
        os.kill(info.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return False
    if info.proc_start:
        now = _proc_start(info.pid)
        if now and now != info.proc_start:
            return False  # the PID was reused by another process
    return True


def acquire(project_path: Path, force: bool = False) -> bool:
    """Take the lock. Returns True when a stale lock (a crashed session) was found.

    Raises :class:`ProjectLocked` when a live owner holds it, unless ``force``.
    """
    existing = read_lock(project_path)
    crashed = False
    if existing is not None:
        if owner_alive(existing) and not force:
            raise ProjectLocked(project_path, existing)
        crashed = not owner_alive(existing)
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": time.time(),
        "proc_start": _proc_start(os.getpid()),
    }
    with contextlib.suppress(OSError):  # a read-only folder: work without a lock
        atomic_write_text(lock_path(project_path), json.dumps(info))
    return crashed


def release(project_path: Path) -> None:
    info = read_lock(project_path)
    if info is not None and info.pid == os.getpid() and info.host == socket.gethostname():
        with contextlib.suppress(OSError):
            lock_path(project_path).unlink()
