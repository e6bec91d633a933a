"""Paths through a generator's latent space (notebook 08).

In d dimensions a standard Gaussian vector has norm ≈ √d almost surely: the noise lives on a thin shell, and the
straight line between two noise vectors cuts through its inside, where the generator never saw an input.
:func:`slerp`, spherical linear interpolation (White 2016, "Sampling generative networks"), follows the great
circle instead and keeps the norm.
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
