"""Progressive growing, 7×7 → 14×14 → 28×28: the seed's "gradual training" idea (notebook 09).

After Karras et al. (2018), "Progressive growing of GANs for improved quality, stability, and variation":
train G and D first on heavily downsampled images, then add a resolution-doubling block to both and
continue on larger images. Here the stack is DCGAN's (:mod:`gan_course.nets`); each resolution has its own
1×1 "to image" head in G and "from image" head in D. Simplification: the new block is switched on at
once, without the paper's fade-in (α-blending of the old and new heads).

Shapes: ``G(z [B, z_dim], stage)`` → ``[B, 1, r, r]`` with r = 7, 14, 28 for stage 0, 1, 2;
``D(x [B, 1, r, r], stage)`` → logits ``[B]``. :class:`AtStage` fixes the stage so
:class:`gan_course.train.GANTrainer` can train either net unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

RESOLUTIONS = (7, 14, 28)


def _check_stage(stage: int) -> None:
    if stage not in (0, 1, 2):
        raise ValueError(f"stage must be 0, 1 or 2 (resolution 7, 14, 28), got {stage!r}")


class ProgressiveGenerator(nn.Module):
    """z → 7×7 (4·ngf) → 14×14 (2·ngf) → 28×28 (ngf); a 1×1 conv + Tanh head per resolution."""

    def __init__(self, z_dim: int = 100, ngf: int = 16):
        super().__init__()
        self.z_dim = z_dim
        ch = (4 * ngf, 2 * ngf, ngf)
        self.blocks = nn.ModuleList([
            nn.Sequential(nn.ConvTranspose2d(z_dim, ch[0], 7, 1, 0, bias=False), nn.BatchNorm2d(ch[0]), nn.ReLU(True)),
            nn.Sequential(nn.ConvTranspose2d(ch[0], ch[1], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[1]), nn.ReLU(True)),
            nn.Sequential(nn.ConvTranspose2d(ch[1], ch[2], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[2]), nn.ReLU(True)),
        ])
        self.to_img = nn.ModuleList([nn.Conv2d(c, 1, 1) for c in ch])

    def forward(self, z: torch.Tensor, stage: int = 2) -> torch.Tensor:
        _check_stage(stage)
        h = z[:, :, None, None]
        for block in self.blocks[:stage + 1]:
            h = block(h)
        return torch.tanh(self.to_img[stage](h))


class ProgressiveDiscriminator(nn.Module):
    """[B,1,r,r] → (from-image head of r) → … → 7×7 (4·ndf) → logit; LeakyReLU(0.2), BatchNorm inside."""

    def __init__(self, ndf: int = 16):
        super().__init__()
        ch = (4 * ndf, 2 * ndf, ndf)                      # channels at 7, 14, 28
        self.from_img = nn.ModuleList([nn.Conv2d(1, c, 1) for c in ch])
        self.down = nn.ModuleList([                       # down[1]: 14 → 7, down[2]: 28 → 14
            nn.Identity(),
            nn.Sequential(nn.Conv2d(ch[1], ch[0], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[0]), nn.LeakyReLU(0.2)),
            nn.Sequential(nn.Conv2d(ch[2], ch[1], 4, 2, 1, bias=False), nn.BatchNorm2d(ch[1]), nn.LeakyReLU(0.2)),
        ])
        self.head = nn.Conv2d(ch[0], 1, 7, 1, 0)

    def forward(self, x: torch.Tensor, stage: int = 2) -> torch.Tensor:
        _check_stage(stage)
        r = RESOLUTIONS[stage]
        if x.ndim != 4 or tuple(x.shape[1:]) != (1, r, r):
            raise ValueError(f"stage {stage} takes images [B, 1, {r}, {r}], got {tuple(x.shape)}")
        h = F.leaky_relu(self.from_img[stage](x), 0.2)
        for s in range(stage, 0, -1):
            h = self.down[s](h)
        return self.head(h).flatten()


class AtStage(nn.Module):
    """``net`` with its stage fixed: ``AtStage(G, 1)(z)`` = ``G(z, 1)``."""

    def __init__(self, net: nn.Module, stage: int):
        super().__init__()
        _check_stage(stage)
        self.net, self.stage = net, stage

    def forward(self, x):
        return self.net(x, self.stage)


def downsample(images: torch.Tensor, stage: int) -> torch.Tensor:
    """``[N, 1, 28, 28]`` → ``[N, 1, r, r]`` by averaging 4×4 (r = 7) or 2×2 (r = 14) blocks."""
    _check_stage(stage)
    k = 28 // RESOLUTIONS[stage]
    return images if k == 1 else F.avg_pool2d(images, k)
