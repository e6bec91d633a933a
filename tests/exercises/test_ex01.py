"""Exercises of notebook 01: each check accepts the reference and rejects a plausible wrong answer."""

import numpy as np
import pytest

from gan_course.exercises import ex01


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
