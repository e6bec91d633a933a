"""The playground's game: data sets, settings, every loss and remedy, the counters, the views' numbers."""

import math

import numpy as np
import pytest
import torch

from gan_course.modes.coverage import mode_coverage
from gan_course.playground.data import (
    DATASETS,
    DRAW_BOUNDS,
    data_box,
    make_data,
    noise_baseline,
    view_bounds,
)
from gan_course.playground.game import (
    LOSSES,
    Game,
    Settings,
    generator_arrows,
    grid_divergences,
    hinge_d_loss,
    hinge_g_loss,
    histogram,
)
from gan_course.toy import ring


# ---------------------------------------------------------------- data
@pytest.mark.parametrize("name", [d for d in DATASETS if d != "drawn"])
def test_every_data_set_is_a_mixture_inside_its_view(name):
    mix = make_data(name)
    x = mix.sample(500, torch.Generator().manual_seed(0))
    x0, x1, y0, y1 = view_bounds(mix)
    assert abs((x1 - x0) - (y1 - y0)) < 1e-9                      # square
    assert ((x[:, 0] > x0) & (x[:, 0] < x1) & (x[:, 1] > y0) & (x[:, 1] < y1)).float().mean() > 0.99
    # real data captures every mode (the metric is defined on all of them)
    assert mode_coverage(mix.sample(2500, torch.Generator().manual_seed(1)), mix.centers, mix.std)["modes"] == len(mix.centers)


def test_drawn_data_needs_points():
    with pytest.raises(ValueError, match="at least one point"):
        make_data("drawn", [])
    mix = make_data("drawn", [(0.1, 0.2), (-0.5, 0.5)])
    assert mix.centers.shape == (2, 2) and view_bounds(mix) == DRAW_BOUNDS
    with pytest.raises(ValueError, match="unknown data set"):
        make_data("spiral")


def test_noise_baseline_on_the_ring():
    # uniform noise over the ring's box: each 3σ disc (σ = 0.01) holds π·0.03² / 2.06² ≈ 6.7e-4 of the box, so
    # 2,500 samples put ≈ 1.7 in each: P(a mode gets none) = e^-1.7 ≈ 0.19 → about 6.5 of 8 modes expected;
    # high-quality share ≈ 8 · 6.7e-4 = 0.53 %
    b = noise_baseline(ring(), 2500, seed=0)
    x0, x1, y0, y1 = data_box(ring())
    p = math.pi * 0.03**2 / ((x1 - x0) * (y1 - y0))
    assert 4 <= b["modes"] <= 8
    assert abs(b["high_quality"] - 8 * p) < 5 * math.sqrt(8 * p / 2500)   # 5 binomial standard errors
    assert noise_baseline(ring(), 2500, seed=0) == b                      # seeded


# ---------------------------------------------------------------- settings
@pytest.mark.parametrize("bad", [{"loss": "wasserstein"}, {"g_layers": 6}, {"d_width": 0}, {"pack": 0},
                                 {"batch": 2, "pack": 4}, {"g_lr": 0.0}, {"smoothing": 0.9}, {"data": "spiral"},
                                 {"d_optimiser": "lbfgs"}, {"z_dim": 1.5}, {"instance_noise": float("nan")}])
def test_settings_out_of_range_are_refused(bad):
    with pytest.raises(ValueError, match=list(bad)[-1] if "batch" not in bad else "batch"):
        Settings(**bad).check()


# ---------------------------------------------------------------- losses and steps
def test_hinge_losses():
    real, fake = torch.tensor([2.0, 0.5, -1.0]), torch.tensor([-2.0, 0.0, 1.0])
    # max(0, 1 − l): 0, 0.5, 2 → mean 5/6;  max(0, 1 + l): 0, 1, 2 → mean 1
    assert hinge_d_loss(real, fake).item() == pytest.approx(5 / 6 + 1)
    assert hinge_g_loss(fake).item() == pytest.approx(1 / 3)


@pytest.mark.parametrize("loss", LOSSES)
def test_every_loss_trains_with_every_remedy(loss):
    g = Game(data="two_gaussians", loss=loss, batch=32, pack=2, instance_noise=0.1, smoothing=0.1, unroll=2,
             r1=1.0, n_eval=200)
    for _ in range(3):
        g.step()
    m = g.metrics()
    assert math.isfinite(m["d_loss"]) and math.isfinite(m["g_loss"]) and 0 <= m["jsd"] <= math.log(2) + 1e-9
    assert g.unrolling() == (loss in ("minimax", "non_saturating", "least_squares"))


def test_step_counter_moves_by_one_whatever_is_stepped():
    g = Game(data="two_gaussians", d_steps=3, n_eval=100)
    assert g.step() == 1 and (g.d_updates, g.g_updates) == (3, 1)
    assert g.step("g") == 2 and (g.d_updates, g.g_updates) == (3, 2)
    assert g.step("d") == 3 and (g.d_updates, g.g_updates) == (4, 2)
    assert g.history["step"] == [1, 2, 3]
    with pytest.raises(ValueError):
        g.step("x")


def test_step_g_changes_only_g():
    g = Game(data="two_gaussians", n_eval=100)
    d_before = [p.clone() for p in g.D.parameters()]
    g_before = [p.clone() for p in g.G.parameters()]
    g.step("g")
    assert all(torch.equal(a, b) for a, b in zip(d_before, g.D.parameters()))
    assert not all(torch.equal(a, b) for a, b in zip(g_before, g.G.parameters()))


def test_same_seed_same_game_other_seed_other_game():
    def run(seed):
        g = Game(data="ring", seed=seed, n_eval=500)
        for _ in range(20):
            g.step()
        return g.samples()
    assert torch.equal(run(3), run(3))
    assert not torch.equal(run(3), run(4))


def test_update_rebuilds_only_what_changed():
    g = Game(data="two_gaussians", n_eval=100)
    for _ in range(5):
        g.step()
    d_weights = g.D.params[0].clone()
    assert g.update(g_lr=3e-4) == []
    assert g.opt_g.param_groups[0]["lr"] == 3e-4 and g.opt_d.param_groups[0]["lr"] == 1e-3
    assert g.update(g_layers=1, loss="hinge") == ["G"]
    assert len(g.G.sizes) == 3 and torch.equal(g.D.params[0], d_weights) and g.steps == 5
    assert g.update(pack=3) == ["D"] and g.D.sizes[0] == 6
    assert g.update(d_optimiser="sgd") == [] and isinstance(g.opt_d, torch.optim.SGD)
    assert g.update(data="grid") == ["data", "G", "D"] and g.steps == 0 and g.data.name == "grid"
    with pytest.raises(ValueError):
        g.update(data="drawn")                  # no points: refused, the game is unchanged
    assert g.settings.data == "grid"


def test_ignored_settings_are_explained():
    g = Game(data="two_gaussians", loss="hinge", unroll=3, smoothing=0.1, n_eval=100)
    notes = " ".join(g.describe_ignored())
    assert "unrolled" in notes and "smoothing" in notes and not g.unrolling()


def test_unrolled_game_uses_notebook_06s_unrolled_step():
    # one G step with unroll=1 from Adam's empty state: G's loss uses D after one (differentiable) Adam step
    g = Game(data="ring", unroll=1, n_eval=100, batch=16)
    g.step("g")
    assert g.g_updates == 1 and math.isfinite(g.last["g_loss"])


# ---------------------------------------------------------------- views and charts
def test_generator_arrows_point_up_d():
    # a linear logit l(x) = 2·x₂: non-saturating arrows are ∇ log sigmoid(l) = (1 − D(x))·(0, 2), straight up
    def D(x):
        return 2 * x[..., 1:2]
    x = torch.randn(7, 2)
    a = generator_arrows(D, x, "non_saturating")
    want = torch.stack([torch.zeros(7), 2 * (1 - torch.sigmoid(2 * x[:, 1]))], 1)
    assert torch.allclose(a, want, atol=1e-6)
    # the saturating (minimax) loss: ∇ −log(1 − D) ... G *minimises* log(1 − D): arrows (D(x))·(0, 2)
    a = generator_arrows(D, x, "minimax")
    assert torch.allclose(a, torch.stack([torch.zeros(7), 2 * torch.sigmoid(2 * x[:, 1])], 1), atol=1e-6)


def test_views_have_the_right_shapes():
    g = Game(data="ring", n_eval=300, z_dim=3)
    grid = torch.rand(10, 2)
    assert g.d_on(grid).shape == (10,) and ((g.d_on(grid) >= 0) & (g.d_on(grid) <= 1)).all()
    assert g.manifold(lines=5, points=9).shape == (10, 9, 2)
    g.update(z_dim=1)
    assert g.manifold(points=9).shape == (1, 9, 2)
    x, a = g.arrows(12)
    assert x.shape == (12, 2) and a.shape == (12, 2)


def test_histogram_keeps_points_outside_in_the_last_cell():
    h = histogram(np.array([[0.1, 0.1], [0.9, 0.9], [5.0, 0.0]]), (0, 1, 0, 1), 2)
    assert h.tolist() == [1, 0, 0, 1, 1]


def test_grid_divergences():
    g = torch.Generator().manual_seed(0)
    a, b = torch.rand(4000, 2, generator=g), torch.rand(4000, 2, generator=g)
    same = grid_divergences(a, b, (0, 1, 0, 1), bins=8)
    assert 0 <= same["jsd"] < 0.01 and 0 <= same["kl"] < 0.04           # same distribution: the small floor
    apart = grid_divergences(a * 0.4, a * 0.4 + 0.6, (0, 1, 0, 1), bins=10)  # disjoint supports
    assert apart["jsd"] > 0.95 * math.log(2) and apart["kl"] > 3


def test_metrics_report_the_noise_baseline():
    g = Game(data="ring", n_eval=2500)
    m = g.metrics()
    assert m["baseline"]["modes"] == noise_baseline(g.data, 2500, seed=0)["modes"]
    assert m["n_modes"] == 8 and 0 <= m["baseline"]["jsd_floor"] < 0.05
    assert set(m) >= {"step", "d_loss", "g_loss", "modes", "high_quality", "reverse_kl", "jsd", "kl"}
