"""Notebook 08's exercise checks accept the reference and reject specific plausible mistakes."""

import pytest
import torch

from gan_course.exercises.ex08 import check_conv_transpose_size, check_slerp


def _slerp(z0, z1, t):
    omega = torch.arccos((z0 @ z1 / (z0.norm() * z1.norm())).clamp(-1, 1))
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / torch.sin(omega)


def test_slerp_reference_passes():
    check_slerp(_slerp)


def test_linear_interpolation_is_rejected():
    with pytest.raises(AssertionError, match="LINEAR"):
        check_slerp(lambda z0, z1, t: (1 - t) * z0 + t * z1)


def test_conv_transpose_reference_passes():
    check_conv_transpose_size(lambda n, k, s, p: (n - 1) * s - 2 * p + k)


def test_convolution_formula_is_rejected():
    # the forward convolution's size, (n + 2p − k) // s + 1: the classic mix-up
    with pytest.raises(AssertionError, match="PyTorch gives"):
        check_conv_transpose_size(lambda n, k, s, p: (n + 2 * p - k) // s + 1)


def _gen(linear=False, bn_out=False, size=4, leaky=False, sigmoid=False):
    from torch import nn

    def make(z_dim, ngf):
        act = (lambda: nn.LeakyReLU(0.2)) if leaky else (lambda: nn.ReLU(True))
        head = [nn.Flatten(), nn.Linear(z_dim, z_dim), nn.Unflatten(1, (z_dim, 1, 1))] if linear else []
        out = [nn.BatchNorm2d(1)] if bn_out else []
        return nn.Sequential(*head,
                             nn.ConvTranspose2d(z_dim, ngf * 4, 7, 1, 0, bias=False), nn.BatchNorm2d(ngf * 4), act(),
                             nn.ConvTranspose2d(ngf * 4, ngf * 2, size, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), act(),
                             nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False), *out,
                             nn.Sigmoid() if sigmoid else nn.Tanh())
    return make


def test_dcgan_generator_reference_passes_and_wrong_ones_fail():
    from gan_course.exercises.ex08 import check_dcgan_generator
    check_dcgan_generator(_gen())
    for wrong, msg in ((_gen(linear=True), "fully connected"), (_gen(bn_out=True), "output layer"),
                       (_gen(size=3), "not \\[4, 1, 28, 28\\]"), (_gen(leaky=True), "ReLU"),
                       (_gen(sigmoid=True), "Tanh")):
        with pytest.raises(AssertionError, match=msg):
            check_dcgan_generator(wrong)
