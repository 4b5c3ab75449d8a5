"""End-to-end check of the GPU add-on as a user gets it, with figures (about 6 GB of disk, minutes).

    .venv/bin/python scripts/check_gpu_addon.py [--workdir DIR] [--python python3.11] [--keep]

1. makes a fresh venv with the base app only (no torch, no transformers);
2. starts the real GUI offscreen with a fresh --basedir three times and drives the first-run assistant:
   an install that fails (no index: pip finds nothing), one stopped while pip installs, and a full
   one; records what the dialog shows while pip runs and checks the marker and the folder;
3. in new processes (a restart): activate() puts the add-on on sys.path, the registry lists
   DeepSeek-OCR, the engine loads the stand-in checkpoint (tests/engine/conftest.py) and reads a page
   on the CPU; the real GUI with the add-on active leaves torch out of sys.modules;
4. prints pip's time, the download size (wheel files pip took), the installed size, and the
   start-up time (--smoke-test) with and without the add-on.
Run it with a Python that has torch (the project's .venv): it builds the stand-in checkpoint.
The figures go into packaging/README.md by hand. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULT = "RESULT "


# --- the child phases (run inside the fresh venv) -------------------------------------------------
def _first_run_dialog() -> Any:
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if type(widget).__name__ == "FirstRunDialog" and widget.isVisible():
            return widget
    return None


def phase_gui(mode: str, folder: str, timeout_s: float) -> dict[str, Any]:
    """The real app (desktop_ocr.__main__.main) offscreen; drive its first-run assistant."""
    import logging

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_ocr import app as app_module
    from desktop_ocr.setup import gpu_addon

    out: dict[str, Any] = {"mode": mode, "timeline": [], "pip_lines": []}
    t0 = time.monotonic()
    state: dict[str, Any] = {"step": "wait-dialog", "clicked_at": 0.0, "installing_at": 0.0, "last": None}

    class PipLines(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            msg = record.getMessage()
            if msg.startswith("pip: "):
                out["pip_lines"].append(msg[5:])

    logging.getLogger("desktop_ocr.ui.addon_install").addHandler(PipLines())

    def finish(app: QApplication) -> None:
        out["seconds"] = round(time.monotonic() - t0, 1)
        out["torch_imported"] = "torch" in sys.modules
        for widget in app.topLevelWidgets():
            controller = getattr(widget, "controller", None)
            if controller is not None and hasattr(controller, "settings"):
                out["engine_setting"] = controller.settings.engine
        app.exit(0)

    def tick(app: QApplication) -> None:
        now = time.monotonic() - t0
        if now > timeout_s:
            out["error"] = f"timed out in step {state['step']}"
            finish(app)
            return
        dialog = _first_run_dialog()
        step = state["step"]
        if step == "wait-dialog":
            if dialog is not None and dialog.recommendation is not None:
                out["gpu_label"] = dialog.gpu_label.text()
                out["addon_label"] = dialog.addon_label.text()
                out["advice"] = dialog.advice_label.text()
                dialog.folder_edit.setText(folder)
                dialog.folder_radio.setChecked(True)
                dialog.continue_button.click()
                out["after_first_click"] = dialog.status_label.text()
                out["continue_text"] = dialog.continue_button.text()
                if dialog.continue_button.text() != "Continue" and dialog._installer is None:
                    dialog.continue_button.click()  # "Install Anyway" after the no-GPU warning
                state["step"] = "installing"
                state["clicked_at"] = now
                state["dialog"] = dialog

                def on_finished(code: int) -> None:  # before WA_DeleteOnClose deletes it
                    out["install_s"] = round(time.monotonic() - t0 - state["clicked_at"], 1)
                    out["final_status"] = dialog.status_label.text()
                    out["accepted"] = code == dialog.DialogCode.Accepted
                    state["step"] = "closed"
                    QTimer.singleShot(500, lambda: finish(app))

                dialog.finished.connect(on_finished)
            return
        if step in ("closed", "done"):
            return
        dialog = state["dialog"]
        if step == "installing":
            bar = dialog.progress
            snapshot = (
                bar.isVisible(),
                bar.maximum(),
                bar.value() if bar.maximum() else -1,
                dialog.status_label.text(),
            )
            key = (snapshot[0], snapshot[1], snapshot[2] // 50, snapshot[3].split("(")[0])
            if key != state["last"]:
                state["last"] = key
                out["timeline"].append([round(now - state["clicked_at"], 1), *snapshot])
            if not state["installing_at"] and "Installing" in snapshot[3] and "packages" in snapshot[3]:
                state["installing_at"] = now
                out["download_phase_s"] = round(now - state["clicked_at"], 1)
            if mode == "cancel" and state["installing_at"] and now - state["installing_at"] > 5:
                out["stopped_after_s"] = round(now - state["clicked_at"], 1)
                dialog.cancel_button.click()
                state["step"] = "stopping"
                return
            if dialog._installer is None:
                out["install_s"] = round(now - state["clicked_at"], 1)
                out["final_status"] = dialog.status_label.text()
                out["dialog_visible"] = dialog.isVisible()
                out["accepted"] = dialog.result() == dialog.DialogCode.Accepted
                state["step"] = "done"
                QTimer.singleShot(500, lambda: finish(app))
            return
        if step == "stopping" and dialog._installer is None:
            out["stop_took_s"] = round(now - state["clicked_at"] - out["stopped_after_s"], 1)
            out["final_status"] = dialog.status_label.text()
            out["continue_enabled"] = dialog.continue_button.isEnabled()
            state["step"] = "done"
            finish(app)

    original = app_module.make_application

    def make_application(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)
        timer = QTimer(app)
        timer.setInterval(100)
        timer.timeout.connect(lambda: tick(app))
        timer.start()
        return app

    app_module.make_application = make_application
    from desktop_ocr.__main__ import main

    out["exit_status"] = main(["--new-instance", "--no-recovery"])
    folder_path = gpu_addon.addon_dir()
    out["addon_dir"] = str(folder_path)
    out["marker"] = gpu_addon.is_complete()
    out["addon_bytes"] = gpu_addon.folder_size(folder_path)
    out["staging_left"] = gpu_addon.staging_dir().exists() or gpu_addon.temp_dir().exists()
    out["download_bytes"] = _download_bytes(out["pip_lines"])
    return out


def _download_bytes(lines: list[str]) -> dict[str, int]:
    """Wheel bytes pip took: local files it processed (their size) plus what it downloaded."""
    from desktop_ocr.setup.gpu_addon import InstallProgress

    local = 0
    count = 0
    for line in lines:
        if line.strip().startswith("Processing /"):
            path = Path(line.split()[1])
            if path.is_file():
                local += path.stat().st_size
                count += 1
    progress = InstallProgress()
    progress.feed(lines)
    fetched = sum(1 for line in lines if line.strip().startswith(("Downloading ", "Using cached ")))
    return {
        "local_files": local,
        "downloaded": progress.downloaded_bytes,
        "wheels": count + fetched,
        "total": local + progress.downloaded_bytes,
    }


def phase_restart(folder: str) -> dict[str, Any]:
    """A new process: activate(), the registry, the DeepSeek engine on the stand-in checkpoint."""
    from desktop_ocr.setup import gpu_addon

    out: dict[str, Any] = {"available_before": gpu_addon.is_available()}
    t = time.perf_counter()
    out["activated"] = gpu_addon.activate()
    out["activate_ms"] = round((time.perf_counter() - t) * 1000, 2)
    out["on_sys_path"] = str(gpu_addon.addon_dir()) in sys.path
    out["available_after"] = gpu_addon.is_available()
    from desktop_ocr.engine import registry
    from desktop_ocr.settings import Settings

    out["engines"] = registry.engine_names()
    out["deepseek_installed"] = registry.deepseek_installed()
    out["deepseek_status_reason"] = str(registry.deepseek_status(Settings.load()).reason)
    out["torch_imported_by_registry"] = "torch" in sys.modules
    t = time.perf_counter()
    import torch

    out["torch_import_s"] = round(time.perf_counter() - t, 2)
    out["torch_file"] = torch.__file__
    out["torch_from_addon"] = Path(torch.__file__).is_relative_to(gpu_addon.addon_dir())
    out["torch_version"] = torch.__version__
    out["torch_cuda_build"] = torch.version.cuda
    out["cuda_available"] = torch.cuda.is_available()
    from PIL import Image

    from desktop_ocr.engine.base import PageInput, ReadOptions

    engine = registry.create_engine("deepseek-ocr", {"model_path": folder, "trust_remote_code": True})
    t = time.perf_counter()
    engine.load()
    out["load_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    (result,) = engine.read([PageInput("p1", Image.new("RGB", (640, 640), "white"), ReadOptions())])
    out["read_s"] = round(time.perf_counter() - t, 2)
    out["completion"] = str(getattr(result, "completion", ""))
    out["markdown_head"] = getattr(result, "markdown", str(result))[:60]
    out["read_ok"] = "# Page 9" in getattr(result, "raw", "")
    return out


def phase_gui_torch(timeout_s: float) -> dict[str, Any]:
    """The real GUI with the add-on active and DeepSeek-OCR chosen: is torch still not imported?"""
    from PySide6.QtCore import QTimer

    from desktop_ocr import app as app_module
    from desktop_ocr.setup import gpu_addon

    out: dict[str, Any] = {}
    original = app_module.make_application

    def make_application(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)

        def check() -> None:
            out["addon_on_sys_path"] = str(gpu_addon.addon_dir()) in sys.path
            out["windows"] = [type(w).__name__ for w in app.topLevelWidgets() if w.isVisible()]
            out["torch_imported"] = "torch" in sys.modules
            out["transformers_imported"] = "transformers" in sys.modules
            app.exit(0)

        QTimer.singleShot(int(timeout_s * 1000), check)
        return app

    app_module.make_application = make_application
    from desktop_ocr.__main__ import main

    out["exit_status"] = main(["--new-instance", "--no-recovery", "--no-first-run"])
    return out


# --- the orchestration ----------------------------------------------------------------------------
def _child(venv_python: Path, phase: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    cmd = [str(venv_python), str(Path(__file__).resolve()), "--phase", *phase]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT):
            result: dict[str, Any] = json.loads(line[len(RESULT) :])
            result["rc"] = proc.returncode
            return result
    return {"rc": proc.returncode, "error": (proc.stderr or proc.stdout)[-3000:]}


def _env(base: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESKTOP_OCR_BASEDIR=str(base))
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def _smoke_seconds(
    venv_python: Path, base: Path, sample: Path, env: dict[str, str], runs: int
) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(
            [str(venv_python), "-m", "desktop_ocr", "--smoke-test", str(sample)],
            capture_output=True,
            text=True,
            env=_env(base, HF_HUB_OFFLINE="1"),
            timeout=300,
        )
        times.append(round(time.perf_counter() - t, 2))
        if proc.returncode != 0:
            raise RuntimeError(f"smoke test failed: {proc.stderr[-2000:]}")
    return times


def _check(checks: list[tuple[str, bool]], name: str, ok: bool) -> None:
    checks.append((name, bool(ok)))
    print(f"  [{'ok' if ok else 'FAIL'}] {name}", flush=True)


def orchestrate(args: argparse.Namespace) -> int:
    work = Path(args.workdir).resolve()
    if work.exists() and not args.reuse_venv:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for old in work.iterdir():  # what an earlier run with --reuse-venv left
        if old.name != "venv":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    venv = work / "venv"
    py = venv / "bin" / "python"
    checks: list[tuple[str, bool]] = []
    figures: dict[str, Any] = {}
    cache = work / "pip-cache"
    base_env = {"PIP_CACHE_DIR": str(cache), "HF_MODULES_CACHE": str(work / "hf-modules")}

    print("1. fresh venv with the base app only", flush=True)
    if not py.exists():
        t = time.perf_counter()
        subprocess.run([args.python, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
        figures["base_venv_s"] = round(time.perf_counter() - t, 1)
    probe = subprocess.run(
        [str(py), "-c", "import desktop_ocr.setup.gpu_addon as g; print(g.is_available())"],
        capture_output=True,
        text=True,
        env=_env(work / "base-probe"),
    )
    _check(checks, "torch/transformers absent from the base venv", probe.stdout.strip() == "False")

    sys.path.insert(0, str(ROOT / "tests" / "engine"))
    import conftest  # type: ignore[import-not-found]  # the stand-in checkpoint the engine tests use

    standin = conftest.write_checkpoint(work / "standin", conftest._byte_level_tokenizer_json())

    print("2a. install with no index (a network failure)", flush=True)
    empty = work / "empty-index"
    empty.mkdir(exist_ok=True)
    no_net = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(empty)}
    env = _env(work / "base-fail", **base_env, **no_net)
    fail = _child(py, ["gui", "fail", str(standin)], env, 600)
    print(f"     the dialog said: {fail.get('final_status')!r}", flush=True)
    _check(
        checks, "failed install: a clear message", "could not be downloaded" in fail.get("final_status", "")
    )
    _check(
        checks,
        "failed install: no marker, nothing left",
        not fail.get("marker") and not fail.get("staging_left"),
    )
    _check(checks, "failed install: dialog stays open", bool(fail.get("dialog_visible")))

    print("2b. install stopped while pip installs", flush=True)
    env = _env(work / "base-cancel", **base_env)
    system_tmp = Path(tempfile.gettempdir())
    before = set(system_tmp.glob("pip-target-*"))
    cancel = _child(py, ["gui", "cancel", str(standin)], env, 1800)
    left = set(system_tmp.glob("pip-target-*")) - before
    print(
        f"     stopped after {cancel.get('stopped_after_s')} s; said {cancel.get('final_status')!r}",
        flush=True,
    )
    _check(
        checks,
        "stop: message and Continue enabled again",
        "stopped" in cancel.get("final_status", "").lower(),
    )
    _check(
        checks, "stop: no marker, nothing left", not cancel.get("marker") and not cancel.get("staging_left")
    )
    _check(checks, f"stop: no pip-target folder left in {system_tmp}", not left)
    shutil.rmtree(work / "base-cancel", ignore_errors=True)

    print("2c. full install through the first-run assistant", flush=True)
    base = work / "base"
    gui = _child(py, ["gui", "full", str(standin)], _env(base, **base_env), 3000)
    for row in gui.get("timeline", []):
        print(f"     {row[0]:7.1f} s  bar={row[2]}:{row[3]}  {row[4][:110]}", flush=True)
    print(f"     gpu: {gui.get('gpu_label')!r}; first click: {gui.get('after_first_click')!r}", flush=True)
    _check(checks, "install finished and the dialog went on (accepted)", bool(gui.get("accepted")))
    _check(checks, "marker written", bool(gui.get("marker")) and not gui.get("staging_left"))
    _check(checks, "settings: engine deepseek", gui.get("engine_setting") == "deepseek")
    _check(checks, "progress was live (several updates)", len(gui.get("timeline", [])) >= 5)
    figures["pip_install_s"] = gui.get("install_s")
    figures["download_phase_s"] = gui.get("download_phase_s")
    figures["installed_bytes"] = gui.get("addon_bytes")
    figures["download"] = gui.get("download_bytes")

    print("3. restart: activate, registry, engine on the stand-in checkpoint", flush=True)
    restart = _child(py, ["restart", str(standin)], _env(base, **base_env), 900)
    print(f"     {json.dumps({k: v for k, v in restart.items() if k != 'error'})}", flush=True)
    if restart.get("error"):
        print(restart["error"], flush=True)
    _check(checks, "before activate(): not available", restart.get("available_before") is False)
    _check(
        checks,
        "activate() puts it on sys.path",
        bool(restart.get("activated") and restart.get("on_sys_path")),
    )
    _check(checks, "registry lists DeepSeek-OCR", "deepseek-ocr" in restart.get("engines", []))
    _check(checks, "registry imports no torch", restart.get("torch_imported_by_registry") is False)
    _check(checks, "torch comes from the add-on folder", bool(restart.get("torch_from_addon")))
    _check(checks, "the engine reads a page on the CPU", bool(restart.get("read_ok")))
    gui_torch = _child(py, ["gui-torch"], _env(base, **base_env), 300)
    print(f"     GUI with the add-on: {gui_torch}", flush=True)
    _check(
        checks, "GUI start with the add-on leaves torch unimported", gui_torch.get("torch_imported") is False
    )

    print("4. start-up time (--smoke-test), with and without the add-on", flush=True)
    from PIL import Image, ImageDraw, ImageFont

    sample = work / "sample.png"
    image = Image.new("RGB", (1200, 400), "white")
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 48)
    ImageDraw.Draw(image).text((40, 150), "The quick brown fox jumps.", fill="black", font=font)
    image.save(sample)
    plain_base = work / "base-plain"
    with_addon, without = [], []
    for _ in range(args.runs):  # alternate, so load on the shared machine hits both alike
        with_addon += _smoke_seconds(py, base, sample, base_env, 1)
        without += _smoke_seconds(py, plain_base, sample, base_env, 1)
    figures["smoke_with_addon_s"] = with_addon
    figures["smoke_without_addon_s"] = without
    figures["restart"] = {k: restart.get(k) for k in ("activate_ms", "torch_import_s", "load_s", "read_s")}

    print("\nFigures:", flush=True)
    print(json.dumps(figures, indent=2), flush=True)
    print(
        f"median smoke test: with add-on {statistics.median(with_addon):.2f} s, "
        f"without {statistics.median(without):.2f} s",
        flush=True,
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    failed = [name for name, ok in checks if not ok]
    print(f"\n{len(checks) - len(failed)} of {len(checks)} checks passed", flush=True)
    return 1 if failed else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workdir", default="/tmp/desktop-ocr-addon-e2e")
    p.add_argument("--python", default="python3.11", help="the Python for the fresh venv")
    p.add_argument("--keep", action="store_true", help="keep the work folder (6 GB) afterwards")
    p.add_argument("--reuse-venv", action="store_true", help="keep an existing venv in the work folder")
    p.add_argument("--runs", type=int, default=3, help="smoke-test runs each way")
    p.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args()
    if not args.phase:
        return orchestrate(args)
    phase, *rest = args.phase
    if phase == "gui":
        result = phase_gui(rest[0], rest[1], timeout_s=2700)
    elif phase == "restart":
        result = phase_restart(rest[0])
    elif phase == "gui-torch":
        result = phase_gui_torch(timeout_s=3.0)
    else:
        raise SystemExit(f"unknown phase {phase}")
    print(RESULT + json.dumps(result, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
