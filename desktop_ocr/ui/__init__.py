"""Widgets: main window, actions, page list, canvas, editor, preview, dialogs."""
