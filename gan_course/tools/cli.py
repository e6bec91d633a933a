"""``python -m gan_course COMMAND``: the course's command line.

Each command lives in its own module of :mod:`gan_course.tools` and exposes ``register(subparsers)``, which
adds its sub-parser and sets ``func``. ``check`` is defined here (notebook 00).

Errors: a bad argument value is refused by the parser (:mod:`gan_course.tools.args`: ``error: argument --NAME:
…``, exit 2); an expected error after parsing (a ``ValueError``, an ``OSError``, a
:class:`gan_course.data.DataError`, a :class:`gan_course.train.TrainingDiverged`) prints one line ``error: …`` and
exits 1. ``--debug`` (before or after the command) or ``GAN_COURSE_DEBUG=1`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys

COMMAND_MODULES = (
    "gan_course.tools.notebooks",       # execute: re-run notebooks in lesson mode, store clean outputs
    "gan_course.tools.student",         # student-copy: the notebooks a learner gets
    "gan_course.tools.modes_table",     # modes: the mode-collapse table of notebook 06
    "gan_course.tools.pacgan",          # pacgan: PacGAN's Table 1 with the authors' nets (notebook 06)
    "gan_course.tools.guidelines",      # guidelines: the DCGAN guidelines switched off one at a time (notebook 08)
    "gan_course.tools.classifier",      # train-classifier: the judge behind classifier-FID
    "gan_course.tools.train",           # train: MNIST GANs with checkpoints (notebooks 08, 09)
    "gan_course.tools.sample",          # sample: a grid of digits from a checkpoint
    "gan_course.tools.bench.command",   # bench: throughput and time to quality
    "gan_course.tools.grade",           # grade: run a class's notebooks and tabulate the exercise checks
    "gan_course.tools.nbgrader",        # nbgrader-mark, nbgrader-course: the exercises for nbgrader
    "gan_course.playground.bench",      # playground-bench: frames per second of notebook 11's playground
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


_DEBUG_HELP = "show the full traceback of an error (also: GAN_COURSE_DEBUG=1)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gan_course", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("check", help="print versions and device, verify the MNIST files")
    p.add_argument("--root", default=None, help="MNIST folder (default: the repository's data/mnist)")
    p.set_defaults(func=cmd_check)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command in sub.choices.values():                        # --debug after the command too
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP)
    return parser


def _expected_errors() -> tuple:
    from gan_course.data import DataError
    from gan_course.train import TrainingDiverged

    return ValueError, OSError, DataError, TrainingDiverged


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        rc = args.func(args)
    except _expected_errors() as e:
        if args.debug or os.environ.get("GAN_COURSE_DEBUG", "") not in ("", "0"):
            raise
        print("error: " + (" ".join(str(e).split()) or type(e).__name__), file=sys.stderr)
        return 1
    return int(rc or 0)
