"""gan_course.mnist.recipe: the fast recipe's deeper DCGAN nets (shapes, parameter counts, input checks)."""

import dataclasses

import pytest
import torch

from gan_course.mnist.nets import DCGANDiscriminator, DCGANGenerator, count_parameters
from gan_course.mnist.recipe import (
    RECIPE,
    FastDCGANDiscriminator,
    FastDCGANGenerator,
    pick_width,
    steps_per_second,
    train_for,
)

B = 5


@pytest.mark.parametrize("G, D", [
    (FastDCGANGenerator(z_dim=32, ngf=8, refine_depth=1, mid_depth=0), FastDCGANDiscriminator(ndf=8, mid_depth=0)),
    (FastDCGANGenerator(z_dim=32, ngf=8, refine_depth=3, mid_depth=0), FastDCGANDiscriminator(ndf=8, mid_depth=0)),
    (FastDCGANGenerator(z_dim=32, ngf=8, refine_depth=3, mid_depth=1), FastDCGANDiscriminator(ndf=8, mid_depth=1)),
    (FastDCGANGenerator(z_dim=32, ngf=8, refine_depth=0, mid_depth=2),
     FastDCGANDiscriminator(ndf=8, refine=False, mid_depth=2)),
    (FastDCGANGenerator(ngf=8), FastDCGANDiscriminator(ndf=8)),
])
def test_shapes(G, D):
    torch.manual_seed(0)
    x = G(torch.randn(B, G.z_dim))
    assert x.shape == (B, 1, 28, 28)
    assert x.min() >= -1 and x.max() <= 1  # Tanh output
    assert D(x).shape == (B,)
    D(x).sum().backward()


def test_depth_zero_is_the_papers_stack():
    """refine_depth 0, mid_depth 0 (and D without refine) are the paper's nets, layer for layer."""
    torch.manual_seed(0)
    fast = FastDCGANGenerator(ngf=8, refine_depth=0, mid_depth=0)
    paper = DCGANGenerator(ngf=8)
    assert [type(m) for m in fast.net] == [type(m) for m in paper.net]
    assert fast.state_dict().keys() == paper.state_dict().keys()
    assert count_parameters(FastDCGANDiscriminator(ndf=8, refine=False, mid_depth=0)) == count_parameters(
        DCGANDiscriminator(ndf=8))


def test_parameter_counts():
    # refine: G's last ConvTranspose 2·ngf→ngf (+BN) and a 3×3 conv ngf→1 with bias; D a 3×3 conv 1→ndf with
    # bias first, then 28→14 as ndf→ndf (+BN)
    w = 32
    g1 = 100 * 4 * w * 49 + 4 * w * 2 * w * 16 + 2 * w * w * 16 + w * 9 + 1 + 2 * (4 * w + 2 * w + w)
    assert count_parameters(FastDCGANGenerator(ngf=w, refine_depth=1, mid_depth=0)) == g1
    d1 = w * 9 + w + w * w * 16 + 2 * w + w * 2 * w * 16 + 2 * 2 * w + 2 * w * 49
    assert count_parameters(FastDCGANDiscriminator(ndf=w, mid_depth=0)) == d1
    # each extra 3×3 conv at 28×28: ngf→ngf (bias-free) + BN
    assert count_parameters(FastDCGANGenerator(ngf=w, refine_depth=3, mid_depth=0)) == g1 + 2 * (w * w * 9 + 2 * w)
    # each 3×3 conv at 14×14: 2·ngf→2·ngf + BN in G, ndf→ndf + BN in D
    g = count_parameters(FastDCGANGenerator(ngf=w, refine_depth=3, mid_depth=2))
    assert g == g1 + 2 * (w * w * 9 + 2 * w) + 2 * (2 * w * 2 * w * 9 + 2 * 2 * w)
    assert count_parameters(FastDCGANDiscriminator(ndf=w, mid_depth=2)) == d1 + 2 * (w * w * 9 + 2 * w)


def test_defaults_are_the_recipe():
    G, D = FastDCGANGenerator(), FastDCGANDiscriminator()
    assert (G.ngf, G.refine_depth, G.mid_depth) == (RECIPE.width, RECIPE.refine_depth, RECIPE.mid_depth)
    assert (D.ndf, D.refine, D.mid_depth) == (RECIPE.width, True, RECIPE.mid_depth)
    with pytest.raises(dataclasses.FrozenInstanceError):
        RECIPE.lr = 1.0


def test_bad_inputs_raise_value_error():
    with pytest.raises(ValueError, match="refine must be True or False, got 'yes'"):
        FastDCGANDiscriminator(refine="yes")
    with pytest.raises(ValueError, match="refine_depth must be an integer ≥ 0, got -1"):
        FastDCGANGenerator(refine_depth=-1)
    with pytest.raises(ValueError, match="mid_depth must be an integer ≥ 0, got -1"):
        FastDCGANGenerator(mid_depth=-1)
    with pytest.raises(ValueError, match="mid_depth must be an integer ≥ 0, got 1.5"):
        FastDCGANDiscriminator(mid_depth=1.5)
    with pytest.raises(ValueError, match="noise"):
        FastDCGANGenerator()(torch.randn(2, 64))
    with pytest.raises(ValueError, match="images"):
        FastDCGANDiscriminator()(torch.randn(2, 1, 32, 32))


# ---------------------------------------------------------------------------------------------- adapting to the machine
def fake_speed(rates, log):
    """A stand-in for steps_per_second: fixed steps/s per width, the widths asked for recorded in ``log``."""
    def speed(recipe, device, bf16):
        log.append(recipe.width)
        assert recipe.narrower == ()                 # each measurement is of one width
        return rates[recipe.width]
    return speed


@pytest.mark.parametrize("rates, want, asked", [
    ({32: 16.0, 24: 25.0, 16: 40.0}, 32, [32]),          # a fast machine: the widest nets, nothing else measured
    ({32: 4.5, 24: 7.0, 16: 12.0}, 24, [32, 24]),         # AVX2 only: 1,350 steps too few, 2,100 enough
    ({32: 4.5, 24: 6.0, 16: 12.0}, 16, [32, 24, 16]),     # slower still: 1,800 steps at width 24 are too few
    ({32: 1.0, 24: 2.0, 16: 3.0}, 16, [32, 24, 16]),      # none holds them: the narrowest
])
def test_pick_width_takes_the_widest_that_holds_min_steps(rates, want, asked):
    log = []
    width, measured = pick_width(300.0, RECIPE, "cpu", False, speed=fake_speed(rates, log))
    assert (width, log) == (want, asked)
    assert measured == {w: rates[w] for w in asked}


def test_pick_width_counts_max_steps_and_skips_a_single_width():
    log = []
    # 150 steps (fast mode) fit at width 32 even at 4.5 steps/s
    assert pick_width(120.0, RECIPE, "cpu", False, max_steps=150, speed=fake_speed({32: 4.5}, log))[0] == 32
    fixed = dataclasses.replace(RECIPE, width=16, narrower=())
    assert pick_width(300.0, fixed, "cpu", False, speed=fake_speed({}, log)) == (16, {}) and log == [32]


def test_steps_per_second_is_measured():
    tiny = dataclasses.replace(RECIPE, width=4, narrower=(), batch_size=4)
    rate = steps_per_second(tiny, "cpu", False, seconds=0.05)
    assert 0 < rate < 10_000


def test_train_for_narrows_on_a_slow_machine(monkeypatch):
    import gan_course.mnist.recipe as recipe_mod
    log = []
    monkeypatch.setattr(recipe_mod, "steps_per_second", fake_speed({8: 0.1, 4: 1e6}, log))
    small = dataclasses.replace(RECIPE, width=8, narrower=(4,), batch_size=4, bf16="off")
    images = torch.rand(32, 1, 28, 28) * 2 - 1
    run = train_for(60.0, small, device="cpu", images=images, max_steps=10, progress=False)   # 0.1 × 60 < 10
    assert (run["width"], run["steps"], log) == (4, 10, [8, 4])
    assert run["G"].ngf == 4 and run["speeds"] == {8: 0.1, 4: 1e6}
