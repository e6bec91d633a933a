"""Progressive growing (notebook 09): shapes per stage, and the fade-in blend at its two ends."""

import pytest
import torch
import torch.nn.functional as F

from gan_course import progressive as pg


@pytest.fixture
def nets():
    torch.manual_seed(0)
    return pg.ProgressiveGenerator(z_dim=8, ngf=4).eval(), pg.ProgressiveDiscriminator(ndf=4).eval()


@pytest.mark.parametrize("stage,r", [(0, 7), (1, 14), (2, 28)])
def test_shapes(nets, stage, r):
    G, D = nets
    x = G(torch.randn(3, 8), stage)
    assert x.shape == (3, 1, r, r) and x.abs().max() <= 1
    assert D(x, stage).shape == (3,)
    assert pg.downsample(torch.zeros(5, 1, 28, 28), stage).shape == (5, 1, r, r)


def test_generator_fade_in_ends(nets):
    G, _ = nets
    z = torch.randn(4, 8)
    with torch.no_grad():
        assert torch.equal(G(z, 2, 1.0), G(z, 2))                                # alpha = 1: the plain net
        old = F.interpolate(G(z, 1), scale_factor=2, mode="nearest")
        torch.testing.assert_close(G(z, 2, 0.0), old)                            # alpha = 0: the upsampled old head
        torch.testing.assert_close(G(z, 2, 0.25), 0.25 * G(z, 2) + 0.75 * old)  # linear in between


def test_discriminator_fade_in_ends(nets):
    _, D = nets
    x = torch.rand(4, 1, 28, 28) * 2 - 1
    with torch.no_grad():
        assert torch.equal(D(x, 2, 1.0), D(x, 2))
        # alpha = 0: D at 28x28 is exactly D at 14x14 on the average-pooled image
        torch.testing.assert_close(D(x, 2, 0.0), D(F.avg_pool2d(x, 2), 1))


def test_fade_real_and_at_stage(nets):
    G, _ = nets
    x = torch.rand(2, 1, 14, 14)
    assert torch.equal(pg.fade_real(x, 1.0), x)
    torch.testing.assert_close(pg.fade_real(x, 0.0), F.interpolate(F.avg_pool2d(x, 2), scale_factor=2))
    g1 = pg.AtStage(G, 1)
    g1.alpha = 0.5
    z = torch.randn(2, 8)
    with torch.no_grad():
        torch.testing.assert_close(g1(z), G(z, 1, 0.5))


def test_bad_stage_or_alpha(nets):
    G, D = nets
    with pytest.raises(ValueError, match="stage"):
        G(torch.randn(1, 8), 3)
    with pytest.raises(ValueError, match="alpha"):
        G(torch.randn(1, 8), 2, 1.5)
    with pytest.raises(ValueError, match=r"\[B, 1, 14, 14\]"):
        D(torch.zeros(1, 1, 28, 28), 1)
    with pytest.raises(ValueError, match="alpha"):
        pg.fade_real(torch.zeros(1, 1, 14, 14), -0.1)
