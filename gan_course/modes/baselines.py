"""What the mode metrics give samples that learned nothing: the baselines beside every mode table (notebook 06).

The 3σ metrics of :mod:`gan_course.modes.coverage` reward *any* spread of points: uniform noise over the data's
bounding box already "captures" most grid modes, and a uniform distribution on the ring's circle captures all 8.
A method covers the modes only if it beats these baselines. Three reference samplers:

- :func:`uniform_box`: uniform over the centres' bounding box, widened on each side by half the smallest
  distance between two centres (the grid: [−5, 5]²; the ring: [−1.38, 1.38]²);
- :func:`uniform_circle`: uniform on the circle through the ring's centres (the ring only);
- the real data (``mixture.sample``): the best a generator can score with the same number of samples.

:func:`expected_box_metrics` and :func:`expected_circle_metrics` compute the same figures in closed form
(area and arc fractions, and the probability that a mode receives at least one of n samples), the independent
computation the tests compare with.

**Precision and recall** (Kynkäänniemi et al. 2019, "Improved precision and recall metric for assessing
generative models"): the real manifold is the union of balls around each real point with radius its distance
to its k-th nearest real neighbour; precision is the share of generated points inside it, recall the share of
real points inside the generated manifold built the same way (:func:`precision_recall`).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from gan_course.metrics import kth_neighbour_radii
from gan_course.modes.coverage import mode_coverage


def _centers(mixture) -> np.ndarray:
    return np.asarray(mixture.centers, dtype=np.float64)


def bounding_box(mixture) -> tuple[np.ndarray, np.ndarray]:
    """``(low, high)`` of the centres' bounding box widened by half the smallest centre-to-centre distance."""
    c = _centers(mixture)
    if len(c) < 2:
        raise ValueError("the bounding box needs at least two centres")
    d = np.sqrt(((c[:, None] - c[None]) ** 2).sum(-1))
    pad = d[np.triu_indices(len(c), 1)].min() / 2
    return c.min(0) - pad, c.max(0) + pad


def uniform_box(mixture, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points uniform over :func:`bounding_box`."""
    lo, hi = (torch.as_tensor(v, dtype=torch.float32) for v in bounding_box(mixture))
    return lo + (hi - lo) * torch.rand(int(n), 2, generator=generator)


def uniform_circle(mixture, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points uniform on the circle (around the origin) through the centres; the centres must lie on one."""
    c = _centers(mixture)
    r = np.sqrt((c ** 2).sum(1))
    if np.ptp(r) > 1e-5 * max(1.0, r.max()):
        raise ValueError("the centres do not lie on one circle around the origin")
    a = 2 * math.pi * torch.rand(int(n), generator=generator)
    return float(r[0]) * torch.stack([a.cos(), a.sin()], 1)


def baseline_samples(mixture, n: int = 2500, seed: int = 0) -> dict:
    """``{"uniform box": …, "uniform circle": … (ring-like mixtures only), "real data": …}``, ``n`` points each."""
    g = torch.Generator().manual_seed(seed)
    out = {"uniform box": uniform_box(mixture, n, g)}
    try:
        out["uniform circle"] = uniform_circle(mixture, n, g)
    except ValueError:
        pass
    out["real data"] = mixture.sample(n, generator=g)
    return out


def baseline_metrics(mixture, n: int = 2500, seeds=range(10), threshold: float = 3.0) -> dict:
    """Mean over ``seeds`` of modes, high quality, reverse KL, precision and recall of each baseline."""
    acc = {}
    for s in seeds:
        real = mixture.sample(n, generator=torch.Generator().manual_seed(10_000 + int(s)))
        for name, x in baseline_samples(mixture, n, int(s)).items():
            r = mode_coverage(x, mixture.centers, mixture.std, threshold)
            p, rc = precision_recall(real, x)
            row = {"modes": r["modes"], "high_quality": r["high_quality"], "reverse_kl": r["reverse_kl"],
                   "precision": p, "recall": rc}
            acc.setdefault(name, []).append(row)
    return {name: {k: float(np.mean([r[k] for r in rows])) for k in rows[0]} for name, rows in acc.items()}


def _hq_prob_box(mixture, threshold: float) -> float:
    lo, hi = bounding_box(mixture)
    return math.pi * (threshold * mixture.std) ** 2 / float(np.prod(hi - lo))


def expected_box_metrics(mixture, n: int = 2500, threshold: float = 3.0) -> dict:
    """Closed form for :func:`uniform_box`: every mode's 3σ disc (inside the box, discs disjoint) has probability
    q = π(3σ)²/area; high quality = K·q; expected modes = K·(1 − (1 − q)ⁿ)."""
    K, q = len(_centers(mixture)), _hq_prob_box(mixture, threshold)
    return {"high_quality": K * q, "modes": K * (1 - (1 - q) ** n)}


def expected_circle_metrics(mixture, n: int = 2500, threshold: float = 3.0) -> dict:
    """Closed form for :func:`uniform_circle`: the circle of radius R meets a mode's 3σ disc in an arc of angle
    4·asin(3σ / 2R), so q = that / 2π per mode; high quality = K·q, expected modes = K·(1 − (1 − q)ⁿ)."""
    c = _centers(mixture)
    R, K = float(np.sqrt((c[0] ** 2).sum())), len(c)
    q = 4 * math.asin(threshold * mixture.std / (2 * R)) / (2 * math.pi)
    return {"high_quality": K * q, "modes": K * (1 - (1 - q) ** n)}


def precision_recall(real, fake, k: int = 3) -> tuple[float, float]:
    """Kynkäänniemi et al. (2019) precision and recall of ``fake`` against ``real`` (``[N, d]`` each), k-NN balls."""
    real = torch.as_tensor(real, dtype=torch.float64)
    fake = torch.as_tensor(fake, dtype=torch.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(f"real and fake must be [N, d] with the same d, got {tuple(real.shape)}, {tuple(fake.shape)}")
    if min(len(real), len(fake)) <= k:
        raise ValueError(f"need more than k = {k} points in each set")
    r_real, r_fake = kth_neighbour_radii(real, k), kth_neighbour_radii(fake, k)
    precision = (torch.cdist(fake, real) <= r_real[None, :]).any(1).double().mean().item()
    recall = (torch.cdist(real, fake) <= r_fake[None, :]).any(1).double().mean().item()
    return precision, recall
