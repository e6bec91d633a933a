"""Dirac-GAN fields of the loss zoo and the update rules: Jacobians, update matrices, trajectories."""

import numpy as np
import pytest

from gan_course import dynamics
from gan_course.dynamics import methods as m


def test_jacobians_at_equilibrium():
    assert np.allclose(m.jacobian("minimax"), [[0, 0.5], [-0.5, 0]], atol=1e-8)
    assert np.allclose(m.jacobian("non_saturating"), [[0, 0.5], [-0.5, 0]], atol=1e-8)
    assert np.allclose(m.jacobian("least_squares"), [[0, 0], [-1, 0]], atol=1e-8)
    for loss in ("hinge", "wasserstein"):
        assert np.allclose(m.jacobian(loss), [[0, 1], [-1, 0]], atol=1e-8)
    assert np.allclose(m.jacobian("minimax", r1=0.3), [[0, 0.5], [-0.5, -0.3]], atol=1e-8)


def test_same_eigenvalues_as_dirac_module():
    # the dirac module uses the opposite sign for ψ: the same eigenvalues
    J = m.jacobian("minimax", r1=0.3)
    a = np.sort_complex(np.linalg.eigvals(np.eye(2) + 0.2 * J))
    b = np.sort_complex(np.linalg.eigvals(dynamics.update_matrix(0.2, "simultaneous", r1=0.3)))
    assert np.allclose(a, b, atol=1e-8)


@pytest.mark.parametrize("method,kw", [("simultaneous", {}), ("simultaneous", {"h_d": 0.8}),
                                       ("extragradient", {}), ("optimistic", {}), ("consensus", {"eta": 1.0})])
def test_rate_near_equilibrium_matches_update_matrix(method, kw):
    tr = m.trajectory("wasserstein", method, [1e-3, 1e-3], 300, 0.1, **kw)
    n = np.linalg.norm(tr, axis=1)
    measured = (n[-1] / n[0]) ** (1 / 300)
    predicted = m.spectral_radius(m.update_matrix(m.jacobian("wasserstein"), method, 0.1, **kw))
    assert abs(measured - predicted) < 2e-3


def test_errors():
    with pytest.raises(ValueError, match="unknown method"):
        m.trajectory("minimax", "newton", [1, 1], 3, 0.1)
    with pytest.raises(ValueError, match="unknown loss"):
        m.field("nope", 0.0, 0.0)
    with pytest.raises(ValueError, match="step sizes"):
        m.update_matrix(np.eye(2), "simultaneous", 0.0)


def test_measured_rate_ttur_in_eigenbasis():
    J = m.jacobian("minimax")
    M = m.update_matrix(J, "simultaneous", 0.1, 0.4)
    tr = m.trajectory("minimax", "simultaneous", [1e-3, 1e-3], 400, 0.1, 0.4)
    assert abs(m.measured_rate(M, tr) - m.spectral_radius(M)) < 1e-6
    assert abs(m.spectral_radius(M) - np.sqrt(1 + 0.25 * 0.1 * 0.4)) < 1e-12
