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
