"""The theory of Goodfellow et al. (2014), §4, computed exactly for 1-D densities.

Taught in ``notebooks/03_optimal_discriminator_and_jsd.ipynb`` (used again in 05 and 07).

- Proposition 1: for a fixed G the optimal discriminator is D*(x) = p_data(x) / (p_data(x) + p_g(x)).
- V(D, G) = E_{x~p_data}[log D(x)] + E_{x~p_g}[log(1 − D(x))]   (eq. 1, with x = G(z)).
- Theorem 1: C(G) = max_D V(D, G) = V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g).
- KL(p ‖ q) = ∫ p log(p/q);  JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m),  m = (p + q)/2.  All in nats.

Densities are any objects with ``.pdf`` on numpy arrays: frozen ``scipy.stats`` continuous
distributions and :class:`gan_course.toy.GaussianMixture1D`. A degenerate one (zero, negative or NaN scale, a
non-finite location, parameters scipy rejects) raises ``ValueError`` naming the value. Integrals use
``scipy.integrate.quad`` piecewise between breakpoints (support ends, quantiles, modes ± a few
standard deviations), so narrow densities, far-apart modes and disjoint supports are integrated
accurately (not on a fixed grid). :func:`virtual_criterion` integrates V(D*, G) directly and
:func:`js_divergence` goes through KL, so checking Theorem 1 compares two different computations.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import integrate

_QUANTILES = (1e-15, 1e-9, 1e-5, 1e-3, 0.02, 0.16, 0.5, 0.84, 0.98, 1 - 1e-3, 1 - 1e-5, 1 - 1e-9, 1 - 1e-15)
_EPSABS, _EPSREL, _LIMIT = 1e-14, 1e-11, 200


def _check_density(name: str, p) -> None:
    if not callable(getattr(p, "pdf", None)):
        raise ValueError(f"{name} must be a density with a .pdf method (a frozen scipy.stats distribution "
                         f"or gan_course.toy.GaussianMixture1D), got {type(p).__name__}: {p!r}")
    if not (hasattr(p, "support") or callable(getattr(p, "ppf", None))):
        raise ValueError(f"{name} ({p!r}) gives no support information: it needs .support (and optionally "
                         ".breakpoints) or .ppf so the integration range is known")
    if hasattr(p, "dist") and hasattr(p, "args") and hasattr(p, "kwds"):     # a frozen scipy.stats distribution
        _check_scipy(name, p)


def _check_scipy(name: str, p) -> None:
    """Frozen ``scipy.stats`` distributions take any parameters and return NaN densities for invalid ones."""
    args, kwds = list(p.args), dict(p.kwds)
    n = p.dist.numargs                                           # shape parameters come first, then loc, scale
    loc = kwds.get("loc", args[n] if len(args) > n else 0.0)
    scale = kwds.get("scale", args[n + 1] if len(args) > n + 1 else 1.0)
    shown = f"{p.dist.name}({', '.join([repr(a) for a in args] + [f'{k}={v!r}' for k, v in kwds.items()])})"
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"{name} = {shown} is degenerate: its scale must be finite and > 0, got scale={scale!r}")
    if not np.isfinite(loc):
        raise ValueError(f"{name} = {shown} is degenerate: its location must be finite, got loc={loc!r}")
    if np.isnan(np.asarray(p.support(), dtype=float)).any():
        raise ValueError(f"{name} = {shown} has parameters scipy.stats.{p.dist.name} does not accept "
                         f"(shape parameters {args[:n]!r})")


def _logpdf(p, x):
    if callable(getattr(p, "logpdf", None)):
        return np.asarray(p.logpdf(x), dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(p.pdf(x), dtype=float))


def _points(p) -> tuple[float, float, list[float]]:
    """Integration range ``(lo, hi)`` holding all but ~1e-15 of p's mass, and breakpoints inside it."""
    sup = p.support() if callable(getattr(p, "support", None)) else getattr(p, "support", None)
    pts: list[float] = []
    mixture = hasattr(p, "means") and hasattr(p, "stds")
    if mixture:  # a Gaussian mixture: modes and modes ± 1, 3, 6 std
        for m, s in zip(np.ravel(p.means), np.ravel(p.stds)):
            pts += [m + k * s for k in (-6, -3, -1, 0, 1, 3, 6)]
    elif callable(getattr(p, "ppf", None)):  # quantiles of a scipy distribution
        pts += [float(v) for v in np.asarray(p.ppf(np.array(_QUANTILES)), dtype=float)]
    if hasattr(p, "breakpoints") and not callable(p.breakpoints):
        pts += [float(v) for v in np.ravel(p.breakpoints)]
    if callable(getattr(p, "mean", None)):
        pts.append(float(p.mean()))
    pts = [v for v in pts if np.isfinite(v)]
    if sup is None:
        if not pts:
            raise ValueError(f"cannot find an integration range for {p!r}")
        sup = (min(pts), max(pts))
    lo, hi = float(sup[0]), float(sup[1])
    if not np.isfinite(lo):
        lo = min(pts)
    if not np.isfinite(hi):
        hi = max(pts)
    if not lo < hi:
        raise ValueError(f"{p!r} has an empty support [{lo}, {hi}]")
    return lo, hi, [lo, hi] + [v for v in pts if lo <= v <= hi]


def _pieces(*densities) -> np.ndarray:
    """Sorted breakpoints covering the union of the densities' ranges."""
    pts = []
    for p in densities:
        pts += _points(p)[2]
    return np.unique(np.asarray(pts, dtype=float))


def _integrate(f, breaks) -> float:
    total = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        for a, b in zip(breaks[:-1], breaks[1:]):
            if b > a:
                total += integrate.quad(f, a, b, epsabs=_EPSABS, epsrel=_EPSREL, limit=_LIMIT)[0]
    return total


class _Infinite(Exception):
    pass


class _Mixture:
    """m = (p + q)/2 as a density object (for the JSD), with the union of p's and q's breakpoints."""

    def __init__(self, p, q):
        self.p, self.q = p, q
        (lp, hp, bp), (lq, hq, bq) = _points(p), _points(q)
        self.support = (min(lp, lq), max(hp, hq))
        self.breakpoints = np.unique(np.asarray(bp + bq, dtype=float))

    def logpdf(self, x):
        return np.logaddexp(_logpdf(self.p, x), _logpdf(self.q, x)) - math.log(2)

    def pdf(self, x):
        return np.exp(self.logpdf(x))


def optimal_discriminator(p_data, p_g, x) -> np.ndarray:
    """Proposition 1: D*(x) = p_data(x) / (p_data(x) + p_g(x)), in [0, 1], same shape as ``x``.

    Computed as σ(log p_data − log p_g) so tails do not underflow to 0/0. Where both densities
    are 0 every value of D is optimal; we return ½ there (the value at p_g = p_data).
    """
    _check_density("p_data", p_data)
    _check_density("p_g", p_g)
    x = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x must be finite, got non-finite values {x[~np.isfinite(x)][:5].tolist()}")
    lp, lg = _logpdf(p_data, x), _logpdf(p_g, x)
    both_zero = np.isneginf(lp) & np.isneginf(lg)
    with np.errstate(invalid="ignore", over="ignore"):
        d = 1.0 / (1.0 + np.exp(lg - lp))
    return np.where(both_zero, 0.5, d)


def value_function(d, p_data, p_g) -> float:
    """V(D, G) = ∫ p_data(x) log D(x) + p_g(x) log(1 − D(x)) dx by quadrature (eq. 1).

    ``d``: a callable on numpy arrays with values in [0, 1]. Returns −inf when D = 0 somewhere
    p_data > 0 (or D = 1 where p_g > 0).
    """
    if not callable(d):
        raise ValueError(f"d must be a callable x -> D(x) on numpy arrays, got {type(d).__name__}")
    _check_density("p_data", p_data)
    _check_density("p_g", p_g)

    def f(x):
        dx = float(np.asarray(d(np.asarray([x]))).ravel()[0])
        if not 0.0 <= dx <= 1.0:
            raise ValueError(f"D({x:.6g}) = {dx!r} is outside [0, 1]: pass probabilities, not logits")
        pd, pg = float(p_data.pdf(x)), float(p_g.pdf(x))
        if (pd > 0 and dx == 0) or (pg > 0 and dx == 1):
            raise _Infinite
        return (pd * math.log(dx) if pd > 0 else 0.0) + (pg * math.log1p(-dx) if pg > 0 else 0.0)

    try:
        return _integrate(f, _pieces(p_data, p_g))
    except _Infinite:
        return -math.inf


def virtual_criterion(p_data, p_g) -> float:
    """C(G) = V(D*, G) = ∫ p_data log D* + p_g log(1 − D*) dx, integrated directly (Theorem 1:
    equals −log 4 + 2·JSD(p_data ‖ p_g); minimum −log 4 exactly when p_g = p_data)."""
    _check_density("p_data", p_data)
    _check_density("p_g", p_g)

    def f(x):
        lp, lg = float(_logpdf(p_data, x)), float(_logpdf(p_g, x))
        if lp == -math.inf and lg == -math.inf:
            return 0.0
        ls = np.logaddexp(lp, lg)  # log(p_data + p_g)
        out = 0.0
        if lp > -math.inf:
            out += math.exp(lp) * (lp - ls)   # p_data · log D*
        if lg > -math.inf:
            out += math.exp(lg) * (lg - ls)   # p_g · log(1 − D*)
        return out

    return _integrate(f, _pieces(p_data, p_g))


def kl_divergence(p, q) -> float:
    """KL(p ‖ q) = ∫ p log(p/q) dx in nats; ``inf`` when q = 0 somewhere on p's support."""
    _check_density("p", p)
    _check_density("q", q)
    lo, hi, _ = _points(p)

    def f(x):
        lp = float(_logpdf(p, x))
        if lp == -math.inf:
            return 0.0
        lq = float(_logpdf(q, x))
        if lq == -math.inf:
            raise _Infinite
        return math.exp(lp) * (lp - lq)

    breaks = _pieces(p, q)
    breaks = breaks[(breaks >= lo) & (breaks <= hi)]
    # a grid probe too: quad can step over a small region where q = 0 inside p's support
    probe = np.linspace(lo, hi, 2001)
    with np.errstate(divide="ignore"):
        if np.any(np.isfinite(_logpdf(p, probe)) & np.isneginf(_logpdf(q, probe))):
            return math.inf
    try:
        return _integrate(f, breaks)
    except _Infinite:
        return math.inf


def js_divergence(p, q) -> float:
    """JSD(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = (p + q)/2, in nats; 0 ≤ JSD ≤ log 2, with
    log 2 exactly when the supports are disjoint."""
    _check_density("p", p)
    _check_density("q", q)
    m = _Mixture(p, q)
    return 0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)


def integrate_over(f, *densities) -> float:
    """∫ f(x) dx by adaptive quadrature, piecewise between the breakpoints of ``densities`` (their modes, tails
    and support ends), with the tolerances used throughout this module (absolute error ≲ 1e-11 for the
    integrands of the course). ``f``: a scalar function of a float."""
    if not callable(f):
        raise ValueError(f"f must be a callable x -> float, got {type(f).__name__}")
    if not densities:
        raise ValueError("give at least one density: its breakpoints set the integration range")
    for i, p in enumerate(densities):
        _check_density(f"densities[{i}]", p)
    return _integrate(f, _pieces(*densities))
