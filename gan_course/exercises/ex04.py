"""Checks for the exercises of ``notebooks/04_training_dynamics.ipynb`` (Dirac-GAN, Mescheder et al. 2018)."""

from __future__ import annotations

import numpy as np

from . import passed


def check_simultaneous_step(simultaneous_step) -> None:
    """``simultaneous_step(theta, psi, lr) -> (theta, psi)``: one simultaneous gradient step of the
    Dirac-GAN with f(t) = log σ(t): θ ← θ − h·f'(ψθ)·ψ, ψ ← ψ + h·f'(ψθ)·θ, f'(t) = σ(−t)."""
    from gan_course.dynamics.dirac import step

    rng = np.random.default_rng(0)
    for theta, psi, lr in [(1.0, 1.0, 0.1), (0.3, -2.0, 0.5), (-1.5, 0.7, 0.05)] + \
            [tuple(rng.normal(size=2)) + (0.2,) for _ in range(5)]:
        got = simultaneous_step(theta, psi, lr)
        assert len(got) == 2, "return a pair (new_theta, new_psi)"
        want = step(theta, psi, lr, "simultaneous")
        assert np.allclose(np.asarray(got, dtype=float), want, rtol=1e-9, atol=1e-12), (
            f"at θ={theta:.3g}, ψ={psi:.3g}, lr={lr}: got {np.round(got, 6)}, expected {np.round(want, 6)}. "
            "Both players must use the OLD (θ, ψ); G descends V (θ − h f'(ψθ) ψ), D ascends it "
            "(ψ + h f'(ψθ) θ), with f'(t) = 1/(1 + e^t).")
    passed("simultaneous_step")


def check_extragradient_max_lr(extragradient_max_lr) -> None:
    """``extragradient_max_lr(a) -> float``: the largest step size h for which the extragradient update of the
    Dirac-GAN without a penalty, I + hJ + (hJ)² with J = [[0, −a], [a, 0]], has spectral radius below 1."""
    from gan_course.dynamics.methods import jacobian, spectral_radius, update_matrix

    for a in (0.5, 1.0, 0.25, 2.0):
        h = float(extragradient_max_lr(a))
        assert np.isfinite(h) and h > 0, f"extragradient_max_lr({a}) = {h}: expected a positive number"
        J = np.array([[0.0, -a], [a, 0.0]])
        m = lambda hh: spectral_radius(update_matrix(J, "extragradient", hh))
        assert m(0.99 * h) < 1 and m(1.01 * h) > 1, (
            f"extragradient_max_lr({a}) = {h:.4g}, but the spectral radius is {m(0.99 * h):.4f} at 0.99·h and "
            f"{m(1.01 * h):.4f} at 1.01·h: it must cross 1 exactly at h. Hint: the eigenvalues are 1 + hλ + h²λ² "
            "with λ = ±ia; write the squared modulus as a polynomial in (ha)² and ask when it is below 1.")
        if a == 0.5:  # the notebook's Dirac-GAN: the same matrix as gan_course.dynamics.methods gives
            assert abs(m(0.99 * h) - spectral_radius(update_matrix(jacobian("minimax"), "extragradient", 0.99 * h))) < 1e-8
    passed("extragradient_max_lr")
