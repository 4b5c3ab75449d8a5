"""The model downloader against a loopback fake of the hub: sizes, progress, cancel/resume, checks, offline."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import socket
from collections import namedtuple

import pytest
from fakehub import COMMIT, FakeHub, sample_repo

from desktop_ocr import paths
from desktop_ocr.setup import download as dl

REPO = "acme/Tiny-OCR"
BIG = "model-00001-of-000001.safetensors"


@pytest.fixture
def hub(monkeypatch):
    h = FakeHub(REPO, sample_repo(), lfs={BIG}).start()
    monkeypatch.setenv(dl.ENV_ENDPOINT, h.endpoint)
    monkeypatch.delenv(dl.ENV_OFFLINE, raising=False)
    yield h
    h.stop()


def run(coro):
    return asyncio.run(coro)


def test_manifest_lists_sizes_and_checksums_across_pages(hub):
    m = run(dl.fetch_manifest(REPO, "main"))
    assert m.commit == COMMIT
    by_path = {f.path: f for f in m.files}
    assert set(by_path) == set(hub.files)
    assert m.total_size == sum(len(b) for b in hub.files.values())
    assert by_path[BIG].sha256 == hashlib.sha256(hub.files[BIG]).hexdigest()
    assert by_path[BIG].git_oid is None
    assert by_path["config.json"].sha256 is None and len(by_path["config.json"].git_oid) == 40
    tree_calls = [p for p, _ in hub.log if "/tree/" in p]
    assert len(tree_calls) >= 3  # 6 entries at 2 per page: the Link header was followed


def test_full_download_lands_verified_files_with_monotonic_progress(hub):
    seen: list[dl.Progress] = []
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = run(dl.download_snapshot(m, on_progress=seen.append, margin=0))
    assert dest == paths.models_dir() / "acme--Tiny-OCR" / COMMIT
    for name, data in hub.files.items():
        assert (dest / name).read_bytes() == data
    assert not list(dest.rglob("*.part"))
    assert dl.is_complete(dest) and dl.local_snapshot(REPO, COMMIT) == dest
    dones = [p.done for p in seen]
    assert dones == sorted(dones)
    assert seen[-1].phase == "done" and seen[-1].done == seen[-1].total == m.total_size
    assert all(p.total == m.total_size for p in seen)
    # The weights file came through the LFS redirect, without a Range header.
    assert any(p.startswith("/cdn/") and r is None for p, r in hub.file_requests())


def test_cancel_keeps_the_part_and_resume_continues_with_a_range_request(hub):
    hub.delay = 0.01  # ~64 KiB per 10 ms: a few hundred ms for the 3 MiB file
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = dl.snapshot_dir(REPO, m.commit)
    part = dest / (BIG + dl.PART_SUFFIX)
    seen: list[dl.Progress] = []

    async def start_then_cancel():
        task = asyncio.ensure_future(dl.download_snapshot(m, on_progress=seen.append, margin=0))
        for _ in range(500):
            await asyncio.sleep(0.01)
            if part.exists() and part.stat().st_size > 512 * 1024:
                break
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(start_then_cancel())
    kept = part.stat().st_size
    assert 0 < kept < len(hub.files[BIG])
    assert not (dest / BIG).exists() and not dl.is_complete(dest)
    assert dl.bytes_present(m, dest) >= kept

    hub.delay = 0.0
    hub.log.clear()
    resumed: list[dl.Progress] = []
    run(dl.download_snapshot(m, on_progress=resumed.append, margin=0))
    assert (dest / BIG).read_bytes() == hub.files[BIG]
    big_requests = [(p, r) for p, r in hub.file_requests() if BIG in p or p.startswith("/cdn/")]
    assert (big_requests[0][1]) == f"bytes={kept}-"
    # Only the missing bytes travelled, and progress started from what was already there.
    assert resumed[0].done >= kept
    assert [p.done for p in resumed] == sorted(p.done for p in resumed)


def test_corrupted_content_fails_verification_and_is_not_moved_into_place(hub):
    damaged = bytearray(hub.files[BIG])
    damaged[12345] ^= 0xFF
    hub.corrupt[BIG] = bytes(damaged)
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = dl.snapshot_dir(REPO, m.commit)
    with pytest.raises(dl.VerificationError, match="checksum"):
        run(dl.download_snapshot(m, margin=0))
    assert not (dest / BIG).exists()
    assert not (dest / (BIG + dl.PART_SUFFIX)).exists()
    assert not dl.is_complete(dest)


def test_corrupted_git_file_is_caught_by_its_blob_hash(hub):
    hub.corrupt["config.json"] = hub.files["config.json"].replace(b"Deepseek", b"Deepseak")
    m = run(dl.fetch_manifest(REPO, "main"))
    with pytest.raises(dl.VerificationError):
        run(dl.download_snapshot(m, margin=0))
    assert not (dl.snapshot_dir(REPO, m.commit) / "config.json").exists()


def test_not_enough_disk_is_reported_before_any_file_is_requested(hub, monkeypatch):
    m = run(dl.fetch_manifest(REPO, "main"))
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(dl.NotEnoughSpaceError, match="Not enough free disk space") as err:
        run(dl.download_snapshot(m))
    assert err.value.needed >= m.total_size and err.value.free == 1000
    assert hub.file_requests() == []


@pytest.mark.parametrize("how", ["setting", "env"])
def test_offline_mode_makes_no_connection(hub, monkeypatch, how):
    def no_network(*a, **k):
        raise AssertionError("a socket was opened in offline mode")

    monkeypatch.setattr(socket, "create_connection", no_network)
    offline = how == "setting"
    if how == "env":
        monkeypatch.setenv(dl.ENV_OFFLINE, "1")
    with pytest.raises(dl.OfflineError, match=r"offline|HF_HUB_OFFLINE"):
        run(dl.fetch_manifest(REPO, "main", offline=offline))
    fake = dl.Manifest(REPO, "main", COMMIT, (dl.RemoteFile("config.json", 10),))
    with pytest.raises(dl.OfflineError):
        run(dl.download_snapshot(fake, offline=offline, margin=0))
    with pytest.raises(dl.OfflineError):
        run(dl.download_model(REPO, COMMIT, offline=offline, margin=0))
    assert hub.log == []


def test_offline_still_finds_a_completed_download(hub, monkeypatch):
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = run(dl.download_snapshot(m, margin=0))
    hub.log.clear()
    monkeypatch.setenv(dl.ENV_OFFLINE, "1")
    assert run(dl.download_model(REPO, COMMIT, margin=0)) == dest
    assert hub.log == []


def test_server_ignoring_range_restarts_the_file_cleanly(hub):
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = dl.snapshot_dir(REPO, m.commit)
    dest.mkdir(parents=True)
    (dest / (BIG + dl.PART_SUFFIX)).write_bytes(hub.files[BIG][:100_000])
    hub.ignore_range = True
    run(dl.download_snapshot(m, margin=0))
    assert (dest / BIG).read_bytes() == hub.files[BIG]


def test_stale_oversized_part_is_discarded(hub):
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = dl.snapshot_dir(REPO, m.commit)
    dest.mkdir(parents=True)
    (dest / ("config.json" + dl.PART_SUFFIX)).write_bytes(b"x" * 10_000)
    run(dl.download_snapshot(m, margin=0))
    assert (dest / "config.json").read_bytes() == hub.files["config.json"]


def test_unknown_revision_gives_a_clear_message(hub):
    with pytest.raises(dl.DownloadError, match=r"no model acme/Tiny-OCR at revision nope \(HTTP 404\)"):
        run(dl.fetch_manifest(REPO, "nope"))


def test_unreachable_hub_gives_a_clear_message(monkeypatch):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    monkeypatch.setenv(dl.ENV_ENDPOINT, f"http://127.0.0.1:{port}")
    monkeypatch.delenv(dl.ENV_OFFLINE, raising=False)
    with pytest.raises(dl.DownloadError, match="Could not reach the model hub"):
        run(dl.fetch_manifest(REPO, "main"))


def test_unsafe_file_names_from_the_hub_are_refused(monkeypatch):
    h = FakeHub(REPO, {"../escape.txt": b"x", "config.json": b"{}"}).start()
    try:
        monkeypatch.setenv(dl.ENV_ENDPOINT, h.endpoint)
        monkeypatch.delenv(dl.ENV_OFFLINE, raising=False)
        with pytest.raises(dl.DownloadError, match="unsafe name"):
            run(dl.fetch_manifest(REPO, "main"))
    finally:
        h.stop()


def test_progress_text_shows_speed_and_eta():
    p = dl.Progress(
        done=1_500_000_000, total=6_670_000_000, speed=25e6, eta=206.8, file=BIG, files_done=3, files_total=10
    )
    text = p.describe()
    assert "1.50 GB of 6.67 GB" in text and "25.0 MB/s" in text and "3 min 27 s left" in text


def test_a_dropped_connection_is_resumed_where_it_stopped(hub, monkeypatch):
    monkeypatch.setattr(dl, "RETRY_BACKOFF_S", 0.0)
    hub.drop_after[BIG] = 1024 * 1024
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = run(dl.download_snapshot(m, margin=0))
    assert (dest / BIG).read_bytes() == hub.files[BIG]
    cdn = [r for p, r in hub.file_requests() if p.startswith("/cdn/")]
    assert cdn[0] is None and cdn[1] is not None and cdn[1].startswith("bytes=")
    assert int(cdn[1][6:-1]) >= 1024 * 1024


def test_a_failing_disk_write_keeps_the_part_and_says_so(hub):
    resource = pytest.importorskip("resource")
    import signal

    m = run(dl.fetch_manifest(REPO, "main"))
    dest = dl.snapshot_dir(REPO, m.commit)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024 * 1024, old_limit[1]))  # files may not grow past 1 MiB
    try:
        with pytest.raises(dl.DownloadError, match="Cannot write") as err:
            run(dl.download_snapshot(m, margin=0))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)
    assert "Resume" in str(err.value) and "Traceback" not in str(err.value)
    part = dest / (BIG + dl.PART_SUFFIX)
    assert 0 < part.stat().st_size <= 1024 * 1024
    run(dl.download_snapshot(m, margin=0))  # room again: resume finishes it
    assert (dest / BIG).read_bytes() == hub.files[BIG]


def test_delete_snapshot_frees_the_apps_copy_only(hub):
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = run(dl.download_snapshot(m, margin=0))
    assert dl.delete_snapshot(REPO, COMMIT) >= m.total_size
    assert not dest.exists() and not dest.parent.exists()
    assert dl.delete_snapshot(REPO, COMMIT) == 0
    assert dl.delete_snapshot("../..", "etc") == 0  # nothing outside the models folder


def test_a_part_file_that_goes_while_the_bytes_are_counted_counts_as_absent(hub, monkeypatch):
    """The dialog counts the bytes present while the download renames or deletes its ``.part``
    files: a file seen one moment and gone the next is not an error (it was, in the model dialog's
    progress slot, on a busy machine)."""
    m = run(dl.fetch_manifest(REPO, "main"))
    dest = dl.snapshot_dir(REPO, m.commit)
    dest.mkdir(parents=True)
    part = dest / (BIG + dl.PART_SUFFIX)
    part.write_bytes(b"x" * 1000)
    real_stat = type(part).stat
    looked: list[int] = []

    def stat_then_gone(self, *args, **kwargs):
        if self == part:
            looked.append(1)
            if len(looked) > 1:  # renamed by the download after the first look
                raise FileNotFoundError(2, "No such file or directory", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(type(part), "stat", stat_then_gone)
    assert dl.bytes_present(m, dest) == 1000  # what was there when it was looked at
    looked.append(1)
    assert dl.bytes_present(m, dest) == 0  # gone: absent, not an error
