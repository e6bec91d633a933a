"""Checks for the exercises of ``notebooks/08_dcgan_mnist.ipynb`` (DCGAN on MNIST)."""

from __future__ import annotations

import torch

from . import passed


def check_slerp(slerp) -> None:
    """``slerp(z0, z1, t) -> tensor``: spherical linear interpolation (Shoemake 1985) between noise vectors
    ``z0``, ``z1`` ``[d]`` at fraction ``t`` in [0, 1]:
    slerp = sin((1−t)Ω)/sin Ω · z0 + sin(tΩ)/sin Ω · z1, with cos Ω = z0·z1 / (‖z0‖‖z1‖)."""
    g = torch.Generator().manual_seed(0)
    for d in (2, 16, 100):
        z0, z1 = torch.randn(d, generator=g, dtype=torch.float64), torch.randn(d, generator=g, dtype=torch.float64)
        omega = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
        for t in (0.0, 0.25, 0.5, 0.9, 1.0):
            got = torch.as_tensor(slerp(z0, z1, t), dtype=torch.float64)
            assert got.shape == z0.shape, f"slerp must return a vector of shape {tuple(z0.shape)}, got {tuple(got.shape)}"
            want = (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)
            assert torch.allclose(got, want, atol=1e-6), (
                f"d={d}, t={t}: got a point at distance {float((got - want).norm()):.3g} from the expected one. "
                + ("It looks like LINEAR interpolation (1−t)·z0 + t·z1: its midpoint is shorter than both ends. "
                   if torch.allclose(got, (1 - t) * z0 + t * z1, atol=1e-6) else "")
                + "Use the angle Ω between z0 and z1: sin((1−t)Ω)/sin Ω · z0 + sin(tΩ)/sin Ω · z1.")
    passed("slerp")


def check_conv_transpose_size(conv_transpose_size) -> None:
    """``conv_transpose_size(size, kernel, stride, padding) -> int``: the output height of
    ``nn.ConvTranspose2d`` on a ``size``×``size`` input (dilation 1, no output padding)."""
    cases = [(1, 7, 1, 0), (7, 4, 2, 1), (14, 4, 2, 1), (4, 4, 2, 1), (3, 3, 2, 0), (5, 5, 3, 2), (1, 4, 1, 0)]
    for size, k, s, p in cases:
        want = torch.nn.ConvTranspose2d(1, 1, k, s, p)(torch.zeros(1, 1, size, size)).shape[-1]
        got = conv_transpose_size(size, k, s, p)
        assert got == want, (
            f"conv_transpose_size({size}, kernel={k}, stride={s}, padding={p}) = {got}, but PyTorch gives {want}. "
            "Hint: a transposed convolution undoes a convolution's size change: (size − 1)·stride − 2·padding + kernel.")
    passed("conv_transpose_size")


def check_dcgan_generator(make_generator) -> None:
    """``make_generator(z_dim, ngf) -> nn.Sequential`` mapping noise ``[B, z_dim, 1, 1]`` to images ``[B, 1, 28, 28]``
    that follows the DCGAN guidelines of Radford et al. (2016): transposed convolutions (no fully connected layer),
    BatchNorm after every layer but the output one, ReLU inside, Tanh at the output; the width scales with ``ngf``."""
    from torch import nn
    torch.manual_seed(0)
    G = make_generator(16, 8)
    assert isinstance(G, nn.Sequential), f"return one nn.Sequential (as pytorch/examples' dcgan does), got {type(G).__name__}"
    layers = list(G)
    z = torch.randn(4, 16, 1, 1)
    x = G(z)
    assert x.shape == (4, 1, 28, 28), (
        f"noise [4, 16, 1, 1] gave {tuple(x.shape)}, not [4, 1, 28, 28]. Size by arithmetic: a 7×7 kernel takes 1 → 7, "
        "then kernel 4, stride 2, padding 1 doubles the size.")
    assert not any(isinstance(m, nn.Linear) for m in G.modules()), \
        "no fully connected layers: DCGAN projects the noise with a transposed convolution"
    assert sum(isinstance(m, nn.ConvTranspose2d) for m in layers) >= 2, "use transposed (fractionally strided) convolutions"
    assert isinstance(layers[-1], nn.Tanh), f"the output layer must be Tanh (images in [−1, 1]), got {type(layers[-1]).__name__}"
    convs = [i for i, m in enumerate(layers) if isinstance(m, (nn.ConvTranspose2d, nn.Conv2d))]
    after = lambda i: layers[i + 1] if i + 1 < len(layers) else None
    assert not isinstance(after(convs[-1]), nn.BatchNorm2d), "no BatchNorm on G's output layer (Radford et al. §3)"
    assert all(isinstance(after(i), nn.BatchNorm2d) for i in convs[:-1]), "BatchNorm after every layer but the output one"
    assert any(isinstance(m, nn.ReLU) for m in layers) and not any(isinstance(m, nn.LeakyReLU) for m in layers), \
        "ReLU in the generator (LeakyReLU is the discriminator's)"
    n8 = sum(p.numel() for p in G.parameters())
    n16 = sum(p.numel() for p in make_generator(16, 16).parameters())
    assert n16 > 2 * n8, "the channel counts must scale with ngf (as in the paper: 4·ngf, 2·ngf, …)"
    passed("dcgan_generator")
