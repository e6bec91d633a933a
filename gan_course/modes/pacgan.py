"""PacGAN's Table 1 reproduced with the authors' networks (Lin et al. 2018, "PacGAN: the power of two samples").

Taught in ``notebooks/06_mode_collapse.ipynb``; the committed run is ``data/results/pacgan_table1.json``,
written by ``python -m gan_course pacgan`` (:mod:`gan_course.tools.pacgan`).

The setup of the authors' code for the 2-D experiments:

- noise z ∈ R² (standard normal here);
- **G** 2 → 400 → 400 → 400 → 400 → 2; every hidden layer is linear *without bias*, then BatchNorm, then ReLU;
  the output layer is linear with a bias;
- **D** three maxout layers of 200 units × 5 pieces (a linear map to 1,000, then the max over each group of
  5), then linear to one logit; its input is m samples concatenated (``2·m`` numbers) for packing degree m
  (m = 1 is the plain GAN); weights N(0, 0.02²), biases 0 (G's weights too);
- non-saturating loss, Adam (lr 1e-4, β = (0.8, 0.999)), one D step per G step, a batch of 100 *packs*
  (100·m real and 100·m generated samples per step);
- a fixed training set of 100,000 samples per trial (the paper: 400 epochs of it, 400,000 steps at m = 1);
- 2,500 generated samples evaluated with :func:`gan_course.modes.coverage.mode_coverage` (3σ).

BatchNorm uses the statistics of the batch it sees, in training and when the 2,500 evaluation samples are made
(one batch), as TensorFlow code of the time typically did. Trials of one (m, data set) pair train together as
members of one batched net (the idea of :mod:`gan_course.modes.ensemble`): member e depends only on seed e.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class PacConfig:
    """The authors' settings (see the module docstring); ``steps`` is the one budget knob."""
    steps: int = field(default=400_000, metadata={"doc": "training steps per trial (the paper: 400 epochs)"})
    batch: int = field(default=100, metadata={"doc": "packs per step"})
    n_train: int = field(default=100_000, metadata={"doc": "fixed training samples per trial"})
    n_eval: int = field(default=2500, metadata={"doc": "generated samples evaluated"})
    z_dim: int = field(default=2, metadata={"doc": "noise dimension"})
    g_hidden: int = field(default=400, metadata={"doc": "generator width"})
    g_layers: int = field(default=4, metadata={"doc": "generator hidden layers (BatchNorm + ReLU, no bias)"})
    d_units: int = field(default=200, metadata={"doc": "maxout units per discriminator layer"})
    d_pieces: int = field(default=5, metadata={"doc": "pieces per maxout unit"})
    d_layers: int = field(default=3, metadata={"doc": "maxout layers"})
    lr: float = field(default=1e-4, metadata={"doc": "Adam's learning rate"})
    betas: tuple = field(default=(0.8, 0.999), metadata={"doc": "Adam's betas"})
    init_std: float = field(default=0.02, metadata={"doc": "std of the initial weights"})


def _normal(gens, *shape, std):
    return torch.stack([torch.randn(*shape, generator=g) * std for g in gens])


class PacGenerator(nn.Module):
    """E generators at once: ``[E, B, z_dim]`` → ``[E, B, 2]`` (linear without bias → BatchNorm → ReLU) × 4,
    then linear with bias. BatchNorm normalises each member over its own batch (dim 1)."""

    def __init__(self, cfg: PacConfig, seeds):
        super().__init__()
        gens = [torch.Generator().manual_seed(int(s) * 7919 + 1) for s in seeds]
        sizes = [cfg.z_dim] + [cfg.g_hidden] * cfg.g_layers
        E = len(gens)
        self.W = nn.ParameterList([nn.Parameter(_normal(gens, i, o, std=cfg.init_std)) for i, o in zip(sizes[:-1], sizes[1:])])
        self.gamma = nn.ParameterList([nn.Parameter(torch.ones(E, 1, o)) for o in sizes[1:]])
        self.beta = nn.ParameterList([nn.Parameter(torch.zeros(E, 1, o)) for o in sizes[1:]])
        self.W_out = nn.Parameter(_normal(gens, cfg.g_hidden, 2, std=cfg.init_std))
        self.b_out = nn.Parameter(torch.zeros(E, 1, 2))

    def forward(self, z):
        h = z
        for W, g, b in zip(self.W, self.gamma, self.beta):
            h = torch.bmm(h, W)
            mu, var = h.mean(1, keepdim=True), h.var(1, unbiased=False, keepdim=True)
            h = torch.relu((h - mu) * torch.rsqrt(var + 1e-5) * g + b)
        return torch.baddbmm(self.b_out, h, self.W_out)


class PacDiscriminator(nn.Module):
    """E discriminators at once: ``[E, B, 2·m]`` → ``[E, B, 1]``: three maxout layers (units × pieces), then
    linear to one logit."""

    def __init__(self, cfg: PacConfig, seeds, pack: int):
        super().__init__()
        gens = [torch.Generator().manual_seed(int(s) * 7919 + 2) for s in seeds]
        E, u, k = len(gens), cfg.d_units, cfg.d_pieces
        sizes = [2 * pack] + [u] * cfg.d_layers
        self.units, self.pieces = u, k
        self.W = nn.ParameterList([nn.Parameter(_normal(gens, i, u * k, std=cfg.init_std)) for i in sizes[:-1]])
        self.b = nn.ParameterList([nn.Parameter(torch.zeros(E, 1, u * k)) for _ in sizes[:-1]])
        self.W_out = nn.Parameter(_normal(gens, u, 1, std=cfg.init_std))
        self.b_out = nn.Parameter(torch.zeros(E, 1, 1))

    def forward(self, x):
        h = x
        for W, b in zip(self.W, self.b):
            h = torch.baddbmm(b, h, W)
            h = h.view(*h.shape[:2], self.units, self.pieces).amax(-1)
        return torch.baddbmm(self.b_out, h, self.W_out)


def pack(x: torch.Tensor, m: int) -> torch.Tensor:
    """``[E, B·m, 2]`` → ``[E, B, 2·m]``: m consecutive samples side by side (PacGAN's packing)."""
    E, n, d = x.shape
    if n % m:
        raise ValueError(f"{n} samples cannot be split into packs of {m}")
    return x.reshape(E, n // m, d * m)


def train_pacgan(mixture, seeds, pack_m: int, cfg: PacConfig, eval_at=(), threads: int | None = None) -> dict:
    """Train PacGAN with packing degree ``pack_m`` (1 = GAN) for every seed at once.

    Returns ``{"samples": [E, n_eval, 2] after cfg.steps, "curve": {step: [E, n_eval, 2]} for eval_at,
    "seconds": wall time}``. Evaluation samples use a fixed noise per seed.
    """
    if threads:
        torch.set_num_threads(threads)
    seeds = [int(s) for s in seeds]
    if len(set(seeds)) != len(seeds) or not seeds:
        raise ValueError(f"seeds must be distinct and non-empty, got {seeds}")
    if pack_m < 1:
        raise ValueError(f"packing degree must be >= 1, got {pack_m}")
    E, B = len(seeds), cfg.batch * pack_m
    gens = [torch.Generator().manual_seed(s * 7919 + 3) for s in seeds]
    train = torch.stack([mixture.sample(cfg.n_train, generator=g) for g in gens])  # [E, n_train, 2]
    eval_z = torch.stack([torch.randn(cfg.n_eval, cfg.z_dim, generator=torch.Generator().manual_seed(s * 7919 + 4))
                          for s in seeds])
    G, D = PacGenerator(cfg, seeds), PacDiscriminator(cfg, seeds, pack_m)
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg.lr, betas=cfg.betas)
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.lr, betas=cfg.betas)
    rngs = [torch.Generator().manual_seed(s * 7919 + 5 + pack_m) for s in seeds]  # member e: its own stream

    def randint(high, n):
        return torch.stack([torch.randint(high, (n,), generator=g) for g in rngs])

    def randn(n, d):
        return torch.stack([torch.randn(n, d, generator=g) for g in rngs])

    ar = torch.arange(E)[:, None]
    curve, t0 = {}, time.perf_counter()
    ones, zeros = torch.ones(E, cfg.batch, 1), torch.zeros(E, cfg.batch, 1)
    want = set(int(s) for s in eval_at)

    def sample_eval():
        with torch.no_grad():
            return G(eval_z)

    for step in range(1, cfg.steps + 1):
        idx = randint(cfg.n_train, B)
        real = pack(train[ar, idx], pack_m)
        fake = G(randn(B, cfg.z_dim))
        # D step (every member's loss is its own mean, summed over members)
        d_loss = E * (F.binary_cross_entropy_with_logits(D(real), ones) +
                      F.binary_cross_entropy_with_logits(D(pack(fake.detach(), pack_m)), zeros))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        # G step, non-saturating: -log D(G(z)), on fresh noise
        fake = G(randn(B, cfg.z_dim))
        g_loss = E * F.binary_cross_entropy_with_logits(D(pack(fake, pack_m)), ones)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        if step in want:
            curve[step] = sample_eval()
    return {"samples": sample_eval(), "curve": curve, "seconds": time.perf_counter() - t0}


def standard_error(values) -> float:
    """Sample standard deviation (ddof = 1) over √n: the paper's ± (standard error over trials)."""
    v = [float(x) for x in values]
    if len(v) < 2:
        return 0.0
    mu = sum(v) / len(v)
    return math.sqrt(sum((x - mu) ** 2 for x in v) / (len(v) - 1) / len(v))


# Lin et al. (2018), Table 1: modes (mean ± standard error), high-quality % and reverse KL, rows the course
# is sure of; PacGAN2 and PacGAN3 rows are not quoted.
PAPER_TABLE1 = {
    "ring": {1: {"modes": (6.3, 0.5), "high_quality": 0.982, "reverse_kl": 0.45},
             4: {"modes": (7.8, 0.1), "high_quality": 0.959, "reverse_kl": 0.07}},
    "grid": {1: {"modes": (17.3, 0.8), "high_quality": 0.948, "reverse_kl": 0.70},
             4: {"modes": (24.8, 0.2), "high_quality": 0.936, "reverse_kl": 0.04}},
}


PACKS = (1, 2, 3, 4)
N_KEEP = 500  # generated samples of the first trial stored per row (figures only)


def row_name(m: int) -> str:
    return "GAN" if m == 1 else f"PacGAN{m}"


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


def run_table1(trials, steps: int, packs=PACKS, datasets=("ring", "grid"), curve_at=(), log=print,
               on_row=None) -> dict:
    """Every (data set, packing degree) row of Table 1 for ``trials`` (seeds), ``steps`` each.

    Returns ``{dataset: {row name: {"pack", "per_trial", "mean", "se", "seconds", "curve", "samples_first_trial"}}}``;
    ``curve`` maps each step of ``curve_at`` to the per-trial figures then (3σ metrics only).
    ``on_row(results so far)`` is called after every row (the command saves the file there).
    """
    from gan_course.modes.table import mixture as get_mixture
    cfg = PacConfig(steps=int(steps))
    curve_at = sorted(int(s) for s in curve_at if 0 < int(s) < steps)
    out = {}
    for d in datasets:
        mix = get_mixture(d)
        out[d] = {}
        for m in packs:
            r = train_pacgan(mix, trials, m, cfg, eval_at=curve_at)
            per = evaluate(r["samples"], mix)
            row = {"pack": m, "per_trial": per, **summarise(per), "seconds": round(r["seconds"], 1),
                   "curve": {str(st): evaluate(s, mix, with_pr=False) for st, s in r["curve"].items()},
                   "samples_first_trial": [[round(float(v), 4) for v in p] for p in r["samples"][0, :N_KEEP]]}
            out[d][row_name(m)] = row
            mu, se = row["mean"], row["se"]
            log(f"{d:<5} {row_name(m):<8} modes {mu['modes']:5.2f} ± {se['modes']:4.2f}  high-quality "
                f"{100 * mu['high_quality']:5.1f} %  reverse KL {mu['reverse_kl']:.3f}  precision "
                f"{mu['precision']:.2f} recall {mu['recall']:.2f}  ({row['seconds']:.0f} s)")
            if on_row:
                on_row(out)
    return out
