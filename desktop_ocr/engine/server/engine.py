"""DeepSeek-OCR read by OpenAI-compatible servers (vLLM, SGLang, Ollama, LM Studio): several pages in flight.

Public API: :class:`ServerEngine` (an :class:`~desktop_ocr.engine.base.Engine`) and :class:`ServerConfig`::

    engine = ServerEngine(ServerConfig(urls=("http://gpu1:8000/v1", "http://gpu2:8000/v1"), model="deepseek-ai/DeepSeek-OCR"))
    engine.load()                       # asks each server's /v1/models; a down server is left out
    results = engine.read(pages, on_text=..., on_block=..., cancel=event)

``read`` keeps up to ``concurrency`` requests in flight per server; each worker slot belongs to one
server and takes the next page when it is free, so pages go to whichever server is free. Callbacks
run on the thread that called ``read`` (as with the local engine); results come back in input order.
Connection errors, 429 and 503 are retried with back-off (``Retry-After`` honoured); a page whose
server answers another error fails alone with the server's reason. A page that hits the token cap
(``finish_reason`` "length") or ends in a loop is kept and marked INCOMPLETE. Cancel closes the
sockets of every request in flight; ``read`` returns within a second.

:meth:`ServerEngine.read_one` reads one page on one server with its own callbacks, for a reading
service that feeds pages one at a time.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop_ocr.engine.base import (
    PROMPTS,
    BlockCallback,
    Engine,
    EngineCancelled,
    EngineInfo,
    EngineUnavailable,
    PageFailure,
    PageInput,
    ProgressCallback,
    TextCallback,
)
from desktop_ocr.engine.grounding import StreamingBlockParser, parse_blocks, to_markdown
from desktop_ocr.engine.server import http
from desktop_ocr.engine.server.pool import Failover, PageState, Server, SlotPool
from desktop_ocr.engine.server.request import (
    RECIPE_NGRAM,
    api_key,
    chat_body,
    image_data_uri,
    model_ids,
    repeating_tail,
    same_model,
    server_kind,
)
from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.model.result import Completion, PageResult

log = logging.getLogger(__name__)

ENGINE_NAME = "server"
MODES = ("tiny", "small", "base", "large", "gundam")
#: Seconds a cancelled read waits for its requests to close before it returns.
_CANCEL_GRACE_S = 0.8


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """How to reach the servers; the API key is never part of it (see :func:`request.api_key`)."""

    urls: tuple[str, ...]
    model: str = ""  # "": the servers' only model
    concurrency: int = 4  # requests in flight per server
    api_key_env: str = ""  # "": DESKTOP_OCR_SERVER_API_KEY, then OPENAI_API_KEY, then the keyring
    stream: bool = True
    kind: str = "auto"  # auto (from /v1/models), vllm, sglang, ollama, openai
    ngram: tuple[int, int] | None = RECIPE_NGRAM
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 300.0  # silence allowed while a page is read
    retries: int = 4
    backoff_s: float = 0.5  # first pause; doubles per retry, at most 8 s
    image_format: str = "jpeg"
    loop_guard: bool = True  # stop a streamed answer that repeats itself


class ServerEngine(Engine):
    """See the module docstring."""

    def __init__(self, config: ServerConfig) -> None:
        if not config.urls:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP("Engine", "No DeepSeek-OCR server is set: add its URL in the settings.")
            )
        try:
            self.endpoints = [http.Endpoint.parse(u) for u in dict.fromkeys(config.urls)]
        except ValueError as exc:
            raise EngineUnavailable(str(exc)) from None
        self.config = config
        self._servers: list[Server] = []
        self._seconds_per_page: float | None = None
        self._speed_lock = threading.Lock()
        self.warnings: list[str] = []

    def __repr__(self) -> str:  # never the key
        return f"ServerEngine({[e.base for e in self.endpoints]!r}, model={self.config.model!r})"

    # -- Engine interface -------------------------------------------------------------------------
    @property
    def info(self) -> EngineInfo:
        servers = self._servers or [Server(e, "openai", self.config.model) for e in self.endpoints]
        labels = ", ".join(s.endpoint.label for s in servers)
        return EngineInfo(
            name=ENGINE_NAME,
            title=f"DeepSeek-OCR server ({labels})",
            streams=self.config.stream,
            grounded=True,
            modes=MODES,
            prompts=(*PROMPTS, "custom"),
            max_batch=max(1, self.config.concurrency) * len(servers),
            device="server",
            seconds_per_page_estimate=self.seconds_per_page_estimate(),
        )

    @property
    def loaded(self) -> bool:
        return bool(self._servers)

    @property
    def servers(self) -> list[str]:
        """The base URLs in use after :meth:`load`."""
        return [s.endpoint.base for s in self._servers]

    def load(self, progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> None:
        """Ask every server for its models; keep those that serve the model. Raises EngineUnavailable
        naming the URL and the cause when none can be used."""
        servers, problems = [], []
        for i, endpoint in enumerate(self.endpoints):
            if cancel is not None and cancel.is_set():
                raise EngineCancelled(QT_TRANSLATE_NOOP("Engine", "Connecting to the server was cancelled."))
            if progress:
                progress(i / len(self.endpoints), f"connecting to {endpoint.base}")
            try:
                servers.append(self._check(endpoint))
            except EngineUnavailable as exc:
                problems.append(str(exc))
                log.warning("%s", exc)
        if not servers:
            raise EngineUnavailable("; ".join(problems))
        self.warnings = [f"left out: {p}" for p in problems]
        for warning in self.warnings:
            if progress:
                progress(-1, warning)
        self._servers = servers

    def list_models(self, endpoint: http.Endpoint) -> tuple[str, list[str]]:
        """(server kind, model ids) from ``/v1/models``; raises EngineUnavailable with the cause."""
        handle = http.RequestHandle()
        try:
            response = http.open_request(
                endpoint,
                "/models",
                api_key=self._key(endpoint),
                handle=handle,
                connect_timeout=self.config.connect_timeout_s,
                read_timeout=min(30.0, self.config.read_timeout_s),
            )
            answer = http.read_json(response, handle)
        except http.Unreachable as exc:
            raise EngineUnavailable(str(exc)) from None
        except http.ServerError as exc:
            hint = " (check the API key)" if exc.status in (401, 403) else ""
            raise EngineUnavailable(f"{endpoint.base} answered {exc}{hint}") from None
        except (http.StreamBroken, http.Cancelled) as exc:
            raise EngineUnavailable(f"{endpoint.base}: {exc or 'no answer'}") from None
        kind = self.config.kind if self.config.kind != "auto" else server_kind(answer)
        return kind, model_ids(answer)

    def _check(self, endpoint: http.Endpoint) -> Server:
        kind, models = self.list_models(endpoint)
        wanted = self.config.model.strip()
        if not wanted:
            if len(models) == 1:
                return Server(endpoint, kind, models[0])
            raise EngineUnavailable(
                f"{endpoint.base} serves {len(models)} models ({', '.join(models) or 'none'}): "
                "name the one to use (the server model setting, or --server-model NAME)"
            )
        for served in models:
            if same_model(wanted, served):
                return Server(endpoint, kind, served)
        raise EngineUnavailable(
            f"{endpoint.base} has no model '{wanted}' (it serves: {', '.join(models) or 'none'})"
        )

    def unload(self) -> None:
        self._servers = []

    def read(
        self,
        pages: Sequence[PageInput],
        *,
        on_text: TextCallback | None = None,
        on_block: BlockCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[PageResult | PageFailure]:
        if not self._servers:
            raise EngineUnavailable(QT_TRANSLATE_NOOP("Engine", "Connect to the server first."))
        cancel = cancel or threading.Event()
        outcomes: dict[int, PageResult | PageFailure] = {}
        states = []
        for i, page in enumerate(pages):
            problem = _check_page(page)
            if problem is not None:
                outcomes[i] = problem
            else:
                states.append(PageState(page, i))
        pool = SlotPool(self._servers, self.config.concurrency, self._read_page, states, cancel)
        pool.start()
        wanted = len(states)
        deadline: float | None = None
        while len(pool.done) < wanted:
            if cancel.is_set() and deadline is None:
                pool.close_all()
                deadline = time.monotonic() + _CANCEL_GRACE_S
            if deadline is not None and time.monotonic() > deadline:
                break
            try:
                event = pool.events.get(timeout=0.05)
            except queue.Empty:
                if not any(t.is_alive() for t in pool.threads) and pool.events.empty():
                    break
                continue
            kind, state, value = event
            if kind == "text" and on_text is not None:
                on_text(state.page.key, value)
            elif kind == "block" and on_block is not None:
                on_block(state.page.key, value)
            elif kind == "done":
                pool.done[state.index] = value
        outcomes.update(pool.done)
        for state in states:
            if state.index not in outcomes:
                outcomes[state.index] = _cancelled(state, self)
        return [outcomes[i] for i in range(len(pages))]

    # -- one page ---------------------------------------------------------------------------------
    def read_one(
        self,
        page: PageInput,
        server: int = 0,
        *,
        on_text: TextCallback | None = None,
        on_block: BlockCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> PageResult | PageFailure:
        """Read one page on ``self.servers[server]`` in the calling thread (callbacks there too)."""
        state = PageState(page, 0)
        problem = _check_page(page)
        if problem is not None:
            return problem

        def emit(kind: str, st: PageState, value: Any) -> None:
            if kind == "text" and on_text is not None:
                on_text(st.page.key, value)
            elif kind == "block" and on_block is not None:
                on_block(st.page.key, value)

        handles: list[http.RequestHandle] = []
        stop = threading.Event()

        def new_handle() -> http.RequestHandle:
            handle = http.RequestHandle()
            handles.append(handle)
            if cancel is not None and cancel.is_set():
                handle.close()
            return handle

        def watch() -> None:
            while cancel is not None and not stop.is_set():
                if cancel.wait(0.05):
                    for handle in list(handles):
                        handle.close()
                    return

        watcher = threading.Thread(target=watch, daemon=True, name="ocr-server-cancel")
        watcher.start()
        try:
            outcome = self._read_page(self._servers[server], state, emit, new_handle, cancel)
        finally:
            stop.set()
        return outcome if not isinstance(outcome, Failover) else PageFailure(page.key, outcome.message)

    def _read_page(
        self,
        server: Server,
        state: PageState,
        emit: Callable[[str, PageState, Any], None],
        new_handle: Callable[[], http.RequestHandle],
        cancel: threading.Event | None,
    ) -> PageResult | PageFailure | Failover:
        cfg = self.config
        page = state.page
        state.tried.add(server.endpoint.base)
        uri, _sent_size = image_data_uri(page.image, page.options.mode, cfg.image_format)
        t0 = time.monotonic()
        attempt = 0
        while True:
            if cancel is not None and cancel.is_set():
                return _cancelled(state, self, server)
            handle = new_handle()
            try:
                text, finish, usage, looped = self._request(server, state, uri, handle, emit)
                break
            except http.Cancelled:
                if cancel is not None and cancel.is_set():
                    return _cancelled(state, self, server)
                raise
            except http.ServerError as exc:
                if exc.context_too_long and server.send_max_tokens:
                    server.send_max_tokens = False  # let the server use the context that is left
                    continue
                if exc.retryable and attempt < cfg.retries:
                    attempt += 1
                    if _pause(cancel, exc.retry_after or _backoff(cfg.backoff_s, attempt)):
                        continue
                    return _cancelled(state, self, server)
                return PageFailure(page.key, f"{server.endpoint.label} answered {exc}")
            except (http.Unreachable, http.StreamBroken) as exc:
                state.last_error = str(exc)
                if attempt < cfg.retries:
                    attempt += 1
                    log.info("%s: %s; trying again (%d)", server.endpoint.label, exc, attempt)
                    if _pause(cancel, _backoff(cfg.backoff_s, attempt)):
                        continue
                    return _cancelled(state, self, server)
                if isinstance(exc, http.Unreachable):
                    return Failover(str(exc))
                return PageFailure(page.key, f"{server.endpoint.label}: {exc}")
        elapsed = time.monotonic() - t0
        self._note_speed(elapsed)
        completion = Completion.INCOMPLETE if looped or finish == "length" else Completion.COMPLETE
        width, height = page.image.size
        return PageResult(
            blocks=tuple(parse_blocks(text)),
            raw=text,
            markdown=to_markdown(text),
            completion=completion,
            engine=ENGINE_NAME,
            model=server.model,
            mode=page.options.mode,
            prompt=page.options.prompt,
            width=width,
            height=height,
            elapsed_s=round(elapsed, 3),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            generated_tokens=int(usage.get("completion_tokens") or 0),
            extra={
                "server": server.endpoint.label,
                "server_url": server.endpoint.base,
                "server_kind": server.kind,
                "finish_reason": finish or "",
                "attempts": attempt + 1,
                "possible_repetition": completion is Completion.INCOMPLETE,
                "stopped_repetition": looped,
            },
        )

    def _request(
        self,
        server: Server,
        state: PageState,
        uri: str,
        handle: http.RequestHandle,
        emit: Callable[[str, PageState, Any], None],
    ) -> tuple[str, str, dict[str, Any], bool]:
        """One attempt: (text, finish_reason, usage, stopped because it looped)."""
        cfg = self.config
        body = chat_body(
            server.model,
            uri,
            state.page.options,
            kind=server.kind,
            stream=cfg.stream,
            ngram=cfg.ngram,
            send_max_tokens=server.send_max_tokens,
        )
        response = http.open_request(
            server.endpoint,
            "/chat/completions",
            body=body,
            api_key=self._key(server.endpoint),
            handle=handle,
            connect_timeout=cfg.connect_timeout_s,
            read_timeout=cfg.read_timeout_s,
            accept="text/event-stream" if cfg.stream else "application/json",
        )
        parser = StreamingBlockParser()
        blocks_now = 0
        state.text = ""

        def add(delta: str) -> None:
            nonlocal blocks_now
            before = len(state.text)
            state.text += delta
            if len(state.text) > state.sent_chars:
                emit("text", state, state.text[max(state.sent_chars, before) :])
                state.sent_chars = len(state.text)
            for block in parser.feed(delta):
                if blocks_now >= state.sent_blocks:
                    emit("block", state, block)
                    state.sent_blocks += 1
                blocks_now += 1

        def finish_blocks() -> None:
            nonlocal blocks_now
            for block in parser.finish():
                if blocks_now >= state.sent_blocks:
                    emit("block", state, block)
                    state.sent_blocks += 1
                blocks_now += 1

        finish, usage, looped = "", {}, False
        if not cfg.stream:
            answer = http.read_json(response, handle)
            choice = _first_choice(answer)
            message = choice.get("message") or {}
            add(str(message.get("content") or ""))
            finish_blocks()
            return state.text, str(choice.get("finish_reason") or ""), dict(answer.get("usage") or {}), False
        checked = 0
        for event in http.sse_events(response, handle):
            if isinstance(event.get("error"), dict | str):
                raise http.ServerError(500, http.error_message(_json_bytes(event)))
            if isinstance(event.get("usage"), dict):
                usage = event["usage"]
            choice = _first_choice(event)
            delta = (choice.get("delta") or {}).get("content")
            if delta:
                add(str(delta))
            if choice.get("finish_reason"):
                finish = str(choice["finish_reason"])
            if cfg.loop_guard and len(state.text) - checked >= 512:
                checked = len(state.text)
                if repeating_tail(state.text):
                    looped = True
                    handle.close()  # the server stops generating when the client goes away
                    break
        finish_blocks()
        return state.text, finish, usage, looped

    # -- helpers ----------------------------------------------------------------------------------
    def _key(self, endpoint: http.Endpoint) -> str:
        return api_key(self.config.api_key_env, endpoint.base)

    def _note_speed(self, elapsed: float) -> None:
        with self._speed_lock:
            prev = self._seconds_per_page
            self._seconds_per_page = elapsed if prev is None else 0.7 * prev + 0.3 * elapsed

    def seconds_per_page_estimate(self) -> float:
        """Seconds per page with every slot busy: one request's time over the requests in flight."""
        slots = max(1, self.config.concurrency) * max(1, len(self._servers or self.endpoints))
        per_request = self._seconds_per_page if self._seconds_per_page is not None else 20.0
        return round(per_request / slots, 2)


def _first_choice(answer: Any) -> dict[str, Any]:
    choices = answer.get("choices") if isinstance(answer, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0]
    return {}


def _json_bytes(value: Any) -> bytes:
    import json

    return json.dumps(value).encode("utf-8")


def _backoff(base: float, attempt: int) -> float:
    return min(8.0, base * 2 ** (attempt - 1)) * (0.8 + 0.4 * random.random())


def _pause(cancel: threading.Event | None, seconds: float) -> bool:
    """Wait ``seconds``; False when cancelled meanwhile."""
    if cancel is None:
        time.sleep(seconds)
        return True
    return not cancel.wait(seconds)


def _cancelled(
    state: PageState, engine: ServerEngine, server: Server | None = None
) -> PageResult | PageFailure:
    """A cancelled page: its partial text as a CANCELLED result, or a failure when nothing came yet."""
    if not state.text:
        return PageFailure(
            state.page.key, QT_TRANSLATE_NOOP("Engine", "Reading was cancelled."), reason="cancelled"
        )
    width, height = state.page.image.size
    return PageResult(
        blocks=tuple(parse_blocks(state.text)),
        raw=state.text,
        markdown=to_markdown(state.text),
        completion=Completion.CANCELLED,
        engine=ENGINE_NAME,
        model=server.model if server else engine.config.model,
        mode=state.page.options.mode,
        prompt=state.page.options.prompt,
        width=width,
        height=height,
        extra={"server": server.endpoint.label} if server else {},
    )


def _check_page(page: PageInput) -> PageFailure | None:
    width, height = page.image.size
    if width < 1 or height < 1:
        return PageFailure(
            page.key, QT_TRANSLATE_NOOP("Engine", "The page image is empty (0 pixels wide or high).")
        )
    if page.options.prompt == "locate" and not page.options.locate_target.strip():
        return PageFailure(
            page.key,
            QT_TRANSLATE_NOOP("Engine", "Type the text to locate before reading with the Locate prompt."),
        )
    if page.options.mode not in MODES:
        return PageFailure(
            page.key,
            QT_TRANSLATE_NOOP("Engine", "There is no {mode} mode (use {known}).").format(
                mode=page.options.mode.capitalize(), known=", ".join(m.capitalize() for m in MODES)
            ),
        )
    return None
