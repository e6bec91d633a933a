"""MAD-GAN and MAD-GAN-Sim on PacGAN's authors' setup (gan_course.modes.pacmad): the nets, the step's wiring,
the rows of ``python -m gan_course pacgan --remedies madgan madgan_sim``."""

import copy
import json

import pytest
import torch
import torch.nn.functional as F

from gan_course.modes.pacgan import (
    MAD_ROWS,
    PacConfig,
    row_name,
    row_parts,
    run_table1,
    train_pacgan,
)
from gan_course.modes.pacmad import (
    SEED_STRIDE,
    MadDiscriminator,
    MadGenerators,
    MadStep,
)
from gan_course.modes.pacnets import PacDiscriminator, PacGenerator
from gan_course.modes.pacsteps import apply_simultaneous
from gan_course.toy import ring
from tests.helpers import tiny_pacgan_command

TINY = PacConfig(steps=3, g_hidden=16, d_units=8, n_train=500, n_eval=48)


def test_generator_j_of_trial_s_is_the_authors_g_of_its_own_seed_and_makes_every_kth_sample():
    G = MadGenerators(TINY, [3, 5], k=2).eval()
    z = torch.randn(2, 6, 2)
    out = G(z)
    assert out.shape == (2, 6, 2)
    for e, s in enumerate((3, 5)):
        for j in range(2):
            own = PacGenerator(TINY, [s + SEED_STRIDE * j]).eval()        # generator 0 of trial s: seed s itself
            torch.testing.assert_close(out[e:e + 1, j::2], own(z[e:e + 1, j::2]))
    phi, x = G.features(z)
    assert phi.shape == (2, 2, 3, TINY.g_hidden) and torch.equal(x.transpose(1, 2).reshape(2, 6, 2), out)
    with pytest.raises(ValueError, match="cannot be shared among k = 4"):
        MadGenerators(TINY, [0], k=4)(torch.randn(1, 6, 2))


def test_discriminator_is_the_authors_maxout_d_with_k_plus_1_logits():
    D, A = MadDiscriminator(TINY, [3], 1, k=4), PacDiscriminator(TINY, [3], 1)
    assert D(torch.randn(1, 10, 2)).shape == (1, 10, 5)
    assert all(torch.equal(a, b) for a, b in zip(D.W, A.W))
    with pytest.raises(ValueError, match="packing degree 1"):
        MadDiscriminator(TINY, [3], 2, k=4)


def _one_step(step, seeds=(0, 1), k=2, B=8):
    torch.manual_seed(0)
    G, D = MadGenerators(TINY, seeds, k), MadDiscriminator(TINY, seeds, 1, k=k)
    opt_g, opt_d = torch.optim.Adam(G.parameters(), 1e-3), torch.optim.Adam(D.parameters(), 1e-3)
    real, z = torch.randn(len(seeds), B, 2), torch.randn(len(seeds), B, 2)
    return G, D, opt_g, opt_d, real, z


def test_madgan_step_labels_sample_i_as_generator_i_mod_k():
    """The step against the losses written out from the interleaved batch: D's target for sample i of G(z) is
    i mod k, for real data k; each generator wants "real"."""
    G, D, opt_g, opt_d, real, z = _one_step(None)
    G2, D2 = copy.deepcopy(G), copy.deepcopy(D)
    og2, od2 = torch.optim.Adam(G2.parameters(), 1e-3), torch.optim.Adam(D2.parameters(), 1e-3)
    MadStep()(G, D, opt_g, opt_d, real, z, 1)
    E, B, k = 2, 8, 2
    fake_logits = D2(G2(z))                                                   # [E, B, k+1], interleaved order
    target = (torch.arange(B) % k).expand(E, B)
    d_loss = E * (F.cross_entropy(D2(real).reshape(-1, k + 1), torch.full((E * B,), k)) +
                  F.cross_entropy(fake_logits.reshape(-1, k + 1), target.reshape(-1)))
    g_loss = -E * k * F.log_softmax(fake_logits, -1)[..., k].mean()
    apply_simultaneous(G2, D2, og2, od2, d_loss, g_loss)
    for a, b in zip([*G.parameters(), *D.parameters()], [*G2.parameters(), *D2.parameters()]):
        torch.testing.assert_close(a, b)


def test_sim_step_feeds_one_noise_to_every_generator_and_its_hinge_moves_only_the_generators():
    seen = []
    G, D, opt_g, opt_d, real, z = _one_step(None)
    D0, G0 = copy.deepcopy(D), copy.deepcopy(G)
    features = G.features
    G.features = lambda zz: (seen.append(zz), features(zz))[1]
    MadStep(sim_weight=1.0)(G, D, opt_g, opt_d, real, z, 1)
    (zz,) = seen
    assert torch.equal(zz[:, 0::2], z[:, :4]) and torch.equal(zz[:, 1::2], z[:, :4])
    # the same shared noise without the hinge: D's update is the same, the generators' is not
    G1, D1 = copy.deepcopy(G0), copy.deepcopy(D0)
    og1, od1 = torch.optim.Adam(G1.parameters(), 1e-3), torch.optim.Adam(D1.parameters(), 1e-3)
    MadStep(sim_weight=1e-30)(G1, D1, og1, od1, real, z, 1)               # > 0: shared noise, hinge × 1e-30
    assert all(torch.allclose(a, b) for a, b in zip(D.parameters(), D1.parameters()))
    assert not all(torch.allclose(a, b) for a, b in zip(G.parameters(), G1.parameters()))
    with pytest.raises(ValueError, match="sim_weight"):
        MadStep(sim_weight=-1)


def test_rows_are_named_and_limited_to_packing_degree_1():
    assert [row_name(1, r) for r in MAD_ROWS] == ["MAD-GAN", "MAD-GAN-Sim"]
    with pytest.raises(ValueError, match="packing degree 1"):
        row_name(2, "madgan")
    with pytest.raises(ValueError, match="packing degree 1 only"):
        run_table1([0], 2, packs=(1, 2), datasets=("ring",), remedies=("madgan",), log=lambda *a: None)


def test_a_madgan_row_trains_k_generators_and_records_who_holds_which_mode(tmp_path, monkeypatch):
    out = tmp_path / "m.json"
    run = tiny_pacgan_command(monkeypatch, TINY, "--trials", "2", "--steps", "2", "--packs", "1", "--datasets", "ring",
                              "--jobs", "1", "--out", str(out), "--remedies", "madgan", "madgan_sim")
    assert run() == 0
    rec = json.loads(out.read_text())
    assert list(rec["results"]["ring"]) == ["GAN", "MAD-GAN", "MAD-GAN-Sim"]
    assert rec["remedy_config"]["madgan_k"] == 4 and rec["remedy_config"]["sim_weight"] == 1.0
    for name in ("MAD-GAN", "MAD-GAN-Sim"):
        own = rec["results"]["ring"][name]["ownership"]
        assert len(own) == 2 and all(len(o["counts"]) == 4 and len(o["counts"][0]) == 8 for o in own)
    assert "ownership" not in rec["results"]["ring"]["GAN"]
    # the row trains as train_pacgan with row_parts: the same samples
    parts = row_parts("madgan", [0, 1], 2)
    r = train_pacgan(ring(), [0, 1], 1, TINY.__class__(**{**TINY.__dict__, "steps": 2}), **parts)
    assert r["samples"].shape == (2, 48, 2)


def test_the_wide_g_control_has_madgan_s_generator_weights_and_the_authors_step():
    """Row "GAN, wide G": the authors' step and D, and one G as wide as RemedyConfig says, with as many weights as
    MAD-GAN's k generators (within 1 %: one output layer instead of k)."""
    from gan_course.modes.pacgan import (
        CONTROL_ROWS,
        WidePacGenerator,
        simultaneous_step,
    )
    from gan_course.modes.pacsteps import RemedyConfig

    cfg, seeds = PacConfig(), [0, 1]
    assert [row_name(1, r) for r in CONTROL_ROWS] == ["GAN, wide G"]
    with pytest.raises(ValueError, match="packing degree 1"):
        row_name(4, "wide_g")
    parts = row_parts("wide_g", seeds, 10)
    assert parts["step"] is simultaneous_step and parts["discriminator"] is PacDiscriminator
    G = parts["generator"](cfg, seeds)
    assert isinstance(G, WidePacGenerator) and G.W[0].shape == (2, cfg.z_dim, RemedyConfig().wide_g_hidden)

    def weights(net):
        return sum(p.numel() for p in net.parameters()) / len(seeds)

    mad = weights(MadGenerators(cfg, seeds, RemedyConfig().madgan_k))
    assert abs(weights(G) / mad - 1) < 0.01 and weights(G) > 3.9 * weights(PacGenerator(cfg, seeds))
    with pytest.raises(ValueError, match="width must be >= 1"):
        WidePacGenerator(cfg, seeds, 0)
