"""gan_course.mnist.quality against direct computations (double loops over the definitions)."""

import itertools

import numpy as np
import pytest
import torch

from gan_course.mnist.quality import (
    disjoint_halves,
    kid,
    memorisation,
    near_duplicates,
    nearest_distances,
    precision_recall,
    real_vs_real,
)


def _kid_by_hand(x, y):
    d = x.shape[1]
    k = lambda a, b: (float(a @ b) / d + 1) ** 3
    m = len(x)
    xx = sum(k(x[i], x[j]) for i, j in itertools.permutations(range(m), 2))
    yy = sum(k(y[i], y[j]) for i, j in itertools.permutations(range(m), 2))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m))
    return (xx + yy) / (m * (m - 1)) - 2 * xy / m**2


def test_kid_is_the_unbiased_mmd_of_the_definition():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(12, 3)), rng.normal(0.5, 1, size=(12, 3))
    mean, se = kid(x, y, n_subsets=1)
    assert mean == pytest.approx(_kid_by_hand(x, y), rel=1e-10)
    assert np.isnan(se)


def test_kid_unbiased_near_zero_for_one_distribution_and_positive_for_two():
    rng = np.random.default_rng(1)
    same = kid(rng.normal(size=(2000, 8)), rng.normal(size=(2000, 8)))
    shifted = kid(rng.normal(size=(2000, 8)), rng.normal(0.3, 1, size=(2000, 8)))
    assert abs(same[0]) < 3 * same[1]                      # 0 within 3 standard errors
    assert shifted[0] > 10 * shifted[1] > 0                # far from 0
    with pytest.raises(ValueError, match="at least 2 samples per subset"):
        kid(rng.normal(size=(10, 2)), rng.normal(size=(10, 2)), n_subsets=10)


def _pr_by_hand(real, fake, k):
    def radius(p, pts):
        return sorted(np.linalg.norm(p - q) for q in pts)[k]        # index k: skip the point itself (distance 0)
    rr = [radius(p, real) for p in real]
    rf = [radius(p, fake) for p in fake]
    prec = np.mean([any(np.linalg.norm(f - r) <= rr[j] for j, r in enumerate(real)) for f in fake])
    rec = np.mean([any(np.linalg.norm(r - f) <= rf[j] for j, f in enumerate(fake)) for r in real])
    return prec, rec


def test_precision_recall_match_the_definition():
    rng = np.random.default_rng(2)
    real, fake = rng.normal(size=(40, 2)), rng.normal(0.7, 0.6, size=(30, 2))
    assert precision_recall(real, fake, k=3) == pytest.approx(_pr_by_hand(real, fake, 3))


def test_a_collapsed_generator_has_precision_but_no_recall():
    rng = np.random.default_rng(3)
    real = rng.normal(size=(500, 4))
    collapsed = real[0] + 0.01 * rng.normal(size=(500, 4))         # every sample near one real point
    p, r = precision_recall(real, collapsed)
    assert p > 0.9 and r < 0.05
    p2, r2 = precision_recall(real, rng.normal(size=(500, 4)))     # a second sample of the same distribution
    assert p2 > 0.6 and r2 > 0.6


def test_nearest_distances_and_memorisation():
    g = torch.Generator().manual_seed(0)
    train = torch.rand(300, 1, 28, 28, generator=g) * 2 - 1
    test = torch.rand(50, 1, 28, 28, generator=g) * 2 - 1
    d = nearest_distances(test[:7], train, batch=3)
    brute = torch.stack([(train.flatten(1) - t.flatten()).norm(dim=1).min() for t in test[:7]])
    assert torch.allclose(d, brute, atol=1e-4)
    copies = train[:50] + 0.01 * torch.randn(50, 1, 28, 28, generator=g)
    assert memorisation(copies, train, test)["ratio"] < 0.05       # copies sit on the training set
    assert 0.8 < memorisation(test, train, test)["ratio"] <= 1.0   # new images: as far as test images (the same)


def test_nearest_other_image_and_near_duplicates():
    g = torch.Generator().manual_seed(1)
    x = torch.rand(9, 1, 28, 28, generator=g) * 2 - 1
    flat = x.flatten(1)
    brute = torch.stack([torch.cat([(flat[:i] - flat[i]).norm(dim=1), (flat[i + 1:] - flat[i]).norm(dim=1)]).min()
                         for i in range(len(x))])
    assert torch.allclose(nearest_distances(x, batch=4), brute, atol=1e-4)   # never the image itself (distance 0)
    with pytest.raises(ValueError, match="at least 2"):
        nearest_distances(x[:1])
    real = torch.rand(400, 1, 28, 28, generator=g) * 2 - 1
    other = torch.rand(400, 1, 28, 28, generator=g) * 2 - 1
    # A second sample of the same distribution scores about q (binomial: 4 of 400 expected, 13 is > 4 SD above)
    assert near_duplicates(other, real, q=0.01)["share"] < 0.035
    # A collapsed "generator": one image plus a little noise, every sample's twin is far closer than real pairs
    collapsed = x[:1] + 0.01 * torch.randn(400, 1, 28, 28, generator=g)
    assert near_duplicates(collapsed, real)["share"] == 1.0
    # Half the samples copies of one image: the share is that half
    half = torch.cat([collapsed[:200], other[:200]])
    assert 0.5 <= near_duplicates(half, real)["share"] < 0.55
    with pytest.raises(ValueError, match="q must be"):
        near_duplicates(other, real, q=1.0)


def test_real_vs_real_halves_are_disjoint():
    from gan_course.data import mnist_tensor
    test = mnist_tensor("test")[:400]
    res = real_vs_real(test, 150)
    a, b = res["A"].flatten(1), res["B"].flatten(1)
    assert len(a) == len(b) == 150 and torch.cdist(a, b).min() > 0  # no image in both halves
    assert res["fid"] > 0 and 0.5 < res["precision_recall"][0] <= 1 and 0.5 < res["precision_recall"][1] <= 1
    with pytest.raises(ValueError, match="two disjoint halves"):
        real_vs_real(test, 201)
    a2, b2 = disjoint_halves(test, 150)                              # the same halves, without the metrics
    assert torch.equal(a2, res["A"]) and torch.equal(b2, res["B"])
