"""gan_course.losses against the formulas of its docstring (issue 5 acceptance)."""

import math

import pytest
import torch

from gan_course.losses import KINDS, d_loss, g_loss, gradient_penalty


def _logits(seed, n=64, scale=4.0):
    g = torch.Generator().manual_seed(seed)
    return scale * torch.randn(n, generator=g, dtype=torch.float64), scale * torch.randn(n, generator=g, dtype=torch.float64)


def _reference(kind, real, fake):
    """Direct transcription of the formulas with D = sigmoid(l) (no softplus tricks)."""
    D = torch.sigmoid
    if kind in ("saturating", "non_saturating"):
        ld = -(torch.log(D(real))).mean() - torch.log(1 - D(fake)).mean()
        lg = torch.log(1 - D(fake)).mean() if kind == "saturating" else -torch.log(D(fake)).mean()
    elif kind == "wasserstein":
        ld, lg = fake.mean() - real.mean(), -fake.mean()
    else:
        ld, lg = 0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake**2).mean(), 0.5 * ((fake - 1) ** 2).mean()
    return ld, lg


def test_kinds_are_the_four_of_the_issue():
    assert set(KINDS) == {"saturating", "non_saturating", "wasserstein", "least_squares"}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", [0, 1])
def test_losses_match_their_formulas(kind, seed):
    real, fake = _logits(seed)
    want_d, want_g = _reference(kind, real, fake)
    # float64, moderate logits (|l| ≲ 16): the direct logs are accurate to ~1e-12 here
    assert torch.allclose(d_loss(kind, real, fake), want_d, rtol=1e-10, atol=1e-12)
    assert torch.allclose(g_loss(kind, fake), want_g, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_column_logits_give_the_same_value(kind):
    real, fake = _logits(3)
    assert torch.allclose(d_loss(kind, real[:, None], fake[:, None]), d_loss(kind, real, fake))
    assert torch.allclose(g_loss(kind, fake[:, None]), g_loss(kind, fake))


def test_known_values_at_zero_logits():
    z = torch.zeros(8)
    # D = 1/2 everywhere: L_D = 2 log 2 (the value −V = log 4 of the minimax game at equilibrium)
    assert math.isclose(d_loss("saturating", z, z).item(), 2 * math.log(2), rel_tol=1e-6)
    assert math.isclose(g_loss("saturating", z).item(), -math.log(2), rel_tol=1e-6)
    assert math.isclose(g_loss("non_saturating", z).item(), math.log(2), rel_tol=1e-6)
    assert d_loss("wasserstein", z, z).item() == 0.0
    assert math.isclose(d_loss("least_squares", z, z).item(), 0.5)


def test_extreme_logits_stay_finite():
    big = torch.tensor([-200.0, 200.0])
    for kind in KINDS:
        assert torch.isfinite(d_loss(kind, big, big)) and torch.isfinite(g_loss(kind, big))
    # saturating G loss near D(G(z)) = 0: log(1 − σ(−200)) ≈ −e^{−200}, not −inf or nan
    assert abs(g_loss("saturating", torch.tensor([-200.0])).item()) < 1e-30


@pytest.mark.parametrize("fn", [lambda k: d_loss(k, torch.zeros(2), torch.zeros(2)), lambda k: g_loss(k, torch.zeros(2))])
def test_unknown_kind_lists_the_allowed_ones(fn):
    with pytest.raises(ValueError) as e:
        fn("hinge")
    msg = str(e.value)
    assert "hinge" in msg and all(k in msg for k in KINDS)


class Linear(torch.nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = torch.nn.Parameter(torch.as_tensor(w, dtype=torch.float64))

    def forward(self, x):
        return x.flatten(1) @ self.w


@pytest.mark.parametrize("w,weight", [([3.0, 4.0], 10.0), ([0.6, 0.8], 10.0), ([0.1, 0.0], 2.5), ([1.0, 2.0, 2.0], 1.0)])
def test_gradient_penalty_on_a_linear_critic(w, weight):
    """D(x) = w·x has ∇D = w at every point, so the penalty is weight·(‖w‖ − 1)² whatever the samples."""
    gen = torch.Generator().manual_seed(0)
    d = len(w)
    real = torch.randn(32, d, generator=gen, dtype=torch.float64)
    fake = 5 + torch.randn(32, d, generator=gen, dtype=torch.float64)
    critic = Linear(w)
    norm = math.sqrt(sum(v * v for v in w))
    gp = gradient_penalty(critic, real, fake, weight=weight, generator=gen)
    assert math.isclose(gp.item(), weight * (norm - 1) ** 2, rel_tol=1e-12, abs_tol=1e-12)
    # differentiable in the critic's parameters: d/dw [λ(‖w‖ − 1)²] = 2λ(‖w‖ − 1)·w/‖w‖
    gp.backward()
    want = 2 * weight * (norm - 1) * torch.tensor(w, dtype=torch.float64) / norm
    assert torch.allclose(critic.w.grad, want, rtol=1e-10, atol=1e-12)


def test_gradient_penalty_images_and_checks():
    critic = Linear([0.5] * 12)
    x = torch.randn(4, 3, 2, 2, dtype=torch.float64)        # [B, C, H, W]: norms over all pixels
    gp = gradient_penalty(critic, x, x + 1)
    assert math.isclose(gp.item(), 10.0 * (math.sqrt(12 * 0.25) - 1) ** 2, rel_tol=1e-12)
    assert gradient_penalty(critic, x, x, weight=0.0).item() == 0.0
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(critic, x, x[:2])
    with pytest.raises(ValueError, match="weight"):
        gradient_penalty(critic, x, x, weight=-1.0)


def test_losses_check_shapes():
    with pytest.raises(ValueError, match=r"same shape, got \(4, 10\) and \(3,\)"):
        d_loss("non_saturating", torch.zeros(4, 10), torch.zeros(3))
    with pytest.raises(ValueError, match=r"same shape, got \(4,\) and \(4, 1\)"):
        d_loss("wasserstein", torch.zeros(4), torch.zeros(4, 1))
    with pytest.raises(ValueError, match=r"empty \(shape \(0,\)\)"):
        g_loss("non_saturating", torch.zeros(0))


@pytest.mark.parametrize("weight", [float("nan"), float("inf")])
def test_gradient_penalty_rejects_a_non_finite_weight(weight):
    x = torch.randn(4, 2, dtype=torch.float64)
    with pytest.raises(ValueError, match=rf"weight must be finite and >= 0, got {weight}"):
        gradient_penalty(Linear([1.0, 0.0]), x, x + 1, weight=weight)


def test_smoothed_d_loss_is_bce_with_the_real_target_and_the_plain_loss_at_target_1():
    from gan_course.losses import smoothed_d_loss
    real, fake = _logits(7)
    D = torch.sigmoid
    # BCE(D(x), 0.9) + BCE(D(G(z)), 0), transcribed with D = sigmoid(l)
    want = -(0.9 * torch.log(D(real)) + 0.1 * torch.log(1 - D(real))).mean() - torch.log(1 - D(fake)).mean()
    torch.testing.assert_close(smoothed_d_loss(real, fake, 0.9), want)
    torch.testing.assert_close(smoothed_d_loss(real, fake, 1.0), d_loss("non_saturating", real, fake))
    assert abs(float(smoothed_d_loss(real, fake, 0.9) - d_loss("non_saturating", real, fake))) > 1e-3
