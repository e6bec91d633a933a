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


def test_ex04_max_stable_lr():
    ex04.check_max_stable_lr(lambda gamma, a: gamma / a**2)
    for wrong in (lambda gamma, a: 2 * gamma / a**2,     # forgot the ½ in |1 + hλ|² = 1 − hγ + h²a²
                  lambda gamma, a: gamma / a,            # wrong power of a
                  lambda gamma, a: 2 / gamma):           # the real-eigenvalue formula
        with pytest.raises(AssertionError):
            ex04.check_max_stable_lr(wrong)
