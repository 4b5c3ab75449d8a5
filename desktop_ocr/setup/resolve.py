"""The one place that resolves models for the engine: the model folder the settings select, checked
and trusted, or why not (:func:`resolve_model`); the local copy of a hub id at a commit
(:func:`hub_folder`, what the loader loads a hub id from). Never touches the network: the Model
dialog's one download path (:mod:`desktop_ocr.setup.download`) fetches models."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr.messages import QT_TRANSLATE_NOOP
from desktop_ocr.setup import catalog, trust
from desktop_ocr.setup.folder import FolderReport, find_local_copy, inspect_folder, model_folder


class ModelNotReady(Exception):
    """The selected model cannot be loaded yet; the message says what to do (open the Model dialog)."""

    def __init__(self, reason: str, message: str) -> None:
        #: "unpinned", "missing", "invalid" or "untrusted".
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class ReadyModel:
    folder: Path
    #: ``hub_id@commit`` or the folder path: the key of the user's trust.
    location: str
    generation: int
    report: FolderReport


def hub_folder(hub_id: str, revision: str) -> Path:
    """The complete local copy of ``hub_id`` at commit ``revision`` (the app's download or the
    Hugging Face cache); ModelNotReady ("missing") when it is not on this computer."""
    folder = find_local_copy(hub_id, revision)
    if folder is None:
        raise _not_here(hub_id, revision, offline=False)
    return folder


def _not_here(hub_id: str, revision: str, offline: bool) -> ModelNotReady:
    known = catalog.by_hub_id(hub_id)
    size = f" ({known.size_text})" if known else ""
    if offline:
        text = QT_TRANSLATE_NOOP(
            "Model",
            "{model} at commit {commit} is not on this computer. Offline mode is on: turn it off to "
            "download it{size} or choose a folder you already have.",
        )
    else:
        text = QT_TRANSLATE_NOOP(
            "Model",
            "{model} at commit {commit} is not on this computer. Open Model… to download it{size} "
            "or choose a folder you already have.",
        )
    return ModelNotReady("missing", text.format(model=hub_id, commit=revision[:10], size=size))


def resolve_model(settings: Any) -> ReadyModel:
    """The local, complete, trusted folder of the model ``settings.deepseek`` selects.

    Raises ModelNotReady otherwise. Never touches the network: downloads happen in the Model dialog.
    """
    ds = settings.deepseek
    if ds.source == "folder":
        if not ds.folder:
            raise ModelNotReady(
                "missing",
                QT_TRANSLATE_NOOP("Model", "No model folder is chosen. Choose one in Model… (DeepSeek-OCR)."),
            )
    else:
        revision = catalog.pinned_revision(ds.hub_id, ds.revision)
        if not catalog.is_commit_hash(revision):
            raise ModelNotReady(
                "unpinned",
                QT_TRANSLATE_NOOP(
                    "Model", "{model} has no pinned revision. Choose a commit in Model… before loading it."
                ).format(model=ds.hub_id),
            )
    folder = model_folder(ds)
    if folder is None:
        raise _not_here(ds.hub_id, catalog.pinned_revision(ds.hub_id, ds.revision), settings.offline)
    report = inspect_folder(folder)
    if not report.ok or report.generation is None:
        raise ModelNotReady("invalid", report.summary())
    location = trust.location_key(ds)
    if not trust.is_trusted(ds.trusted, location, folder):
        if trust.was_trusted_before(ds.trusted, location):
            text = QT_TRANSLATE_NOOP(
                "Model",
                "The model's own code has not been allowed to run yet. Its code changed since you allowed it. "
                "Review and confirm it in Model….",
            )
        else:
            text = QT_TRANSLATE_NOOP(
                "Model",
                "The model's own code has not been allowed to run yet. Review and confirm it in Model….",
            )
        raise ModelNotReady("untrusted", text)
    return ReadyModel(folder, location, report.generation, report)
