"""How a committed result was made: the command line, the machine and the versions, written into every results file
(``modes``, ``pacgan``, ``guidelines``; see ``data/results/README.md``)."""

from __future__ import annotations

import os
import platform
import shlex
import sys
import time

import torch

from gan_course.config import cpu_model


def command_line(command: str, argv: list[str] | None = None) -> str:
    """``python -m gan_course COMMAND ...`` as typed (``argv`` defaults to ``sys.argv[1:]``), or a note that the
    command was called from Python when ``argv`` does not start with ``command``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [command]:
        return "python -m gan_course " + " ".join(shlex.quote(a) for a in argv)
    return f"python -m gan_course {command} (called from Python)"


def machine() -> dict:
    """The CPUs, their model and the vector instructions PyTorch's kernels use on them (``cpu_capability``: "AVX2",
    "AVX512", ...; one CPU name can hide both, and they round differently), the PyTorch and Python versions and the
    time now (UTC), as JSON-ready values."""
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model(), "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "torch": torch.__version__,
            "python": platform.python_version(), "finished_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())}
