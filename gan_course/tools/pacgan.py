"""``python -m gan_course pacgan``: PacGAN's Table 1 with the authors' networks, written as JSON (notebook 06).

The computation is :func:`gan_course.modes.pacgan.run_table1`; the committed result is
``data/results/pacgan_table1.json`` (written atomically, with the command, wall time, load, machine and
configuration). Trials of one row train together as one batched net; rows run in ``--jobs`` processes.
An existing ``--out`` is replaced only with ``--force``, or completed with ``--resume``: the rows it holds are kept
(a row does not depend on the others) and only the missing ones are trained; the record lists the earlier runs.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from functools import partial
from pathlib import Path

import torch

from gan_course.config import repo_path
from gan_course.fileio import atomic_write
from gan_course.modes.pacgan import (
    PACKS,
    PAPER_TABLE1,
    ROW_REMEDIES,
    PacConfig,
    row_name,
    run_table1,
    runs,
)
from gan_course.modes.pacsteps import RemedyConfig
from gan_course.tools.provenance import command_line, machine

DEFAULT_OUT = repo_path("data", "results", "pacgan_table1.json")


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _check_resumable(earlier: dict, args, curve_at: list[int]) -> None:
    """Raise ``ValueError`` unless the rows of the ``earlier`` record are what ``args`` would train."""
    want = {"trials": list(range(args.trials)), "config": asdict(PacConfig(steps=args.steps)),
            "threads": args.threads, "torch": torch.__version__}
    if args.remedies:
        want["remedy_config"] = asdict(RemedyConfig())
    for key, value in json.loads(json.dumps(want)).items():              # as JSON holds them (tuples as lists)
        have = earlier.get(key, value if key == "remedy_config" else None)  # a table without remedies: fine
        if key == "remedy_config":       # a constant the file lacks belongs to a remedy added since: its rows are new
            have = {**value, **have}
        if have != value:
            if isinstance(have, dict) and isinstance(value, dict):
                have, value = ({k: d.get(k) for k in sorted(set(have) | set(value)) if have.get(k) != value.get(k)}
                               for d in (have, value))
            raise ValueError(f"cannot resume: the file's {key} is {have!r}, this run's {value!r}")
    asked = {f"{d}: {row_name(m, r)}" for d in args.datasets for m in args.packs for r in (None, *args.remedies)}
    dropped = sorted({f"{d}: {n}" for d, rows in earlier["results"].items() for n in rows} - asked)
    if dropped:
        raise ValueError(f"cannot resume: the file holds rows this run does not ask for ({', '.join(dropped)}); "
                         "name them in --packs, --datasets and --remedies")
    for d, rows in earlier["results"].items():
        for name, row in rows.items():
            if sorted(int(s) for s in row["curve"]) != curve_at:
                raise ValueError(f"cannot resume: row {d} {name!r} has checkpoints {sorted(map(int, row['curve']))}, "
                                 f"this run asks for {curve_at}")


def build(args, argv=None, save=None, earlier=None) -> dict:
    """Run the table for parsed ``args`` and return the JSON-ready record; ``save(record)``, when given, is
    called after every row with ``"complete": False`` (so an interrupted run leaves the rows it finished; its
    ``cpu_seconds`` is None with ``--jobs`` > 1: worker processes still running are not counted by the OS yet).
    ``earlier``: a record of the same setup whose rows are kept (``--resume``)."""
    if args.trials < 2:
        raise ValueError(f"--trials must be >= 2 (a standard error needs two trials), got {args.trials}")
    if args.jobs < 1 or args.threads < 1:
        raise ValueError(f"--jobs and --threads must be >= 1, got {args.jobs} and {args.threads}")
    torch.set_num_threads(args.threads)
    trials = list(range(args.trials))
    curve_at = sorted(int(s) for s in args.curve if 0 < int(s) < args.steps)
    if earlier is not None:
        _check_resumable(earlier, args, curve_at)
    load0, t0 = os.getloadavg(), time.perf_counter()
    cpu0 = _cpu_seconds()

    def record(results, complete):
        return {
            "command": command_line("pacgan", argv),
            "wall_seconds": round(time.perf_counter() - t0, 1),
            "cpu_seconds": round(_cpu_seconds() - cpu0, 1) if complete or args.jobs == 1 else None,
            "jobs": args.jobs, "threads": args.threads, "load_average_start": load0, "load_average_end": os.getloadavg(),
            **machine(),
            "trials": trials, "threshold_std": 3.0, "config": asdict(PacConfig(steps=args.steps)),
            **({"remedies": list(args.remedies), "remedy_config": asdict(RemedyConfig())} if args.remedies else {}),
            "paper_steps": 400_000, "paper_table1": {d: {str(m): v for m, v in r.items()} for d, r in PAPER_TABLE1.items()},
            **({"earlier_runs": runs(earlier)} if earlier is not None else {}),
            "complete": complete, "results": results,
        }

    results = run_table1(trials, args.steps, args.packs, args.datasets, args.curve, log=partial(print, flush=True),
                         on_row=(lambda r: save(record(r, False))) if save else None, jobs=args.jobs,
                         threads=args.threads, remedies=tuple(args.remedies),
                         done=earlier["results"] if earlier is not None else None)
    return record(results, True)


def _write(path, record) -> None:
    atomic_write(path, lambda f: json.dump(record, f, indent=1), binary=False)


def _read_earlier(args):
    """The record ``--resume`` continues, or None; ``ValueError`` for an existing ``--out`` without ``--resume``
    or ``--force``, and for a ``--resume`` without a readable file."""
    out = Path(args.out)
    if args.resume:
        if not out.is_file():
            raise ValueError(f"--resume: {out} does not exist")
        try:
            earlier = json.loads(out.read_text())
            earlier["results"]
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(f"--resume: {out} is not a pacgan record ({e})") from None
        return earlier
    if out.exists() and not args.force:
        raise ValueError(f"{out} exists; pass --resume to keep its rows or --force to replace it")
    return None


def _cmd(args) -> int:
    try:
        record = build(args, save=lambda rec: _write(args.out, rec), earlier=_read_earlier(args))
    except ValueError as e:
        print(e)
        return 2
    _write(args.out, record)
    print(f"wrote {Path(args.out).name} in {record['wall_seconds']:.0f} s ({record['cpu_seconds']:.0f} CPU s)")
    return 0


def register(sub) -> None:
    p = sub.add_parser("pacgan", help="PacGAN Table 1 with the authors' nets: GAN, PacGAN2-4 on ring and grid (notebook 06)")
    options = {
        "--trials": dict(type=int, default=10, help="trials (seeds 0..N-1) per row (default 10, as the paper)"),
        "--steps": dict(type=int, default=400_000, help="training steps per trial (paper: 400,000)"),
        "--packs": dict(type=int, nargs="+", default=list(PACKS), help="packing degrees (1 = GAN)"),
        "--datasets": dict(nargs="+", choices=("ring", "grid"), default=["ring", "grid"]),
        "--curve": dict(type=int, nargs="*", default=[], help="also evaluate every trial at these steps"),
        "--remedies": dict(nargs="*", choices=ROW_REMEDIES, default=[],
                           help="also train every row with each of these remedies of notebook 06 (default: none; "
                                "madgan, madgan_sim and wide_g: packing degree 1 only)"),
        "--jobs": dict(type=int, default=2, help="rows trained at once, in separate processes (default 2)"),
        "--threads": dict(type=int, default=1, help="torch threads per process (default 1)"),
        "--out": dict(default=str(DEFAULT_OUT), help="JSON output (default data/results/pacgan_table1.json)"),
        "--resume": dict(action="store_true", help="keep the rows --out already holds and train only the others"),
        "--force": dict(action="store_true", help="replace an existing --out"),
    }
    for flag, kw in options.items():
        p.add_argument(flag, **kw)
    p.set_defaults(func=_cmd)
