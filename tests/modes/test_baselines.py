"""The noise and circle baselines of notebook 06 against closed forms, and precision/recall by hand."""

import math

import numpy as np
import pytest
import torch

from gan_course.modes.baselines import (baseline_metrics, bounding_box, expected_box_metrics,
                                        expected_circle_metrics, precision_recall, uniform_box, uniform_circle)
from gan_course.modes.coverage import mode_coverage
from gan_course.toy import grid, ring


def test_bounding_boxes():
    lo, hi = bounding_box(grid())
    assert lo.tolist() == [-5.0, -5.0] and hi.tolist() == [5.0, 5.0]
    lo, hi = bounding_box(ring())
    assert hi[0] == pytest.approx(1 + math.sin(math.pi / 8), rel=1e-6)  # half the chord 2 sin(π/8)


def test_closed_forms_by_hand():
    # grid: 25 discs of radius 0.15 in a 10 × 10 box
    q = math.pi * 0.15 ** 2 / 100
    assert expected_box_metrics(grid())["high_quality"] == pytest.approx(25 * q)
    # ring: arcs of angle 4 asin(0.015) out of 2π, eight of them
    assert expected_circle_metrics(ring())["high_quality"] == pytest.approx(8 * 4 * math.asin(0.015) / (2 * math.pi))


@pytest.mark.parametrize("mix, sampler, expected", [
    (grid(), uniform_box, expected_box_metrics),
    (ring(), uniform_box, expected_box_metrics),
    (ring(), uniform_circle, expected_circle_metrics),
])
def test_monte_carlo_metric_matches_the_closed_form(mix, sampler, expected):
    n, reps = 2500, 20
    want = expected(mix, n)
    hq, modes = [], []
    for s in range(reps):
        r = mode_coverage(sampler(mix, n, torch.Generator().manual_seed(s)), mix.centers, mix.std)
        hq.append(r["high_quality"])
        modes.append(r["modes"])
    # high quality: binomial, n·reps draws; 4 standard errors
    p = want["high_quality"]
    assert abs(np.mean(hq) - p) < 4 * math.sqrt(p * (1 - p) / (n * reps)) + 1e-12
    # modes: a sum of K Bernoulli(π) per replicate, 4 standard errors of the mean over reps
    K = len(mix.centers)
    pi = want["modes"] / K
    assert abs(np.mean(modes) - want["modes"]) < 4 * math.sqrt(K * pi * (1 - pi) / reps) + 0.05


def test_circle_needs_a_circle():
    with pytest.raises(ValueError, match="circle"):
        uniform_circle(grid(), 10)


def test_precision_recall_by_hand():
    real = torch.tensor([[0.0, 0], [1, 0], [0, 1], [1, 1]])
    # k = 1: each real point's radius is 1 (its nearest neighbour)
    fake_in = torch.tensor([[0.5, 0.5], [0.2, 0.1], [0.9, 0.9], [1.0, 0.5]])
    fake_far = torch.tensor([[5.0, 5], [5.1, 5], [5, 5.1], [5.1, 5.1]])
    assert precision_recall(real, fake_in, k=1)[0] == 1.0
    p, r = precision_recall(real, fake_far, k=1)
    assert p == 0.0 and r == 0.0
    with pytest.raises(ValueError):
        precision_recall(real, fake_in, k=4)


def test_baselines_rank_as_they_should():
    m = baseline_metrics(grid(), n=1000, seeds=range(2))
    assert m["real data"]["high_quality"] > 0.95 and m["uniform box"]["high_quality"] < 0.05
    assert m["uniform box"]["precision"] < 0.1 < 0.9 < m["real data"]["precision"]
