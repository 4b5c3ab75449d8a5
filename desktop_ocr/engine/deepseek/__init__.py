"""DeepSeek-OCR (v1 and v2) on the local GPU through the model's own remote code and ``generate()``.

Importing this package is cheap: torch and transformers are imported only when a model is loaded or
a tensor is built. Modules:

- :mod:`.preprocess` - modes, tile grids, global view, normalisation, image token counts.
- :mod:`.inputs` - input ids and ``images_seq_mask`` exactly as ``infer()`` builds them.
- :mod:`.ngram` - the windowed no-repeat n-gram ban, on the device, vectorised over the batch.
- :mod:`.generation` - ``generate_pages(model, tokenizer, [PageRequest...])`` -> token ids and text,
  streamed, cancellable, batched (left padding), capped at the model's 8192 positions.
- :mod:`.loader` - ``load_model(folder_or_hub_id, ...)`` with clear errors.
- :mod:`.runtime` - the init-patch guard and the ``.cuda()`` redirect used around the remote code.
- :mod:`.engine` - :class:`DeepSeekOCREngine`, the :class:`~desktop_ocr.engine.base.Engine` for the app.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DeepSeekOCREngine", "PageRequest", "generate_pages", "load_model"]


def __getattr__(name: str) -> Any:
    if name == "DeepSeekOCREngine":
        from desktop_ocr.engine.deepseek.engine import DeepSeekOCREngine

        return DeepSeekOCREngine
    if name in ("PageRequest", "generate_pages"):
        from desktop_ocr.engine.deepseek import generation

        return getattr(generation, name)
    if name == "load_model":
        from desktop_ocr.engine.deepseek.loader import load_model

        return load_model
    raise AttributeError(name)
