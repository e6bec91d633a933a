"""``python -m gan_course bench``: DCGAN training throughput, side by side, in one process; ``--quality`` adds
time to equal classifier-FID and a fixed-time run of the fast recipe (:mod:`gan_course.tools.bench.quality`);
``--pacgan`` times instead the training step of every row of notebook 06's run on PacGAN's setup
(:mod:`gan_course.tools.bench.pacsteps`).

The loops are :mod:`gan_course.tools.bench.loops`; ``docs/benchmarks.md`` has the current figures.
"""

from __future__ import annotations

import json

import torch

from gan_course.config import get_device
from gan_course.mnist.recipe import RECIPE
from gan_course.tools.args import (
    device,
    non_negative_int,
    positive_float,
    positive_int,
    unit_interval,
)
from gan_course.tools.bench.loops import run_bench
from gan_course.tools.bench.pacsteps import format_pac_steps, run_pac_steps
from gan_course.tools.bench.quality import format_quality, run_quality

LABELS = {"reference": "reference: pytorch/examples dcgan, 64×64, DataLoader",
          "plain": "the course's DCGAN, plain loop (DataLoader)", "fast": "the course's DCGAN, fast loop",
          "bound": "bound: the fast loop on fixed random data"}


def format_bench(res: dict) -> str:
    """The throughput results of :func:`gan_course.tools.bench.loops.run_bench` as a text table."""
    lines = [f"{'loop':<55} {'images/s':>10} {'steps':>7}"]
    for k, label in LABELS.items():
        r = res[k]
        lines.append(f"{label:<55} {r['images_per_s']:>10.1f} {r['steps']:>7}")
    lines += [""] + [f"{k:<24} {v:6.2f}×" for k, v in res["ratios"].items()]
    return "\n".join(lines)


def _flag(v):
    return None if v == "auto" else v == "on"


def register(subparsers) -> None:
    p = subparsers.add_parser("bench", help="DCGAN training throughput: the pytorch/examples DCGAN vs the course's")
    p.add_argument("--device", type=device, default=None, help="cpu or cuda (default: gan_course.config.get_device())")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--seconds", type=positive_float("seconds"), default=12.0, help="timed seconds per loop (default 12)")
    p.add_argument("--max-steps", type=positive_int("max-steps"), default=10_000)
    p.add_argument("--width", type=positive_int("width"), default=32, help="the course's ngf = ndf (default 32)")
    p.add_argument("--threads", type=positive_int("threads"), default=None,
                   help="torch CPU threads (default: torch's choice)")
    p.add_argument("--compile", choices=("auto", "on", "off"), default="auto", help="torch.compile (auto: CUDA only)")
    p.add_argument("--channels-last", choices=("auto", "on", "off"), default="auto", help="(auto: with bf16)")
    p.add_argument("--bf16", choices=("auto", "on", "off"), default="auto",
                   help="bf16 autocast in the fast loop (auto: where native, gan_course.config.native_bf16)")
    p.add_argument("--quality", action="store_true",
                   help="also time to equal classifier-FID (long: about reference-seconds + 2 × max)")
    p.add_argument("--reference-seconds", type=positive_float("reference-seconds"), default=600.0,
                   help="--quality: the reference's training time (default 600)")
    p.add_argument("--quality-max-seconds", type=positive_float("quality-max-seconds"), default=600.0)
    p.add_argument("--budget-seconds", type=positive_float("budget-seconds"), default=300.0,
                   help="--quality: train the fast recipe this long and compare its FID with real data's (default 300)")
    p.add_argument("--budget-refine", choices=("on", "off"), default="on",
                   help="--quality: the budget run uses 3×3 convs at 28×28 (the recipe's nets; default on)")
    p.add_argument("--budget-refine-depth", type=positive_int("budget-refine-depth"), default=None, metavar="N",
                   help=f"--quality: 3×3 convs at 28×28 in the budget run's G (default {RECIPE.refine_depth})")
    p.add_argument("--budget-mid-depth", type=non_negative_int("budget-mid-depth"), default=None, metavar="N",
                   help=f"--quality: 3×3 convs at 14×14 in the budget run's G and D (default {RECIPE.mid_depth})")
    p.add_argument("--budget-lr-decay", type=unit_interval("budget-lr-decay"), default=None, metavar="F",
                   help="--quality: the budget run's lr falls linearly to 0 over the last fraction F of its time, "
                        f"0 ≤ F ≤ 1, 0: constant (default {RECIPE.lr_decay})")
    p.add_argument("--fast-lr", type=positive_float("fast-lr"), default=None,
                   help=f"--quality: Adam lr of the fast loop (default {RECIPE.lr})")
    p.add_argument("--pacgan", action="store_true",
                   help="instead of the DCGAN loops: seconds per step of every row of notebook 06's run on PacGAN's "
                        "ring setup (the plain GAN, each remedy, MAD-GAN(-Sim), WGAN-GP), side by side")
    p.add_argument("--pacgan-trials", type=positive_int("pacgan-trials"), default=5,
                   help="--pacgan: trials trained at once, as the committed run (default 5)")
    p.add_argument("--pacgan-steps", type=positive_int("pacgan-steps"), default=20,
                   help="--pacgan: steps per timed turn of a row (default 20; 3 turns per row)")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.budget_refine == "off" and args.budget_refine_depth is not None:
        raise ValueError(f"--budget-refine-depth needs --budget-refine on, got --budget-refine-depth "
                         f"{args.budget_refine_depth} with --budget-refine off")
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.pacgan:
        if args.quality:
            raise ValueError("--pacgan times PacGAN's steps instead of the DCGAN loops; it cannot be combined with "
                             "--quality")
        res = run_pac_steps(trials=args.pacgan_trials, steps=args.pacgan_steps)
        print(json.dumps(res, indent=2) if args.json else format_pac_steps(res))
        return 0
    device = get_device(args.device)
    res = run_bench(device, args.seconds, max_steps=args.max_steps, width=args.width,
                    channels_last=_flag(args.channels_last), compile_=_flag(args.compile), bf16=_flag(args.bf16))
    if args.quality:
        res["quality"] = run_quality(device, args.reference_seconds, args.quality_max_seconds, width=args.width,
                                     budget_seconds=args.budget_seconds, lr=args.fast_lr or RECIPE.lr,
                                     bf16=_flag(args.bf16), refine=args.budget_refine == "on",
                                     refine_depth=args.budget_refine_depth or RECIPE.refine_depth,
                                     mid_depth=RECIPE.mid_depth if args.budget_mid_depth is None
                                     else args.budget_mid_depth,
                                     lr_decay=RECIPE.lr_decay if args.budget_lr_decay is None else args.budget_lr_decay)
    print(json.dumps(res, indent=2) if args.json else format_bench(res))
    if args.quality and not args.json:
        print(format_quality(res["quality"]))
    return 0
