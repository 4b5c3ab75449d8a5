"""Every QAction of the main window with its text, shortcut and icon, in one place (no behaviour)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon, QKeySequence

Std = QKeySequence.StandardKey


def _theme_icon(name: str) -> QIcon:
    return QIcon.fromTheme(name)


class Actions(QObject):
    """Holds the actions; the main window connects them to the controller and the widgets."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        a = self._make
        # File
        self.new_project = a("&New Project", Std.New, "document-new", "Start an empty project")
        self.open = a("&Open...", Std.Open, "document-open", "Open files, folders or a project (Ctrl+O)")
        self.open_folder = a(
            "Open &Folder...", "Ctrl+Shift+O", "folder-open", "Import every page in a folder"
        )
        self.paste_image = a(
            "&Paste Image", "Ctrl+Shift+V", "edit-paste", "Import the image on the clipboard"
        )
        self.save_as = a("Save Project &As...", Std.SaveAs, "document-save-as", "Save the project to a file")
        self.save = a("&Save Project", Std.Save, "document-save", "Save the project (it is autosaved too)")
        self.export = a("&Export...", "Ctrl+E", "document-export", "Export Markdown, text and JSON")
        self.settings = a(
            "Se&ttings...", Std.Preferences, "preferences-system", "Engine, DPI and export settings"
        )
        self.quit = a("&Quit", Std.Quit, "application-exit", "Quit Desktop OCR")
        # Edit
        self.undo = a("&Undo", Std.Undo, "edit-undo", "Undo the last edit")
        self.redo = a("&Redo", "Ctrl+Shift+Z", "edit-redo", "Redo")
        # Find (Ctrl+F) and Replace (Ctrl+H) are the editor pane's own actions (see EditorPane).
        self.history = a(
            "Text &History...", "", "document-open-recent", "Earlier versions of this page's text"
        )
        # Read
        self.read_selected = a(
            "&Read Selected Pages", "Ctrl+R", "media-playback-start", "Read the selected pages"
        )
        self.read_document = a(
            "Read &Document", "Ctrl+Shift+R", "", "Read every page of the current document"
        )
        self.read_all = a("Read &All", "Ctrl+Alt+R", "", "Read every page of the project")
        self.pause = a(
            "&Pause", "Ctrl+P", "media-playback-pause", "Pause after the current page", checkable=True
        )
        self.cancel = a(
            "&Cancel Reading", "Esc", "process-stop", "Stop reading (the current page and the queue)"
        )
        # Page
        self.rotate_left = a(
            "Rotate &Left", "Ctrl+[", "object-rotate-left", "Turn the selected pages 90° anticlockwise"
        )
        self.rotate_right = a(
            "Rotate Ri&ght", "Ctrl+]", "object-rotate-right", "Turn the selected pages 90° clockwise"
        )
        # Delete is handled by the page list itself (so that Delete in the editor deletes text).
        self.delete_pages = a(
            "&Delete Pages", "", "edit-delete", "Remove the selected pages (Delete in the page list)"
        )
        self.mark_reviewed = a("Mark &Reviewed", "Ctrl+M", "", "Mark the selected pages as reviewed")
        self.next_page = a("&Next Page", "Alt+Down", "go-down", "Go to the next page")
        self.prev_page = a("&Previous Page", "Alt+Up", "go-up", "Go to the previous page")
        self.next_page.setShortcuts([QKeySequence("Alt+Down"), QKeySequence("Ctrl+PgDown")])
        self.prev_page.setShortcuts([QKeySequence("Alt+Up"), QKeySequence("Ctrl+PgUp")])
        # Document
        self.rename_document = a("Re&name Document...", "F2", "", "Rename the current document")
        self.split_document = a("&Split Document Here", "", "", "Start a new document at the current page")
        self.merge_documents = a("&Merge Documents", "", "", "Merge the documents of the selected pages")
        # View
        self.zoom_in = a("Zoom &In", Std.ZoomIn, "zoom-in", "Zoom in")
        self.zoom_out = a("Zoom &Out", Std.ZoomOut, "zoom-out", "Zoom out")
        self.fit_width = a("Fit &Width", "Ctrl+2", "zoom-fit-width", "Fit the page's width")
        self.fit_page = a("Fit &Page", "Ctrl+1", "zoom-fit-best", "Show the whole page")
        self.toggle_boxes = a(
            "Show &Boxes", "Ctrl+B", "", "Show the layout boxes on the page", checkable=True
        )
        self.toggle_preview = a(
            "Show Pre&view", "Ctrl+Shift+P", "", "Show the rendered Markdown", checkable=True
        )
        # Help
        self.about = a("&About Desktop OCR", "", "help-about", "About this app")
        self.show_log = a("Open &Log Folder", "", "", "Show the folder with the log files")

    def _make(
        self,
        text: str,
        shortcut: QKeySequence.StandardKey | str,
        icon: str,
        tip: str,
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self.parent())
        if icon:
            action.setIcon(_theme_icon(icon))
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        seq = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({seq})" if seq else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        return action

    def all(self) -> list[QAction]:
        return [v for v in vars(self).values() if isinstance(v, QAction)]
