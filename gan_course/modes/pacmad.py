"""MAD-GAN and MAD-GAN-Sim (Ghosh et al. 2018) on PacGAN's authors' setup (Lin et al. 2018).

Taught in ``notebooks/06_mode_collapse.ipynb`` (section 6, after MAD-GAN on the small nets); trained by
``python -m gan_course pacgan --remedies madgan madgan_sim`` (:func:`gan_course.modes.pacgan.run_row`).

What changes from the authors' GAN, and only that:

- **k generators** per trial, each the authors' G with its own seed (:class:`MadGenerators`; generator 0 of trial
  s starts as the authors' G of seed s). Sample i of a batch is generator (i mod k)'s image of noise z_i, so a batch
  of B holds B/k samples of each generator, and each generator's BatchNorm normalises over its own B/k;
- **D with k+1 logits** ("generator 1", …, "generator k", "real"): the authors' D with a wider last layer
  (:class:`MadDiscriminator`);
- **the losses** of :mod:`gan_course.modes.madgan`: D's (k+1)-way cross-entropy and every generator's
  non-saturating −log D_real(G_j(z)) (:class:`MadStep`); **MAD-GAN-Sim** draws B/k noise vectors and feeds each
  to all k generators, and adds ``sim_weight`` × the hinge of :func:`~gan_course.modes.madgan.sim_hinge`, with φ
  the generators' last hidden layer, to the generators' loss.

The rest is the authors' step: batch of 100 real samples and 100 generated ones, both players' gradients at the
same parameters, applied together (:func:`~gan_course.modes.pacsteps.apply_simultaneous`), Adam as theirs. The
constants (k = 4, Sim's weight 1) are those of notebook 06's own table.

Shapes: E trials at once; ``z`` ``[E, B, z_dim]``; samples ``[E, B, 2]``; per generator ``[E, k, B/k, ...]``.
"""

from __future__ import annotations

import torch
from torch import nn

from gan_course.modes.madgan import madgan_d_loss, madgan_g_loss, madgan_sim_g_loss
from gan_course.modes.pacnets import (
    PacConfig,
    PacDiscriminator,
    PacGenerator,
    normal_init,
)
from gan_course.modes.pacsteps import apply_simultaneous

SEED_STRIDE = 1_000_003  # generator j of trial s has seed s + j · SEED_STRIDE


class MadGenerators(nn.Module):
    """k of the authors' generators per trial: ``[E, n, z_dim]`` → ``[E, n, 2]``, sample i made by generator
    i mod k (n a multiple of k). :meth:`features` gives each generator's part, ``[E, k, n/k, ...]``."""

    def __init__(self, cfg: PacConfig, seeds, k: int):
        super().__init__()
        if k < 1:
            raise ValueError(f"k (generators per trial) must be >= 1, got {k}")
        self.k = int(k)
        self.nets = PacGenerator(cfg, [int(s) + SEED_STRIDE * j for s in seeds for j in range(self.k)])

    def features(self, z):
        """``(φ, x)``: each generator's last hidden layer ``[E, k, n/k, g_hidden]`` and samples ``[E, k, n/k, 2]``;
        generator j reads ``z[:, j::k]``."""
        E, n, zd = z.shape
        if n % self.k:
            raise ValueError(f"{n} noise vectors cannot be shared among k = {self.k} generators")
        zk = z.view(E, n // self.k, self.k, zd).transpose(1, 2).reshape(E * self.k, n // self.k, zd)
        phi = self.nets.hidden(zk)
        x = self.nets.output(phi)
        return phi.view(E, self.k, n // self.k, -1), x.view(E, self.k, n // self.k, -1)

    def forward(self, z):
        E, n, _ = z.shape
        return self.features(z)[1].transpose(1, 2).reshape(E, n, -1)


class MadDiscriminator(PacDiscriminator):
    """The authors' D with k+1 logits: ``[E, B, 2]`` → ``[E, B, k+1]`` (the last, "real"). Its maxout layers start
    as the authors' D of the same seed; the output layer's weights are drawn N(0, 0.02²) from their own stream."""

    def __init__(self, cfg: PacConfig, seeds, pack: int, k: int):
        if pack != 1:
            raise ValueError(f"MAD-GAN rows use packing degree 1, got {pack}")
        super().__init__(cfg, seeds, pack)
        gens = [torch.Generator().manual_seed(int(s) * 7919 + 7) for s in seeds]
        self.W_out = nn.Parameter(normal_init(gens, cfg.d_units, k + 1, std=cfg.init_std))
        self.b_out = nn.Parameter(torch.zeros(len(gens), 1, k + 1))


class MadStep:
    """One MAD-GAN step on the authors' setup, called as the authors' step: ``step(G, D, opt_g, opt_d, real, z,
    m)`` with ``G`` a :class:`MadGenerators`, ``D`` a :class:`MadDiscriminator`, ``real`` ``[E, B, 2]``, ``z``
    ``[E, B, z_dim]``, m = 1. With ``sim_weight`` > 0 it is MAD-GAN-Sim (the first B/k noise vectors, each fed to
    every generator)."""

    def __init__(self, sim_weight: float = 0.0):
        if not sim_weight >= 0:
            raise ValueError(f"sim_weight must be >= 0, got {sim_weight!r}")
        self.sim_weight = float(sim_weight)

    def __call__(self, G, D, opt_g, opt_d, real, z, m: int) -> None:
        E, B, _ = real.shape
        k = G.k
        if self.sim_weight > 0:
            z = z[:, : B // k].repeat_interleave(k, dim=1)          # z_i = z_{i+1} = … : one noise, k generators
        phi, fake = G.features(z)                                   # [E, k, B/k, h], [E, k, B/k, 2]
        d_real = D(real)                                            # [E, B, k+1]
        d_fake = D(fake.reshape(E, B, -1)).view(E, k, B // k, k + 1)
        d_loss = madgan_d_loss(d_real, d_fake)
        if self.sim_weight > 0:
            g_loss = madgan_sim_g_loss(d_fake, phi, self.sim_weight)
        else:
            g_loss = madgan_g_loss(d_fake)
        apply_simultaneous(G, D, opt_g, opt_d, d_loss, g_loss)
