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


def check_positive(minimum: int = 1, **sizes) -> None:
    """ValueError unless every keyword value is an integer ≥ ``minimum`` (layer sizes, depths)."""
    for name, v in sizes.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
            what = "a positive integer" if minimum == 1 else f"an integer ≥ {minimum}"
            raise ValueError(f"{name} must be {what}, got {v!r}")


def check_noise(z: torch.Tensor, z_dim: int) -> None:
    """ValueError unless ``z`` is ``[B, z_dim]``."""
    if z.ndim != 2 or z.shape[1] != z_dim:
        raise ValueError(f"noise must have shape [B, {z_dim}], got {tuple(z.shape)}")


def check_images(x: torch.Tensor, channels: int = 1) -> None:
    """ValueError unless ``x`` is ``[B, channels, 28, 28]``."""
    if x.ndim != 4 or tuple(x.shape[1:]) != (channels, 28, 28):
        raise ValueError(f"images must have shape [B, {channels}, 28, 28], got {tuple(x.shape)}")


def _check_labels(labels: torch.Tensor, batch: int, n_classes: int) -> None:
    if labels.ndim != 1 or labels.shape[0] != batch:
        raise ValueError(f"labels must have shape [{batch}], got {tuple(labels.shape)}")
    if labels.dtype not in (torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    if len(labels) and (int(labels.min()) < 0 or int(labels.max()) >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values "
                         f"{int(labels.min())}..{int(labels.max())}")


# ----------------------------------------------------------------------------------------------
# an MLP GAN (Goodfellow et al. 2014, with LeakyReLU)

class MLPGenerator(nn.Module):
    """Fully connected G: ``[B, z_dim]`` → ``[B, 1, 28, 28]`` in [−1, 1].

    Linear layers of widths ``hidden, 2·hidden, 4·hidden`` (256-512-1024 by default), each followed
    by LeakyReLU(0.2), then Linear(→784) and Tanh.
    """

    def __init__(self, z_dim: int = 100, hidden: int = 256):
        super().__init__()
        check_positive(z_dim=z_dim, hidden=hidden)
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
        check_noise(z, self.z_dim)
        return self.net(z).view(-1, *IMAGE_SHAPE)


class MLPDiscriminator(nn.Module):
    """Fully connected D: ``[B, 1, 28, 28]`` → logits ``[B]`` (σ(logit) = D(x), the probability "real").

    Linear layers of widths ``4·hidden, 2·hidden, hidden`` (1024-512-256 by default), each followed by
    LeakyReLU(0.2), then Linear(→1).
    """

    def __init__(self, hidden: int = 256):
        super().__init__()
        check_positive(hidden=hidden)
        layers: list[nn.Module] = []
        prev = _PIXELS
        for h in (4 * hidden, 2 * hidden, hidden):
            layers += [nn.Linear(prev, h), nn.LeakyReLU(0.2)]
            prev = h
        layers += [nn.Linear(prev, 1)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_images(x)
        return self.net(x.flatten(1)).squeeze(1)


# ----------------------------------------------------------------------------------------------
# DCGAN for 28×28 (Radford et al. 2016)

class DCGANGenerator(nn.Module):
    """DCGAN G (Radford et al. 2016) for 28×28: ``[B, z_dim]`` → ``[B, 1, 28, 28]`` in [−1, 1].

    ``ngf`` sets the width (64 as in the paper; 16–32 on a CPU). The deeper nets of the course's fast recipe
    are :class:`gan_course.mnist.recipe.FastDCGANGenerator`.
    """

    def __init__(self, z_dim: int = 100, ngf: int = 64):
        super().__init__()
        check_positive(z_dim=z_dim, ngf=ngf)
        self.z_dim, self.ngf = z_dim, ngf
        self.net = nn.Sequential(
            # [B, z_dim, 1, 1] → [B, 4·ngf, 7, 7]: project and reshape
            nn.ConvTranspose2d(z_dim, ngf * 4, 7, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            # [B, 4·ngf, 7, 7] → [B, 2·ngf, 14, 14]
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            # [B, 2·ngf, 14, 14] → [B, 1, 28, 28]: no BatchNorm on the output
            nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        check_noise(z, self.z_dim)
        return self.net(z[:, :, None, None])


class DCGANDiscriminator(nn.Module):
    """DCGAN D (Radford et al. 2016) for 28×28: ``[B, 1, 28, 28]`` → logits ``[B]``.

    ``ndf`` sets the width (64 as in the paper; 16–32 on a CPU); ``in_channels`` > 1 lets the conditional D
    (:class:`ConditionalDiscriminator`) feed the label as extra channels.
    """

    def __init__(self, ndf: int = 64, in_channels: int = 1):
        super().__init__()
        check_positive(ndf=ndf, in_channels=in_channels)
        self.ndf, self.in_channels = ndf, in_channels
        self.net = nn.Sequential(
            # [B, in_channels, 28, 28] → [B, ndf, 14, 14]: no BatchNorm on the input
            nn.Conv2d(in_channels, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            # [B, ndf, 14, 14] → [B, 2·ndf, 7, 7]
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            # [B, 2·ndf, 7, 7] → [B, 1, 1, 1]: the logit
            nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_images(x, self.in_channels)
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
        check_positive(z_dim=z_dim, n_classes=n_classes, ngf=ngf, embed_dim=embed_dim)
        self.z_dim, self.n_classes, self.ngf = z_dim, n_classes, ngf
        self.embed = nn.Embedding(n_classes, embed_dim)
        self.net = DCGANGenerator(z_dim + embed_dim, ngf).net       # [B, z_dim + embed_dim, 1, 1] → [B, 1, 28, 28]

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        check_noise(z, self.z_dim)
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
        check_positive(n_classes=n_classes, ndf=ndf)
        self.n_classes, self.ndf = n_classes, ndf
        self.net = DCGANDiscriminator(ndf, 1 + n_classes).net       # [B, 1 + n_classes, 28, 28] → [B, 1, 1, 1]

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        check_images(x)
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
