"""Packing a label with the data, so the unconditional trainer trains a conditional GAN.

Used by ``python -m gan_course train cgan`` (:mod:`gan_course.tools.train`) and ``notebooks/09_conditional_gan.ipynb``.
Noise rows are ``[z, y]`` (``[B, z_dim + 1]``, the label as a last column) and images carry a second,
constant channel equal to ``y`` (``[B, 2, 28, 28]``); :class:`PackedGenerator`/:class:`PackedDiscriminator`
unpack them for :class:`gan_course.mnist.nets.ConditionalGenerator`/``ConditionalDiscriminator``, so
:class:`gan_course.train.GANTrainer` (Algorithm 1, notebook 02) needs no conditional code path.
:class:`ShardSampler` draws minibatches from one rank's shard of MNIST held on the device.
"""

from __future__ import annotations

import torch
from torch import nn

from gan_course.mnist import nets
from gan_course.train import ResidentSampler


class PackedGenerator(nn.Module):
    """Conditional G behind an unconditional interface: ``[B, z_dim + 1]`` (last column = label)
    → ``[B, 2, 28, 28]`` (channel 0 the image, channel 1 the label as a constant plane)."""

    def __init__(self, net: nets.ConditionalGenerator):
        super().__init__()
        self.net = net

    def forward(self, zy: torch.Tensor) -> torch.Tensor:
        y = zy[:, -1]
        img = self.net(zy[:, :-1], y.long())
        return torch.cat([img, y[:, None, None, None].expand_as(img)], dim=1)


class PackedDiscriminator(nn.Module):
    """Conditional D on packed images ``[B, 2, 28, 28]`` → logits ``[B]``."""

    def __init__(self, net: nets.ConditionalDiscriminator):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x[:, :1], x[:, 1, 0, 0].round().long())


class ShardSampler:
    """Minibatches of this rank's shard of MNIST, resident on ``device`` (packed with labels for cgan).

    A :class:`gan_course.train.ResidentSampler` over the shard's indices: a fresh permutation each
    epoch, drawn with the trainer's generator; ``state_dict`` makes the data order part of a checkpoint.
    """

    def __init__(self, images: torch.Tensor, labels: torch.Tensor | None, index: torch.Tensor):
        self.images, self.labels = images, labels
        self.index = ResidentSampler(index.to(images.device))

    def __call__(self, m: int, generator=None) -> torch.Tensor:
        idx = self.index(m, generator)
        x = self.images[idx]
        if self.labels is None:
            return x
        return torch.cat([x, self.labels[idx].to(x.dtype)[:, None, None, None].expand_as(x)], dim=1)

    def state_dict(self) -> dict:
        return self.index.state_dict()

    def load_state_dict(self, s: dict) -> None:
        self.index.load_state_dict(s)


def noise_sampler(z_dim: int, conditional: bool, n_classes: int = 10, label_probs=None):
    """``(m, generator) -> [m, z_dim]`` standard normal noise; for a conditional GAN ``[m, z_dim + 1]``, the last
    column a label drawn uniformly from 0..n_classes−1 or, with ``label_probs`` ``[n_classes]``, with those
    probabilities (e.g. the training labels' frequencies, so fake labels come as often as real ones)."""
    if label_probs is not None:
        label_probs = torch.as_tensor(label_probs, dtype=torch.float64)
        if label_probs.shape != (n_classes,) or (label_probs < 0).any() or not label_probs.sum() > 0:
            raise ValueError(f"label_probs must be {n_classes} non-negative numbers with a positive sum, "
                             f"got {label_probs.tolist()}")

    def sample(m: int, generator: torch.Generator) -> torch.Tensor:
        z = torch.randn(m, z_dim, generator=generator, device=generator.device)
        if not conditional:
            return z
        if label_probs is None:
            y = torch.randint(0, n_classes, (m, 1), generator=generator, device=generator.device)
        else:
            p = label_probs.to(device=generator.device, dtype=torch.float32)
            y = torch.multinomial(p, m, replacement=True, generator=generator)[:, None]
        return torch.cat([z, y.to(z.dtype)], dim=1)
    return sample
