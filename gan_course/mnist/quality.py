"""Judging generated digits against real ones: the real-vs-real baseline, KID, precision and recall, memorisation.

Taught in ``notebooks/08_dcgan_mnist.ipynb``, next to classifier-FID (:mod:`gan_course.mnist.fid`). Every metric
works on the shipped classifier's 64-d features (:func:`gan_course.mnist.fid.features`) and depends on the sample
size, so a figure is only comparable with another at the same N; each function says its N.

- **Real-vs-real baseline** (:func:`real_vs_real`): the metric between two *disjoint halves of the test set*, at
  the same N as the generator is judged. A perfect generator, one that draws new digits from the data distribution,
  scores about this; the classifier's own training images are never the reference (a generator that memorised
  them would look perfect).
- **KID** (Bińkowski et al. 2018, "Demystifying MMD GANs"): the unbiased estimate of the squared MMD with the
  polynomial kernel k(x, y) = (x·y/d + 1)³,

      MMD²_u = 1/(m(m−1)) Σ_{i≠j} [k(xᵢ, xⱼ) + k(yᵢ, yⱼ)] − 2/m² Σ_{i,j} k(xᵢ, yⱼ),

  averaged over disjoint subsets of size m, with its standard error over them. Unlike FID it has no bias: two
  samples of one distribution score 0 on average, at any N.
- **Precision and recall** (Kynkäänniemi et al. 2019, "Improved precision and recall metric for assessing
  generative models"): each real feature vector gets a ball reaching its k-th nearest real neighbour; precision
  is the share of generated samples inside some real ball (fidelity), recall the share of real samples inside some
  generated ball (diversity: a collapsed generator has low recall).
- **Near-duplicates** (:func:`near_duplicates`): the share of samples with another sample closer than almost any
  two real digits are (their 1 % quantile); real digits score about 0.01, a collapsed generator near 1.
- **Memorisation** (:func:`memorisation`): the pixel distance of each sample to its nearest training image,
  compared with the same distance for real test images. A generator that copies training digits has samples much
  closer to the training set than new digits are.
"""

from __future__ import annotations

import numpy as np
import torch

from gan_course.metrics import kth_neighbour_radii
from gan_course.mnist.fid import classifier_fid, features


def _as_2d(name: str, x) -> torch.Tensor:
    t = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x).double()
    if t.ndim != 2 or len(t) < 2:
        raise ValueError(f"{name} must be a [N, d] array of features with N >= 2, got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} holds non-finite values")
    return t


def kid(x, y, n_subsets: int = 10, seed: int = 0) -> tuple[float, float]:
    """KID between feature sets ``x`` ``[N, d]`` and ``y`` ``[M, d]``: ``(mean, standard error)`` of the unbiased
    MMD² over ``n_subsets`` disjoint random subsets of size m = min(N, M) // n_subsets (m ≥ 2)."""
    x, y = _as_2d("x", x), _as_2d("y", y)
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"x and y must have the same feature size, got {x.shape[1]} and {y.shape[1]}")
    m = min(len(x), len(y)) // n_subsets
    if n_subsets < 1 or m < 2:
        raise ValueError(f"need n_subsets >= 1 and at least 2 samples per subset, got n_subsets={n_subsets} for "
                         f"{len(x)} and {len(y)} samples")
    d = x.shape[1]
    g = torch.Generator().manual_seed(seed)
    px, py = torch.randperm(len(x), generator=g), torch.randperm(len(y), generator=g)
    est = []
    for s in range(n_subsets):
        a, b = x[px[s * m:(s + 1) * m]], y[py[s * m:(s + 1) * m]]
        kxx, kyy, kxy = (a @ a.T / d + 1) ** 3, (b @ b.T / d + 1) ** 3, (a @ b.T / d + 1) ** 3
        off = (kxx.sum() - kxx.diagonal().sum() + kyy.sum() - kyy.diagonal().sum()) / (m * (m - 1))
        est.append(float(off - 2 * kxy.mean()))
    est = np.array(est)
    se = float(est.std(ddof=1) / np.sqrt(n_subsets)) if n_subsets > 1 else float("nan")
    return float(est.mean()), se


def precision_recall(real, fake, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019) of ``fake`` ``[M, d]`` against ``real`` ``[N, d]``
    features, with k-th-nearest-neighbour balls (k = 3 as in the paper)."""
    real, fake = _as_2d("real", real), _as_2d("fake", fake)
    if not 1 <= k < min(len(real), len(fake)):
        raise ValueError(f"k must be in 1..{min(len(real), len(fake)) - 1} for these sample sizes, got {k}")
    r_real, r_fake = kth_neighbour_radii(real, k), kth_neighbour_radii(fake, k)
    d = torch.cdist(fake, real)                      # [M, N]
    precision = (d <= r_real[None, :]).any(1).double().mean()
    recall = (d.T <= r_fake[None, :]).any(1).double().mean()
    return float(precision), float(recall)


def nearest_distances(x: torch.Tensor, reference: torch.Tensor | None = None, batch: int = 500) -> torch.Tensor:
    """Euclidean pixel distance of each image in ``x`` ``[N, 1, 28, 28]`` to its nearest image in ``reference``
    ``[M, 1, 28, 28]``, or, with no reference, to its nearest *other* image of ``x``: ``[N]`` (in batches, so 60,000
    references fit in memory)."""
    a = x.flatten(1).float()
    b = a if reference is None else reference.flatten(1).float()
    if reference is None and len(a) < 2:
        raise ValueError(f"need at least 2 images to find each one's nearest other image, got {len(a)}")
    rows = []
    for i in range(0, len(a), batch):
        d = torch.cdist(a[i:i + batch], b)
        if reference is None:
            d[torch.arange(len(d)), torch.arange(i, i + len(d))] = float("inf")   # not the image itself
        rows.append(d.min(1).values)
    return torch.cat(rows)


def memorisation(samples, train, test) -> dict:
    """How close ``samples`` are to the training set compared with new digits.

    Returns ``{"samples": d_s, "test": d_t, "ratio": median(d_s) / median(d_t)}`` with d = distance to the nearest
    training image (:func:`nearest_distances`): a ratio near 1 means samples are as far from the training images
    as unseen test digits are; near 0, copies.
    """
    d_s, d_t = nearest_distances(samples, train), nearest_distances(test, train)
    return {"samples": d_s, "test": d_t, "ratio": float(d_s.median() / d_t.median())}


def near_duplicates(samples, reference, q: float = 0.01) -> dict:
    """Share of ``samples`` that have a near-duplicate among the other samples, with real digits as the yardstick.

    d(x) = pixel distance from x to its nearest *other* image of the same set (:func:`nearest_distances`). A sample
    counts as a near-duplicate when d is below the ``q``-quantile of d over ``reference`` (real images
    ``[M, 1, 28, 28]``, M ≈ N: d shrinks as a set grows), so real digits score about ``q`` (the quantile itself is noisy: MNIST holds some
    near-identical 1s) and a collapsed generator, whose samples are copies of each other, about 1. Returns ``{"share": float,
    "threshold": float, "samples": d_s, "reference": d_r}``. Taught in notebook 08 (mode collapse).
    """
    if not 0 < q < 1:
        raise ValueError(f"q must be in (0, 1), got {q}")
    d_s, d_r = nearest_distances(samples), nearest_distances(reference)
    threshold = float(torch.quantile(d_r, q))
    return {"share": float((d_s < threshold).float().mean()), "threshold": threshold, "samples": d_s,
            "reference": d_r}


def disjoint_halves(test_images, n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two disjoint random sets ``A``, ``B`` of ``n`` images each from the test images ``[N ≥ 2n, 1, 28, 28]``
    (seeded: the same ``seed`` gives the same halves)."""
    if 2 * n > len(test_images) or n < 20:
        raise ValueError(f"n must be in 20..{len(test_images) // 2} (two disjoint halves of {len(test_images)} "
                         f"images), got {n}")
    perm = torch.randperm(len(test_images), generator=torch.Generator().manual_seed(seed))
    return test_images[perm[:n]], test_images[perm[n:2 * n]]


def real_vs_real(test_images, n: int, seed: int = 0) -> dict:
    """The real-vs-real baseline at sample size ``n``: two disjoint random halves ``A``, ``B`` of the test images
    (:func:`disjoint_halves`) and their FID, KID and precision/recall (returned with the halves, so a generator
    is judged against ``A`` at the same n)."""
    a, b = disjoint_halves(test_images, n, seed)
    fa, fb = features(a), features(b)
    return {"A": a, "B": b, "n": n, "fid": classifier_fid(b, a), "kid": kid(fb, fa),
            "precision_recall": precision_recall(fa, fb)}


def judge(samples, reference) -> dict:
    """FID, KID and precision/recall of ``samples`` against ``reference`` (e.g. half ``A`` of :func:`real_vs_real`),
    both ``[n, 1, 28, 28]`` in [−1, 1]."""
    fs, fr = features(samples), features(reference)
    return {"fid": classifier_fid(samples, reference), "kid": kid(fs, fr), "precision_recall": precision_recall(fr, fs)}
