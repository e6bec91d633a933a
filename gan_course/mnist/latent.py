"""Paths through a generator's latent space (notebook 08).

In d dimensions a standard Gaussian vector has norm ≈ √d almost surely: the noise lives on a thin shell, and the
straight line between two noise vectors cuts through its inside, where the generator never saw an input.
:func:`slerp`, spherical linear interpolation (White 2016, "Sampling generative networks"), follows the great
circle instead and keeps the norm (section 2 of the notebook).

Section 6 measures what is said about latent spaces: :func:`walk` and :func:`digits_between` classify what a walk
passes through (against a pixel cross-fade of its ends), and :func:`axis_vs_random` asks whether one coordinate of z
controls more (or less) than a random direction does.
"""

from __future__ import annotations

import torch


def slerp(z0: torch.Tensor, z1: torch.Tensor, t: float) -> torch.Tensor:
    """The point at fraction ``t`` ∈ [0, 1] of the great-circle arc from ``z0`` to ``z1`` (1-D tensors of one length):
    sin((1 − t)Ω)/sin Ω · z0 + sin(tΩ)/sin Ω · z1 with cos Ω = z0·z1 / (‖z0‖ ‖z1‖)."""
    if z0.shape != z1.shape or z0.ndim != 1:
        raise ValueError(f"z0 and z1 must be 1-D tensors of one shape, got {tuple(z0.shape)} and {tuple(z1.shape)}")
    omega = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    if omega.abs() < 1e-6:                              # (nearly) the same direction: the arc is the segment
        return (1 - t) * z0 + t * z1
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)


def walk(z0: torch.Tensor, z1: torch.Tensor, points: int) -> torch.Tensor:
    """``[points, d]``: the slerp path from ``z0`` to ``z1`` at ``points`` evenly spaced fractions, ends included."""
    if points < 2:
        raise ValueError(f"a walk needs at least 2 points (its ends), got {points}")
    return torch.stack([slerp(z0, z1, float(t)) for t in torch.linspace(0, 1, points)])


def digits_between(classes, start: int, end: int) -> set[int]:
    """The digits a walk's classified points show other than its two ends' digits ``start`` and ``end``."""
    return {int(c) for c in classes} - {start, end}


@torch.no_grad()
def axis_vs_random(G, z: torch.Tensor, delta: float, directions: int = 100, seed: int = 0) -> dict:
    """Does one coordinate of z control one feature? For each noise vector of ``z`` ``[N, d]``, the mean pixel
    distance ‖G(z + δ·u) − G(z)‖ over ``directions`` coordinate axes u = e_i (the first ``directions``
    coordinates) and over as many random unit directions u; N(0, I) is rotation-invariant, so nothing in training
    singles out the axes unless the generator's first layer does.

    Returns ``{"axis": [N] mean distances, "random": [N] mean distances}``. ``G`` must map ``[B, d]`` to images."""
    n, d = z.shape
    if not 1 <= directions <= d:
        raise ValueError(f"directions must be in 1..{d}, got {directions}")
    g = torch.Generator().manual_seed(seed)
    rand = torch.randn(directions, d, generator=g)
    rand = (rand / rand.norm(dim=1, keepdim=True)).to(z.device)
    axes = torch.eye(d, device=z.device)[:directions]
    base = G(z).flatten(1)                                                       # [N, 784]
    out = {}
    for name, u in (("axis", axes), ("random", rand)):
        moved = G((z[:, None, :] + delta * u[None]).reshape(-1, d)).flatten(1)   # [N·directions, 784]
        out[name] = (moved.view(n, directions, -1) - base[:, None]).norm(dim=2).mean(1).cpu()
    return out
