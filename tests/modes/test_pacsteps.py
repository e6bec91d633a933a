"""The remedies of notebook 06 as steps of PacGAN's authors' setup: each changes only what its paper changes."""

import copy
import json

import pytest
import torch
import torch.nn.functional as F

from gan_course.modes.pacgan import (
    PacConfig,
    PacDiscriminator,
    PacGenerator,
    PacStdDiscriminator,
    discriminator_for,
    minibatch_std,
    train_pacgan,
)
from gan_course.modes.pacsteps import (
    REMEDIES,
    RemedyConfig,
    RemedyStep,
    pack,
    simultaneous_step,
)
from gan_course.toy import ring
from tests.helpers import tiny_pacgan_command, tiny_pacgan_parser

TINY = PacConfig(steps=3, g_hidden=16, d_units=8, n_train=500, n_eval=50)


def _players(m=1, seeds=(0, 1)):
    torch.manual_seed(0)
    G, D = PacGenerator(TINY, list(seeds)), PacDiscriminator(TINY, list(seeds), pack=m)
    return G, D


def _one_step(step, G, D, real, z, m=1, lr=1e-3, sgd=False):
    """Apply ``step`` to copies of G and D with Adam (or, ``sgd``, plain gradient steps); return the copies."""
    G, D = copy.deepcopy(G), copy.deepcopy(D)
    if sgd:   # the update is lr × the gradient: equal gradients give equal weights up to rounding
        opt_g, opt_d = torch.optim.SGD(G.parameters(), lr=lr), torch.optim.SGD(D.parameters(), lr=lr)
    else:
        opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=TINY.betas)
        opt_d = torch.optim.Adam(D.parameters(), lr=lr, betas=TINY.betas)
    step(G, D, opt_g, opt_d, real, z, m)
    return G, D


def _same(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def _grads(G, D, d_loss_fn, real, z, m=1):
    """D's and G's gradients of D's loss d_loss_fn(D(real), D(fake)) and G's non-saturating loss."""
    fake = pack(G(z, chunks=m), m)
    d_real, d_fake = D(real), D(fake)
    gd = torch.autograd.grad(d_loss_fn(d_real, d_fake), list(D.parameters()), retain_graph=True)
    gg = torch.autograd.grad(F.softplus(-d_fake).mean(), list(G.parameters()))
    return gd, gg


def test_label_smoothing_is_the_plain_step_with_target_0_9():
    G, D = _players(seeds=(0,))
    real, z = torch.randn(1, 8, 2), torch.randn(1, 8, 2)
    plain = _one_step(simultaneous_step, G, D, real, z)
    smoothed = _one_step(RemedyStep("label_smoothing", [0], 10), G, D, real, z)
    # target 1 is the plain step: the same gradients (compared after a plain gradient step, since Adam's first
    # step, lr · g / (|g| + 1e-8), turns rounding in a gradient near 0 into a visible difference)
    plain_sgd = _one_step(simultaneous_step, G, D, real, z, sgd=True)
    no_smoothing = _one_step(RemedyStep("label_smoothing", [0], 10, cfg=RemedyConfig(smoothing=1.0)), G, D, real, z,
                             sgd=True)
    torch.testing.assert_close(list(plain_sgd[1].parameters()), list(no_smoothing[1].parameters()), atol=1e-8, rtol=0)
    assert not _same(plain_sgd[1], _one_step(simultaneous_step, G, D, real, z, lr=0.0, sgd=True)[1])  # it moved
    assert not _same(plain[1], smoothed[1])                                   # D's update changes ...
    torch.testing.assert_close(list(plain[0].parameters()), list(smoothed[0].parameters()))     # ... G's does not
    # D's gradient is that of BCE(D(x), 0.9) + BCE(D(G(z)), 0): Adam's first step moves by lr · sign(gradient)
    G0, D0 = copy.deepcopy(G), copy.deepcopy(D)
    gd, _ = _grads(G0, D0, lambda r, f: F.binary_cross_entropy_with_logits(r, torch.full_like(r, 0.9))
                   + F.softplus(f).mean(), real, z)
    w = list(D0.parameters()).index(D0.W_out)
    big = gd[w].abs() > 1e-6
    torch.testing.assert_close((smoothed[1].W_out - D.W_out)[big], -1e-3 * gd[w].sign()[big], atol=2e-5, rtol=0)


def test_instance_noise_anneals_to_zero_over_the_first_half():
    s = RemedyStep("instance_noise", [0], steps=100, spread=4.0)
    assert s.sigma(0) == pytest.approx(0.4)                    # 0.1 × the centres' RMS norm
    assert s.sigma(25) == pytest.approx(0.2) and s.sigma(50) == 0 and s.sigma(99) == 0
    G, D = _players(seeds=(0,))
    real, z = torch.randn(1, 8, 2), torch.randn(1, 8, 2)
    plain = _one_step(simultaneous_step, G, D, real, z, sgd=True)      # plain gradient steps: see label smoothing's
    zero = _one_step(RemedyStep("instance_noise", [0], 10, cfg=RemedyConfig(noise=0.0)), G, D, real, z, sgd=True)
    noisy = _one_step(RemedyStep("instance_noise", [0], 10), G, D, real, z, sgd=True)
    torch.testing.assert_close(list(plain[0].parameters()) + list(plain[1].parameters()),
                               list(zero[0].parameters()) + list(zero[1].parameters()), atol=1e-8, rtol=0)  # σ = 0
    assert not _same(plain[0], noisy[0]) and not _same(plain[1], noisy[1])   # both players see the noise


def test_replay_changes_only_ds_fakes_and_keeps_a_buffer_of_packs():
    G, D = _players(m=2, seeds=(0, 1))
    real, z = torch.randn(2, 8, 4), torch.randn(2, 16, 2)
    plain = _one_step(simultaneous_step, G, D, real, z, m=2)
    step = RemedyStep("replay", [0, 1], 10, cfg=RemedyConfig(replay_size=20))
    replay = _one_step(step, G, D, real, z, m=2)
    # G's gradient comes from all its fresh packs at D's current parameters: the plain step's
    torch.testing.assert_close(list(plain[0].parameters()), list(replay[0].parameters()))
    assert step.buffer.shape == (2, 20, 4)
    # the buffer starts as copies of the first fresh packs, so D's first replayed half is fresh packs too
    fresh = pack(copy.deepcopy(G)(z, chunks=2), 2).detach()
    for e in range(2):
        rows = {tuple(r) for r in fresh[e].round(decimals=5).tolist()}
        assert all(tuple(r) in rows for r in step.buffer[e].round(decimals=5).tolist())
    # each step writes half of its fresh packs (4 of 8) over random slots; the rest stay packs of older generators
    G1, D1 = replay
    before = step.buffer.clone()
    step(G1, D1, torch.optim.Adam(G1.parameters(), lr=1e-3), torch.optim.Adam(D1.parameters(), lr=1e-3), real, z, 2)
    changed = (step.buffer != before).any(-1).sum(1)
    assert ((changed > 0) & (changed <= 4)).all(), changed
    with pytest.raises(ValueError):
        RemedyStep("dropout", [0], 10)


def test_minibatch_std_is_the_mean_over_features_of_each_groups_std():
    h = torch.randn(2, 12, 5, dtype=torch.float64)
    got = minibatch_std(h, 4)
    assert got.shape == (2, 12, 1)
    for e in range(2):
        for n in range(12):
            group = h[e, n % 3::3]                    # groups of 4: samples n, n + 3, n + 6, n + 9 (mod 12)
            want = torch.sqrt(group.var(0, unbiased=False) + 1e-8).mean()
            torch.testing.assert_close(got[e, n, 0], want)
    same = torch.ones(1, 8, 3)                        # a collapsed batch: only the 1e-8 is left
    torch.testing.assert_close(minibatch_std(same, 4), torch.full((1, 8, 1), 1e-4))
    for group in (0, 5):
        with pytest.raises(ValueError, match="groups of"):
            minibatch_std(h, group)


def test_std_discriminator_is_the_authors_d_plus_one_feature_of_the_batch():
    plain, std = PacDiscriminator(TINY, [0, 1], pack=2), PacStdDiscriminator(TINY, [0, 1], pack=2, group=4)
    u, k = TINY.d_units, TINY.d_pieces
    assert tuple(std.W[-1].shape) == (2, u + 1, u * k)            # the last maxout layer reads one more feature
    torch.testing.assert_close(std.W[-1][:, :u], plain.W[-1])     # the rest starts as the authors' D
    for a, b in zip([*plain.W[:-1], plain.W_out], [*std.W[:-1], std.W_out]):
        torch.testing.assert_close(a, b)
    x = torch.randn(2, 8, 4)
    other = x.clone()
    other[:, 1:] = torch.randn(2, 7, 4)                           # the same first pack among other batchmates
    assert torch.equal(plain(x)[:, 0], plain(other)[:, 0])
    assert not torch.allclose(std(x)[:, 0], std(other)[:, 0])    # D's logit depends on the batch
    # G's gradient flows through the feature: a generator that spreads its batch changes D's verdict on it
    with torch.no_grad():
        std.W[-1][:, :u] = 0
    spread = torch.zeros(2, 8, 4, requires_grad=True)
    std(spread).sum().backward()
    assert spread.grad.abs().sum() == 0                            # all else zeroed: a gradient only via the std...
    spread2 = (0.1 * torch.randn(2, 8, 4)).requires_grad_()
    std(spread2).sum().backward()
    assert spread2.grad.abs().sum() > 0                            # ... which a spread batch has
    assert discriminator_for("minibatch_std").func is PacStdDiscriminator
    assert discriminator_for("minibatch_std").keywords == {"group": RemedyConfig().std_group}
    assert discriminator_for(None) is PacDiscriminator and discriminator_for("replay") is PacDiscriminator


def test_remedy_rows_train_deterministically_per_member():
    for remedy in REMEDIES:
        D = discriminator_for(remedy)
        a = train_pacgan(ring(), [0, 1], 1, TINY, step=RemedyStep(remedy, [0, 1], TINY.steps), discriminator=D)
        b = train_pacgan(ring(), [1], 1, TINY, step=RemedyStep(remedy, [1], TINY.steps), discriminator=D)
        torch.testing.assert_close(a["samples"][1], b["samples"][0], atol=1e-4, rtol=1e-4)


def test_command_trains_the_remedies_beside_the_plain_rows(tmp_path, monkeypatch):
    p = tiny_pacgan_parser(monkeypatch, TINY)
    out = tmp_path / "r.json"
    args = p.parse_args(["pacgan", "--trials", "2", "--steps", "2", "--packs", "1", "--datasets", "ring",
                         "--remedies", "label_smoothing", "replay", "--jobs", "1", "--out", str(out)])
    assert args.func(args) == 0
    rec = json.loads(out.read_text())
    assert list(rec["results"]["ring"]) == ["GAN", "GAN + label smoothing", "GAN + replay"]
    assert rec["remedies"] == ["label_smoothing", "replay"] and rec["remedy_config"]["smoothing"] == 0.9
    assert rec["results"]["ring"]["GAN + replay"]["remedy"] == "replay"
    with pytest.raises(SystemExit):
        p.parse_args(["pacgan", "--remedies", "dropout"])


def test_resume_adds_a_remedy_and_refuses_other_remedy_constants(tmp_path, monkeypatch, capsys):
    out = tmp_path / "r.json"
    run = tiny_pacgan_command(monkeypatch, TINY, "--trials", "2", "--steps", "2", "--packs", "1", "--datasets", "ring",
                              "--jobs", "1", "--out", str(out))
    assert run("--remedies", "label_smoothing") == 0
    first = json.loads(out.read_text())
    # a file made before minibatch std existed lacks its constant: adding the remedy is allowed ...
    del first["remedy_config"]["std_group"]
    out.write_text(json.dumps(first))
    assert run("--remedies", "label_smoothing", "minibatch_std", "--resume") == 0
    rec = json.loads(out.read_text())
    assert list(rec["results"]["ring"]) == ["GAN", "GAN + label smoothing", "GAN + minibatch std"]
    assert rec["results"]["ring"]["GAN + label smoothing"] == first["results"]["ring"]["GAN + label smoothing"]
    assert rec["earlier_runs"][0]["rows"] == ["ring: GAN", "ring: GAN + label smoothing"]
    assert rec["remedy_config"]["std_group"] == 4
    # ... a constant the file holds with another value is not
    rec["remedy_config"]["smoothing"] = 0.8
    out.write_text(json.dumps(rec))
    assert run("--remedies", "label_smoothing", "minibatch_std", "--resume") == 2
    assert "remedy_config" in capsys.readouterr().out
