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


def test_walk_has_its_ends_and_slerp_between():
    from gan_course.mnist.latent import walk
    g = torch.Generator().manual_seed(1)
    z0, z1 = torch.randn(8, generator=g), torch.randn(8, generator=g)
    w = walk(z0, z1, 5)
    assert w.shape == (5, 8) and torch.allclose(w[0], z0, atol=1e-5) and torch.allclose(w[-1], z1, atol=1e-5)
    assert torch.allclose(w[2], slerp(z0, z1, 0.5))
    with pytest.raises(ValueError, match="at least 2"):
        walk(z0, z1, 1)


def test_digits_between_leaves_out_the_ends():
    from gan_course.mnist.latent import digits_between
    assert digits_between([4, 4, 9, 9, 8], 4, 8) == {9}
    assert digits_between([4, 4, 8, 8], 4, 8) == set()
    assert digits_between([4, 1, 7, 8], 4, 8) == {1, 7}


def test_axis_vs_random_finds_an_axis_aligned_generator():
    """A 'generator' that reads only coordinate 0 moves for e_0 alone (1 of 4 axes), and for random directions by
    |u_0|; the same distance averaged over the random unit directions u is 28·δ·mean |u_0|."""
    from gan_course.mnist.latent import axis_vs_random
    d = 4
    only_first = lambda z: z[:, :1].repeat(1, 784).view(-1, 1, 28, 28)         # pixel change = 28·|Δz_0|
    z = torch.randn(3, d, generator=torch.Generator().manual_seed(0))
    r = axis_vs_random(only_first, z, delta=0.5, directions=d, seed=0)
    assert r["axis"].shape == (3,)
    assert torch.allclose(r["axis"], torch.full((3,), 28 * 0.5 / d))             # one axis of four moves it
    u = torch.randn(d, d, generator=torch.Generator().manual_seed(0))          # the function's random directions
    u = u / u.norm(dim=1, keepdim=True)
    assert torch.allclose(r["random"], torch.full((3,), 28 * 0.5 * float(u[:, 0].abs().mean())), atol=1e-5)
    with pytest.raises(ValueError, match="directions"):
        axis_vs_random(only_first, z, delta=0.5, directions=d + 1)
