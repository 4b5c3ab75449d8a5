"""Typed application settings with a schema version, saved atomically as JSON in the config folder.

Window geometry and dock state live in window.ini beside this file (QSettings, Qt's own format); everything else is here.
Loading never fails: unknown keys are dropped, values of the wrong type or outside their range
(``RANGES``, ``CHOICES``) fall back to defaults, and older schema versions are upgraded step by step
(see ``_UPGRADES``). ``Settings.load_checked`` also returns what was wrong, one
:class:`SettingProblem` per bad value: the CLI refuses to run with them, the GUI says so and goes on.
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

#: Numeric settings and their inclusive ranges, by dotted name ("deepseek.batch_size").
RANGES: dict[str, tuple[int, int]] = {
    "dpi": (36, 1200),  # what the PDF renderer is asked for (the CLI's --dpi accepts the same)
    "deepseek.batch_size": (0, 256),  # 0: chosen from free GPU memory
    "deepseek.max_new_tokens": (16, 8192),  # the model has 8,192 positions
    "deepseek.ngram_size": (0, 200),  # 0: no n-gram ban
    "deepseek.ngram_window": (0, 8192),
    "uncertain_below": (1, 95),  # percent; words scored at 95% or more are not kept with results
    "server.concurrency": (1, 64),  # pages in flight per server (the CLI's --server-concurrency too)
    "server.timeout_s": (5, 3600),  # seconds a server may stay silent while reading a page
}
#: Settings that take one of a few words.
CHOICES: dict[str, tuple[str, ...]] = {
    "deepseek.source": ("hub", "folder"),
    "deepseek.device": ("auto", "cuda", "cpu"),
    "deepseek.dtype": ("auto", "bf16", "fp16", "fp32"),
    "deepseek.attention": ("auto", "eager"),
    "deepseek.mode": ("tiny", "small", "base", "large", "gundam"),
    "deepseek.decode": ("exact", "fastest"),
    "separator": ("official", "none", "hr"),
}


@dataclass(frozen=True)
class SettingProblem:
    """One value of the settings file that was not used (the default was)."""

    name: str  # dotted: "dpi", "deepseek.batch_size"
    value: Any
    allowed: str  # "36 to 1200", "one of hub, folder", "an integer"
    default: Any

    def message(self) -> str:
        """One line: "setting dpi is -72: allowed 36 to 1200 (the default is 144)"."""
        return (
            f"setting {self.name} is {self.value!r}: allowed {self.allowed} (the default is {self.default!r})"
        )


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
    #: Pages read together on a GPU: "exact" gives every page the tokens the official ``infer()``
    #: gives it alone; "fastest" decodes batches several times faster, each page's text still the
    #: same whatever its batch, but it can leave ``infer()``'s after some tokens.
    decode: str = "exact"

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
    #: Born-digital PDF pages are read from their own text (exact, no OCR) instead of their image.
    use_text_layer: bool = False
    separator: str = "official"
    export_formats: list[str] = field(default_factory=lambda: ["md", "txt", "json"])
    export_pdfa: bool = False  # searchable PDFs as PDF/A-2b
    show_boxes: bool = True
    first_run_done: bool = False
    language: str = ""  # "" follows the system; "en", "zh_CN"
    last_open_dir: str = ""
    last_export_dir: str = ""
    #: At start (nothing else to open, nothing to recover): open the project used last.
    reopen_last_project: bool = True
    #: Proofreading: words the engine read with a confidence below ``uncertain_below`` percent are
    #: underlined in the editor (F8 steps through them).
    mark_uncertain: bool = True
    uncertain_below: int = 85
    #: Words unknown to the dictionaries of ``spell_languages`` (codes of ``spelling.available()``,
    #: e.g. "en_US") are underlined too.
    spell_check: bool = True
    spell_languages: list[str] = field(default_factory=list)

    # -- persistence ---------------------------------------------------------------------
    @classmethod
    def path(cls) -> Path:
        return paths.config_dir() / FILE_NAME

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The settings in ``path`` (default: the config folder's); bad values are logged and replaced."""
        return cls.load_checked(path)[0]

    @classmethod
    def load_checked(cls, path: Path | None = None) -> tuple[Settings, list[SettingProblem]]:
        """The settings and the values that were refused (each replaced by its default)."""
        path = path or cls.path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            return cls(), []
        except (OSError, ValueError) as exc:
            log.warning("Settings file %s is unreadable (%s); using defaults", path, exc)
            return cls(), []
        s = cls()
        problems: list[SettingProblem] = []
        _fill(s, _upgrade(raw), "", problems)
        s.schema_version = SCHEMA_VERSION
        for problem in problems:
            log.warning("%s: %s; using the default", path, problem.message())
        return s, problems

    def problems(self) -> list[SettingProblem]:
        """The values held now that are of the wrong type or outside their range (``RANGES``,
        ``CHOICES``): what loading them again would refuse. Empty when all are fine."""
        found: list[SettingProblem] = []
        _fill(type(self)(), self.to_dict(), "", found)
        return found

    def save(self, path: Path | None = None) -> None:
        """Write the file atomically, as it is (``desktop_ocr.setup.saving`` checks the values first)."""
        atomic_write_text(path or self.path(), json.dumps(self.to_dict(), indent=2, sort_keys=True))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        s = cls()
        problems: list[SettingProblem] = []
        _fill(s, data, "", problems)
        s.schema_version = SCHEMA_VERSION
        for problem in problems:
            log.warning("%s; using the default", problem.message())
        return s

    @property
    def separator_text(self) -> str:
        return SEPARATORS.get(self.separator, SEPARATORS["official"])


def _fill(obj: Any, data: dict[str, Any], prefix: str, problems: list[SettingProblem]) -> None:
    """Copy known keys of ``data`` into the dataclass ``obj``; a value of the wrong type or outside
    its range keeps the default and is added to ``problems``."""
    for f in dataclasses.fields(obj):
        if f.name not in data:
            continue
        name = prefix + f.name
        current = getattr(obj, f.name)
        value = data[f.name]
        if dataclasses.is_dataclass(current):
            if isinstance(value, dict):
                _fill(current, value, name + ".", problems)
            else:
                problems.append(SettingProblem(name, value, "an object of settings", {}))
            continue
        allowed = _check(name, current, value)
        if allowed:
            problems.append(SettingProblem(name, value, allowed, current))
        else:
            setattr(obj, f.name, value)


def _check(name: str, default: Any, value: Any) -> str:
    """Empty when ``value`` fits the setting ``name`` (whose default is ``default``), else what would."""
    if isinstance(default, bool):
        return "" if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            return "an integer" + (" from {} to {}".format(*RANGES[name]) if name in RANGES else "")
        low, high = RANGES.get(name, (value, value))
        return "" if low <= value <= high else f"{low} to {high}"
    if isinstance(default, list):
        return "" if isinstance(value, list) else "a list"
    if not isinstance(value, type(default)):
        return f"a {type(default).__name__}"
    choices = CHOICES.get(name)
    if choices and value not in choices:
        return "one of " + ", ".join(choices)
    return ""


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
