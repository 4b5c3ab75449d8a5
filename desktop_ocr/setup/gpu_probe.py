"""Find NVIDIA GPUs without importing torch: nvidia-smi, then /proc/driver/nvidia, tolerant of both missing.

``probe_gpus()`` returns one :class:`GpuInfo` per GPU that CUDA programs of this process may use
(``CUDA_VISIBLE_DEVICES`` is honoured), or an empty list when there is no NVIDIA GPU, no driver, or
no tool to ask. It never raises. The result is cached for the process; pass ``refresh=True`` to ask
again (after the user installed a driver, say).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

QUERY = "index,name,memory.total,driver_version,uuid"
#: Asked on its own: nvidia-smi before driver 510 refuses the whole query for a field it lacks.
QUERY_COMPUTE = "index,compute_cap"
PROC_GPUS = Path("/proc/driver/nvidia/gpus")
PROC_VERSION = Path("/proc/driver/nvidia/version")
DEFAULT_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class GpuInfo:
    """One NVIDIA GPU. ``cuda`` is the newest CUDA version its driver supports ("13.0"), or "";
    ``compute_cap`` its compute capability ("7.5" for Turing, "6.1" for Pascal), or "" when unknown."""

    index: int
    name: str
    memory_mb: int  # total memory in MiB; 0 when unknown
    driver: str  # e.g. "580.65.06"; "" when unknown
    cuda: str = ""
    uuid: str = ""
    compute_cap: str = ""

    @property
    def memory_gib(self) -> float:
        return self.memory_mb / 1024

    def describe(self) -> str:
        """One line for the user: "NVIDIA H100 80GB HBM3, 79.6 GiB, driver 580.65.06, CUDA 13.0"."""
        parts = [self.name]
        if self.memory_mb:
            parts.append(f"{self.memory_gib:.1f} GiB")
        if self.driver:
            parts.append(f"driver {self.driver}")
        if self.cuda:
            parts.append(f"CUDA {self.cuda}")
        if self.compute_cap:
            parts.append(f"compute capability {self.compute_cap}")
        return ", ".join(parts)


_lock = threading.Lock()
_cache: list[GpuInfo] | None = None


def probe_gpus(refresh: bool = False, timeout: float = DEFAULT_TIMEOUT_S) -> list[GpuInfo]:
    """The usable NVIDIA GPUs (see the module docstring). Never raises."""
    global _cache
    with _lock:
        if _cache is None or refresh:
            try:
                found = _probe(timeout)
            except Exception:  # a probe must never take the app down
                found = []
            _cache = _visible(found, os.environ.get("CUDA_VISIBLE_DEVICES"))
        return list(_cache)


def has_cuda_gpu(timeout: float = DEFAULT_TIMEOUT_S) -> bool:
    """Whether a CUDA-capable NVIDIA GPU is usable by this process."""
    return bool(probe_gpus(timeout=timeout))


def _probe(timeout: float) -> list[GpuInfo]:
    gpus = query_nvidia_smi(timeout)
    if not gpus:
        gpus = read_proc()
    if gpus and not gpus[0].cuda:
        cuda = cuda_driver_version()
        if cuda:
            gpus = [dataclasses.replace(g, cuda=cuda) for g in gpus]
    return gpus


# --- nvidia-smi ---------------------------------------------------------------------------------
def query_nvidia_smi(timeout: float = DEFAULT_TIMEOUT_S, exe: str | None = None) -> list[GpuInfo]:
    """GPUs as nvidia-smi lists them, or [] when it is missing, fails or hangs."""
    exe = exe or shutil.which("nvidia-smi")
    if not exe:
        return []
    out = _run([exe, f"--query-gpu={QUERY}", "--format=csv,noheader,nounits"], timeout)
    if not out:
        return []
    gpus = parse_query_output(out)
    if gpus:
        header = _run([exe], timeout)
        cuda = parse_cuda_version(header or "")
        if cuda:
            gpus = [dataclasses.replace(g, cuda=cuda) for g in gpus]
        caps = parse_compute_caps(
            _run([exe, f"--query-gpu={QUERY_COMPUTE}", "--format=csv,noheader,nounits"], timeout) or ""
        )
        gpus = [dataclasses.replace(g, compute_cap=caps.get(g.index, "")) for g in gpus]
    return gpus


def _run(cmd: list[str], timeout: float) -> str | None:
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
            # no console window flashing up on Windows
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def parse_query_output(text: str) -> list[GpuInfo]:
    """Rows of ``--query-gpu=index,name,memory.total,driver_version,uuid --format=csv,noheader,nounits``.

    Tolerates units left in ("81559 MiB"), "[N/A]" fields and junk lines.
    """
    gpus: list[GpuInfo] = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 4:
            continue
        index_s, name, mem_s, driver = cells[:4]
        uuid = cells[4] if len(cells) > 4 else ""
        if not index_s.isdigit() or not name:
            continue
        mem = re.match(r"\d+", mem_s)
        gpus.append(
            GpuInfo(
                index=int(index_s),
                name=name,
                memory_mb=int(mem.group()) if mem else 0,
                driver="" if driver.startswith("[") else driver,
                uuid="" if uuid.startswith("[") else uuid,
            )
        )
    return gpus


def parse_compute_caps(text: str) -> dict[int, str]:
    """``{index: "8.6"}`` from rows of ``--query-gpu=index,compute_cap``; junk and "[N/A]" are left out."""
    caps: dict[int, str] = {}
    for line in text.splitlines():
        m = re.fullmatch(r"\s*(\d+)\s*,\s*(\d+\.\d+)\s*", line)
        if m:
            caps[int(m.group(1))] = m.group(2)
    return caps


def parse_cuda_version(text: str) -> str:
    """The "CUDA Version: 13.0" of nvidia-smi's banner, or ""."""
    m = re.search(r"CUDA Version\s*:\s*([\d.]+)", text)
    return m.group(1) if m else ""


# --- /proc (Linux, when nvidia-smi is missing) ------------------------------------------------------
def read_proc(gpus_dir: Path | None = None, version_file: Path | None = None) -> list[GpuInfo]:
    """GPUs from the kernel driver's /proc files (no memory size there), or []."""
    gpus_dir = gpus_dir or PROC_GPUS
    version_file = version_file or PROC_VERSION
    if not gpus_dir.is_dir():
        return []
    driver = ""
    with contextlib.suppress(OSError):
        m = re.search(r"Kernel Module\s+(?:for \S+\s+)?([\d.]+)", version_file.read_text(errors="replace"))
        driver = m.group(1) if m else ""
    gpus: list[GpuInfo] = []
    for k, d in enumerate(sorted(p for p in gpus_dir.iterdir() if p.is_dir())):
        try:
            info = (d / "information").read_text(errors="replace")
        except OSError:
            continue
        model = re.search(r"^Model:\s*(.+)$", info, re.M)
        uuid = re.search(r"^GPU UUID:\s*(\S+)", info, re.M)
        gpus.append(
            GpuInfo(
                index=k,
                name=model.group(1).strip() if model else "NVIDIA GPU",
                memory_mb=0,
                driver=driver,
                uuid=uuid.group(1) if uuid else "",
            )
        )
    return gpus


# --- the CUDA driver library -------------------------------------------------------------------
def cuda_driver_version() -> str:
    """The CUDA version the installed driver supports ("13.0"), asked from libcuda, or ""."""
    names = ("nvcuda.dll",) if os.name == "nt" else ("libcuda.so.1", "libcuda.so", "libcuda.dylib")
    for name in names:
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        version = ctypes.c_int(0)
        try:
            if lib.cuDriverGetVersion(ctypes.byref(version)) == 0 and version.value > 0:
                return f"{version.value // 1000}.{version.value % 1000 // 10}"
        except (AttributeError, OSError):
            continue
    return ""


# --- CUDA_VISIBLE_DEVICES ----------------------------------------------------------------------
def _visible(gpus: list[GpuInfo], spec: str | None) -> list[GpuInfo]:
    """The GPUs a CUDA program sees under ``CUDA_VISIBLE_DEVICES`` (indices or UUIDs, in its order)."""
    if spec is None:
        return gpus
    out: list[GpuInfo] = []
    for token in (t.strip() for t in spec.split(",")):
        if not token:
            break
        if token.lstrip("-").isdigit():
            n = int(token)
            if n < 0:
                break  # CUDA stops at the first invalid entry
            match = [g for g in gpus if g.index == n]
        else:
            match = [g for g in gpus if g.uuid and (g.uuid == token or g.uuid.startswith(token))]
        if not match:
            break
        if match[0] not in out:
            out.append(match[0])
    return out
