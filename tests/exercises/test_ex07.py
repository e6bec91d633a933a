"""Exercises of notebook 07: plausible wrong answers are rejected, right ones accepted."""


import numpy as np
import pytest
import torch

from gan_course.exercises import ex07


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
