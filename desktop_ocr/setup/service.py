"""The set-up service, no Qt: what the first-run assistant and the Model dialog do, in one place.

GPU detection and what fits it, the GPU add-on's state, where a model is on this computer, the one
model download path, the model's trust, and the choices they make: each decision changes the
``Settings`` object through a method here and :meth:`SetupService.save` writes them, through the
app's one saving step (:func:`desktop_ocr.setup.saving.save_settings`: every value checked by range
first). The dialogs (``desktop_ocr.ui.first_run``, ``desktop_ocr.ui.model_dialog``) only show it: they
run the coroutines here through ``desktop_ocr.ui.async_job`` and the pip process through
``desktop_ocr.ui.addon_install`` (pip's command, environment and staging live in
:mod:`desktop_ocr.setup.gpu_addon`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_ocr.messages import Message
from desktop_ocr.settings import Settings
from desktop_ocr.setup import catalog, download, gpu_addon, trust
from desktop_ocr.setup import folder as model_folders
from desktop_ocr.setup.gpu_advice import Recommendation, recommend
from desktop_ocr.setup.saving import save_settings

log = logging.getLogger(__name__)

#: What a download reports: the file list (once, before any byte) and then its progress.
DownloadReport = Callable[["download.Manifest | download.Progress"], None]


def default_probe() -> list[Any]:
    """The GPUs ``desktop_ocr.setup.gpu_probe`` finds (nvidia-smi; no torch); none when it cannot run."""
    try:
        from desktop_ocr.setup.gpu_probe import probe_gpus

        return list(probe_gpus())
    except Exception:
        log.exception("GPU detection failed")
        return []


@dataclass(frozen=True)
class TrustState:
    """What the user is asked before the model's own code may run, and what they said before."""

    question: Message | str  # the code files to review
    trusted: bool  # allowed, and the code is unchanged since
    changed: bool  # allowed once, but the code changed since


class SetupService:
    """Set-up work on one ``Settings`` object; ``save_to_disk=False`` keeps the file untouched (tests)."""

    def __init__(
        self,
        settings: Settings,
        *,
        probe: Callable[[], Sequence[Any]] = default_probe,
        save_to_disk: bool = True,
    ) -> None:
        self.settings = settings
        self._probe = probe
        self._save_to_disk = save_to_disk

    # -- the computer ------------------------------------------------------------------------------
    def detect_gpus(self) -> list[Any]:
        """The GPUs found (blocking: run it off the GUI thread); none when detection fails."""
        try:
            return list(self._probe())
        except Exception:
            log.exception("GPU detection failed")
            return []

    def detect_gpus_in_background(self, found: Callable[[list[Any]], None]) -> threading.Thread:
        """:meth:`detect_gpus` on a thread of its own (it may take seconds); ``found(gpus)`` is called
        on that thread: a Qt caller gives a signal's ``emit``, which reaches its widgets' slots on
        their own thread."""
        thread = threading.Thread(target=lambda: found(self.detect_gpus()), name="gpu-probe", daemon=True)
        thread.start()
        return thread

    @staticmethod
    def advise(gpus: Sequence[Any]) -> Recommendation:
        return recommend(gpus)

    @staticmethod
    def addon_installed() -> bool:
        """The GPU add-on (PyTorch with CUDA, Transformers) can be imported now."""
        return gpu_addon.is_available()

    @staticmethod
    def addon_ready() -> bool:
        """Installed, or installed earlier and now put on sys.path."""
        return gpu_addon.is_available() or gpu_addon.activate()

    # -- where a model is --------------------------------------------------------------------------
    @staticmethod
    def local_model(hub_id: str, revision: str) -> Path | None:
        """A complete copy of ``hub_id`` at commit ``revision`` on this computer (the app's download or the
        Hugging Face cache), or None; never the network."""
        return model_folders.find_local_copy(hub_id, revision) if catalog.is_commit_hash(revision) else None

    async def fetch_model(
        self,
        hub_id: str,
        revision: str,
        *,
        manifest: download.Manifest | None = None,
        report: DownloadReport | None = None,
        offline: bool | None = None,
    ) -> Path:
        """The one download path: the local copy when there is one, else the file list (``manifest`` when
        already asked for) and every file, resumable. ``report`` gets the manifest, then Progress."""
        have = self.local_model(hub_id, revision)
        if have is not None:
            return have
        return await download.download_model(
            hub_id,
            revision,
            manifest=manifest,
            on_manifest=report,
            on_progress=report,
            offline=self.offline if offline is None else offline,
        )

    async def fetch_manifest(
        self, hub_id: str, revision: str, *, offline: bool | None = None
    ) -> download.Manifest:
        """The file list and exact size of ``hub_id`` at ``revision`` ("main": the newest commit)."""
        return await download.fetch_manifest(
            hub_id, revision, offline=self.offline if offline is None else offline
        )

    @staticmethod
    def delete_download(hub_id: str, revision: str) -> int:
        """Remove the app's own copy of this revision; the bytes freed."""
        return download.delete_snapshot(hub_id, revision)

    @property
    def offline(self) -> bool:
        return download.is_offline(self.settings.offline)

    # -- trust -------------------------------------------------------------------------------------
    def trust_state(self, location: str, folder: Path) -> TrustState:
        trusted_list = self.settings.deepseek.trusted
        trusted = trust.is_trusted(trusted_list, location, folder)
        return TrustState(
            question=trust.confirmation_text(location, folder),
            trusted=trusted,
            changed=not trusted and trust.was_trusted_before(trusted_list, location),
        )

    # -- decisions (each changes the settings; save() writes them) ----------------------------------
    def choose_engine(self, engine: str) -> None:
        """ "embedded", "server" or "deepseek"."""
        self.settings.engine = engine

    def choose_gpu_options(self, mode: str, batch_size: int) -> None:
        self.settings.deepseek.mode = mode
        self.settings.deepseek.batch_size = batch_size

    def choose_folder(self, folder: str) -> model_folders.FolderReport | None:
        """Read DeepSeek-OCR from ``folder`` when it holds a usable model: its report either way (None:
        no folder given). The settings change only when the report is ok."""
        folder = folder.strip()
        report = model_folders.inspect_folder(folder) if folder else None
        if report is not None and report.ok:
            self.settings.deepseek.source = "folder"
            self.settings.deepseek.folder = str(Path(folder).expanduser())
        return report

    def choose_hub(self, hub_id: str) -> None:
        """Read DeepSeek-OCR from the hub model ``hub_id`` at the pin the settings hold."""
        self.settings.deepseek.source = "hub"
        self.settings.deepseek.hub_id = hub_id

    def choose_model(self, folder: Path, location: str, *, hub_id: str = "", revision: str = "") -> None:
        """The Model dialog's "Use this model": a folder (no ``hub_id``) or a hub model at ``revision``,
        whose code the user allowed to run."""
        ds = self.settings.deepseek
        if not hub_id:
            ds.source, ds.folder = "folder", str(folder.resolve())
        else:
            known = catalog.by_hub_id(hub_id)
            # The tested pin is stored as "" so that a later app version's pin is followed (and asked about).
            follows_pin = known is not None and revision == known.default_revision
            ds.source, ds.hub_id, ds.revision = "hub", hub_id, "" if follows_pin else revision
        trust.grant(ds, folder, location)

    def set_offline(self, offline: bool) -> None:
        self.settings.offline = offline

    def finish_first_run(self) -> str:
        """The first start is done (whatever was chosen); saved. The error text, or ""."""
        self.settings.first_run_done = True
        return self.save()

    def save(self) -> str:
        """Write the settings (atomically). The one place set-up saves; the error text, or ""."""
        if not self._save_to_disk:
            return ""
        return save_settings(self.settings)
