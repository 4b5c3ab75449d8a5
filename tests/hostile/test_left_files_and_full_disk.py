"""A Save As or export killed half-way leaves no hidden ``.part`` file for good; a full disk is
called a full disk, with the file and folder, never "cannot rollback - no transaction is active"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from hostile_corpus import make_base

from desktop_ocr.fsutil import remove_left_part_files

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, base_dir: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DESKTOP_OCR_BASEDIR=str(base_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True, text=True, env=env, timeout=120, check=check,
    )  # fmt: skip


def _parts(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.part"))


KILLED_SAVE_AS = """
    import os, signal, sys
    from desktop_ocr.model.store import ProjectStore
    store, project = ProjectStore.open(sys.argv[1])
    os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # killed just before the rename
    store.save_as(sys.argv[2])
"""

KILLED_EXPORT = """
    import os, signal, sys
    from pathlib import Path
    from desktop_ocr.fsutil import atomic_open
    with atomic_open(Path(sys.argv[1]) / "minutes.md", "w") as fh:
        fh.write("half of an export")
        fh.flush()
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_save_as_and_export_leave_parts_that_the_next_start_removes(tmp_path, _isolated_basedir):
    project = make_base(tmp_path / "mine")
    elsewhere = tmp_path / "usb stick"
    elsewhere.mkdir()
    exports = tmp_path / "exports"
    exports.mkdir()
    for _ in range(2):
        killed = _run(KILLED_SAVE_AS, _isolated_basedir, str(project), str(elsewhere / "copy.deskocr"))
        assert killed.returncode == -9, killed.stderr
    killed = _run(KILLED_EXPORT, _isolated_basedir, str(exports))
    assert killed.returncode == -9, killed.stderr
    assert len(_parts(elsewhere)) == 2 and len(_parts(exports)) == 1
    assert not (elsewhere / "copy.deskocr").exists()
    # the next start of the command line removes them (the GUI's start does the same)
    cli = subprocess.run(
        [sys.executable, "-m", "desktop_ocr.cli", "convert", str(tmp_path / "none.pdf"), "-o", str(exports)],
        capture_output=True, text=True, timeout=120,
        env=dict(os.environ, DESKTOP_OCR_BASEDIR=str(_isolated_basedir), PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    assert cli.returncode == 1, cli.stderr
    assert _parts(elsewhere) == [] and _parts(exports) == []
    assert project.is_file() and (tmp_path / "mine" / "scan.pdf").is_file()


def test_only_the_parts_of_ended_processes_are_removed(tmp_path, _isolated_basedir):
    from desktop_ocr.fsutil import atomic_open

    with atomic_open(tmp_path / "mine.txt", "w") as fh:  # this process is alive: its part stays
        fh.write("being written")
        mine = _parts(tmp_path)
        assert len(mine) == 1
        assert remove_left_part_files() == []
        assert mine[0].exists()
    assert (tmp_path / "mine.txt").read_text() == "being written"
    other = tmp_path / "other.part"  # never noted: a file of the user's, never touched
    other.write_text("x")
    remove_left_part_files()
    assert other.exists()


TYPE_ON_A_FULL_DISK = """
    import json, os, resource, signal, sys
    from desktop_ocr.model.store import ProjectStore, ProjectError
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
    path, mode = sys.argv[1], sys.argv[2]
    store, project = ProjectStore.open(path)
    size = os.path.getsize(path)
    out = {}
    if mode == "type":
        # SQLite's own "database or disk is full" (SQLITE_FULL), as on a full disk
        store.conn.execute(f"PRAGMA max_page_count = {size // 4096 + 8}")
        errors = []
        store.on_error = errors.append
        page = project.documents[0].pages[0]
        project.set_text(page.id, "x" * 3_000_000)
        out["errors"] = errors
        out["flush"] = store.flush()
        out["last_error"] = store.last_error
    else:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, resource.RLIM_INFINITY))
        try:
            store.save_as(sys.argv[3])
            out["save_as"] = "saved"
        except ProjectError as exc:
            out["save_as"] = str(exc)
        out["parts"] = [n for n in os.listdir(os.path.dirname(sys.argv[3])) if n.endswith(".part")]
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    store.close()
    print(json.dumps(out))
"""


def test_a_full_disk_is_named_with_the_file_and_folder(tmp_path, _isolated_basedir):
    project = make_base(tmp_path / "mine")
    typed = _run(TYPE_ON_A_FULL_DISK, _isolated_basedir, str(project), "type")
    assert typed.returncode == 0, typed.stderr
    out = json.loads(typed.stdout)
    full = f"The disk is full: could not save base.deskocr ({project.parent})."
    assert out["errors"] == [full]
    assert out["flush"] is False and out["last_error"] == full
    target = tmp_path / "copies" / "copy.deskocr"
    target.parent.mkdir()
    saved = _run(TYPE_ON_A_FULL_DISK, _isolated_basedir, str(project), "save", str(target))
    assert saved.returncode == 0, saved.stderr
    out = json.loads(saved.stdout)
    # past the file size limit SQLite says "disk I/O error" (EFBIG): the file is named, the error
    # is the real one, and the copy left nothing behind
    assert out["save_as"].startswith("copy.deskocr could not be saved: ")
    assert "rollback" not in out["save_as"]
    assert out["parts"] == [] and not target.exists()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="needs root to mount a tmpfs")
def test_a_really_full_disk(tmp_path, _isolated_basedir):
    """The same on a small tmpfs (ENOSPC rather than the file size limit's EFBIG)."""
    small = tmp_path / f"small-{uuid.uuid4().hex[:6]}"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        project = make_base(tmp_path / "mine")
        on_small = small / "p.deskocr"
        shutil.copyfile(project, on_small)
        code = """
            import sys
            from desktop_ocr.model.store import ProjectStore
            store, project = ProjectStore.open(sys.argv[1])
            errors = []
            store.on_error = errors.append
            project.set_text(project.documents[0].pages[0].id, "x" * 3_000_000)
            print(errors[0] if errors else "saved")
            store.close()
        """
        typed = _run(code, _isolated_basedir, str(on_small))
        assert typed.returncode == 0, typed.stderr
        assert typed.stdout.strip() == f"The disk is full: could not save p.deskocr ({small})."
        code = """
            import os, sys
            from desktop_ocr.model.store import ProjectError, ProjectStore
            store, project = ProjectStore.open(sys.argv[1])
            project.set_text(project.documents[0].pages[0].id, "y" * 800_000)
            try:
                store.save_as(sys.argv[2])
                print("saved")
            except ProjectError as exc:
                print(exc)
            print(sorted(n for n in os.listdir(os.path.dirname(sys.argv[2])) if n.endswith(".part")))
            store.close()
        """
        on_small.unlink()
        saved = _run(code, _isolated_basedir, str(project), str(small / "copy.deskocr"))
        assert saved.returncode == 0, saved.stderr
        assert saved.stdout.splitlines() == [
            f"The disk is full: could not save copy.deskocr ({small}).",
            "[]",
        ]
    finally:
        subprocess.run(["umount", str(small)])
