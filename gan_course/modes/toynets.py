"""The toy GANs' shared setup for notebook 06: settings, nets and optimiser of every mode-collapse method.

:class:`ToyConfig` holds what every method of :mod:`gan_course.modes.remedies` and :mod:`gan_course.modes.madgan`
shares (architecture, optimiser, batch, steps, each remedy's own constant); :func:`make_nets` builds the batched
generator and discriminator (:class:`gan_course.modes.ensemble.BatchedMLP`, one member per seed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import torch

from gan_course.modes.ensemble import BatchedMLP
from gan_course.train import linear_decay


@dataclass(frozen=True)
class ToyConfig:
    """Shared setup of every method (2-D data). ``noise`` is instance noise's σ₀ as a fraction of
    the mixture's spread (its centres' RMS norm); ``madgan_k`` generators for MAD-GAN."""
    steps: int = 1500
    batch: int = 128
    z_dim: int = 8
    g_hidden: tuple = (64, 64, 64)
    d_hidden: tuple = (64, 64)
    lr: float = 1e-3
    betas: tuple = (0.5, 0.999)
    decay_from: float = 0.5  # linear learning-rate decay to 0 over the last half of training
    smoothing: float = 0.9
    noise: float = 0.1
    noise_until: float = 0.5
    replay_size: int = 4096
    pac: int = 4
    unroll: int = 5
    n_critic: int = 5
    gp_weight: float = 10.0
    madgan_k: int = 4
    extra: dict = field(default_factory=dict)

    def with_(self, **kw) -> "ToyConfig":
        return replace(self, **kw)


def make_nets(cfg: ToyConfig, seeds, data_dim: int = 2, d_in_mult: int = 1, d_out: int = 1, g_members: int = 1):
    """G: ``[E·g_members, B, z_dim]`` → ``[·, B, data_dim]``; D: ``[E, B, data_dim·d_in_mult]`` → ``[E, B, d_out]``."""
    g_seeds = [s * 100 + j for s in seeds for j in range(g_members)]
    G = BatchedMLP([cfg.z_dim, *cfg.g_hidden, data_dim], g_seeds)
    D = BatchedMLP([data_dim * d_in_mult, *cfg.d_hidden, d_out], [s * 100 + 99 for s in seeds])
    return G, D


def adam(params, cfg: ToyConfig, betas=None):
    return torch.optim.Adam(params, lr=cfg.lr, betas=betas or cfg.betas)


def lr_factor(cfg: ToyConfig, step: int) -> float:
    """1 until ``decay_from``·steps, then linearly down to 0 at the last step (:func:`gan_course.train.linear_decay`
    over the last 1 − ``decay_from``)."""
    return linear_decay(step, cfg.steps, 1 - cfg.decay_from)
