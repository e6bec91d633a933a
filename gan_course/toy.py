"""Toy data with known densities: 1-D Gaussian mixtures and the 2-D ring and grid.

Taught in notebooks 02 and 03 (1-D, where D* and C(G) are checked exactly) and 06
(PacGAN's ring of 8 and grid of 25 Gaussians, Lin et al. 2018, Table 1).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy import optimize, stats


def _as_1d(name, v) -> np.ndarray:
    a = np.atleast_1d(np.asarray(v, dtype=float))
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got {v!r}")
    return a


class GaussianMixture1D:
    """p(x) = Σ_k w_k N(x; μ_k, σ_k²).

    ``means`` (finite), ``stds`` (finite, > 0), ``weights`` (finite, ≥ 0, normalised; default uniform); anything
    else raises ``ValueError`` naming the values.
    ``.pdf(x)``/``.logpdf(x)`` on numpy arrays; ``.sample(n, generator)`` → float32 ``[n, 1]``.
    ``.support`` is an interval holding all but ~1e-15 of the mass and ``.breakpoints`` the
    means, for quadrature (``gan_course.theory.divergences``).
    """

    def __init__(self, means, stds, weights=None):
        self.means = _as_1d("means", means)
        if not np.all(np.isfinite(self.means)):
            raise ValueError(f"means must be finite, got {self.means.tolist()}")
        self.stds = _as_1d("stds", stds)
        if self.stds.size == 1 and self.means.size > 1:
            self.stds = np.full_like(self.means, self.stds[0])
        if self.stds.shape != self.means.shape:
            raise ValueError(f"stds {self.stds.tolist()} must match means {self.means.tolist()} in length")
        if np.any(self.stds <= 0) or not np.all(np.isfinite(self.stds)):
            raise ValueError(f"stds must be finite and > 0, got {self.stds.tolist()}")
        if weights is None:
            w = np.full(self.means.size, 1.0 / self.means.size)
        else:
            w = _as_1d("weights", weights)
            if w.shape != self.means.shape or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
                raise ValueError(f"weights must be {self.means.size} finite non-negative numbers with a positive sum, "
                                 f"got {w.tolist()}")
            w = w / w.sum()
        self.weights = w
        # log(w_k / (σ_k √(2π))), the constant of each component's log-density (−inf for w_k = 0)
        with np.errstate(divide="ignore"):
            self._logc = np.log(w) - np.log(self.stds) - 0.5 * math.log(2 * math.pi)
        self._m, self._s, self._c = self.means.tolist(), self.stds.tolist(), self._logc.tolist()

    def __repr__(self):
        return f"GaussianMixture1D(means={self.means.tolist()}, stds={self.stds.tolist()}, weights={np.round(self.weights, 4).tolist()})"

    @property
    def mean(self) -> float:
        return float(np.sum(self.weights * self.means))

    @property
    def std(self) -> float:
        second = np.sum(self.weights * (self.stds**2 + self.means**2))
        return float(np.sqrt(second - self.mean**2))

    @property
    def support(self) -> tuple[float, float]:
        return float(np.min(self.means - 9 * self.stds)), float(np.max(self.means + 9 * self.stds))

    @property
    def breakpoints(self) -> np.ndarray:
        return np.sort(self.means)

    def logpdf(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.ndim == 0:  # scalar fast path: quadrature calls this thousands of times
            xf = float(x)
            comp = [c - 0.5 * ((xf - m) / s) ** 2 for m, s, c in zip(self._m, self._s, self._c)]
            top = max(comp)
            return np.float64(top + math.log(sum(math.exp(v - top) for v in comp)))
        z = (x[..., None] - self.means) / self.stds
        comp = -0.5 * z**2 + self._logc
        return np.logaddexp.reduce(comp, axis=-1)

    def pdf(self, x) -> np.ndarray:
        return np.exp(self.logpdf(x))

    def cdf(self, x) -> np.ndarray:
        """P(X ≤ x) = Σ_k w_k Φ((x − μ_k)/σ_k)."""
        x = np.asarray(x, dtype=float)[..., None]
        return np.sum(self.weights * stats.norm.cdf(x, self.means, self.stds), axis=-1)

    def ppf(self, q) -> np.ndarray:
        """The quantile function (inverse of :meth:`cdf`) by root finding; ``q`` in (0, 1)."""
        q = np.asarray(q, dtype=float)
        if np.any((q <= 0) | (q >= 1)) or not np.all(np.isfinite(q)):
            raise ValueError(f"quantiles must lie strictly between 0 and 1, got {q}")
        lo, hi = self.support
        out = [optimize.brentq(lambda t, v=v: float(self.cdf(t)) - v, lo, hi, xtol=1e-12) for v in q.ravel()]
        return np.asarray(out).reshape(q.shape)

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        if int(n) != n or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        w = torch.as_tensor(self.weights, dtype=torch.float64)
        k = torch.multinomial(w, int(n), replacement=True, generator=generator)
        eps = torch.randn(int(n), generator=generator, dtype=torch.float64)
        m = torch.as_tensor(self.means)[k]
        s = torch.as_tensor(self.stds)[k]
        return (m + s * eps).float().unsqueeze(1)


class Mixture2D:
    """An equal-weight mixture of isotropic 2-D Gaussians at ``centers`` ``[K, 2]`` with std ``std``.

    ``.sample(n, generator)`` → float32 ``[n, 2]``. Notebook 06.
    """

    def __init__(self, centers, std: float, name: str = "mixture"):
        c = torch.as_tensor(np.asarray(centers, dtype=np.float32))
        if c.ndim != 2 or c.shape[1] != 2 or c.shape[0] == 0:
            raise ValueError(f"centers must have shape [K, 2], got {tuple(c.shape)}")
        if not std > 0:
            raise ValueError(f"std must be > 0, got {std!r}")
        self.centers = c
        self.std = float(std)
        self.name = name

    def __repr__(self):
        return f"Mixture2D({self.name}, K={len(self.centers)}, std={self.std})"

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        if int(n) != n or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        k = torch.randint(len(self.centers), (int(n),), generator=generator)
        return self.centers[k] + self.std * torch.randn(int(n), 2, generator=generator)


def ring(n_modes: int = 8, radius: float = 1.0, std: float = 0.01) -> Mixture2D:
    """PacGAN's ring: ``n_modes`` Gaussians evenly on a circle of ``radius`` (Lin et al. 2018)."""
    if n_modes < 1:
        raise ValueError(f"n_modes must be >= 1, got {n_modes}")
    a = 2 * np.pi * np.arange(n_modes) / n_modes
    return Mixture2D(radius * np.stack([np.cos(a), np.sin(a)], 1), std, name="ring")


def grid(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> Mixture2D:
    """PacGAN's grid: side² Gaussians at {−4, −2, 0, 2, 4}² for the defaults (Lin et al. 2018)."""
    if side < 1:
        raise ValueError(f"side must be >= 1, got {side}")
    ticks = (np.arange(side) - (side - 1) / 2) * spacing
    xx, yy = np.meshgrid(ticks, ticks, indexing="ij")
    return Mixture2D(np.stack([xx.ravel(), yy.ravel()], 1), std, name="grid")
