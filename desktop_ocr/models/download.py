"""Download a hub model at a pinned commit: size first, free disk checked, resumable, verified, cancellable.

Plain asyncio (no Qt): the Model dialog runs these coroutines on the Qt event loop through qasync (or on
a loop of its own in a thread). The HTTP itself is the standard library's ``urllib`` in worker threads;
the coroutine side only waits, reports progress and cancels.

Endpoints used, as the Hugging Face hub serves them (``HF_ENDPOINT`` overrides the host):

- ``GET {endpoint}/api/models/{repo}/revision/{revision}`` -> ``{"sha": commit, ...}``
- ``GET {endpoint}/api/models/{repo}/tree/{commit}?recursive=true`` -> ``[{"type", "path", "size", "oid",
  "lfs": {"oid": sha256, "size", "pointerSize"}}]``, paginated by a ``Link: <...>; rel="next"`` header
- ``GET {endpoint}/{repo}/resolve/{commit}/{path}`` with ``Range: bytes=N-`` to resume (redirects followed)

Files land in ``paths.models_dir()/<owner>--<name>/<commit>/``; each is written to ``<name>.part`` and
renamed into place only once its size and hash (sha256 for LFS files, the git blob sha1 otherwise) match.
A marker file written last says the snapshot is complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from desktop_ocr import __version__, paths
from desktop_ocr.fsutil import atomic_write_text

log = logging.getLogger(__name__)

ENV_ENDPOINT = "HF_ENDPOINT"
ENV_OFFLINE = "HF_HUB_OFFLINE"
DEFAULT_ENDPOINT = "https://huggingface.co"
PART_SUFFIX = ".part"
MARKER = ".desktop-ocr-complete.json"
CHUNK = 256 * 1024
#: Room left free on the disk beyond the download itself.
DISK_MARGIN = 512 * 1024 * 1024
TIMEOUT_S = 30.0
RETRIES = 3
RETRY_BACKOFF_S = 2.0
USER_AGENT = f"desktop-ocr/{__version__} (python-urllib)"


class DownloadError(Exception):
    """A download problem with a message meant for the user."""


class OfflineError(DownloadError):
    """Offline mode is on: nothing may touch the network."""


class NotEnoughSpaceError(DownloadError):
    def __init__(self, folder: Path, needed: int, free: int, during: str = "") -> None:
        self.folder, self.needed, self.free = folder, needed, free
        if during:
            msg = (
                f"The disk filled up while writing {during} in {folder} ({format_size(free)} free). "
                "The part downloaded so far is kept: free some space and press Resume."
            )
        else:
            msg = (
                f"Not enough free disk space in {folder}: the download needs {format_size(needed)} "
                f"(with a safety margin) but only {format_size(free)} is free. Free some space or "
                "choose another data folder, then try again."
            )
        super().__init__(msg)


class VerificationError(DownloadError):
    """A file arrived but its size or checksum is wrong; it was not put in place."""


# -- small helpers ---------------------------------------------------------------------------
def format_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}" if n < 10 else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return "estimating…"
    s = int(seconds + 0.5)
    if s < 60:
        return f"{s} s left"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s left"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min left"


def hub_endpoint() -> str:
    return (os.environ.get(ENV_ENDPOINT) or DEFAULT_ENDPOINT).rstrip("/")


def offline_forced_by_env() -> bool:
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in ("1", "true", "yes", "on")


def is_offline(setting: bool) -> bool:
    """Offline when the user said so (settings) or ``HF_HUB_OFFLINE`` is set."""
    return bool(setting) or offline_forced_by_env()


def snapshot_dir(repo_id: str, commit: str) -> Path:
    """Where a downloaded snapshot lives (not created here)."""
    return paths.models_dir() / repo_id.replace("/", "--") / commit


def _check_offline(offline: bool) -> None:
    if is_offline(offline):
        why = f"{ENV_OFFLINE} is set" if offline_forced_by_env() else "offline mode is on"
        raise OfflineError(
            f"Not connecting to the model hub: {why}. Use a model folder you already have, or turn "
            "offline mode off to download."
        )


# -- manifest --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RemoteFile:
    path: str
    size: int
    #: sha256 of the content for LFS files (the hub's ``lfs.oid``).
    sha256: str | None = None
    #: git blob sha1 for files stored in git itself (the hub's ``oid`` of non-LFS files).
    git_oid: str | None = None


@dataclass(frozen=True)
class Manifest:
    repo_id: str
    revision: str
    commit: str
    files: tuple[RemoteFile, ...]

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> str:
        d = asdict(self)
        d["files"] = [asdict(f) for f in self.files]
        return json.dumps(d, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        d = json.loads(text)
        return cls(d["repo_id"], d["revision"], d["commit"], tuple(RemoteFile(**f) for f in d["files"]))


def _safe_relpath(p: str) -> str:
    """A repository path that cannot escape the snapshot folder."""
    pp = PurePosixPath(p)
    if not p or pp.is_absolute() or ".." in pp.parts or "\\" in p or p.startswith("/"):
        raise DownloadError(f"The hub listed a file with an unsafe name: {p!r}. Nothing was downloaded.")
    return str(pp)


def _request(url: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
    h = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    h.update(headers or {})
    return urllib.request.Request(url, headers=h)


def _http_error_message(exc: Exception, what: str) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code == 404:
            return f"The hub has no {what} (HTTP 404). Check the model id and the revision."
        if exc.code in (401, 403):
            return f"The hub refused access to {what} (HTTP {exc.code}): the model may be gated or private."
        return f"The hub answered HTTP {exc.code} for {what}. Try again later."
    reason = getattr(exc, "reason", exc)
    return (
        f"Could not reach the model hub ({hub_endpoint()}) for {what}: {reason}. Check your connection, "
        "or use a folder you already have."
    )


def _get_json(url: str, what: str) -> tuple[Any, str | None]:
    try:
        with urllib.request.urlopen(_request(url, {"Accept": "application/json"}), timeout=TIMEOUT_S) as r:
            body = r.read()
            link = r.headers.get("Link")
    except (urllib.error.URLError, OSError) as exc:
        raise DownloadError(_http_error_message(exc, what)) from exc
    try:
        return json.loads(body), link
    except ValueError as exc:
        raise DownloadError(f"The hub sent an unreadable answer for {what}.") from exc


_LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def _fetch_manifest_blocking(repo_id: str, revision: str, endpoint: str) -> Manifest:
    repo_q = urllib.parse.quote(repo_id, safe="/")
    what = f"model {repo_id} at revision {revision}"
    info, _ = _get_json(
        f"{endpoint}/api/models/{repo_q}/revision/{urllib.parse.quote(revision, safe='')}", what
    )
    commit = info.get("sha") if isinstance(info, dict) else None
    if not isinstance(commit, str) or not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise DownloadError(f"The hub did not name a commit for {what}.")
    files: list[RemoteFile] = []
    url: str | None = f"{endpoint}/api/models/{repo_q}/tree/{commit}?recursive=true"
    while url:
        entries, link = _get_json(url, f"the file list of {what}")
        if not isinstance(entries, list):
            raise DownloadError(f"The hub sent an unreadable file list for {what}.")
        for e in entries:
            if not isinstance(e, dict) or e.get("type") != "file":
                continue
            lfs = e.get("lfs") if isinstance(e.get("lfs"), dict) else None
            files.append(
                RemoteFile(
                    path=_safe_relpath(str(e.get("path", ""))),
                    size=int(lfs["size"] if lfs else e.get("size", 0)),
                    sha256=str(lfs["oid"]).lower() if lfs and lfs.get("oid") else None,
                    git_oid=None if lfs else (str(e["oid"]).lower() if e.get("oid") else None),
                )
            )
        m = _LINK_NEXT.search(link or "")
        url = urllib.parse.urljoin(url, m.group(1)) if m else None
    if not files:
        raise DownloadError(f"The hub lists no files for {what}.")
    return Manifest(repo_id, revision, commit, tuple(sorted(files, key=lambda f: f.path)))


def _submit(fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
    """Run ``fn`` in a short-lived thread of its own: no worker thread outlives the work it did
    (threads that outlive an event loop, e.g. qasync's, upset Qt at interpreter exit)."""
    ex = ThreadPoolExecutor(max_workers=1, thread_name_prefix="model-download")
    try:
        return asyncio.wrap_future(ex.submit(fn, *args))
    finally:
        ex.shutdown(wait=False)


async def _in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await _submit(fn, *args)


async def fetch_manifest(
    repo_id: str, revision: str, *, offline: bool = False, endpoint: str | None = None
) -> Manifest:
    """The commit and the files (sizes, checksums) of ``repo_id`` at ``revision``; no file is fetched."""
    _check_offline(offline)
    return await _in_thread(_fetch_manifest_blocking, repo_id, revision, endpoint or hub_endpoint())


# -- local state -----------------------------------------------------------------------------
def is_complete(dest: Path) -> bool:
    return (dest / MARKER).is_file()


def local_snapshot(repo_id: str, commit: str) -> Path | None:
    """The completed download of ``repo_id`` at ``commit``, or None."""
    d = snapshot_dir(repo_id, commit)
    return d if is_complete(d) else None


def bytes_present(manifest: Manifest, dest: Path) -> int:
    """Bytes already on disk for this manifest: finished files plus usable partial files."""
    done = 0
    for f in manifest.files:
        final = dest / f.path
        part = dest / (f.path + PART_SUFFIX)
        if final.is_file() and final.stat().st_size == f.size:
            done += f.size
        elif part.is_file():
            done += min(part.stat().st_size, f.size)
    return done


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
            return f"Checking the partial download of {self.file}…"
        if self.phase == "done":
            return f"Downloaded {format_size(self.total)}."
        speed = f"{format_size(self.speed)}/s" if self.speed > 0 else "…"
        return f"{format_size(self.done)} of {format_size(self.total)} · {speed} · {format_eta(self.eta)}"


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
                    raise DownloadError(f"The server resumed {f.path} at the wrong place ({cr!r}).")
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
                            f"{f.path}: the server sent more than the {f.size} bytes the hub lists."
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
        raise _ShortRead(f"{f.path}: received {size} of {f.size} bytes.")
    expected = _expected_digest(f)
    if expected and hasher.hexdigest() != expected:
        report(-size)
        part.unlink()
        raise VerificationError(
            f"{f.path} arrived damaged (checksum mismatch) and was discarded. Try the download again."
        )


def _disk_error(exc: OSError, path: Path) -> DownloadError:
    if exc.errno == errno.ENOSPC:
        return NotEnoughSpaceError(path.parent, 0, shutil.disk_usage(path.parent).free, during=path.name)
    return DownloadError(
        f"Cannot write {path} ({exc.strerror or exc}). Check that the folder is writable and press "
        "Resume to go on."
    )


class _ShortRead(DownloadError):
    """The connection ended early: retried from where it stopped."""


async def _download_file(
    endpoint: str, manifest: Manifest, f: RemoteFile, dest: Path, tracker: _Tracker
) -> None:
    final = dest / f.path
    if final.is_file() and final.stat().st_size == f.size:
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
                msg = str(exc) if isinstance(exc, DownloadError) else _http_error_message(exc, f.path)
                raise DownloadError(
                    f"{msg} The part already downloaded is kept: press Resume to go on."
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
    on_progress: Callable[[Progress], None] | None = None,
    offline: bool = False,
    endpoint: str | None = None,
    margin: int = DISK_MARGIN,
) -> Path:
    """The local folder of ``repo_id`` at ``revision``: an existing complete copy, or a fresh download."""
    if re.fullmatch(r"[0-9a-f]{40}", revision) and (done := local_snapshot(repo_id, revision)):
        return done
    manifest = await fetch_manifest(repo_id, revision, offline=offline, endpoint=endpoint)
    return await download_snapshot(
        manifest, on_progress=on_progress, offline=offline, endpoint=endpoint, margin=margin
    )
