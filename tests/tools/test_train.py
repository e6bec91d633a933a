"""``python -m gan_course train`` / ``sample`` end to end on a tiny budget, and exact ``--resume``."""

import pytest
import torch

from gan_course.mnist import nets
from gan_course.mnist.checkpoints import load_generator
from gan_course.mnist.recipe import FastDCGANDiscriminator, FastDCGANGenerator
from gan_course.tools.cli import main
from tests.helpers import cli_error

TINY = ["--batch-size", "16", "--width", "8", "--threads", "1", "--quiet", "--seed", "3"]


def _params(path):
    s = torch.load(path, map_location="cpu", weights_only=True)
    return s["step"], s["G"], s["D"]


def test_resume_equals_uninterrupted(tmp_path):
    a, b = tmp_path / "a.pt", tmp_path / "b.pt"
    assert main(["train", "dcgan", "--steps", "6", "--out", str(a), *TINY]) == 0
    assert main(["train", "dcgan", "--steps", "3", "--out", str(b), *TINY]) == 0
    assert main(["train", "dcgan", "--steps", "6", "--out", str(b), "--resume", *TINY]) == 0
    (sa, ga, da), (sb, gb, db) = _params(a), _params(b)
    assert sa == sb == 6
    for k in ga:
        assert torch.equal(ga[k], gb[k]), f"G.{k} differs after resume"
    for k in da:
        assert torch.equal(da[k], db[k]), f"D.{k} differs after resume"


def test_resume_rejects_other_model(tmp_path, capsys):
    a = tmp_path / "a.pt"
    assert main(["train", "dcgan", "--steps", "2", "--out", str(a), *TINY]) == 0
    assert "trained with width=8, this run asks for width=4" in cli_error(
        capsys, ["train", "dcgan", "--steps", "4", "--out", str(a), "--resume", *TINY[:2], "--width", "4", "--quiet"])


def test_refine_train_export_resume(tmp_path, capsys):
    ck, gen = tmp_path / "r.pt", tmp_path / "g.pt"
    assert main(["train", "dcgan", "--refine", "--steps", "2", "--out", str(ck), "--export", str(gen), *TINY]) == 0
    G = load_generator(gen)                                       # rebuilt from the file's kwargs: the recipe's nets
    assert isinstance(G, FastDCGANGenerator) and (G.refine_depth, G.mid_depth) == (1, 0)
    assert nets.count_parameters(G) == nets.count_parameters(FastDCGANGenerator(ngf=8, refine_depth=1, mid_depth=0))
    assert nets.count_parameters(G) != nets.count_parameters(nets.DCGANGenerator(ngf=8))
    assert G(torch.randn(3, G.z_dim)).shape == (3, 1, 28, 28)
    # a refine checkpoint resumed without --refine
    assert "refine=True" in cli_error(capsys, ["train", "dcgan", "--steps", "4", "--out", str(ck), "--resume", *TINY])
    assert "refine applies to the dcgan kind only, got kind 'mlp'" in cli_error(
        capsys, ["train", "mlp", "--refine", "--steps", "1", "--out", str(tmp_path / "m.pt"), *TINY])


def test_refine_depth_train_export_resume(tmp_path, capsys):
    ck, gen = tmp_path / "r2.pt", tmp_path / "g2.pt"
    deep = ["--refine", "--refine-depth", "2", *TINY]
    assert main(["train", "dcgan", "--steps", "2", "--out", str(ck), "--export", str(gen), *deep]) == 0
    assert torch.load(gen, map_location="cpu", weights_only=True)["kwargs"]["refine_depth"] == 2
    G = load_generator(gen)                                       # rebuilt with the extra 3×3 conv
    assert nets.count_parameters(G) == nets.count_parameters(FastDCGANGenerator(ngf=8, refine_depth=2, mid_depth=0))
    assert main(["train", "dcgan", "--steps", "3", "--out", str(ck), "--resume", *deep]) == 0
    # resumed with the default depth 1
    assert "refine_depth=2" in cli_error(
        capsys, ["train", "dcgan", "--steps", "4", "--out", str(ck), "--resume", "--refine", *TINY])
    assert "refine_depth applies with refine=True only" in cli_error(
        capsys, ["train", "dcgan", "--refine-depth", "2", "--steps", "1", "--out", str(tmp_path / "x.pt"), *TINY])
    assert "refine applies to the dcgan kind only" in cli_error(
        capsys, ["train", "cgan", "--refine-depth", "2", "--steps", "1", "--out", str(tmp_path / "c.pt"), *TINY])


def test_mid_depth_train_export_resume(tmp_path, capsys):
    ck, gen = tmp_path / "m1.pt", tmp_path / "gm.pt"
    mid = ["--refine", "--mid-depth", "1", *TINY]
    assert main(["train", "dcgan", "--steps", "2", "--out", str(ck), "--export", str(gen), *mid]) == 0
    assert torch.load(gen, map_location="cpu", weights_only=True)["kwargs"]["mid_depth"] == 1
    G = load_generator(gen)                                       # rebuilt with the 14×14 conv
    assert nets.count_parameters(G) == nets.count_parameters(FastDCGANGenerator(ngf=8, refine_depth=1, mid_depth=1))
    assert nets.count_parameters(G) != nets.count_parameters(FastDCGANGenerator(ngf=8, refine_depth=1, mid_depth=0))
    blob = torch.load(ck, map_location="cpu", weights_only=True)
    assert blob["extra"]["mid_depth"] == 1
    assert nets.count_parameters(FastDCGANDiscriminator(ndf=8, refine=True, mid_depth=1)) == sum(
        v.numel() for k, v in blob["D"].items() if "running" not in k and "num_batches" not in k)
    assert main(["train", "dcgan", "--steps", "3", "--out", str(ck), "--resume", *mid]) == 0
    assert "trained with mid_depth=1, this run asks for mid_depth=0" in cli_error(
        capsys, ["train", "dcgan", "--steps", "4", "--out", str(ck), "--resume", "--refine", *TINY])
    assert "mid_depth applies to the dcgan kind only, got kind 'cgan'" in cli_error(
        capsys, ["train", "cgan", "--mid-depth", "1", "--steps", "1", "--out", str(tmp_path / "c.pt"), *TINY])
    with pytest.raises(SystemExit):                               # argparse: "mid-depth must be ≥ 0, got '-1'"
        main(["train", "dcgan", "--mid-depth", "-1", "--steps", "1", "--out", str(tmp_path / "x.pt"), *TINY])


def test_ema_resume_export_and_new_lr(tmp_path, capsys):
    a, b, gen = tmp_path / "a.pt", tmp_path / "b.pt", tmp_path / "g.pt"
    ema = ["--ema", "0.9", *TINY]
    assert main(["train", "dcgan", "--steps", "5", "--out", str(a), "--export", str(gen), *ema]) == 0
    assert main(["train", "dcgan", "--steps", "2", "--out", str(b), *ema]) == 0
    assert main(["train", "dcgan", "--steps", "5", "--out", str(b), "--resume", *ema]) == 0
    sa, sb = (torch.load(p, map_location="cpu", weights_only=True) for p in (a, b))
    assert int(sa["G_ema"]["n_averaged"]) == 5
    for k in sa["G_ema"]:                                         # the average resumes exactly too
        assert torch.equal(sa["G_ema"][k], sb["G_ema"][k]), k
    exported = torch.load(gen, map_location="cpu", weights_only=True)["state_dict"]
    assert all(torch.equal(v, sa["G_ema"]["module." + k]) for k, v in exported.items())       # EMA exported
    assert not all(torch.equal(v, sa["G"][k]) for k, v in exported.items())                   # not the raw G
    G = load_generator(a)                                         # a checkpoint with --ema: the average
    assert torch.equal(G.net[0].weight, sa["G_ema"]["module.net.0.weight"])
    assert "ema=0.9" in cli_error(capsys, ["train", "dcgan", "--steps", "6", "--out", str(b), "--resume", *TINY])
    assert main(["train", "dcgan", "--steps", "6", "--out", str(b), "--resume", "--lr", "5e-5", *ema]) == 0
    s = torch.load(b, map_location="cpu", weights_only=True)
    assert {g["lr"] for g in s["opt_g"]["param_groups"] + s["opt_d"]["param_groups"]} == {5e-5}
    assert s["extra"]["lr"] == 5e-5
    for bad in ("1", "-0.5", "x"):
        with pytest.raises(SystemExit):
            main(["train", "dcgan", "--ema", bad])


@pytest.mark.parametrize("kind", ["mlp", "cgan"])
def test_train_sample_export(kind, tmp_path, capsys):
    ck, gen, png = tmp_path / "c.pt", tmp_path / "g.pt", tmp_path / "grid.png"
    assert main(["train", kind, "--steps", "2", "--out", str(ck), "--export", str(gen), *TINY]) == 0
    G = load_generator(gen)
    expected = {"mlp": nets.MLPGenerator, "cgan": nets.ConditionalGenerator}[kind]
    assert isinstance(G, expected)
    assert main(["sample", "--checkpoint", str(ck), "--out", str(png), "-n", "20"]) == 0
    assert png.stat().st_size > 0 and png.read_bytes()[:4] == b"\x89PNG"
    assert "wrote 20 samples" in capsys.readouterr().out


def test_shipped_generator_loads_and_draws():
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "data" / "weights" / "dcgan_generator.pt"
    if not path.exists():
        pytest.skip("data/weights/dcgan_generator.pt not shipped yet")
    assert path.stat().st_size <= 5 * 2**20
    G = load_generator(path)
    assert isinstance(G, FastDCGANGenerator)                      # the recipe's nets (data/weights/README.md)
    x = G(torch.randn(4, G.z_dim))
    assert x.shape == (4, 1, 28, 28) and x.abs().max() <= 1


def test_files_from_before_the_recipe_classes_load(tmp_path):
    """A generator exported as ``DCGANGenerator`` with refine/mid_depth keywords loads as the recipe's class."""
    G = FastDCGANGenerator(z_dim=16, ngf=4, refine_depth=2, mid_depth=1)
    old = {"class": "DCGANGenerator", "kwargs": {"z_dim": 16, "ngf": 4, "refine": True, "refine_depth": 2,
                                                  "mid_depth": 1}, "state_dict": G.state_dict()}
    torch.save(old, tmp_path / "old.pt")
    H = load_generator(tmp_path / "old.pt")
    assert isinstance(H, FastDCGANGenerator) and (H.refine_depth, H.mid_depth) == (2, 1)
    z = torch.randn(3, 16)
    assert torch.equal(H(z), G.eval()(z))


def test_lr_decay_resume_after_a_crash(tmp_path, monkeypatch):
    """``--lr-decay 0.5`` over 6 steps: step k runs at lr × linear_decay(k − 1, 6, 0.5) = 1, 1, 1, 1, 2/3, 1/3,
    and the rate after the last step is 0. A run that crashes after its step-3 checkpoint
    and is resumed with the same command ends with the uninterrupted run's weights; both differ from the run
    without decay, and the saved optimisers hold the last step's rate (0)."""
    from gan_course import train

    dec = ["--steps", "6", "--lr-decay", "0.5", "--checkpoint-every", "3", *TINY]
    a, b, c = tmp_path / "a.pt", tmp_path / "b.pt", tmp_path / "c.pt"
    assert main(["train", "dcgan", "--out", str(a), *dec]) == 0
    assert main(["train", "dcgan", "--out", str(c), "--steps", "6", *TINY]) == 0          # no decay
    real_step = train.gan_step

    def crash_at_4(*args, step, **kw):
        if step == 4:
            raise KeyboardInterrupt
        return real_step(*args, step=step, **kw)
    monkeypatch.setattr(train, "gan_step", crash_at_4)
    with pytest.raises(KeyboardInterrupt):
        main(["train", "dcgan", "--out", str(b), *dec])
    monkeypatch.setattr(train, "gan_step", real_step)
    assert _params(b)[0] == 3
    assert main(["train", "dcgan", "--out", str(b), "--resume", *dec]) == 0
    (sa, ga, _), (sb, gb, _), (_, gc, _) = _params(a), _params(b), _params(c)
    assert sa == sb == 6
    assert all(torch.equal(ga[k], gb[k]) for k in ga), "resume with --lr-decay is not exact"
    assert not all(torch.equal(ga[k], gc[k]) for k in ga), "--lr-decay changed nothing"
    blob = torch.load(a, map_location="cpu", weights_only=True)
    assert blob["extra"]["lr_decay"] == 0.5
    assert [g["lr"] for opt in ("opt_g", "opt_d") for g in blob[opt]["param_groups"]] == [0.0, 0.0]


def test_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["train", "gan3000"])
    with pytest.raises(SystemExit):
        main(["train", "dcgan", "--batch-size", "0"])
    for bad in ("1.5", "-0.1", "half"):
        with pytest.raises(SystemExit):
            main(["train", "dcgan", "--lr-decay", bad])
    assert "missing.pt does not exist" in cli_error(capsys, ["sample", "--checkpoint", str(tmp_path / "missing.pt"),
                                                             "--out", str(tmp_path / "grid.png")])
    assert not (tmp_path / "grid.png").exists()


def test_bf16_resume_exact_and_switch_precision(tmp_path, capsys):
    a, b = tmp_path / "a.pt", tmp_path / "b.pt"
    bf = ["--bf16", "on", "--refine", *TINY]
    assert main(["train", "dcgan", "--steps", "4", "--out", str(a), *bf]) == 0
    assert "bf16 autocast" in capsys.readouterr().out
    assert main(["train", "dcgan", "--steps", "2", "--out", str(b), *bf]) == 0
    assert main(["train", "dcgan", "--steps", "4", "--out", str(b), "--resume", *bf]) == 0
    (sa, ga, da), (sb, gb, db) = _params(a), _params(b)
    assert sa == sb == 4
    assert all(torch.equal(ga[k], gb[k]) for k in ga) and all(torch.equal(da[k], db[k]) for k in da)
    assert not any(k.startswith("module.") for k in ga)          # the plain nets are saved, not the wrappers
    assert torch.load(a, map_location="cpu", weights_only=True)["extra"]["bf16"] is True
    fp = tmp_path / "fp.pt"                                       # the same run in fp32 differs (bf16 was really on)
    assert main(["train", "dcgan", "--steps", "4", "--out", str(fp), "--refine", *TINY]) == 0
    assert not all(torch.equal(ga[k], v) for k, v in _params(fp)[1].items())
    capsys.readouterr()
    assert main(["train", "dcgan", "--steps", "5", "--out", str(b), "--resume", "--refine", *TINY]) == 0
    assert "precision bf16 -> fp32 from step 4" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["train", "dcgan", "--bf16", "yes"])


def test_recipe_trains_for_a_time_budget_and_exports(tmp_path, capsys):
    """``train dcgan --recipe --seconds S --export G.pt``: notebook 08's train_for, its EMA generator exported."""
    gen = tmp_path / "G.pt"
    assert main(["train", "dcgan", "--recipe", "--seconds", "2", "--export", str(gen), "--threads", "1",
                 "--quiet"]) == 0
    G = load_generator(gen)
    assert isinstance(G, FastDCGANGenerator) and G(torch.randn(2, G.z_dim)).shape == (2, 1, 28, 28)
    assert "EMA generator exported" in capsys.readouterr().out
    assert main(["train", "dcgan", "--recipe", "--seconds", "1", "--export", str(gen), "--quiet"]) == 1
    assert "already exists" in capsys.readouterr().err                 # never replaced without --force
    assert main(["train", "mlp", "--recipe", "--export", str(tmp_path / "m.pt"), "--quiet"]) == 1
    assert "dcgan kind only" in capsys.readouterr().err
