"""Plausible wrong answers to notebook 06's exercises are rejected (the right ones pass)."""

import math

import pytest
import torch
import torch.nn.functional as F

from gan_course.exercises.ex06 import check_madgan_d_loss, check_reverse_kl


def good_reverse_kl(counts):
    n, K = sum(counts), len(counts)
    if n == 0:
        return math.log(K)
    return sum(c / n * math.log(K * c / n) for c in counts if c)


def test_reference_reverse_kl_passes(capsys):
    check_reverse_kl(good_reverse_kl)
    assert "Correct" in capsys.readouterr().out


def test_forward_kl_is_rejected():
    # KL(u ‖ p̂) instead of KL(p̂ ‖ u): infinite/wrong as soon as a mode is empty
    def forward_kl(counts):
        n, K = sum(counts), len(counts)
        return sum(1 / K * math.log((1 / K) / max(c / n, 1e-12)) for c in counts) if n else math.log(K)
    with pytest.raises(AssertionError, match="reverse_kl"):
        check_reverse_kl(forward_kl)


def test_ignoring_empty_modes_is_rejected():
    # K taken as the number of *captured* modes: one mode → 0 instead of log K
    def wrong(counts):
        nz = [c for c in counts if c]
        return good_reverse_kl(nz) if nz else 0.0
    with pytest.raises(AssertionError):
        check_reverse_kl(wrong)


def good_madgan(real, fake):
    k = fake.shape[0]
    return F.cross_entropy(real, torch.full((len(real),), k)) + \
        F.cross_entropy(fake.reshape(-1, k + 1), torch.arange(k).repeat_interleave(fake.shape[1]))


def test_reference_madgan_passes():
    check_madgan_d_loss(good_madgan)


def test_real_as_class_zero_is_rejected():
    def wrong(real, fake):
        k = fake.shape[0]
        return F.cross_entropy(real, torch.zeros(len(real), dtype=torch.long)) + \
            F.cross_entropy(fake.reshape(-1, k + 1), torch.arange(1, k + 1).repeat_interleave(fake.shape[1]))
    with pytest.raises(AssertionError, match="k="):
        check_madgan_d_loss(wrong)
