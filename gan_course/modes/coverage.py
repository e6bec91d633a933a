"""Mode coverage of samples from a 2-D Gaussian mixture: modes, high-quality fraction, reverse KL.

The three numbers of PacGAN's Table 1 (Lin et al. 2018, after Srivastava et al. 2017, VEEGAN).
Taught in ``notebooks/06_mode_collapse.ipynb``; the full table comes from ``python -m gan_course modes``.

For samples ``x_i`` ``[N, 2]``, centres ``c_k`` ``[K, 2]`` and the mixture's std σ:

- a sample is **high quality** when ‖x_i − c_{k(i)}‖ ≤ threshold·σ, with k(i) its nearest centre;
- a centre is **captured** (a *mode*) when at least one sample lies within threshold·σ of it;
- p̂_k = (# high-quality samples whose nearest centre is k) / (# high-quality samples), and
  **reverse KL** = KL(p̂ ‖ uniform) = Σ_k p̂_k log(K p̂_k)  (0 log 0 = 0): 0 when the good samples
  are spread evenly over all K modes, log K when they all sit on one mode.

When *no* sample is high quality p̂ is undefined; we then report ``reverse_kl = log K``, the
worst value a distribution on the modes can reach (the generator has captured nothing), and the
result carries ``n_high_quality = 0`` so the case can be told apart.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def _as_points(name: str, a) -> np.ndarray:
    arr = a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)
    try:
        arr = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}") from None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape [N, 2], got {tuple(arr.shape)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf values")
    return arr


def mode_coverage(samples, centers, std: float, threshold: float = 3.0) -> dict:
    """Modes captured, fraction of high-quality samples and reverse KL (see the module docstring).

    ``samples`` ``[N, 2]`` (N ≥ 1) and ``centers`` ``[K, 2]`` (tensors or arrays); ``std`` > 0 and
    ``threshold`` > 0 in units of ``std``. Returns a dict: ``modes`` (int, 0..K), ``high_quality``
    (float in [0, 1]), ``reverse_kl`` (float in [0, log K]), plus ``n_high_quality`` (int),
    ``counts`` (list of K ints: high-quality samples per centre) and ``n_modes`` (K).
    """
    x = _as_points("samples", samples)
    c = _as_points("centers", centers)
    if len(x) == 0:
        raise ValueError("samples is empty: need at least one sample [N, 2] with N >= 1")
    if len(c) == 0:
        raise ValueError("centers is empty: need at least one centre [K, 2] with K >= 1")
    if not (isinstance(std, (int, float, np.floating)) and math.isfinite(std) and std > 0):
        raise ValueError(f"std must be a finite number > 0, got {std!r}")
    if not (isinstance(threshold, (int, float, np.floating)) and math.isfinite(threshold) and threshold > 0):
        raise ValueError(f"threshold must be a finite number > 0 (in units of std), got {threshold!r}")
    K = len(c)
    d2 = ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)          # [N, K] squared distances
    nearest = d2.argmin(1)
    good = d2[np.arange(len(x)), nearest] <= (threshold * std) ** 2
    counts = np.bincount(nearest[good], minlength=K)
    n_good = int(good.sum())
    if n_good == 0:
        rkl = math.log(K)  # nothing captured: the worst value (documented above)
    else:
        p = counts / n_good
        nz = p > 0
        rkl = float(np.sum(p[nz] * np.log(K * p[nz])))
    return {
        "modes": int((d2 <= (threshold * std) ** 2).any(0).sum()),
        "high_quality": n_good / len(x),
        "reverse_kl": max(rkl, 0.0) if abs(rkl) < 1e-12 else rkl,
        "n_high_quality": n_good,
        "counts": counts.tolist(),
        "n_modes": K,
    }
