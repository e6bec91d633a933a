"""``python -m gan_course bench --pacgan``: the time per training step of every row of notebook 06's run on
PacGAN's authors' setup (the plain GAN, each remedy, MAD-GAN, MAD-GAN-Sim, the wide-G control, WGAN-GP), side by side
in one process. A WGAN-GP step is one critic step (a generator step every fifth).

Each row is built as ``python -m gan_course pacgan`` builds it (:func:`gan_course.modes.pacgan.row_parts`), with
``trials`` trials at once on the ring; the rows take turns, ``steps`` steps at a time, ``repeats`` times, so that a
change in the machine's load touches every row alike. Reported: the median seconds per step and its ratio to the
plain GAN's. ``docs/benchmarks.md`` has the current figures.
"""

from __future__ import annotations

import statistics
import time

import torch

from gan_course.modes.pacgan import ROW_REMEDIES, PacConfig, players, row_name, row_parts
from gan_course.modes.pacsteps import centre_spread
from gan_course.modes.table import mixture


def run_pac_steps(trials: int = 5, steps: int = 20, repeats: int = 3, remedies=(None, *ROW_REMEDIES)) -> dict:
    """``{"rows": {row name: {"seconds_per_step", "ratio"}}, "trials", "steps", "repeats", "threads"}``: the median
    over ``repeats`` of ``steps`` timed steps per row (after one untimed step), ratio to the first row's."""
    if trials < 1 or steps < 1 or repeats < 1:
        raise ValueError(f"trials, steps and repeats must be >= 1, got {trials}, {steps}, {repeats}")
    mix, cfg, seeds = mixture("ring"), PacConfig(steps=steps * repeats + 1), list(range(trials))
    gen = torch.Generator().manual_seed(0)
    real = mix.sample(cfg.batch * trials, generator=gen).view(trials, cfg.batch, 2)
    z = torch.randn(trials, cfg.batch, cfg.z_dim, generator=gen)
    runs = {}
    for remedy in remedies:
        parts = row_parts(remedy, seeds, cfg.steps, spread=centre_spread(mix))
        args = (*players(cfg, seeds, 1, parts["discriminator"], parts["generator"], parts["betas"]), real, z, 1)
        parts["step"](*args)                                            # warm-up
        runs[row_name(1, remedy)] = (parts["step"], args, [])
    for _ in range(repeats):
        for step, args, times in runs.values():
            t = time.perf_counter()
            for _ in range(steps):
                step(*args)
            times.append((time.perf_counter() - t) / steps)
    medians = {name: statistics.median(times) for name, (_, _, times) in runs.items()}
    first = next(iter(medians.values()))
    return {"rows": {n: {"seconds_per_step": s, "ratio": s / first} for n, s in medians.items()},
            "trials": trials, "steps": steps, "repeats": repeats, "threads": torch.get_num_threads()}


def format_pac_steps(res: dict) -> str:
    """:func:`run_pac_steps`'s result as a text table."""
    title = (f"PacGAN's ring setup, {res['trials']} trials at once, {res['threads']} thread(s): median of "
             f"{res['repeats']} × {res['steps']} steps")
    lines = [title, f"{'row':<24} {'s/step':>8} {'× GAN':>7}"]
    lines += [f"{n:<24} {r['seconds_per_step']:8.3f} {r['ratio']:7.2f}" for n, r in res["rows"].items()]
    return "\n".join(lines)
