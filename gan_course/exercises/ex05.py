"""Checks for the exercises of ``notebooks/05_vanishing_gradients.ipynb``."""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy import integrate

from . import passed


def check_g_grad_logit(g_grad_logit) -> None:
    """``g_grad_logit(logit, kind)``: ∂L_G/∂l for one fake sample with D's logit l, for
    kind ``"saturating"`` (L_G = log(1 − σ(l))) and ``"non_saturating"`` (L_G = −log σ(l));
    numpy arrays in and out. Compared with autograd through :func:`gan_course.losses.g_loss`."""
    from gan_course.losses import g_loss

    logits = np.linspace(-15, 15, 61)
    for kind in ("saturating", "non_saturating"):
        got = np.asarray(g_grad_logit(logits, kind), dtype=float)
        assert got.shape == logits.shape, f"{kind}: expected one derivative per logit, shape {logits.shape}, got {got.shape}"
        l = torch.tensor(logits, requires_grad=True)
        (want,) = torch.autograd.grad(g_loss(kind, l) * len(logits), l)   # g_loss is a mean
        want = want.numpy()
        bad = np.argmax(np.abs(got - want))
        assert np.allclose(got, want, rtol=1e-6, atol=1e-9), (
            f"{kind}: at logit {logits[bad]:g} you return {got[bad]:.6g}, autograd gives {want[bad]:.6g}. "
            "Hint: d/dl log σ(l) = σ(−l) = 1 − σ(l) and d/dl log(1 − σ(l)) = −σ(l); mind the signs.")
    passed("g_grad_logit")


def check_jsd_shifted_uniforms(jsd_shifted_uniforms) -> None:
    """``jsd_shifted_uniforms(theta)``: JSD(U[0, 1], U[θ, θ + 1]) in nats, for any real θ."""
    def reference(theta):
        p = lambda x: float(0.0 <= x <= 1.0)
        q = lambda x: float(theta <= x <= theta + 1.0)

        def integrand(x):
            a, b = p(x), q(x)
            m = (a + b) / 2
            return 0.5 * (a * math.log(a / m) if a > 0 else 0.0) + 0.5 * (b * math.log(b / m) if b > 0 else 0.0)
        lo, hi = min(0.0, theta), max(1.0, theta + 1.0)
        pts = sorted({0.0, 1.0, theta, theta + 1.0})
        return integrate.quad(integrand, lo, hi, points=pts[1:-1] or None, limit=200)[0]

    for theta in (0.0, 0.1, 0.5, -0.3, 0.999, 1.0, 1.5, -4.0, 10.0):
        got = float(jsd_shifted_uniforms(theta))
        want = reference(theta)
        assert abs(got - want) < 1e-6, (
            f"jsd_shifted_uniforms({theta}) = {got:.6f}, expected {want:.6f} (quadrature). Hint: where both densities "
            "are 1 the integrand vanishes; where only one is, it contributes ½·log 2 per unit length; and the "
            "overlap disappears once |θ| ≥ 1.")
    passed("jsd_shifted_uniforms")
