"""The loss zoo as divergences: for each GAN loss, the optimal discriminator in closed form and the
divergence the generator then minimises, for 1-D densities (notebook 03, last section).

Notation: p = p_data, q = p_g; both are density objects of :mod:`gan_course.theory.divergences`
(``.pdf``, ``.logpdf``, ``.support`` or ``.ppf``). Every integral is adaptive quadrature
(:func:`gan_course.theory.divergences.integrate_over`).

- **minimax** (Goodfellow et al. 2014): D* = p/(p+q) (a probability); V(D*, G) = −log 4 + 2·JSD(p‖q).
- **non-saturating** (Goodfellow et al. 2014, §3): the generator minimises E_q[−log D(x)]. With D* held
  fixed, E_q[−log D*] = KL(q‖p) − 2·JSD(p‖q) + log 4 + E_p[log D*] (expand log D* and log(1 − D*)), so its
  gradient in the generator's parameters is that of KL(q‖p) − 2·JSD (Arjovsky & Bottou 2017, Theorem 2.5):
  the reverse KL, which punishes mass where p has none and not missing modes.
- **least squares** (Mao et al. 2017), labels a for fake, b for real, target c for the generator:
  D* = (b·p + a·q)/(p + q). With b − c = 1 and b − a = 2 (e.g. a = −1, b = 1, c = 0) the generator's
  criterion ½E_p[(D* − c)²] + ½E_q[(D* − c)²] equals ½·χ²_Pearson(2q ‖ p + q) = ½∫(2q − (p+q))²/(p+q).
- **hinge** (Lim & Ye 2017; Miyato et al. 2018): the discriminator minimises E_p[max(0, 1 − D)] +
  E_q[max(0, 1 + D)]; D* = sign(p − q) (any value in [−1, 1] where p = q) and the minimum is
  2 − 2·TV(p, q), TV = ½∫|p − q|: the hinge discriminator measures total variation.
- **Wasserstein** (Arjovsky et al. 2017): W₁(p, q) = ∫|F_p − F_q| dx in 1-D (primal); the optimal critic is
  f*(x) = ∫^x sign(F_q − F_p), 1-Lipschitz, and E_p[f*] − E_q[f*] = W₁ (dual).
- **f-GAN** (Nowozin et al. 2016): D_f(p‖q) = ∫ q f(p/q) ≥ sup_T E_p[T] − E_q[f^*(T)] with f^* the convex
  conjugate; the bound is tight at T* = f'(p/q). For KL (f(t) = t log t): f^*(u) = e^{u−1}, T* = 1 + log(p/q).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize

from gan_course.theory.divergences import integrate_over, js_divergence, kl_divergence, optimal_discriminator

LOSSES = ("minimax", "non_saturating", "least_squares", "hinge", "wasserstein", "f_kl")


def _log_ratio(p, q, x):
    """log p(x) − log q(x) (finite where both densities are > 0)."""
    return np.asarray(p.logpdf(x), dtype=float) - np.asarray(q.logpdf(x), dtype=float)


def d_star(kind: str, p, q, x, a: float = -1.0, b: float = 1.0) -> np.ndarray:
    """The optimal discriminator (or critic, or f-GAN variational function) of loss ``kind`` at ``x``.

    minimax / non_saturating: p/(p+q) (probability of "real"); least_squares: (b·p + a·q)/(p+q);
    hinge: sign(p − q); f_kl: 1 + log(p/q). ``wasserstein`` has no pointwise formula: see :func:`critic_w1`.
    """
    x = np.asarray(x, dtype=float)
    if kind in ("minimax", "non_saturating"):
        return optimal_discriminator(p, q, x)
    if kind == "least_squares":
        s = optimal_discriminator(p, q, x)           # p/(p+q), computed stably
        return b * s + a * (1.0 - s)
    if kind == "hinge":
        return np.sign(_log_ratio(p, q, x))
    if kind == "f_kl":
        return 1.0 + _log_ratio(p, q, x)
    raise ValueError(f"no pointwise D* for loss {kind!r}; allowed: minimax, non_saturating, least_squares, hinge, f_kl")


def criterion_at_optimum(kind: str, p, q, a: float = -1.0, b: float = 1.0, c: float = 0.0) -> float:
    """The loss's criterion with D = D*, integrated directly from the loss's own formula.

    minimax: V(D*, G); non_saturating: E_q[−log D*]; least_squares: ½E_p[(D* − c)²] + ½E_q[(D* − c)²];
    hinge: the discriminator's minimal loss E_p[(1 − D*)₊] + E_q[(1 + D*)₊];
    f_kl: the f-GAN bound E_p[T*] − E_q[exp(T* − 1)].
    """
    def at(x):
        return float(d_star(kind, p, q, np.array([x]), a, b)[0])

    if kind == "minimax":
        return integrate_over(lambda x: p.pdf(x) * math.log(at(x)) + q.pdf(x) * math.log1p(-at(x)), p, q)
    if kind == "non_saturating":
        return integrate_over(lambda x: -q.pdf(x) * math.log(at(x)), p, q)
    if kind == "least_squares":
        return integrate_over(lambda x: 0.5 * (p.pdf(x) + q.pdf(x)) * (at(x) - c) ** 2, p, q)
    if kind == "hinge":
        return integrate_over(lambda x: p.pdf(x) * max(0.0, 1 - at(x)) + q.pdf(x) * max(0.0, 1 + at(x)), p, q)
    if kind == "f_kl":
        return integrate_over(lambda x: p.pdf(x) * at(x) - q.pdf(x) * math.exp(at(x) - 1), p, q)
    raise ValueError(f"unknown loss {kind!r}; allowed: minimax, non_saturating, least_squares, hinge, f_kl")


def f_divergence(f, p, q) -> float:
    """D_f(p ‖ q) = ∫ q f(p/q) dx for a convex f with f(1) = 0 (Nowozin et al. 2016, eq. 2)."""
    def integrand(x):
        qx = float(q.pdf(x))
        return qx * f(float(p.pdf(x)) / qx) if qx > 0 else 0.0
    return integrate_over(integrand, p, q)


def divergence(kind: str, p, q) -> float:
    """The divergence each loss's criterion equals at D* (up to the constants in :func:`criterion_at_optimum`),
    computed by a different route: minimax → −log 4 + 2·JSD (through KL); non_saturating → KL(q‖p) − 2·JSD + log 4
    + E_p[log D*]; least_squares (a, b, c = −1, 1, 0) → ½·χ²_Pearson(2q ‖ p + q) as an f-divergence;
    hinge → 2 − 2·TV from the probability of {p > q}; f_kl → KL(p‖q); wasserstein → ∫|F_p − F_q|.
    """
    if kind == "minimax":
        return -math.log(4) + 2 * js_divergence(p, q)
    if kind == "non_saturating":
        e_log_d = integrate_over(lambda x: p.pdf(x) * (float(p.logpdf(x)) - float(np.logaddexp(p.logpdf(x), q.logpdf(x)))), p, q)
        return kl_divergence(q, p) - 2 * js_divergence(p, q) + math.log(4) + e_log_d
    if kind == "least_squares":
        class _Sum:  # (p + q) as a measure with p's and q's breakpoints
            support = (min(p.support[0], q.support[0]), max(p.support[1], q.support[1]))
            breakpoints = np.concatenate([np.ravel(p.breakpoints), np.ravel(q.breakpoints)])

            @staticmethod
            def pdf(x):
                return p.pdf(x) + q.pdf(x)

        class _Twice(_Sum):
            @staticmethod
            def pdf(x):
                return 2 * q.pdf(x)

        return 0.5 * f_divergence(lambda t: (t - 1.0) ** 2, _Twice, _Sum)
    if kind == "hinge":
        return 2.0 - 2.0 * total_variation(p, q)
    if kind == "f_kl":
        return kl_divergence(p, q)
    if kind == "wasserstein":
        return w1(p, q)
    raise ValueError(f"unknown loss {kind!r}; allowed: {', '.join(LOSSES)}")


def _crossings(fn, lo: float, hi: float, n: int = 4001) -> list[float]:
    """Roots of ``fn`` in [lo, hi], bracketed on a grid of ``n`` points and refined with brentq."""
    xs = np.linspace(lo, hi, n)
    v = np.array([fn(x) for x in xs])
    out = [float(x) for x in xs[v == 0]]                 # a root on the grid itself
    for i in np.nonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)[0]:
        out.append(optimize.brentq(fn, xs[i], xs[i + 1], xtol=1e-14))
    return sorted(out)


def crossings(p, q) -> list[float]:
    """The points where p(x) = q(x) inside the densities' joint range (where D* of the hinge jumps)."""
    lo, hi = min(p.support[0], q.support[0]), max(p.support[1], q.support[1])
    return _crossings(lambda x: float(_log_ratio(p, q, x)), lo, hi)


def total_variation(p, q) -> float:
    """TV(p, q) = sup_A |P(A) − Q(A)| = P(p > q) − Q(p > q), from the CDFs at the points where p = q."""
    lo, hi = min(p.support[0], q.support[0]), max(p.support[1], q.support[1])
    cuts = [lo] + crossings(p, q) + [hi]
    tv = 0.0
    for u, v in zip(cuts[:-1], cuts[1:]):
        mid = 0.5 * (u + v)
        if _log_ratio(p, q, mid) > 0:
            tv += (p.cdf(v) - p.cdf(u)) - (q.cdf(v) - q.cdf(u))
    return float(tv)


def w1(p, q) -> float:
    """W₁(p, q) = ∫|F_p − F_q| dx (the 1-D primal form)."""
    return integrate_over(lambda x: abs(float(p.cdf(x)) - float(q.cdf(x))), p, q)


def critic_w1(p, q):
    """The optimal 1-Lipschitz critic f*(x) = ∫_{lo}^{x} sign(F_q − F_p) dt as a function, and its kinks."""
    lo, hi = min(p.support[0], q.support[0]), max(p.support[1], q.support[1])
    kinks = [lo] + _crossings(lambda x: float(q.cdf(x) - p.cdf(x)), lo, hi) + [hi]
    signs = [float(np.sign(q.cdf(0.5 * (u + v)) - p.cdf(0.5 * (u + v)))) for u, v in zip(kinks[:-1], kinks[1:])]
    values = np.concatenate([[0.0], np.cumsum([s * (v - u) for s, u, v in zip(signs, kinks[:-1], kinks[1:])])])

    def f(x):
        x = np.asarray(x, dtype=float)
        i = np.clip(np.searchsorted(kinks, x, side="right") - 1, 0, len(signs) - 1)
        return values[i] + np.asarray(signs)[i] * (x - np.asarray(kinks)[i])

    return f, kinks[1:-1]


def dual_w1(p, q) -> float:
    """E_p[f*] − E_q[f*] for the critic of :func:`critic_w1` (the Kantorovich–Rubinstein dual at its optimum)."""
    f, _ = critic_w1(p, q)
    return integrate_over(lambda x: float(f(x)) * (float(p.pdf(x)) - float(q.pdf(x))), p, q)
