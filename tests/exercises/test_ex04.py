"""Exercises of notebook 04: plausible wrong answers are rejected, right ones accepted."""


import numpy as np
import pytest

from gan_course.exercises import ex04


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


def test_ex04_extragradient_max_lr():
    ex04.check_extragradient_max_lr(lambda a: 1 / a)
    for wrong in (lambda a: 2 / a,                 # the bound of a single step's |1 + hλ| for real λ
                  lambda a: 1 / a**2,              # wrong power of a
                  lambda a: np.sqrt(2) / a):       # |1 + hλ + h²λ²|² expanded without the cross term
        with pytest.raises(AssertionError):
            ex04.check_extragradient_max_lr(wrong)
