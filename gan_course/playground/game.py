"""The game the playground plays: a 2-D GAN whose every setting can change between two steps.

Taught in ``notebooks/11_playground.ipynb``. :class:`Game` holds the data, the two networks, their optimisers
and the history; :class:`Settings` holds every knob. The widget (:mod:`gan_course.playground.widget`) and a
script call the same methods: :meth:`Game.step_d`, :meth:`Game.step_g`, :meth:`Game.step`, :meth:`Game.update`.

**Networks**: the batched MLP of notebook 06 (:class:`gan_course.modes.ensemble.BatchedMLP`, one member),
ReLU between layers; 0–5 hidden layers of one width per player. The defaults are notebook 06's toy nets
(:class:`gan_course.modes.toynets.ToyConfig`: G 8 → 64 → 64 → 64 → 2, D 2 → 64 → 64 → 1, Adam with
lr 10⁻³ and β = (0.5, 0.999), batch 128).

**Losses** (on D's raw output l; ``gan_course.losses`` where it has them):

- ``minimax``: Goodfellow et al. (2014), eq. 1; L_G = E[log(1 − D(G(z)))] (``losses`` kind ``saturating``);
- ``non_saturating``: L_G = −E[log D(G(z))] (same paper, §3);
- ``least_squares``: LSGAN, Mao et al. (2017);
- ``hinge``: L_D = E[max(0, 1 − l(x))] + E[max(0, 1 + l(G(z)))], L_G = −E[l(G(z))] (Lim & Ye 2017; Miyato et
  al. 2018) — :func:`hinge_d_loss`, :func:`hinge_g_loss`;
- ``wgan_gp``: Wasserstein critic with the gradient penalty of weight ``gp_weight`` (Gulrajani et al. 2017;
  :func:`gan_course.losses.gradient_penalty`).

**Remedies** (notebook 06's, :mod:`gan_course.modes.remedies`): ``instance_noise`` σ (a fraction of the data's
spread, the centres' RMS norm) added to D's real and fake inputs (constant here: move the slider to anneal it);
``smoothing``: D's target for real data is 1 − smoothing (one-sided; the two log losses only); ``pack`` m: D
judges m samples side by side (PacGAN, Lin et al. 2018; the batch of B samples becomes B/m packs); ``unroll`` k:
G's loss uses D after k unrolled Adam steps (Metz et al. 2017; needs Adam for D and the minimax, non-saturating
or least-squares loss); ``r1`` γ: the penalty γ/2·E[‖∇ₓD(x)‖²] on real data (Mescheder et al. 2018).

**Views** need three more things, each a method: D's output on a grid (:meth:`Game.d_on`), G's manifold
(:meth:`Game.manifold`: a grid in the first two noise coordinates warped by G, the others 0) and the generator's
gradient arrows (:func:`generator_arrows`: −∇ₓ of each sample's own generator loss, the way G would like to move it).

**Charts**: :meth:`Game.metrics` — both losses, the mode metric of :mod:`gan_course.modes.coverage` with its noise
baseline (:func:`gan_course.playground.data.noise_baseline`), and the JSD and KL(p_data ‖ p_g) estimated from
histograms on a grid (:func:`grid_divergences`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import torch
import torch.nn.functional as F

from gan_course.losses import d_loss, g_loss, gradient_penalty, smoothed_d_loss
from gan_course.modes.coverage import mode_coverage
from gan_course.modes.ensemble import BatchedMLP, mlp_forward
from gan_course.modes.remedies import pack, unrolled_d_params
from gan_course.modes.toynets import ToyConfig
from gan_course.playground.data import DATASETS, make_data, noise_baseline, view_bounds
from gan_course.toy import Mixture2D
from gan_course.train import set_lr

LOSSES = ("minimax", "non_saturating", "least_squares", "hinge", "wgan_gp")
OPTIMISERS = ("adam", "sgd", "rmsprop")
NOISES = ("gaussian", "uniform")
LOG_LOSSES = ("minimax", "non_saturating")       # D's output is a logit: D(x) = sigmoid(l)
UNROLLABLE = ("minimax", "non_saturating", "least_squares")
KIND = {"minimax": "saturating", "non_saturating": "non_saturating", "least_squares": "least_squares",
        "wgan_gp": "wasserstein"}               # our names → gan_course.losses kinds
ARCHITECTURE_G = ("g_layers", "g_width", "z_dim")
ARCHITECTURE_D = ("d_layers", "d_width", "pack")

_TOY = ToyConfig()


@dataclass(frozen=True)
class Settings:
    """Every knob of the playground. Defaults: notebook 06's toy GAN with the non-saturating loss."""
    data: str = "ring"
    g_layers: int = len(_TOY.g_hidden)
    g_width: int = _TOY.g_hidden[0]
    d_layers: int = len(_TOY.d_hidden)
    d_width: int = _TOY.d_hidden[0]
    z_dim: int = _TOY.z_dim
    noise: str = "gaussian"
    loss: str = "non_saturating"
    instance_noise: float = 0.0
    smoothing: float = 0.0
    pack: int = 1
    unroll: int = 0
    r1: float = 0.0
    gp_weight: float = _TOY.gp_weight
    g_optimiser: str = "adam"
    d_optimiser: str = "adam"
    g_lr: float = _TOY.lr
    d_lr: float = _TOY.lr
    d_steps: int = 1
    batch: int = _TOY.batch
    seed: int = 0

    def check(self) -> Settings:
        """Raise ``ValueError`` naming the first setting out of range; return ``self``."""
        def bad(name, why):
            raise ValueError(f"setting {name}={getattr(self, name)!r}: {why}")
        for name, allowed in (("data", DATASETS), ("loss", LOSSES), ("noise", NOISES),
                              ("g_optimiser", OPTIMISERS), ("d_optimiser", OPTIMISERS)):
            if getattr(self, name) not in allowed:
                bad(name, f"allowed: {', '.join(allowed)}")
        for name, lo, hi in (("g_layers", 0, 5), ("d_layers", 0, 5), ("g_width", 1, 1024), ("d_width", 1, 1024),
                             ("z_dim", 1, 64), ("pack", 1, 16), ("unroll", 0, 20), ("d_steps", 1, 20),
                             ("batch", 1, 4096), ("seed", 0, 2**31 - 1)):
            v = getattr(self, name)
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or not lo <= v <= hi:
                bad(name, f"must be an integer in [{lo}, {hi}]")
        for name, lo, hi in (("instance_noise", 0, 10), ("smoothing", 0, 0.5), ("r1", 0, 1e4),
                             ("gp_weight", 0, 1e4), ("g_lr", 1e-7, 1.0), ("d_lr", 1e-7, 1.0)):
            v = getattr(self, name)
            if not isinstance(v, (int, float, np.floating)) or not math.isfinite(v) or not lo <= v <= hi:
                bad(name, f"must be a number in [{lo}, {hi}]")
        if self.batch < self.pack:
            bad("batch", f"must hold at least one pack of {self.pack}")
        return self


def hinge_d_loss(real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The hinge loss of D (Lim & Ye 2017): E[max(0, 1 − l(x))] + E[max(0, 1 + l(G(z)))], on raw scores."""
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def hinge_g_loss(fake: torch.Tensor) -> torch.Tensor:
    """The hinge loss of G: −E[l(G(z))] (as in Miyato et al. 2018's SN-GAN code)."""
    return -fake.mean()


def generator_loss(loss: str, fake_scores: torch.Tensor) -> torch.Tensor:
    """G's loss ``loss`` (one of :data:`LOSSES`) of D's scores on fakes (mean over every axis)."""
    if loss == "hinge":
        return hinge_g_loss(fake_scores)
    return g_loss(KIND[loss], fake_scores)


def generator_arrows(D, x: torch.Tensor, loss: str = "non_saturating") -> torch.Tensor:
    """−∇ₓ ℓ_G(x) for each sample of ``x`` ``[N, 2]``: the direction (and size) in which G's loss ``loss``
    pushes that sample, with ℓ_G the loss of the sample on its own (not divided by N). ``D`` maps
    ``[1, N, 2]`` to scores ``[1, N, 1]``. Returns ``[N, 2]``."""
    x = x.detach().reshape(1, -1, 2).requires_grad_(True)
    scores = D(x)
    (grad,) = torch.autograd.grad(generator_loss(loss, scores) * scores.numel(), x)
    return -grad[0]


def histogram(x, bounds, bins: int) -> np.ndarray:
    """Counts of ``x`` ``[N, 2]`` in a ``bins``×``bins`` grid over ``bounds`` = (x0, x1, y0, y1), plus one last
    cell for every point outside it: ``[bins² + 1]``."""
    x = x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    x0, x1, y0, y1 = bounds
    i = np.floor((x[:, 0] - x0) / (x1 - x0) * bins).astype(np.int64)
    j = np.floor((x[:, 1] - y0) / (y1 - y0) * bins).astype(np.int64)
    inside = (i >= 0) & (i < bins) & (j >= 0) & (j < bins)
    cell = np.where(inside, i * bins + j, bins * bins)
    return np.bincount(cell, minlength=bins * bins + 1).astype(np.float64)


def grid_divergences(real, fake, bounds, bins: int = 32, alpha: float = 0.5) -> dict:
    """JSD(p_data, p_g) and KL(p_data ‖ p_g) in nats, estimated from histograms of ``real`` and ``fake``
    (:func:`histogram`) with ``alpha`` added to every cell (so KL is finite where G put no sample).

    Both estimates are biased upwards by the finite samples: two independent samples of the same data give
    a small positive JSD (the playground shows that floor). JSD lies in [0, log 2]."""
    p, q = histogram(real, bounds, bins) + alpha, histogram(fake, bounds, bins) + alpha
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    kl_pm, kl_qm = float(np.sum(p * np.log(p / m))), float(np.sum(q * np.log(q / m)))
    return {"jsd": 0.5 * kl_pm + 0.5 * kl_qm, "kl": float(np.sum(p * np.log(p / q)))}


def _optimiser(kind: str, params, lr: float):
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=_TOY.betas)
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr)
    return torch.optim.RMSprop(params, lr=lr)


class Game:
    """A 2-D GAN with :class:`Settings` that may change between steps (see the module docstring).

    ``Game(settings=None, mixture=None, n_eval=2500, **changes)``: ``changes`` override fields of ``settings``;
    ``mixture`` a :class:`gan_course.toy.Mixture2D` to use instead of ``settings.data`` (drawn points). Counters: ``steps`` (every call of :meth:`step`,
    :meth:`step_d` or :meth:`step_g` counts one), ``d_updates``, ``g_updates``. ``history``: per step,
    D's and G's last losses; ``metric_history``: one :meth:`metrics` dict per :meth:`record_metrics`.
    """

    def __init__(self, settings: Settings | None = None, mixture: Mixture2D | None = None, n_eval: int = 2500,
                 **changes):
        self.settings = replace(settings or Settings(), **changes).check()
        self.n_eval = int(n_eval)
        self.notes: list[str] = []
        self._set_data(mixture if mixture is not None else make_data(self.settings.data))
        self.reset()

    # ------------------------------------------------------------------ set-up
    def _set_data(self, mixture: Mixture2D) -> None:
        self.data = mixture
        self.spread = float(mixture.centers.pow(2).sum(1).mean().sqrt()) or 1.0
        self.bounds = view_bounds(mixture)
        g = torch.Generator().manual_seed(12345)
        self.eval_real = mixture.sample(self.n_eval, g)
        self.baseline = noise_baseline(mixture, self.n_eval, seed=0)
        floor = grid_divergences(self.eval_real, mixture.sample(self.n_eval, g), self.bounds)
        self.baseline["jsd_floor"], self.baseline["kl_floor"] = floor["jsd"], floor["kl"]

    def _build_g(self) -> None:
        s = self.settings
        self.G = BatchedMLP([s.z_dim] + [s.g_width] * s.g_layers + [2], [s.seed * 100])
        self.opt_g = _optimiser(s.g_optimiser, self.G.parameters(), s.g_lr)
        zg = torch.Generator().manual_seed(s.seed * 1000 + 7)
        self.eval_z = self._noise(self.n_eval, zg)

    def _build_d(self) -> None:
        s = self.settings
        self.D = BatchedMLP([2 * s.pack] + [s.d_width] * s.d_layers + [1], [s.seed * 100 + 99])
        self.opt_d = _optimiser(s.d_optimiser, self.D.parameters(), s.d_lr)

    def reset(self) -> None:
        """Fresh networks and optimisers from ``settings.seed``; counters and history back to 0."""
        self.rng = torch.Generator().manual_seed(self.settings.seed * 1000)
        self._build_g()
        self._build_d()
        self.steps = self.d_updates = self.g_updates = 0
        self.last = {"d_loss": float("nan"), "g_loss": float("nan")}
        self.history = {"step": [], "d_loss": [], "g_loss": []}
        self.metric_history: list[dict] = []
        self.notes = []

    def update(self, mixture: Mixture2D | None = None, **changes) -> list[str]:
        """Change settings between two steps; returns what had to be rebuilt (``"G"``, ``"D"``, ``"data"``).

        Learning rates apply at once; a new optimiser kind restarts that player's optimiser; a new architecture
        (depth, width, noise dimension, pack size) rebuilds that player with fresh weights, keeping the counters
        and history. A new data set (``data=`` a name of :data:`DATASETS`, or ``mixture=`` a
        :class:`~gan_course.toy.Mixture2D` with ``data="drawn"``) starts a new game (:meth:`reset`).
        """
        old = self.settings
        new = replace(old, **changes).check()
        self.settings = new
        rebuilt = []
        if mixture is not None or new.data != old.data:
            try:
                self._set_data(mixture if mixture is not None else make_data(new.data))
            except ValueError:
                self.settings = old
                raise
            self.reset()
            return ["data", "G", "D"]
        if any(getattr(new, k) != getattr(old, k) for k in ARCHITECTURE_G) or new.noise != old.noise:
            self._build_g()
            rebuilt.append("G")
        elif new.g_optimiser != old.g_optimiser:
            self.opt_g = _optimiser(new.g_optimiser, self.G.parameters(), new.g_lr)
        if any(getattr(new, k) != getattr(old, k) for k in ARCHITECTURE_D):
            self._build_d()
            rebuilt.append("D")
        elif new.d_optimiser != old.d_optimiser:
            self.opt_d = _optimiser(new.d_optimiser, self.D.parameters(), new.d_lr)
        set_lr((self.opt_g,), new.g_lr)
        set_lr((self.opt_d,), new.d_lr)
        return rebuilt

    # ------------------------------------------------------------------ sampling
    def _noise(self, n: int, generator=None) -> torch.Tensor:
        g = self.rng if generator is None else generator
        if self.settings.noise == "uniform":
            return torch.rand(1, n, self.settings.z_dim, generator=g) * 2 - 1
        return torch.randn(1, n, self.settings.z_dim, generator=g)

    def _real(self, n: int) -> torch.Tensor:
        return self.data.sample(n, self.rng)[None]

    def _blur(self, x: torch.Tensor) -> torch.Tensor:
        sigma = self.settings.instance_noise * self.spread
        return x + sigma * torch.randn(x.shape, generator=self.rng) if sigma > 0 else x

    @property
    def batch(self) -> int:
        """Samples per step: ``settings.batch`` rounded down to a multiple of the pack size."""
        return self.settings.batch // self.settings.pack * self.settings.pack

    def samples(self, n: int | None = None) -> torch.Tensor:
        """G's samples of the fixed evaluation noise (the first ``n`` of ``n_eval``): ``[n, 2]``."""
        with torch.no_grad():
            return self.G(self.eval_z[:, :n])[0]

    # ------------------------------------------------------------------ the losses
    def _d_losses(self, real_scores, fake_scores) -> torch.Tensor:
        s = self.settings
        if s.loss == "hinge":
            return hinge_d_loss(real_scores, fake_scores)
        if s.smoothing > 0 and s.loss in LOG_LOSSES:
            return smoothed_d_loss(real_scores, fake_scores, 1.0 - s.smoothing)
        return d_loss(KIND[s.loss], real_scores, fake_scores)

    # ------------------------------------------------------------------ steps
    def step_d(self) -> float:
        """One update of D on a fresh batch; returns D's loss (penalties not included)."""
        s, m, n = self.settings, self.settings.pack, self.batch
        x = self._real(n)
        with torch.no_grad():
            fake = self.G(self._noise(n))
        xr, xf = pack(self._blur(x), m), pack(self._blur(fake), m)
        if s.r1 > 0:
            xr.requires_grad_(True)
        rs, fs = self.D(xr), self.D(xf)
        loss = self._d_losses(rs, fs)
        total = loss
        if s.loss == "wgan_gp" and s.gp_weight > 0:
            total = total + gradient_penalty(self.D, xr, xf, s.gp_weight, generator=self.rng, members=True)
        if s.r1 > 0:
            (grad,) = torch.autograd.grad(rs.sum(), xr, create_graph=True)
            total = total + s.r1 / 2 * grad.pow(2).sum(-1).mean()
        self.opt_d.zero_grad(set_to_none=True)
        total.backward()
        self.opt_d.step()
        self.d_updates += 1
        self.last["d_loss"] = float(loss.detach())
        return self.last["d_loss"]

    def unrolling(self) -> bool:
        """Whether G's step unrolls D now (``unroll`` > 0, Adam for D, a loss unrolled steps support)."""
        s = self.settings
        return s.unroll > 0 and s.d_optimiser == "adam" and s.loss in UNROLLABLE

    def step_g(self) -> float:
        """One update of G; returns G's loss."""
        s, m, n = self.settings, self.settings.pack, self.batch
        fake = self._blur(self.G(self._noise(n)))
        if self.unrolling():
            K = s.unroll
            xs = pack(self._real(n * K), m).reshape(1, K, n // m, 2 * m)
            more = self._blur(self.G(self._noise(n * (K - 1)))) if K > 1 else fake[:, :0]
            fs = pack(torch.cat([fake, more], 1), m).reshape(1, K, n // m, 2 * m)
            params = unrolled_d_params(self.D, self.opt_d, xs, fs, K, KIND[s.loss])
            scores = mlp_forward(params, pack(fake, m))
        else:
            scores = self.D(pack(fake, m))
        loss = generator_loss(s.loss, scores)
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_g.step()
        self.opt_d.zero_grad(set_to_none=True)
        self.g_updates += 1
        self.last["g_loss"] = float(loss.detach())
        return self.last["g_loss"]

    def _count(self) -> None:
        self.steps += 1
        self.history["step"].append(self.steps)
        self.history["d_loss"].append(self.last["d_loss"])
        self.history["g_loss"].append(self.last["g_loss"])

    def step(self, what: str = "both") -> int:
        """One step: ``"both"`` = ``d_steps`` updates of D then one of G (Algorithm 1), ``"d"`` or ``"g"`` one
        update of that player. Returns the step counter (it moves by one whatever ``what`` is)."""
        if what not in ("both", "d", "g"):
            raise ValueError(f"what must be 'both', 'd' or 'g', got {what!r}")
        if what in ("both", "d"):
            for _ in range(self.settings.d_steps if what == "both" else 1):
                self.step_d()
        if what in ("both", "g"):
            self.step_g()
        self._count()
        return self.steps

    # ------------------------------------------------------------------ what the views show
    def d_on(self, x: torch.Tensor) -> torch.Tensor:
        """D's output at the points ``x`` ``[N, 2]`` (a pack of m copies of each point when packing):
        P(real) = sigmoid(l) for the two log losses, the raw score for the others. ``[N]``."""
        with torch.no_grad():
            out = self.D(x.reshape(1, -1, 2).repeat(1, 1, self.settings.pack))[0, :, 0]
        return torch.sigmoid(out) if self.settings.loss in LOG_LOSSES else out

    def manifold(self, lines: int = 11, points: int = 25) -> np.ndarray:
        """G's image of a grid in the first two noise coordinates (the others 0): ``[2·lines, points, 2]``
        polylines (one line when z is 1-D: ``[1, points, 2]``). The grid spans ±2 (Gaussian noise) or ±1."""
        s = self.settings
        r = 1.0 if s.noise == "uniform" else 2.0
        t = torch.linspace(-r, r, points)
        if s.z_dim == 1:
            z = t.reshape(1, points, 1)
        else:
            u = torch.linspace(-r, r, lines)
            a = torch.stack([u[:, None].expand(lines, points), t[None, :].expand(lines, points)], -1)
            z2 = torch.cat([a, a.flip(-1)], 0).reshape(1, -1, 2)                # rows, then columns
            z = torch.cat([z2, torch.zeros(1, z2.shape[1], s.z_dim - 2)], -1)
        with torch.no_grad():
            out = self.G(z)[0]
        return out.reshape(-1, points, 2).numpy()

    def arrows(self, n: int = 48) -> tuple[np.ndarray, np.ndarray]:
        """The first ``n`` evaluation samples and their :func:`generator_arrows` (D on packs of m copies)."""
        x = self.samples(n)
        m = self.settings.pack

        def d_single(points):  # [1, N, 2] -> [1, N, 1]: each point judged in a pack of m copies of itself
            return self.D(points.repeat(1, 1, m))

        return x.numpy(), generator_arrows(d_single, x, self.settings.loss).numpy()

    # ------------------------------------------------------------------ what the charts show
    def metrics(self) -> dict:
        """Now: ``step``, both last losses, the mode metric of G's ``n_eval`` samples (``modes``, ``n_modes``,
        ``high_quality``, ``reverse_kl``), ``jsd`` and ``kl`` (:func:`grid_divergences`), and ``baseline``:
        the noise baseline's ``modes``/``high_quality``/``reverse_kl`` and the estimator's floors
        ``jsd_floor``/``kl_floor`` (two samples of the data)."""
        fake = self.samples()
        if not torch.isfinite(fake).all():
            cov = {"modes": 0, "high_quality": 0.0, "reverse_kl": math.log(len(self.data.centers))}
            div = {"jsd": math.log(2), "kl": float("inf")}
        else:
            cov = mode_coverage(fake, self.data.centers, self.data.std)
            div = grid_divergences(self.eval_real, fake, self.bounds)
        b = self.baseline
        return {"step": self.steps, "d_loss": self.last["d_loss"], "g_loss": self.last["g_loss"],
                "modes": cov["modes"], "n_modes": len(self.data.centers), "high_quality": cov["high_quality"],
                "reverse_kl": cov["reverse_kl"], "jsd": div["jsd"], "kl": div["kl"],
                "baseline": {k: b[k] for k in ("modes", "high_quality", "reverse_kl", "jsd_floor", "kl_floor")}}

    def record_metrics(self) -> dict:
        """:meth:`metrics`, appended to ``metric_history``."""
        m = self.metrics()
        self.metric_history.append(m)
        return m

    def state(self) -> dict:
        """Settings, counters and what is notable now (plain Python values)."""
        return {"settings": asdict(self.settings), "data": self.data.name, "n_points": len(self.data.centers),
                "steps": self.steps, "d_updates": self.d_updates, "g_updates": self.g_updates,
                "d_loss": self.last["d_loss"], "g_loss": self.last["g_loss"], "unrolling": self.unrolling(),
                "bounds": self.bounds, "notes": self.describe_ignored()}

    def describe_ignored(self) -> list[str]:
        """Settings that have no effect with the others as they are (shown under the controls)."""
        s, out = self.settings, []
        if s.unroll > 0 and not self.unrolling():
            out.append("unrolled steps need Adam for D and the minimax, non-saturating or least-squares loss: off")
        if s.smoothing > 0 and s.loss not in LOG_LOSSES:
            out.append("label smoothing applies to the two log losses only: off")
        return out


SETTING_NAMES = tuple(f.name for f in fields(Settings))
