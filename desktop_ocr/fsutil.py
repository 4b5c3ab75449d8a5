"""Atomic file writes: a crash at any moment leaves either the old file or the new one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it is fsynced and renamed over ``path``.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    if mode not in ("w", "wb"):
        raise ValueError("atomic_open writes whole files: mode must be 'w' or 'wb'")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    note_part_file(tmp)
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _set_mode(tmp, target)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    with atomic_open(path, "w", encoding=encoding) as fh:
        fh.write(text)


# --- temporary files a killed process leaves behind -------------------------------------------------
#
# A temporary ``.part`` file lives beside its target (the rename must stay on one file system), in
# a folder the app may never look at again. Each process notes the ones it makes in a list of its
# own under the data folder; the next start removes those of processes that are gone.


def _parts_dir() -> Path:
    from desktop_ocr import paths  # paths is above this module; imported late

    return paths.data_dir() / "pending-writes"


def _proc_start(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _process_alive(pid: int, start: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    except OSError:
        return False
    if start in ("", "0"):
        return True
    return _proc_start(pid) in ("", start)


_list_name: str | None = None


def note_part_file(path: str | os.PathLike[str]) -> None:
    """Remember a temporary file until this process is gone (cheap: one appended line)."""
    global _list_name
    if _list_name is None or not _list_name.startswith(f"{os.getpid()}-"):  # a fork has a list of its own
        _list_name = f"{os.getpid()}-{_proc_start(os.getpid()) or '0'}.list"
    try:
        folder = _parts_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / _list_name, "a", encoding="utf-8") as fh:
            fh.write(os.fspath(Path(path).resolve()) + "\n")
    except OSError:
        pass  # only housekeeping: never stop a save for it


def remove_left_part_files() -> list[Path]:
    """Remove the temporary files of processes that ended (killed) before renaming them."""
    removed: list[Path] = []
    try:
        lists = list(_parts_dir().glob("*.list"))
    except OSError:
        return removed
    for listing in lists:
        pid_text, _, start = listing.stem.partition("-")
        if not pid_text.isdigit() or (int(pid_text) == os.getpid()) or _process_alive(int(pid_text), start):
            continue
        try:
            names = listing.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            names = []
        for name in names:
            part = Path(name)
            if part.name.startswith(".") and part.name.endswith(".part") and part.is_file():
                with contextlib.suppress(OSError):
                    part.unlink()
                    removed.append(part)
        with contextlib.suppress(OSError):
            listing.unlink()
    return removed


def _set_mode(tmp: str, target: Path) -> None:
    """Give the new file the old file's permissions, or the usual ones (mkstemp makes it 0600)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
