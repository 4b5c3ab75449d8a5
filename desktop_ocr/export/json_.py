"""The JSON export: a document's pages with state, size, blocks (labels, boxes in 0..999 and pixels) and text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from desktop_ocr.model.blocks import page_figures, page_layout
from desktop_ocr.model.confidence import page_words
from desktop_ocr.model.document import Document, Page, Project

FORMAT = "desktop-ocr-export"
VERSION = 1


def page_json(
    page: Page,
    number: int,
    project: Project | None = None,
    figures: Mapping[int, str | None] | None = None,
) -> dict[str, Any]:
    """One page. ``number`` is its 1-based position in the document; ``figures`` maps the page's
    figure numbers (``figure:N``) to the exported file (relative path) or None where none was written."""
    result = page.result
    # Boxes refer to the image the engine read; use its size for pixels (the page may be rotated since).
    width = result.width if result and result.width else page.display_size[0]
    height = result.height if result and result.height else page.display_size[1]
    source = project.sources.get(page.source_id) if project is not None else None
    data: dict[str, Any] = {
        "index": number - 1,
        "number": number,
        "id": page.id,
        "source": source.name if source else None,
        "source_page": page.index + 1,
        "width": width,
        "height": height,
        "rotation": page.rotation,
        "state": page.state.value,
        "reviewed": page.reviewed,
        "edited": page.is_edited,
        "text": page.text,
        "error": page.error or None,
        "engine": None,
        "blocks": [],
        "figures": [],
    }
    if result is not None:
        data["engine"] = {
            "name": result.engine,
            "model": result.model,
            "mode": result.mode,
            "prompt": result.prompt,
            "completion": result.completion.value,
            "elapsed_s": round(result.elapsed_s, 3),
            "generated_tokens": result.generated_tokens,
        }
        data["result_text"] = result.markdown
        # the engine's doubtful words that the page's text still has (offsets into "text")
        data["uncertain_words"] = [
            {"start": w.start, "end": w.end, "text": page.text[w.start : w.end], "confidence": w.score}
            for w in page_words(page)
        ]
    # the engine's blocks, or the blocks as the user left them (relabelled, moved, split...)
    blocks = page_layout(page).blocks() if page.spans is not None else result.blocks if result else ()
    data["blocks"] = [{"index": k, **block.to_json(width, height)} for k, block in enumerate(blocks, 1)]
    for n, box in sorted(page_figures(page).items()):
        x1, y1, x2, y2 = box.to_pixels(width, height)
        data["figures"].append(
            {
                "n": n,
                "box": box.as_list(),
                "box_px": [round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1)],
                "file": (figures or {}).get(n),
            }
        )
    return data


def document_json(
    document: Document,
    project: Project | None = None,
    figures: Mapping[str, Mapping[int, str | None]] | None = None,
) -> dict[str, Any]:
    """The whole document; ``figures`` maps page id -> that page's figure files (see :func:`page_json`)."""
    figures = figures or {}
    return {
        "format": FORMAT,
        "version": VERSION,
        "document": document.name,
        "id": document.id,
        "page_count": len(document.pages),
        "pages": [page_json(p, k, project, figures.get(p.id)) for k, p in enumerate(document.pages, 1)],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
