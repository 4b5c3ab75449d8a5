"""DeepSeek-OCR through OpenAI-compatible servers (vLLM, SGLang, Ollama, LM Studio); stdlib HTTP, no Qt.

- :mod:`.http` - endpoints, cancellable requests (system TLS, proxies from the environment), SSE.
- :mod:`.request` - the request body of a page (the vLLM recipe's parameters), loop detection, API key.
- :mod:`.engine` - :class:`ServerEngine`, several pages in flight over several servers.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ServerConfig", "ServerEngine"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from desktop_ocr.engine.server import engine

        return getattr(engine, name)
    raise AttributeError(name)
