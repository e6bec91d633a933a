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


def _jsd_quadrature(w):
    """JSD(U[0, 1] ‖ U[0, w]) by quadrature on [0, 1] and [1, w]."""
    def integrand(x):
        a, b = float(0.0 <= x <= 1.0), 1.0 / w
        m = (a + b) / 2
        return 0.5 * (a * math.log(a / m) if a > 0 else 0.0) + 0.5 * b * math.log(b / m)
    total = integrate.quad(integrand, 0.0, 1.0, limit=200)[0]
    if w > 1:
        total += integrate.quad(integrand, 1.0, w, limit=200)[0]
    return total


def check_jsd_nested_uniforms(jsd_nested_uniforms) -> None:
    """``jsd_nested_uniforms(w)``: JSD(U[0, 1] ‖ U[0, w]) in nats, for w ≥ 1."""
    for w in (1.0, 1.01, 1.5, 2.0, 3.0, 10.0, 1000.0):
        got = float(jsd_nested_uniforms(w))
        want = _jsd_quadrature(w)
        if abs(got - want) > 1e-6:
            hint = ("Hint: split [0, w] into the overlap [0, 1], where p = 1 and q = 1/w, and [1, w], where only q "
                    "has mass; in each piece the integrand is constant.")
            if abs(got - min(w - 1, 1.0) * math.log(2)) < 1e-9:
                hint = "Hint: that is the formula for shifted uniforms; here q also has mass 1/w on p's support."
            elif abs(got - want / math.log(2)) < 1e-9:
                hint = "Hint: in nats use the natural log, not log2."
            raise AssertionError(f"jsd_nested_uniforms({w}) = {got:.6f}, expected {want:.6f} (quadrature). {hint}")
    assert float(jsd_nested_uniforms(1e6)) < math.log(2), "for finite w the supports overlap: JSD < log 2"
    passed("jsd_nested_uniforms")
