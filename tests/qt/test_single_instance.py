"""A second start hands its files to the running instance; a crashed instance's socket is replaced."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_ocr import paths
from desktop_ocr.single_instance import SingleInstance, decode_message, encode_message, server_name

pytestmark = pytest.mark.gui

SECOND_START = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication
    from desktop_ocr.single_instance import SingleInstance
    app = QCoreApplication(sys.argv)
    instance = SingleInstance()
    handed = instance.try_hand_over(sys.argv[1:])
    print("handed" if handed else "primary", flush=True)
    sys.exit(0 if handed else 3)
    """
)


def _second_start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_START, *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def primary(qapp):
    instance = SingleInstance()
    assert instance.try_hand_over([]) is False  # nobody runs: we become the running instance
    assert instance.is_primary
    yield instance
    instance.close()


def test_message_round_trip(tmp_path: Path) -> None:
    data = encode_message(["a.pdf", "/abs/b.png", "dir with space/c.deskocr"], cwd=str(tmp_path))
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    assert decode_message(data.strip()) == [
        str(tmp_path / "a.pdf"),
        "/abs/b.png",
        str(tmp_path / "dir with space" / "c.deskocr"),
    ]
    assert decode_message(b"not json") is None
    assert decode_message(b'{"paths": [1]}') is None
    assert decode_message(b'["x"]') is None


def test_second_process_hands_files_to_the_first(qtbot, primary, tmp_path: Path) -> None:
    (tmp_path / "scans").mkdir()
    with qtbot.waitSignal(primary.files_received, timeout=20000) as blocker:
        proc = _second_start(["scans/page 1.png", "/data/book.pdf", "thesis.deskocr"], cwd=tmp_path)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert out.strip() == "handed"
    assert blocker.args == [
        [str(tmp_path / "scans" / "page 1.png"), "/data/book.pdf", str(tmp_path / "thesis.deskocr")]
    ]


def test_a_name_that_is_no_utf8_reaches_the_first_whole(qtbot, primary, tmp_path: Path) -> None:
    """Found by hand: a second start with "bad\xffname.png" made the running window say
    "badname.png: the file does not exist" (the signal's QStrings dropped the byte)."""
    name = os.fsdecode(b"/data/bad\xffname.png")
    script = SECOND_START.replace("QCoreApplication(sys.argv)", "QCoreApplication(sys.argv[:1])")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    with qtbot.waitSignal(primary.files_received, timeout=20000) as blocker:
        proc = subprocess.Popen(
            [sys.executable, "-c", script, name, "/data/ok.pdf"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    out, err = proc.communicate(timeout=20)
    assert out.strip() == "handed"
    assert proc.returncode == 0, err
    assert blocker.args == [[name, "/data/ok.pdf"]]


def test_start_without_files_still_reaches_the_first(qtbot, primary, tmp_path: Path) -> None:
    with qtbot.waitSignal(primary.files_received, timeout=20000) as blocker:
        proc = _second_start([], cwd=tmp_path)
    assert proc.wait(timeout=20) == 0
    assert blocker.args == [[]]


def test_several_clients_in_a_row(qtbot, primary, tmp_path: Path) -> None:
    received: list[list[str]] = []
    primary.files_received.connect(received.append)
    for i in range(3):
        with qtbot.waitSignal(primary.files_received, timeout=20000):
            proc = _second_start([f"/f{i}.pdf"], cwd=tmp_path)
        assert proc.wait(timeout=20) == 0
    assert received == [["/f0.pdf"], ["/f1.pdf"], ["/f2.pdf"]]


def test_garbage_on_the_socket_is_ignored(qtbot, primary) -> None:
    from PySide6.QtNetwork import QLocalSocket

    received: list[list[str]] = []
    primary.files_received.connect(received.append)
    bad = QLocalSocket()
    bad.connectToServer(primary.name)
    assert bad.waitForConnected(2000)
    bad.write(b"\xff\xfe garbage\n")
    bad.flush()
    qtbot.waitUntil(lambda: bad.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert received == []
    # The server survived it and still serves a real second start.
    with qtbot.waitSignal(primary.files_received, timeout=20000) as blocker:
        proc = _second_start(["/ok.pdf"], cwd=Path("/"))
    assert proc.wait(timeout=20) == 0
    assert blocker.args == [["/ok.pdf"]]


@pytest.mark.skipif(sys.platform == "win32", reason="Unix sockets only")
def test_stale_socket_after_a_crash_is_replaced(qtbot, qapp, tmp_path: Path) -> None:
    name = server_name()
    path = name if name.startswith("/") else os.path.join(os.environ.get("TMPDIR", "/tmp"), name)
    # What a crash leaves: a bound Unix socket file nobody listens on.
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(path)
    dead.close()
    assert os.path.exists(path)

    instance = SingleInstance()
    assert instance.try_hand_over(["/x.pdf"]) is False  # nobody answered: it took over
    assert instance.is_primary
    try:
        with qtbot.waitSignal(instance.files_received, timeout=20000) as blocker:
            proc = _second_start(["/y.pdf"], cwd=tmp_path)
        assert proc.wait(timeout=20) == 0
        assert blocker.args == [["/y.pdf"]]
    finally:
        instance.close()


def test_names_are_per_config_folder(tmp_path: Path) -> None:
    first = server_name()
    paths.set_basedir(tmp_path / "portable")
    try:
        assert server_name() != first
    finally:
        paths.set_basedir(None)
    assert server_name() == first


def test_os_file_open_events_are_reported(qtbot, qapp) -> None:
    """macOS delivers Finder double-clicks as QFileOpenEvent; they come out as files_received too."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFileOpenEvent

    instance = SingleInstance()
    instance.watch_file_open_events(qapp)
    try:
        with qtbot.waitSignal(instance.files_received, timeout=2000) as blocker:
            QCoreApplication.sendEvent(qapp, QFileOpenEvent("/Users/me/thesis.deskocr"))
        assert blocker.args == [["/Users/me/thesis.deskocr"]]
    finally:
        qapp.removeEventFilter(instance)
