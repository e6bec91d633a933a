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


def _nested(w):
    m_in = (1 + 1 / w) / 2
    return 0.5 * math.log(1 / m_in) + 0.5 * (1 / w) * math.log((1 / w) / m_in) + 0.5 * ((w - 1) / w) * math.log(2)


def test_ex05_jsd_nested_uniforms():
    ex05.check_jsd_nested_uniforms(_nested)
    for wrong, hint in ((lambda w: min(w - 1, 1.0) * math.log(2), "shifted uniforms"),   # the shifted case
                        (lambda w: _nested(w) / math.log(2), "natural log"),            # bits
                        (lambda w: 0.5 * ((w - 1) / w) * math.log(2), "split")):        # only the part outside [0, 1]
        with pytest.raises(AssertionError, match=hint):
            ex05.check_jsd_nested_uniforms(wrong)
