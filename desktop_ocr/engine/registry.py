"""The engines the app knows: which are installed, which one to use by default, and creating one by name.

Nothing here imports torch, transformers or rapidocr: installed packages are found with
``importlib.util.find_spec`` and the GPU with :mod:`desktop_ocr.setup.gpu_probe`. Engine classes are
imported only when :func:`create_engine` is asked for one.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr.engine.base import Engine, EngineUnavailable
from desktop_ocr.messages import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

EMBEDDED = "embedded"
DEEPSEEK = "deepseek-ocr"
SERVER = "server"
AUTO = "auto"
#: Other spellings accepted for engine names (settings written by older versions, the GPU advice).
ALIASES = {
    "vllm": SERVER,
    "deepseek-ocr-server": SERVER,
    "deepseek": DEEPSEEK,
    "deepseek_ocr": DEEPSEEK,
    "rapidocr": EMBEDDED,
    "default": AUTO,
    "": AUTO,
}
TITLES = {
    EMBEDDED: QT_TRANSLATE_NOOP("Engine", "Embedded (RapidOCR, CPU)"),
    DEEPSEEK: QT_TRANSLATE_NOOP("Engine", "DeepSeek-OCR (GPU)"),
    SERVER: QT_TRANSLATE_NOOP("Engine", "DeepSeek-OCR server (vLLM, SGLang, Ollama)"),
}

#: Import names the DeepSeek-OCR engine needs (the ``deepseek`` extra of pyproject.toml).
DEEPSEEK_MODULES = (
    "torch",
    "torchvision",
    "transformers",
    "tokenizers",
    "safetensors",
    "einops",
    "addict",
    "easydict",
)
EMBEDDED_MODULES = ("rapidocr", "onnxruntime")
INSTALL_HINT = "pip install 'desktop-ocr[deepseek]'"
_NO_MODEL = QT_TRANSLATE_NOOP(
    "Engine", "No DeepSeek-OCR model is set up: download one or choose its folder in the settings."
)


class UnknownEngine(EngineUnavailable, KeyError):
    """No engine has this name. (A KeyError too, for callers that look engines up like a dict.)"""

    def __str__(self) -> str:
        if self.args and isinstance(self.args[0], str):
            return self.args[0]  # a Message stays one
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class EngineEntry:
    """An engine as the settings dialog lists it."""

    name: str
    title: str
    #: Its packages are installed (it may still lack a model or a GPU: see :func:`deepseek_status`).
    installed: bool
    #: Why it cannot be used, for the user; "" when it can.
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DeepSeekStatus:
    """Whether DeepSeek-OCR can be the default engine here, and why not."""

    installed: bool
    gpu: bool
    model_folder: Path | None
    trusted: bool
    reason: str = ""

    @property
    def ready(self) -> bool:
        return self.installed and self.gpu and self.model_folder is not None and self.trusted


# --- what is installed ----------------------------------------------------------------------------
def missing_modules(modules: tuple[str, ...]) -> list[str]:
    """Those of ``modules`` that cannot be imported (found without importing them)."""
    missing = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return missing


def deepseek_installed() -> bool:
    return not missing_modules(DEEPSEEK_MODULES)


def canonical_name(name: str | None) -> str:
    """An engine name in its registry spelling ("DeepSeek" -> "deepseek-ocr"; None -> "auto")."""
    key = (name or "").strip().lower()
    return ALIASES.get(key, key)


def list_engines() -> list[EngineEntry]:
    """The embedded engine (always) and DeepSeek-OCR when its packages are installed."""
    missing = missing_modules(EMBEDDED_MODULES)
    entries = [
        EngineEntry(
            EMBEDDED,
            TITLES[EMBEDDED],
            installed=not missing,
            reason=QT_TRANSLATE_NOOP("Engine", "Missing packages: {packages}. Reinstall desktop-ocr.").format(
                packages=", ".join(missing)
            )
            if missing
            else "",
        )
    ]
    if deepseek_installed():
        entries.append(EngineEntry(DEEPSEEK, TITLES[DEEPSEEK], installed=True))
    entries.append(EngineEntry(SERVER, TITLES[SERVER], installed=True))  # the standard library suffices
    return entries


def engine_names() -> list[str]:
    return [e.name for e in list_engines()]


# --- the default ----------------------------------------------------------------------------------
def deepseek_status(settings: Any) -> DeepSeekStatus:
    """Whether DeepSeek-OCR can run by default: packages, a CUDA GPU, a model on disk the user trusts.

    ``settings`` is the app's :class:`~desktop_ocr.settings.Settings` (its ``deepseek`` section is
    read) or that section itself. Never raises; never downloads; never imports torch.
    """
    if not deepseek_installed():
        missing = ", ".join(missing_modules(DEEPSEEK_MODULES))
        return DeepSeekStatus(
            False,
            False,
            None,
            False,
            QT_TRANSLATE_NOOP(
                "Engine", "DeepSeek-OCR is not installed (missing {packages}). Install it with {hint}."
            ).format(packages=missing, hint=INSTALL_HINT),
        )
    from desktop_ocr.setup import gpu_probe

    gpu = gpu_probe.has_cuda_gpu()
    ds = getattr(settings, "deepseek", settings)
    folder: Path | None = None
    trusted = False
    reason = ""
    try:
        from desktop_ocr.setup import folder as model_folders
        from desktop_ocr.setup import trust

        folder = model_folders.model_folder(ds) if ds is not None else None
        if folder is not None and not (folder / "config.json").is_file():
            folder = None
        if folder is not None:
            trusted = trust.is_trusted(list(ds.trusted), trust.location_key(ds), folder)
    except Exception as exc:  # odd settings or an unreadable folder: not ready, say why
        log.warning("Could not check the DeepSeek-OCR model: %s", exc)
        reason = QT_TRANSLATE_NOOP("Engine", "The DeepSeek-OCR model could not be checked: {error}").format(
            error=str(exc)
        )
    if not reason:
        if not gpu:
            reason = QT_TRANSLATE_NOOP("Engine", "No NVIDIA GPU with a working driver was found.")
        elif folder is None:
            reason = _NO_MODEL
        elif not trusted:
            reason = QT_TRANSLATE_NOOP(
                "Engine", "The model's own code has not been approved to run on this computer yet."
            )
    return DeepSeekStatus(True, gpu, folder, trusted, reason)


def choose_engine(settings: Any = None) -> str:
    """The automatic choice: DeepSeek-OCR when it is installed, a CUDA GPU is present, and a model
    folder is configured and trusted; else the embedded engine."""
    if settings is not None and deepseek_status(settings).ready:
        return DEEPSEEK
    return EMBEDDED


def resolve_engine_name(settings: Any = None, requested: str | None = None) -> str:
    """The engine to use: ``requested``, else ``settings.engine``; "auto" is decided by :func:`choose_engine`."""
    name = canonical_name(requested if requested else getattr(settings, "engine", None))
    return choose_engine(settings) if name == AUTO else name


# --- creating ---------------------------------------------------------------------------------------
def create_engine(name: str | None, settings: Any = None) -> Engine:
    """A new engine (not loaded yet). ``name`` may be "auto". ``settings``: the app's Settings, or a
    mapping of the engine's own options. Raises :class:`UnknownEngine` or :class:`EngineUnavailable`."""
    resolved = resolve_engine_name(settings, name) if canonical_name(name) == AUTO else canonical_name(name)
    if resolved == EMBEDDED:
        missing = missing_modules(EMBEDDED_MODULES)
        if missing:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "The embedded OCR engine is missing packages ({packages}). Reinstall desktop-ocr.",
                ).format(packages=", ".join(missing))
            )
        from desktop_ocr.engine.embedded import EmbeddedEngine

        return EmbeddedEngine(_engine_options(settings, "embedded"))
    if resolved == DEEPSEEK:
        if not deepseek_installed():
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "DeepSeek-OCR is not installed (missing {packages}). Install it with {hint}, "
                    "or use the embedded engine.",
                ).format(packages=", ".join(missing_modules(DEEPSEEK_MODULES)), hint=INSTALL_HINT)
            )
        from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

        model_path, kwargs = deepseek_arguments(settings)
        return DeepSeekOCREngine(model_path, **kwargs)
    if resolved == SERVER:
        from desktop_ocr.engine.server.engine import ServerEngine

        return ServerEngine(server_config(settings))
    raise UnknownEngine(
        QT_TRANSLATE_NOOP("Engine", "There is no OCR engine called '{name}'. Choose one of: {names}.").format(
            name=name, names=", ".join(engine_names())
        )
    )


def deepseek_arguments(settings: Any) -> tuple[str, dict[str, Any]]:
    """``DeepSeekOCREngine(model_path, **kwargs)`` arguments from the app's settings (or their
    ``deepseek`` section, or a mapping of the constructor's own arguments with ``model_path``).

    The model is the local folder when it is on disk (a folder the user chose, the app's own
    download, or the Hugging Face cache at the pinned commit), else the hub id at its pinned
    revision. The remote code may run only when the user approved exactly this code.
    """
    if isinstance(settings, Mapping):
        options = dict(settings)
        path = options.pop("model_path", "") or options.pop("folder", "")
        if not path:
            raise EngineUnavailable(_NO_MODEL)
        return str(path), options
    ds = getattr(settings, "deepseek", settings)
    if ds is None:
        raise EngineUnavailable(_NO_MODEL)
    from desktop_ocr.setup import catalog, trust
    from desktop_ocr.setup import folder as model_folders

    folder = model_folders.model_folder(ds)
    kwargs: dict[str, Any] = {}
    if folder is not None and folder.is_dir():
        path = str(folder)
        kwargs["trust_remote_code"] = trust.is_trusted(list(ds.trusted), trust.location_key(ds), folder)
    elif ds.source == "folder":
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "The DeepSeek-OCR model folder {folder} does not exist. Choose the folder again in the settings.",
            ).format(folder=ds.folder or "(none)")
        )
    else:
        path = ds.hub_id
        kwargs["revision"] = catalog.pinned_revision(ds.hub_id, ds.revision) or None
        kwargs["trust_remote_code"] = False  # the code is not on disk yet: it is approved after download
    if ds.device in ("cuda", "cpu"):
        kwargs["device"] = ds.device
    if ds.dtype in ("bf16", "fp16", "fp32"):
        kwargs["dtype"] = ds.dtype
    # "auto": flash-attention 2 when installed and supported (the loader falls back to eager).
    kwargs["attn"] = "eager" if ds.attention == "eager" else "flash_attention_2"
    kwargs["batch_size"] = int(ds.batch_size) if int(ds.batch_size or 0) > 0 else None
    size, window = int(ds.ngram_size or 0), int(ds.ngram_window or 0)
    kwargs["ngram"] = (size, max(window, size)) if size > 0 else None
    kwargs["accel"] = bool(getattr(ds, "accel", True))
    kwargs["decode"] = "fastest" if getattr(ds, "decode", "exact") == "fastest" else "exact"
    return path, kwargs


def server_config(settings: Any) -> Any:
    """A :class:`~desktop_ocr.engine.server.engine.ServerConfig` from the app's settings (their
    ``server`` section), that section itself, or a mapping of ServerConfig's fields."""
    from desktop_ocr.engine.server.engine import ServerConfig

    if hasattr(settings, "urls") and hasattr(settings, "__dataclass_fields__"):
        import dataclasses

        options = dataclasses.asdict(settings)
    else:
        options = _engine_options(settings, "server")
    urls = options.get("urls") or ()
    if isinstance(urls, str):
        urls = (urls,)
    return ServerConfig(
        urls=tuple(str(u) for u in urls if str(u).strip()),
        model=str(options.get("model") or ""),
        concurrency=max(1, min(64, int(options.get("concurrency") or 4))),
        api_key_env=str(options.get("api_key_env") or ""),
        stream=bool(options.get("stream", True)),
        read_timeout_s=float(options.get("timeout_s") or options.get("read_timeout_s") or 300),
    )


def check_server(settings: Any, cancel: Any = None) -> Any:
    """The settings' "Test connection" for the server engine (models, a sample page read): a
    :class:`~desktop_ocr.engine.server.check.ConnectionReport`. Waits on the network: not on the GUI thread."""
    from desktop_ocr.engine.server.check import check_connection

    return check_connection(server_config(settings), cancel=cancel)


def server_url_problem(url: str) -> str:
    """Why ``url`` cannot be a server's address ("" when it can)."""
    from desktop_ocr.engine.server.http import Endpoint

    try:
        Endpoint.parse(url)
    except ValueError as exc:
        return str(exc)
    return ""


def _engine_options(settings: Any, section: str) -> dict[str, Any]:
    """The options for one engine: a mapping as given, or a Settings object's section of that name."""
    if settings is None:
        return {}
    if isinstance(settings, Mapping):
        inner = settings.get(section)
        return dict(inner) if isinstance(inner, Mapping) else dict(settings)
    value = getattr(settings, section, None)
    if isinstance(value, Mapping):
        return dict(value)
    if value is not None and hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(value)
    return {}
