"""Batched ensembles (gan_course.modes.ensemble), the remedies' training loop and MAD-GAN's losses."""

import math

import pytest
import torch
from torch import nn

from gan_course.losses import gradient_penalty
from gan_course.modes.ensemble import BatchedMLP, MemberRNG
from gan_course.modes.madgan import madgan_d_loss, madgan_g_loss, train_madgan
from gan_course.modes.remedies import METHODS, ToyConfig, pack, train_method
from gan_course.toy import GaussianMixture1D, ring


def _member_as_sequential(net, e):
    layers = []
    n = len(net.params) // 2
    for i in range(n):
        lin = nn.Linear(*net.params[2 * i].shape[1:])
        lin.weight.data = net.params[2 * i][e].detach().T.clone()
        lin.bias.data = net.params[2 * i + 1][e, 0].detach().clone()
        layers += [lin] + ([nn.ReLU()] if i < n - 1 else [])
    return nn.Sequential(*layers)


def test_batched_mlp_equals_separate_networks():
    net = BatchedMLP([3, 16, 16, 2], seeds=[0, 1, 2])
    x = torch.randn(3, 10, 3, generator=torch.Generator().manual_seed(0))
    y = net(x)
    for e in range(3):
        torch.testing.assert_close(y[e], _member_as_sequential(net, e)(x[e]), rtol=1e-5, atol=1e-6)


def test_member_init_depends_only_on_its_seed():
    a, b = BatchedMLP([2, 8, 1], seeds=[5, 7]), BatchedMLP([2, 8, 1], seeds=[7])
    torch.testing.assert_close(a.params[0][1], b.params[0][0])
    with pytest.raises(ValueError, match="input must be"):
        a(torch.zeros(3, 4, 2))
    with pytest.raises(ValueError, match="seeds"):
        BatchedMLP([2, 1], seeds=[])


def test_members_get_independent_gradients():
    net = BatchedMLP([2, 8, 1], seeds=[0, 1])
    x = torch.randn(2, 5, 2)
    (net(x)[0].sum()).backward()  # only member 0 in the loss
    assert net.params[0].grad[1].abs().max() == 0 and net.params[0].grad[0].abs().max() > 0


def test_members_gradient_penalty_on_linear_critics():
    # linear critic D(x) = w·x: ‖∇D‖ = ‖w‖ everywhere, penalty = λ(‖w‖ − 1)² (known answer)
    net = BatchedMLP([2, 1], seeds=[0, 1])
    with torch.no_grad():
        net.params[0][:] = torch.tensor([[[3.0], [4.0]], [[0.6], [0.8]]])
    real, fake = torch.randn(2, 6, 2), torch.randn(2, 6, 2)
    got = gradient_penalty(net, real, fake, 10.0, eps=MemberRNG([0, 1]).rand(6, 1), members=True)
    assert got.item() == pytest.approx(10 * (5 - 1) ** 2 + 0.0, rel=1e-5)
    ref = gradient_penalty(_member_as_sequential(net, 0), real[0], fake[0], 10.0)
    assert ref.item() == pytest.approx(160.0, rel=1e-5)
    # Σ over members of each member's penalty, and each member's gradient is its own penalty's
    net.zero_grad()
    gradient_penalty(net, real, fake, 10.0, members=True).backward()
    assert net.params[0].grad[1].abs().max() < 1e-5          # member 1 has ‖w‖ = 1: no penalty, no gradient
    assert net.params[0].grad[0].abs().max() > 1


def test_pack_concatenates_consecutive_samples():
    x = torch.arange(16.0).reshape(1, 8, 2)
    assert pack(x, 4).shape == (1, 2, 8)
    assert pack(x, 4)[0, 1].tolist() == list(range(8, 16))


def test_madgan_losses_by_hand():
    k, E, b = 2, 1, 3
    real = torch.zeros(E, 4, k + 1)          # uniform softmax: each CE term is log 3
    fake = torch.zeros(E, k, b, k + 1)
    assert madgan_d_loss(real, fake).item() == pytest.approx(2 * math.log(3))
    assert madgan_g_loss(fake).item() == pytest.approx(k * math.log(3))
    fake[..., k] = 50.0                      # every fake judged real: G's loss ≈ 0
    assert madgan_g_loss(fake).item() == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="k\\+1"):
        madgan_d_loss(torch.zeros(1, 4, 2), torch.zeros(1, 2, 3, 2))


@pytest.mark.parametrize("method", METHODS)
def test_every_method_runs_and_is_deterministic(method):
    cfg = ToyConfig(steps=3, batch=16, g_hidden=(8,), d_hidden=(8,), unroll=2, n_critic=2, replay_size=32)
    a = train_method(method, ring(), [0, 1], cfg, n_eval=20, progress=False, snapshot_steps=(2,))
    b = train_method(method, ring(), [0, 1], cfg, n_eval=20, progress=False)
    assert a["samples"].shape == (2, 20, 2) and torch.isfinite(a["samples"]).all()
    torch.testing.assert_close(a["samples"], b["samples"])
    assert set(a["snapshots"]) == {2}


def test_unknown_method_and_bad_seeds():
    with pytest.raises(ValueError, match="unknown method 'gan'.*allowed"):
        train_method("gan", ring(), [0])
    with pytest.raises(ValueError, match="seeds"):
        train_method("vanilla", ring(), [0, 0])


def test_madgan_labels_split_evenly_and_1d_works():
    cfg = ToyConfig(steps=2, batch=16, g_hidden=(8,), d_hidden=(8,))
    out = train_madgan(GaussianMixture1D([0.0, 1.0], [0.1, 0.1]), [0, 1], cfg, n_eval=10, progress=False, k=3)
    assert out["samples"].shape == (2, 10, 1)
    assert out["labels"][0].tolist() == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
