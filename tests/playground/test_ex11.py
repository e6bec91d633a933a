"""Plausible wrong answers to notebook 11's exercises are rejected (the right ones pass)."""

import pytest
import torch
import torch.nn.functional as F

from gan_course.exercises.ex11 import check_generator_arrows, check_hinge_losses


def good_hinge(real, fake):
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean(), -fake.mean()


def test_reference_hinge_passes(capsys):
    check_hinge_losses(good_hinge)
    assert "Correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong", [
    lambda r, f: (F.relu(1 + r).mean() + F.relu(1 - f).mean(), -f.mean()),       # signs swapped
    lambda r, f: ((1 - r).mean() + (1 + f).mean(), -f.mean()),                   # no max(0, ·)
    lambda r, f: (F.relu(1 - r).mean() + F.relu(1 + f).mean(), F.relu(1 - f).mean()),  # hinge on G's side
    lambda r, f: (F.softplus(-r).mean() + F.softplus(f).mean(), -f.mean()),      # the log loss
])
def test_wrong_hinge_is_rejected(wrong):
    with pytest.raises(AssertionError):
        check_hinge_losses(wrong)


def good_arrows(D, x):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(F.softplus(-D(x)).sum(), x)
    return -g


def test_reference_arrows_pass(capsys):
    check_generator_arrows(good_arrows)
    assert "Correct" in capsys.readouterr().out


def _mean_loss(D, x):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(F.softplus(-D(x)).mean(), x)
    return -g


def _wrong_sign(D, x):
    return -good_arrows(D, x)


def _saturating(D, x):
    x = x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad((-F.softplus(D(x))).sum(), x)
    return -g


@pytest.mark.parametrize("wrong, match", [(_mean_loss, "too short"), (_wrong_sign, "wrong way"), (_saturating, None)])
def test_wrong_arrows_are_rejected(wrong, match):
    with pytest.raises(AssertionError, match=match):
        check_generator_arrows(wrong)
