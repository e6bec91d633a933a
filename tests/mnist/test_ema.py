"""gan_course.mnist.ema.EMA: warm-up, BatchNorm buffers, state round trip, bad β."""

import pytest
import torch
from torch import nn

from gan_course.mnist.ema import EMA


def _net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))


def test_warmup_and_buffers():
    G = _net()
    ema = EMA(G, 0.9)
    x = torch.randn(8, 3)
    G(x)                                              # moves BN's running stats, bumps num_batches_tracked
    ema.update()                                      # first update: a copy
    assert torch.equal(ema.module[0].weight, G[0].weight) and ema.updates == 1
    w1, m1 = G[0].weight.detach().clone(), G[1].running_mean.clone()
    with torch.no_grad():
        G[0].weight.add_(1.0)
    G(x)
    ema.update()                                      # n = 1: β₁ = min(0.9, 2/11) = 2/11
    assert torch.allclose(ema.module[0].weight, w1 + (G[0].weight - w1) * (1 - 2 / 11), atol=1e-6)
    assert torch.allclose(ema.module[1].running_mean, m1 + (G[1].running_mean - m1) * (1 - 2 / 11), atol=1e-6)
    assert ema.module[1].num_batches_tracked.item() == G[1].num_batches_tracked.item() == 2   # copied
    for _ in range(100):                              # late updates use β itself: (1 + n)/(10 + n) > 0.9 from n = 80
        ema.update()
    before = ema.module[0].weight.detach().clone()
    with torch.no_grad():
        G[0].weight.add_(1.0)
    ema.update()
    assert torch.allclose(ema.module[0].weight, before + (G[0].weight - before) * 0.1, atol=1e-6)


def test_state_round_trip():
    G = _net()
    a = EMA(G, 0.99)
    for _ in range(3):
        with torch.no_grad():
            G[0].weight.mul_(1.1)
        a.update()
    b = EMA(_net(), 0.99)
    b.load_state_dict(a.state_dict())
    assert b.updates == 3 and torch.equal(b.module[0].weight, a.module[0].weight)


@pytest.mark.parametrize("beta", [0, 1, 1.5, -0.1, True, "0.9"])
def test_bad_beta(beta):
    with pytest.raises(ValueError, match=f"EMA beta must be a number in \\(0, 1\\), got {beta!r}"):
        EMA(_net(), beta)
