"""``python -m gan_course modes``: compute the mode-collapse table of notebook 06 and write it as JSON.

The computation is :func:`gan_course.modes.table.run_table`; the committed result is
``data/results/modes_table.json`` (written atomically, with the command, wall time, load and configuration).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path

from gan_course.fileio import atomic_write
from gan_course.modes.remedies import METHODS
from gan_course.modes.table import DATASETS, DEFAULT_OUT, format_table, run_table
from gan_course.modes.toynets import ToyConfig
from gan_course.tools.provenance import command_line, machine


def _cmd(args) -> int:
    cfg = ToyConfig(**({"steps": args.steps} if args.steps else {}))
    seeds = list(range(args.seeds))
    if args.seeds < 2:
        print(f"--seeds must be >= 2 (a spread needs two seeds), got {args.seeds}")
        return 2
    load0, t0 = os.getloadavg(), time.perf_counter()
    results = run_table(seeds, args.methods, args.datasets, cfg, args.n_eval, args.jobs)
    wall = time.perf_counter() - t0
    table = {
        "command": command_line("modes"),
        "wall_seconds": round(wall, 1), "load_average_start": load0, "load_average_end": os.getloadavg(),
        **machine(),
        "seeds": seeds, "n_eval": args.n_eval, "threshold_std": 3.0, "config": asdict(cfg),
        "setup": "PacGAN Table 1: ring of 8 Gaussians radius 1 std 0.01; grid of 25 at {-4,-2,0,2,4}^2 std 0.05",
        "results": results,
    }
    atomic_write(args.out, lambda f: json.dump(table, f, indent=1), binary=False)
    print(format_table(table))
    try:
        shown = Path(args.out).resolve().relative_to(Path.cwd())
    except ValueError:
        shown = Path(args.out).name
    print(f"\nwrote {shown} in {wall:.0f} s")
    return 0


def register(sub) -> None:
    p = sub.add_parser("modes", help="mode-collapse table: every remedy on ring and grid, several seeds (notebook 06)")
    p.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    p.add_argument("--steps", type=int, default=0, help="training steps (default: ToyConfig's)")
    p.add_argument("--methods", nargs="+", choices=METHODS, default=None, help="default: all")
    p.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    p.add_argument("--n-eval", type=int, default=2500, help="samples evaluated per run (default 2500, as PacGAN)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes, one thread each (default 2)")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="JSON output (default data/results/modes_table.json)")
    p.set_defaults(func=_cmd)
