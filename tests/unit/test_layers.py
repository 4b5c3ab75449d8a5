"""The layering contract of docs/architecture.md, checked on the source: who may import what (the
import-linter contracts in pyproject.toml, tests/unit/test_import_contracts.py, also forbid cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "desktop_ocr"
HEAVY = ("torch", "torchvision", "transformers", "flash_attn", "accelerate", "safetensors")
QT = ("PySide6", "shiboken6", "qasync")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(*parts: str) -> list[Path]:
    base = PKG.joinpath(*parts)
    return sorted(base.rglob("*.py")) if base.is_dir() else [base]


def _offending(paths: list[Path], roots: tuple[str, ...]) -> list[str]:
    bad = []
    for p in paths:
        for name in _imports(p):
            if name.split(".")[0] in roots:
                bad.append(f"{p.relative_to(PKG.parent)} imports {name}")
    return bad


@pytest.mark.parametrize("layer", ["model", "engine", "export", "reading", "setup"])
def test_core_layers_import_no_qt(layer):
    assert _offending(_modules(layer), QT) == []


def test_only_the_engine_package_imports_torch():
    outside = [p for p in PKG.rglob("*.py") if PKG / "engine" not in p.parents]
    assert outside, "no modules found"
    assert _offending(outside, HEAVY) == []


def test_model_and_export_do_not_import_workers_or_widgets():
    bad = []
    for p in _modules("model") + _modules("export") + _modules("engine") + _modules("reading"):
        for name in _imports(p):
            if name.startswith(("desktop_ocr.ui", "desktop_ocr.worker", "desktop_ocr.app")):
                bad.append(f"{p.relative_to(PKG.parent)} imports {name}")
    assert bad == []


def test_widgets_never_import_engines():
    bad = []
    for p in _modules("ui"):
        for name in _imports(p):
            if name.startswith("desktop_ocr.engine") and name not in (
                "desktop_ocr.engine.base",
                "desktop_ocr.engine.registry",
            ):
                bad.append(f"{p.relative_to(PKG.parent)} imports {name}")
    assert bad == []


def test_every_module_opens_with_a_docstring():
    missing = [
        str(p.relative_to(PKG.parent))
        for p in PKG.rglob("*.py")
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
