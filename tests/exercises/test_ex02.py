"""Exercises of notebook 02: each check accepts the reference and rejects a plausible wrong answer."""

import pytest
import torch
import torch.nn.functional as F

from gan_course.exercises import ex02


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
