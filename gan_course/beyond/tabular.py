"""A conditional GAN for table rows, and the downstream test: does synthetic data help a classifier?

Taught in ``notebooks/10_beyond_images.ipynb`` (second part).

Data: scikit-learn's bundled wine recognition dataset (178 rows, 13 numeric features, 3 classes;
ships inside the scikit-learn wheel, no download). Features are standardised with the *training*
subset's mean and std (never the test set's).

Conditioning by concatenation (Mirza & Osindero 2014): a row and its one-hot label travel together.
``sample_noise`` returns ``[m, z_dim + K]`` = noise ‖ one-hot label drawn from the training labels'
frequencies; the generator maps it to ``[m, d + K]`` = generated features ‖ the same one-hot label;
``sample_real`` returns real ``[m, d + K]`` = features ‖ one-hot label. The discriminator judges the
pair (features, label), so the generator must make rows that fit the label it was asked for. This
lets the unchanged Algorithm-1 trainer (:class:`gan_course.train.GANTrainer`) train a conditional GAN.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def load_wine_split(n_per_class: int, seed: int = 0):
    """A small labelled training subset (``n_per_class`` rows of each class) and the rest as test set.

    Returns ``(x_train, y_train, x_test, y_test)`` as numpy arrays (``float64 [n, 13]``, ``int [n]``),
    standardised with the training subset's statistics.
    """
    from sklearn.datasets import load_wine

    x, y = load_wine(return_X_y=True)
    counts = np.bincount(y)
    if not isinstance(n_per_class, (int, np.integer)) or not 2 <= n_per_class <= counts.min() - 10:
        raise ValueError(f"n_per_class must be an integer in 2..{counts.min() - 10} "
                         f"(the smallest class has {counts.min()} rows; 10 are kept for testing), got {n_per_class!r}")
    rng = np.random.default_rng(seed)
    train = np.concatenate([rng.choice(np.flatnonzero(y == c), n_per_class, replace=False) for c in range(len(counts))])
    test = np.setdiff1d(np.arange(len(y)), train)
    mu, sd = x[train].mean(0), x[train].std(0) + 1e-8
    return (x[train] - mu) / sd, y[train], (x[test] - mu) / sd, y[test]


class RowGenerator(nn.Module):
    """Conditional MLP generator: ``[B, z_dim + K]`` (noise ‖ one-hot label) → ``[B, d + K]`` (row ‖ label)."""

    def __init__(self, d: int, n_classes: int, z_dim: int = 16, hidden: int = 64):
        super().__init__()
        self.d, self.n_classes, self.z_dim = d, n_classes, z_dim
        self.net = nn.Sequential(nn.Linear(z_dim + n_classes, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, d))

    def forward(self, zc: torch.Tensor) -> torch.Tensor:
        if zc.ndim != 2 or zc.shape[1] != self.z_dim + self.n_classes:
            raise ValueError(f"input must have shape [B, {self.z_dim + self.n_classes}] (noise ‖ one-hot), got {tuple(zc.shape)}")
        return torch.cat([self.net(zc), zc[:, self.z_dim:]], dim=1)


class RowDiscriminator(nn.Module):
    """Conditional MLP discriminator: ``[B, d + K]`` (row ‖ one-hot label) → logits ``[B]``."""

    def __init__(self, d: int, n_classes: int, hidden: int = 64):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d + n_classes, hidden), nn.LeakyReLU(0.2),
                                 nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1))

    def forward(self, xc: torch.Tensor) -> torch.Tensor:
        return self.net(xc).squeeze(1)


def samplers(x: np.ndarray, y: np.ndarray, z_dim: int = 16):
    """``(sample_real, sample_noise)`` for :class:`~gan_course.train.GANTrainer` from a labelled table.

    Real minibatches are drawn with replacement (the subset may be smaller than a batch); fake labels
    follow the training labels' frequencies.
    """
    k = int(y.max()) + 1
    rows = torch.cat([torch.as_tensor(x, dtype=torch.float32),
                      nn.functional.one_hot(torch.as_tensor(y), k).float()], dim=1)
    prior = torch.as_tensor(np.bincount(y, minlength=k), dtype=torch.float32)

    def sample_real(m, generator=None):
        return rows[torch.randint(len(rows), (m,), generator=generator)]

    def sample_noise(m, generator=None):
        labels = torch.multinomial(prior, m, replacement=True, generator=generator)
        return torch.cat([torch.randn(m, z_dim, generator=generator),
                          nn.functional.one_hot(labels, k).float()], dim=1)

    return sample_real, sample_noise


@torch.no_grad()
def synthesize(G: RowGenerator, labels, generator: torch.Generator | None = None) -> np.ndarray:
    """Rows ``[len(labels), d]`` generated for the requested integer ``labels``."""
    labels = torch.as_tensor(np.asarray(labels))
    z = torch.randn(len(labels), G.z_dim, generator=generator)
    G.eval()
    out = G(torch.cat([z, nn.functional.one_hot(labels, G.n_classes).float()], dim=1))[:, :G.d]
    G.train()
    return out.numpy().astype(np.float64)
