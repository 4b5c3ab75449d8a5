"""What the server engine sends for a page and how it reads the answer: no threads, no Qt.

Public API:

- :func:`image_data_uri` - the page image, resized for the mode, as a ``data:image/...;base64`` URI.
- :func:`chat_body` - the ``/v1/chat/completions`` request the official vLLM recipe for DeepSeek-OCR
  describes: the image, then the prompt text (without ``<image>``: the server's chat template places
  the image), ``temperature`` 0, ``skip_special_tokens`` false (the grounding tags are special
  tokens) and, for vLLM, ``vllm_xargs`` for its ``NGramPerReqLogitsProcessor``.
- :func:`repeating_tail` - whether a text ends in a loop (one piece repeated many times).
- :func:`server_kind` - "vllm", "sglang", "ollama" or "openai" from a ``/v1/models`` answer.
- :data:`API_KEY_VARIABLES`, :func:`api_key` - where the API key is read from (never stored).
"""

from __future__ import annotations

import base64
import io
import logging
import os
from typing import TYPE_CHECKING, Any

from desktop_ocr.engine.base import ReadOptions

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

#: Longest side of the image sent per mode. The server's processor tiles the image itself (vLLM:
#: the Gundam crop mode); a smaller mode sends a smaller image, so fewer tiles and tokens.
MODE_MAX_SIDE = {"tiny": 512, "small": 640, "base": 1024, "large": 1280, "gundam": 3840}
#: ``<td>`` and ``</td>``: table cells legitimately repeat, the recipe whitelists them.
WHITELIST_TOKEN_IDS = (128821, 128822)
#: (ngram_size, window_size) of the recipe's online example.
RECIPE_NGRAM = (30, 90)
#: Where the API key is looked up, in order, when the settings name no variable.
API_KEY_VARIABLES = ("DESKTOP_OCR_SERVER_API_KEY", "OPENAI_API_KEY")
KEYRING_SERVICE = "desktop-ocr-server"


def image_data_uri(image: Image.Image, mode: str, image_format: str = "jpeg") -> tuple[str, tuple[int, int]]:
    """(data URI, size sent). Never upscales; JPEG at quality 95 unless ``image_format`` is "png"."""
    from PIL import Image as PILImage

    img = image if image.mode == "RGB" else image.convert("RGB")
    limit = MODE_MAX_SIDE.get(mode, MODE_MAX_SIDE["gundam"])
    if max(img.size) > limit:
        scale = limit / max(img.size)
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        img = img.resize(size, PILImage.Resampling.BICUBIC)
    buf = io.BytesIO()
    if image_format == "png":
        img.save(buf, format="PNG", compress_level=1)
        mime = "image/png"
    else:
        img.save(buf, format="JPEG", quality=95)
        mime = "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(buf.getvalue()).decode("ascii"), img.size


def prompt_without_image(options: ReadOptions) -> str:
    """The prompt text without its ``<image>`` marker(s) and the newline after it."""
    text = options.prompt_text()
    return text.replace("<image>\n", "").replace("<image>", "").lstrip("\n")


def chat_body(
    model: str,
    image_uri: str,
    options: ReadOptions,
    *,
    kind: str,
    stream: bool,
    ngram: tuple[int, int] | None = RECIPE_NGRAM,
    send_max_tokens: bool = True,
) -> dict[str, Any]:
    """The JSON body of one page's chat completion request (see the module docstring)."""
    body: dict[str, Any] = {
        "model": model,
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": image_uri}},
                    {"type": "text", "text": prompt_without_image(options)},
                ],
            }
        ],
        "temperature": 0.0,
        "stream": stream,
        "skip_special_tokens": False,
    }
    if send_max_tokens:
        body["max_tokens"] = int(options.max_new_tokens)
    if stream:
        body["stream_options"] = {"include_usage": True}
    if kind == "vllm" and ngram is not None:
        body["vllm_xargs"] = {
            "ngram_size": int(ngram[0]),
            "window_size": int(ngram[1]),
            "whitelist_token_ids": list(WHITELIST_TOKEN_IDS),
        }
    return body


def server_kind(models_answer: Any) -> str:
    """Which server answered ``/v1/models``: by its models' ``owned_by`` ("vllm", "sglang"; Ollama
    says "library" or "ollama"); "openai" for any other OpenAI-compatible server."""
    data = models_answer.get("data") if isinstance(models_answer, dict) else None
    owners = {str(m.get("owned_by", "")).lower() for m in data or [] if isinstance(m, dict)}
    if "vllm" in owners:
        return "vllm"
    if "sglang" in owners:
        return "sglang"
    if owners & {"library", "ollama"}:
        return "ollama"
    return "openai"


def model_ids(models_answer: Any) -> list[str]:
    data = models_answer.get("data") if isinstance(models_answer, dict) else None
    return [str(m["id"]) for m in data or [] if isinstance(m, dict) and m.get("id")]


def same_model(wanted: str, served: str) -> bool:
    """``deepseek-ocr`` matches Ollama's ``deepseek-ocr:latest``; otherwise names match exactly."""
    if wanted == served:
        return True
    return served.endswith(":latest") and served[: -len(":latest")] == wanted


def repeating_tail(text: str, min_chars: int = 1500, min_repeats: int = 10, max_period: int = 300) -> bool:
    """Whether ``text`` ends with one piece of up to ``max_period`` characters repeated at least
    ``min_repeats`` times over at least ``min_chars`` characters: a decoding loop."""
    n = len(text)
    if n < min_chars:
        return False
    for period in range(1, max_period + 1):
        repeats = max(min_repeats, -(-min_chars // period))
        if period * repeats > n:
            break
        unit = text[n - period :]
        if text[n - 2 * period : n - period] != unit:
            continue
        if text.endswith(unit * repeats):
            return True
    return False


def api_key(variable: str = "", server: str = "") -> str:
    """The API key: from the environment variable named ``variable`` (else the first set of
    :data:`API_KEY_VARIABLES`), else from the system keyring (service :data:`KEYRING_SERVICE`, user
    ``server`` or "default") when the ``keyring`` package is installed; "" when there is none."""
    names = (variable,) if variable else API_KEY_VARIABLES
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        import keyring  # optional
    except ImportError:
        return ""
    for user in (server, "default"):
        if not user:
            continue
        try:
            value = keyring.get_password(KEYRING_SERVICE, user)
        except Exception as exc:  # no backend, locked keyring...: not fatal
            log.info("The system keyring could not be read (%s)", type(exc).__name__)
            return ""
        if value:
            return str(value).strip()
    return ""
