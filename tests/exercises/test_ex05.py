"""Exercises of notebook 05: plausible wrong answers are rejected, right ones accepted."""

import math

import numpy as np
import pytest

from gan_course.exercises import ex05


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
