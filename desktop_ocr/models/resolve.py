"""One call for the engine: the model folder the settings select, checked and trusted, or why not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr.models import catalog, trust
from desktop_ocr.models.folder import FolderReport, inspect_folder, model_folder


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


def resolve_model(settings: Any) -> ReadyModel:
    """The local, complete, trusted folder of the model ``settings.deepseek`` selects.

    Raises ModelNotReady otherwise. Never touches the network: downloads happen in the Model dialog.
    """
    ds = settings.deepseek
    if ds.source == "folder":
        if not ds.folder:
            raise ModelNotReady("missing", "No model folder is chosen. Choose one in Model… (DeepSeek-OCR).")
    else:
        revision = catalog.pinned_revision(ds.hub_id, ds.revision)
        if not catalog.is_commit_hash(revision):
            raise ModelNotReady(
                "unpinned",
                f"{ds.hub_id} has no pinned revision. Choose a commit in Model… before loading it.",
            )
    folder = model_folder(ds)
    if folder is None:
        known = catalog.by_hub_id(ds.hub_id)
        size = f" ({known.size_text})" if known else ""
        offline = (
            " Offline mode is on: turn it off to download, or" if settings.offline else " Open Model… to"
        )
        raise ModelNotReady(
            "missing",
            f"{ds.hub_id} at commit {catalog.pinned_revision(ds.hub_id, ds.revision)[:10]} is not on this "
            f"computer.{offline} download it{size} or choose a folder you already have.",
        )
    report = inspect_folder(folder)
    if not report.ok or report.generation is None:
        raise ModelNotReady("invalid", report.summary())
    location = trust.location_key(ds)
    if not trust.is_trusted(ds.trusted, location, folder):
        again = (
            " Its code changed since you allowed it."
            if trust.was_trusted_before(ds.trusted, location)
            else ""
        )
        raise ModelNotReady(
            "untrusted",
            f"The model's own code has not been allowed to run yet.{again} Review and confirm it in Model….",
        )
    return ReadyModel(folder, location, report.generation, report)
