"""Checks for the exercises of ``notebooks/07_wasserstein.ipynb``."""

from __future__ import annotations

import numpy as np
import torch
from scipy.stats import wasserstein_distance

from . import passed


def check_w1_1d(w1_1d) -> None:
    """``w1_1d(x, y)``: W₁ between the empirical distributions of two equal-size 1-D samples
    (numpy arrays ``[n]``). Compared with ``scipy.stats.wasserstein_distance``."""
    rng = np.random.default_rng(0)
    cases = [(rng.normal(0, 1, 500), rng.normal(0, 1, 500)),          # same law: W1 small, means equal-ish
             (rng.normal(0, 1, 400), rng.normal(0, 3, 400)),          # same mean, different spread
             (rng.uniform(0, 1, 300), rng.uniform(0, 1, 300) + 2.5),  # a pure shift
             (np.array([0.0, 1.0]), np.array([1.0, 0.0]))]            # order must not matter
    for x, y in cases:
        got = float(w1_1d(x.copy(), y.copy()))
        want = wasserstein_distance(x, y)
        assert abs(got - want) < 1e-9 * max(1.0, want), (
            f"w1_1d gives {got:.6f}, scipy.stats.wasserstein_distance gives {want:.6f} "
            f"(samples of size {len(x)}, means {x.mean():.2f} and {y.mean():.2f}, stds {x.std():.2f} and {y.std():.2f}). "
            "Hint: in 1-D the optimal transport plan matches the i-th smallest x with the i-th smallest y.")
    passed("w1_1d")


def check_gradient_penalty(gradient_penalty) -> None:
    """``gradient_penalty(critic, real, fake, eps, weight=10.0)``: λ·mean_i (‖∇f(x̂_i)‖₂ − 1)² at
    x̂ = eps·real + (1 − eps)·fake, ``real``/``fake`` ``[B, d]``, ``eps`` ``[B, 1]``; differentiable
    with respect to the critic's parameters (Gulrajani et al. 2017, eq. 3)."""
    g = torch.Generator().manual_seed(0)
    # 1. A linear critic f(x) = w·x has ∇f = w everywhere: the answer is λ·(‖w‖ − 1)².
    lin = torch.nn.Linear(3, 1)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[2.0, -1.0, 2.0]]))    # ‖w‖ = 3
    real, fake, eps = torch.randn(16, 3, generator=g), torch.randn(16, 3, generator=g), torch.rand(16, 1, generator=g)
    got = gradient_penalty(lin, real, fake, eps, 10.0)
    assert torch.is_tensor(got) and got.numel() == 1, "return a scalar tensor"
    assert abs(got.item() - 10.0 * (3.0 - 1.0) ** 2) < 1e-4, (
        f"for the linear critic f(x) = w·x with ‖w‖ = 3 and weight 10 the penalty is 10·(3 − 1)² = 40; got {got.item():.4f}. "
        "Hint: penalise (‖∇f‖ − 1)², the norm (not its square) minus 1, squared.")
    # 2. A non-linear critic: compared with a reference, at the same interpolates.
    mlp = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    real, fake, eps = torch.randn(32, 2, generator=g), 2 + torch.randn(32, 2, generator=g), torch.rand(32, 1, generator=g)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(mlp(x_hat).sum(), x_hat)
    want = 10.0 * ((grad.norm(dim=1) - 1) ** 2).mean()
    got = gradient_penalty(mlp, real, fake, eps, 10.0)
    assert abs(got.item() - want.item()) < 1e-5 * max(1.0, want.item()), (
        f"MLP critic: got {got.item():.6f}, expected {want.item():.6f}. Check the interpolation "
        "x̂ = eps·real + (1 − eps)·fake and that the mean is over the batch.")
    # 3. It must train the critic: a gradient with respect to the critic's parameters.
    mlp.zero_grad()
    try:
        got.backward()
    except RuntimeError as e:
        raise AssertionError(f"the penalty cannot be back-propagated to the critic's weights ({e}): "
                             "pass create_graph=True to torch.autograd.grad") from None
    assert mlp[0].weight.grad is not None and float(mlp[0].weight.grad.abs().sum()) > 0, (
        "the penalty has no gradient with respect to the critic's weights: pass create_graph=True to torch.autograd.grad")
    passed("gradient_penalty")
