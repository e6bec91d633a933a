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
