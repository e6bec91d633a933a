"""gan_course.toy: the 1-D Gaussian mixture (notebooks 02, 03) and the 2-D ring/grid (06)."""

import numpy as np
import pytest
import torch
from scipy import integrate, stats

from gan_course.toy import GaussianMixture1D, grid, ring


def test_mixture_pdf_matches_scipy_and_integrates_to_one():
    m = GaussianMixture1D([-1, 2, 5], [0.3, 1.0, 0.05], [1, 2, 1])
    x = np.linspace(-4, 8, 1001)
    want = 0.25 * stats.norm.pdf(x, -1, 0.3) + 0.5 * stats.norm.pdf(x, 2, 1) + 0.25 * stats.norm.pdf(x, 5, 0.05)
    np.testing.assert_allclose(m.pdf(x), want, rtol=1e-12, atol=1e-300)
    assert float(m.logpdf(0.7)) == pytest.approx(np.log(
        0.25 * stats.norm.pdf(0.7, -1, 0.3) + 0.5 * stats.norm.pdf(0.7, 2, 1) + 0.25 * stats.norm.pdf(0.7, 5, 0.05)), rel=1e-12)
    total = sum(integrate.quad(m.pdf, a, b, limit=200)[0] for a, b in [(m.support[0], 0), (0, 4.9), (4.9, 5.1), (5.1, m.support[1])])
    assert total == pytest.approx(1.0, abs=1e-9)


def test_mixture_moments_cdf_ppf_and_samples():
    m = GaussianMixture1D([-2, 2], [0.5, 1.0], [0.3, 0.7])
    assert m.mean == pytest.approx(0.3 * -2 + 0.7 * 2)
    q = np.array([0.005, 0.3, 0.5, 0.995])
    np.testing.assert_allclose(m.cdf(m.ppf(q)), q, atol=1e-10)
    x = m.sample(200_000, generator=torch.Generator().manual_seed(0))
    assert x.shape == (200_000, 1) and x.dtype == torch.float32
    se = m.std / np.sqrt(len(x))
    assert abs(x.double().mean().item() - m.mean) < 4 * se          # 4 standard errors
    assert abs(x.double().std().item() - m.std) < 0.01                # sampling error of the std ≈ 0.003


def test_mixture_bad_inputs():
    with pytest.raises(ValueError, match="stds"):
        GaussianMixture1D([0, 1], [1, -1])
    with pytest.raises(ValueError, match="weights"):
        GaussianMixture1D([0, 1], [1, 1], [1, -1])
    with pytest.raises(ValueError, match="quantiles"):
        GaussianMixture1D([0], [1]).ppf([0.5, 1.0])
    with pytest.raises(ValueError):
        GaussianMixture1D([0], [1]).sample(-1)


def test_ring_and_grid():
    r, g = ring(8, 2.0, 0.01), grid(5, 2.0, 0.05)
    assert r.centers.shape == (8, 2) and g.centers.shape == (25, 2)
    np.testing.assert_allclose(r.centers.norm(dim=1).numpy(), 2.0, rtol=1e-6)
    assert r.sample(10, torch.Generator().manual_seed(0)).shape == (10, 2)


@pytest.mark.parametrize("means, stds, weights, named", [
    ([0, 1], [1, 1], [float("nan"), 1], "weights"), ([0, 1], [1, 1], [float("inf"), 1], "weights"),
    ([float("inf")], [1], None, "means"), ([float("nan"), 0], [1, 1], None, "means"),
    ([0, 1], [float("nan"), 1], None, "stds"), ([0], [0], None, "stds")])
def test_mixture_rejects_non_finite_parameters(means, stds, weights, named):
    with pytest.raises(ValueError, match=rf"{named} must be .*finite.*got \[.*(nan|inf|0\.0)"):
        GaussianMixture1D(means, stds, weights)
