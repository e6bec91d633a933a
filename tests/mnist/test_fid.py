"""gan_course.mnist.fid: the Fréchet distance against a direct eigen-decomposition; classifier-FID sanity."""

import numpy as np
import pytest
import torch

from gan_course.data import mnist_tensor
from gan_course.mnist.fid import (
    class_histogram,
    classifier_fid,
    frechet_distance,
    load_classifier,
)


def _random_cov(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T / d + 0.1 * np.eye(d)


def _direct(mu1, s1, mu2, s2):
    # Tr (Σ1 Σ2)^{1/2} = Σ_i sqrt(λ_i) with λ the eigenvalues of Σ1^{1/2} Σ2 Σ1^{1/2} (similar to Σ1 Σ2)
    w, v = np.linalg.eigh(s1)
    root1 = v @ np.diag(np.sqrt(w)) @ v.T
    lam = np.linalg.eigvalsh(root1 @ s2 @ root1)
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1) + np.trace(s2) - 2 * np.sum(np.sqrt(np.clip(lam, 0, None))))


@pytest.mark.parametrize("d", [1, 3, 20, 64])
def test_frechet_distance_matches_direct_computation(d):
    rng = np.random.default_rng(d)
    mu1, mu2 = rng.normal(size=d), rng.normal(size=d)
    s1, s2 = _random_cov(rng, d), _random_cov(rng, d)
    got = frechet_distance(mu1, s1, mu2, s2)
    assert got == pytest.approx(_direct(mu1, s1, mu2, s2), rel=1e-8, abs=1e-8)  # both exact up to round-off
    assert frechet_distance(mu1, s1, mu1, s1) == pytest.approx(0, abs=1e-8)


def test_frechet_distance_one_dimensional_closed_form():
    # d² = (m1 − m2)² + (σ1 − σ2)² for 1-D Gaussians
    assert frechet_distance([1.0], [[4.0]], [-2.0], [[9.0]]) == pytest.approx(9 + 1)


def test_frechet_distance_rejects_bad_shapes():
    with pytest.raises(ValueError, match="shapes"):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(2), np.eye(2))
    with pytest.raises(ValueError, match="NaN"):
        frechet_distance(np.zeros(2), np.eye(2) * np.nan, np.zeros(2), np.eye(2))


def test_classifier_fid_sanity():
    test = mnist_tensor("test")
    a, b = test[:2000], test[2000:4000]
    assert classifier_fid(a, a) == pytest.approx(0, abs=1e-6)     # same set: only sqrtm round-off
    real_vs_real = classifier_fid(a, b)
    noise = torch.rand(2000, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    real_vs_noise = classifier_fid(noise, b)
    assert real_vs_real > 0                                         # finite-sample bias: never exactly 0
    assert real_vs_noise > 50 * real_vs_real                        # noise is far from digits
    with pytest.raises(ValueError, match=r"\[N, 1, 28, 28\]"):
        classifier_fid(a[:, 0], b)


def test_class_histogram_counts_true_labels():
    from gan_course.data import load_mnist
    x = mnist_tensor("test")[:1000]
    y = load_mnist("test")[1][:1000]
    h = class_histogram(x)
    assert h.shape == (10,) and h.sum() == 1000
    assert np.abs(h - np.bincount(y.numpy(), minlength=10)).sum() <= 2 * 20  # ≤ 20 errors at ≥ 98 % accuracy


def test_load_classifier_missing_file_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-classifier"):
        load_classifier(path=tmp_path / "nope.pt")


def test_balance_floor_separates_proportions_from_quality():
    """Real digits in skewed proportions score well above the floor; in the reference's proportions near it."""
    from gan_course.data import load_mnist
    from gan_course.mnist.fid import balance_floor
    train, y = mnist_tensor("train")[:20000], load_mnist("train")[1][:20000].numpy()
    test = mnist_tensor("test")[:2000]
    floor = classifier_fid(train[:2000], test)
    matched = class_histogram(test)                                   # the reference's own proportions
    skewed = np.array([600, 50, 100, 100, 50, 200, 200, 300, 100, 300])   # the kind a DCGAN draws (0, 7, 9 over)
    fid_matched = balance_floor(matched, train, y, test)
    fid_skewed = balance_floor(skewed, train, y, test)
    assert fid_matched < 2 * floor, (fid_matched, floor)              # only sampling noise on top of the floor
    assert fid_skewed > 3 * fid_matched, (fid_skewed, fid_matched)    # proportions alone cost FID
    assert balance_floor(skewed, train, y, test, seed=1) != fid_skewed  # seeded draw, not a fixed subset


def test_balance_floor_rejects_bad_counts():
    from gan_course.data import load_mnist
    from gan_course.mnist.fid import balance_floor
    x, y = mnist_tensor("test")[:500], load_mnist("test")[1][:500].numpy()
    with pytest.raises(ValueError, match="10 non-negative integers"):
        balance_floor([1, 2, 3], x, y, x)
    with pytest.raises(ValueError, match="10 non-negative integers"):
        balance_floor([-1] + [5] * 9, x, y, x)
    with pytest.raises(ValueError, match="only .* real images of digit 0"):
        balance_floor([1000] + [0] * 9, x, y, x)
    with pytest.raises(ValueError, match="labels must have shape"):
        balance_floor([5] * 10, x, y[:10], x)


def test_frechet_distance_of_identical_rank_deficient_sets_is_zero_not_negative():
    """64-d features of 40 samples: a covariance of rank 39, so the product's square root needs the eps·I fallback,
    whose round-off made the distance of a set to itself come out slightly below 0."""
    f = np.random.default_rng(0).normal(size=(40, 64))
    mu, s = f.mean(0), np.cov(f, rowvar=False)
    assert np.linalg.matrix_rank(s) < 64
    assert frechet_distance(mu, s, mu, s) == pytest.approx(0, abs=1e-3)
    assert frechet_distance(mu, s, mu, s) >= 0


def test_frechet_distance_rejects_asymmetric_covariances():
    s = np.eye(3)
    bad = np.array([[1.0, 0.5, 0], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match=r"sigma2 is not symmetric \(largest \|sigma - sigma.T\| = 0.5\)"):
        frechet_distance(np.zeros(3), s, np.zeros(3), bad)
