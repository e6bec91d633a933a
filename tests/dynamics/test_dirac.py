"""gan_course.dynamics: the Dirac-GAN of Mescheder et al. (2018), notebook 04."""

import numpy as np
import pytest
import torch

from gan_course import dynamics as dy


def test_vector_field_is_minus_grad_theta_plus_grad_psi_of_V():
    th, ps = np.meshgrid(np.linspace(-3, 3, 13), np.linspace(-2, 2, 9))
    for kind in dy.KINDS:
        t = torch.tensor(th, requires_grad=True)
        p = torch.tensor(ps, requires_grad=True)
        f = torch.nn.functional.logsigmoid if kind == "gan" else (lambda s: s)
        V = f(p * t)
        gt, gp = torch.autograd.grad(V.sum(), (t, p))
        for r1 in (0.0, 0.7):
            u, w = dy.vector_field(th, ps, kind, r1)
            assert np.allclose(u, -gt.numpy(), atol=1e-14)
            assert np.allclose(w, gp.numpy() - r1 * ps, atol=1e-14)
    assert np.allclose(dy.value(th, ps, "gan"), -np.logaddexp(0, -th * ps) - np.log(2))


def test_f_prime_at_zero():
    assert dy.f_prime(0.0, "gan") == pytest.approx(0.5)
    assert dy.f_prime(3.0, "wasserstein") == 1.0


def test_simultaneous_steps_grow_by_exactly_one_plus_h2_fprime2():
    tr = dy.trajectory(0.8, -1.3, 100, 0.3, "simultaneous")
    n2 = (tr**2).sum(-1)
    fp = dy.f_prime(tr[:-1, 0] * tr[:-1, 1])
    assert np.allclose(n2[1:] / n2[:-1], 1 + 0.09 * fp**2, rtol=1e-13)
    assert dy.growth_per_step(tr) > 1


def test_alternating_orbits_and_r1_converges():
    alt = dy.trajectory(1.0, 1.0, 500, 0.2, "alternating")
    n = dy.norms(alt)
    assert n.max() / n.min() < 1.15
    assert dy.spectral_radius(0.2, "alternating") == pytest.approx(1.0, abs=1e-12)
    r1 = dy.trajectory(1.0, 1.0, 500, 0.2, "simultaneous", r1=0.3)
    assert dy.norms(r1)[-1] < 1e-3
    assert dy.trajectory(1.0, 1.0, 500, 0.2, "alternating", r1=0.3)[-1].__abs__().max() < 1e-3


@pytest.mark.parametrize("mode", dy.MODES)
@pytest.mark.parametrize("r1", [0.0, 0.4])
@pytest.mark.parametrize("kind", dy.KINDS)
def test_update_matrix_is_the_jacobian_of_step(mode, r1, kind):
    h, e = 0.3, 1e-6
    J = np.zeros((2, 2))
    for j in range(2):
        x = np.zeros(2)
        x[j] = e
        a = np.array(dy.step(x[0], x[1], h, mode, kind, r1))
        b = np.array(dy.step(-x[0], -x[1], h, mode, kind, r1))
        J[:, j] = (a - b) / (2 * e)
    assert np.allclose(J, dy.update_matrix(h, mode, kind, r1), atol=1e-8)


def test_r1_stability_threshold_is_gamma_over_a_squared():
    gamma = 0.3                                     # a = 1/2 ⇒ h* = γ/a² = 1.2
    assert dy.spectral_radius(1.19, r1=gamma) < 1 < dy.spectral_radius(1.21, r1=gamma)


def test_linearised_rate_matches_measured_near_equilibrium():
    for mode, r1 in [("simultaneous", 0.0), ("simultaneous", 0.3), ("alternating", 0.3)]:
        tr = dy.trajectory(1e-4, 1e-4, 300, 0.2, mode, r1=r1)
        assert dy.growth_per_step(tr) == pytest.approx(dy.spectral_radius(0.2, mode, r1=r1), abs=2e-3)


def test_trajectory_broadcasts_over_starting_points():
    tr = dy.trajectory(np.array([1.0, 2.0, 3.0]), 0.5, 10, 0.1)
    assert tr.shape == (11, 3, 2)
    single = dy.trajectory(2.0, 0.5, 10, 0.1)
    assert np.allclose(tr[:, 1], single)


@pytest.mark.parametrize("call,match", [
    (lambda: dy.step(1, 1, 0.1, mode="sideways"), "sideways"),
    (lambda: dy.step(1, 1, 0.1, kind="hinge"), "hinge"),
    (lambda: dy.step(1, 1, 0.0), "lr"),
    (lambda: dy.vector_field(1, 1, r1=-1), "r1"),
    (lambda: dy.trajectory(1, 1, -3, 0.1), "steps"),
    (lambda: dy.trajectory(1, 1, 2.5, 0.1), "steps"),
])
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
