"""Checks for the exercises of ``notebooks/02_the_gan_game.ipynb``."""

from __future__ import annotations

import math

import torch

from . import passed


def check_value_minibatch(value_minibatch) -> None:
    """``value_minibatch(d_real, d_fake) -> float``: mean log D(x) + mean log(1 − D(G(z)))."""
    from gan_course.losses import d_loss

    g = torch.Generator().manual_seed(0)
    for m in (1, 7, 64):
        lr = 3 * torch.randn(m, generator=g, dtype=torch.float64)
        lf = 3 * torch.randn(m, generator=g, dtype=torch.float64) - 1
        dr, df = torch.sigmoid(lr), torch.sigmoid(lf)
        got = float(value_minibatch(dr.clone(), df.clone()))
        want = -d_loss("non_saturating", lr, lf).item()   # V = −(discriminator loss)
        assert math.isfinite(got), f"got {got} for m = {m}"
        assert abs(got - want) < 1e-9, (
            f"m = {m}: got {got:.6f}, expected {want:.6f}. "
            + ("Hint: V is what D *maximises*; you returned the loss (its negative)." if abs(got + want) < 1e-9 else
               "Hint: the fake term is log(1 − D(G(z))), not log D(G(z))." if abs(got - (torch.log(dr).mean() + torch.log(df).mean()).item()) < 1e-9
               else "Hint: average each of the two log terms over its minibatch, then add."))
    assert abs(float(value_minibatch(torch.full((4,), 0.5), torch.full((4,), 0.5))) + math.log(4)) < 1e-6, \
        "at D = ½ everywhere V must be −log 4"
    passed("value_minibatch")


def check_ns_generator_loss(ns_generator_loss) -> None:
    """``ns_generator_loss(fake_logits) -> scalar tensor``: −mean log σ(l), stable for very negative l."""
    from gan_course.losses import g_loss

    g = torch.Generator().manual_seed(0)
    cases = [torch.randn(16, generator=g), 5 * torch.randn(8, 1, generator=g), torch.tensor([-200.0, -50.0, 0.0, 30.0])]
    for logits in cases:
        got = ns_generator_loss(logits.clone())
        assert torch.is_tensor(got) and got.numel() == 1, "return a scalar tensor (so it can be backpropagated)"
        want = g_loss("non_saturating", logits)
        assert torch.isfinite(got), (f"logits {logits.ravel()[:4].tolist()}: loss is {got.item()}. Hint: σ(−200) underflows to 0 "
                                     "and log 0 = −inf; use −log σ(l) = softplus(−l) (torch.nn.functional.softplus).")
        assert abs(got.item() - want.item()) < 1e-4 * max(1.0, abs(want.item())), (
            f"logits {logits.ravel()[:4].tolist()}…: got {got.item():.5f}, expected {want.item():.5f}. "
            "Hint: the non-saturating generator loss is −mean log D(G(z)), with D = σ(l).")
    x = torch.tensor([-3.0, 1.0], requires_grad=True)
    ns_generator_loss(x).backward()
    assert x.grad is not None and torch.allclose(x.grad, -torch.sigmoid(-x.detach()) / 2, atol=1e-6), \
        "the loss must be differentiable with gradient −σ(−l)/m"
    passed("ns_generator_loss")
