"""``python -m gan_course guidelines``: the DCGAN guidelines tested one change at a time, written as JSON (notebook 08).

The computation is :func:`gan_course.mnist.guidelines.run_guidelines`; the committed result is
``data/results/dcgan_guidelines.json`` (written atomically, with the command, wall time, machine and settings).
An existing file is replaced only with ``--force``.
"""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path

import torch

from gan_course.config import repo_path
from gan_course.fileio import atomic_write
from gan_course.mnist.guidelines import SETTINGS, VARIANTS, run_guidelines
from gan_course.tools.provenance import command_line, machine

DEFAULT_OUT = repo_path("data", "results", "dcgan_guidelines.json")


def build(args, argv=None, log=None) -> dict:
    """Run every variant × seed for parsed ``args``; the JSON-ready record."""
    if args.steps < 1 or args.width < 1 or args.threads < 1 or not args.seeds:
        raise ValueError(f"--steps, --width and --threads must be >= 1 and --seeds non-empty, got steps={args.steps}, "
                         f"width={args.width}, threads={args.threads}, seeds={args.seeds}")
    if not 20 <= args.n_eval <= 5000:
        raise ValueError(f"--n-eval must be in 20..5000 (two disjoint halves of the 10,000 test images), got {args.n_eval}")
    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    result = run_guidelines(args.variants, args.seeds, args.steps, width=args.width, n_eval=args.n_eval,
                            log=log or partial(print, flush=True))
    return {
        "command": command_line("guidelines", argv),
        "wall_seconds": round(time.perf_counter() - t0, 1), "threads": args.threads, **machine(),
        "settings": {"steps": args.steps, "width": args.width, "n_eval": args.n_eval, **SETTINGS},
        "variants": {v: {"d_activation": a, "batchnorm": bn} for v, (a, bn) in VARIANTS.items() if v in args.variants},
        **result,
    }


def _cmd(args) -> int:
    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"error: {out} exists; pass --force to replace it")
        return 1
    try:
        record = build(args)
    except ValueError as e:
        print(f"error: {e}")
        return 2
    atomic_write(out, lambda f: json.dump(record, f, indent=1), binary=False)
    print(f"wrote {out.name} in {record['wall_seconds']:.0f} s")
    return 0


def register(sub) -> None:
    p = sub.add_parser("guidelines", help="the DCGAN guidelines (LeakyReLU in D, BatchNorm) switched off one at a "
                                          "time, on MNIST (notebook 08)")
    options = {
        "--variants": {"nargs": "+", "choices": tuple(VARIANTS), "default": list(VARIANTS)},
        "--seeds": {"type": int, "nargs": "+", "default": [0, 1, 2], "help": "seeds per variant (default 0 1 2)"},
        "--steps": {"type": int, "default": 1500, "help": "training steps per run (default 1500)"},
        "--width": {"type": int, "default": 16, "help": "ngf = ndf (default 16, as notebook 08)"},
        "--n-eval": {"type": int, "default": 1000, "help": "samples judged (and each real half of the baseline)"},
        "--threads": {"type": int, "default": 2, "help": "torch threads (default 2)"},
        "--out": {"default": str(DEFAULT_OUT), "help": "JSON output (default data/results/dcgan_guidelines.json)"},
        "--force": {"action": "store_true", "help": "replace an existing output file"},
    }
    for flag, kw in options.items():
        p.add_argument(flag, **kw)
    p.set_defaults(func=_cmd)
