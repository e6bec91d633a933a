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
