"""Progressive growing, 7×7 → 14×14 → 28×28: training at growing resolution (notebook 09).

After Karras et al. (2018), "Progressive growing of GANs for improved quality, stability, and variation":
train G and D first on heavily downsampled images, then add a resolution-doubling block to both and
continue on larger images. Here the stack is DCGAN's (:mod:`gan_course.mnist.nets`); each resolution has its own
1×1 "to image" head in G and "from image" head in D.

Fade-in (Karras et al. 2018, §2 and Figure 2): while a new block is introduced, ``alpha`` rises from 0 to 1
and G's output is ``alpha · new + (1 − alpha) · upsample(old)``, the new 2r×2r head blended with the
nearest-neighbour upsampled output of the previous r×r head; D mirrors it,
``alpha · down(from_img_new(x)) + (1 − alpha) · from_img_old(avgpool(x))``; the real images are blended the
same way (:func:`fade_real`). ``alpha = 1`` is the plain network.

Shapes: ``G(z [B, z_dim], stage, alpha)`` → ``[B, 1, r, r]`` with r = 7, 14, 28 for stage 0, 1, 2;
``D(x [B, 1, r, r], stage, alpha)`` → logits ``[B]``. :class:`AtStage` fixes the stage (and holds the
current ``alpha``) so :class:`gan_course.train.GANTrainer` can train either net unchanged.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

RESOLUTIONS = (7, 14, 28)


def _check_alpha(alpha: float) -> None:
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha!r}")


def _check_stage(stage: int, alpha: float = 1.0) -> None:
    if stage not in (0, 1, 2):
        raise ValueError(f"stage must be 0, 1 or 2 (resolution 7, 14, 28), got {stage!r}")
    _check_alpha(alpha)


def _up(x: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, scale_factor=2, mode="nearest")


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

    def forward(self, z: torch.Tensor, stage: int = 2, alpha: float = 1.0) -> torch.Tensor:
        _check_stage(stage, alpha)
        h = z[:, :, None, None]
        for block in self.blocks[:stage]:
            h = block(h)
        new = torch.tanh(self.to_img[stage](self.blocks[stage](h)))
        if stage == 0 or alpha == 1.0:
            return new
        return alpha * new + (1 - alpha) * _up(torch.tanh(self.to_img[stage - 1](h)))   # fade-in


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

    def forward(self, x: torch.Tensor, stage: int = 2, alpha: float = 1.0) -> torch.Tensor:
        _check_stage(stage, alpha)
        r = RESOLUTIONS[stage]
        if x.ndim != 4 or tuple(x.shape[1:]) != (1, r, r):
            raise ValueError(f"stage {stage} takes images [B, 1, {r}, {r}], got {tuple(x.shape)}")
        h = F.leaky_relu(self.from_img[stage](x), 0.2)
        if stage > 0:
            h = self.down[stage](h)
            if alpha < 1.0:                                   # fade-in: blend with the previous input head
                old = F.leaky_relu(self.from_img[stage - 1](F.avg_pool2d(x, 2)), 0.2)
                h = alpha * h + (1 - alpha) * old
            for s in range(stage - 1, 0, -1):
                h = self.down[s](h)
        return self.head(h).flatten()


class AtStage(nn.Module):
    """``net`` with its stage fixed: ``AtStage(G, 1)(z)`` = ``G(z, 1, alpha)``; set ``.alpha`` during a fade-in."""

    def __init__(self, net: nn.Module, stage: int, alpha: float = 1.0):
        super().__init__()
        _check_stage(stage, alpha)
        self.net, self.stage, self.alpha = net, stage, alpha

    def forward(self, x):
        return self.net(x, self.stage, self.alpha)


def fade_real(images: torch.Tensor, alpha: float) -> torch.Tensor:
    """Real images ``[N, 1, r, r]`` as D sees them during a fade-in: ``alpha · x + (1 − alpha) · up(avgpool(x))``."""
    _check_alpha(alpha)
    return images if alpha == 1.0 else alpha * images + (1 - alpha) * _up(F.avg_pool2d(images, 2))


def downsample(images: torch.Tensor, stage: int) -> torch.Tensor:
    """``[N, 1, 28, 28]`` → ``[N, 1, r, r]`` by averaging 4×4 (r = 7) or 2×2 (r = 14) blocks."""
    _check_stage(stage)
    k = 28 // RESOLUTIONS[stage]
    return images if k == 1 else F.avg_pool2d(images, k)
