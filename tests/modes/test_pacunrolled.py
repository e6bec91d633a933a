"""The unrolled GAN as a row of PacGAN's authors' setup: G's loss at D after k more Adam steps, differentiated
through them (Metz et al. 2017); D's own update is the plain one."""

import copy

import pytest
import torch
import torch.nn.functional as F

from gan_course.modes.pacgan import PacConfig, PacDiscriminator, PacGenerator, row_name, row_parts, train_pacgan
from gan_course.modes.pacsteps import RemedyConfig, UnrolledStep, simultaneous_step
from gan_course.modes.unrolling import unrolled_adam
from gan_course.toy import ring
from tests.helpers import tiny_pac_players

TINY = PacConfig(steps=4, g_hidden=16, d_units=8, n_train=500, n_eval=50)
LR = 1e-3


def _setup(seeds=(0, 1)):
    return tiny_pac_players(TINY, seeds)


def _adams(G, D):
    return torch.optim.Adam(G.parameters(), lr=LR), torch.optim.Adam(D.parameters(), lr=LR)


def _d_loss(D, real, fake):
    return real.shape[0] * (F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean())


def test_unrolled_adam_continues_pytorchs_adam_from_its_state():
    G, D, real, z = _setup()
    fake = G(z).detach()
    # eps 1e-4: the +1e-16 under the square root that keeps d√v/dv finite at v = 0 changes Adam's step where
    # √v is ~1e-8 or less (a maxout piece that stopped winning); against eps 1e-4 it is below float rounding
    adam = {"lr": LR, "betas": (0.8, 0.999), "eps": 1e-4}
    opt = torch.optim.Adam(D.parameters(), **adam)
    for _ in range(2):                                      # a state with moments and a step count
        opt.zero_grad()
        _d_loss(D, real, fake).backward()
        opt.step()
    names = [n for n, _ in D.named_parameters()]

    def loss_at(params, u):
        f = torch.func.functional_call
        return real.shape[0] * (F.softplus(-f(D, dict(zip(names, params)), (real,))).mean()
                                + F.softplus(f(D, dict(zip(names, params)), (fake,))).mean())
    before = copy.deepcopy(opt.state_dict())
    unrolled = unrolled_adam(list(D.parameters()), opt, loss_at, 3)
    after = opt.state_dict()                                          # opt itself is not changed
    assert all(torch.equal(before["state"][i][k], after["state"][i][k]) for i in before["state"] for k in before["state"][i])
    D3 = copy.deepcopy(D)
    opt3 = torch.optim.Adam(D3.parameters(), **adam)
    opt3.load_state_dict(opt.state_dict())
    for _ in range(3):
        opt3.zero_grad()
        _d_loss(D3, real, fake).backward()
        opt3.step()
    for p, q in zip(unrolled, D3.parameters()):
        torch.testing.assert_close(p, q, atol=1e-7, rtol=1e-5)
    with pytest.raises(ValueError, match="steps must be >= 1"):
        unrolled_adam(list(D.parameters()), opt, loss_at, 0)


def test_ds_update_is_the_plain_one_and_gs_sees_d_after_the_unrolled_steps():
    G, D, real, z = _setup()
    G1, D1 = copy.deepcopy(G), copy.deepcopy(D)
    UnrolledStep(3)(G1, D1, *_adams(G1, D1), real, z, 1)
    G0, D0 = copy.deepcopy(G), copy.deepcopy(D)
    simultaneous_step(G0, D0, *_adams(G0, D0), real, z, 1)
    for p, q in zip(D1.parameters(), D0.parameters()):               # D: the authors' update
        torch.testing.assert_close(p, q, atol=1e-7, rtol=0)
    assert any(not torch.allclose(p, q, atol=1e-6) for p, q in zip(G1.parameters(), G0.parameters()))
    # G's gradient: through D's 3 Adam steps (an Adam step from empty state); not the gradient at D_3 held fixed
    Gc, Dc = copy.deepcopy(G), copy.deepcopy(D)
    _, opt_d = _adams(Gc, Dc)
    names = [n for n, _ in Dc.named_parameters()]

    def logits(params, x):
        return torch.func.functional_call(Dc, dict(zip(names, params)), (x,))
    fake = Gc(z)
    unrolled = unrolled_adam(list(Dc.parameters()), opt_d, lambda p, u: 2 * (
        F.softplus(-logits(p, real)).mean() + F.softplus(logits(p, fake)).mean()), 3)
    through = torch.autograd.grad(2 * F.softplus(-logits(unrolled, fake)).mean(), list(Gc.parameters()),
                                  retain_graph=True)
    fixed = torch.autograd.grad(2 * F.softplus(-logits([p.detach() for p in unrolled], fake)).mean(),
                                list(Gc.parameters()))
    assert max((a - b).abs().max() for a, b in zip(through, fixed)) > 1e-6
    # the step's G update is Adam's first step on the "through" gradient g: −lr · g / (|g| + eps)
    g_out = dict(zip([n for n, _ in Gc.named_parameters()], through))["W_out"]
    step = G1.W_out.detach() - G.W_out.detach()
    torch.testing.assert_close(step, -LR * g_out / (g_out.abs() + 1e-8), atol=1e-7, rtol=1e-4)


def test_row_is_the_authors_setup_with_the_unrolled_step_and_deterministic_per_member():
    parts = row_parts("unrolled", [0, 1], TINY.steps)
    assert isinstance(parts["step"], UnrolledStep) and parts["step"].unroll == RemedyConfig().unroll == 5
    assert parts["discriminator"] is PacDiscriminator and parts["generator"] is PacGenerator and parts["betas"] is None
    assert row_parts("unrolled", [0], 4, cfg=RemedyConfig(unroll=2))["step"].unroll == 2
    assert row_name(1, "unrolled") == "GAN + unrolled" and row_name(2, "unrolled") == "PacGAN2 + unrolled"
    cfg = RemedyConfig(unroll=2)
    a = train_pacgan(ring(), [0, 1], 1, TINY, **row_parts("unrolled", [0, 1], TINY.steps, cfg=cfg))
    b = train_pacgan(ring(), [1], 1, TINY, **row_parts("unrolled", [1], TINY.steps, cfg=cfg))
    torch.testing.assert_close(a["samples"][1], b["samples"][0], atol=1e-4, rtol=1e-4)
    with pytest.raises(ValueError, match="unroll must be >= 1"):
        UnrolledStep(0)
