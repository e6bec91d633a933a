"""The authors' PacGAN networks (batched), packing, training determinism and the ``pacgan`` command."""

import json

import pytest
import torch

from gan_course.modes.pacgan import (
    PAPER_TABLE1,
    PacConfig,
    PacDiscriminator,
    PacGenerator,
    pack,
    packed_training_set,
    simultaneous_step,
    standard_error,
    train_pacgan,
)
from gan_course.toy import ring
from tests.helpers import tiny_pacgan_parser

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
    z2 = z.clone()
    z2[1] *= 5                                       # scaling member 1's input does not change member 0
    torch.testing.assert_close(G(z)[0], G(z2)[0])


def test_batchnorm_chunks_are_normalised_separately():
    """With chunks = m, each block of the batch (one pack position) is normalised over itself alone."""
    G = PacGenerator(TINY, [0])
    a, b = torch.randn(1, 16, 2), torch.randn(1, 16, 2) * 3 + 1
    both = G(torch.cat([a, b], 1), chunks=2)
    torch.testing.assert_close(both[:, :16], G(a))
    torch.testing.assert_close(both[:, 16:], G(b))
    assert not torch.allclose(G(torch.cat([a, b], 1))[:, :16], G(a))      # one chunk: shared statistics


def test_population_statistics_are_a_running_average_used_in_eval_mode():
    cfg = TINY
    G = PacGenerator(cfg, [0])
    z = torch.randn(1, 64, 2)
    h = torch.bmm(z, G.W[0])
    G(z)                                              # training mode: one update of the running averages
    torch.testing.assert_close(G.pop_mean0, cfg.bn_momentum * h.mean(1, keepdim=True))
    sd = torch.sqrt(h.var(1, unbiased=False, keepdim=True) + cfg.bn_eps)
    torch.testing.assert_close(G.pop_std0, (1 - cfg.bn_momentum) + cfg.bn_momentum * sd)
    G.eval()
    before = G.pop_mean0.clone()
    out = G(z[:, :5])                                 # eval mode: population statistics, no update
    torch.testing.assert_close(G.pop_mean0, before)
    h0 = torch.relu((torch.bmm(z[:, :5], G.W[0]) - G.pop_mean0) / G.pop_std0 * G.gamma[0] + G.beta[0])
    assert out.shape == (1, 5, 2) and torch.isfinite(h0).all()


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


def test_pack_puts_one_block_per_position_side_by_side():
    x = torch.arange(16.0).view(1, 8, 2)              # two blocks of 4 samples (pack degree 2)
    assert pack(x, 2)[0, 1].tolist() == [2.0, 3.0, 10.0, 11.0]     # sample 1 of block 0, sample 1 of block 1
    assert pack(x, 1).shape == (1, 8, 2)
    with pytest.raises(ValueError):
        pack(x, 3)


def test_packed_training_set_holds_samples_of_the_base_set():
    from gan_course.toy import grid
    g = torch.Generator().manual_seed(0)
    t = packed_training_set(grid(), 300, 3, g)
    assert t.shape == (300, 6)
    base = grid().sample(300, generator=torch.Generator().manual_seed(0))
    for j in range(3):                               # every position's samples come from the 300 base samples
        d2 = ((t[:, None, 2 * j:2 * j + 2] - base[None]) ** 2).sum(-1).min(1).values
        assert d2.max() == 0
    assert not torch.equal(t[:, :2], t[:, 2:4])      # positions are independent draws


def test_simultaneous_step_takes_both_gradients_at_the_same_parameters():
    """Adam's first step moves each weight by lr · sign(gradient); G's gradient must be the one at D's old
    parameters (an alternating update would take it after D's step)."""
    import copy
    torch.manual_seed(0)
    cfg = TINY
    G, D = PacGenerator(cfg, [0]), PacDiscriminator(cfg, [0], pack=2)
    real, z = torch.randn(1, 8, 4), torch.randn(1, 16, 2)
    G0, D0 = copy.deepcopy(G), copy.deepcopy(D)
    fake = pack(G0(z, chunks=2), 2)
    g_grad = torch.autograd.grad(torch.nn.functional.softplus(-D0(fake)).mean(), G0.W_out)[0]
    d_grad = torch.autograd.grad(torch.nn.functional.softplus(-D0(real)).mean()
                                 + torch.nn.functional.softplus(D0(fake.detach())).mean(), D0.W_out)[0]
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=cfg.betas)
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=cfg.betas)
    simultaneous_step(G, D, opt_g, opt_d, real, z, 2)
    big = g_grad.abs() > 1e-6
    torch.testing.assert_close((G.W_out - G0.W_out)[big], -1e-3 * g_grad.sign()[big], atol=2e-5, rtol=0)
    big = d_grad.abs() > 1e-6
    torch.testing.assert_close((D.W_out - D0.W_out)[big], -1e-3 * d_grad.sign()[big], atol=2e-5, rtol=0)


def test_paper_table_has_every_row_with_standard_errors():
    for d, rows in PAPER_TABLE1.items():
        assert set(rows) == {1, 2, 3, 4}
        for fig in rows.values():
            assert set(fig) == {"modes", "high_quality", "reverse_kl"}
            assert all(len(v) == 2 and v[1] > 0 for v in fig.values())
    assert PAPER_TABLE1["grid"][4]["modes"] == (24.8, 0.2) and PAPER_TABLE1["ring"][1]["high_quality"][0] == 0.982


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
    p = tiny_pacgan_parser(monkeypatch, TINY)
    out = tmp_path / "t.json"
    args = p.parse_args(["pacgan", "--trials", "2", "--steps", "2", "--packs", "1", "2", "--datasets", "ring",
                         "--curve", "1", "--out", str(out)])
    assert args.func(args) == 0
    rec = json.loads(out.read_text())
    assert rec["complete"] and set(rec["results"]["ring"]) == {"GAN", "PacGAN2"}
    row = rec["results"]["ring"]["GAN"]
    assert len(row["per_trial"]) == 2 and set(row["curve"]) == {"1"}
    assert {"wall_seconds", "cpu_seconds", "config", "command", "cpu_model"} <= set(rec)
    one = tmp_path / "one.json"                     # one process: the same rows as two
    args1 = p.parse_args(["pacgan", "--trials", "2", "--steps", "2", "--packs", "1", "2", "--datasets", "ring",
                          "--curve", "1", "--jobs", "1", "--out", str(one)])
    assert args1.func(args1) == 0
    rec1 = json.loads(one.read_text())
    assert rec1["results"]["ring"]["PacGAN2"]["per_trial"] == rec["results"]["ring"]["PacGAN2"]["per_trial"]
    assert list(rec1["results"]["ring"]) == list(rec["results"]["ring"]) == ["GAN", "PacGAN2"]
    for flags in (["--trials", "1"], ["--jobs", "0"]):
        bad = p.parse_args(["pacgan", *flags, "--force", "--out", str(out)])
        assert bad.func(bad) == 2
    assert json.loads(out.read_text()) == rec                 # a refused run leaves the file as it was


def test_an_existing_file_is_replaced_only_with_force_or_completed_with_resume(tmp_path, monkeypatch, capsys):
    p = tiny_pacgan_parser(monkeypatch, TINY)
    out = tmp_path / "t.json"
    base = ["pacgan", "--trials", "2", "--steps", "2", "--datasets", "ring", "--curve", "1", "--jobs", "1",
            "--out", str(out)]

    def run(*flags):
        args = p.parse_args([*base, *flags])
        return args.func(args)

    assert run("--resume") == 2 and "does not exist" in capsys.readouterr().out
    assert run("--packs", "1") == 0
    first = json.loads(out.read_text())
    assert run("--packs", "1", "2") == 2 and "--force" in capsys.readouterr().out
    assert json.loads(out.read_text()) == first
    # --resume keeps the GAN row as it was and trains only PacGAN2, which is the row a fresh run trains
    assert run("--packs", "1", "2", "--resume") == 0
    resumed = json.loads(out.read_text())
    assert resumed["complete"] and list(resumed["results"]["ring"]) == ["GAN", "PacGAN2"]
    assert resumed["results"]["ring"]["GAN"] == first["results"]["ring"]["GAN"]
    assert [r["rows"] for r in resumed["earlier_runs"]] == [["ring: GAN"]]
    assert resumed["earlier_runs"][0]["command"] == first["command"]
    assert run("--packs", "1", "2", "--force") == 0
    fresh = json.loads(out.read_text())
    assert "earlier_runs" not in fresh
    assert fresh["results"]["ring"]["PacGAN2"]["per_trial"] == resumed["results"]["ring"]["PacGAN2"]["per_trial"]
    # a resumed run names the rows of every earlier run once
    out.write_text(json.dumps({**first, "complete": False}))
    assert run("--packs", "1", "2", "--resume") == 0
    twice = {**json.loads(out.read_text()), "results": {"ring": {"GAN": first["results"]["ring"]["GAN"]}}}
    out.write_text(json.dumps(twice))
    assert run("--packs", "1", "2", "--resume") == 0
    assert [r["rows"] for r in json.loads(out.read_text())["earlier_runs"]] == [["ring: GAN"], []]
    # rows of another setup are refused, naming what differs
    for flags, what in ((["--steps", "3"], "config"), (["--trials", "3"], "trials"), (["--curve"], "checkpoints"),
                        (["--threads", "2"], "threads")):
        args = p.parse_args([*base, "--packs", "1", "2", "--resume", *flags])
        assert args.func(args) == 2 and what in capsys.readouterr().out
    # ... and so is a run that would drop rows the file holds
    before = out.read_text()
    assert run("--packs", "2", "--resume") == 2 and "ring: GAN" in capsys.readouterr().out
    assert out.read_text() == before
    out.write_text("{}")
    assert run("--resume") == 2 and "not a pacgan record" in capsys.readouterr().out
