"""The mode-collapse table of notebook 06: every method × ring, grid × seeds, computed and read.

Setup of PacGAN's Table 1 (Lin et al. 2018): ring of 8 Gaussians (radius 1, std 0.01) and grid
of 25 (at {−4, −2, 0, 2, 4}², std 0.05), 2,500 generated samples evaluated per run with
:func:`gan_course.modes.coverage.mode_coverage` (modes captured, high-quality fraction, reverse KL).
Methods: :data:`gan_course.modes.remedies.METHODS`; seeds of one method train together
(:mod:`gan_course.modes.ensemble`); (method, data set) pairs run in ``--jobs`` processes of one thread.

``python -m gan_course modes`` (:mod:`gan_course.tools.modes_table`) writes the table as JSON with the exact
command, its wall time, the machine's load, the configuration, and per-seed plus mean ± std figures; the
committed copy is ``data/results/modes_table.json``, which the notebook loads (:func:`load_table`,
:func:`format_table`) and partly re-runs.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from gan_course.config import repo_path

DEFAULT_OUT = repo_path("data", "results", "modes_table.json")
DATASETS = ("ring", "grid")
KEYS = ("modes", "high_quality", "reverse_kl")
N_KEEP = 500  # samples of the first seed stored per run (figure only; the figures use all n_eval)


def mixture(name: str):
    """PacGAN's ring or grid (``gan_course.toy.ring()`` / ``grid()`` with their defaults)."""
    from gan_course import toy
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; allowed: {', '.join(DATASETS)}")
    return toy.ring() if name == "ring" else toy.grid()


def evaluate(samples, mix, threshold: float = 3.0) -> list[dict]:
    """:func:`gan_course.modes.coverage.mode_coverage` of each seed's samples ``[E, n, 2]`` (without counts)."""
    from gan_course.modes.coverage import mode_coverage
    out = []
    for s in samples:
        r = mode_coverage(s, mix.centers, mix.std, threshold)
        out.append({k: r[k] for k in KEYS})
    return out


def summarise(per_seed: list[dict]) -> dict:
    """Mean and (sample, ddof=1) standard deviation over seeds of each figure."""
    arr = {k: np.array([r[k] for r in per_seed], dtype=float) for k in KEYS}
    return {"mean": {k: float(v.mean()) for k, v in arr.items()},
            "std": {k: float(v.std(ddof=1)) if len(v) > 1 else 0.0 for k, v in arr.items()}}


def run_one(method: str, dataset: str, seeds, cfg, n_eval: int = 2500, threads: int | None = None) -> dict:
    """Train ``method`` on ``dataset`` for all ``seeds`` at once; per-seed figures + summary + seconds."""
    import torch

    from gan_course.modes.remedies import train_method
    if threads:
        torch.set_num_threads(threads)
    mix = mixture(dataset)
    t0 = time.perf_counter()
    out = train_method(method, mix, seeds, cfg, n_eval=n_eval, progress=False)
    per_seed = evaluate(out["samples"], mix)
    keep = out["samples"][0, :N_KEEP]  # a few samples of the first seed, for the notebook's figure
    return {"per_seed": per_seed, **summarise(per_seed), "seconds": round(time.perf_counter() - t0, 1),
            "samples_first_seed": np.round(keep.numpy().astype(float), 4).tolist(),
            "labels_first_seed": None if out["labels"] is None else out["labels"][0, :N_KEEP].tolist()}


def _task(args):
    return args[:2], run_one(*args, threads=1)


def run_table(seeds, methods=None, datasets=DATASETS, cfg=None, n_eval: int = 2500, jobs: int = 2,
              log=print) -> dict:
    """Every (data set, method) pair for ``seeds``; returns ``{dataset: {method: result}}``."""
    from gan_course.modes.remedies import METHODS, ToyConfig
    methods = list(methods or METHODS)
    bad = [m for m in methods if m not in METHODS]
    if bad:
        raise ValueError(f"unknown method(s) {bad}; allowed: {', '.join(METHODS)}")
    for d in datasets:
        mixture(d)
    cfg = cfg or ToyConfig()
    # slowest first, so the two processes finish together
    order = sorted([(m, d) for d in datasets for m in methods],
                   key=lambda md: -{"unrolled": 7, "wgan_gp": 5}.get(md[0], 1))
    results = {d: {} for d in datasets}
    tasks = [(m, d, list(seeds), cfg, n_eval) for m, d in order]
    if jobs <= 1:
        done = (_task(t) for t in tasks)
    else:
        pool = ProcessPoolExecutor(max_workers=jobs)
        done = pool.map(_task, tasks)
    for (m, d), r in done:
        results[d][m] = r
        mu, sd = r["mean"], r["std"]
        log(f"{d:<5} {m:<16} modes {mu['modes']:5.2f} ± {sd['modes']:4.2f}   high-quality "
            f"{100 * mu['high_quality']:5.1f} ± {100 * sd['high_quality']:4.1f} %   reverse KL "
            f"{mu['reverse_kl']:.3f} ± {sd['reverse_kl']:.3f}   ({r['seconds']:.0f} s)")
    if jobs > 1:
        pool.shutdown()
    return {d: {m: results[d][m] for m in methods} for d in datasets}


def load_table(path=DEFAULT_OUT) -> dict:
    """The JSON written by ``python -m gan_course modes`` (default: the committed table)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path.name} not found; make it with `python -m gan_course modes --seeds 5`")
    return json.loads(path.read_text())


def format_table(table: dict) -> str:
    """The table as aligned text: one row per method, mean ± std over seeds, ring then grid."""
    res = table["results"]
    ds = list(res)
    head = f"{'method':<16}" + "".join(f"| {d + ' modes':>14} {'high-q %':>12} {'rev. KL':>13} " for d in ds)
    lines = [head, "-" * len(head)]
    for m in res[ds[0]]:
        row = f"{m:<16}"
        for d in ds:
            mu, sd = res[d][m]["mean"], res[d][m]["std"]
            row += (f"| {mu['modes']:6.2f} ± {sd['modes']:5.2f} {100 * mu['high_quality']:5.1f} ± "
                    f"{100 * sd['high_quality']:4.1f} {mu['reverse_kl']:5.3f} ± {sd['reverse_kl']:5.3f} ")
        lines.append(row)
    return "\n".join(lines)
