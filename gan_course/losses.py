"""GAN losses on logits, one-sided label smoothing of D's loss, and the WGAN-GP gradient penalty.

Taught in notebooks 02 (minimax game), 05 (saturating vs non-saturating), 06 (label smoothing), 07 (Wasserstein).
All functions take *logits* (pre-sigmoid scores) ``[B]`` or ``[B, 1]`` (real and fake of one shape) and return a
scalar.
With D(x) = sigmoid(l):

- ``"saturating"`` (Goodfellow et al. 2014, eq. 1, the minimax game):
  L_D = −E[log D(x)] − E[log(1 − D(G(z)))],   L_G = E[log(1 − D(G(z)))]  (G *minimises* it)
- ``"non_saturating"`` (same paper, §3: "train G to maximise log D(G(z))"):
  L_D as above,                               L_G = −E[log D(G(z))]
- ``"wasserstein"`` (Arjovsky et al. 2017): the critic's raw scores f,
  L_D = E[f(G(z))] − E[f(x)],                  L_G = −E[f(G(z))]
- ``"least_squares"`` (Mao et al. 2017, LSGAN with a=0, b=c=1) on raw scores s,
  L_D = ½E[(s(x) − 1)²] + ½E[s(G(z))²],        L_G = ½E[(s(G(z)) − 1)²]

log D and log(1 − D) are computed stably as −softplus(−l) and −softplus(l).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

KINDS = ("saturating", "non_saturating", "wasserstein", "least_squares")


def _check(kind: str, *logits: torch.Tensor) -> None:
    """The kind is known; the logits are non-empty tensors of one shape (one score per example)."""
    if kind not in KINDS:
        raise ValueError(f"unknown loss kind {kind!r}; allowed: {', '.join(KINDS)}")
    shapes = [tuple(t.shape) for t in logits]
    if len(set(shapes)) > 1:
        raise ValueError(f"real and fake logits must have the same shape, got {shapes[0]} and {shapes[1]}")
    if any(t.numel() == 0 for t in logits):
        raise ValueError(f"logits are empty (shape {shapes[0]}): the loss of no examples is undefined")


def d_loss(kind: str, real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """The discriminator's (critic's) loss to *minimise*; see the module docstring for formulas."""
    _check(kind, real_logits, fake_logits)
    if kind in ("saturating", "non_saturating"):
        # −log D(x) = softplus(−l_real);  −log(1 − D(G(z))) = softplus(l_fake)
        return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
    if kind == "wasserstein":
        return fake_logits.mean() - real_logits.mean()
    return 0.5 * ((real_logits - 1) ** 2).mean() + 0.5 * (fake_logits**2).mean()


def g_loss(kind: str, fake_logits: torch.Tensor) -> torch.Tensor:
    """The generator's loss to *minimise*; see the module docstring for formulas."""
    _check(kind, fake_logits)
    if kind == "saturating":
        return -F.softplus(fake_logits).mean()  # = E[log(1 − D(G(z)))]
    if kind == "non_saturating":
        return F.softplus(-fake_logits).mean()  # = −E[log D(G(z))]
    if kind == "wasserstein":
        return -fake_logits.mean()
    return 0.5 * ((fake_logits - 1) ** 2).mean()


def smoothed_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, target: float) -> torch.Tensor:
    """One-sided label smoothing (Salimans et al. 2016, §3.4): BCE(D(x), target) + BCE(D(G(z)), 0), on logits,
    each the mean over its batch. Taught in notebook 06."""
    return F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, target)) + \
        F.softplus(fake_logits).mean()


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor, weight: float = 10.0,
                     generator: torch.Generator | None = None, *, eps: torch.Tensor | None = None,
                     members: bool = False) -> torch.Tensor:
    """WGAN-GP penalty (Gulrajani et al. 2017, eq. 3): λ·E[(‖∇_x̂ D(x̂)‖₂ − 1)²].

    x̂ = ε·real + (1 − ε)·fake with ε ~ U[0, 1] per sample (drawn with ``generator``, or given as ``eps``,
    broadcastable to ``real``); ``real``/``fake`` ``[B, ...]`` (same shape), ``critic`` maps ``[B, ...]`` to
    ``[B]`` or ``[B, 1]``. Differentiable with respect to the critic's parameters (``create_graph=True``).
    Taught in notebook 07.

    ``members=True``: ``real``/``fake`` ``[E, B, ...]`` hold the batches of E independent critics (a batched
    ensemble, :mod:`gan_course.modes.ensemble`); the result is Σ_e of member e's penalty, so each member's
    gradient is its own penalty's.
    """
    if real.shape != fake.shape:
        raise ValueError(f"real and fake must have the same shape, got {tuple(real.shape)} and {tuple(fake.shape)}")
    if not (math.isfinite(weight) and weight >= 0):
        raise ValueError(f"weight must be finite and >= 0, got {weight}")
    batch_dims = 2 if members else 1
    if eps is None:
        shape = real.shape[:batch_dims] + (1,) * (real.dim() - batch_dims)
        eps = torch.rand(shape, device=real.device, dtype=real.dtype, generator=generator)
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norms = grad.flatten(batch_dims).norm(2, dim=batch_dims)
    return weight * ((norms - 1) ** 2).mean(-1).sum()
