"""The project session, no Qt: the open Project and its store, and how one is swapped for another.

New, open (a file with SQL the app did not write only when the caller agrees to remove it; one with
damaged values read-only), save as, discard an untitled project, the unsaved sessions earlier runs left. Errors are raised as they come
(``ProjectError``, ``ProjectLocked``, ``OSError``); the controller words them and tells the widgets.
``desktop-ocr convert`` works in a session too (:meth:`ProjectSession.of_file`: a project file
reopened or created, a damaged or foreign one refused as it is).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from desktop_ocr import PROJECT_SUFFIX
from desktop_ocr.model import recent, recovery
from desktop_ocr.model.document import Listener, Project
from desktop_ocr.model.recovery import RecoverableSession
from desktop_ocr.model.store import DamagedProject, ForeignSchema, ProjectError, ProjectStore

log = logging.getLogger(__name__)


def project_file(path: str | Path) -> Path:
    """``path`` with the project suffix added when it has none (what Save As writes)."""
    path = Path(path)
    return path.with_suffix(PROJECT_SUFFIX) if path.suffix == "" else path


class ProjectSession:
    """One open project at a time, starting with an empty untitled one.

    ``on_change`` hears the changes of whichever project is open (it follows every swap: the
    Controller re-emits them as its ``project_changed``, so nothing else follows a swap itself);
    ``on_store_error`` hears the open store's failed writes.
    """

    def __init__(
        self,
        on_change: Listener | None = None,
        on_store_error: Callable[[str], None] | None = None,
        opened: tuple[ProjectStore, Project] | None = None,
    ) -> None:
        self.on_change = on_change
        self.on_store_error = on_store_error
        self._unsubscribe: Callable[[], None] = lambda: None
        self.store, self.project = opened or ProjectStore.create_untitled()
        #: The project file did not exist: this session made it (``of_file``).
        self.created = opened is None
        self._follow()

    @classmethod
    def of_file(cls, path: Path) -> ProjectSession:
        """A session over the project file ``path``: reopened when it exists (a file with damaged
        values or SQL the app did not write is refused, ``ProjectError``, and left as it was), else
        created (``created``). Not added to the recent list: the command line's."""
        if path.exists():
            return cls(opened=ProjectStore.open(path))
        store = ProjectStore.create(path)
        session = cls(opened=(store, store.project or Project()))
        session.created = True
        return session

    def close(self) -> None:
        """The session ends: nothing more is heard, and the store is closed (kept on disk)."""
        self.stop_following()
        self.store.close()

    def _follow(self) -> None:
        """Listen to the open project (and only to it) and to its store's errors."""
        self._unsubscribe()
        self.store.on_error = self.on_store_error
        self._unsubscribe = self.project.subscribe(self.on_change) if self.on_change else lambda: None

    def stop_following(self) -> None:
        """``on_change`` hears nothing more (the session ends)."""
        self._unsubscribe()
        self._unsubscribe = lambda: None

    # -- what is open ----------------------------------------------------------------------------
    @property
    def is_untitled(self) -> bool:
        return self.store.is_untitled

    @property
    def path(self) -> Path | None:
        """The project file; None while untitled."""
        return None if self.store.is_untitled else self.store.path

    @property
    def read_only(self) -> bool:
        """The project is open read-only (its file has damaged values): nothing can be changed."""
        return self.store.read_only

    @property
    def has_content(self) -> bool:
        return self.project.page_count > 0

    def is_open(self, path: Path) -> bool:
        return path.resolve() == self.store.path.resolve()

    # -- other projects ---------------------------------------------------------------------------
    @staticmethod
    def create_untitled() -> tuple[ProjectStore, Project]:
        return ProjectStore.create_untitled()

    @staticmethod
    def open_file(
        path: Path, confirm_remove_foreign: Callable[[ForeignSchema], bool] | None = None
    ) -> tuple[ProjectStore, Project]:
        """Open ``path``; foreign SQL in it is removed only when ``confirm_remove_foreign`` agrees, a
        file with damaged values opens read-only (the original refusal when it cannot)."""
        try:
            return ProjectStore.open(path)
        except ForeignSchema as foreign:
            if confirm_remove_foreign is None or not confirm_remove_foreign(foreign):
                raise
            return ProjectStore.open(path, remove_foreign=True)
        except DamagedProject as damaged:
            try:
                return ProjectStore.open_read_only(path)
            except ProjectError:
                raise damaged from None

    def swap(self, store: ProjectStore, project: Project) -> ProjectStore:
        """Make ``store``/``project`` the open one; the previous store, for ``close_store`` once nobody
        listens to it any more. An opened project file goes to the recent list (not one open
        read-only: it is damaged)."""
        old = self.store
        self.store, self.project = store, project
        self._follow()
        if not store.is_untitled and not store.read_only:
            recent.add_recent(store.path)
        return old

    @staticmethod
    def close_store(store: ProjectStore) -> None:
        """Close a store; an untitled one with nothing in it is deleted."""
        try:
            if store.is_untitled and (store.project is None or store.project.page_count == 0):
                store.discard()
            else:
                store.close()
        except Exception:
            log.exception("Closing %s failed", store.path)

    @staticmethod
    def forget_untitled(old: ProjectStore) -> None:
        """An untitled project the user chose not to keep: its recovery file goes (after ``swap``)."""
        recovery.delete_project_file(old.path)

    def save_as(self, path: Path) -> None:
        """Write the project to ``path`` (see ``project_file``) and continue working there."""
        self.store.save_as(path)
        recent.add_recent(self.store.path)

    # -- what earlier runs left ----------------------------------------------------------------------
    def recoverable_sessions(self) -> list[RecoverableSession]:
        """Unsaved sessions left by earlier runs (not this one's)."""
        mine = self.store.path.resolve()
        return [s for s in recovery.list_recoverable() if s.path.resolve() != mine]

    @staticmethod
    def discard_recovery(entry: RecoverableSession) -> None:
        recovery.discard_session(entry.path)
