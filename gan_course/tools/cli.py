"""``python -m gan_course COMMAND``: the course's command line.

Each command lives in its own module of :mod:`gan_course.tools` and exposes ``register(subparsers)``, which
adds its sub-parser and sets ``func``. ``check`` is defined here (notebook 00).
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys

COMMAND_MODULES = (
    "gan_course.tools.notebooks",       # execute: re-run notebooks in lesson mode, store clean outputs
    "gan_course.tools.student",         # student-copy: the notebooks a learner gets
    "gan_course.tools.modes_table",     # modes: the mode-collapse table of notebook 06
    "gan_course.tools.classifier",      # train-classifier: the judge behind classifier-FID
    "gan_course.tools.train",           # train: MNIST GANs with checkpoints (notebooks 08, 09)
    "gan_course.tools.sample",          # sample: a grid of digits from a checkpoint
    "gan_course.tools.bench.command",   # bench: throughput and time to quality
)


def cmd_check(args) -> int:
    """Print versions, the device and whether each data file verifies; 1 when something is off."""
    import matplotlib
    import numpy
    import scipy
    import torch

    from gan_course import __version__, config, data

    print(f"gan-course {__version__}  (mode: {config.MODE})")
    print(f"python     {platform.python_version()}  ({sys.platform})")
    for mod in (torch, numpy, scipy, matplotlib):
        print(f"{mod.__name__:<10} {mod.__version__}")
    problems = []
    try:
        dev = config.get_device()
        extra = f" ({torch.cuda.get_device_name(dev)})" if dev.type == "cuda" else ""
        print(f"device     {dev}{extra}")
    except ValueError as e:
        problems.append(str(e))
        print(f"device     ERROR: {e}")
    for name, status in data.verify(args.root).items():
        print(f"data       {name:<28} {'ok' if status == 'ok' else 'FAILED'}")
        if status != "ok":
            problems.append(status)
    if problems:
        print("\nSomething is off:")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("\nAll checks passed.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gan_course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("check", help="print versions and device, verify the MNIST files")
    p.add_argument("--root", default=None, help="MNIST folder (default: the repository's data/mnist)")
    p.set_defaults(func=cmd_check)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    rc = args.func(args)
    return int(rc or 0)
