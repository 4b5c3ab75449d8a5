"""The worker slots of the server engine: ``concurrency`` per server, pulling pages from one queue.

Public API (for :mod:`.engine` and a future page-pulling reading service): :class:`Server` (a server
in use), :class:`PageState` (one page across attempts and servers), :class:`Failover` (the page's server
could not be reached) and :class:`SlotPool`. The pool's threads call ``read_page(server, state, emit,
new_handle, cancel)`` and put ``("text" | "block" | "done", state, value)`` events on ``events``; the
thread that called ``read`` takes them off and runs the callbacks, so callbacks stay on one thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop_ocr.engine.base import PageFailure, PageInput
from desktop_ocr.engine.server import http
from desktop_ocr.model.result import PageResult

log = logging.getLogger(__name__)

Emit = Callable[[str, "PageState", Any], None]
ReadPage = Callable[..., "PageResult | PageFailure | Failover"]


@dataclass
class Server:
    """A server in use: its endpoint, kind (vllm, ollama...) and the model name it serves."""

    endpoint: http.Endpoint
    kind: str
    model: str
    send_max_tokens: bool = True


@dataclass
class PageState:
    """One page across attempts: what was already streamed (a retry does not repeat it)."""

    page: PageInput
    index: int
    sent_chars: int = 0
    sent_blocks: int = 0
    text: str = ""
    tried: set[str] = field(default_factory=set)
    last_error: str = ""


@dataclass(frozen=True, slots=True)
class Failover:
    """The page's server could not be reached: another server may read it."""

    message: str


class SlotPool:
    """Worker slots (``concurrency`` per server) taking pages from one queue; events go to the caller."""

    def __init__(
        self,
        servers: list[Server],
        concurrency: int,
        read_page: ReadPage,
        states: list[PageState],
        cancel: threading.Event,
    ) -> None:
        self.servers = servers
        self.concurrency = max(1, concurrency)
        self.read_page = read_page
        self.cancel = cancel
        self.events: queue.Queue[tuple[str, PageState, Any]] = queue.Queue()
        self.done: dict[int, PageResult | PageFailure] = {}
        self._todo = list(states)
        self._in_flight = 0
        self._cond = threading.Condition()
        self._handles: set[http.RequestHandle] = set()
        self._down: set[str] = set()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for server in self.servers:
            for _ in range(min(self.concurrency, len(self._todo))):
                t = threading.Thread(target=self._work, args=(server,), daemon=True, name="ocr-server-slot")
                self.threads.append(t)
                t.start()

    def close_all(self) -> None:
        with self._cond:
            handles = list(self._handles)
            self._cond.notify_all()
        for h in handles:
            h.close()

    def _new_handle(self) -> http.RequestHandle:
        handle = http.RequestHandle()
        with self._cond:
            self._handles.add(handle)
            if self.cancel.is_set():
                handle.close()
        return handle

    def _next(self, server: Server) -> PageState | None:
        with self._cond:
            while True:
                if self.cancel.is_set() or server.endpoint.base in self._down:
                    return None
                for i, state in enumerate(self._todo):
                    if server.endpoint.base not in state.tried:
                        self._in_flight += 1
                        return self._todo.pop(i)
                if self._in_flight == 0:
                    return None
                self._cond.wait(0.2)

    def _work(self, server: Server) -> None:
        emit = lambda kind, st, value: self.events.put((kind, st, value))  # noqa: E731
        while (state := self._next(server)) is not None:
            try:
                outcome = self.read_page(server, state, emit, self._new_handle, self.cancel)
            except Exception as exc:  # a bug must not hang the read: the page fails with it
                log.exception("Reading %s on %s failed", state.page.key, server.endpoint.label)
                outcome = PageFailure(state.page.key, f"{server.endpoint.label}: {type(exc).__name__}: {exc}")
            with self._cond:
                self._in_flight -= 1
                if isinstance(outcome, Failover):
                    self._down.add(server.endpoint.base)
                    alive = [s for s in self.servers if s.endpoint.base not in self._down]
                    if any(s.endpoint.base not in state.tried for s in alive):
                        self._todo.insert(0, state)
                        self._cond.notify_all()
                        state.last_error = outcome.message
                        continue
                    outcome = PageFailure(state.page.key, outcome.message)
                self._cond.notify_all()
            self.events.put(("done", state, outcome))
        # This slot stops; pages only its server could still try fail with their last error.
        with self._cond:
            alive = [s for s in self.servers if s.endpoint.base not in self._down]
            if not alive and self._in_flight == 0 and not self.cancel.is_set():
                leftover, self._todo = self._todo, []
                for state in leftover:
                    message = state.last_error or "no server could be reached"
                    self.events.put(("done", state, PageFailure(state.page.key, message)))
