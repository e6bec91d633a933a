"""Checks for the exercises of ``notebooks/03_optimal_discriminator_and_jsd.ipynb``."""

from __future__ import annotations

import math

import numpy as np

from . import passed


def _jsd(p, q):
    from scipy.special import xlogy
    m = (p + q) / 2
    return 0.5 * np.sum(xlogy(p, p) - xlogy(p, m)) + 0.5 * np.sum(xlogy(q, q) - xlogy(q, m))


def check_jsd_discrete(jsd_discrete) -> None:
    """``jsd_discrete(p, q) -> float``: Jensen–Shannon divergence in nats of two probability vectors."""
    rng = np.random.default_rng(0)
    cases = [(np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.0, 1.0]), "disjoint supports")]
    cases.append((np.array([0.2, 0.3, 0.5]), np.array([0.2, 0.3, 0.5]), "identical vectors"))
    cases.append((np.array([0.7, 0.3, 0.0]), np.array([0.1, 0.4, 0.5]), "a zero bin in one vector"))
    for _ in range(4):
        p, q = rng.dirichlet(np.ones(6)), rng.dirichlet(np.ones(6))
        cases.append((p, q, "random histograms"))
    for p, q, what in cases:
        got = float(jsd_discrete(p.copy(), q.copy()))
        want = float(_jsd(p, q))
        assert np.isfinite(got), (f"{what}: got {got}. Bins with p = 0 contribute 0·log 0 = 0 — "
                                  "use scipy.special.xlogy or mask those bins instead of computing log(0).")
        assert abs(got - want) < 1e-10, (
            f"{what}: p = {np.round(p, 3)}, q = {np.round(q, 3)}: got {got:.6f}, expected {want:.6f}. "
            + ("Hint: in nats use the natural log (np.log), not log2; disjoint supports give log 2 = 0.6931."
               if abs(got - want / math.log(2)) < 1e-9 else
               "Hint: JSD = ½ KL(p ‖ m) + ½ KL(q ‖ m) with m = (p + q)/2 — not KL(p ‖ q)."))
        assert abs(float(jsd_discrete(q.copy(), p.copy())) - got) < 1e-12, "JSD must be symmetric in p and q"
    passed("jsd_discrete")


def check_d_star_logit(d_star_logit) -> None:
    """``d_star_logit(x, mu_d, s_d, mu_g, s_g)``: log p_data(x) − log p_g(x) for two Gaussians."""
    from scipy import stats

    x = np.linspace(-6, 10, 41)
    for mu_d, s_d, mu_g, s_g in [(4.0, 0.5, 3.0, 1.0), (0.0, 1.0, 2.0, 1.0), (1.0, 2.0, -1.0, 0.3)]:
        got = np.asarray(d_star_logit(x, mu_d, s_d, mu_g, s_g), dtype=float)
        want = stats.norm.logpdf(x, mu_d, s_d) - stats.norm.logpdf(x, mu_g, s_g)
        assert got.shape == x.shape, f"return one log-odds per x: shape {x.shape}, got {got.shape}"
        err = np.max(np.abs(got - want))
        assert err < 1e-8, (
            f"N({mu_d}, {s_d}²) vs N({mu_g}, {s_g}²): max error {err:.3g}. "
            + ("Hint: the normalising constants differ when s_d ≠ s_g: add log(s_g / s_d)."
               if np.allclose(got - want, -np.log(s_g / s_d)) else
               "Hint: log N(x; μ, s²) = −log s − ½ log 2π − (x − μ)²/(2 s²); the log 2π terms cancel."))
    passed("d_star_logit")


def _ls_reference(p, q, dx, a, b, c):
    d = (b * p + a * q) / (p + q)
    return float(0.5 * np.sum((p + q) * (d - c) ** 2) * dx)


def check_ls_criterion(ls_criterion) -> None:
    """``ls_criterion(p, q, dx, a, b, c) -> float``: the least-squares generator criterion at the optimal D."""
    from scipy import stats

    x = np.linspace(-8, 12, 4001)
    dx = float(x[1] - x[0])
    pairs = [(stats.norm.pdf(x, 4, 0.5), stats.norm.pdf(x, 3, 1)), (stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 1, 2))]
    labels = [(-1.0, 1.0, 0.0), (0.0, 1.0, 1.0), (0.0, 1.0, 0.5), (-2.0, 3.0, 1.0)]
    for p, q in pairs:
        for a, b, c in labels:
            got = float(ls_criterion(p.copy(), q.copy(), dx, a, b, c))
            want = _ls_reference(p, q, dx, a, b, c)
            if abs(got - want) > 1e-6 * max(1.0, abs(want)):
                hint = "Hint: minimise ½p(D − b)² + ½q(D − a)² pointwise in D; then integrate BOTH expectations."
                if abs(got - 0.5 * float(np.sum((p - q) ** 2 / (p + q)) * dx)) < 1e-9:
                    hint = "Hint: ½∫(p − q)²/(p + q) holds only for a = −1, b = 1, c = 0: keep the labels general."
                elif abs(got - _ls_reference(p, q, dx, b, a, c)) < 1e-9:
                    hint = "Hint: D* is pulled towards b where the data are (p), towards a where the fakes are (q)."
                raise AssertionError(f"labels a = {a}, b = {b}, c = {c}: got {got:.6f}, expected {want:.6f}. {hint}")
    # at p = q the optimal D is (a + b)/2 everywhere
    p = stats.norm.pdf(x, 0, 1)
    want = 0.5 * ((0.5 - 0.0) ** 2) * 2 * float(np.sum(p) * dx)
    assert abs(float(ls_criterion(p.copy(), p.copy(), dx, 0.0, 1.0, 0.0)) - want) < 1e-6, (
        "for p = q, D* = (a + b)/2 everywhere; the criterion is then ((a + b)/2 − c)²")
    passed("ls_criterion")
