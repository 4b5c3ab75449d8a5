"""Download a hub model at a pinned commit: size first, free disk checked, resumable, verified, cancellable.

Plain asyncio (no Qt): the Model dialog runs these coroutines on the Qt event loop through qasync (or on
a loop of its own in a thread). The HTTP itself is the standard library's ``urllib`` in worker threads;
the coroutine side only waits, reports progress and cancels.

The file list, sizes and checksums come from ``hub.fetch_manifest`` (re-exported here); the files
themselves from ``GET {endpoint}/{repo}/resolve/{commit}/{path}``, with ``Range: bytes=N-`` to resume
(redirects followed, as the hub sends LFS files to its CDN).

Files land in ``paths.models_dir()/<owner>--<name>/<commit>/``; each is written to ``<name>.part`` and
renamed into place only once its size and hash (sha256 for LFS files, the git blob sha1 otherwise) match.
A marker file written last says the snapshot is complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import logging
import os
import re
import shutil
import socket
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr import paths
from desktop_ocr.fsutil import atomic_write_text
from desktop_ocr.messages import QT_TRANSLATE_NOOP, message_of
from desktop_ocr.setup.hub import (
    DEFAULT_ENDPOINT,
    ENV_ENDPOINT,
    ENV_OFFLINE,
    TIMEOUT_S,
    DownloadError,
    Manifest,
    NotEnoughSpaceError,
    OfflineError,
    RemoteFile,
    VerificationError,
    _check_offline,
    _http_error_message,
    _request,
    _submit,
    fetch_manifest,
    format_eta,
    format_size,
    hub_endpoint,
    is_offline,
    offline_forced_by_env,
)

__all__ = [
    "DEFAULT_ENDPOINT",
    "DISK_MARGIN",
    "ENV_ENDPOINT",
    "ENV_OFFLINE",
    "MARKER",
    "PART_SUFFIX",
    "DownloadError",
    "Manifest",
    "NotEnoughSpaceError",
    "OfflineError",
    "Progress",
    "RemoteFile",
    "VerificationError",
    "bytes_present",
    "check_disk_space",
    "delete_snapshot",
    "download_model",
    "download_snapshot",
    "fetch_manifest",
    "format_eta",
    "format_size",
    "hub_endpoint",
    "is_complete",
    "is_offline",
    "local_snapshot",
    "offline_forced_by_env",
    "snapshot_dir",
]

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
MARKER = ".desktop-ocr-complete.json"
CHUNK = 256 * 1024
#: Room left free on the disk beyond the download itself.
DISK_MARGIN = 512 * 1024 * 1024
RETRIES = 3
RETRY_BACKOFF_S = 2.0


def snapshot_dir(repo_id: str, commit: str) -> Path:
    """Where a downloaded snapshot lives (not created here)."""
    return paths.models_dir() / repo_id.replace("/", "--") / commit


# -- local state -----------------------------------------------------------------------------
def is_complete(dest: Path) -> bool:
    return (dest / MARKER).is_file()


def local_snapshot(repo_id: str, commit: str) -> Path | None:
    """The completed download of ``repo_id`` at ``commit``, or None."""
    d = snapshot_dir(repo_id, commit)
    return d if is_complete(d) else None


def bytes_present(manifest: Manifest, dest: Path) -> int:
    """Bytes already on disk for this manifest: finished files plus usable partial files. The
    download may be renaming or deleting them as they are counted (the dialog asks while it runs):
    a file that is gone by the time it is looked at counts as absent."""
    done = 0
    for f in manifest.files:
        final = _size(dest / f.path)
        if final == f.size:
            done += f.size
        elif (part := _size(dest / (f.path + PART_SUFFIX))) is not None:
            done += min(part, f.size)
    return done


def _size(path: Path) -> int | None:
    """The size of the regular file at ``path``, None if there is none (or it just went)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def delete_snapshot(repo_id: str, commit: str) -> int:
    """Remove the app's copy (complete or partial) of ``repo_id`` at ``commit``; returns the bytes freed.

    Only folders under ``paths.models_dir()`` are touched, never the Hugging Face cache or user folders.
    """
    root = paths.models_dir().resolve()
    d = snapshot_dir(repo_id, commit).resolve()
    if root not in d.parents or not d.is_dir():
        return 0
    freed = sum(p.stat().st_size for p in d.rglob("*") if p.is_file())
    shutil.rmtree(d)
    with contextlib.suppress(OSError):
        d.parent.rmdir()  # the <owner>--<name> folder, when no other revision is left
    return freed


def check_disk_space(dest: Path, needed: int, margin: int = DISK_MARGIN) -> int:
    """Raise NotEnoughSpaceError unless ``needed + margin`` bytes are free where ``dest`` lives."""
    probe = dest
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if needed > 0 and free < needed + margin:
        raise NotEnoughSpaceError(dest, needed + margin, free)
    return free


# -- progress --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    #: Bytes per second over the last few seconds of this session (0 until measured).
    speed: float
    #: Seconds left at that speed, or None while unknown.
    eta: float | None
    file: str
    files_done: int
    files_total: int
    #: "checking" (hashing a partial file), "downloading", "done".
    phase: str = "downloading"

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def describe(self) -> str:
        if self.phase == "checking":
            return QT_TRANSLATE_NOOP("Model", "Checking the partial download of {file}…").format(
                file=self.file
            )
        if self.phase == "done":
            return QT_TRANSLATE_NOOP("Model", "Downloaded {size}.").format(size=format_size(self.total))
        speed = f"{format_size(self.speed)}/s" if self.speed > 0 else "…"
        return QT_TRANSLATE_NOOP("Model", "{done} of {total} · {speed} · {eta}").format(
            done=format_size(self.done), total=format_size(self.total), speed=speed, eta=format_eta(self.eta)
        )


class _Tracker:
    """Counts bytes on the event loop's thread and calls ``on_progress`` at most ~10 times a second."""

    WINDOW_S = 5.0

    def __init__(self, manifest: Manifest, start_done: int, cb: Callable[[Progress], None] | None) -> None:
        self.total = manifest.total_size
        self.done = start_done
        self.files_total = len(manifest.files)
        self.files_done = 0
        self.file = ""
        self.cb = cb
        self.session = 0
        self.samples: deque[tuple[float, int]] = deque([(time.monotonic(), 0)])
        self.last_emit = 0.0

    def add(self, n: int) -> None:
        self.done += n
        if n > 0:
            self.session += n
        now = time.monotonic()
        self.samples.append((now, self.session))
        while len(self.samples) > 2 and now - self.samples[0][0] > self.WINDOW_S:
            self.samples.popleft()
        if now - self.last_emit >= 0.1:
            self.emit()

    def emit(self, phase: str = "downloading") -> None:
        if self.cb is None:
            return
        self.last_emit = time.monotonic()
        (t0, b0), (t1, b1) = self.samples[0], self.samples[-1]
        speed = (b1 - b0) / (t1 - t0) if t1 - t0 > 0.2 else 0.0
        remaining = max(self.total - self.done, 0)
        eta = remaining / speed if speed > 0 else (0.0 if remaining == 0 else None)
        self.cb(
            Progress(self.done, self.total, speed, eta, self.file, self.files_done, self.files_total, phase)
        )


# -- one file --------------------------------------------------------------------------------
class _Stopped(Exception):
    pass


def _new_hasher(f: RemoteFile) -> Any:
    if f.sha256:
        return hashlib.sha256()
    h = hashlib.sha1(usedforsecurity=False)
    h.update(f"blob {f.size}\0".encode())
    return h


def _expected_digest(f: RemoteFile) -> str | None:
    return f.sha256 or f.git_oid


def _hash_existing(part: Path, f: RemoteFile, stop: threading.Event) -> tuple[Any, int]:
    h = _new_hasher(f)
    n = 0
    with open(part, "rb") as fh:
        while chunk := fh.read(4 * CHUNK):
            if stop.is_set():
                raise _Stopped
            h.update(chunk)
            n += len(chunk)
    return h, n


def _shutdown(holder: dict[str, Any]) -> None:
    """Best effort: wake a thread blocked on a stalled socket so cancel is prompt."""
    resp = holder.get("resp")
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _fetch_blocking(
    url: str,
    part: Path,
    f: RemoteFile,
    stop: threading.Event,
    holder: dict[str, Any],
    report: Callable[[int], None],
    checking: Callable[[], None],
) -> None:
    """Bring ``part`` to the full content of ``f`` (resuming), then check size and hash."""
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
        if not part.exists():
            part.touch()  # an empty file needs no request, but still lands through its .part
    except OSError as exc:
        raise _disk_error(exc, part) from exc
    offset = part.stat().st_size
    if offset > f.size:
        report(-offset)
        part.unlink()
        offset = 0
    if offset:
        checking()
        hasher, _ = _hash_existing(part, f, stop)
    else:
        hasher = _new_hasher(f)
    if offset < f.size:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            resp = urllib.request.urlopen(_request(url, headers), timeout=TIMEOUT_S)
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and offset:  # the part is stale; start over
                exc.close()
                report(-offset)
                part.unlink()
                return _fetch_blocking(url, part, f, stop, holder, report, checking)
            raise
        holder["resp"] = resp
        with resp:
            mode = "ab"
            if offset and resp.status != 206:
                log.info("Server ignored the Range request for %s; starting the file again", f.path)
                report(-offset)
                offset, mode, hasher = 0, "wb", _new_hasher(f)
            elif offset:
                cr = resp.headers.get("Content-Range", "")
                m = re.match(r"bytes (\d+)-", cr)
                if not m or int(m.group(1)) != offset:
                    raise DownloadError(
                        QT_TRANSLATE_NOOP(
                            "Model", "The server resumed {file} at the wrong place ({range})."
                        ).format(file=f.path, range=repr(cr))
                    )
            written = offset
            try:
                fh = open(part, mode)  # noqa: SIM115 - closed by the with below
            except OSError as exc:
                raise _disk_error(exc, part) from exc
            with fh:
                while True:
                    if stop.is_set():
                        raise _Stopped
                    data = resp.read1(CHUNK)
                    if not data:
                        break
                    written += len(data)
                    if written > f.size:
                        raise VerificationError(
                            QT_TRANSLATE_NOOP(
                                "Model", "{file}: the server sent more than the {size} bytes the hub lists."
                            ).format(file=f.path, size=f.size)
                        )
                    try:
                        fh.write(data)
                    except OSError as exc:
                        raise _disk_error(exc, part) from exc
                    hasher.update(data)
                    report(len(data))
            if stop.is_set():
                raise _Stopped
    size = part.stat().st_size
    if size != f.size:
        raise _ShortRead(
            QT_TRANSLATE_NOOP("Model", "{file}: received {size} of {total} bytes.").format(
                file=f.path, size=size, total=f.size
            )
        )
    expected = _expected_digest(f)
    if expected and hasher.hexdigest() != expected:
        report(-size)
        part.unlink()
        raise VerificationError(
            QT_TRANSLATE_NOOP(
                "Model",
                "{file} arrived damaged (checksum mismatch) and was discarded. Try the download again.",
            ).format(file=f.path)
        )


def _disk_error(exc: OSError, path: Path) -> DownloadError:
    if exc.errno == errno.ENOSPC:
        return NotEnoughSpaceError(path.parent, 0, shutil.disk_usage(path.parent).free, during=path.name)
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Model",
            "Cannot write {path} ({error}). Check that the folder is writable and press Resume to go on.",
        ).format(path=str(path), error=exc.strerror or str(exc))
    )


class _ShortRead(DownloadError):
    """The connection ended early: retried from where it stopped."""


async def _download_file(
    endpoint: str, manifest: Manifest, f: RemoteFile, dest: Path, tracker: _Tracker
) -> None:
    final = dest / f.path
    if _size(final) == f.size:
        return
    part = dest / (f.path + PART_SUFFIX)
    repo_q = urllib.parse.quote(manifest.repo_id, safe="/")
    url = f"{endpoint}/{repo_q}/resolve/{manifest.commit}/{urllib.parse.quote(f.path, safe='/')}"
    loop = asyncio.get_running_loop()

    # Byte counts are batched in the worker thread (about 20 wake-ups a second at most): on qasync
    # every call_soon_threadsafe is a queued Qt signal.
    batch = [0]
    last = [0.0]

    def report(n: int) -> None:
        batch[0] += n
        now = time.monotonic()
        if n < 0 or now - last[0] >= 0.05:
            pending, batch[0], last[0] = batch[0], 0, now
            loop.call_soon_threadsafe(tracker.add, pending)

    def flush() -> None:  # on the loop's thread, once the worker thread has finished
        pending, batch[0] = batch[0], 0
        if pending:
            tracker.add(pending)

    def checking() -> None:
        loop.call_soon_threadsafe(tracker.emit, "checking")

    for attempt in range(1, RETRIES + 1):
        stop = threading.Event()
        holder: dict[str, Any] = {}
        fut = _submit(_fetch_blocking, url, part, f, stop, holder, report, checking)
        try:
            await asyncio.shield(fut)
            flush()
            break
        except asyncio.CancelledError:
            stop.set()
            _shutdown(holder)
            with contextlib.suppress(BaseException):
                await fut  # let the thread close the .part before anyone resumes it
            flush()
            raise
        except (_ShortRead, urllib.error.URLError, OSError) as exc:
            if isinstance(exc, urllib.error.HTTPError) and exc.code < 500:
                raise DownloadError(_http_error_message(exc, f.path)) from exc
            if attempt == RETRIES:
                msg = message_of(exc) if isinstance(exc, DownloadError) else _http_error_message(exc, f.path)
                raise DownloadError(
                    QT_TRANSLATE_NOOP(
                        "Model", "{error} The part already downloaded is kept: press Resume to go on."
                    ).format(error=msg)
                ) from exc
            flush()
            log.warning("Download of %s interrupted (%s); retrying", f.path, exc)
            await asyncio.sleep(min(RETRY_BACKOFF_S * attempt, 5.0))
    os.replace(part, final)


# -- a whole snapshot ------------------------------------------------------------------------
async def download_snapshot(
    manifest: Manifest,
    dest: Path | None = None,
    *,
    on_progress: Callable[[Progress], None] | None = None,
    offline: bool = False,
    endpoint: str | None = None,
    margin: int = DISK_MARGIN,
) -> Path:
    """Download every file of ``manifest`` into ``dest`` (default: the snapshot folder) and return it.

    Cancel by cancelling the task: partial files stay as ``.part`` and the next call resumes them.
    Raises OfflineError, NotEnoughSpaceError (before any file is requested), VerificationError or
    DownloadError, each with a message for the user.
    """
    _check_offline(offline)
    dest = dest or snapshot_dir(manifest.repo_id, manifest.commit)
    if is_complete(dest):
        return dest
    present = bytes_present(manifest, dest)
    check_disk_space(dest, manifest.total_size - present, margin)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _disk_error(exc, dest / MARKER) from exc
    ep = endpoint or hub_endpoint()
    tracker = _Tracker(manifest, present, on_progress)
    tracker.emit()
    # Small files first: the code and config arrive in seconds, the weights last.
    for f in sorted(manifest.files, key=lambda x: (x.size, x.path)):
        tracker.file = f.path
        await _download_file(ep, manifest, f, dest, tracker)
        tracker.files_done += 1
    await asyncio.sleep(0)  # let queued byte counts land before the final report
    atomic_write_text(dest / MARKER, manifest.to_json())
    tracker.done = tracker.total
    tracker.emit("done")
    return dest


async def download_model(
    repo_id: str,
    revision: str,
    *,
    manifest: Manifest | None = None,
    on_manifest: Callable[[Manifest], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    offline: bool = False,
    endpoint: str | None = None,
    margin: int = DISK_MARGIN,
) -> Path:
    """The local folder of ``repo_id`` at ``revision``: an existing complete copy, or a fresh download.

    ``manifest``: the file list when already fetched; ``on_manifest`` hears it before any file is asked for.
    """
    if re.fullmatch(r"[0-9a-f]{40}", revision) and (done := local_snapshot(repo_id, revision)):
        return done
    if manifest is None:
        manifest = await fetch_manifest(repo_id, revision, offline=offline, endpoint=endpoint)
    if on_manifest is not None:
        on_manifest(manifest)
    return await download_snapshot(
        manifest, on_progress=on_progress, offline=offline, endpoint=endpoint, margin=margin
    )
