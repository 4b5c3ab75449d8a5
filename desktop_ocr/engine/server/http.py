"""HTTP for the server engine: OpenAI-compatible requests over urllib, cancellable from another thread.

Public API:

- :class:`Endpoint` - one server's ``/v1`` base URL, parsed and checked, with a short label.
- :class:`RequestHandle` - the sockets of one request; :meth:`RequestHandle.close` (from any thread)
  shuts them down, which wakes a blocked read at once.
- :func:`open_request` - send a request and return the open response (2xx), or raise
  :class:`ServerError` (the server answered with an error), :class:`Unreachable` (no connection)
  or :class:`Cancelled`.
- :func:`sse_events` - the JSON payloads of a ``text/event-stream`` answer, up to ``[DONE]``.
- :func:`error_message` - the server's reason from an error body in the forms OpenAI, vLLM,
  SGLang and Ollama use.

TLS uses :func:`ssl.create_default_context` (the system's certificates; ``SSL_CERT_FILE`` and
``SSL_CERT_DIR`` are honoured); proxies come from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``,
``NO_PROXY``) through urllib's ``ProxyHandler``, except for loopback servers (localhost, 127.0.0.0/8,
::1), which are always reached directly. Nothing here logs headers (the API key is in one).
"""

from __future__ import annotations

import email.utils
import functools
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Statuses worth asking again after a pause: rate limits and a server that is starting or overloaded.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
_MAX_ERROR_BODY = 64 * 1024


class Cancelled(Exception):
    """The request was closed because the user cancelled."""


class Unreachable(Exception):
    """No connection could be made (refused, unknown host, TLS failure, connect timeout)."""

    def __init__(self, url: str, cause: str) -> None:
        super().__init__(f"{url} cannot be reached ({cause})")
        self.url = url
        self.cause = cause


class StreamBroken(Exception):
    """The connection was lost, or went silent, after the server had started to answer."""


class ServerError(Exception):
    """The server answered with an error status; ``message`` is its own reason."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}: {message}" if message else f"HTTP {status}")
        self.status = status
        self.message = message
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return self.status in RETRY_STATUSES

    @property
    def context_too_long(self) -> bool:
        """A 400 saying the prompt plus ``max_tokens`` exceed the model's context."""
        text = self.message.lower()
        return self.status == 400 and (
            "max_tokens" in text or "context length" in text or "maximum context" in text
        )


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An OpenAI-compatible server: ``base`` ends in ``/v1`` (added when the URL has no path)."""

    base: str
    label: str

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """``http://host:8000`` -> ``http://host:8000/v1``; raises ValueError with a reason."""
        text = (url or "").strip()
        if text and "://" not in text:
            text = "http://" + text
        parts = urllib.parse.urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'{url}' is not a server URL (write it as http://HOST:PORT/v1)")
        if parts.username or parts.password:
            raise ValueError(
                f"'{_without_userinfo(parts)}': put the API key in the environment, not in the URL"
            )
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"'{url}' has a bad port number") from None
        path = parts.path.rstrip("/")
        if not path:
            path = "/v1"
        for suffix in ("/chat/completions", "/models"):
            if path.endswith(suffix):
                path = path[: -len(suffix)]
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = host + (f":{port}" if port else "")
        base = urllib.parse.urlunsplit((parts.scheme, netloc, path, "", ""))
        return cls(base, netloc)

    def url(self, path: str) -> str:
        return self.base + path


def _without_userinfo(parts: urllib.parse.SplitResult) -> str:
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "") + parts.path


class RequestHandle:
    """The sockets of one request, so that another thread can close them (cancel, loop stopped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.closed = False

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            closed = self.closed
        if closed:
            _shutdown(sock)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _AttachedSocket:
    """A connection whose socket gets the read timeout and is handed to the request's handle (so
    that cancel can close it from another thread)."""

    sock: Any

    def __init__(self, *args: Any, handle: RequestHandle, read_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._handle = handle
        self._read_timeout = read_timeout

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.sock.settimeout(self._read_timeout)
        self._handle.attach(self.sock)


class _Connection(_AttachedSocket, http.client.HTTPConnection):
    pass


class _TLSConnection(_AttachedSocket, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, handle: RequestHandle, read_timeout: float) -> None:
        super().__init__()
        self._factory = functools.partial(_Connection, handle=handle, read_timeout=read_timeout)

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._factory, req)  # type: ignore[arg-type]


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, handle: RequestHandle, read_timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._factory = functools.partial(_TLSConnection, handle=handle, read_timeout=read_timeout)
        self._tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._factory, req, context=self._tls)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """The system's certificate store (``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` honoured by OpenSSL)."""
    return ssl.create_default_context()


def open_request(
    endpoint: Endpoint,
    path: str,
    *,
    body: dict[str, Any] | None = None,
    api_key: str = "",
    handle: RequestHandle | None = None,
    connect_timeout: float = 10.0,
    read_timeout: float = 300.0,
    accept: str = "application/json",
) -> http.client.HTTPResponse:
    """POST ``body`` as JSON (GET without one) to ``endpoint`` + ``path``; the open 2xx response."""
    handle = handle or RequestHandle()
    url = endpoint.url(path)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    headers = {"Accept": accept, "User-Agent": "desktop-ocr"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    # Proxies from the environment, except for this machine's own servers.
    proxies: dict[str, str] | None = {} if _is_loopback(endpoint.base) else None
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),
        _HTTPHandler(handle, read_timeout),
        _HTTPSHandler(handle, read_timeout, tls_context()),
    )
    if handle.closed:
        raise Cancelled()
    try:
        return opener.open(request, timeout=connect_timeout)  # type: ignore[no-any-return]
    except urllib.error.HTTPError as exc:
        try:
            raw = exc.read(_MAX_ERROR_BODY)
        except (OSError, http.client.HTTPException):
            raw = b""
        finally:
            exc.close()
        raise ServerError(exc.code, error_message(raw, exc.reason), _retry_after(exc.headers)) from None
    except urllib.error.URLError as exc:
        if handle.closed:
            raise Cancelled() from None
        raise Unreachable(endpoint.base, _cause(exc.reason)) from None
    except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as exc:
        if handle.closed:
            raise Cancelled() from None
        if isinstance(exc, TimeoutError):
            raise StreamBroken(f"the server sent no answer for {read_timeout:.0f} s") from None
        # A connection reset or closed before any status line: the server went away.
        raise Unreachable(endpoint.base, _cause(exc)) from None


def _is_loopback(url: str) -> bool:
    import ipaddress

    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_json(response: http.client.HTTPResponse, handle: RequestHandle) -> Any:
    """The whole body of ``response`` as JSON."""
    try:
        raw = response.read()
    except (OSError, http.client.HTTPException) as exc:
        if handle.closed:
            raise Cancelled() from None
        raise StreamBroken(_broken(exc)) from None
    finally:
        response.close()
    if handle.closed:
        raise Cancelled()
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise StreamBroken("the server's answer is not JSON: " + _snippet(raw)) from None


def sse_events(response: http.client.HTTPResponse, handle: RequestHandle) -> Iterator[dict[str, Any]]:
    """The ``data:`` payloads of a server-sent event stream, decoded, until ``data: [DONE]``.

    Lines starting with ``:`` are comments (keep-alives); an event's several ``data:`` lines are
    joined with newlines, as the SSE specification says. Raises :class:`StreamBroken` when the
    stream ends without ``[DONE]`` or a read fails, :class:`Cancelled` after :meth:`RequestHandle.close`.
    """
    data: list[str] = []
    try:
        while True:
            try:
                line = response.readline(1 << 20)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                if handle.closed:
                    raise Cancelled() from None
                raise StreamBroken(_broken(exc)) from None
            if handle.closed:
                raise Cancelled()
            if not line:
                raise StreamBroken("the server closed the connection before the answer was complete")
            text = line.decode("utf-8", errors="replace").rstrip("\r\n")
            if text.startswith(":"):
                continue
            if text.startswith("data:"):
                value = text[5:]
                data.append(value[1:] if value.startswith(" ") else value)
                continue
            if text or not data:
                continue  # "event:", "id:", "retry:" lines, or a blank line between events
            payload, data = "\n".join(data), []
            if payload.strip() == "[DONE]":
                return
            try:
                event = json.loads(payload)
            except ValueError:
                raise StreamBroken("the server sent an event that is not JSON: " + payload[:120]) from None
            if isinstance(event, dict):
                yield event
    finally:
        response.close()


def error_message(raw: bytes, fallback: object = "") -> str:
    """The reason in an error body: ``{"error": {"message": ...}}`` (OpenAI, vLLM, Ollama's /v1),
    ``{"object": "error", "message": ...}`` (older vLLM, SGLang), ``{"error": "..."}`` (Ollama),
    ``{"detail": ...}`` (FastAPI validation); else the start of the text."""
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        data = None
    message: Any = None
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict):
            message = err.get("message")
        elif isinstance(err, str):
            message = err
        if message is None:
            message = data.get("message")
        if message is None and "detail" in data:
            detail = data["detail"]
            if isinstance(detail, list) and detail and isinstance(detail[0], dict):
                message = "; ".join(str(d.get("msg", d)) for d in detail[:3])
            else:
                message = detail
    if message is None:
        message = _snippet(raw) if raw else str(fallback or "")
    return " ".join(str(message).split())[:300]


def _snippet(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace").strip()
    return " ".join(text.split())[:200]


def _retry_after(headers: Any) -> float | None:
    """Seconds from a ``Retry-After`` header (a number or an HTTP date), at most 60."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    return max(0.0, min(60.0, seconds))


def _cause(reason: object) -> str:
    """A short, human cause of a connection failure."""
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused: is the server running?"
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not trusted: {reason.verify_message or reason}"
    if isinstance(reason, ssl.SSLError):
        return f"TLS failed: {reason.reason or reason}"
    if isinstance(reason, TimeoutError | socket.timeout):
        return "no answer to the connection attempt (timed out)"
    if isinstance(reason, ConnectionResetError):
        return "the connection was reset"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _broken(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "the server went silent while answering (timed out)"
    return f"the connection was lost while reading ({_cause(exc)})"
