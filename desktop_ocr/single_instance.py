"""One running app per user: a second start hands its files to the first, which opens them.

Usage (app start-up, after the QApplication exists)::

    instance = SingleInstance()
    if instance.try_hand_over(paths):
        return 0                          # the running window got the files
    instance.files_received.connect(window.open_paths_and_raise)

The channel is a QLocalServer (a Unix socket in ``$XDG_RUNTIME_DIR`` or the temp folder, a named
pipe on Windows) named per user and per config folder, so portable installs and tests keep apart.
A socket left behind by a crash is detected (nobody answers) and replaced. Messages are one line
of JSON: ``{"paths": [absolute paths]}``; the server answers ``ok``.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from desktop_ocr import APP_ID, paths

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
ANSWER_TIMEOUT_MS = 5000
MAX_MESSAGE_BYTES = 4 * 1024 * 1024


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or passwd database
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def server_name(app_id: str = APP_ID) -> str:
    """The per-user, per-config-folder name of the server (a socket path on Unix)."""
    key = f"{_user()}\0{paths.config_dir()}".encode()
    digest = hashlib.sha256(key).hexdigest()[:12]
    name = f"{app_id}-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if sys.platform != "win32" and runtime and Path(runtime).is_dir() and os.access(runtime, os.W_OK):
        return str(Path(runtime) / f"{name}.sock")
    return name


def encode_message(file_paths: Sequence[str], cwd: str | None = None) -> bytes:
    """The hand-over message: the paths made absolute against ``cwd``, as one JSON line."""
    base = Path(cwd or os.getcwd())
    absolute = [str((base / Path(p).expanduser()).absolute()) for p in file_paths]
    return json.dumps({"paths": absolute}).encode("utf-8") + b"\n"


def decode_message(data: bytes) -> list[str] | None:
    """The paths in a hand-over message, or None when it is not one."""
    try:
        message = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("paths"), list):
        return None
    if not all(isinstance(p, str) for p in message["paths"]):
        return None
    return list(message["paths"])


class SingleInstance(QObject):
    """Hands files to the running instance, or becomes it and receives files from later starts."""

    #: Files another start asked to open (absolute paths; empty: just bring the window forward).
    #: (object, not list: Qt's list would carry each path as a QString, which drops the bytes of a
    #: name that is no UTF-8, so "bad\xffname.png" arrived as "badname.png", "the file does not exist")
    files_received = Signal(object)

    def __init__(self, app_id: str = APP_ID, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(app_id)
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    @property
    def is_primary(self) -> bool:
        """True once this process listens for later starts."""
        return self._server is not None and self._server.isListening()

    # -- the second start ------------------------------------------------------------------
    def try_hand_over(self, file_paths: Sequence[str] = ()) -> bool:
        """Send ``file_paths`` to a running instance and return True (then exit 0).

        When none runs, this process becomes the running instance (it listens from now on)
        and False is returned.
        """
        message = encode_message(file_paths)
        for _attempt in range(3):
            if self._send(message):
                return True
            if self._listen():
                return False
            # Someone else started listening between our two tries: hand over to them.
        log.warning("Could neither reach nor become the running instance (%s); starting alone", self.name)
        return False

    def _send(self, message: bytes) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(message)
        if not socket.waitForBytesWritten(ANSWER_TIMEOUT_MS):
            socket.abort()
            return False
        answered = socket.waitForReadyRead(ANSWER_TIMEOUT_MS) and bytes(socket.readAll().data()).startswith(
            b"ok"
        )
        if not answered:
            # The message is queued at a live server that is busy; it will get it when it is free.
            log.warning("The running instance did not confirm within %d ms", ANSWER_TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    # -- the first start -------------------------------------------------------------------
    def _listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            if server.serverError() != QAbstractSocket.SocketError.AddressInUseError:
                log.warning("Cannot listen on %s: %s", self.name, server.errorString())
                server.deleteLater()
                return False
            if self._answers():
                server.deleteLater()
                return False
            log.info("Removing the stale instance socket %s (left by a crash)", self.name)
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("Cannot listen on %s: %s", self.name, server.errorString())
                server.deleteLater()
                return False
        server.newConnection.connect(self._accept)
        self._server = server
        log.debug("Single-instance server listening on %s", server.fullServerName())
        return True

    def _answers(self) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        alive = probe.waitForConnected(CONNECT_TIMEOUT_MS)
        probe.abort()
        return alive

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(self._on_disconnected)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _on_disconnected(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._drop(socket)

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer.extend(bytes(socket.readAll().data()))
        if len(buffer) > MAX_MESSAGE_BYTES:
            log.warning("Dropping an oversized single-instance message")
            self._drop(socket)
            socket.abort()
            return
        if b"\n" not in buffer:
            return
        line = bytes(buffer[: buffer.index(b"\n")])
        del self._buffers[socket]
        received = decode_message(line)
        if received is None:
            log.warning("Ignoring a malformed single-instance message")
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        log.info("Another start handed over %d path(s)", len(received))
        self.files_received.emit(received)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    # -- macOS: files opened from Finder arrive as events, not arguments ------------------------
    def watch_file_open_events(self, app: QObject) -> None:
        """Also report files the OS asks ``app`` to open (QFileOpenEvent: macOS Finder, Dock)."""
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file() or event.url().toLocalFile()
            if path:
                self.files_received.emit([path])
                return True
        return super().eventFilter(watched, event)

    def close(self) -> None:
        """Stop listening (at quit); the socket file is removed."""
        for socket in list(self._buffers):
            self._drop(socket)
            socket.abort()
        if self._server is not None:
            self._server.newConnection.disconnect(self._accept)
            self._server.close()
            self._server.deleteLater()
            self._server = None


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` un-minimised, raised and active (as far as the window manager allows)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
