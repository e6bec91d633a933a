"""gan_course.theory against closed forms (Goodfellow et al. 2014, Prop. 1 and Thm. 1)."""

import math

import numpy as np
import pytest
from scipy import stats

from gan_course import theory as T
from gan_course.toy import GaussianMixture1D

LOG4 = math.log(4)


def kl_gauss(m1, s1, m2, s2):
    return math.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5


@pytest.mark.parametrize("m1,s1,m2,s2", [(0, 1, 1, 2), (4, 0.5, 4, 0.5), (0, 1e-3, 2e-3, 3e-3), (-3, 2, 5, 0.7)])
def test_kl_gaussians_closed_form(m1, s1, m2, s2):
    want = kl_gauss(m1, s1, m2, s2)
    assert T.kl_divergence(stats.norm(m1, s1), stats.norm(m2, s2)) == pytest.approx(want, rel=1e-8, abs=1e-10)
    assert T.kl_divergence(GaussianMixture1D([m1], [s1]), GaussianMixture1D([m2], [s2])) == pytest.approx(want, rel=1e-8, abs=1e-10)


def test_kl_uniforms_and_infinite():
    assert T.kl_divergence(stats.uniform(0, 1), stats.uniform(-1, 3)) == pytest.approx(math.log(3), rel=1e-10)
    assert T.kl_divergence(stats.uniform(0, 1), stats.uniform(0.5, 1)) == math.inf   # q = 0 on [0, 0.5)
    assert T.kl_divergence(stats.uniform(0, 1), stats.uniform(2, 1)) == math.inf


@pytest.mark.parametrize("p", [stats.norm(0, 1), stats.norm(3, 1e-3), stats.uniform(-1, 2),
                               GaussianMixture1D([-20, 0, 20], [0.01, 1, 0.1], [0.2, 0.5, 0.3])])
def test_jsd_of_p_with_itself_is_zero(p):
    assert abs(T.js_divergence(p, p)) < 1e-12
    assert T.virtual_criterion(p, p) == pytest.approx(-LOG4, abs=1e-10)   # global minimum of C(G)


@pytest.mark.parametrize("p,q", [(stats.uniform(0, 1), stats.uniform(2, 1)),
                                 (stats.uniform(0, 1), stats.uniform(1, 5)),      # touching supports
                                 (stats.uniform(-5, 0.01), stats.uniform(7, 100))])
def test_jsd_disjoint_supports_is_log2(p, q):
    assert T.js_divergence(p, q) == pytest.approx(math.log(2), abs=1e-12)
    assert T.virtual_criterion(p, q) == pytest.approx(0.0, abs=1e-12)   # −log 4 + 2 log 2


PAIRS = [
    (stats.norm(0, 1), stats.norm(1, 2)),
    (stats.norm(4, 0.5), stats.norm(0, 1)),
    (stats.norm(0, 1e-3), stats.norm(1e-3, 1e-3)),                          # narrow
    (GaussianMixture1D([-2, 2], [0.3, 0.5], [0.3, 0.7]), stats.norm(0, 1)),   # a mixture
    (GaussianMixture1D([-30, 30], [0.05, 0.05]), GaussianMixture1D([0], [1])),  # far-apart modes
    (stats.uniform(0, 1), stats.uniform(0.5, 1)),                            # overlapping uniforms
]


@pytest.mark.parametrize("p_data,p_g", PAIRS)
def test_theorem1_and_bounds(p_data, p_g):
    jsd = T.js_divergence(p_data, p_g)
    assert -1e-12 <= jsd <= math.log(2) + 1e-12
    assert T.virtual_criterion(p_data, p_g) == pytest.approx(-LOG4 + 2 * jsd, abs=1e-8)
    assert T.js_divergence(p_g, p_data) == pytest.approx(jsd, abs=1e-10)   # symmetric


def test_jsd_overlapping_uniforms_closed_form():
    # p = U[0,1], q = U[0.5,1.5]: on the overlap p = q = m, elsewhere one of them is 0 -> JSD = ½ log 2
    assert T.js_divergence(stats.uniform(0, 1), stats.uniform(0.5, 1)) == pytest.approx(0.5 * math.log(2), abs=1e-10)


@pytest.mark.parametrize("p_data,p_g", [p for i, p in enumerate(PAIRS) if i != 4])  # far apart: D* underflows to 0 → V = −inf
def test_optimal_discriminator_range_and_optimality(p_data, p_g):
    x = np.linspace(-40, 40, 4001)
    d = T.optimal_discriminator(p_data, p_g, x)
    assert d.shape == x.shape and np.all((d >= 0) & (d <= 1))
    c = T.virtual_criterion(p_data, p_g)
    v_star = T.value_function(lambda t: T.optimal_discriminator(p_data, p_g, t), p_data, p_g)
    assert v_star == pytest.approx(c, abs=1e-7)
    assert T.value_function(lambda t: np.full_like(t, 0.5), p_data, p_g) <= c + 1e-12   # D = ½ gives −log 4


def test_d_star_closed_form_gaussians_and_half_at_equality():
    p, q = stats.norm(0, 1), stats.norm(2, 1)
    x = np.array([-1.0, 0.0, 1.0, 2.0])
    np.testing.assert_allclose(T.optimal_discriminator(p, q, x), p.pdf(x) / (p.pdf(x) + q.pdf(x)), rtol=1e-12)
    np.testing.assert_allclose(T.optimal_discriminator(p, p, x), 0.5)
    # far tails: no 0/0
    assert T.optimal_discriminator(p, q, np.array([-200.0]))[0] == pytest.approx(1.0)


def test_value_function_constant_half_is_minus_log4():
    assert T.value_function(lambda x: np.full_like(x, 0.5), stats.norm(0, 1), stats.norm(3, 2)) == pytest.approx(-LOG4, abs=1e-10)
    # D = 0 where p_data > 0: V = −inf
    assert T.value_function(lambda x: np.zeros_like(x), stats.norm(0, 1), stats.norm(3, 2)) == -math.inf


def test_bad_inputs():
    with pytest.raises(ValueError, match="pdf"):
        T.js_divergence([0, 1], stats.norm())
    with pytest.raises(ValueError, match="pdf"):
        T.kl_divergence(stats.norm(), "normal")
    with pytest.raises(ValueError, match="callable"):
        T.value_function(0.5, stats.norm(), stats.norm())
    with pytest.raises(ValueError, match="outside"):
        T.value_function(lambda x: x * 0 + 3.0, stats.norm(), stats.norm())   # logits, not probabilities
    with pytest.raises(ValueError, match="finite"):
        T.optimal_discriminator(stats.norm(), stats.norm(), np.array([0.0, np.nan]))

    class NoSupport:
        def pdf(self, x):
            return np.ones_like(x)
    with pytest.raises(ValueError, match="support"):
        T.virtual_criterion(NoSupport(), stats.norm())


def test_widget_readout_follows_mu_g_slider():
    """notebook 03's explorer: moving the μ_g slider rewrites the C(G)/JSD read-out (Theorem 1 holds in it)."""
    import matplotlib
    matplotlib.use("Agg")
    from gan_course.theory.explorer import cg_explorer

    box = cg_explorer()
    sliders = [w for w in box.children[0].children[0].children]
    mu_g = next(w for w in sliders if w.description == "μ_g")
    text = box.children[1]
    before = text.value
    assert "C(G) =" in before and "JSD =" in before
    mu_g.value = 4.0
    assert text.value != before
    next(w for w in sliders if w.description == "σ_g").value = 0.5
    assert "C(G) = -1.386294" in text.value and "JSD = 0.000000" in text.value   # p_g = p_data: −log 4, JSD 0


@pytest.mark.parametrize("bad, named", [(stats.norm(0, 0), "scale=0"), (stats.norm(0, -1), "scale=-1"),
                                        (stats.norm(loc=0, scale=float("nan")), "scale=nan"),
                                        (stats.norm(float("inf"), 1), "loc=inf"), (stats.uniform(0, 0), "scale=0"),
                                        (stats.beta(-1, 2), "shape parameters [-1, 2]")])
@pytest.mark.parametrize("fn", [T.js_divergence, T.kl_divergence, T.virtual_criterion,
                                lambda p, q: T.optimal_discriminator(p, q, np.zeros(3))])
def test_degenerate_distributions_are_named(bad, named, fn):
    with pytest.raises(ValueError, match=r"^(p|p_data) = .*(degenerate|does not accept)") as e:
        fn(bad, stats.norm(0, 1))
    assert named in str(e.value)
    with pytest.raises(ValueError, match=r"^(q|p_g) = .*(degenerate|does not accept)"):
        fn(stats.norm(0, 1), bad)
