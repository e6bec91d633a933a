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


def check_max_stable_lr(max_stable_lr) -> None:
    """``max_stable_lr(gamma, a) -> float``: the largest step size h for which *simultaneous*
    gradient steps with the R1 penalty γ converge to the equilibrium, f'(0) = a (answer: γ/a²)."""
    from gan_course.dynamics.dirac import spectral_radius

    for gamma, a in [(0.3, 0.5), (1.0, 0.5), (0.1, 1.0), (2.0, 1.0), (0.5, 0.25)]:
        h = float(max_stable_lr(gamma, a))
        assert np.isfinite(h) and h > 0, f"max_stable_lr({gamma}, {a}) = {h}: expected a positive number"
        # spectral radius of I + h·[[0, −a], [a, −γ]]: below 1 just under h, above 1 just over it
        m = lambda hh: np.max(np.abs(np.linalg.eigvals(np.eye(2) + hh * np.array([[0.0, -a], [a, -gamma]]))))
        assert m(0.99 * h) < 1 and m(1.01 * h) > 1, (
            f"max_stable_lr({gamma}, {a}) = {h:.4g}, but the spectral radius is {m(0.99 * h):.4f} at 0.99·h and "
            f"{m(1.01 * h):.4f} at 1.01·h: it must cross 1 exactly at h. Hint: the eigenvalues of the update "
            "matrix are 1 + hλ with λ = −γ/2 ± i·√(a² − γ²/4); solve |1 + hλ|² = 1.")
        if a == 0.5:  # the Dirac-GAN of the notebook: same matrix as gan_course.dynamics.dirac
            assert abs(spectral_radius(0.99 * h, "simultaneous", "gan", gamma) - m(0.99 * h)) < 1e-12
    passed("max_stable_lr")
