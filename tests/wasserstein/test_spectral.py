"""Spectral normalisation: power iteration finds σ_max, and the critic is Lipschitz by construction."""

import torch
import pytest

from gan_course import wasserstein as wass


def test_power_iteration_converges_to_sigma_max():
    g = torch.Generator().manual_seed(0)
    W = torch.randn(3, 5, 4, generator=g, dtype=torch.float64)
    u = torch.nn.functional.normalize(torch.randn(3, 4, generator=g, dtype=torch.float64), dim=-1)
    sigma, _, _ = wass.power_iteration(W, u, steps=200)
    assert torch.allclose(sigma, torch.linalg.matrix_norm(W, ord=2), rtol=1e-8)
    with pytest.raises(ValueError, match="steps"):
        wass.power_iteration(W, u, steps=0)


def test_critic_shapes_and_lipschitz_bound():
    g = torch.Generator().manual_seed(1)
    C = wass.SpectralNormCritic(2, 3, 16, 2, generator=g)
    for _ in range(50):                      # training-mode forwards refine u
        C(torch.randn(2, 8, 3, generator=g))
    C.eval()
    x = torch.randn(2, 200, 3, generator=g)
    assert C(x).shape == (2, 200) and C(x[0]).shape == (2, 200)
    bound = torch.ones(2)
    for W, s in zip(C.weights, C.sigmas()):
        bound = bound * torch.linalg.matrix_norm(W.detach(), ord=2) / s
    assert torch.all(wass.grad_norms(C, x).max(1).values <= bound * (1 + 1e-5))


def test_eval_mode_does_not_move_u():
    C = wass.SpectralNormCritic(1, 2, 8, 1, generator=torch.Generator().manual_seed(2))
    C.eval()
    before = C.u0.clone()
    C(torch.randn(1, 4, 2))
    assert torch.equal(before, C.u0)
    C.train()
    C(torch.randn(1, 4, 2))
    assert not torch.equal(before, C.u0)
