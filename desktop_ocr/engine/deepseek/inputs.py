"""Model input ids for one page, built exactly as DeepSeek-OCR's ``infer()`` builds them.

Public API:

- :func:`normalise_prompt` - the prompt text as the "plain" template leaves it (stripped).
- :func:`build_input_ids` - ``[BOS] + tok(text before <image>) + <image> * n + tok(text after)``
  and the matching ``images_seq_mask``.

The text pieces are encoded with ``add_special_tokens=False`` (special tokens written in the prompt,
such as ``<|grounding|>``, are recognised by the tokenizer as usual). Only the first ``<image>`` gets
the page; further ``<image>`` markers in a custom prompt are dropped (``infer()`` silently drops the
text between them, which is worse).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_ocr.engine.deepseek.preprocess import IMAGE_TOKEN_ID

BOS_ID = 0
EOS_ID = 1
PAD_ID = 2
IMAGE_TOKEN = "<image>"
TD_ID = 128821
TD_CLOSE_ID = 128822


def normalise_prompt(prompt: str) -> str:
    """The prompt as the official "plain" conversation template produces it: stripped both ends."""
    text = prompt.strip()
    if IMAGE_TOKEN not in text:
        text = IMAGE_TOKEN + "\n" + text
    return text


@dataclass(frozen=True, slots=True)
class PromptIds:
    """Token ids of one page's prompt and which of them are image tokens."""

    input_ids: list[int]
    images_seq_mask: list[bool]

    def __len__(self) -> int:
        return len(self.input_ids)


def build_input_ids(tokenizer: Any, prompt: str, n_image_tokens: int) -> PromptIds:
    """Input ids and image mask for ``prompt`` (which contains ``<image>``) with ``n_image_tokens``."""
    text = normalise_prompt(prompt)
    before, _, after = text.partition(IMAGE_TOKEN)
    after = after.replace(IMAGE_TOKEN, "")
    ids_before = list(tokenizer.encode(before, add_special_tokens=False)) if before else []
    ids_after = list(tokenizer.encode(after, add_special_tokens=False)) if after else []
    input_ids = [BOS_ID, *ids_before, *([IMAGE_TOKEN_ID] * n_image_tokens), *ids_after]
    mask = [False] * (1 + len(ids_before)) + [True] * n_image_tokens + [False] * len(ids_after)
    return PromptIds(input_ids=input_ids, images_seq_mask=mask)
