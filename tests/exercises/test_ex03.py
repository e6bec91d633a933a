"""Exercises of notebook 03: each check accepts the reference and rejects a plausible wrong answer."""

import numpy as np
import pytest

from gan_course.exercises import ex03


def test_ex03_jsd_discrete():
    from scipy.special import xlogy

    def ref(p, q):
        m = (p + q) / 2
        return 0.5 * np.sum(xlogy(p, p) - xlogy(p, m)) + 0.5 * np.sum(xlogy(q, q) - xlogy(q, m))

    ex03.check_jsd_discrete(ref)
    with pytest.raises(AssertionError, match="log2"):
        ex03.check_jsd_discrete(lambda p, q: ref(p, q) / np.log(2))        # bits, not nats
    with pytest.raises(AssertionError, match="0·log 0"), np.errstate(all="ignore"):
        ex03.check_jsd_discrete(lambda p, q: 0.5 * np.sum(p * np.log(p / ((p + q) / 2))) + 0.5 * np.sum(q * np.log(q / ((p + q) / 2))))


def test_ex03_d_star_logit():
    ref = lambda x, md, sd, mg, sg: np.log(sg / sd) - (x - md) ** 2 / (2 * sd**2) + (x - mg) ** 2 / (2 * sg**2)
    ex03.check_d_star_logit(ref)
    with pytest.raises(AssertionError, match="log\\(s_g / s_d\\)"):
        ex03.check_d_star_logit(lambda x, md, sd, mg, sg: -(x - md) ** 2 / (2 * sd**2) + (x - mg) ** 2 / (2 * sg**2))


def test_ex03_ls_criterion():
    def ref(p, q, dx, a, b, c):
        d = (b * p + a * q) / (p + q)
        return float(0.5 * np.sum((p + q) * (d - c) ** 2) * dx)

    ex03.check_ls_criterion(ref)
    with pytest.raises(AssertionError, match="only for a = −1"):          # the a, b, c = −1, 1, 0 formula for every label
        ex03.check_ls_criterion(lambda p, q, dx, a, b, c: 0.5 * float(np.sum((p - q) ** 2 / (p + q)) * dx))
    with pytest.raises(AssertionError, match="towards b where the data"):  # labels swapped in D*
        ex03.check_ls_criterion(lambda p, q, dx, a, b, c: ref(p, q, dx, b, a, c))
    with pytest.raises(AssertionError, match="BOTH expectations"):         # only the generator's own term E_q
        ex03.check_ls_criterion(lambda p, q, dx, a, b, c: float(0.5 * np.sum(q * ((b * p + a * q) / (p + q) - c) ** 2) * dx))
