"""GPU discovery without torch: nvidia-smi output, /proc files, CUDA_VISIBLE_DEVICES, broken tools."""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path

import pytest

from desktop_ocr.setup import gpu_probe
from desktop_ocr.setup.gpu_probe import GpuInfo

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="fake tools are shell scripts")

# Captured from a real machine (nvidia-smi 580.159.04).
H100_QUERY = "0, NVIDIA H100 80GB HBM3, 81559, 580.159.04, GPU-6d80a5f8-7390-ba99-6f32-54fba7f1586b\n"
H100_BANNER = """Sun Nov 22 03:58:00 2026
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 580.159.04             Driver Version: 580.159.04     CUDA Version: 13.0     |
+-----------------------------------------+------------------------+----------------------+
"""
H100_PROC_INFO = """Model: \t\t NVIDIA H100 80GB HBM3
IRQ:   \t\t 41
GPU UUID: \t GPU-6d80a5f8-7390-ba99-6f32-54fba7f1586b
Video BIOS: \t 96.00.da.00.0c
Bus Type: \t PCIe
"""
H100_PROC_VERSION = (
    "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build  (nixbld@)  \n"
    "GCC version:  gcc version 15.3.0 (GCC) \n"
)


def fake_smi(
    folder: Path,
    query: str,
    banner: str = H100_BANNER,
    rc: int = 0,
    sleep: float = 0,
    compute: str | None = None,
) -> Path:
    """An executable nvidia-smi that prints ``query`` for --query-gpu, ``banner`` otherwise, and
    ``compute`` for --query-gpu=index,compute_cap (None: refuses that field as drivers before 510 do)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "query.txt").write_text(query)
    (folder / "banner.txt").write_text(banner)
    (folder / "compute.txt").write_text(compute or "")
    old_smi = "echo 'Field \"compute_cap\" is not a valid field to query.'; exit 2"
    answer = old_smi if compute is None else 'cat "$(dirname "$0")/compute.txt"'
    exe = folder / "nvidia-smi"
    exe.write_text(
        "#!/bin/sh\n"
        f"sleep {sleep}\n"
        'case "$1" in\n'
        f"  --query-gpu=index,compute_cap*) {answer};;\n"
        '  --query-gpu*) cat "$(dirname "$0")/query.txt";;\n'
        '  *) cat "$(dirname "$0")/banner.txt";;\n'
        "esac\n"
        f"exit {rc}\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


@pytest.fixture
def no_cache(monkeypatch):
    monkeypatch.setattr(gpu_probe, "_cache", None)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)


def test_parse_real_query_output():
    [g] = gpu_probe.parse_query_output(H100_QUERY)
    assert g == GpuInfo(
        0, "NVIDIA H100 80GB HBM3", 81559, "580.159.04", "", "GPU-6d80a5f8-7390-ba99-6f32-54fba7f1586b"
    )
    assert round(g.memory_gib, 1) == 79.6


def test_parse_tolerates_units_na_and_junk():
    text = (
        "No devices were found\n"
        "0, NVIDIA GeForce RTX 3060, 12288 MiB, 550.54.14, GPU-aaa\n"
        "1, NVIDIA T400, [N/A], [N/A], [N/A]\n"
        "\n"
    )
    a, b = gpu_probe.parse_query_output(text)
    assert (a.name, a.memory_mb, a.driver, a.uuid) == (
        "NVIDIA GeForce RTX 3060",
        12288,
        "550.54.14",
        "GPU-aaa",
    )
    assert (b.index, b.memory_mb, b.driver, b.uuid) == (1, 0, "", "")


def test_cuda_version_from_banner():
    assert gpu_probe.parse_cuda_version(H100_BANNER) == "13.0"
    assert gpu_probe.parse_cuda_version("garbage") == ""


def test_nvidia_smi_query(tmp_path):
    exe = fake_smi(tmp_path, H100_QUERY)
    [g] = gpu_probe.query_nvidia_smi(exe=str(exe))
    assert g.cuda == "13.0" and g.memory_mb == 81559
    assert g.describe() == "NVIDIA H100 80GB HBM3, 79.6 GiB, driver 580.159.04, CUDA 13.0"


def test_nvidia_smi_failing_or_hanging_gives_nothing(tmp_path):
    failing = fake_smi(
        tmp_path / "a", "NVIDIA-SMI has failed because it couldn't communicate with the driver", rc=9
    )
    assert gpu_probe.query_nvidia_smi(exe=str(failing)) == []
    hanging = fake_smi(tmp_path / "b", H100_QUERY, sleep=30)
    start = time.monotonic()
    assert gpu_probe.query_nvidia_smi(timeout=0.5, exe=str(hanging)) == []
    assert time.monotonic() - start < 5
    assert gpu_probe.query_nvidia_smi(exe=str(tmp_path / "missing")) == []


def test_proc_files(tmp_path):
    gpus = tmp_path / "gpus"
    (gpus / "0000:00:06.0").mkdir(parents=True)
    (gpus / "0000:00:06.0" / "information").write_text(H100_PROC_INFO)
    version = tmp_path / "version"
    version.write_text(H100_PROC_VERSION)
    [g] = gpu_probe.read_proc(gpus, version)
    assert (g.name, g.driver, g.memory_mb, g.uuid) == (
        "NVIDIA H100 80GB HBM3",
        "580.159.04",
        0,
        "GPU-6d80a5f8-7390-ba99-6f32-54fba7f1586b",
    )
    assert gpu_probe.read_proc(tmp_path / "nothing", version) == []


def test_probe_uses_path_and_honours_cuda_visible_devices(tmp_path, monkeypatch, no_cache):
    two = H100_QUERY + "1, NVIDIA A100-SXM4-40GB, 40960, 580.159.04, GPU-1234abcd\n"
    fake_smi(tmp_path, two)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}")
    assert [g.index for g in gpu_probe.probe_gpus(refresh=True)] == [0, 1]
    assert gpu_probe.has_cuda_gpu()
    for spec, expected in [
        ("1", [1]),
        ("1,0", [1, 0]),
        ("GPU-1234", [1]),
        ("", []),
        ("-1", []),
        ("0,7,1", [0]),
    ]:
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", spec)
        assert [g.index for g in gpu_probe.probe_gpus(refresh=True)] == expected, spec


def test_no_tools_no_gpu(tmp_path, monkeypatch, no_cache):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(gpu_probe, "PROC_GPUS", tmp_path / "none")
    assert gpu_probe.probe_gpus(refresh=True) == []
    assert not gpu_probe.has_cuda_gpu()


# Captured shapes: nvidia-smi 535+ prints "index, compute_cap" rows like these.
PASCAL_AND_TURING_QUERY = (
    "0, Tesla P100-PCIE-16GB, 16384, 580.65.06, GPU-aaa\n1, Tesla T4, 15360, 580.65.06, GPU-bbb\n"
)


def test_compute_capability_is_asked(tmp_path):
    exe = fake_smi(tmp_path, PASCAL_AND_TURING_QUERY, compute="0, 6.0\n1, 7.5\n")
    p100, t4 = gpu_probe.query_nvidia_smi(exe=str(exe))
    assert (p100.compute_cap, t4.compute_cap) == ("6.0", "7.5")
    assert p100.describe().endswith("CUDA 13.0, compute capability 6.0")


def test_a_driver_without_compute_cap_still_lists_its_gpus(tmp_path):
    exe = fake_smi(tmp_path, PASCAL_AND_TURING_QUERY, compute=None)
    gpus = gpu_probe.query_nvidia_smi(exe=str(exe))
    assert [g.name for g in gpus] == ["Tesla P100-PCIE-16GB", "Tesla T4"]
    assert [g.compute_cap for g in gpus] == ["", ""]


def test_parse_compute_caps_tolerates_junk():
    assert gpu_probe.parse_compute_caps("0, 8.6\n1, [N/A]\nNo devices\n 2 , 12.0 \n") == {0: "8.6", 2: "12.0"}
