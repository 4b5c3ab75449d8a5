"""Find, check and load a DeepSeek-OCR checkpoint (v1 or v2) through its own remote code.

Public API:

- :func:`load_model` -> :class:`LoadedModel` (model, tokenizer, version, device, dtype, attention).
- :func:`inspect_folder` - check a local folder without loading it (raises :class:`EngineUnavailable`).
- :func:`detect_version` - "v1", "v2" or None from a config (dict or ``PretrainedConfig``).
- :func:`check_transformers_version` - the remote code runs only with transformers 4.46.0-4.47.1.
- :func:`pick_device`, :func:`pick_dtype`, :func:`pick_attention` - the defaults described below.

Device defaults: the first CUDA GPU if any, else the CPU. dtype: bfloat16 on GPUs that support it,
float16 on older GPUs, float32 on the CPU; weights load straight onto the device (never fp32 on the
GPU first). Attention: "eager" unless "flash_attention_2" is asked for, flash-attn is importable and
the GPU is Ampere or newer; "sdpa" is not supported by the remote code and falls back to eager.
The remote code runs only when the caller passes ``trust_remote_code=True`` (the user confirmed it),
and only code inside the folder: an ``auto_map`` of any config file that names code elsewhere is refused
before Transformers is imported. A hub id is loaded from its local copy at the pinned commit, which the
set-up service resolves (:func:`desktop_ocr.setup.resolve.hub_folder`; the Model dialog downloads it):
the loader fetches nothing. Every folder is loaded offline (``local_files_only`` and ``HF_HUB_OFFLINE``/
``TRANSFORMERS_OFFLINE`` set while it loads), so nothing it names can be fetched.
Every failure is an :class:`EngineUnavailable` whose message says what to do.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr.engine.base import EngineUnavailable
from desktop_ocr.engine.deepseek.preprocess import IMAGE_TOKEN_ID
from desktop_ocr.engine.deepseek.runtime import preserve_torch_init
from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.setup.resolve import ModelNotReady, hub_folder
from desktop_ocr.setup.trust import foreign_code

#: Inclusive window of transformers releases the remote code runs with.
TRANSFORMERS_MIN = (4, 46, 0)
TRANSFORMERS_MAX = (4, 47, 1)
HUB_IDS = {"v1": "deepseek-ai/DeepSeek-OCR", "v2": "deepseek-ai/DeepSeek-OCR-2"}
_HUB_ID_RE = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
GROUNDING_ID = 128820
_INSTALL_HINT = QT_TRANSLATE_NOOP(
    "Engine", 'Install the DeepSeek-OCR extra: pip install "desktop-ocr[deepseek]".'
)


@dataclass(slots=True)
class LoadedModel:
    """A loaded checkpoint and how it was loaded."""

    model: Any
    tokenizer: Any
    version: str  # "v1" or "v2"
    device: Any  # torch.device
    dtype: Any  # torch.dtype
    attn: str
    source: str
    revision: str | None = None


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = re.findall(r"\d+", text.split("+")[0])[:3]
    return tuple(int(p) for p in parts) + (0,) * (3 - len(parts))


def check_transformers_version(version: str | None = None) -> None:
    """Raise :class:`EngineUnavailable` unless transformers ``version`` (default: installed) fits."""
    if version is None:
        try:
            import transformers
        except ImportError:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP("Engine", "The transformers package is not installed. {hint}").format(
                    hint=_INSTALL_HINT
                )
            ) from None
        version = str(transformers.__version__)
    v = _version_tuple(version)
    if not (TRANSFORMERS_MIN <= v <= TRANSFORMERS_MAX):
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "DeepSeek-OCR's code runs only with transformers 4.46.0 to 4.47.1, but {version} is installed. "
                'Install the tested versions: pip install "transformers==4.46.3" "tokenizers==0.20.3".',
            ).format(version=version)
        )


def detect_version(config: Any) -> str | None:
    """ "v1" or "v2" from a config's architectures, auto_map or model_type; None if neither."""
    if config is None:
        return None
    get = config.get if isinstance(config, dict) else (lambda k, d=None: getattr(config, k, d))
    names: list[str] = [str(a) for a in (get("architectures") or [])]
    auto_map = get("auto_map") or {}
    if isinstance(auto_map, dict):
        names += [str(v) for v in auto_map.values()]
    names.append(str(get("model_type") or ""))
    text = " ".join(names).lower().replace("-", "").replace("_", "")
    if "deepseekocr2" in text:
        return "v2"
    if "deepseekocr" in text:
        return "v1"
    return None


def _auto_map_modules(config: dict[str, Any]) -> list[str]:
    mods = []
    for ref in (config.get("auto_map") or {}).values():
        ref = ref[0] if isinstance(ref, list | tuple) else ref
        if isinstance(ref, str) and "." in ref and "--" not in ref:
            mods.append(ref.rsplit(".", 1)[0] + ".py")
    return sorted(set(mods))


def inspect_folder(folder: str | os.PathLike[str]) -> tuple[dict[str, Any], str]:
    """Check a local model folder; return its config and model generation, or raise with advice."""
    path = Path(folder)
    if not path.is_dir():
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "The model folder {path} does not exist. Choose the folder that holds DeepSeek-OCR "
                "(config.json, the model's .py files, tokenizer and .safetensors weights), or download the model.",
            ).format(path=str(path))
        )
    cfg_file = path / "config.json"
    if not cfg_file.is_file():
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "{path} is not a model folder: it has no config.json. Choose the folder you downloaded "
                "DeepSeek-OCR into, or download it again.",
            ).format(path=str(path))
        )
    try:
        config = json.loads(cfg_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP("Engine", "{file} cannot be read ({error}). Download the model again.").format(
                file=str(cfg_file), error=str(exc)
            )
        ) from None
    version = detect_version(config)
    if version is None:
        kind = config.get("model_type") or ", ".join(config.get("architectures") or []) or "unknown"
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "The model in {path} is not DeepSeek-OCR (it is {kind}). Choose a DeepSeek-OCR or "
                "DeepSeek-OCR-2 folder.",
            ).format(path=str(path), kind=kind)
        )
    # A plain module name whose file is missing makes an incomplete folder (said below), not foreign code.
    foreign = [(f, ref) for f, ref in foreign_code(path) if not (f == "config.json" and _plain_module(ref))]
    if foreign:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "{path} names code outside the model folder ({entries}); only code inside the folder may run. "
                "Use the original files from the hub, or put the .py files in the folder and fix auto_map.",
            ).format(path=str(path), entries="; ".join(f"{f}: {ref}" for f, ref in foreign))
        )
    missing = [m for m in _auto_map_modules(config) if not (path / m).is_file()]
    if not (path / "tokenizer.json").is_file() and not (path / "tokenizer.model").is_file():
        missing.append("tokenizer.json")
    if not any(path.glob("*.safetensors")) and not any(path.glob("*.bin")):
        missing.append("model weights (*.safetensors)")
    if missing:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "The DeepSeek-OCR folder {path} is incomplete: {missing} missing. "
                "Download the model again (or let the app resume the download).",
            ).format(path=str(path), missing=", ".join(missing))
        )
    return config, version


def _plain_module(ref: str) -> bool:
    """Whether an ``auto_map`` reference is ``module.Class`` inside the folder (no repository, no path)."""
    module = ref.rsplit(".", 1)[0] if "." in ref else ""
    return bool(module) and all(part.isidentifier() for part in module.split("."))


def pick_device(device: Any = None) -> Any:
    import torch

    if device is not None and device != "auto":
        if device == "cuda" and not torch.cuda.is_available():
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "No CUDA GPU is available to PyTorch. Choose the CPU in the DeepSeek-OCR settings, or install "
                    "the GPU add-on and an NVIDIA driver.",
                )
            )
        dev = torch.device(device)
        if dev.type == "mps":
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "DeepSeek-OCR gives wrong output on Apple's MPS backend (its image resizing and feature "
                    "placement misbehave there) and is no faster than the CPU. Choose the CPU in the settings.",
                )
            )
        return dev
    return torch.device("cuda:0") if torch.cuda.is_available() else torch.device("cpu")


def pick_dtype(device: Any, dtype: Any = None) -> Any:
    import torch

    if dtype is not None and dtype != "auto":
        if isinstance(dtype, str):
            dtype = {
                "bf16": torch.bfloat16,
                "bfloat16": torch.bfloat16,
                "fp16": torch.float16,
                "float16": torch.float16,
                "fp32": torch.float32,
                "float32": torch.float32,
            }[dtype]
        return dtype
    if torch.device(device).type != "cuda":
        return torch.float32
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def pick_attention(attn: str, device: Any, dtype: Any) -> str:
    """The attention implementation to request: flash-attention 2 ("flash_attention_2" or "auto") when
    it is installed and supported, else eager (the remote code rejects "sdpa")."""
    import torch

    if attn not in ("flash_attention_2", "auto"):
        return "eager"
    dev = torch.device(device)
    if dev.type != "cuda" or dtype not in (torch.bfloat16, torch.float16):
        return "eager"
    if importlib.util.find_spec("flash_attn") is None:
        return "eager"
    major, _ = torch.cuda.get_device_capability(dev)
    return "flash_attention_2" if major >= 8 else "eager"


def is_hub_id(source: str) -> bool:
    return not os.path.exists(source) and bool(_HUB_ID_RE.match(source))


def load_model(
    source: str | os.PathLike[str],
    *,
    revision: str | None = None,
    device: Any = None,
    dtype: Any = None,
    attn: str = "eager",
    trust_remote_code: bool = False,
    transformers_version: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> LoadedModel:
    """Load model and tokenizer; see the module docstring. Raises :class:`EngineUnavailable`."""
    src = os.fspath(source)
    check_transformers_version(transformers_version)
    if is_hub_id(src):
        if not revision:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine",
                    "{model} must be loaded at a pinned revision (a commit hash). Set the revision in the "
                    "DeepSeek-OCR settings, or choose a downloaded folder.",
                ).format(model=src)
            )
        try:
            src = os.fspath(hub_folder(src, revision))
        except ModelNotReady as exc:
            raise EngineUnavailable(str(exc)) from None
    else:
        revision = None
    _config, version = inspect_folder(src)
    if not trust_remote_code:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "DeepSeek-OCR runs its own Python code from the model folder. Confirm once in the DeepSeek-OCR "
                "settings that this code may run on this computer, then load the model again.",
            )
        )
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP("Engine", "A package DeepSeek-OCR needs is missing ({package}). {hint}").format(
                package=exc.name or str(exc), hint=_INSTALL_HINT
            )
        ) from None

    dev = pick_device(device)
    dt = pick_dtype(dev, dtype)
    attention = pick_attention(attn, dev, dt)
    hub_kwargs: dict[str, Any] = {"local_files_only": True}
    if progress:
        progress(-1.0, QT_TRANSLATE_NOOP("Engine", "Loading the DeepSeek-OCR tokenizer"))
    with preserve_torch_init(), _offline(True):
        try:
            tokenizer = AutoTokenizer.from_pretrained(src, trust_remote_code=True, **hub_kwargs)
        except Exception as exc:
            raise EngineUnavailable(
                QT_TRANSLATE_NOOP(
                    "Engine", "The tokenizer in {model} cannot be loaded ({error}). Download the model again."
                ).format(model=src, error=_short(exc))
            ) from None
        _check_tokenizer(tokenizer, src)
        if progress:
            progress(
                -1.0,
                QT_TRANSLATE_NOOP("Engine", "Loading DeepSeek-OCR {version} onto {device} ({dtype})").format(
                    version=version, device=str(dev), dtype=str(dt).replace("torch.", "")
                ),
            )
        model = _load_weights(AutoModel, src, dev, dt, attention, hub_kwargs)
    model.eval()
    if progress:
        progress(1.0, QT_TRANSLATE_NOOP("Engine", "DeepSeek-OCR is ready"))
    del torch
    return LoadedModel(model, tokenizer, version, dev, dt, attention, src, revision)


@contextlib.contextmanager
def _offline(on: bool) -> Iterator[None]:
    """Hugging Face's offline switches set while a folder loads (restored after)."""
    names = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    saved = {n: os.environ.get(n) for n in names}
    if on:
        os.environ.update(dict.fromkeys(names, "1"))
    try:
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v


def _load_weights(
    auto_model: Any, src: str, dev: Any, dt: Any, attention: str, hub_kwargs: dict[str, Any]
) -> Any:
    import torch

    kwargs: dict[str, Any] = {
        "trust_remote_code": True,
        "torch_dtype": dt,
        "attn_implementation": attention,
        "low_cpu_mem_usage": True,
        "use_safetensors": True,
        **hub_kwargs,
    }
    if dev.type == "cuda":
        kwargs["device_map"] = {"": str(dev)}
    try:
        model = auto_model.from_pretrained(src, **kwargs)
    except torch.cuda.OutOfMemoryError:
        torch.cuda.empty_cache()
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "Not enough GPU memory to load DeepSeek-OCR (it needs about 7 GB plus working memory). Close other "
                "programs that use the GPU, or use the built-in engine.",
            )
        ) from None
    except ImportError as exc:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine", "The model's code needs a package that is missing ({error}). {hint}"
            ).format(error=_short(exc), hint=_INSTALL_HINT)
        ) from None
    except Exception as exc:
        if attention != "eager":
            return _load_weights(auto_model, src, dev, dt, "eager", hub_kwargs)
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "DeepSeek-OCR in {model} cannot be loaded ({error}). The folder may be incomplete or from an "
                "incompatible release: download the model again.",
            ).format(model=src, error=_short(exc))
        ) from None
    if dev.type != "cuda":
        model = model.to(dev)
    return model


def _check_tokenizer(tokenizer: Any, src: str) -> None:
    try:
        ok = (
            tokenizer.encode("<image>", add_special_tokens=False) == [IMAGE_TOKEN_ID]
            and tokenizer.encode("<|grounding|>", add_special_tokens=False) == [GROUNDING_ID]
            and tokenizer.eos_token_id == 1
        )
    except Exception:
        ok = False
    if not ok:
        raise EngineUnavailable(
            QT_TRANSLATE_NOOP(
                "Engine",
                "The tokenizer in {model} does not match DeepSeek-OCR (the <image> token must have id {token_id}). "
                "Download the model again.",
            ).format(model=src, token_id=IMAGE_TOKEN_ID)
        )


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
