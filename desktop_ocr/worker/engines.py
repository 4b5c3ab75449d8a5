"""Choosing the engine from the settings, as a factory the OCR worker calls in its own thread.

Nothing here imports torch, and nothing probes the GPU on the GUI thread: "auto" is resolved by
the registry inside the factory, which runs in the worker thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from desktop_ocr.engine.base import Engine, EngineInfo
from desktop_ocr.i18n import translated
from desktop_ocr.settings import Settings

log = logging.getLogger(__name__)


def engine_title(name: str) -> str:
    """An engine name from the settings ("auto", "embedded"...) as the user reads it, in their language."""
    from desktop_ocr.engine import registry

    key = registry.canonical_name(name)
    if key == registry.AUTO:
        return QCoreApplication.translate("Engines", "automatic choice")
    title = registry.TITLES.get(key)
    return translated(title) if title else name


def engine_factory(settings: Settings) -> tuple[str, Callable[[], Engine]]:
    """(the requested engine name, a factory creating the engine, not loaded yet)."""
    name = settings.engine or "auto"

    def create() -> Engine:
        from desktop_ocr.engine import registry

        return registry.create_engine(name, settings)

    return name, create


def read_capabilities(settings: Settings, loaded: EngineInfo | None) -> EngineInfo | None:
    """What the engine that reads next offers (its prompts and modes): the ``loaded`` engine's own
    info; the embedded engine's before it is loaded; None when not known yet ("auto", or a DeepSeek
    engine not loaded: everything is offered)."""
    if loaded is not None:
        return loaded
    from desktop_ocr.engine import registry

    if registry.canonical_name(settings.engine) == registry.EMBEDDED:
        from desktop_ocr.engine.embedded import EmbeddedEngine

        return EmbeddedEngine().info
    return None
