"""The reference loop of ``python -m gan_course bench``: pytorch/examples ``dcgan/main.py --dataset mnist``,
without torchvision.

Its 64-filter G and D for 64×64 images (nz = 100, ngf = ndf = 64, Sigmoid + ``BCELoss``), MNIST resized to
64×64 as its ``Resize(64)`` + ``Normalize(0.5, 0.5)`` do, a ``DataLoader`` with 2 workers and per-batch
``.to(device)``, fp32, eager, ``.item()`` of the losses every step: its loop body as a user runs it.
:mod:`gan_course.tools.bench.loops` times it against the course's DCGAN; no notebook uses it.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from gan_course.mnist import nets


class ReferenceGenerator(nn.Module):
    """pytorch/examples dcgan ``Generator``: ``[B, nz, 1, 1]`` → ``[B, nc, 64, 64]``."""

    def __init__(self, nz=100, ngf=64, nc=1):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class ReferenceDiscriminator(nn.Module):
    """pytorch/examples dcgan ``Discriminator``: ``[B, nc, 64, 64]`` → probabilities ``[B]`` (Sigmoid)."""

    def __init__(self, ndf=64, nc=1):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def forward(self, x):
        return self.main(x).view(-1, 1).squeeze(1)


class MNISTImages(torch.utils.data.Dataset):
    """MNIST as a torchvision-style dataset: uint8 28×28 → float ``[1, size, size]`` in [−1, 1] per item
    (``size`` 64: ``Resize(64)``, bilinear with antialias as torchvision does on tensors; 28: unchanged)."""

    def __init__(self, images: torch.Tensor, size: int):
        self.images, self.size = images, size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = self.images[i][None].float().div(255.0)                       # ToTensor
        if self.size != 28:
            x = F.interpolate(x[None], size=(self.size, self.size), mode="bilinear",
                              align_corners=False, antialias=True)[0]   # Resize(64)
        return (x - 0.5) / 0.5, 0                                         # Normalize((0.5,), (0.5,))


def make_loader(images, size: int, batch: int, workers: int):
    """A shuffling ``DataLoader`` of :class:`MNISTImages` at ``size``×``size`` (drops the last partial batch)."""
    return torch.utils.data.DataLoader(MNISTImages(images, size), batch_size=batch, shuffle=True,
                                       num_workers=workers, persistent_workers=workers > 0, drop_last=True)


def forever(loader):
    """The image batches of ``loader``, epoch after epoch, without end."""
    while True:
        for x, _ in loader:
            yield x


def reference_parts(device, nz=100, width=64):
    """The reference's nets, optimisers and step (``step(real) -> (errD, errG)`` floats), on ``device``."""
    G, D = ReferenceGenerator(nz, width).to(device), ReferenceDiscriminator(width).to(device)
    G.apply(nets.weights_init)
    D.apply(nets.weights_init)
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCELoss()

    def step(real):                                       # dcgan/main.py's loop body, verbatim in structure
        real = real.to(device)
        b = real.size(0)
        D.zero_grad()
        label = torch.full((b,), 1.0, device=device)
        out = D(real)
        err_real = bce(out, label)
        err_real.backward()
        d_x = out.mean().item()
        noise = torch.randn(b, nz, 1, 1, device=device)
        fake = G(noise)
        label.fill_(0.0)
        out = D(fake.detach())
        err_fake = bce(out, label)
        err_fake.backward()
        d_g_z1 = out.mean().item()
        err_d = err_real + err_fake
        opt_d.step()
        G.zero_grad()
        label.fill_(1.0)
        out = D(fake)
        err_g = bce(out, label)
        err_g.backward()
        d_g_z2 = out.mean().item()
        opt_g.step()
        return err_d.item(), err_g.item(), d_x, d_g_z1, d_g_z2
    return G, step
