"""gan_course.mnist.latent.slerp: ends, constant norm on the arc, and the degenerate case."""

import pytest
import torch

from gan_course.mnist.latent import slerp


def test_slerp_ends_norm_and_angle():
    g = torch.Generator().manual_seed(0)
    z0, z1 = torch.randn(100, generator=g), torch.randn(100, generator=g)
    z1 = z1 * z0.norm() / z1.norm()                            # same norm: the arc keeps it everywhere
    assert torch.allclose(slerp(z0, z1, 0.0), z0, atol=1e-5) and torch.allclose(slerp(z0, z1, 1.0), z1, atol=1e-5)
    for t in (0.25, 0.5, 0.9):
        assert slerp(z0, z1, t).norm() == pytest.approx(float(z0.norm()), rel=1e-5)
    mid = slerp(z0, z1, 0.5)                                   # the midpoint is equally far (in angle) from both ends
    cos = lambda a, b: float(a @ b / (a.norm() * b.norm()))
    assert cos(mid, z0) == pytest.approx(cos(mid, z1), abs=1e-5)
    assert torch.allclose(slerp(z0, z0, 0.3), z0)              # parallel ends: no division by sin 0
    with pytest.raises(ValueError, match="1-D tensors"):
        slerp(z0[None], z1[None], 0.5)
