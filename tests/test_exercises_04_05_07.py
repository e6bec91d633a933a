"""Plausible wrong answers to the exercises of notebooks 04, 05 and 07 are rejected (and right ones accepted)."""

import math

import numpy as np
import pytest
import torch

from gan_course.exercises import ex04, ex05, ex07


# --- notebook 04 -------------------------------------------------------------------------------

def _sim(theta, psi, lr):
    fp = 1.0 / (1.0 + np.exp(psi * theta))
    return theta - lr * fp * psi, psi + lr * fp * theta


def _alternating(theta, psi, lr):               # wrong: D uses the NEW θ (alternating, not simultaneous)
    fp = 1.0 / (1.0 + np.exp(psi * theta))
    theta2 = theta - lr * fp * psi
    fp2 = 1.0 / (1.0 + np.exp(psi * theta2))
    return theta2, psi + lr * fp2 * theta2


def _wrong_fprime(theta, psi, lr):              # wrong: f'(t) = σ(t) instead of σ(−t)
    fp = 1.0 / (1.0 + np.exp(-psi * theta))
    return theta - lr * fp * psi, psi + lr * fp * theta


def _both_descend(theta, psi, lr):              # wrong: D also descends V
    fp = 1.0 / (1.0 + np.exp(psi * theta))
    return theta - lr * fp * psi, psi - lr * fp * theta


def test_ex04_simultaneous_step():
    ex04.check_simultaneous_step(_sim)
    for wrong in (_alternating, _wrong_fprime, _both_descend):
        with pytest.raises(AssertionError):
            ex04.check_simultaneous_step(wrong)


def test_ex04_max_stable_lr():
    ex04.check_max_stable_lr(lambda gamma, a: gamma / a**2)
    for wrong in (lambda gamma, a: 2 * gamma / a**2,     # forgot the ½ in |1 + hλ|² = 1 − hγ + h²a²
                  lambda gamma, a: gamma / a,            # wrong power of a
                  lambda gamma, a: 2 / gamma):           # the real-eigenvalue formula
        with pytest.raises(AssertionError):
            ex04.check_max_stable_lr(wrong)


# --- notebook 05 -------------------------------------------------------------------------------

def _sig(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def test_ex05_g_grad_logit():
    ex05.check_g_grad_logit(lambda l, k: -_sig(l) if k == "saturating" else -_sig(-l))
    wrongs = [lambda l, k: _sig(l) if k == "saturating" else _sig(-l),         # sign flipped
              lambda l, k: -_sig(l) if k == "saturating" else -_sig(l),        # NS same as saturating
              lambda l, k: -_sig(l) * (1 - _sig(l))]                           # derivative of D, not of the loss
    for wrong in wrongs:
        with pytest.raises(AssertionError):
            ex05.check_g_grad_logit(wrong)


def test_ex05_jsd_shifted_uniforms():
    ex05.check_jsd_shifted_uniforms(lambda t: min(abs(t), 1.0) * math.log(2))
    for wrong in (lambda t: math.log(2) if t != 0 else 0.0,   # jumps straight to log 2 (that is the parallel lines)
                  lambda t: abs(t) * math.log(2),             # no cap at |θ| = 1
                  lambda t: min(t, 1.0) * math.log(2)):        # forgets negative θ
        with pytest.raises(AssertionError):
            ex05.check_jsd_shifted_uniforms(wrong)


# --- notebook 07 -------------------------------------------------------------------------------

def test_ex07_w1_1d():
    ex07.check_w1_1d(lambda x, y: float(np.mean(np.abs(np.sort(x) - np.sort(y)))))
    for wrong in (lambda x, y: abs(x.mean() - y.mean()),          # only the means: 0 for equal means
                  lambda x, y: float(np.mean(np.abs(x - y)))):     # unsorted: not the optimal plan
        with pytest.raises(AssertionError):
            ex07.check_w1_1d(wrong)


def _gp(square_norm=False, create_graph=True):
    def gp(critic, real, fake, eps, weight=10.0):
        x = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
        (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=create_graph)
        n = (g**2).sum(1) if square_norm else g.norm(dim=1)
        return weight * ((n - 1) ** 2).mean()
    return gp


def test_ex07_gradient_penalty():
    ex07.check_gradient_penalty(_gp())
    for wrong in (_gp(square_norm=True), _gp(create_graph=False)):
        with pytest.raises(AssertionError):
            ex07.check_gradient_penalty(wrong)
