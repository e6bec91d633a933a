"""Checks for the exercises of ``notebooks/11_playground.ipynb`` (the hinge loss, the generator's arrows)."""

from __future__ import annotations

import torch

from . import passed


def _scalar(name, v) -> float:
    if isinstance(v, torch.Tensor):
        assert v.numel() == 1, f"{name} must be a scalar (one number), got a tensor of shape {tuple(v.shape)}"
        return float(v.detach())
    return float(v)


def check_hinge_losses(hinge_losses) -> None:
    """``hinge_losses(real_scores, fake_scores) -> (loss_d, loss_g)``: the hinge loss of Lim & Ye (2017) on D's
    raw scores, L_D = E[max(0, 1 − l(x))] + E[max(0, 1 + l(G(z)))] and L_G = −E[l(G(z))], as
    :func:`gan_course.playground.game.hinge_d_loss` and :func:`~gan_course.playground.game.hinge_g_loss`."""
    from gan_course.playground.game import hinge_d_loss, hinge_g_loss

    g = torch.Generator().manual_seed(0)
    cases = [(torch.randn(64, generator=g) * 2, torch.randn(64, generator=g) * 2),
             (torch.randn(1, 32, 1, generator=g) * 3 + 1, torch.randn(1, 48, 1, generator=g) * 3 - 1),
             (torch.full((8,), 2.0), torch.full((8,), -2.0)),       # both beyond the margin: L_D = 0
             (torch.full((8,), 0.5), torch.full((8,), 0.5))]
    for real, fake in cases:
        out = hinge_losses(real.clone(), fake.clone())
        assert isinstance(out, (tuple, list)) and len(out) == 2, "return two numbers: (loss_d, loss_g)"
        got_d, got_g = _scalar("loss_d", out[0]), _scalar("loss_g", out[1])
        want_d, want_g = float(hinge_d_loss(real, fake)), float(hinge_g_loss(fake))
        assert abs(got_d - want_d) < 1e-5, (
            f"loss_d = {got_d:.5f}, expected {want_d:.5f} (real scores mean {real.mean():.2f}, fake {fake.mean():.2f}). "
            "Hints: real samples are penalised when their score is below +1, max(0, 1 − l(x)); fakes when above "
            "−1, max(0, 1 + l(G(z))); take the mean of each and add them (no sigmoid, no log).")
        assert abs(got_g - want_g) < 1e-5, (
            f"loss_g = {got_g:.5f}, expected {want_g:.5f}. Hint: G raises D's score on its samples, so it "
            "minimises −E[l(G(z))] (no hinge on G's side).")
    passed("hinge_losses")


def check_generator_arrows(generator_arrows) -> None:
    """``generator_arrows(D, x) -> [N, 2]``: −∇ₓ of each sample's own non-saturating loss −log D(x) =
    softplus(−l(x)), for ``D`` mapping ``[N, 2]`` to logits ``[N, 1]`` (as
    :func:`gan_course.playground.game.generator_arrows`, which is not divided by N)."""
    from gan_course.playground.game import generator_arrows as ref

    torch.manual_seed(0)
    nets = [torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)) for _ in range(2)]
    line = torch.nn.Linear(2, 1)
    with torch.no_grad():
        line.weight.copy_(torch.tensor([[3.0, 0.0]]))
        line.bias.zero_()
    g = torch.Generator().manual_seed(1)
    for D in nets + [line]:
        for n in (5, 40):
            x = torch.randn(n, 2, generator=g)
            want = ref(lambda p, D=D: D(p.reshape(-1, 2)).reshape(1, -1, 1), x, "non_saturating")
            got = generator_arrows(D, x.clone())
            got = torch.as_tensor(got, dtype=torch.float32)
            assert got.shape == (n, 2), f"expected one arrow per sample, shape ({n}, 2), got {tuple(got.shape)}"
            if torch.allclose(got, -want, atol=1e-5):
                raise AssertionError("your arrows point the wrong way: they are +∇ₓ of G's loss. G moves its "
                                     "samples *down* its loss, so the arrow is −∇ₓ(−log D(x)) = ∇ₓ log D(x).")
            if torch.allclose(got * n, want, atol=1e-5):
                raise AssertionError("your arrows are N times too short: you differentiated the *mean* loss. "
                                     "Use each sample's own loss (sum over the batch before differentiating).")
            assert torch.allclose(got, want, atol=1e-5), (
                f"arrows differ from the expected ones (max difference {float((got - want).abs().max()):.2e}). "
                "Hints: x.requires_grad_(True); loss = softplus(−D(x)).sum(), which is Σ −log sigmoid(l(x)); "
                "torch.autograd.grad(loss, x); return −grad.")
    # a D whose logit grows along x₁: every arrow must point along +x₁
    x = torch.randn(10, 2, generator=g)
    a = torch.as_tensor(generator_arrows(line, x), dtype=torch.float32)
    assert (a[:, 0] > 0).all() and torch.allclose(a[:, 1], torch.zeros(10), atol=1e-6), (
        "with l(x) = 3·x₁, D says 'more real' towards +x₁, so every arrow must point along +x₁")
    passed("generator_arrows")
