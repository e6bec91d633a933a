"""The authors' PacGAN networks (batched), packing, training determinism and the ``pacgan`` command."""

import argparse
import json

import pytest
import torch

from gan_course.modes.pacgan import (PacConfig, PacDiscriminator, PacGenerator, pack, standard_error,
                                     train_pacgan)
from gan_course.toy import ring

TINY = PacConfig(steps=3, g_hidden=16, d_units=8, n_train=500, n_eval=50)


def test_generator_layout_matches_the_authors():
    cfg = PacConfig()
    G = PacGenerator(cfg, [0, 1])
    assert [tuple(W.shape) for W in G.W] == [(2, 2, 400)] + [(2, 400, 400)] * 3   # no hidden biases
    assert tuple(G.W_out.shape) == (2, 400, 2) and tuple(G.b_out.shape) == (2, 1, 2)
    assert 0.015 < G.W[1].std().item() < 0.025                                   # N(0, 0.02)
    z = torch.randn(2, 64, 2)
    assert G(z).shape == (2, 64, 2)


def test_batchnorm_normalises_each_member_over_its_own_batch():
    G = PacGenerator(TINY, [0, 1])
    z = torch.randn(2, 32, 2)
    h = torch.bmm(z, G.W[0])
    mu, var = h.mean(1, keepdim=True), h.var(1, unbiased=False, keepdim=True)
    want = torch.relu((h - mu) * torch.rsqrt(var + 1e-5))
    z2 = z.clone()
    z2[1] *= 5                                       # scaling member 1's input does not change member 0
    torch.testing.assert_close(G(z)[0], G(z2)[0])
    assert want.shape == (2, 32, 16)


def test_discriminator_is_maxout_with_packed_input():
    D = PacDiscriminator(PacConfig(), [0], pack=4)
    assert tuple(D.W[0].shape) == (1, 8, 1000) and tuple(D.W[1].shape) == (1, 200, 1000)
    assert len(D.W) == 3 and tuple(D.W_out.shape) == (1, 200, 1)
    # maxout by hand for one input
    x = torch.randn(1, 3, 8)
    h = x
    for W, b in zip(D.W, D.b):
        h = (h @ W[0] + b[0]).view(1, 3, 200, 5).max(-1).values
    torch.testing.assert_close(D(x), h @ D.W_out[0] + D.b_out[0])


def test_pack_puts_consecutive_samples_side_by_side():
    x = torch.arange(16.0).view(1, 8, 2)
    assert pack(x, 4)[0, 1].tolist() == list(range(8, 16))
    with pytest.raises(ValueError):
        pack(x, 3)


def test_training_is_deterministic_and_members_are_independent():
    a = train_pacgan(ring(), [0, 1], 2, TINY, eval_at=(2,))
    b = train_pacgan(ring(), [0, 1], 2, TINY)
    torch.testing.assert_close(a["samples"], b["samples"])
    c = train_pacgan(ring(), [1], 2, TINY)
    torch.testing.assert_close(a["samples"][1], c["samples"][0], atol=1e-4, rtol=1e-4)
    assert set(a["curve"]) == {2}
    with pytest.raises(ValueError):
        train_pacgan(ring(), [0, 0], 1, TINY)


def test_standard_error():
    assert standard_error([1.0, 3.0]) == pytest.approx(1.0)      # sd √2 over √2
    assert standard_error([5.0]) == 0.0


def test_command_writes_a_complete_record(tmp_path, monkeypatch):
    from gan_course.tools import pacgan as tool
    import gan_course.modes.pacgan as mod
    monkeypatch.setattr(mod, "PacConfig", lambda steps: TINY.__class__(**{**TINY.__dict__, "steps": steps}))
    monkeypatch.setattr(tool, "PacConfig", mod.PacConfig)
    p = argparse.ArgumentParser()
    tool.register(p.add_subparsers())
    out = tmp_path / "t.json"
    args = p.parse_args(["pacgan", "--trials", "2", "--steps", "2", "--packs", "1", "2", "--datasets", "ring",
                         "--curve", "1", "--out", str(out)])
    assert args.func(args) == 0
    rec = json.loads(out.read_text())
    assert rec["complete"] and set(rec["results"]["ring"]) == {"GAN", "PacGAN2"}
    row = rec["results"]["ring"]["GAN"]
    assert len(row["per_trial"]) == 2 and set(row["curve"]) == {"1"}
    assert {"wall_seconds", "cpu_seconds", "config", "command", "cpu_model"} <= set(rec)
    bad = p.parse_args(["pacgan", "--trials", "1", "--out", str(out)])
    assert bad.func(bad) == 2
