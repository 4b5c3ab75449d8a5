"""The DeepSeek-OCR models the app knows: hub ids, pinned revisions, sizes and the files each needs."""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class KnownModel:
    """One model generation on the hub, pinned to a commit the app was checked against."""

    key: str
    hub_id: str
    title: str
    generation: int
    #: The pinned commit (40 hex digits). The user may change it in the Model dialog.
    default_revision: str
    #: Where the pin comes from, shown beside it so the user can judge it.
    revision_note: str
    #: The published size of the weights (bytes) shown before the exact file list is fetched.
    approx_size: int
    params: str
    #: The module ``auto_map`` points at: the entry of the model's remote code.
    entry_module: str
    #: Files a complete copy has (weights are listed by the safetensors index).
    required_files: tuple[str, ...]

    @property
    def size_text(self) -> str:
        return f"{self.approx_size / 1e9:.2f} GB"


V1 = KnownModel(
    key="v1",
    hub_id="deepseek-ai/DeepSeek-OCR",
    title="DeepSeek-OCR (v1)",
    generation=1,
    # The commit that fixed masked_scatter on non-CUDA devices (hub discussion #20); pinned by many
    # downstream projects running transformers 4.46.3.
    default_revision="1e3401a3d4603e9e71ea0ec850bfead602191ec4",
    revision_note="commit 1e3401a (masked_scatter/MPS fix, used with transformers 4.46.3)",
    approx_size=6_670_000_000,
    params="3.34 B",
    entry_module="modeling_deepseekocr",
    required_files=(
        "config.json",
        "modeling_deepseekocr.py",
        "deepencoder.py",
        "modeling_deepseekv2.py",
        "conversation.py",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "model.safetensors.index.json",
    ),
)

V2 = KnownModel(
    key="v2",
    hub_id="deepseek-ai/DeepSeek-OCR-2",
    title="DeepSeek-OCR-2 (v2)",
    generation=2,
    # Recorded from a real download's hub metadata by a downstream project; not cross-checked here.
    default_revision="c11b6e95159dad69de5d0efe4931eb822fd7194b",
    revision_note="commit c11b6e9 (from one downstream project's download record; check it on the hub)",
    approx_size=6_780_000_000,
    params="3.39 B",
    entry_module="modeling_deepseekocr2",
    required_files=(
        "config.json",
        "modeling_deepseekocr2.py",
        "deepencoderv2.py",
        "modeling_deepseekv2.py",
        "conversation.py",
        "tokenizer.json",
        "tokenizer_config.json",
        "model.safetensors.index.json",
    ),
)

KNOWN_MODELS: tuple[KnownModel, ...] = (V1, V2)


def by_hub_id(hub_id: str) -> KnownModel | None:
    """The known model with this hub id (case-insensitive), or None for any other repository."""
    for m in KNOWN_MODELS:
        if m.hub_id.lower() == hub_id.strip().lower():
            return m
    return None


def pinned_revision(hub_id: str, revision: str = "") -> str:
    """The revision to load: the user's when set, else the catalogue's pin ('' when there is none)."""
    if revision.strip():
        return revision.strip()
    known = by_hub_id(hub_id)
    return known.default_revision if known else ""


def is_commit_hash(revision: str) -> bool:
    """True for a full 40-digit commit hash: the only kind of revision the app loads from the hub."""
    return bool(COMMIT_RE.match(revision.strip().lower()))
