"""Lock files beside open projects: tell another running instance from a crashed one. No Qt."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from desktop_ocr.messages import QT_TRANSLATE_NOOP, Message


class ProjectLocked(Exception):
    """The project is open in another running instance (or on another computer)."""

    def __init__(self, path: Path, owner: LockInfo) -> None:
        super().__init__(held_message(path, owner))
        self.path = path
        self.owner = owner


#: Who holds the locks this process takes, written into them so that the message shown to whoever
#: finds the project locked says who has it: ``WINDOW`` (the app's window) or ``COMMAND_LINE``
#: (``desktop-ocr convert --project``); the entry points call :func:`set_holder`.
WINDOW, COMMAND_LINE = "window", "convert"
_holder = ""


def set_holder(holder: str) -> str:
    """Say who this process is, for the lock files it writes (``WINDOW`` or ``COMMAND_LINE``);
    returns who it was."""
    global _holder
    previous, _holder = _holder, holder
    return previous


def held_message(path: Path, owner: LockInfo) -> Message:
    """Why ``path`` cannot be opened: who holds it (the app's window or a command-line run), with
    the process and computer the lock names."""
    here = owner.host == socket.gethostname()
    name, pid, host = path.name, owner.pid, owner.host
    if owner.pid <= 0:  # being taken this moment, or an unreadable lock of a live process
        return QT_TRANSLATE_NOOP("Project", "{name} is in use by another run of the app.").format(name=name)
    if owner.holder == COMMAND_LINE:
        text = (
            QT_TRANSLATE_NOOP(
                "Project",
                "{name} is in use by a command-line run (desktop-ocr convert, process {pid}) on this computer.",
            )
            if here
            else QT_TRANSLATE_NOOP(
                "Project",
                "{name} is in use by a command-line run (desktop-ocr convert, process {pid}) on {host}.",
            )
        )
    elif owner.holder == WINDOW:
        text = (
            QT_TRANSLATE_NOOP(
                "Project", "{name} is open in another window of the app on this computer (process {pid})."
            )
            if here
            else QT_TRANSLATE_NOOP(
                "Project", "{name} is open in another window of the app on {host} (process {pid})."
            )
        )
    else:  # a lock written before locks named their holder
        text = (
            QT_TRANSLATE_NOOP(
                "Project", "{name} is in use by another run of the app on this computer (process {pid})."
            )
            if here
            else QT_TRANSLATE_NOOP(
                "Project", "{name} is in use by another run of the app on {host} (process {pid})."
            )
        )
    return text.format(name=name, pid=pid, host=host)


@dataclass(frozen=True, slots=True)
class LockInfo:
    pid: int
    host: str
    started: float  # when the lock was taken
    proc_start: str = ""  # the process's start time (Linux), to survive PID reuse
    holder: str = ""  # WINDOW, COMMAND_LINE, or "" (a lock from before locks said)


def lock_path(project_path: Path) -> Path:
    return project_path.with_name(f".~{project_path.name}.lock")


def _proc_start(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


#: Lock files this process holds, by resolved path: the open (flock-ed) descriptor.
_held: dict[str, int] = {}


def read_lock(project_path: Path) -> LockInfo | None:
    try:
        data = lock_path(project_path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return _unknown_owner()
    return _parse(data)


def _parse(data: bytes) -> LockInfo | None:
    """The lock's owner; None for an empty file; an unknown (dead) owner when unreadable."""
    if not data.strip():
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
        return LockInfo(
            int(raw["pid"]),
            str(raw["host"]),
            float(raw["started"]),
            str(raw.get("proc_start", "")),
            str(raw.get("holder", "")),
        )
    except (ValueError, KeyError, TypeError, OverflowError, AttributeError):
        return _unknown_owner()  # unreadable: treat as left by a crash


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
    """Take the lock, atomically. Returns True when a stale lock (a crashed session) was found.

    Raises :class:`ProjectLocked` when a live owner holds it, unless ``force``. Where the system
    has ``flock`` the lock is the open lock file itself, locked by the kernel: two processes
    starting at the same moment cannot both get it, and it dies with its process. Elsewhere the
    file is created with ``O_EXCL``.
    """
    path = lock_path(project_path)
    key = str(path.resolve())
    if key in _held:
        if not force:
            raise ProjectLocked(project_path, read_lock(project_path) or _unknown_owner())
        release(project_path)
    for _attempt in range(50):
        try:
            fd, crashed = _take(path, project_path, force)
        except _Retry:
            continue
        except OSError:  # a read-only folder: work without a lock
            return False
        _held[key] = fd
        return crashed
    raise ProjectLocked(project_path, read_lock(project_path) or _unknown_owner())


class _Retry(Exception):
    """The lock file changed under us (released or taken over): look again."""


def _unknown_owner() -> LockInfo:
    return LockInfo(0, socket.gethostname(), 0.0)


def _take(path: Path, project_path: Path, force: bool) -> tuple[int, bool]:
    if fcntl is None:
        return _take_exclusive(path, project_path, force)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not force:
                raise ProjectLocked(project_path, read_lock(project_path) or _unknown_owner()) from None
            with contextlib.suppress(FileNotFoundError):  # take it over: a new file, a new lock
                path.unlink()
            raise _Retry() from None
        try:  # released (removed) between our open and our lock: lock the file that is there now
            if os.stat(path).st_ino != os.fstat(fd).st_ino:
                raise _Retry()
        except FileNotFoundError:
            raise _Retry() from None
        existing = _parse(os.read(fd, 4096))
        if existing is not None and owner_alive(existing) and existing.pid != os.getpid() and not force:
            # another computer (the lock may not reach across a network share) or an older version
            raise ProjectLocked(project_path, existing)
        _write_info(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd, existing is not None and not owner_alive(existing)


def _take_exclusive(path: Path, project_path: Path, force: bool) -> tuple[int, bool]:
    """Without flock: create the file with O_EXCL; a stale one is removed and the creation retried."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        existing = read_lock(project_path)
        if existing is not None and owner_alive(existing) and not force:
            raise ProjectLocked(project_path, existing) from None
        try:
            young = time.time() - path.stat().st_mtime < 10
        except FileNotFoundError:
            raise _Retry() from None
        if (existing is None or existing.pid == 0) and young and not force:
            # just created by someone still writing their name into it
            raise ProjectLocked(project_path, _unknown_owner()) from None
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        raise _Retry() from None
    _write_info(fd)
    return fd, False


def _write_info(fd: int) -> None:
    info = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": time.time(),
        "proc_start": _proc_start(os.getpid()),
        "holder": _holder,
    }
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(info).encode("utf-8"))
    with contextlib.suppress(OSError):
        os.fsync(fd)


def is_held(project_path: Path) -> bool:
    """Whether a running instance (this one included) holds the project's lock."""
    path = lock_path(project_path)
    if str(path.resolve()) in _held:
        return True
    if fcntl is not None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            pass
        finally:
            os.close(fd)  # closing drops a lock we just took
    info = read_lock(project_path)
    return info is not None and owner_alive(info)


def release(project_path: Path) -> None:
    path = lock_path(project_path)
    fd = _held.pop(str(path.resolve()), None)
    if fd is None:
        return
    if fcntl is None:  # Windows: an open file cannot be removed
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return
    try:
        # remove it first, then unlock (close): whoever opened it meanwhile sees it is gone
        if os.stat(path).st_ino == os.fstat(fd).st_ino:
            path.unlink()
    except OSError:
        pass
    finally:
        os.close(fd)
