"""PacGAN's Table 1 reproduced with the authors' networks (Lin et al. 2018, "PacGAN: the power of two samples").

Taught in ``notebooks/06_mode_collapse.ipynb``; the committed run is ``data/results/pacgan_table1.json``,
written by ``python -m gan_course pacgan`` (:mod:`gan_course.tools.pacgan`).

The setup of the authors' code for the 2-D experiments (github.com/fjxmlzn/PacGAN,
``synthetic_data_experiments``, built on the ALI code of Dumoulin et al. 2017):

- noise z ∈ R², standard normal;
- **G** 2 → 400 → 400 → 400 → 400 → 2; every hidden layer is linear *without bias*, then BatchNorm, then ReLU;
  the output layer is linear with a bias;
- **D** three maxout layers of 200 units × 5 pieces (a linear map to 1,000, then the max over each group of
  5), then linear to one logit; its input is m samples concatenated (``2·m`` numbers) for packing degree m
  (m = 1 is the plain GAN); weights N(0, 0.02²), biases 0 (G's weights too);
- **data**: 100,000 samples per trial; the training set is 100,000 *packs*, pack position j holding the samples
  at m independent random indices; each epoch shuffles the packs and walks through them 100 at a time
  (1,000 steps per epoch for every m; the paper trains 400 epochs = 400,000 steps);
- **one step** (ALI's ``ali_algorithm``): one forward pass on a batch of 100 real packs and 100 generated packs
  (pack position j made from its own 100 noise vectors, so G's BatchNorm sees 100 samples at a time);
  D's gradient of  softplus(−D(x)) + softplus(D(G(z)))  and G's gradient of the non-saturating
  softplus(−D(G(z))) are both taken at the same parameters and applied together (simultaneous updates),
  Adam (lr 1e-4, β = (0.8, 0.999) in PyTorch's convention, which Blocks' Adam follows since 2017) for each;
- **sampling for evaluation** uses BatchNorm's population statistics: running averages of the training
  batches' means and standard deviations, ``p ← 0.95·p + 0.05·batch`` each step (blocks' inference mode);
- 2,500 generated samples evaluated with :func:`gan_course.modes.coverage.mode_coverage` (3σ: a mode is
  captured by one sample within 3σ, as the authors' ``MetricLogger``).

Trials of one (m, data set) pair train together as members of one batched net (the idea of
:mod:`gan_course.modes.ensemble`): member e depends only on seed e. The training step itself, and the same step
with one of notebook 06's remedies, are in :mod:`gan_course.modes.pacsteps`; the nets in
:mod:`gan_course.modes.pacnets`; MAD-GAN's rows in :mod:`gan_course.modes.pacmad`. :func:`row_parts` says what each
row of ``python -m gan_course pacgan --remedies ...`` (``data/results/pacgan_remedies.json``) trains with.
"""

from __future__ import annotations

import math
import time
from functools import partial

import torch

from gan_course.modes.madgan import mode_ownership
from gan_course.modes.pacmad import MadDiscriminator, MadGenerators, MadStep
from gan_course.modes.pacnets import (  # noqa: F401 (minibatch_std: public API)
    PacConfig,
    PacDiscriminator,
    PacGenerator,
    PacStdDiscriminator,
    WidePacGenerator,
    minibatch_std,
)
from gan_course.modes.pacsteps import (  # noqa: F401 (pack: public API)
    REMEDIES,
    RemedyConfig,
    RemedyStep,
    UnrolledStep,
    WganGpStep,
    centre_spread,
    pack,
    simultaneous_step,
)


def packed_training_set(mixture, n: int, m: int, generator) -> torch.Tensor:
    """``[n, 2·m]``: n samples of ``mixture``, and n packs whose position j holds the sample at an independent
    random index (with replacement), as the authors' ``GaussianPackingMixture``."""
    base = mixture.sample(n, generator=generator)
    ids = torch.randint(n, (m, n), generator=generator)
    return torch.cat([base[i] for i in ids], dim=1)


def players(cfg: PacConfig, seeds, pack_m: int, discriminator=PacDiscriminator, generator=PacGenerator,
            betas: tuple | None = None):
    """``(G, D, opt_g, opt_d)`` as a row trains them: ``generator(cfg, seeds)``, ``discriminator(cfg, seeds,
    pack_m)`` and an Adam for each with ``cfg.lr`` and ``betas`` (default ``cfg.betas``, the authors')."""
    G, D = generator(cfg, seeds), discriminator(cfg, seeds, pack_m)
    betas = tuple(betas or cfg.betas)
    return (G, D, torch.optim.Adam(G.parameters(), lr=cfg.lr, betas=betas),
            torch.optim.Adam(D.parameters(), lr=cfg.lr, betas=betas))


def train_pacgan(mixture, seeds, pack_m: int, cfg: PacConfig, eval_at=(), threads: int | None = None,
                 step=simultaneous_step, discriminator=PacDiscriminator, generator=PacGenerator,
                 betas: tuple | None = None) -> dict:
    """Train PacGAN with packing degree ``pack_m`` (1 = GAN) for every seed at once, as the authors' code does
    (module docstring). ``step(G, D, opt_g, opt_d, real, z, m)`` is one training step: the authors'
    (:func:`~gan_course.modes.pacsteps.simultaneous_step`) or one with a remedy
    (:class:`~gan_course.modes.pacsteps.RemedyStep`, ...); ``discriminator``, ``generator`` and ``betas`` build
    the players (:func:`players`; the authors' or a row's: :func:`row_parts`).

    Returns ``{"samples": [E, n_eval, 2] after cfg.steps, "curve": {step: [E, n_eval, 2]} for eval_at,
    "seconds": wall time}``. Evaluation samples use a fixed noise per seed and BatchNorm's population statistics.
    """
    if threads:
        torch.set_num_threads(threads)
    seeds = [int(s) for s in seeds]
    if len(set(seeds)) != len(seeds) or not seeds:
        raise ValueError(f"seeds must be distinct and non-empty, got {seeds}")
    if pack_m < 1:
        raise ValueError(f"packing degree must be >= 1, got {pack_m}")
    if cfg.n_train % cfg.batch:
        raise ValueError(f"n_train ({cfg.n_train}) must be a multiple of batch ({cfg.batch})")
    E, B = len(seeds), cfg.batch
    gens = [torch.Generator().manual_seed(s * 7919 + 3) for s in seeds]
    train = torch.stack([packed_training_set(mixture, cfg.n_train, pack_m, g) for g in gens])  # [E, n, 2m]
    eval_z = torch.stack([torch.randn(cfg.n_eval, cfg.z_dim, generator=torch.Generator().manual_seed(s * 7919 + 4))
                          for s in seeds])
    G, D, opt_g, opt_d = players(cfg, seeds, pack_m, discriminator, generator, betas)
    rngs = [torch.Generator().manual_seed(s * 7919 + 5 + pack_m) for s in seeds]  # member e: its own stream
    ar = torch.arange(E)[:, None]
    per_epoch = cfg.n_train // B
    curve, t0 = {}, time.perf_counter()
    want = {int(s) for s in eval_at}

    def sample_eval():
        G.eval()
        with torch.no_grad():
            out = G(eval_z)
        G.train()
        return out

    for t in range(1, cfg.steps + 1):
        if (t - 1) % per_epoch == 0:   # a new epoch: every member shuffles its packs
            order = torch.stack([torch.randperm(cfg.n_train, generator=g) for g in rngs])
        i = (t - 1) % per_epoch
        real = train[ar, order[:, i * B:(i + 1) * B]]                             # [E, B, 2m]
        z = torch.stack([torch.randn(pack_m * B, cfg.z_dim, generator=g) for g in rngs])
        step(G, D, opt_g, opt_d, real, z, pack_m)
        if t in want:
            curve[t] = sample_eval()
    return {"samples": sample_eval(), "curve": curve, "seconds": time.perf_counter() - t0}


def standard_error(values) -> float:
    """Sample standard deviation (ddof = 1) over √n: the paper's ± (standard error over trials)."""
    v = [float(x) for x in values]
    if len(v) < 2:
        return 0.0
    mu = sum(v) / len(v)
    return math.sqrt(sum((x - mu) ** 2 for x in v) / (len(v) - 1) / len(v))


# Lin et al. (2018), Table 1 (as printed in the paper and in the authors' repository, results/Table1.png):
# mean ± standard error over 10 trials of modes captured, high-quality share and reverse KL, per packing degree.
PAPER_TABLE1 = {
    "ring": {1: {"modes": (6.3, 0.5), "high_quality": (0.982, 0.002), "reverse_kl": (0.45, 0.09)},
             2: {"modes": (7.9, 0.1), "high_quality": (0.956, 0.020), "reverse_kl": (0.07, 0.03)},
             3: {"modes": (7.8, 0.1), "high_quality": (0.977, 0.003), "reverse_kl": (0.10, 0.02)},
             4: {"modes": (7.8, 0.1), "high_quality": (0.959, 0.014), "reverse_kl": (0.07, 0.02)}},
    "grid": {1: {"modes": (17.3, 0.8), "high_quality": (0.948, 0.007), "reverse_kl": (0.70, 0.07)},
             2: {"modes": (23.8, 0.7), "high_quality": (0.913, 0.008), "reverse_kl": (0.13, 0.04)},
             3: {"modes": (24.6, 0.4), "high_quality": (0.942, 0.004), "reverse_kl": (0.06, 0.02)},
             4: {"modes": (24.8, 0.2), "high_quality": (0.936, 0.006), "reverse_kl": (0.04, 0.01)}},
}


PACKS = (1, 2, 3, 4)
N_KEEP = 500  # generated samples of the first trial stored per row (figures only)
MAD_ROWS = {"madgan": "MAD-GAN", "madgan_sim": "MAD-GAN-Sim"}   # rows of :mod:`gan_course.modes.pacmad`
CONTROL_ROWS = {"wide_g": "GAN, wide G"}                         # the GAN with MAD-GAN's generator weights
WGAN_ROWS = {"wgan_gp": "WGAN-GP",                               # :class:`~gan_course.modes.pacsteps.WganGpStep`
             "wgan_gp_toy": "WGAN-GP, λ = 0.1"}                   # with the penalty weight of the authors' toy script
ROW_REMEDIES = (*REMEDIES, *MAD_ROWS, *CONTROL_ROWS, *WGAN_ROWS,  # what ``pacgan --remedies`` accepts
                "unrolled")                                       # :class:`~gan_course.modes.pacsteps.UnrolledStep`
GAN_ONLY = {**MAD_ROWS, **CONTROL_ROWS, **WGAN_ROWS}             # rows with packing degree 1 only


def row_name(m: int, remedy: str | None = None) -> str:
    """"GAN", "PacGAN4", "GAN + label smoothing", ..., "MAD-GAN", "MAD-GAN-Sim", "GAN, wide G", "WGAN-GP",
    "WGAN-GP, λ = 0.1"."""
    if remedy in GAN_ONLY:
        if m != 1:
            raise ValueError(f"{GAN_ONLY[remedy]} uses packing degree 1, got {m}")
        return GAN_ONLY[remedy]
    name = "GAN" if m == 1 else f"PacGAN{m}"
    return f"{name} + {remedy.replace('_', ' ')}" if remedy else name


PROVENANCE = ("command", "wall_seconds", "cpu_seconds", "jobs", "threads", "cpu_model", "cpu_capability", "torch",
              "finished_utc")


def runs(record: dict) -> list[dict]:
    """The runs that made a record of ``python -m gan_course pacgan``, oldest first: the parts listed in its
    ``earlier_runs`` (a run continued with ``--resume``), then the record's own run, each with its
    :data:`PROVENANCE` and ``rows`` (``"ring: GAN"``, ...), the rows that run trained."""
    earlier = record.get("earlier_runs", [])
    before = {r for run in earlier for r in run["rows"]}
    own = [f"{d}: {name}" for d, rows in record["results"].items() for name in rows if f"{d}: {name}" not in before]
    return [*earlier, {**{k: record.get(k) for k in PROVENANCE}, "rows": own}]


def evaluate(samples, mixture, with_pr: bool = True) -> list[dict]:
    """Per trial: modes, high quality, reverse KL (3σ) and, with ``with_pr``, precision and recall
    (:func:`gan_course.modes.baselines.precision_recall`, against 2,500 real points of a fixed seed)."""
    from gan_course.modes.baselines import precision_recall
    from gan_course.modes.coverage import mode_coverage
    real = mixture.sample(len(samples[0]), generator=torch.Generator().manual_seed(12345))
    out = []
    for s in samples:
        r = mode_coverage(s, mixture.centers, mixture.std)
        row = {k: r[k] for k in ("modes", "high_quality", "reverse_kl")}
        if with_pr:
            row["precision"], row["recall"] = precision_recall(real, s)
        out.append(row)
    return out


def summarise(per_trial: list[dict]) -> dict:
    """Mean and standard error (ddof = 1, over √n) of every figure."""
    keys = per_trial[0].keys()
    return {"mean": {k: sum(r[k] for r in per_trial) / len(per_trial) for k in keys},
            "se": {k: standard_error([r[k] for r in per_trial]) for k in keys}}


def discriminator_for(remedy: str | None, cfg: RemedyConfig | None = None):
    """The discriminator a row trains (a callable ``(cfg, seeds, m)``): :class:`PacStdDiscriminator` for
    ``minibatch_std`` (groups of ``cfg.std_group``, default :class:`RemedyConfig`'s), the authors'
    :class:`PacDiscriminator` for every other row."""
    if remedy == "minibatch_std":
        return partial(PacStdDiscriminator, group=(cfg or RemedyConfig()).std_group)
    return PacDiscriminator


def row_parts(remedy: str | None, seeds, steps: int, spread: float = 1.0, cfg: RemedyConfig | None = None) -> dict:
    """What a row trains with, as keyword arguments of :func:`train_pacgan`: ``step``, ``discriminator``,
    ``generator`` and ``betas``. The authors' for ``None``; :class:`~gan_course.modes.pacsteps.RemedyStep` and
    :func:`discriminator_for` for a remedy of :data:`~gan_course.modes.pacsteps.REMEDIES` (``spread``: instance
    noise's scale, :func:`~gan_course.modes.pacsteps.centre_spread`); :mod:`gan_course.modes.pacmad`'s nets and
    step for ``madgan`` and ``madgan_sim``; the authors' step and D with a :class:`WidePacGenerator` of MAD-GAN's
    weights for ``wide_g``; :class:`~gan_course.modes.pacsteps.WganGpStep` with the authors' nets and WGAN-GP's
    betas for ``wgan_gp`` (penalty weight ``cfg.gp_weight``) and ``wgan_gp_toy`` (``cfg.toy_gp_weight``, the λ of
    Gulrajani et al.'s ``gan_toy.py``); :class:`~gan_course.modes.pacsteps.UnrolledStep` (``cfg.unroll`` steps) with the
    authors' nets for ``unrolled``. Constants from ``cfg`` (default :class:`RemedyConfig`); ``betas`` None means the
    authors'."""
    cfg = cfg or RemedyConfig()
    if remedy == "unrolled":
        return {"step": UnrolledStep(cfg.unroll), "discriminator": PacDiscriminator, "generator": PacGenerator,
                "betas": None}
    if remedy in WGAN_ROWS:
        weight = cfg.toy_gp_weight if remedy == "wgan_gp_toy" else cfg.gp_weight
        return {"step": WganGpStep(seeds, cfg.n_critic, weight), "discriminator": PacDiscriminator,
                "generator": PacGenerator, "betas": cfg.wgan_betas}
    if remedy in CONTROL_ROWS:
        return {"step": simultaneous_step, "discriminator": PacDiscriminator,
                "generator": partial(WidePacGenerator, width=cfg.wide_g_hidden), "betas": None}
    if remedy in MAD_ROWS:
        return {"step": MadStep(cfg.sim_weight if remedy == "madgan_sim" else 0.0),
                "discriminator": partial(MadDiscriminator, k=cfg.madgan_k),
                "generator": partial(MadGenerators, k=cfg.madgan_k), "betas": None}
    step = RemedyStep(remedy, seeds, int(steps), spread=spread, cfg=cfg) if remedy else simultaneous_step
    return {"step": step, "discriminator": discriminator_for(remedy, cfg), "generator": PacGenerator, "betas": None}


def ownership(samples, mixture, k: int) -> list[dict]:
    """Per trial, which of the k generators holds which mode (:func:`gan_course.modes.madgan.mode_ownership`):
    ``samples`` ``[E, n, 2]`` with sample i made by generator i mod k (:class:`MadGenerators`)."""
    labels = torch.arange(samples.shape[1]) % k
    return [mode_ownership(s, labels, mixture.centers, mixture.std, k) for s in samples]


def run_row(dataset: str, m: int, trials, steps: int, curve_at=(), threads: int | None = None,
            remedy: str | None = None) -> dict:
    """One row of Table 1: packing degree ``m`` on ``dataset`` for every trial (seed) at once, ``steps`` each;
    with ``remedy`` (one of :data:`ROW_REMEDIES`), what :func:`row_parts` gives instead of the authors' step.

    Returns ``{"pack", "remedy", "per_trial", "mean", "se", "seconds", "curve", "samples_first_trial"}``, and for
    MAD-GAN's rows ``"ownership"`` (per trial, :func:`ownership`); ``curve`` maps each step of ``curve_at`` to the
    per-trial figures then (3σ metrics only)."""
    from gan_course.modes.table import mixture as get_mixture
    mix = get_mixture(dataset)
    row_name(m, remedy)                                    # rows of GAN_ONLY: packing degree 1 only
    cfg = RemedyConfig()
    parts = row_parts(remedy, trials, int(steps), spread=centre_spread(mix), cfg=cfg)
    r = train_pacgan(mix, trials, m, PacConfig(steps=int(steps)), eval_at=curve_at, threads=threads, **parts)
    per = evaluate(r["samples"], mix)
    out = {"pack": m, "remedy": remedy, "per_trial": per, **summarise(per), "seconds": round(r["seconds"], 1),
           "curve": {str(st): evaluate(s, mix, with_pr=False) for st, s in r["curve"].items()},
           "samples_first_trial": [[round(float(v), 4) for v in p] for p in r["samples"][0, :N_KEEP]]}
    if remedy in MAD_ROWS:
        out["ownership"] = ownership(r["samples"], mix, cfg.madgan_k)
    return out


def _row_task(args):
    d, m, trials, steps, curve_at, threads, remedy = args
    return (d, m, remedy), run_row(d, m, trials, steps, curve_at, threads, remedy)


def run_table1(trials, steps: int, packs=PACKS, datasets=("ring", "grid"), curve_at=(), log=print,
               on_row=None, jobs: int = 1, threads: int = 1, remedies=(), done=None) -> dict:
    """Every (data set, packing degree) row of Table 1 (:func:`run_row`), each also with every one of ``remedies``
    (:data:`ROW_REMEDIES`), in ``jobs`` processes of ``threads`` threads each (a row's
    result does not depend on ``jobs``, nor on which other rows run). Rows already in ``done`` (the same format as
    the result, from an earlier run with the same trials and steps) are kept and not trained again.

    Returns ``{dataset: {row name: row}}``. ``on_row(results so far)`` is called after every row (the command
    saves the file there).
    """
    from gan_course.modes.table import mixture as get_mixture
    for d in datasets:
        get_mixture(d)
    if jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    for r in remedies:
        if r not in ROW_REMEDIES:
            raise ValueError(f"unknown remedy {r!r}; allowed: {', '.join(ROW_REMEDIES)}")
        if r in GAN_ONLY and set(packs) != {1}:
            raise ValueError(f"{r} rows use packing degree 1 only: run them with packs (1,), got {tuple(packs)}")
    variants = (None, *remedies)
    curve_at = sorted(int(s) for s in curve_at if 0 < int(s) < steps)
    earlier = done or {}
    rows = {(d, m, r): earlier[d][row_name(m, r)] for d in datasets for m in packs for r in variants
            if row_name(m, r) in earlier.get(d, {})}
    # the widest packs first (the slowest rows), so that the processes finish together
    tasks = [(d, m, list(trials), int(steps), curve_at, threads, r)
             for m in sorted(packs, reverse=True) for r in variants for d in datasets if (d, m, r) not in rows]

    def record(key, row):
        rows[key] = row
        mu, se = row["mean"], row["se"]
        log(f"{key[0]:<5} {row_name(key[1], key[2]):<8} modes {mu['modes']:5.2f} ± {se['modes']:4.2f}  high-quality "
            f"{100 * mu['high_quality']:5.1f} %  reverse KL {mu['reverse_kl']:.3f}  precision "
            f"{mu['precision']:.2f} recall {mu['recall']:.2f}  ({row['seconds']:.0f} s)")
        if on_row:
            on_row(ordered())

    def ordered():
        return {d: {row_name(m, r): rows[(d, m, r)] for m in packs for r in variants if (d, m, r) in rows}
                for d in datasets}

    if jobs == 1:
        for t in tasks:
            record(*_row_task(t))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for fut in as_completed([pool.submit(_row_task, t) for t in tasks]):
                record(*fut.result())
    return ordered()
