"""gan_course.mnist.packing.noise_sampler: noise rows, and labels drawn with the data's frequencies."""

import pytest
import torch

from gan_course.mnist.packing import noise_sampler


def test_unconditional_and_uniform_labels():
    g = torch.Generator().manual_seed(0)
    assert noise_sampler(8, False)(5, g).shape == (5, 8)
    rows = noise_sampler(8, True)(20_000, g)
    assert rows.shape == (20_000, 9)
    counts = torch.bincount(rows[:, -1].long(), minlength=10)
    assert counts.min() > 1_800 and counts.max() < 2_200      # 2,000 expected, binomial SD ≈ 42: ±5 SD


def test_labels_follow_given_probabilities():
    g = torch.Generator().manual_seed(1)
    probs = torch.tensor([0.5, 0.3, 0.2] + [0.0] * 7)
    rows = noise_sampler(4, True, label_probs=probs)(20_000, g)
    share = torch.bincount(rows[:, -1].long(), minlength=10).double() / 20_000
    assert torch.allclose(share, probs.double(), atol=0.02)  # binomial SD ≤ 0.0036: about 5 SD
    for bad in ([0.1] * 9, [-1.0] + [0.2] * 9, [0.0] * 10):
        with pytest.raises(ValueError, match="label_probs"):
            noise_sampler(4, True, label_probs=bad)
