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
        self.new_project = a(
            self.tr("&New Project"), Std.New, "document-new", self.tr("Start an empty project")
        )
        self.open = a(
            self.tr("&Open..."),
            Std.Open,
            "document-open",
            self.tr("Open files, folders or a project (Ctrl+O)"),
        )
        self.open_folder = a(
            self.tr("Open &Folder..."),
            "Ctrl+Shift+O",
            "folder-open",
            self.tr("Import every page in a folder"),
        )
        self.paste_image = a(
            self.tr("&Paste Image"),
            "Ctrl+Shift+V",
            "edit-paste",
            self.tr("Import the image on the clipboard"),
        )
        self.save_as = a(
            self.tr("Save Project &As..."),
            Std.SaveAs,
            "document-save-as",
            self.tr("Save the project to a file"),
        )
        self.save = a(
            self.tr("&Save Project"),
            Std.Save,
            "document-save",
            self.tr("Save the project (it is autosaved too)"),
        )
        self.export = a(
            self.tr("&Export..."), "Ctrl+E", "document-export", self.tr("Export Markdown, text and JSON")
        )
        self.settings = a(
            self.tr("Se&ttings..."),
            Std.Preferences,
            "preferences-system",
            self.tr("Engine, DPI and export settings"),
        )
        self.model = a(
            self.tr("DeepSeek-OCR &Model..."),
            "",
            "",
            self.tr("Choose, download or approve the DeepSeek-OCR model"),
        )
        self.quit = a(self.tr("&Quit"), Std.Quit, "application-exit", self.tr("Quit Desktop OCR"))
        # Edit
        self.undo = a(self.tr("&Undo"), Std.Undo, "edit-undo", self.tr("Undo the last edit"))
        self.redo = a(self.tr("&Redo"), "Ctrl+Shift+Z", "edit-redo", self.tr("Redo"))
        # Find (Ctrl+F) and Replace (Ctrl+H) are the editor pane's own actions (see EditorPane).
        self.history = a(
            self.tr("Text &History..."),
            "",
            "document-open-recent",
            self.tr("Earlier versions of this page's text"),
        )
        # Read
        self.read_selected = a(
            self.tr("&Read Selected Pages"),
            "Ctrl+R",
            "media-playback-start",
            self.tr("Read the selected pages"),
        )
        self.read_with = a(
            self.tr("Read Selected Pages &With..."),
            "Ctrl+Alt+Shift+R",
            "",
            self.tr("Choose the prompt, resolution mode and token cap for this run"),
        )
        self.read_document = a(
            self.tr("Read &Document"), "Ctrl+Shift+R", "", self.tr("Read every page of the current document")
        )
        self.read_all = a(self.tr("Read &All"), "Ctrl+Alt+R", "", self.tr("Read every page of the project"))
        self.pause = a(
            self.tr("&Pause"),
            "Ctrl+P",
            "media-playback-pause",
            self.tr("Pause after the current page"),
            checkable=True,
        )
        self.cancel_page = a(
            self.tr("Cancel Current Pa&ge"),
            "Esc",
            "",
            self.tr("Stop reading the page being read now; the pages after it are still read"),
        )
        self.cancel = a(
            self.tr("&Cancel Reading"),
            "Shift+Esc",
            "process-stop",
            self.tr("Stop reading (the current page and the queue)"),
        )
        # Page
        self.rotate_left = a(
            self.tr("Rotate &Left"),
            "Ctrl+[",
            "object-rotate-left",
            self.tr("Turn the selected pages 90° anticlockwise"),
        )
        self.rotate_right = a(
            self.tr("Rotate Ri&ght"),
            "Ctrl+]",
            "object-rotate-right",
            self.tr("Turn the selected pages 90° clockwise"),
        )
        # Delete is handled by the page list itself (so that Delete in the editor deletes text).
        self.delete_pages = a(
            self.tr("&Delete Pages"),
            "",
            "edit-delete",
            self.tr("Remove the selected pages (Delete in the page list)"),
        )
        self.mark_reviewed = a(
            self.tr("Mark &Reviewed"), "Ctrl+M", "", self.tr("Mark the selected pages as reviewed")
        )
        self.review_and_next = a(
            self.tr("Mark Reviewed and Go to Ne&xt"),
            "Ctrl+Return",
            "",
            self.tr("Mark this page reviewed and go to the next page needing attention"),
        )
        self.next_attention = a(
            self.tr("Next Page Needing &Attention"),
            "F8",
            "go-next",
            self.tr("Go to the next page that failed, is incomplete or is not reviewed"),
        )
        self.prev_attention = a(
            self.tr("Previous Page Needing A&ttention"),
            "Shift+F8",
            "go-previous",
            self.tr("Go to the previous page that failed, is incomplete or is not reviewed"),
        )
        self.find_in_document = a(
            self.tr("Find in &Document..."),
            "Ctrl+Shift+F",
            "edit-find",
            self.tr("Search the text of every page of this document"),
        )
        self.next_page = a(self.tr("&Next Page"), "Alt+Down", "go-down", self.tr("Go to the next page"))
        self.prev_page = a(self.tr("&Previous Page"), "Alt+Up", "go-up", self.tr("Go to the previous page"))
        self.next_page.setShortcuts([QKeySequence("Alt+Down"), QKeySequence("Ctrl+PgDown")])
        self.prev_page.setShortcuts([QKeySequence("Alt+Up"), QKeySequence("Ctrl+PgUp")])
        # Document
        self.rename_document = a(
            self.tr("Re&name Document..."), "F2", "", self.tr("Rename the current document")
        )
        self.split_document = a(
            self.tr("&Split Document Here"), "", "", self.tr("Start a new document at the current page")
        )
        self.merge_documents = a(
            self.tr("&Merge Documents"), "", "", self.tr("Merge the documents of the selected pages")
        )
        # View
        self.zoom_in = a(self.tr("Zoom &In"), Std.ZoomIn, "zoom-in", self.tr("Zoom in"))
        self.zoom_out = a(self.tr("Zoom &Out"), Std.ZoomOut, "zoom-out", self.tr("Zoom out"))
        self.fit_width = a(self.tr("Fit &Width"), "Ctrl+2", "zoom-fit-width", self.tr("Fit the page's width"))
        self.fit_page = a(self.tr("Fit &Page"), "Ctrl+1", "zoom-fit-best", self.tr("Show the whole page"))
        self.toggle_boxes = a(
            self.tr("Show &Boxes"), "Ctrl+B", "", self.tr("Show the layout boxes on the page"), checkable=True
        )
        self.toggle_preview = a(
            self.tr("Show Pre&view"),
            "Ctrl+Shift+P",
            "",
            self.tr("Show the rendered Markdown"),
            checkable=True,
        )
        self.mark_uncertain = a(
            self.tr("Mark &Uncertain Words"),
            "",
            "",
            self.tr("Underline the words the engine was unsure of (F8 in the text goes to the next one)"),
            checkable=True,
        )
        self.check_spelling = a(
            self.tr("Check &Spelling"),
            "",
            "",
            self.tr("Underline words that are not in the dictionaries chosen in Settings"),
            checkable=True,
        )
        # Help
        self.about = a(self.tr("&About Desktop OCR"), "", "help-about", self.tr("About this app"))
        self.first_run = a(
            self.tr("&GPU and Model Assistant..."),
            "",
            "",
            self.tr("Detect the GPU and set up the engine that fits it"),
        )
        self.show_log = a(self.tr("Open &Log Folder"), "", "", self.tr("Show the folder with the log files"))

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
