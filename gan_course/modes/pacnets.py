"""The networks of PacGAN's authors' 2-D experiments (Lin et al. 2018) and their variants with one more feature.

Taught in ``notebooks/06_mode_collapse.ipynb`` (sections 5 and 6); the setup they belong to (data, step, schedule,
evaluation) is described in :mod:`gan_course.modes.pacgan`, which trains them.

Shapes: E members (trials) at once, each with its own weights from its own seed; ``[E, B, ...]`` batches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import torch
from torch import nn


@dataclass(frozen=True)
class PacConfig:
    """The authors' settings (described in :mod:`gan_course.modes.pacgan`); ``steps`` is the one budget knob."""
    steps: int = field(default=400_000, metadata={"doc": "training steps per trial (the paper: 400 epochs)"})
    batch: int = field(default=100, metadata={"doc": "packs per step"})
    n_train: int = field(default=100_000, metadata={"doc": "training samples (and packs) per trial"})
    n_eval: int = field(default=2500, metadata={"doc": "generated samples evaluated"})
    z_dim: int = field(default=2, metadata={"doc": "noise dimension"})
    g_hidden: int = field(default=400, metadata={"doc": "generator width"})
    g_layers: int = field(default=4, metadata={"doc": "generator hidden layers (BatchNorm + ReLU, no bias)"})
    d_units: int = field(default=200, metadata={"doc": "maxout units per discriminator layer"})
    d_pieces: int = field(default=5, metadata={"doc": "pieces per maxout unit"})
    d_layers: int = field(default=3, metadata={"doc": "maxout layers"})
    lr: float = field(default=1e-4, metadata={"doc": "Adam's learning rate"})
    betas: tuple = field(default=(0.8, 0.999), metadata={"doc": "Adam's betas"})
    init_std: float = field(default=0.02, metadata={"doc": "std of the initial weights"})
    bn_momentum: float = field(default=0.05, metadata={"doc": "weight of a batch in BatchNorm's population stats"})
    bn_eps: float = field(default=1e-4, metadata={"doc": "BatchNorm's epsilon (blocks' default)"})


def normal_init(gens, *shape, std):
    """``[E, *shape]``: N(0, std²) weights, member e drawn from ``gens[e]`` (the authors' init, one seed per trial)."""
    return torch.stack([torch.randn(*shape, generator=g) * std for g in gens])


class PacGenerator(nn.Module):
    """E generators at once: ``[E, B, z_dim]`` → ``[E, B, 2]`` (linear without bias → BatchNorm → ReLU) × 4,
    then linear with bias.

    In training mode BatchNorm normalises each member over its own batch (dim 1), split into ``chunks`` equal
    groups normalised separately (the authors apply G once per pack position), and updates the population
    statistics; in eval mode it uses those population statistics."""

    def __init__(self, cfg: PacConfig, seeds):
        super().__init__()
        gens = [torch.Generator().manual_seed(int(s) * 7919 + 1) for s in seeds]
        sizes = [cfg.z_dim] + [cfg.g_hidden] * cfg.g_layers
        E = len(gens)
        self.momentum, self.eps = cfg.bn_momentum, cfg.bn_eps
        self.W = nn.ParameterList([nn.Parameter(normal_init(gens, i, o, std=cfg.init_std)) for i, o in itertools.pairwise(sizes)])
        self.gamma = nn.ParameterList([nn.Parameter(torch.ones(E, 1, o)) for o in sizes[1:]])
        self.beta = nn.ParameterList([nn.Parameter(torch.zeros(E, 1, o)) for o in sizes[1:]])
        self.W_out = nn.Parameter(normal_init(gens, cfg.g_hidden, 2, std=cfg.init_std))
        self.b_out = nn.Parameter(torch.zeros(E, 1, 2))
        for i, o in enumerate(sizes[1:]):
            self.register_buffer(f"pop_mean{i}", torch.zeros(E, 1, o))
            self.register_buffer(f"pop_std{i}", torch.ones(E, 1, o))

    def forward(self, z, chunks: int = 1):
        return self.output(self.hidden(z, chunks))

    def output(self, h):
        """The output layer: the last hidden layer ``[E, n, g_hidden]`` → samples ``[E, n, 2]``."""
        return torch.baddbmm(self.b_out, h, self.W_out)

    def hidden(self, z, chunks: int = 1):
        """The last hidden layer (after its ReLU), ``[E, B, g_hidden]``."""
        h = z
        E, n = z.shape[:2]
        for i, (W, g, b) in enumerate(zip(self.W, self.gamma, self.beta)):
            h = torch.bmm(h, W)
            pm, ps = getattr(self, f"pop_mean{i}"), getattr(self, f"pop_std{i}")
            if self.training:
                hc = h.view(E, chunks, n // chunks, -1)
                mu = hc.mean(2, keepdim=True)
                sd = torch.sqrt(hc.var(2, unbiased=False, keepdim=True) + self.eps)
                with torch.no_grad():   # the chunks' statistics averaged, then the running average
                    pm.lerp_(mu.mean(1), self.momentum)
                    ps.lerp_(sd.mean(1), self.momentum)
                h = ((hc - mu) / sd).view(E, n, -1)
            else:
                h = (h - pm) / ps
            h = torch.relu(h * g + b)
        return h


class WidePacGenerator(PacGenerator):
    """The authors' G with ``width`` units per hidden layer instead of ``cfg.g_hidden``: ``[E, B, z_dim]`` →
    ``[E, B, 2]``. With width 800 it has as many weights as MAD-GAN's four generators (1.93 M against
    4 × 0.48 M): notebook 06's control for MAD-GAN's capacity (section 6)."""

    def __init__(self, cfg: PacConfig, seeds, width: int):
        if width < 1:
            raise ValueError(f"width must be >= 1, got {width}")
        super().__init__(replace(cfg, g_hidden=int(width)), seeds)


class PacDiscriminator(nn.Module):
    """E discriminators at once: ``[E, B, 2·m]`` → ``[E, B, 1]``: three maxout layers (units × pieces), then
    linear to one logit."""

    def __init__(self, cfg: PacConfig, seeds, pack: int):
        super().__init__()
        gens = [torch.Generator().manual_seed(int(s) * 7919 + 2) for s in seeds]
        E, u, k = len(gens), cfg.d_units, cfg.d_pieces
        sizes = [2 * pack] + [u] * cfg.d_layers
        self.units, self.pieces = u, k
        self.W = nn.ParameterList([nn.Parameter(normal_init(gens, i, u * k, std=cfg.init_std)) for i in sizes[:-1]])
        self.b = nn.ParameterList([nn.Parameter(torch.zeros(E, 1, u * k)) for _ in sizes[:-1]])
        self.W_out = nn.Parameter(normal_init(gens, u, 1, std=cfg.init_std))
        self.b_out = nn.Parameter(torch.zeros(E, 1, 1))

    def forward(self, x):
        h = x
        for i, (W, b) in enumerate(zip(self.W, self.b)):
            h = torch.baddbmm(b, self.layer_input(i, h), W)
            h = h.view(*h.shape[:2], self.units, self.pieces).amax(-1)
        return torch.baddbmm(self.b_out, h, self.W_out)

    def layer_input(self, i: int, h: torch.Tensor) -> torch.Tensor:
        """What maxout layer ``i`` reads: ``h`` itself (a variant adds features here)."""
        return h


def minibatch_std(h: torch.Tensor, group: int) -> torch.Tensor:
    """``[E, B, C]`` → ``[E, B, 1]``: minibatch standard deviation (Karras et al. 2018, "Progressive growing of
    GANs", §3, as their code's ``minibatch_stddev_layer``). The batch splits into groups of ``group`` samples
    (sample n in group n mod B/group); each feature's standard deviation over its group (population variance
    + 1e-8, square root), averaged over the features, is given to every sample of the group (a group of identical
    samples gets 1e-4)."""
    E, B, C = h.shape
    if group < 1 or B % group:
        raise ValueError(f"a batch of {B} cannot be split into groups of {group}")
    y = h.view(E, group, B // group, C)
    std = torch.sqrt((y - y.mean(1, keepdim=True)).pow(2).mean(1) + 1e-8)        # [E, B/group, C]
    return std.mean(-1, keepdim=True).repeat(1, group, 1)                          # [E, B, 1]


class PacStdDiscriminator(PacDiscriminator):
    """:class:`PacDiscriminator` with minibatch standard deviation (:func:`minibatch_std`, groups of ``group``)
    as one more input of its last maxout layer, "towards the end" of D as Karras et al. (2018) place it:
    ``[E, B, 2·m]`` → ``[E, B, 1]``. The other weights start as the authors' D of the same seed; the extra
    feature's weights are drawn N(0, 0.02²) from their own stream. Taught in notebook 06 (section 5)."""

    def __init__(self, cfg: PacConfig, seeds, pack: int, group: int = 4):
        super().__init__(cfg, seeds, pack)
        self.group = int(group)
        gens = [torch.Generator().manual_seed(int(s) * 7919 + 6) for s in seeds]
        extra = normal_init(gens, 1, cfg.d_units * cfg.d_pieces, std=cfg.init_std)
        self.W[-1] = nn.Parameter(torch.cat([self.W[-1].data, extra], 1))

    def layer_input(self, i: int, h: torch.Tensor) -> torch.Tensor:
        if i < len(self.W) - 1:
            return h
        return torch.cat([h, minibatch_std(h, self.group)], -1)
