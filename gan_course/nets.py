"""Networks for MNIST GANs: the MLP GAN, DCGAN adapted to 28×28, and conditional DCGAN.

Taught in ``notebooks/08_dcgan_mnist.ipynb`` (MLP GAN, DCGAN) and ``notebooks/09_conditional_gan.ipynb``
(conditional variants); used by ``python -m gan_course train`` and ``bench``.

Shapes (B = batch): every generator maps noise ``[B, z_dim]`` to images ``[B, 1, 28, 28]`` in [−1, 1]
(Tanh output, the range of :func:`gan_course.data.mnist_tensor`); every discriminator maps images
``[B, 1, 28, 28]`` to **logits** ``[B]`` (no sigmoid: the losses in :mod:`gan_course.losses` take logits).
Conditional nets take integer labels ``[B]`` in 0..n_classes−1 as a second argument.

DCGAN = Radford, Metz & Chintala (2016), "Unsupervised representation learning with deep convolutional
generative adversarial networks", §3 guidelines: strided (transposed) convolutions instead of pooling,
BatchNorm in G and D (not on G's output nor D's input), no fully connected hidden layers, ReLU in G with
Tanh output, LeakyReLU(0.2) in D, weights from N(0, 0.02) (:func:`weights_init`), Adam(2e-4, β₁ = 0.5).
The paper's 64×64 stack (4×4 → 8 → 16 → 32 → 64) becomes 7×7 → 14×14 → 28×28 here. The first
layer of G is a transposed convolution of the 1×1 noise to a 7×7 map: the paper's "project and
reshape" (a matrix multiply written as a convolution, no hidden dense layer).
"""

from __future__ import annotations

import torch
from torch import nn

IMAGE_SHAPE = (1, 28, 28)
_PIXELS = 28 * 28


def _check_pos(_minimum: int = 1, **kw) -> None:
    for name, v in kw.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < _minimum:
            what = "a positive integer" if _minimum == 1 else f"an integer ≥ {_minimum}"
            raise ValueError(f"{name} must be {what}, got {v!r}")


def _check_flag(**kw) -> None:
    for name, v in kw.items():
        if not isinstance(v, bool):
            raise ValueError(f"{name} must be True or False, got {v!r}")


def _check_noise(z: torch.Tensor, z_dim: int) -> None:
    if z.ndim != 2 or z.shape[1] != z_dim:
        raise ValueError(f"noise must have shape [B, {z_dim}], got {tuple(z.shape)}")


def _check_images(x: torch.Tensor) -> None:
    if x.ndim != 4 or tuple(x.shape[1:]) != IMAGE_SHAPE:
        raise ValueError(f"images must have shape [B, 1, 28, 28], got {tuple(x.shape)}")


def _check_labels(labels: torch.Tensor, batch: int, n_classes: int) -> None:
    if labels.ndim != 1 or labels.shape[0] != batch:
        raise ValueError(f"labels must have shape [{batch}], got {tuple(labels.shape)}")
    if labels.dtype not in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    if len(labels) and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values "
                         f"{int(labels.min())}..{int(labels.max())}")


# ----------------------------------------------------------------------------------------------
# the seed's MLP GAN (Goodfellow et al. 2014 style, with LeakyReLU)

class MLPGenerator(nn.Module):
    """Fully connected G: ``[B, z_dim]`` → ``[B, 1, 28, 28]`` in [−1, 1].

    Linear layers of widths ``hidden, 2·hidden, 4·hidden`` (256-512-1024 by default), each followed
    by LeakyReLU(0.2), then Linear(→784) and Tanh.
    """

    def __init__(self, z_dim: int = 100, hidden: int = 256):
        super().__init__()
        _check_pos(z_dim=z_dim, hidden=hidden)
        self.z_dim = z_dim
        w = (hidden, 2 * hidden, 4 * hidden)
        layers: list[nn.Module] = []
        prev = z_dim
        for h in w:
            layers += [nn.Linear(prev, h), nn.LeakyReLU(0.2)]
            prev = h
        layers += [nn.Linear(prev, _PIXELS), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        _check_noise(z, self.z_dim)
        return self.net(z).view(-1, *IMAGE_SHAPE)


class MLPDiscriminator(nn.Module):
    """Fully connected D: ``[B, 1, 28, 28]`` → logits ``[B]`` (σ(logit) = D(x), the probability "real").

    Linear layers of widths ``4·hidden, 2·hidden, hidden`` (1024-512-256 by default), each followed by
    LeakyReLU(0.2), then Linear(→1).
    """

    def __init__(self, hidden: int = 256):
        super().__init__()
        _check_pos(hidden=hidden)
        layers: list[nn.Module] = []
        prev = _PIXELS
        for h in (4 * hidden, 2 * hidden, hidden):
            layers += [nn.Linear(prev, h), nn.LeakyReLU(0.2)]
            prev = h
        layers += [nn.Linear(prev, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x)
        return self.net(x.flatten(1)).squeeze(1)


# ----------------------------------------------------------------------------------------------
# DCGAN for 28×28

def _g_stack(in_ch: int, ngf: int, refine: bool = False, refine_depth: int = 1, mid_depth: int = 0) -> nn.Sequential:
    """[B, in_ch, 1, 1] → [B, ngf·4, 7, 7] → [B, ngf·2, 14, 14] → [B, 1, 28, 28] (Tanh).

    ``mid_depth``: that many 3×3 convs 2·ngf → 2·ngf (BN, ReLU) at 14×14 after the 7 → 14 layer.
    ``refine``: the 14 → 28 layer gives ``ngf`` channels (BN, ReLU), ``refine_depth − 1`` 3×3 convs ngf → ngf
    (BN, ReLU) follow at 28×28, and a last 3×3 conv makes the image.
    """
    mid: list[nn.Module] = []
    for _ in range(mid_depth):
        mid += [nn.Conv2d(ngf * 2, ngf * 2, 3, 1, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True)]
    if refine:
        head: list[nn.Module] = [nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True)]
        for _ in range(refine_depth - 1):
            head += [nn.Conv2d(ngf, ngf, 3, 1, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True)]
        head.append(nn.Conv2d(ngf, 1, 3, 1, 1))
    else:
        head = [nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False)]  # 14 → 28, no BatchNorm on the output
    return nn.Sequential(
        nn.ConvTranspose2d(in_ch, ngf * 4, 7, 1, 0, bias=False),       # project and reshape: 1 → 7
        nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),     # 7 → 14
        nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
        *mid, *head, nn.Tanh(),
    )


def _d_stack(in_ch: int, ndf: int, refine: bool = False, mid_depth: int = 0) -> nn.Sequential:
    """[B, in_ch, 28, 28] → [B, ndf, 14, 14] → [B, ndf·2, 7, 7] → [B, 1, 1, 1] (logit).

    ``refine``: a 3×3 conv (``ndf`` channels, LeakyReLU) at 28×28 first; the 28 → 14 layer then gets BN.
    ``mid_depth``: that many 3×3 convs ndf → ndf (BN, LeakyReLU) at 14×14 after the 28 → 14 layer.
    """
    mid: list[nn.Module] = []
    for _ in range(mid_depth):
        mid += [nn.Conv2d(ndf, ndf, 3, 1, 1, bias=False), nn.BatchNorm2d(ndf), nn.LeakyReLU(0.2, inplace=True)]
    head = ([nn.Conv2d(in_ch, ndf, 3, 1, 1), nn.LeakyReLU(0.2, inplace=True),
             nn.Conv2d(ndf, ndf, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf)] if refine else
            [nn.Conv2d(in_ch, ndf, 4, 2, 1, bias=False)])          # 28 → 14, no BatchNorm on the input
    return nn.Sequential(
        *head, nn.LeakyReLU(0.2, inplace=True), *mid,
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),                   # 14 → 7
        nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False),                     # 7 → 1: the logit
    )


class DCGANGenerator(nn.Module):
    """DCGAN G (Radford et al. 2016) for 28×28: ``[B, z_dim]`` → ``[B, 1, 28, 28]`` in [−1, 1].

    ConvTranspose(z_dim→4·ngf, 7×7) → BN → ReLU → ConvTranspose(→2·ngf, stride 2) → BN → ReLU →
    ConvTranspose(→1, stride 2) → Tanh. ``ngf`` sets the width (64 as in the paper; 16–32 for CPU).
    ``refine=True`` (not in the paper; lessons keep the default): ConvTranspose(→ngf, stride 2) → BN → ReLU →
    Conv(→1, 3×3) at 28×28 — with the matching D, classifier-FID after 5 CPU minutes of the benchmark's loop fell
    from 34.0 / 30.1 to 14.2 / 12.9 (seeds 0 / 1; README, "Five minutes of (c)"; mentioned in notebook 08).
    ``refine_depth`` (with ``refine``): that many 3×3 convs at 28×28, the first ``refine_depth − 1`` of them
    ngf → ngf + BN + ReLU; depth 2 and 3 took the 5-minute FID from 18.5 / 15.3 to 11.9 / 11.0 and 9.95 / 11.9
    (README, "G's depth at 28×28").
    ``mid_depth`` (not in the paper; default 0 = the paper's stack): that many 3×3 convs 2·ngf → 2·ngf + BN + ReLU
    at 14×14, as many in D (``DCGANDiscriminator(mid_depth=…)``); on top of depth 3, two in each took the 5-minute
    FID from 11.9 / 11.9 / 12.4 / 10.3 to 7.21 / 9.46 / 7.07 / 8.45 (seeds 0–3; README, "After depth 3").
    """

    def __init__(self, z_dim: int = 100, ngf: int = 64, refine: bool = False, refine_depth: int = 1,
                 mid_depth: int = 0):
        super().__init__()
        _check_pos(z_dim=z_dim, ngf=ngf, refine_depth=refine_depth)
        _check_flag(refine=refine)
        _check_pos(0, mid_depth=mid_depth)
        if refine_depth != 1 and not refine:
            raise ValueError(f"refine_depth applies with refine=True only, got refine_depth={refine_depth!r}")
        self.z_dim, self.ngf, self.refine = z_dim, ngf, refine
        self.refine_depth, self.mid_depth = refine_depth, mid_depth
        self.net = _g_stack(z_dim, ngf, refine, refine_depth, mid_depth)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        _check_noise(z, self.z_dim)
        return self.net(z[:, :, None, None])


class DCGANDiscriminator(nn.Module):
    """DCGAN D (Radford et al. 2016) for 28×28: ``[B, 1, 28, 28]`` → logits ``[B]``.

    Conv(1→ndf, stride 2) → LeakyReLU(0.2) → Conv(→2·ndf, stride 2) → BN → LeakyReLU(0.2) →
    Conv(→1, 7×7). ``ndf`` sets the width (64 as in the paper; 16–32 for CPU). ``refine=True``: a 3×3
    Conv(1→ndf) + LeakyReLU at 28×28 first (see :class:`DCGANGenerator`). ``mid_depth``: that many 3×3
    Conv(ndf→ndf) + BN + LeakyReLU at 14×14 (default 0; see :class:`DCGANGenerator`).
    """

    def __init__(self, ndf: int = 64, refine: bool = False, mid_depth: int = 0):
        super().__init__()
        _check_pos(ndf=ndf)
        _check_flag(refine=refine)
        _check_pos(0, mid_depth=mid_depth)
        self.ndf, self.refine, self.mid_depth = ndf, refine, mid_depth
        self.net = _d_stack(1, ndf, refine, mid_depth)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x)
        return self.net(x).flatten()


# ----------------------------------------------------------------------------------------------
# conditional DCGAN (Mirza & Osindero 2014, with DCGAN layers)

class ConditionalGenerator(nn.Module):
    """Conditional DCGAN G: ``forward(z [B, z_dim], labels [B])`` → ``[B, 1, 28, 28]`` in [−1, 1].

    The label goes through ``nn.Embedding(n_classes, embed_dim)`` and is concatenated to z
    (Mirza & Osindero 2014, "Conditional generative adversarial nets"); the rest is :class:`DCGANGenerator`'s stack.
    """

    def __init__(self, z_dim: int = 100, n_classes: int = 10, ngf: int = 64, embed_dim: int = 10):
        super().__init__()
        _check_pos(z_dim=z_dim, n_classes=n_classes, ngf=ngf, embed_dim=embed_dim)
        self.z_dim, self.n_classes, self.ngf = z_dim, n_classes, ngf
        self.embed = nn.Embedding(n_classes, embed_dim)
        self.net = _g_stack(z_dim + embed_dim, ngf)

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        _check_noise(z, self.z_dim)
        _check_labels(labels, z.shape[0], self.n_classes)
        h = torch.cat([z, self.embed(labels.long())], dim=1)
        return self.net(h[:, :, None, None])


class ConditionalDiscriminator(nn.Module):
    """Conditional DCGAN D: ``forward(x [B, 1, 28, 28], labels [B])`` → logits ``[B]``.

    The label enters as ``n_classes`` one-hot channels broadcast over the 28×28 image and concatenated
    to it (Mirza & Osindero 2014); the rest is :class:`DCGANDiscriminator`'s stack.
    """

    def __init__(self, n_classes: int = 10, ndf: int = 64):
        super().__init__()
        _check_pos(n_classes=n_classes, ndf=ndf)
        self.n_classes, self.ndf = n_classes, ndf
        self.net = _d_stack(1 + n_classes, ndf)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        _check_images(x)
        _check_labels(labels, x.shape[0], self.n_classes)
        onehot = nn.functional.one_hot(labels.long(), self.n_classes).to(x.dtype)
        maps = onehot[:, :, None, None].expand(-1, -1, *IMAGE_SHAPE[1:])
        return self.net(torch.cat([x, maps], dim=1)).flatten()


# ----------------------------------------------------------------------------------------------

def weights_init(m: nn.Module) -> None:
    """DCGAN initialisation (Radford et al. 2016, §4): conv/linear weights ~ N(0, 0.02), biases 0;
    BatchNorm scale ~ N(1, 0.02), shift 0. Use as ``net.apply(weights_init)`` (draws from torch's
    global RNG, so seed first with :func:`gan_course.config.seed_everything`)."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _describe(mod: nn.Module) -> str:
    if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
        return (f"{type(mod).__name__}({mod.in_channels}→{mod.out_channels}, kernel {mod.kernel_size[0]}, "
                f"stride {mod.stride[0]}, padding {mod.padding[0]})")
    if isinstance(mod, nn.Linear):
        return f"Linear({mod.in_features}→{mod.out_features})"
    if isinstance(mod, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return f"{type(mod).__name__}({mod.num_features})"
    if isinstance(mod, nn.Embedding):
        return f"Embedding({mod.num_embeddings}, {mod.embedding_dim})"
    return type(mod).__name__


def parameter_table(model: nn.Module) -> str:
    """One line per layer with parameters (name, layer, count), then the total: what notebook 08 prints."""
    rows = []
    for name, mod in model.named_modules():
        n = sum(p.numel() for p in mod.parameters(recurse=False))
        if n:
            rows.append((name, _describe(mod), n))
    width = max([len(r[0]) for r in rows] + [5])
    lw = max([len(r[1]) for r in rows] + [5])
    lines = [f"{name:<{width}}  {layer:<{lw}}  {n:>9,}" for name, layer, n in rows]
    lines.append(f"{'total':<{width}}  {'':<{lw}}  {count_parameters(model):>9,}")
    return "\n".join(lines)
