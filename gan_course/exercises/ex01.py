"""Checks for the exercises of ``notebooks/01_generative_models.ipynb``."""

from __future__ import annotations

import numpy as np

from . import passed


def check_gaussian_mle(gaussian_mle) -> None:
    """``gaussian_mle(x) -> (mu, sigma)``: maximum-likelihood estimates (σ with 1/n, not 1/(n − 1))."""
    rng = np.random.default_rng(0)
    for x in [np.array([1.0, 3.0]), np.array([0.0, 0.0, 3.0]), rng.normal(2.0, 0.5, size=7), rng.normal(-1, 3, size=50)]:
        mu, sigma = (float(v) for v in gaussian_mle(x.copy()))
        assert abs(mu - x.mean()) < 1e-10, f"x = {np.round(x, 3)}: μ̂ = {mu}, expected the sample mean {x.mean():.6f}"
        want = x.std(ddof=0)
        assert abs(sigma - want) < 1e-10, (
            f"x = {np.round(x, 3)}: σ̂ = {sigma:.6f}, expected {want:.6f}. "
            + ("Hint: the ML estimate divides by n, not n − 1 (that is the unbiased variance, not the MLE)."
               if abs(sigma - x.std(ddof=1)) < 1e-10 else
               "Hint: σ̂ is a standard deviation: the square root of the mean squared deviation from μ̂."))
    passed("gaussian_mle")


def check_kl_to_standard_normal(kl_to_standard_normal) -> None:
    """``kl_to_standard_normal(mu, logvar) -> [B]``: KL(N(μ, diag e^logvar) ‖ N(0, I)) per row, nats."""
    import torch

    g = torch.Generator().manual_seed(0)
    mu = torch.randn(5, 3, generator=g, dtype=torch.float64)
    logvar = torch.randn(5, 3, generator=g, dtype=torch.float64)
    got = kl_to_standard_normal(mu.clone(), logvar.clone())
    assert torch.is_tensor(got) and got.shape == (5,), f"return one KL per row: shape (5,), got {getattr(got, 'shape', got)}"
    var = logvar.exp()
    # closed form for each dimension: log(1/σ) + (σ² + μ²)/2 − ½
    want = (-0.5 * logvar + (var + mu**2) / 2 - 0.5).sum(1)
    err = (got - want).abs().max().item()
    assert err < 1e-9, (f"max error {err:.3g}. Hint: KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²) per dimension, "
                        "summed over dimensions; logvar is log σ², so σ² = exp(logvar).")
    zero = kl_to_standard_normal(torch.zeros(2, 4, dtype=torch.float64), torch.zeros(2, 4, dtype=torch.float64))
    assert torch.allclose(zero, torch.zeros(2, dtype=torch.float64)), "KL of N(0, I) to itself must be 0"
    passed("kl_to_standard_normal")
