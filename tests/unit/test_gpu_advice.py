"""The first-run advice: which engine, mode and batch size fit a GPU."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from desktop_ocr.setup.gpu_advice import Fit, best_gpu, compute_supports_addon, parse_version, recommend
from desktop_ocr.setup.gpu_probe import GpuInfo


@dataclass
class Gpu:
    name: str
    memory_mb: int
    driver: str = "580.65.06"
    cuda: str = "13.0"


@pytest.mark.parametrize(
    ("memory_mb", "fit", "engine", "mode", "batch"),
    [
        (81559, Fit.ROOMY, "deepseek", "gundam", 0),  # H100 80 GB
        (24564, Fit.ROOMY, "deepseek", "gundam", 0),  # RTX 4090
        (16376, Fit.ROOMY, "deepseek", "gundam", 0),  # a 16 GB card reports a little less
        (15359, Fit.COMFORTABLE, "deepseek", "gundam", 1),
        (12282, Fit.COMFORTABLE, "deepseek", "gundam", 1),  # RTX 3060 12 GB
        (10240, Fit.COMFORTABLE, "deepseek", "gundam", 1),
        (8188, Fit.TIGHT, "deepseek", "base", 1),  # 8 GB laptop card
        (7679, Fit.TOO_SMALL, "embedded", "base", 1),
        (6144, Fit.TOO_SMALL, "embedded", "base", 1),  # 6 GB: the weights alone do not fit
        (4096, Fit.TOO_SMALL, "embedded", "base", 1),
    ],
)
def test_recommendation_by_memory(memory_mb: int, fit: Fit, engine: str, mode: str, batch: int) -> None:
    gpu = Gpu("card", memory_mb)
    rec = recommend([gpu])
    assert (rec.fit, rec.engine, rec.mode, rec.batch_size) == (fit, engine, mode, batch)
    assert rec.gpu is gpu
    assert rec.uses_gpu == (engine == "deepseek")


def test_no_gpu_means_the_embedded_engine() -> None:
    rec = recommend([])
    assert rec.fit is Fit.NO_GPU and rec.engine == "embedded" and rec.gpu is None
    # A GPU that reports no memory (driver trouble) counts as none.
    assert recommend([Gpu("broken", 0)]).fit is Fit.NO_GPU


def test_the_largest_gpu_is_advised_on() -> None:
    small, big = Gpu("small", 8188), Gpu("big", 24564)
    rec = recommend([small, big])
    assert rec.gpu is big and rec.fit is Fit.ROOMY
    assert best_gpu([Gpu("a", 100), Gpu("b", 100)]).name == "a"


@pytest.mark.parametrize(
    ("cuda", "old"), [("13.0", False), ("13.1", False), ("12.8", True), ("11.4", True), ("", False)]
)
def test_old_driver_is_flagged(cuda: str, old: bool) -> None:
    assert recommend([Gpu("card", 24564, cuda=cuda)]).driver_too_old is old


def test_parse_version() -> None:
    assert parse_version("13.0") == (13, 0)
    assert parse_version("580.65.06") == (580, 65, 6)
    assert parse_version("N/A") == ()
    assert parse_version("12.4 ") == (12, 4)


@pytest.mark.parametrize(
    ("cap", "runs"),
    [
        ("6.1", False),  # Pascal (GTX 1080)
        ("7.0", False),  # Volta (V100)
        ("7.2", False),  # Xavier
        ("7.5", True),  # Turing
        ("8.9", True),  # Ada: runs the sm_86 kernels
        ("9.0", True),
        ("10.3", True),  # runs the sm_100 kernels
        ("11.0", False),  # no sm_11x kernels in the build
        ("12.1", True),
        ("", True),  # unknown: not refused
    ],
)
def test_compute_capability_against_the_addons_kernels(cap: str, runs: bool) -> None:
    assert compute_supports_addon(GpuInfo(0, "GPU", 16384, "580.65.06", "13.0", "", cap)) is runs


def test_an_old_architecture_is_not_advised_whatever_its_memory() -> None:
    v100 = GpuInfo(0, "Tesla V100-SXM2-32GB", 32768, "580.65.06", "13.0", "", "7.0")
    rec = recommend([v100])
    assert rec.engine == "embedded" and rec.gpu_too_old and not rec.uses_gpu and rec.gpu is v100


def test_a_supported_card_is_advised_over_a_bigger_old_one() -> None:
    p40 = GpuInfo(0, "Tesla P40", 24576, "580.65.06", "13.0", "", "6.1")
    t4 = GpuInfo(1, "Tesla T4", 15360, "580.65.06", "13.0", "", "7.5")
    rec = recommend([p40, t4])
    assert rec.gpu is t4 and rec.engine == "deepseek" and not rec.gpu_too_old
