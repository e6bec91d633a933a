"""Run-time configuration: lesson vs fast mode, device choice, seeding.

Taught in ``notebooks/00_start_here.ipynb``.

- ``FAST`` is read once, at import, from the environment variable ``GAN_COURSE_FAST``
  (``1``/``true``/``yes`` → fast mode: tiny budgets so CI runs the whole course in minutes;
  anything else → lesson mode, what a learner sees).
- ``get_device()`` picks cuda, then mps, then cpu; ``GAN_COURSE_DEVICE`` overrides.
- ``seed_everything(seed)`` seeds python, numpy and torch and returns a ``torch.Generator``.
- ``repo_path(*parts)``: a path inside the course's folder (``repo_path("data", "mnist")``).
"""

from __future__ import annotations

import os
import platform
import random
from pathlib import Path

import numpy as np
import torch

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _read_fast(value: str | None) -> bool:
    v = (value or "").strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ValueError(
        f"GAN_COURSE_FAST={value!r} is not understood; use 1/true/yes for fast mode or 0/false/no (or unset) for lesson mode"
    )


FAST: bool = _read_fast(os.environ.get("GAN_COURSE_FAST"))
"""True in fast mode (CI, ``conftest.py``); False in lesson mode (the default)."""

MODE: str = "fast" if FAST else "lesson"

REPO: Path = Path(__file__).resolve().parent.parent
"""The course's folder: the one holding ``notebooks/``, ``data/`` and ``gan_course/``."""


def repo_path(*parts: str) -> Path:
    """A path inside the course's folder: ``repo_path("data", "weights", "classifier.pt")``."""
    return REPO.joinpath(*parts)

_DEVICES = ("cpu", "cuda", "mps")


def cpu_model() -> str:
    """The CPU's model name (Linux: /proc/cpuinfo), else ``platform.processor()``; recorded with every timing."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def get_device(prefer: str | None = None) -> torch.device:
    """The device lessons train on.

    Order: ``prefer`` argument, then ``GAN_COURSE_DEVICE``, then cuda → mps → cpu.
    A requested device that is not available raises ``ValueError`` (no silent fallback).
    """
    choice = prefer or os.environ.get("GAN_COURSE_DEVICE") or None
    if choice:
        kind = choice.split(":")[0].lower()
        if kind not in _DEVICES:
            raise ValueError(f"device {choice!r} is not one of {', '.join(_DEVICES)}")
        if kind == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"device {choice!r} requested but CUDA is not available on this machine")
        if kind == "mps" and not (hasattr(torch.backends, "mps") and torch.backends.mps.is_available()):
            raise ValueError(f"device {choice!r} requested but MPS is not available on this machine")
        return torch.device(choice)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if hasattr(torch.backends, "mps") and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def native_bf16(device) -> bool:
    """Whether bf16 autocast runs natively on ``device``: a CUDA GPU that supports bf16, or a CPU with AMX or
    AVX512-BF16 (oneDNN uses them). Elsewhere CPU bf16 would be emulated (slower than fp32), so the fast recipe of
    notebook 08 and the benchmark leave it off there (:func:`gan_course.mnist.precision.use_bf16`).
    """
    kind = torch.device(device).type
    if kind == "cuda":
        return torch.cuda.is_bf16_supported()
    if kind != "cpu":
        return False
    # A CPU told to behave like an older one (ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2) emulates bf16 too.
    isa = os.environ.get("ONEDNN_MAX_CPU_ISA", "ALL").upper()
    if torch.backends.cpu.get_cpu_capability() != "AVX512" or not (isa in ("ALL", "DEFAULT") or "BF16" in isa
                                                                   or "AMX" in isa):
        return False
    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")      # torch.cpu's own probes (torch ≥ 2.3)
    return any(getattr(torch.cpu, name, lambda: False)() for name in probes)


def seed_everything(seed: int = 0) -> torch.Generator:
    """Seed ``random``, ``numpy`` and ``torch`` (CPU and CUDA); return a seeded ``torch.Generator``.

    A rerun on the same CPU with the same seed gives the same numbers.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def pick(lesson, fast):
    """``fast`` in fast mode, ``lesson`` otherwise: ``steps = pick(3000, 200)``."""
    return fast if FAST else lesson
