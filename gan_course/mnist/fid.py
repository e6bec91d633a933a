"""MNIST sample quality: classifier-FID and class histograms, judged by the shipped CNN.

Taught in ``notebooks/08_dcgan_mnist.ipynb``; used by notebook 09 and ``python -m gan_course bench``.
Re-exported by :mod:`gan_course.metrics`.

**Fréchet distance** between Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂) (Dowson & Landau 1982; as FID in
Heusel et al. 2017, "GANs trained by a two time-scale update rule converge to a local Nash equilibrium"):

    d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2})

**Classifier-FID** is that distance between the feature statistics of two image sets, with features from
the penultimate layer (64 units) of :class:`gan_course.mnist.classifier.MNISTClassifier` instead of Inception-v3:
the same idea, on a network that knows digits. Its values are *not* comparable to Inception FIDs.
Even two sets of real images have a positive FID (finite-sample bias): the **real-data floor**, e.g.
training images vs test images, is what a perfect generator would score.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import scipy.linalg
import torch

from gan_course.fileio import load
from gan_course.mnist.classifier import DEFAULT_WEIGHTS, MNISTClassifier

_CACHE: dict[str, MNISTClassifier] = {}


def load_classifier(device=None, path=None) -> MNISTClassifier:
    """The shipped MNIST CNN (``data/weights/classifier.pt``) in eval mode on ``device`` (default cpu).

    Loaded with ``torch.load(..., weights_only=True)`` (:func:`gan_course.fileio.load`: SHA-256 verified when the file
    carries one) and cached per device and file. A missing file raises ``FileNotFoundError`` naming the file and the
    command that makes it.
    """
    path = Path(path) if path is not None else DEFAULT_WEIGHTS
    dev = torch.device(device) if device is not None else torch.device("cpu")
    key = f"{path}|{dev}"
    if key not in _CACHE:
        if not path.is_file():
            raise FileNotFoundError(
                f"classifier weights {path.name} not found in data/weights/ ({path}). "
                "Fix: run `python -m gan_course train-classifier` in the course repository (a few minutes on CPU), "
                "or restore the file with `git checkout -- data/weights/classifier.pt`.")
        blob = load(path, "classifier weights")
        model = MNISTClassifier()
        model.load_state_dict(blob["state_dict"] if "state_dict" in blob else blob)
        _CACHE[key] = model.to(dev).eval()
    return _CACHE[key]


def _as_images(name: str, images) -> torch.Tensor:
    x = torch.as_tensor(images)
    if x.ndim != 4 or tuple(x.shape[1:]) != (1, 28, 28):
        raise ValueError(f"{name} must have shape [N, 1, 28, 28] (values in [-1, 1]), got {tuple(x.shape)}")
    if len(x) == 0:
        raise ValueError(f"{name} is empty: need at least one image")
    if not x.is_floating_point():
        raise ValueError(f"{name} must be floating point in [-1, 1], got dtype {x.dtype}")
    return x


@torch.no_grad()
def _run(images: torch.Tensor, what: str, batch: int = 1000) -> torch.Tensor:
    model = load_classifier(images.device)
    out = []
    for i in range(0, len(images), batch):
        xb = images[i:i + batch].float()
        out.append(model.features(xb) if what == "features" else torch.softmax(model(xb), dim=1))
    return torch.cat(out).cpu().double()


def features(images) -> np.ndarray:
    """Penultimate-layer features ``[N, 64]`` (float64) of images ``[N, 1, 28, 28]`` in [−1, 1]."""
    return _run(_as_images("images", images), "features").numpy()


def predict(images) -> np.ndarray:
    """Class probabilities ``[N, 10]`` (float64) of images ``[N, 1, 28, 28]`` in [−1, 1]."""
    return _run(_as_images("images", images), "probs").numpy()


def feature_stats(images) -> tuple[np.ndarray, np.ndarray]:
    """Mean ``[64]`` and covariance ``[64, 64]`` (unbiased, N − 1) of the classifier features."""
    f = features(images)
    if len(f) < 2:
        raise ValueError(f"need at least 2 images for a covariance, got {len(f)}")
    return f.mean(0), np.cov(f, rowvar=False)


def frechet_distance(mu1, sigma1, mu2, sigma2, eps: float = 1e-6) -> float:
    """‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁Σ₂)^{1/2}) with ``scipy.linalg.sqrtm``.

    ``mu``: ``[d]``; ``sigma``: ``[d, d]`` symmetric positive semi-definite (an asymmetric one raises
    ``ValueError``). When the product is numerically singular (non-finite square root), ``eps``·I is added to both
    covariances, as in the reference FID code; imaginary parts from round-off (< 1e-3 relative) are dropped, larger
    ones raise ``ValueError``. A distance is ≥ 0: a result below 0 by round-off (identical rank-deficient
    covariances give about −d·eps) is returned as 0; a clearly negative one raises ``ValueError``.
    """
    mu1, mu2 = np.atleast_1d(np.asarray(mu1, np.float64)), np.atleast_1d(np.asarray(mu2, np.float64))
    s1, s2 = np.atleast_2d(np.asarray(sigma1, np.float64)), np.atleast_2d(np.asarray(sigma2, np.float64))
    d = mu1.shape[0]
    if mu1.shape != (d,) or mu2.shape != (d,) or s1.shape != (d, d) or s2.shape != (d, d):
        raise ValueError(f"shapes must be mu [d], sigma [d, d] with one d; got mu1 {mu1.shape}, sigma1 {s1.shape}, "
                         f"mu2 {mu2.shape}, sigma2 {s2.shape}")
    for name, a in (("mu1", mu1), ("sigma1", s1), ("mu2", mu2), ("sigma2", s2)):
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} contains NaN or inf")
    for name, s in (("sigma1", s1), ("sigma2", s2)):
        gap = np.abs(s - s.T).max()
        if gap > 1e-6 * max(np.abs(s).max(), 1e-12):
            raise ValueError(f"{name} is not symmetric (largest |sigma - sigma.T| = {gap:.3g}): pass a covariance matrix")
    diff = mu1 - mu2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)   # singular product: handled below
        covmean = scipy.linalg.sqrtm(s1 @ s2)
        if not np.all(np.isfinite(covmean)):
            off = np.eye(d) * eps
            covmean = scipy.linalg.sqrtm((s1 + off) @ (s2 + off))
    if np.iscomplexobj(covmean):
        scale = max(np.abs(covmean).max(), 1e-12)
        if np.abs(covmean.imag).max() > 1e-3 * scale:
            raise ValueError(f"sqrtm(sigma1 @ sigma2) has a large imaginary part ({np.abs(covmean.imag).max():.3g}): "
                             "are the covariances symmetric positive semi-definite?")
        covmean = covmean.real
    d2 = float(diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * np.trace(covmean))
    roundoff = 1e-6 * (abs(np.trace(s1)) + abs(np.trace(s2)) + 1.0) + 10 * d * eps
    if d2 < -roundoff:
        raise ValueError(f"the squared Fréchet distance came out as {d2:.3g} < 0: are the covariances positive "
                         "semi-definite?")
    return max(d2, 0.0)


def classifier_fid(fake, real) -> float:
    """Fréchet distance between classifier features of ``fake`` and ``real`` (``[N, 1, 28, 28]`` in [−1, 1]).

    Lower is better; compare with the real-data floor at the same N (the estimate is biased upwards at small N).
    """
    mu1, s1 = feature_stats(_as_images("fake", fake))
    mu2, s2 = feature_stats(_as_images("real", real))
    return frechet_distance(mu1, s1, mu2, s2)


def class_histogram(images) -> np.ndarray:
    """How many of ``images`` ``[N, 1, 28, 28]`` the classifier assigns to each digit: int64 ``[10]``, sum N."""
    pred = predict(images).argmax(1)
    return np.bincount(pred, minlength=10).astype(np.int64)


def balance_floor(counts, images, labels, reference, seed: int = 0) -> float:
    """Classifier-FID that *perfect* digits with class histogram ``counts`` would score against ``reference``.

    Draws ``counts[c]`` real ``images`` ``[M, 1, 28, 28]`` (in [−1, 1]) of each digit c (``labels`` ``[M]``,
    without replacement, seeded) and returns their :func:`classifier_fid` against ``reference``
    ``[N, 1, 28, 28]``. With the counts of a generator's :func:`class_histogram` this is the part of its FID
    that comes from the class *proportions* alone: above the real-data floor whenever the proportions are
    off, even if every sample were a real digit. Taught in ``notebooks/08_dcgan_mnist.ipynb``.
    """
    counts = np.asarray(counts)
    labels = np.asarray(labels)
    if counts.shape != (10,) or not np.issubdtype(counts.dtype, np.integer) or (counts < 0).any() or counts.sum() < 2:
        raise ValueError(f"counts must be 10 non-negative integers summing to >= 2, got {counts.tolist()}")
    x = _as_images("images", images)
    if labels.shape != (len(x),):
        raise ValueError(f"labels must have shape [{len(x)}] (one per image), got {labels.shape}")
    rng = np.random.default_rng(seed)
    idx = []
    for c, n in enumerate(counts.tolist()):
        pool = np.flatnonzero(labels == c)
        if n > len(pool):
            raise ValueError(f"counts[{c}] = {n} but only {len(pool)} real images of digit {c} were given")
        idx.append(rng.choice(pool, size=n, replace=False))
    return classifier_fid(x[torch.as_tensor(np.concatenate(idx))], reference)
