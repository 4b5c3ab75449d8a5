"""Choosing the engine from the settings, as a factory the OCR worker calls in its own thread.

Nothing here imports torch: the factory runs later, inside the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from desktop_ocr.engine.base import Engine
from desktop_ocr.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_ENGINE = "embedded"


def resolve_name(settings: Settings) -> str:
    """The engine name the settings ask for ("auto" resolved without importing torch)."""
    name = settings.engine or "auto"
    if name != "auto":
        return name
    try:
        from desktop_ocr.engine import registry

        choose = getattr(registry, "resolve_engine_name", None) or getattr(registry, "choose_engine", None)
        if choose is not None:
            return str(choose(settings))
    except ImportError:
        pass
    return DEFAULT_ENGINE


def engine_factory(settings: Settings) -> tuple[str, Callable[[], Engine]]:
    """(engine name, factory). The factory creates the engine (not loaded) in the calling thread."""
    name = resolve_name(settings)

    def create() -> Engine:
        try:
            from desktop_ocr.engine import registry
        except ImportError:
            registry = None  # type: ignore[assignment]
        if registry is not None and hasattr(registry, "create_engine"):
            return registry.create_engine(name, settings)
        if name == DEFAULT_ENGINE:
            from desktop_ocr.engine.embedded import EmbeddedEngine

            return EmbeddedEngine()
        from desktop_ocr.engine.base import EngineUnavailable

        raise EngineUnavailable(f"The engine '{name}' is not installed.")

    return name, create
