"""MAD-GAN's theory (Ghosh et al. 2018) by quadrature, and MAD-GAN-Sim's generator gradient."""

import math

import numpy as np
import pytest
import torch

from gan_course.modes.ensemble import BatchedMLP
from gan_course.modes.madgan import (d_objective, generator_features, generator_objective,
                                     generator_objective_minimum, madgan_g_loss, madgan_sim_g_loss,
                                     mode_ownership, optimal_discriminator, sim_hinge)
from gan_course.toy import GaussianMixture1D

X = np.linspace(-8, 8, 4001)


def pdf(means, stds):
    return torch.as_tensor(GaussianMixture1D(means, stds).pdf(X))


P_DATA = pdf([-2.0, 2.0], [0.5, 0.5])


def test_formula_maximises_the_objective_found_by_optimisation():
    # independent route: maximise the quadrature objective over free softmax logits on a coarse grid
    x = np.linspace(-6, 6, 241)
    pd = torch.as_tensor(GaussianMixture1D([-2.0, 2.0], [0.7, 0.7]).pdf(x))
    pg = torch.stack([torch.as_tensor(GaussianMixture1D([-1.0], [1.0]).pdf(x)),
                      torch.as_tensor(GaussianMixture1D([1.5], [0.6]).pdf(x))])
    logits = torch.zeros(3, len(x), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([logits], max_iter=500, line_search_fn="strong_wolfe")
    w = torch.cat([pg, pd[None]])

    def closure():
        opt.zero_grad()
        loss = -torch.trapezoid((w * torch.log_softmax(logits, 0)).sum(0), torch.as_tensor(x))
        loss.backward()
        return loss
    for _ in range(5):
        opt.step(closure)
    found = torch.softmax(logits, 0).detach()
    formula = optimal_discriminator(pd, pg)
    mask = w.sum(0) > 1e-2            # where some density is non-negligible D is pinned down
    assert (found - formula)[:, mask].abs().max() < 5e-3   # LBFGS's tolerance on a flat optimum
    assert d_objective(formula, x, pd, pg) >= d_objective(found, x, pd, pg) - 1e-9
    # any perturbation of D* lowers the objective
    g = torch.Generator().manual_seed(0)
    for _ in range(5):
        other = torch.softmax(torch.log(formula) + 0.3 * torch.randn(formula.shape, generator=g, dtype=torch.float64), 0)
        assert d_objective(other, x, pd, pg) < d_objective(formula, x, pd, pg)


def test_formula_rows_are_probabilities_and_k1_is_the_gan_d_star():
    pg = pdf([0.0], [1.0])[None]
    d = optimal_discriminator(P_DATA, pg)
    assert torch.allclose(d.sum(0), torch.ones(len(X), dtype=torch.float64))
    torch.testing.assert_close(d[1], P_DATA / (P_DATA + pg[0]))   # Goodfellow et al.'s D*


@pytest.mark.parametrize("k", [1, 2, 3])
def test_generator_objective_minimum_when_the_mixture_is_p_data(k):
    # generators that each hold different modes, but whose mixture is p_data
    if k == 1:
        gens = [P_DATA]
    elif k == 2:
        gens = [pdf([-2.0], [0.5]), pdf([2.0], [0.5])]
    else:
        gens = [pdf([-2.0], [0.5]), pdf([2.0], [0.5]), P_DATA]
    pg = torch.stack(gens)
    assert torch.allclose(pg.mean(0), P_DATA)
    v = generator_objective(X, P_DATA, pg)
    assert v == pytest.approx(generator_objective_minimum(k), abs=1e-6)
    # each generator alone is far from p_data, yet the value is the minimum
    wrong = torch.stack([pdf([-2.0], [0.5])] * k)               # a mixture that misses the mode at +2
    assert generator_objective(X, P_DATA, wrong) > v + 0.1
    shifted = torch.stack([pdf([-1.5, 2.5], [0.5, 0.5])] * k)
    assert generator_objective(X, P_DATA, shifted) > v + 0.01


def _setup(k=3, b=5, seed=0):
    G = BatchedMLP([2, 8, 6, 2], list(range(k)))
    torch.manual_seed(seed)
    z = torch.randn(1, b, 2).expand(k, b, 2).contiguous()
    return G, z


def test_generator_features_reproduce_the_forward_pass():
    G, z = _setup()
    phi, x = generator_features(G, z)
    torch.testing.assert_close(x, G(z))
    assert phi.shape == (3, 5, 6) and (phi >= 0).all()


def _grads(G, logits_of, weight=1.0):
    """Gradients of MAD-GAN's and MAD-GAN-Sim's generator losses, and the hinge, for logits_of(x) [1, k, b, k+1]."""
    phi, x = generator_features(G, _setup()[1])
    k, b, _ = x.shape
    logits = logits_of(x).reshape(1, k, b, k + 1)
    feats = phi.reshape(1, k, b, -1)
    params = list(G.parameters())
    gm = torch.autograd.grad(madgan_g_loss(logits), params, retain_graph=True)
    gs = torch.autograd.grad(madgan_sim_g_loss(logits, feats, weight), params, retain_graph=True)
    return gm, gs, sim_hinge(torch.softmax(logits, -1), feats)


def test_sim_gradient_equals_madgan_where_the_constraint_holds_and_differs_where_violated():
    k = 3
    G, _ = _setup(k)
    own = torch.eye(k + 1)[:k] * 30.0                      # generator i's samples: class i with probability ≈ 1

    def separating(x):                                       # D_i(G_i(z)) ≈ 1, D_i(G_j(z)) ≈ 0: 1 ≥ 0 + cos holds
        return own[:, None, :] + 0.01 * (x @ torch.ones(2, k + 1))

    gm, gs, hinge = _grads(G, separating)
    assert hinge.max() == 0
    for a, c in zip(gm, gs):
        torch.testing.assert_close(a, c)

    lin = torch.randn(2, k + 1, generator=torch.Generator().manual_seed(2))

    def confused(x):                                         # D cannot tell the generators apart: violated
        return x @ lin

    gm, gs, hinge = _grads(G, confused)
    assert hinge.max() > 0.5
    assert max((a - c).abs().max().item() for a, c in zip(gm, gs)) > 1e-3


def test_sim_hinge_by_hand():
    # k = 2, one z: D_0(x_0) = 0.5, D_0(x_1) = 0.4, cos = 1 → violation 0.4 + 1 − 0.5 = 0.9
    probs = torch.tensor([[[[0.5, 0.2, 0.3]], [[0.4, 0.5, 0.1]]]])      # [E=1, k=2, b=1, 3]
    phi = torch.tensor([[[[1.0, 0.0]], [[2.0, 0.0]]]])
    h = sim_hinge(probs, phi)
    assert h[0, 0, 1, 0].item() == pytest.approx(0.9)
    assert h[0, 1, 0, 0].item() == pytest.approx(0.2 + 1 - 0.5)       # D_1(x_0) + 1 − D_1(x_1)
    assert h[0, 0, 0, 0] == 0 and h[0, 1, 1, 0] == 0
    phi_orth = torch.tensor([[[[1.0, 0.0]], [[0.0, 3.0]]]])
    assert sim_hinge(probs, phi_orth).max() == 0                        # cos = 0 and own ≥ cross: holds


def test_mode_ownership_by_hand():
    centers, stds = [0.0, 10.0], 1.0
    samples = torch.tensor([0.1, -0.2, 0.3, 10.0, 9.9, 50.0])[:, None]
    labels = torch.tensor([0, 0, 1, 1, 1, 0])
    r = mode_ownership(samples, labels, centers, stds, k=2)
    assert r["counts"] == [[2, 0], [1, 2]]
    assert r["purity"] == pytest.approx(4 / 5)
    assert r["shared"] == 1 and r["modes_per_generator"] == [1, 2]
