"""Exercises of notebooks 01-03: each check accepts the reference and rejects a plausible wrong answer."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gan_course.exercises import ex01, ex02, ex03


def test_ex01_gaussian_mle():
    ex01.check_gaussian_mle(lambda x: (np.mean(x), np.std(x)))
    with pytest.raises(AssertionError, match="n − 1"):
        ex01.check_gaussian_mle(lambda x: (np.mean(x), np.std(x, ddof=1)))   # unbiased, not ML
    with pytest.raises(AssertionError, match="square root"):
        ex01.check_gaussian_mle(lambda x: (np.mean(x), np.var(x)))           # variance, not std


def test_ex01_kl():
    ex01.check_kl_to_standard_normal(lambda mu, lv: 0.5 * (mu**2 + lv.exp() - 1 - lv).sum(1))
    with pytest.raises(AssertionError):
        ex01.check_kl_to_standard_normal(lambda mu, lv: 0.5 * (mu**2 + lv - 1 - lv.exp()).sum(1))   # logvar/var swapped
    with pytest.raises(AssertionError, match="one KL per row"):
        ex01.check_kl_to_standard_normal(lambda mu, lv: 0.5 * (mu**2 + lv.exp() - 1 - lv).sum())    # summed over the batch


def test_ex02_value_minibatch():
    ex02.check_value_minibatch(lambda dr, df: (torch.log(dr).mean() + torch.log1p(-df).mean()).item())
    with pytest.raises(AssertionError, match="loss"):
        ex02.check_value_minibatch(lambda dr, df: -(torch.log(dr).mean() + torch.log1p(-df).mean()).item())
    with pytest.raises(AssertionError, match="log\\(1 − D"):
        ex02.check_value_minibatch(lambda dr, df: (torch.log(dr).mean() + torch.log(df).mean()).item())


def test_ex02_ns_generator_loss():
    ex02.check_ns_generator_loss(lambda l: F.softplus(-l).mean())
    with pytest.raises(AssertionError, match="softplus"):
        ex02.check_ns_generator_loss(lambda l: -torch.log(torch.sigmoid(l)).mean())   # overflows to inf at l = −200
    with pytest.raises(AssertionError):
        ex02.check_ns_generator_loss(lambda l: -F.softplus(l).mean())                 # the saturating loss


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
