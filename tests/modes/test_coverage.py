"""mode_coverage (issue 5 acceptance) and the batched ensemble / MAD-GAN building blocks of notebook 06."""

import math

import numpy as np
import pytest
import torch

from gan_course.modes import mode_coverage
from gan_course.toy import grid, ring


def test_all_samples_on_one_mode():
    mix = ring()
    x = mix.centers[3].repeat(500, 1) + 0.005 * torch.randn(500, 2, generator=torch.Generator().manual_seed(0))
    r = mode_coverage(x, mix.centers, mix.std)
    assert r["modes"] == 1
    assert r["high_quality"] == 1.0
    assert r["reverse_kl"] == pytest.approx(math.log(8), abs=1e-12)


@pytest.mark.parametrize("make", [ring, grid])
def test_samples_spread_over_all_modes(make):
    mix = make()
    x = mix.sample(20000, generator=torch.Generator().manual_seed(1))
    r = mode_coverage(x, mix.centers, mix.std)
    K = len(mix.centers)
    assert r["modes"] == K
    # P(|N(0, I_2)| > 3) = exp(-4.5) = 1.1 %: high-quality fraction ≈ 0.989 (± 0.001 binomial s.e.)
    assert r["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.004)
    # multinomial counts: E[KL] ≈ (K − 1)/(2N) ≈ 6e-4 for the grid; 0.005 is ~8 times that
    assert 0 <= r["reverse_kl"] < 0.005


def test_exact_uniform_gives_zero_kl():
    mix = grid()
    r = mode_coverage(mix.centers.repeat(4, 1), mix.centers, mix.std)
    assert r["modes"] == 25 and r["reverse_kl"] == 0.0 and r["counts"] == [4] * 25


def test_far_away_samples_are_not_high_quality():
    mix = ring()
    x = torch.cat([mix.centers[:2], torch.tensor([[0.0, 0.0], [5.0, 5.0]]), mix.centers[0:1] * 1.05])
    r = mode_coverage(x, mix.centers, mix.std)  # 1.05·c is 0.05 = 5σ away: not high quality
    assert r["high_quality"] == pytest.approx(2 / 5)
    assert r["modes"] == 2
    assert r["reverse_kl"] == pytest.approx(math.log(8 / 2))  # p̂ = (½, ½, 0, …): Σ ½ log(8·½)


def test_threshold_is_in_units_of_std():
    mix = ring()
    x = mix.centers[:1] + torch.tensor([[0.025, 0.0]])  # 2.5σ away
    assert mode_coverage(x, mix.centers, mix.std)["high_quality"] == 1.0
    assert mode_coverage(x, mix.centers, mix.std, threshold=2.0)["high_quality"] == 0.0


def test_no_high_quality_sample_reports_log_k():
    mix = grid()
    r = mode_coverage(torch.full((10, 2), 1.0), mix.centers, mix.std)
    assert r["modes"] == 0 and r["high_quality"] == 0.0 and r["n_high_quality"] == 0
    assert r["reverse_kl"] == pytest.approx(math.log(25))


def test_numpy_input():
    mix = ring()
    r = mode_coverage(mix.centers.numpy(), mix.centers.numpy(), 0.01)
    assert r["modes"] == 8 and r["reverse_kl"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("samples,centers,std,threshold,match", [
    (np.zeros((5, 3)), np.zeros((2, 2)), 0.1, 3.0, "samples must have shape"),
    (np.zeros((0, 2)), np.zeros((2, 2)), 0.1, 3.0, "samples is empty"),
    (np.zeros((5, 2)), np.zeros((0, 2)), 0.1, 3.0, "centers is empty"),
    (np.zeros((5, 2)), np.zeros(2), 0.1, 3.0, "centers must have shape"),
    (np.zeros((5, 2)), np.zeros((2, 2)), 0.0, 3.0, "std must be"),
    (np.zeros((5, 2)), np.zeros((2, 2)), float("nan"), 3.0, "std must be"),
    (np.zeros((5, 2)), np.zeros((2, 2)), 0.1, -1.0, "threshold must be"),
    (np.full((5, 2), np.nan), np.zeros((2, 2)), 0.1, 3.0, "NaN"),
])
def test_bad_inputs(samples, centers, std, threshold, match):
    with pytest.raises(ValueError, match=match):
        mode_coverage(samples, centers, std, threshold)
