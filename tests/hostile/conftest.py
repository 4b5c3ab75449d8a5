"""Fixtures of the hostile-file tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_corpus import make_base


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The clean project (and model folder) each hostile case is made from, under its own basedir."""
    from desktop_ocr import paths

    folder = tmp_path_factory.mktemp("hostile-base")
    paths.set_basedir(folder / "basedir")
    try:
        return make_base(folder)
    finally:
        paths.set_basedir(None)
