"""Smoke run of ``python -m gan_course bench``'s code path: every loop runs a step or two (no timing asserts)."""

import pytest
import torch

from gan_course.mnist.recipe import RECIPE
from gan_course.tools.bench import command, loops, reference


def test_bench_smoke():
    res = loops.run_bench("cpu", seconds=0.01, warmup=1, max_steps=1, width=4, batch=8, workers=0, n_images=64)
    for k in ("reference", "plain", "fast", "bound"):
        assert res[k]["steps"] == 1 and res[k]["images_per_s"] > 0
    assert set(res["ratios"]) == {"plain/reference (model)", "fast/plain (loop)", "fast/reference (total)",
                                  "fast/bound (of bound)"}
    assert "the course's DCGAN, fast loop" in command.format_bench(res)


def test_reference_shapes():
    G, D = reference.ReferenceGenerator(ngf=4), reference.ReferenceDiscriminator(ndf=4)
    x = G(torch.randn(2, 100, 1, 1))
    assert x.shape == (2, 1, 64, 64)
    p = D(x)
    assert p.shape == (2,) and ((p > 0) & (p < 1)).all()
    item, _ = reference.MNISTImages(torch.zeros(3, 28, 28, dtype=torch.uint8), 64)[0]
    assert item.shape == (1, 64, 64) and torch.allclose(item, torch.full_like(item, -1.0))


def test_quality_smoke():
    """``bench --quality``'s code path on a tiny budget: the reference sets a target, the plain and the fast loop
    chase it; the budget run uses the recipe's settings by default."""
    from gan_course.tools.bench.quality import format_quality, run_quality

    res = run_quality("cpu", reference_seconds=0.3, max_seconds=0.6, eval_every=0.3, width=4, batch=8, workers=0, n_fid=64,
                      budget_seconds=0.3, lr=1e-3)
    assert set(res) == {"reference", "plain", "fast", "budget"}
    assert res["reference"]["steps"] >= 1 and res["reference"]["fid"] > 0
    for k in ("plain", "fast"):
        r = res[k]
        assert r["steps"] >= 1 and r["reached"] == (r["fid"] <= res["reference"]["fid"])
    b = res["budget"]
    assert b["steps"] >= 1 and b["seconds"] >= 0.3 and sum(b["histogram"]) == 64
    assert 0 < b["floor"] < b["fid"]                        # a 0.3-s generator is far worse than real digits
    assert b["real_confidence"] > 0.9 and 0.1 <= b["confidence"] <= 1    # 99 % classifier on real digits
    assert b["refine"] is True and (b["refine_depth"], b["mid_depth"]) == (RECIPE.refine_depth, RECIPE.mid_depth)
    assert b["lr_decay"] == RECIPE.lr_decay
    assert (f"budget (refine nets, depth {RECIPE.refine_depth}, mid depth {RECIPE.mid_depth}, lr decay over the last "
            f"{RECIPE.lr_decay:.0%}): FID") in format_quality(res)


def test_fast_parts_bf16_on_cpu():
    """The fast loop's bf16 + channels_last path runs on any CPU (emulated where not native) and still trains in fp32
    weights: one step gives finite losses and changes G."""
    dev = torch.device("cpu")
    G, step = loops.fast_parts(dev, width=4, bf16=True)
    before = [p.detach().clone() for p in G.parameters()]
    loss_d, loss_g = step(torch.rand(8, 1, 28, 28) * 2 - 1)
    assert torch.isfinite(loss_d) and torch.isfinite(loss_g)
    assert all(p.dtype == torch.float32 for p in G.parameters())
    assert any(not torch.equal(a, p) for a, p in zip(before, G.parameters()))
    res = loops.run_bench("cpu", seconds=0.01, warmup=1, max_steps=1, width=4, batch=8, workers=0, n_images=64,
                          bf16=False)
    assert res["config"]["bf16_autocast"] is False and res["config"]["channels_last"] is False


def test_fast_parts_ema():
    """The sampled G of the fast loop is an EMA of the trained one: a copy after step 1, then w1 + (w2 − w1)(1 − β₁) with
    the warm-up β₁ = 2/11 (ema = 0 returns the trained G itself, whose weights w1, w2 we compare against)."""
    dev = torch.device("cpu")
    real = [torch.rand(8, 1, 28, 28) * 2 - 1 for _ in range(2)]

    def weights(ema, n):
        torch.manual_seed(0)
        G, step = loops.fast_parts(dev, width=4, bf16=False, ema=ema)
        for x in real[:n]:
            step(x)
        return [p.detach().clone() for p in G.parameters()]
    w1, w2 = weights(0, 1), weights(0, 2)
    e1, e2 = weights(0.999, 1), weights(0.999, 2)
    assert all(torch.equal(a, b) for a, b in zip(e1, w1))
    assert not all(torch.equal(a, b) for a, b in zip(w1, w2))
    assert all(torch.allclose(e, a + (b - a) * (1 - 2 / 11), atol=1e-6) for e, a, b in zip(e2, w1, w2))


def test_fast_parts_lr_scale():
    """``step(real, lr_scale)`` sets both players' lr to lr × lr_scale: at 0 Adam leaves G's weights as they were,
    at 1 it moves them (ema = 0: the returned G is the trained one)."""
    dev = torch.device("cpu")
    x = torch.rand(8, 1, 28, 28) * 2 - 1
    for scale, moved in ((0.0, False), (1.0, True)):
        torch.manual_seed(0)
        G, step = loops.fast_parts(dev, width=4, bf16=False, ema=0, lr=1e-3)
        before = [p.detach().clone() for p in G.parameters()]
        step(x, scale)
        assert any(not torch.equal(a, p) for a, p in zip(before, G.parameters())) == moved, scale


def test_bench_rejects_bad_values_at_parse_time(capsys):
    """Bad values fail before any loop runs: argparse exits 2 naming the value."""
    import pytest

    from gan_course.tools.cli import main
    from tests.helpers import cli_error
    for args, message in ((["--budget-refine-depth", "0"], "budget-refine-depth must be > 0, got '0'"),
                          (["--budget-mid-depth", "-1"], "budget-mid-depth must be ≥ 0, got '-1'"),
                          (["--budget-lr-decay", "1.5"], "budget-lr-decay must be a fraction in [0, 1], got '1.5'"),
                          (["--seconds", "nan"], "seconds must be a finite number, got 'nan'"),
                          (["--threads", "0"], "threads must be > 0, got '0'"),
                          (["--max-steps", "0"], "max-steps must be > 0, got '0'")):
        with pytest.raises(SystemExit) as e:
            main(["bench", "--quality", *args])
        assert e.value.code == 2 and message in capsys.readouterr().err, args
    err = cli_error(capsys, ["bench", "--quality", "--budget-refine", "off", "--budget-refine-depth", "2"])
    assert "needs --budget-refine on, got --budget-refine-depth 2 with --budget-refine off" in err


def test_pacgan_steps_smoke():
    """``bench --pacgan``'s code path: every row of notebook 06's run on PacGAN's setup takes a timed step (no
    timing asserts); the first row is the plain GAN, the ratios are to it."""
    from gan_course.modes.pacgan import ROW_REMEDIES, row_name
    from gan_course.tools.bench.pacsteps import format_pac_steps, run_pac_steps

    res = run_pac_steps(trials=1, steps=1, repeats=1)
    assert list(res["rows"]) == ["GAN"] + [row_name(1, r) for r in ROW_REMEDIES]
    assert res["rows"]["GAN"]["ratio"] == 1 and all(r["seconds_per_step"] > 0 for r in res["rows"].values())
    assert "MAD-GAN-Sim" in format_pac_steps(res)
    with pytest.raises(ValueError, match="repeats"):
        run_pac_steps(steps=1, repeats=0)
