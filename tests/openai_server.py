"""A real HTTP server on the loopback interface that answers like vLLM's OpenAI-compatible API.

``/v1/models`` lists models (``owned_by`` "vllm" by default, "library" as Ollama says);
``/v1/chat/completions`` answers streamed (HTTP/1.1 chunked ``text/event-stream``: a first chunk with
the assistant role, content deltas, a last chunk with ``finish_reason``, a usage chunk when
``stream_options.include_usage`` is set, then ``data: [DONE]``) or whole (``chat.completion``).
Errors use the body ``{"error": {"message", "type", "param", "code"}}`` as vLLM and OpenAI do
(``legacy_errors=True``: vLLM's older ``{"object": "error", "message": ...}``).

What each request gets is decided by ``behaviour(body, n)`` (``n``: 0-based count of chat requests
so far), which returns a :class:`Reply`. Requests (bodies and headers) are recorded.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = "Hello"
    finish: str = "stop"
    status: int = 200
    error: str = ""  # the error message for a status >= 400
    error_type: str = "BadRequestError"
    retry_after: str | None = None
    chunk_chars: int = 4  # characters per streamed delta
    delay_s: float = 0.0  # pause before each delta
    first_delay_s: float = 0.0  # pause before the response headers
    drop_after_chars: int | None = None  # close the connection mid-stream
    loop_forever: str = ""  # after text, repeat this until the client goes away
    error_event: str = ""  # send {"error": ...} as an event after the text (vLLM does mid-stream)


@dataclass
class Recorded:
    path: str
    body: dict[str, Any] | None
    headers: dict[str, str]


class FakeOpenAIServer:
    """Start with ``with FakeOpenAIServer(...) as srv:``; ``srv.url`` is ``http://127.0.0.1:PORT/v1``."""

    def __init__(
        self,
        behaviour: Callable[[dict[str, Any], int], Reply] | None = None,
        *,
        models: tuple[str, ...] = ("deepseek-ai/DeepSeek-OCR",),
        owned_by: str = "vllm",
        legacy_errors: bool = False,
        check_model: bool = True,
        tls: tuple[str, str] | None = None,
    ) -> None:
        self.behaviour = behaviour or (lambda body, n: Reply())
        self.models = models
        self.owned_by = owned_by
        self.legacy_errors = legacy_errors
        self.check_model = check_model
        self.requests: list[Recorded] = []
        self.proxied: list[str] = []  # absolute URLs asked for (as a proxy is asked)
        self.disconnects = 0  # streams the client closed before the end
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._chat_count = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def parse_request(self) -> bool:
                ok = super().parse_request()
                if ok and self.path.startswith(("http://", "https://")):
                    server.proxied.append(self.path)
                    self.path = urllib.parse.urlsplit(self.path).path
                return ok

            def do_GET(self) -> None:
                server._record(self, None)
                if self.path.rstrip("/") == "/v1/models":
                    data = [
                        {
                            "id": m,
                            "object": "model",
                            "created": 0,
                            "owned_by": server.owned_by,
                            "max_model_len": 8192,
                        }
                        for m in server.models
                    ]
                    self._json(200, {"object": "list", "data": data})
                else:
                    self._error(404, "Not Found", "NotFoundError")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._error(400, "bad JSON", "BadRequestError")
                    return
                server._record(self, body)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._error(404, "Not Found", "NotFoundError")
                    return
                if server.check_model and body.get("model") not in server.models:
                    self._error(404, f"The model `{body.get('model')}` does not exist.", "NotFoundError")
                    return
                with server._lock:
                    n = server._chat_count
                    server._chat_count += 1
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._chat(body, server.behaviour(body, n))
                finally:
                    with server._lock:
                        server.in_flight -= 1

            # -- answers ------------------------------------------------------------------------
            def _chat(self, body: dict[str, Any], reply: Reply) -> None:
                if reply.first_delay_s:
                    time.sleep(reply.first_delay_s)
                if reply.status >= 400:
                    extra = {"Retry-After": reply.retry_after} if reply.retry_after else {}
                    self._error(reply.status, reply.error or "error", reply.error_type, extra)
                    return
                model = body.get("model", "")
                if not body.get("stream"):
                    if reply.delay_s:  # a whole answer takes as long as its streamed deltas would
                        time.sleep(reply.delay_s * -(-len(reply.text) // max(1, reply.chunk_chars)))
                    if reply.drop_after_chars is not None:
                        self._drop()
                        return
                    answer = {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": model,
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply.text},
                                "logprobs": None,
                                "finish_reason": reply.finish,
                            }
                        ],
                        "usage": {
                            "prompt_tokens": 300,
                            "completion_tokens": len(reply.text),
                            "total_tokens": 0,
                        },
                    }
                    self._json(200, answer)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                try:
                    self._event(self._chunk(model, {"role": "assistant", "content": ""}, None))
                    sent = 0
                    text = reply.text
                    while sent < len(text):
                        if reply.drop_after_chars is not None and sent >= reply.drop_after_chars:
                            self._drop()
                            return
                        if reply.delay_s:
                            time.sleep(reply.delay_s)
                        piece = text[sent : sent + reply.chunk_chars]
                        sent += len(piece)
                        self._event(self._chunk(model, {"content": piece}, None))
                    while reply.loop_forever:
                        if reply.delay_s:
                            time.sleep(reply.delay_s)
                        self._event(self._chunk(model, {"content": reply.loop_forever}, None))
                    if reply.error_event:
                        self._event(
                            {
                                "error": {
                                    "message": reply.error_event,
                                    "type": "InternalServerError",
                                    "code": 500,
                                }
                            }
                        )
                    self._event(self._chunk(model, {"content": ""}, reply.finish))
                    if (body.get("stream_options") or {}).get("include_usage"):
                        usage = {
                            "prompt_tokens": 300,
                            "completion_tokens": len(text),
                            "total_tokens": 300 + len(text),
                        }
                        self._event(
                            {
                                "id": "chatcmpl-1",
                                "object": "chat.completion.chunk",
                                "choices": [],
                                "usage": usage,
                            }
                        )
                    self._write(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError, OSError):
                    with server._lock:
                        server.disconnects += 1
                    self.close_connection = True

            @staticmethod
            def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
                return {
                    "id": "chatcmpl-1",
                    "object": "chat.completion.chunk",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
                }

            def _event(self, payload: dict[str, Any]) -> None:
                self._write(b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n")

            def _write(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _drop(self) -> None:
                try:
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self.close_connection = True

            def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _error(
                self, status: int, message: str, kind: str, headers: dict[str, str] | None = None
            ) -> None:
                if server.legacy_errors:
                    payload: dict[str, Any] = {
                        "object": "error",
                        "message": message,
                        "type": kind,
                        "param": None,
                        "code": status,
                    }
                else:
                    payload = {"error": {"message": message, "type": kind, "param": None, "code": status}}
                self._json(status, payload, headers)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _record(self, handler: BaseHTTPRequestHandler, body: dict[str, Any] | None) -> None:
        with self._lock:
            self.requests.append(Recorded(handler.path, body, dict(handler.headers)))

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/v1"

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
