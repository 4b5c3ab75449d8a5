"""Command-line entry: ``desktop-ocr [--basedir DIR] [FILE|FOLDER|PROJECT ...]``, ``convert ...``, ``install-desktop``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop_ocr import APP_DISPLAY_NAME, PROJECT_SUFFIX, __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="desktop-ocr",
        description=f"{APP_DISPLAY_NAME}: turn scans and PDFs into corrected Markdown.",
        epilog="Run 'desktop-ocr convert --help' for the headless converter.",
    )
    p.add_argument("--version", action="version", version=f"desktop-ocr {__version__}")
    p.add_argument(
        "--basedir", metavar="DIR", help="keep settings, data, cache and logs under DIR (portable use)"
    )
    p.add_argument("--no-recovery", action="store_true", help="do not offer to recover an unsaved session")
    p.add_argument("--no-first-run", action="store_true", help="do not show the first-run assistant")
    p.add_argument(
        "--new-instance", action="store_true", help="start a new window even if the app is running already"
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=f"PDFs, images or folders to import, or a project file ({PROJECT_SUFFIX}) to open",
    )
    return p


def _split_basedir(argv: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--basedir DIR`` / ``--basedir=DIR`` out of argv wherever it is (before a subcommand)."""
    rest: list[str] = []
    basedir = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--basedir" and i + 1 < len(argv):
            basedir = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--basedir="):
            basedir = arg.split("=", 1)[1]
            i += 1
            continue
        if arg == "--":
            rest.extend(argv[i:])
            break
        rest.append(arg)
        i += 1
    return basedir, rest


_QT_VALUE_OPTIONS = {
    "-platform",
    "-style",
    "-stylesheet",
    "-geometry",
    "-qwindowgeometry",
    "-display",
    "-platformpluginpath",
    "-platformtheme",
    "-plugin",
    "-qwindowtitle",
    "-qwindowicon",
    "-session",
    "-reverse",
}


def _split_qt_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """Separate Qt's single-dash options (``-platform offscreen``) from ours."""
    qt: list[str] = []
    ours: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-") and not arg.startswith("--") and arg not in ("-h",):
            qt.append(arg)
            if arg in _QT_VALUE_OPTIONS and arg != "-reverse" and i + 1 < len(argv):
                qt.append(argv[i + 1])
                i += 1
        else:
            ours.append(arg)
        i += 1
    return qt, ours


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to the headless ``convert`` command or start the GUI. Returns the exit status."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    basedir, args_in = _split_basedir(args_in)
    if basedir:
        from desktop_ocr import paths

        paths.set_basedir(basedir)
        import os

        os.environ[paths.ENV_BASEDIR] = str(paths._base())  # child processes inherit it
    from desktop_ocr.setup import gpu_addon

    gpu_addon.activate()  # a GPU add-on installed by the app itself goes on sys.path (nothing imported)
    if args_in and args_in[0] == "install-desktop":
        from desktop_ocr import desktop_integration

        return int(desktop_integration.main(args_in[1:]) or 0)
    if args_in and args_in[0] == "--smoke-test":
        from desktop_ocr import smoke

        return int(smoke.main(args_in[1:]) or 0)
    if args_in and args_in[0] == "convert":
        from desktop_ocr import cli

        return int(cli.main(args_in[1:]) or 0)
    # Qt's own options (-platform, -style ...) pass through to QApplication.
    qt_args, ours = _split_qt_args(args_in)
    ns = _parser().parse_args(ours)
    from desktop_ocr.app import run_gui

    return run_gui(
        ns.paths,
        qt_args=qt_args,
        offer_recovery=not ns.no_recovery,
        single_instance=not ns.new_instance,
        first_run=not ns.no_first_run,
    )


def gui_main() -> int:
    """Entry point of the ``desktop-ocr-gui`` launcher (no console window on Windows)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
