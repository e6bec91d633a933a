"""WGAN-GP as a row of PacGAN's authors' setup: n_critic critic steps with the gradient penalty, then a G step."""

import copy

import pytest
import torch

from gan_course.losses import gradient_penalty
from gan_course.modes.ensemble import MemberRNG
from gan_course.modes.pacgan import (
    GAN_ONLY,
    PacConfig,
    players,
    row_name,
    row_parts,
    train_pacgan,
)
from gan_course.modes.pacsteps import RemedyConfig, WganGpStep
from gan_course.toy import ring
from tests.helpers import tiny_pac_players

TINY = PacConfig(steps=6, g_hidden=16, d_units=8, n_train=500, n_eval=50)
LR = 1e-3


def _setup(seeds=(0, 1)):
    return tiny_pac_players(TINY, seeds)


def _adams(G, D):
    return (torch.optim.Adam(G.parameters(), lr=LR, betas=(0.5, 0.9)),
            torch.optim.Adam(D.parameters(), lr=LR, betas=(0.5, 0.9)))


def _same(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def _critic_grad(G, D, real, z, seeds, gp_weight):
    """D's gradient of Σ_e [mean D(G(z)) − mean D(x)] + λ·GP, GP's ε the step's first draw."""
    E, B, _ = real.shape
    with torch.no_grad():
        fake = G(z)
    eps = MemberRNG(list(seeds), offset=13).rand(B, 1)
    loss = E * (D(fake).mean() - D(real).mean()) + gradient_penalty(D, real, fake, gp_weight, eps=eps, members=True)
    return torch.autograd.grad(loss, list(D.parameters()))


@pytest.mark.parametrize("gp_weight", [0.0, 10.0])
def test_a_call_is_one_critic_step_on_the_wasserstein_loss_with_the_penalty(gp_weight):
    G, D, real, z = _setup()
    G1, D1 = copy.deepcopy(G), copy.deepcopy(D)
    WganGpStep([0, 1], n_critic=5, gp_weight=gp_weight)(G1, D1, *_adams(G1, D1), real, z, 1)
    assert _same(G, G1)                                   # a critic step leaves G alone
    # Adam's first step moves a weight by lr · g / (|g| + 1e-8) ≈ lr · sign(g) where |g| ≫ 1e-8 (within 1e-7 of
    # it for |g| > 1e-4): D's gradient is the critic's loss's
    grads = _critic_grad(copy.deepcopy(G), copy.deepcopy(D), real, z, (0, 1), gp_weight)
    moved = 0
    for p0, p1, g in zip(D.parameters(), D1.parameters(), grads):
        big = g.abs() > 1e-4
        torch.testing.assert_close((p1 - p0)[big], -LR * g.sign()[big], atol=2e-7, rtol=0)
        moved += int(big.sum())
    assert moved > 20
    # the penalty changes the critic's gradient (it is not a constant)
    other = _critic_grad(copy.deepcopy(G), copy.deepcopy(D), real, z, (0, 1), 10.0 - gp_weight)
    assert any(not torch.allclose(a, b) for a, b in zip(grads, other))


def test_the_generator_steps_once_every_n_critic_calls_toward_higher_critic_values():
    G, D, real, z = _setup()
    G1, D1 = copy.deepcopy(G), copy.deepcopy(D)
    opts = _adams(G1, D1)
    step = WganGpStep([0, 1], n_critic=3)
    for t in range(1, 4):
        before = copy.deepcopy(G1)
        step(G1, D1, *opts, real, z, 1)
        assert _same(before, G1) == (t < 3), t                # G moves at the third call only
    # the G step raises the critic's value of G's samples (loss −D(G(z)) goes down), with D held fixed
    zz = torch.randn(2, 64, 2)
    with torch.no_grad():
        for net in (before, G1):
            net.eval()
        assert D1(G1(zz)).mean() > D1(before(zz)).mean()


def test_row_uses_the_papers_betas_and_is_deterministic_per_member():
    parts = row_parts("wgan_gp", [0, 1], TINY.steps)
    assert parts["betas"] == RemedyConfig().wgan_betas == (0.5, 0.9)
    assert parts["step"].n_critic == 5 and parts["step"].gp_weight == 10.0
    _, _, opt_g, opt_d = players(TINY, [0, 1], 1, parts["discriminator"], parts["generator"], parts["betas"])
    assert opt_g.param_groups[0]["betas"] == opt_d.param_groups[0]["betas"] == (0.5, 0.9)
    assert players(TINY, [0], 1)[2].param_groups[0]["betas"] == TINY.betas          # the authors' by default
    a = train_pacgan(ring(), [0, 1], 1, TINY, **parts)
    b = train_pacgan(ring(), [1], 1, TINY, **row_parts("wgan_gp", [1], TINY.steps))
    torch.testing.assert_close(a["samples"][1], b["samples"][0], atol=1e-4, rtol=1e-4)
    assert row_name(1, "wgan_gp") == "WGAN-GP" and "wgan_gp" in GAN_ONLY
    with pytest.raises(ValueError, match="packing degree 1"):
        row_name(2, "wgan_gp")


def test_the_toy_row_differs_from_wgan_gp_only_in_the_penalty_weight():
    """Row "WGAN-GP, λ = 0.1": λ of Gulrajani et al.'s ``gan_toy.py``, everything else as row "WGAN-GP"."""
    toy, plain = row_parts("wgan_gp_toy", [0], TINY.steps), row_parts("wgan_gp", [0], TINY.steps)
    assert toy["step"].gp_weight == RemedyConfig().toy_gp_weight == 0.1
    assert (toy["step"].n_critic, toy["betas"], toy["discriminator"], toy["generator"]) == \
        (plain["step"].n_critic, plain["betas"], plain["discriminator"], plain["generator"])
    assert row_name(1, "wgan_gp_toy") == "WGAN-GP, λ = 0.1" and "wgan_gp_toy" in GAN_ONLY
    assert row_parts("wgan_gp", [0], TINY.steps, cfg=RemedyConfig(gp_weight=3.0))["step"].gp_weight == 3.0
    assert row_parts("wgan_gp_toy", [0], TINY.steps, cfg=RemedyConfig(toy_gp_weight=3.0))["step"].gp_weight == 3.0


@pytest.mark.parametrize("kw", [{"n_critic": 0}, {"gp_weight": -1.0}, {"gp_weight": float("nan")}])
def test_bad_constants_are_refused(kw):
    with pytest.raises(ValueError, match="n_critic must be >= 1"):
        WganGpStep([0], **kw)
