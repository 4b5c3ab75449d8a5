"""The model hub's metadata API: which files a repository has at a commit, their sizes and checksums.

Endpoints, as the Hugging Face hub serves them (``HF_ENDPOINT`` overrides the host; ``HF_HUB_OFFLINE=1``
or the offline setting forbids any connection):

- ``GET {endpoint}/api/models/{repo}/revision/{revision}`` -> ``{"sha": commit, ...}``
- ``GET {endpoint}/api/models/{repo}/tree/{commit}?recursive=true`` -> ``[{"type", "path", "size", "oid",
  "lfs": {"oid": sha256, "size", "pointerSize"}}]``, paginated by a ``Link: <...>; rel="next"`` header

Plain asyncio; the blocking ``urllib`` calls run in short-lived worker threads.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from desktop_ocr import __version__
from desktop_ocr.messages import QT_TRANSLATE_NOOP

ENV_ENDPOINT = "HF_ENDPOINT"
ENV_OFFLINE = "HF_HUB_OFFLINE"
DEFAULT_ENDPOINT = "https://huggingface.co"
TIMEOUT_S = 30.0
USER_AGENT = f"desktop-ocr/{__version__} (python-urllib)"


class DownloadError(Exception):
    """A download problem with a message meant for the user."""


class OfflineError(DownloadError):
    """Offline mode is on: nothing may touch the network."""


class NotEnoughSpaceError(DownloadError):
    def __init__(self, folder: Path, needed: int, free: int, during: str = "") -> None:
        self.folder, self.needed, self.free = folder, needed, free
        if during:
            msg = QT_TRANSLATE_NOOP(
                "Model",
                "The disk filled up while writing {file} in {folder} ({free} free). "
                "The part downloaded so far is kept: free some space and press Resume.",
            ).format(file=during, folder=str(folder), free=format_size(free))
        else:
            msg = QT_TRANSLATE_NOOP(
                "Model",
                "Not enough free disk space in {folder}: the download needs {needed} "
                "(with a safety margin) but only {free} is free. Free some space or "
                "choose another data folder, then try again.",
            ).format(folder=str(folder), needed=format_size(needed), free=format_size(free))
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
        return QT_TRANSLATE_NOOP("Model", "estimating…")
    s = int(seconds + 0.5)
    if s < 60:
        return QT_TRANSLATE_NOOP("Model", "{s} s left").format(s=s)
    if s < 3600:
        return QT_TRANSLATE_NOOP("Model", "{m} min {s:02d} s left").format(m=s // 60, s=s % 60)
    return QT_TRANSLATE_NOOP("Model", "{h} h {m:02d} min left").format(h=s // 3600, m=(s % 3600) // 60)


def hub_endpoint() -> str:
    return (os.environ.get(ENV_ENDPOINT) or DEFAULT_ENDPOINT).rstrip("/")


def offline_forced_by_env() -> bool:
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in ("1", "true", "yes", "on")


def is_offline(setting: bool) -> bool:
    """Offline when the user said so (settings) or ``HF_HUB_OFFLINE`` is set."""
    return bool(setting) or offline_forced_by_env()


def _check_offline(offline: bool) -> None:
    if is_offline(offline):
        why = (
            QT_TRANSLATE_NOOP("Model", "{variable} is set").format(variable=ENV_OFFLINE)
            if offline_forced_by_env()
            else QT_TRANSLATE_NOOP("Model", "offline mode is on")
        )
        raise OfflineError(
            QT_TRANSLATE_NOOP(
                "Model",
                "Not connecting to the model hub: {why}. Use a model folder you already have, or turn "
                "offline mode off to download.",
            ).format(why=why)
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
        raise DownloadError(
            QT_TRANSLATE_NOOP(
                "Model", "The hub listed a file with an unsafe name: {name}. Nothing was downloaded."
            ).format(name=repr(p))
        )
    return str(pp)


def _request(url: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
    h = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    h.update(headers or {})
    return urllib.request.Request(url, headers=h)


def _http_error_message(exc: Exception, what: str) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code == 404:
            return QT_TRANSLATE_NOOP(
                "Model", "The hub has no {what} (HTTP 404). Check the model id and the revision."
            ).format(what=what)
        if exc.code in (401, 403):
            return QT_TRANSLATE_NOOP(
                "Model", "The hub refused access to {what} (HTTP {code}): the model may be gated or private."
            ).format(what=what, code=exc.code)
        return QT_TRANSLATE_NOOP("Model", "The hub answered HTTP {code} for {what}. Try again later.").format(
            code=exc.code, what=what
        )
    reason = getattr(exc, "reason", exc)
    return QT_TRANSLATE_NOOP(
        "Model",
        "Could not reach the model hub ({hub}) for {what}: {reason}. Check your connection, "
        "or use a folder you already have.",
    ).format(hub=hub_endpoint(), what=what, reason=str(reason))


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
        raise DownloadError(
            QT_TRANSLATE_NOOP("Model", "The hub sent an unreadable answer for {what}.").format(what=what)
        ) from exc


_LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def _fetch_manifest_blocking(repo_id: str, revision: str, endpoint: str) -> Manifest:
    repo_q = urllib.parse.quote(repo_id, safe="/")
    what = QT_TRANSLATE_NOOP("Model", "model {model} at revision {revision}").format(
        model=repo_id, revision=revision
    )
    info, _ = _get_json(
        f"{endpoint}/api/models/{repo_q}/revision/{urllib.parse.quote(revision, safe='')}", what
    )
    commit = info.get("sha") if isinstance(info, dict) else None
    if not isinstance(commit, str) or not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise DownloadError(
            QT_TRANSLATE_NOOP("Model", "The hub did not name a commit for {what}.").format(what=what)
        )
    files: list[RemoteFile] = []
    url: str | None = f"{endpoint}/api/models/{repo_q}/tree/{commit}?recursive=true"
    while url:
        entries, link = _get_json(
            url, QT_TRANSLATE_NOOP("Model", "the file list of {what}").format(what=what)
        )
        if not isinstance(entries, list):
            raise DownloadError(
                QT_TRANSLATE_NOOP("Model", "The hub sent an unreadable file list for {what}.").format(
                    what=what
                )
            )
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
        raise DownloadError(
            QT_TRANSLATE_NOOP("Model", "The hub lists no files for {what}.").format(what=what)
        )
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
