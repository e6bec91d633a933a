"""The loss zoo: each criterion at D* equals its divergence computed another way; D* is optimal pointwise."""

import math

import numpy as np
import pytest
from scipy import stats

from gan_course.theory import zoo
from gan_course.toy import GaussianMixture1D

P = GaussianMixture1D([4.0], [0.5])
Q = GaussianMixture1D([3.0], [1.0])
BIMODAL = GaussianMixture1D([1.0, 4.0], [0.4, 0.5], [0.3, 0.7])


@pytest.mark.parametrize("kind", ["minimax", "non_saturating", "least_squares", "hinge", "f_kl"])
@pytest.mark.parametrize("pair", [(P, Q), (BIMODAL, Q), (P, P)])
def test_criterion_equals_divergence(kind, pair):
    p, q = pair
    assert abs(zoo.criterion_at_optimum(kind, p, q) - zoo.divergence(kind, p, q)) < 1e-8


def test_known_values():
    # equal densities: JSD = TV = KL = χ² = 0
    assert abs(zoo.divergence("minimax", P, P) + math.log(4)) < 1e-10
    assert abs(zoo.divergence("hinge", P, P) - 2) < 1e-10
    assert abs(zoo.divergence("least_squares", P, P)) < 1e-10
    # equal-variance Gaussians: W1 = |Δμ|, KL = Δμ²/(2σ²), TV = 2Φ(Δμ/(2σ)) − 1
    a, b = GaussianMixture1D([0.0], [1.0]), GaussianMixture1D([1.5], [1.0])
    assert abs(zoo.w1(a, b) - 1.5) < 1e-8 and abs(zoo.dual_w1(a, b) - 1.5) < 1e-8
    assert abs(zoo.divergence("f_kl", a, b) - 1.5**2 / 2) < 1e-8
    assert abs(zoo.total_variation(a, b) - (2 * stats.norm.cdf(0.75) - 1)) < 1e-10


def test_d_star_is_pointwise_optimal():
    # each loss's pointwise objective is worse at D* ± δ than at D*
    x = np.linspace(2.0, 5.0, 7)
    p, q = P.pdf(x), Q.pdf(x)
    obj = {"minimax": lambda d: -(p * np.log(d) + q * np.log1p(-d)),
           "least_squares": lambda d: 0.5 * p * (d - 1) ** 2 + 0.5 * q * (d + 1) ** 2,
           "hinge": lambda d: p * np.maximum(0, 1 - d) + q * np.maximum(0, 1 + d),
           "f_kl": lambda t: -(p * t - q * np.exp(t - 1))}
    for kind, f in obj.items():
        d = zoo.d_star(kind, P, Q, x)
        for delta in (-0.05, 0.05):
            assert np.all(f(np.clip(d + delta, 1e-6, 1 - 1e-6) if kind == "minimax" else d + delta) >= f(d) - 1e-12), kind


def test_critic_is_1_lipschitz_and_errors():
    f, kinks = zoo.critic_w1(BIMODAL, Q)
    xs = np.linspace(-2, 7, 1001)
    assert np.abs(np.diff(f(xs)) / np.diff(xs)).max() <= 1 + 1e-9
    assert abs(zoo.dual_w1(BIMODAL, Q) - zoo.w1(BIMODAL, Q)) < 1e-7
    with pytest.raises(ValueError, match="no pointwise"):
        zoo.d_star("wasserstein", P, Q, xs)
    with pytest.raises(ValueError, match="unknown loss"):
        zoo.divergence("nope", P, Q)
