"""``desktop-ocr install-desktop``: put the app into the Linux desktop menu and file associations.

Installs the .desktop file (its ``Exec`` pointing at this installation's launcher), the icons into
the hicolor theme, the AppStream metainfo and the project MIME type under a prefix (``~/.local`` by
default, so no root is needed), then refreshes the desktop, MIME and icon caches when their tools
are installed. ``--uninstall`` removes exactly those files again. No Qt here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from desktop_ocr import APP_DISPLAY_NAME, bundled

COMMAND = "install-desktop"
GUI_LAUNCHER = "desktop-ocr-gui"


@dataclass
class InstallReport:
    """What an install or uninstall did."""

    data_dir: Path
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    tools_run: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def default_prefix() -> Path:
    """``~/.local`` (its ``share`` is ``$XDG_DATA_HOME`` when that is set)."""
    return Path.home() / ".local"


def data_dir_for(prefix: Path | None) -> Path:
    """The ``share`` folder files go to: ``$XDG_DATA_HOME`` for the default prefix, else ``prefix/share``."""
    if prefix is None:
        xdg = os.environ.get("XDG_DATA_HOME")
        return Path(xdg).expanduser() if xdg else default_prefix() / "share"
    return Path(prefix).expanduser().resolve() / "share"


def launcher_command() -> list[str]:
    """The command that starts this installation's GUI, as absolute paths."""
    if getattr(sys, "frozen", False):  # a PyInstaller build: its GUI launcher sits beside this one
        exe = Path(sys.executable).resolve()
        gui = exe.with_name(GUI_LAUNCHER + exe.suffix)
        return [str(gui if gui.is_file() else exe)]
    here = Path(sys.executable).parent / GUI_LAUNCHER  # the venv's bin/ (not resolved: keep the venv)
    if here.is_file() and os.access(here, os.X_OK):
        return [str(here.absolute())]
    found = shutil.which(GUI_LAUNCHER)
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "desktop_ocr"]


def quote_exec_arg(arg: str) -> str:
    """Quote one ``Exec`` argument by the Desktop Entry spec (reserved characters, then value escapes)."""
    arg = arg.replace("%", "%%")
    if not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
        return arg
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    # The value itself is a string: each backslash is written twice.
    return '"' + inner.replace("\\", "\\\\") + '"'


def render_desktop_file(template: str, launcher: list[str]) -> str:
    """The packaged .desktop text with ``Exec``/``TryExec`` pointing at ``launcher``."""
    exec_line = " ".join(quote_exec_arg(a) for a in launcher) + " %F"
    out = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_line
        elif line.startswith("TryExec="):
            line = "TryExec=" + launcher[0]
        out.append(line)
    return "\n".join(out) + "\n"


def _targets(data: Path) -> list[tuple[Path, Path | None]]:
    """(installed path, packaged source) for every file; source None for the generated .desktop."""
    pairs: list[tuple[Path, Path | None]] = [
        (data / "applications" / bundled.DESKTOP_FILE, None),
        (data / "metainfo" / bundled.METAINFO_FILE, bundled.linux_dir() / bundled.METAINFO_FILE),
        (data / "mime" / "packages" / bundled.MIME_FILE, bundled.linux_dir() / bundled.MIME_FILE),
    ]
    theme = bundled.icon_theme_dir()
    for src in sorted(theme.rglob("*")):
        if src.is_file():
            pairs.append((data / "icons" / "hicolor" / src.relative_to(theme), src))
    return pairs


def _run_tool(report: InstallReport, argv: list[str]) -> None:
    tool = shutil.which(argv[0])
    if tool is None:
        report.warnings.append(
            f"{argv[0]} is not installed; the desktop may notice the change only after logging in again"
        )
        return
    result = subprocess.run([tool, *argv[1:]], capture_output=True, text=True)
    report.tools_run.append(" ".join(argv))
    if result.returncode != 0:
        report.warnings.append(f"{argv[0]} failed: {(result.stderr or result.stdout).strip()}")


def _refresh_caches(report: InstallReport) -> None:
    data = report.data_dir
    if (data / "applications").is_dir():
        _run_tool(report, ["update-desktop-database", "-q", str(data / "applications")])
    if (data / "mime" / "packages").is_dir():
        _run_tool(report, ["update-mime-database", str(data / "mime")])
    if (data / "icons" / "hicolor").is_dir():
        _run_tool(report, ["gtk-update-icon-cache", "-q", "-f", "-t", str(data / "icons" / "hicolor")])


def install(
    prefix: Path | None = None, launcher: list[str] | None = None, refresh: bool = True
) -> InstallReport:
    """Install the desktop files under ``prefix`` (see ``data_dir_for``); idempotent."""
    report = InstallReport(data_dir_for(prefix))
    launcher = launcher or launcher_command()
    template = (bundled.linux_dir() / bundled.DESKTOP_FILE).read_text(encoding="utf-8")
    for target, src in _targets(report.data_dir):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        if src is None:
            tmp.write_text(render_desktop_file(template, launcher), encoding="utf-8")
        else:
            shutil.copyfile(src, tmp)
        os.replace(tmp, target)
        report.written.append(target)
    if refresh:
        _refresh_caches(report)
    return report


def uninstall(prefix: Path | None = None, refresh: bool = True) -> InstallReport:
    """Remove the files ``install`` put under ``prefix``; other files stay."""
    report = InstallReport(data_dir_for(prefix))
    for target, _src in _targets(report.data_dir):
        if target.is_file():
            target.unlink()
            report.removed.append(target)
    if refresh:
        _refresh_caches(report)
    return report


def main(argv: list[str] | None = None) -> int:
    """The ``install-desktop`` subcommand; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog=f"desktop-ocr {COMMAND}",
        description=f"Add {APP_DISPLAY_NAME} to the desktop menu and make it open projects, PDFs and images.",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove what install-desktop installed")
    parser.add_argument(
        "--prefix",
        type=Path,
        default=None,
        help="install under PREFIX/share (default: ~/.local, i.e. $XDG_DATA_HOME; /usr/local for all users)",
    )
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux") and "freebsd" not in sys.platform:
        print(
            f"{COMMAND} is for Linux desktops; on Windows and macOS the installer registers the file types.",
            file=sys.stderr,
        )
        return 2
    try:
        report = uninstall(args.prefix) if args.uninstall else install(args.prefix)
    except OSError as exc:
        print(
            f"{COMMAND}: cannot write under {data_dir_for(args.prefix)}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.uninstall:
        print(f"Removed {len(report.removed)} files from {report.data_dir}.")
    else:
        launcher = launcher_command()
        print(f"Installed {APP_DISPLAY_NAME} into {report.data_dir} ({len(report.written)} files).")
        print(f"The menu entry starts: {' '.join(launcher)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
