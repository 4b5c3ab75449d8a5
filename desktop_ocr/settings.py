"""Typed application settings with a schema version, saved atomically as JSON in the config folder.

Window geometry and dock state live in QSettings (Qt's own business); everything else is here.
Loading never fails: unknown keys are dropped, bad values fall back to defaults, and older
schema versions are upgraded step by step (see ``_UPGRADES``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_ocr import paths
from desktop_ocr.fsutil import atomic_write_text

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
FILE_NAME = "settings.json"

SEPARATORS = {
    "official": "\n<--- Page Split --->\n",
    "none": "\n\n",
    "hr": "\n\n---\n\n",
}


@dataclass
class DeepSeekSettings:
    """How the DeepSeek-OCR engine is found and run."""

    #: "hub": download/cache ``hub_id`` at ``revision``; "folder": use ``folder`` as it is.
    source: str = "hub"
    hub_id: str = "deepseek-ai/DeepSeek-OCR"
    #: The pinned commit of ``hub_id``; the user can change it. Empty: the catalogue's pin.
    revision: str = ""
    folder: str = ""
    #: Model locations (hub id@revision or folder path) whose remote code the user agreed to run.
    trusted: list[str] = field(default_factory=list)
    device: str = "auto"  # auto, cuda, cpu
    dtype: str = "auto"  # auto (bf16 on GPU, fp16 where bf16 is missing, fp32 on CPU), bf16, fp16, fp32
    attention: str = "auto"  # auto (flash_attention_2 when installed and supported, else eager), eager
    batch_size: int = 0  # 0: chosen from free GPU memory
    mode: str = "gundam"
    prompt: str = "document"
    custom_prompt: str = ""
    max_new_tokens: int = 8192
    ngram_size: int = 20
    ngram_window: int = 50
    #: The engine's GPU speed-ups (batched MoE step, batched vision); same tokens as without.
    accel: bool = True

    def location(self) -> str:
        """The key used in ``trusted``: ``hub_id@revision`` or the folder path."""
        if self.source == "folder":
            return str(Path(self.folder).expanduser())
        return f"{self.hub_id}@{self.revision}"


@dataclass
class ServerSettings:
    """DeepSeek-OCR on OpenAI-compatible servers (vLLM, SGLang, Ollama...). No API key here: it is
    read from the environment variable ``api_key_env`` (or DESKTOP_OCR_SERVER_API_KEY /
    OPENAI_API_KEY) or the system keyring, never written to a file."""

    #: Base URLs, e.g. "http://gpu1:8000/v1"; pages go to whichever server is free.
    urls: list[str] = field(default_factory=list)
    #: The served model name; "" uses the server's only model.
    model: str = ""
    #: Pages in flight per server.
    concurrency: int = 4
    api_key_env: str = ""
    stream: bool = True
    #: Seconds a server may stay silent while reading a page.
    timeout_s: int = 300


@dataclass
class Settings:
    schema_version: int = SCHEMA_VERSION
    #: "auto" picks DeepSeek-OCR when a GPU and a trusted model are there, else the embedded engine.
    engine: str = "auto"
    deepseek: DeepSeekSettings = field(default_factory=DeepSeekSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    offline: bool = False
    dpi: int = 144
    separator: str = "official"
    export_formats: list[str] = field(default_factory=lambda: ["md", "txt", "json"])
    show_boxes: bool = True
    first_run_done: bool = False
    language: str = ""  # "" follows the system; "en", "zh_CN"
    last_open_dir: str = ""
    last_export_dir: str = ""

    # -- persistence ---------------------------------------------------------------------
    @classmethod
    def path(cls) -> Path:
        return paths.config_dir() / FILE_NAME

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or cls.path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("Settings file %s is unreadable (%s); using defaults", path, exc)
            return cls()
        return cls.from_dict(_upgrade(raw))

    def save(self, path: Path | None = None) -> None:
        atomic_write_text(path or self.path(), json.dumps(self.to_dict(), indent=2, sort_keys=True))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        s = cls()
        _fill(s, data)
        s.schema_version = SCHEMA_VERSION
        return s

    @property
    def separator_text(self) -> str:
        return SEPARATORS.get(self.separator, SEPARATORS["official"])


def _fill(obj: Any, data: dict[str, Any]) -> None:
    """Copy known keys of ``data`` into the dataclass ``obj``, keeping defaults for bad values."""
    for f in dataclasses.fields(obj):
        if f.name not in data:
            continue
        current = getattr(obj, f.name)
        value = data[f.name]
        if dataclasses.is_dataclass(current):
            if isinstance(value, dict):
                _fill(current, value)
            continue
        if isinstance(current, bool):
            ok = isinstance(value, bool)
        elif isinstance(current, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif isinstance(current, list):
            ok = isinstance(value, list)
        else:
            ok = isinstance(value, type(current))
        if ok:
            setattr(obj, f.name, value)
        else:
            log.warning("Setting %s has a bad value %r; using the default", f.name, value)


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("schema_version", 0)
    if not isinstance(version, int):
        version = 0
    for step in range(version, SCHEMA_VERSION):
        data = _UPGRADES[step](data)
    return data


def _from_v0(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (no version key) had the same fields."""
    return dict(data, schema_version=1)


_UPGRADES = {0: _from_v0}
