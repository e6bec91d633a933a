"""The playground's data sets, every one a 2-D Gaussian mixture, and the noise baseline of the mode metric.

Each data set is a :class:`gan_course.toy.Mixture2D` (equal-weight isotropic Gaussians), so PacGAN's mode
metric (:func:`gan_course.modes.coverage.mode_coverage`: modes captured, high-quality share, reverse KL) applies
to all of them, drawn ones included:

- ``ring``: PacGAN's ring of 8, radius 1, σ = 0.01 (:func:`gan_course.toy.ring`, notebook 06);
- ``grid``: PacGAN's grid of 25 at {−4, −2, 0, 2, 4}², σ = 0.05 (:func:`gan_course.toy.grid`, notebook 06);
- ``two_gaussians``: two blobs at (±0.6, 0), σ = 0.12 (GAN Lab's first example);
- ``line``: 16 Gaussians spaced 0.14 apart on the segment from (−1, −0.5) to (1, 0.5), σ = half the spacing, so
  their samples read as a line (and the metric reads how much of the line is covered);
- ``clusters``: 5 disjoint clusters at irregular places, σ = 0.06;
- ``drawn``: your points (click on the canvas), σ = :data:`DRAW_STD` around each.

**Noise baseline.** A generator that ignores the data and spreads its samples uniformly over the data's bounding
box (the centres' box widened by 3σ) already "captures" modes: with 2,500 samples on the ring, about 6 of the
8 (each 3σ disc gets ≈ 1.7 samples on average) — but with a high-quality share of about 0.5 %. A GAN has learnt
something about the modes only when it beats that line: :func:`noise_baseline` computes it with the same
``mode_coverage`` and the same number of samples.
"""

from __future__ import annotations

import numpy as np
import torch

from gan_course.modes.coverage import mode_coverage
from gan_course.toy import Mixture2D, grid, ring

DATASETS = ("ring", "grid", "two_gaussians", "line", "clusters", "drawn")
DRAW_BOUNDS = (-1.5, 1.5, -1.5, 1.5)
"""The drawing canvas in data units (x_min, x_max, y_min, y_max)."""
DRAW_STD = 0.05
"""The std of the Gaussian around each drawn point (data units)."""


def make_data(name: str, points=None) -> Mixture2D:
    """The data set ``name`` (one of :data:`DATASETS`); ``drawn`` needs ``points`` ``[K, 2]`` (K ≥ 1)."""
    if name == "ring":
        return ring()
    if name == "grid":
        return grid()
    if name == "two_gaussians":
        return Mixture2D([[-0.6, 0.0], [0.6, 0.0]], 0.12, name="two_gaussians")
    if name == "line":
        t = np.linspace(-1.0, 1.0, 16)
        step = float(np.hypot(t[1] - t[0], 0.5 * (t[1] - t[0])))
        return Mixture2D(np.stack([t, 0.5 * t], 1), step / 2, name="line")
    if name == "clusters":
        centers = [[-0.9, 0.75], [-0.35, 0.95], [0.85, 0.55], [0.55, -0.8], [-0.7, -0.55]]
        return Mixture2D(centers, 0.06, name="clusters")
    if name == "drawn":
        pts = np.asarray(points if points is not None else [], dtype=np.float32).reshape(-1, 2)
        if len(pts) == 0:
            raise ValueError("the drawn data set needs at least one point: click on the canvas in draw mode first")
        return Mixture2D(pts, DRAW_STD, name="drawn")
    raise ValueError(f"unknown data set {name!r}; allowed: {', '.join(DATASETS)}")


def data_box(mixture: Mixture2D, widen: float = 3.0) -> tuple[float, float, float, float]:
    """The data's bounding box: the centres' box widened by ``widen``·σ on every side (x0, x1, y0, y1)."""
    c = mixture.centers.double().numpy()
    pad = widen * mixture.std
    return (float(c[:, 0].min() - pad), float(c[:, 0].max() + pad),
            float(c[:, 1].min() - pad), float(c[:, 1].max() + pad))


def view_bounds(mixture: Mixture2D) -> tuple[float, float, float, float]:
    """The square region the playground shows: the data's box with a margin of 25 % of its size (at least 0.5)."""
    if mixture.name == "drawn":
        return DRAW_BOUNDS
    x0, x1, y0, y1 = data_box(mixture)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0) / 2
    half = half + max(0.25 * 2 * half, 0.5)
    return (cx - half, cx + half, cy - half, cy + half)


def uniform_in_box(box, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points uniform in ``box`` = (x0, x1, y0, y1): float32 ``[n, 2]``."""
    x0, x1, y0, y1 = box
    u = torch.rand(int(n), 2, generator=generator)
    return torch.stack([x0 + (x1 - x0) * u[:, 0], y0 + (y1 - y0) * u[:, 1]], 1)


def noise_baseline(mixture: Mixture2D, n: int = 2500, seed: int = 0, threshold: float = 3.0) -> dict:
    """:func:`~gan_course.modes.coverage.mode_coverage` of ``n`` samples uniform over :func:`data_box`
    (seeded): what a generator that learnt nothing but the data's extent scores."""
    g = torch.Generator().manual_seed(int(seed))
    return mode_coverage(uniform_in_box(data_box(mixture), n, g), mixture.centers, mixture.std, threshold)
