"""Check a local model folder: is it DeepSeek-OCR v1 or v2, complete, and loadable? Says what to do if not."""

from __future__ import annotations

import json
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_ocr.messages import QT_TRANSLATE_NOOP, join_lines, join_list
from desktop_ocr.setup import catalog, download, trust

LFS_POINTER_PREFIX = b"version https://git-lfs.github.com/spec/"
_RELATIVE_IMPORT = re.compile(r"^\s*from\s+\.([A-Za-z_][\w.]*)\s+import\b|^\s*import\s+\.", re.M)
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model")


@dataclass
class FolderReport:
    """What was found in a folder. ``problems`` stop loading; each says what is wrong and what to do."""

    folder: Path
    generation: int | None = None
    model_type: str = ""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    code_files: list[str] = field(default_factory=list)
    weight_files: list[str] = field(default_factory=list)
    weights_size: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def title(self) -> str:
        return {1: "DeepSeek-OCR (v1)", 2: "DeepSeek-OCR-2 (v2)"}.get(
            self.generation or 0, QT_TRANSLATE_NOOP("Model", "unknown model")
        )

    def summary(self) -> str:
        if self.ok:
            return QT_TRANSLATE_NOOP(
                "Model", "{model}: complete ({size} of weights, {n} code files)."
            ).format(model=self.title, size=download.format_size(self.weights_size), n=len(self.code_files))
        return join_lines(self.problems)


def _read_json(path: Path, report: FolderReport) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.problems.append(
            QT_TRANSLATE_NOOP("Model", "{file} in {folder} cannot be read ({error}).").format(
                file=path.name, folder=str(path.parent), error=exc.strerror or str(exc)
            )
        )
        return None
    if raw.startswith(LFS_POINTER_PREFIX):
        report.problems.append(_lfs_message(path))
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "{file} in {folder} is not valid JSON ({error}). The copy is damaged or incomplete: "
                "download the model again.",
            ).format(file=path.name, folder=str(path.parent), error=str(exc))
        )
        return None


def _lfs_message(path: Path) -> str:
    return QT_TRANSLATE_NOOP(
        "Model",
        "{file} is a Git LFS pointer, not the real file: the folder was cloned without Git LFS. "
        "Run 'git lfs pull' in {folder}, or download the model from inside the app.",
    ).format(file=path.name, folder=str(path.parent))


def detect_generation(config: dict[str, Any]) -> int | None:
    """1 for DeepSeek-OCR, 2 for DeepSeek-OCR-2, None for anything else (from architectures/auto_map)."""
    names = [str(a) for a in config.get("architectures") or [] if isinstance(a, str)]
    auto_map = config.get("auto_map")
    if isinstance(auto_map, dict):
        names += [str(v) for v in auto_map.values() if isinstance(v, str)]
    low = " ".join(names).lower()
    if "deepseekocr2" in low or "deepseek_ocr2" in low:
        return 2
    if "deepseekocr" in low:
        return 1
    return None


def _entry_module(config: dict[str, Any]) -> str | None:
    auto_map = config.get("auto_map")
    if not isinstance(auto_map, dict):
        return None
    ref = auto_map.get("AutoModel") or auto_map.get("AutoModelForCausalLM")
    if not isinstance(ref, str) or "." not in ref:
        return None
    return ref.rsplit(".", 1)[0]


def _code_closure(folder: Path, entry: str, report: FolderReport) -> list[str]:
    """The entry module and every module it imports relatively (as transformers copies them)."""
    seen: list[str] = []
    missing: list[str] = []
    todo = [entry]
    while todo:
        mod = todo.pop()
        name = mod.replace(".", "/") + ".py"
        if name in seen or name in missing:
            continue
        path = folder / name
        if not path.is_file():
            missing.append(name)
            continue
        seen.append(name)
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        todo += [m.group(1) for m in _RELATIVE_IMPORT.finditer(text) if m.group(1)]
    if missing:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "The model's code is incomplete: {files} missing in {folder}. "
                "Download the model again, or copy these files from the model's hub page into the folder.",
            ).format(files=", ".join(sorted(missing)), folder=str(folder))
        )
    return sorted(seen)


def _check_safetensors(path: Path, report: FolderReport) -> None:
    """Header sanity: an LFS pointer, a truncated file or a non-safetensors file each get a message."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
            if head.startswith(LFS_POINTER_PREFIX[:8]):
                report.problems.append(_lfs_message(path))
                return
            if len(head) < 8:
                raise ValueError("too short")
            (n,) = struct.unpack("<Q", head)
            if n <= 0 or n > min(size - 8, 100_000_000):
                raise ValueError("bad header length")
            header = json.loads(fh.read(n).decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "{file} in {folder} is not a readable safetensors file (damaged or incomplete). "
                "Download the model again.",
            ).format(file=path.name, folder=str(path.parent))
        )
        return
    end = max((int(v["data_offsets"][1]) for k, v in header.items() if k != "__metadata__"), default=0)
    if 8 + n + end > size:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "{file} is truncated ({size} on disk, {expected} expected). Resume or repeat the download.",
            ).format(
                file=path.name, size=download.format_size(size), expected=download.format_size(8 + n + end)
            )
        )


def _check_weights(folder: Path, report: FolderReport) -> None:
    index = folder / "model.safetensors.index.json"
    if index.is_file():
        data = _read_json(index, report)
        if data is None:
            return
        wm = data.get("weight_map") if isinstance(data, dict) else None
        if not isinstance(wm, dict) or not wm:
            report.problems.append(
                QT_TRANSLATE_NOOP(
                    "Model", "{file} in {folder} lists no weights. Download the model again."
                ).format(file=index.name, folder=str(folder))
            )
            return
        names = sorted({str(v) for v in wm.values()})
    elif (folder / "model.safetensors").is_file():
        names = ["model.safetensors"]
    else:
        found = sorted(p.name for p in folder.glob("*.safetensors"))
        if found:
            report.problems.append(
                QT_TRANSLATE_NOOP(
                    "Model",
                    "{folder} has weight files but no model.safetensors.index.json to say how they fit "
                    "together. Copy the index file from the model's hub page, or download the model again.",
                ).format(folder=str(folder))
            )
        elif any(folder.glob("*.bin")):
            report.problems.append(
                QT_TRANSLATE_NOOP(
                    "Model",
                    "{folder} has only pickled .bin weights; this app loads safetensors only (they cannot run "
                    "code). Download the model from the hub, which ships safetensors.",
                ).format(folder=str(folder))
            )
        else:
            report.problems.append(
                QT_TRANSLATE_NOOP(
                    "Model",
                    "No model weights (*.safetensors) in {folder}. Copy the weights into it, or download "
                    "the model from inside the app.",
                ).format(folder=str(folder))
            )
        return
    missing = []
    for name in names:
        p = folder / name
        if not p.is_file():
            part = folder / (name + download.PART_SUFFIX)
            missing.append(
                QT_TRANSLATE_NOOP("Model", "{file} (download unfinished)").format(file=name)
                if part.is_file()
                else name
            )
            continue
        report.weight_files.append(name)
        report.weights_size += p.stat().st_size
        _check_safetensors(p, report)
    if missing:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "Weights missing in {folder}: {files}. Resume the download in the Model dialog, "
                "or copy the missing files.",
            ).format(folder=str(folder), files=join_list(missing))
        )


def _suggest_subfolder(folder: Path) -> str:
    snaps = sorted((folder / "snapshots").glob("*/config.json")) if (folder / "snapshots").is_dir() else []
    hits = snaps or sorted(folder.glob("*/config.json"))[:3]
    if hits:
        return QT_TRANSLATE_NOOP("Model", " Did you mean {folder}?").format(folder=str(hits[0].parent))
    return ""


def _foreign_message(folder: Path, foreign: list[tuple[str, str]]) -> str:
    return QT_TRANSLATE_NOOP(
        "Model",
        "{folder} names code outside the model folder ({entries}); the app only runs code that is inside "
        "the model folder. Use the original files from the hub, or put the .py files in the folder and fix "
        "auto_map.",
    ).format(folder=str(folder), entries="; ".join(f"{f}: {ref}" for f, ref in foreign))


def inspect_folder(folder: str | os.PathLike[str]) -> FolderReport:
    """Everything wrong with ``folder`` as a DeepSeek-OCR model, each with what to do about it."""
    folder = Path(folder).expanduser()
    report = FolderReport(folder)
    if not folder.exists():
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model", "The folder {folder} does not exist. Choose the folder that holds the model."
            ).format(folder=str(folder))
        )
        return report
    if not folder.is_dir():
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model", "{folder} is a file. Choose the folder that holds config.json."
            ).format(folder=str(folder))
        )
        return report
    cfg_path = folder / "config.json"
    if not cfg_path.is_file():
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "No config.json in {folder}: this is not a model folder.{suggestion} "
                "Choose the folder that holds config.json, the .py files and the weights.",
            ).format(folder=str(folder), suggestion=_suggest_subfolder(folder))
        )
        return report
    config = _read_json(cfg_path, report)
    if config is None:
        return report
    if not isinstance(config, dict):
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model", "config.json in {folder} is not a model configuration. Download the model again."
            ).format(folder=str(folder))
        )
        return report
    report.model_type = str(config.get("model_type", ""))
    report.generation = detect_generation(config)
    archs = ", ".join(map(str, config.get("architectures") or [])) or report.model_type or "unknown"
    if "ocr" in archs.lower() and not config.get("auto_map") and "conditionalgeneration" in archs.lower():
        report.generation = None
    if report.generation is None:
        if "ocr" in archs.lower() and not config.get("auto_map"):
            report.problems.append(
                QT_TRANSLATE_NOOP(
                    "Model",
                    "{folder} holds a DeepSeek-OCR checkpoint converted for transformers 5 ({architectures}); "
                    "this app runs the original release with its own code. Use deepseek-ai/DeepSeek-OCR or "
                    "deepseek-ai/DeepSeek-OCR-2 instead.",
                ).format(folder=str(folder), architectures=archs)
            )
        else:
            report.problems.append(
                QT_TRANSLATE_NOOP(
                    "Model",
                    "{folder} holds a different model ({architectures}), not DeepSeek-OCR. Choose a DeepSeek-OCR "
                    "or DeepSeek-OCR-2 folder, or download one.",
                ).format(folder=str(folder), architectures=archs)
            )
        return report
    entry = _entry_module(config)
    if entry is None:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "config.json in {folder} has no auto_map, so the model's own code cannot be found. "
                "Use the original config.json from the hub.",
            ).format(folder=str(folder))
        )
    elif "--" in entry:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "config.json in {folder} points at code in another repository ({entry}); the app only runs "
                "code that is inside the model folder. Put the .py files in the folder and fix auto_map.",
            ).format(folder=str(folder), entry=entry)
        )
    else:
        report.code_files = _code_closure(folder, entry, report)
    # Every auto_map entry of every config file (the entry module's problems are reported above).
    foreign = [
        (f, ref)
        for f, ref in trust.foreign_code(folder)
        if not (f == "config.json" and entry is not None and ref.rsplit(".", 1)[0] == entry)
    ]
    if foreign:
        report.problems.append(_foreign_message(folder, foreign))
    tok = [n for n in TOKENIZER_FILES if (folder / n).is_file()]
    if not tok:
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "The tokenizer is missing in {folder} (tokenizer.json). Copy it from the model's hub page or "
                "download the model again.",
            ).format(folder=str(folder))
        )
    else:
        with (folder / tok[0]).open("rb") as fh:
            head = fh.read(len(LFS_POINTER_PREFIX))
        if head.startswith(LFS_POINTER_PREFIX):
            report.problems.append(_lfs_message(folder / tok[0]))
    if not (folder / "tokenizer_config.json").is_file():
        report.problems.append(
            QT_TRANSLATE_NOOP(
                "Model",
                "tokenizer_config.json is missing in {folder}. Copy it from the model's hub page or download "
                "the model again.",
            ).format(folder=str(folder))
        )
    _check_weights(folder, report)
    if any(folder.glob("*" + download.PART_SUFFIX)) and report.ok:
        report.warnings.append(
            QT_TRANSLATE_NOOP("Model", "Unfinished download parts (.part files) are still in the folder.")
        )
    return report


# -- where a model is on this machine -----------------------------------------------------------
def hf_cache_root() -> Path:
    """The Hugging Face cache folder (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "huggingface" / "hub"


def hf_cache_snapshots(repo_id: str) -> list[Path]:
    """Snapshots of ``repo_id`` already in the Hugging Face cache (e.g. from huggingface-cli)."""
    snaps = hf_cache_root() / ("models--" + repo_id.replace("/", "--")) / "snapshots"
    if not snaps.is_dir():
        return []
    return sorted(p for p in snaps.iterdir() if (p / "config.json").is_file())


def find_local_copy(repo_id: str, revision: str) -> Path | None:
    """A complete local copy of ``repo_id`` at commit ``revision``: the app's download or the HF cache."""
    if not revision:
        return None
    mine = download.local_snapshot(repo_id, revision)
    if mine:
        return mine
    cached = hf_cache_root() / ("models--" + repo_id.replace("/", "--")) / "snapshots" / revision
    return cached if (cached / "config.json").is_file() else None


def model_folder(ds: Any) -> Path | None:
    """The local folder the DeepSeek settings (``Settings.deepseek``) point at, or None if not on disk."""
    if ds.source == "folder":
        return Path(ds.folder).expanduser() if ds.folder else None
    return find_local_copy(ds.hub_id, catalog.pinned_revision(ds.hub_id, ds.revision))
