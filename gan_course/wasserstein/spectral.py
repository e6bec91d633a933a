"""Spectral normalisation (Miyato et al. 2018) for batched critics: a third way to bound the Lipschitz constant
(notebook 07, next to weight clipping and the gradient penalty).

Each layer's weight W is divided by an estimate σ̂ of its largest singular value σ_max(W), found by *power
iteration*: with a persistent unit vector u, v = Wu/‖Wu‖, u = Wᵀv/‖Wᵀv‖, σ̂ = vᵀWu. One iteration per training
step suffices because W changes slowly (Miyato et al. 2018, Algorithm 1). A network of such layers with activations
of slope ≤ 1 (LeakyReLU) is L-Lipschitz with L ≤ Π_l σ_max(W_l)/σ̂_l ≈ 1: ‖∇f(x)‖ ≤ L everywhere, by construction —
unlike the gradient penalty, which asks for ‖∇f‖ = 1 only on sampled points.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def power_iteration(W: torch.Tensor, u: torch.Tensor, steps: int = 1):
    """``steps`` power iterations on batched matrices ``W`` ``[M, n_in, n_out]`` from unit vectors ``u`` ``[M, n_out]``.

    Returns ``(sigma [M], u [M, n_out], v [M, n_in])``: σ̂ = vᵀ W u, the estimate of each σ_max(W).
    """
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    for _ in range(int(steps)):
        v = torch.nn.functional.normalize(torch.einsum("mio,mo->mi", W, u), dim=-1)
        u = torch.nn.functional.normalize(torch.einsum("mio,mi->mo", W, v), dim=-1)
    sigma = torch.einsum("mi,mio,mo->m", v, W, u)
    return sigma, u, v


class SpectralNormCritic(nn.Module):
    """``n_models`` independent MLP critics ``d_in → hidden → … → 1`` (LeakyReLU 0.2), each weight divided by its
    power-iteration estimate of σ_max. Same interface as :class:`gan_course.wasserstein.critic.BatchedCritic`:
    input ``[M, B, d_in]`` (or ``[B, d_in]``) → ``[M, B]``; ``n_models``; ``weights`` (the raw matrices).

    In training mode every forward pass runs one power iteration and stores u; in eval mode u is kept fixed.
    """

    def __init__(self, n_models: int, d_in: int, hidden: int = 64, depth: int = 3,
                 generator: torch.Generator | None = None):
        super().__init__()
        if n_models < 1 or d_in < 1 or hidden < 1 or depth < 1:
            raise ValueError(f"n_models, d_in, hidden, depth must be >= 1, got {n_models}, {d_in}, {hidden}, {depth}")
        sizes = [d_in] + [hidden] * depth + [1]
        self.n_models = n_models
        self.raw = nn.ParameterList()
        self.bias = nn.ParameterList()
        for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            bound = 1 / math.sqrt(a)                      # nn.Linear's default initialisation range
            self.raw.append(nn.Parameter((2 * torch.rand(n_models, a, b, generator=generator) - 1) * bound))
            self.bias.append(nn.Parameter((2 * torch.rand(n_models, 1, b, generator=generator) - 1) * bound))
            u = torch.nn.functional.normalize(torch.randn(n_models, b, generator=generator), dim=-1)
            self.register_buffer(f"u{k}", u)

    @property
    def weights(self) -> list[torch.nn.Parameter]:
        """The raw (unnormalised) weight matrices ``[M, fan_in, fan_out]``, layer by layer."""
        return list(self.raw)

    def sigmas(self) -> list[torch.Tensor]:
        """The current power-iteration estimates σ̂ ``[M]`` of each layer (no update of u)."""
        with torch.no_grad():
            return [power_iteration(W, getattr(self, f"u{k}"))[0] for k, W in enumerate(self.raw)]

    def normalised_weights(self) -> list[torch.Tensor]:
        out = []
        for k, W in enumerate(self.raw):
            with torch.no_grad():
                sigma, u, v = power_iteration(W, getattr(self, f"u{k}"))
                if self.training:
                    getattr(self, f"u{k}").copy_(u)
            # σ̂ = vᵀWu with u, v held constant: the gradient flows through W only (Miyato et al. 2018)
            out.append(W / torch.einsum("mi,mio,mo->m", v, W, u)[:, None, None])
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            x = x.unsqueeze(0).expand(self.n_models, -1, -1)
        ws = self.normalised_weights()
        for k, (W, b) in enumerate(zip(ws, self.bias)):
            x = torch.baddbmm(b, x, W)
            if k < len(ws) - 1:
                x = torch.nn.functional.leaky_relu(x, 0.2)
        return x.squeeze(-1)
