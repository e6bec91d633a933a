"""GANs for 1-D signals: synthetic two-tone waveforms, a 1-D convolutional GAN, spectral checks.

Taught in ``notebooks/10_beyond_images.ipynb`` (first part).

Data (:func:`two_tone`): ``x[n] = a₁ sin(2π f₁ n/L + φ₁) + a₂ sin(2π f₂ n/L + φ₂) + σ ε[n]``,
``n = 0..L−1``, with a low tone ``f₁ ~ U[f1_range]`` and a high tone ``f₂ ~ U[f2_range]`` (cycles per
window), uniform phases and white Gaussian noise: structure a learner can read off a spectrum.
Shapes: signals are ``[B, 1, L]`` (one channel, like a mono audio clip); noise is ``[B, z_dim]``.

The nets follow the DCGAN recipe of notebook 08 in 1-D (Radford et al. 2016): G projects the noise to
``[B, 4·width, L/8]`` and doubles the length three times with ``ConvTranspose1d`` + BatchNorm + ReLU;
D halves it three times with strided ``Conv1d`` + LeakyReLU(0.2) and ends in a linear logit.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def _check_length(length) -> None:
    if not isinstance(length, int) or length < 16 or length % 8:
        raise ValueError(f"length must be a multiple of 8 and at least 16, got {length!r}")


def _check_range(name, r, lo, hi):
    if len(r) != 2 or not (lo <= r[0] < r[1] <= hi):
        raise ValueError(f"{name} must be (low, high) with {lo} <= low < high <= {hi}, got {r!r}")


def two_tone(n: int, length: int = 64, f1_range=(2.0, 8.0), f2_range=(10.0, 20.0), amps=(0.6, 0.3),
             noise: float = 0.05, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` waveforms ``[n, 1, length]``: a strong low tone, a weaker high tone, white noise.

    Frequencies are in cycles per window, so they must stay below the Nyquist limit ``length/2``.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    _check_length(length)
    _check_range("f1_range", f1_range, 0.0, length / 2)
    _check_range("f2_range", f2_range, 0.0, length / 2)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    t = torch.arange(length, dtype=torch.float32) / length
    u = torch.rand(n, 4, generator=generator)
    f1 = f1_range[0] + (f1_range[1] - f1_range[0]) * u[:, :1]
    f2 = f2_range[0] + (f2_range[1] - f2_range[0]) * u[:, 1:2]
    ph1, ph2 = 2 * np.pi * u[:, 2:3], 2 * np.pi * u[:, 3:4]
    x = amps[0] * torch.sin(2 * np.pi * f1 * t + ph1) + amps[1] * torch.sin(2 * np.pi * f2 * t + ph2)
    x = x + noise * torch.randn(n, length, generator=generator)
    return x.unsqueeze(1)


def power_spectrum(x: torch.Tensor) -> np.ndarray:
    """Periodogram ``|rfft(x)|² / L`` of signals ``[B, 1, L]`` → ``[B, L/2 + 1]`` (bin k = k cycles/window)."""
    if x.ndim != 3 or x.shape[1] != 1:
        raise ValueError(f"signals must have shape [B, 1, L], got {tuple(x.shape)}")
    x = x.detach().cpu().double()[:, 0]
    return (torch.fft.rfft(x, dim=-1).abs() ** 2 / x.shape[-1]).numpy()


def dominant_frequency(x: torch.Tensor) -> np.ndarray:
    """The strongest non-DC bin of each signal's spectrum, ``[B]`` integers (cycles per window)."""
    return power_spectrum(x)[:, 1:].argmax(axis=1) + 1


def histogram_overlap(a, b, bins) -> float:
    """Overlap ``Σ_k min(p_k, q_k)`` of the normalised histograms of ``a`` and ``b`` over ``bins``.

    1 = identical histograms, 0 = disjoint supports (it equals 1 − total variation distance).
    """
    p = np.histogram(a, bins=bins)[0].astype(float)
    q = np.histogram(b, bins=bins)[0].astype(float)
    if p.sum() == 0 or q.sum() == 0:
        raise ValueError("a sample has no value inside the bins")
    return float(np.minimum(p / p.sum(), q / q.sum()).sum())


class SignalGenerator(nn.Module):
    """1-D DCGAN generator: noise ``[B, z_dim]`` → signals ``[B, 1, length]`` (linear output)."""

    def __init__(self, z_dim: int = 32, length: int = 64, width: int = 16):
        super().__init__()
        _check_length(length)
        self.z_dim, self.length, self.width = z_dim, length, width
        self.project = nn.Linear(z_dim, 4 * width * (length // 8))
        def up(cin, cout):
            return [nn.ConvTranspose1d(cin, cout, 4, stride=2, padding=1), nn.BatchNorm1d(cout), nn.ReLU()]
        self.net = nn.Sequential(nn.BatchNorm1d(4 * width), nn.ReLU(), *up(4 * width, 2 * width),
                                 *up(2 * width, width), nn.ConvTranspose1d(width, 1, 4, stride=2, padding=1))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"noise must have shape [B, {self.z_dim}], got {tuple(z.shape)}")
        return self.net(self.project(z).view(len(z), 4 * self.width, self.length // 8))


class SignalDiscriminator(nn.Module):
    """1-D DCGAN discriminator: signals ``[B, 1, length]`` → logits ``[B]``."""

    def __init__(self, length: int = 64, width: int = 16):
        super().__init__()
        self.length = length
        def down(cin, cout):
            return [nn.Conv1d(cin, cout, 4, stride=2, padding=1), nn.LeakyReLU(0.2)]
        self.net = nn.Sequential(*down(1, width), *down(width, 2 * width), *down(2 * width, 4 * width),
                                 nn.Flatten(), nn.Linear(4 * width * (length // 8), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or tuple(x.shape[1:]) != (1, self.length):
            raise ValueError(f"signals must have shape [B, 1, {self.length}], got {tuple(x.shape)}")
        return self.net(x).squeeze(1)
