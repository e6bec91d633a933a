"""The Wasserstein-1 distance and the critics that estimate it (WGAN, WGAN-GP).

Taught in ``notebooks/07_wasserstein.ipynb``.

- Arjovsky, Chintala & Bottou (2017), *Wasserstein GAN*, Example 1 — the parallel lines
  P₀ = (0, Z), P_θ = (θ, Z), Z ~ U[0, 1]: W₁ = |θ|, JSD = log 2 and KL = ∞ for every θ ≠ 0
  (:func:`parallel_lines`, :func:`sample_parallel_lines`).
- Kantorovich–Rubinstein duality: W₁(P, Q) = sup_{‖f‖_L ≤ 1} E_P[f] − E_Q[f]. A *critic* f
  trained to maximise E_P[f] − E_Q[f] under a Lipschitz constraint estimates W₁
  (:func:`critic_estimate`). Two ways to impose the constraint:
  weight clipping to [−c, c] (WGAN; ``clip``) and the gradient penalty
  λ·E_x̂[(‖∇f(x̂)‖ − 1)²] on interpolates x̂ = εx + (1 − ε)y (Gulrajani et al. 2017, eq. 3; ``gp_weight``).
- :class:`BatchedCritic`: M independent MLP critics evaluated with one batched matmul, so the
  notebook trains a critic per distribution (or per constraint) at once on 2 CPU cores.
- :func:`empirical_w1`: the exact W₁ between two equal-size point clouds (optimal assignment,
  ``scipy.optimize.linear_sum_assignment``), the ground truth a critic is compared with in 2-D.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from gan_course.losses import gradient_penalty
from gan_course.modes.ensemble import BatchedMLP


def parallel_lines(theta: float) -> dict:
    """Distances between P₀ = (0, Z) and P_θ = (θ, Z), Z ~ U[0, 1] (Arjovsky et al. 2017, Example 1).

    Returns ``{"W1": |θ|, "JSD": log 2 or 0, "KL": inf or 0, "TV": 1 or 0}`` (natural log).
    """
    theta = float(theta)
    if not math.isfinite(theta):
        raise ValueError(f"theta must be finite, got {theta}")
    apart = theta != 0.0
    return {"W1": abs(theta), "JSD": math.log(2) if apart else 0.0,
            "KL": math.inf if apart else 0.0, "TV": 1.0 if apart else 0.0}


def sample_parallel_lines(theta: float, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points of P_θ = (θ, Z), Z ~ U[0, 1]: float32 ``[n, 2]``."""
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    z = torch.rand(int(n), generator=generator)
    return torch.stack([torch.full_like(z, float(theta)), z], 1)


def empirical_w1(a, b) -> float:
    """Exact W₁ between the empirical measures of ``a`` ``[n, d]`` and ``b`` ``[n, d]`` (Euclidean cost).

    Solves the optimal assignment (O(n³): keep n ≲ 1000). Equal sample sizes are required.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    a, b = a.reshape(len(a), -1), b.reshape(len(b), -1)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape [n, d], got {a.shape} and {b.shape}")
    cost = cdist(a, b)
    r, c = linear_sum_assignment(cost)
    return float(cost[r, c].mean())


class BatchedCritic(BatchedMLP):
    """``n_models`` independent MLP critics ``d_in → hidden → … → 1`` with LeakyReLU(0.2): a
    :class:`gan_course.modes.ensemble.BatchedMLP` whose members are critics.

    Input ``[M, B, d_in]`` (or ``[B, d_in]``, shared by all M) → scores ``[M, B]``. Critic m only
    ever sees row m, so summing the M losses and taking one Adam step trains M separate critics
    (Adam is elementwise). Member m is initialised like ``nn.Linear`` from its own seed, drawn from
    ``generator``.
    """

    def __init__(self, n_models: int, d_in: int, hidden: int = 64, depth: int = 3,
                 generator: torch.Generator | None = None):
        if n_models < 1 or d_in < 1 or hidden < 1 or depth < 1:
            raise ValueError(f"n_models, d_in, hidden, depth must be >= 1, got {n_models}, {d_in}, {hidden}, {depth}")
        seeds = torch.randint(2**31 - 1, (n_models,), generator=generator).tolist()
        super().__init__([d_in] + [hidden] * depth + [1], seeds, act=_leaky_relu)
        self.n_models = n_models

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            x = x.unsqueeze(0).expand(self.n_models, -1, -1)
        return super().forward(x).squeeze(-1)

    @property
    def weights(self) -> list[torch.nn.Parameter]:
        """The weight matrices ``[M, fan_in, fan_out]``, layer by layer."""
        return list(self.params[0::2])

    @property
    def biases(self) -> list[torch.nn.Parameter]:
        """The biases ``[M, 1, fan_out]``, layer by layer."""
        return list(self.params[1::2])

    def flat_weights(self, model: int | None = None) -> torch.Tensor:
        """All weight matrices' entries (not biases) of one model (or all), as a 1-D tensor."""
        sel = slice(None) if model is None else slice(model, model + 1)
        return torch.cat([w[sel].detach().flatten() for w in self.weights])


def _leaky_relu(h: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.leaky_relu(h, 0.2)


def grad_norms(critic, x: torch.Tensor) -> torch.Tensor:
    """‖∇_x f(x)‖₂ per point: ``x`` ``[M, B, d]`` → ``[M, B]`` (critics that treat rows independently)."""
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(critic(x).sum(), x)
    return g.norm(dim=-1)


def interpolates(real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """x̂ = ε·real + (1 − ε)·fake, ε ~ U[0, 1] per point (Gulrajani et al. 2017, Algorithm 1)."""
    if real.shape != fake.shape:
        raise ValueError(f"real and fake must have the same shape, got {tuple(real.shape)} and {tuple(fake.shape)}")
    eps = torch.rand(real.shape[:-1] + (1,), generator=generator, dtype=real.dtype)
    return eps * real + (1 - eps) * fake


def critic_estimate(critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The dual objective E_real[f] − E_fake[f] per critic ``[M]`` (an estimate of W₁ if f is 1-Lipschitz)."""
    with torch.no_grad():
        return critic(real).mean(-1) - critic(fake).mean(-1)


def train_critic(critic: BatchedCritic, sample_real, sample_fake, steps: int, *, batch_size: int = 256,
                 lr: float = 1e-3, betas=(0.5, 0.9), gp_weight: float = 0.0, clip: float | None = None,
                 generator: torch.Generator | None = None) -> list[float]:
    """Train each critic to maximise E_real[f] − E_fake[f] (WGAN critic loss E_fake[f] − E_real[f]).

    ``sample_real(n, generator)``/``sample_fake(n, generator)`` → ``[M, n, d]`` (one row per critic).
    ``gp_weight`` > 0 adds the gradient penalty; ``clip`` clamps every weight and bias to
    [−clip, clip] after each step (WGAN). Returns the mean critic loss per step.
    """
    if steps < 0 or batch_size < 1:
        raise ValueError(f"steps must be >= 0 and batch_size >= 1, got {steps}, {batch_size}")
    if gp_weight < 0 or (clip is not None and clip <= 0):
        raise ValueError(f"gp_weight must be >= 0 and clip > 0 (or None), got {gp_weight}, {clip}")
    opt = torch.optim.Adam(critic.parameters(), lr=lr, betas=betas)
    losses = []
    for _ in range(int(steps)):
        real, fake = sample_real(batch_size, generator), sample_fake(batch_size, generator)
        loss = (critic(fake).mean(-1) - critic(real).mean(-1)).sum()
        if gp_weight > 0:
            eps = torch.rand(real.shape[:-1] + (1,), generator=generator, dtype=real.dtype)  # as interpolates()
            loss = loss + gradient_penalty(critic, real, fake, gp_weight, eps=eps, members=real.dim() == 3)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if clip is not None:
            with torch.no_grad():
                for p in critic.parameters():
                    p.clamp_(-clip, clip)
        losses.append(loss.item() / critic.n_models)
    return losses
