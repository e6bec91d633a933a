"""Checks for the exercises of ``notebooks/06_mode_collapse.ipynb`` (mode coverage, MAD-GAN)."""

from __future__ import annotations

import math

import numpy as np
import torch

from . import passed


def check_reverse_kl(reverse_kl) -> None:
    """``reverse_kl(counts) -> float``: KL(p̂ ‖ uniform) for the high-quality samples per mode
    ``counts`` (length K, non-negative integers), with p̂ = counts / Σ counts; ``log K`` when
    Σ counts = 0 (nothing captured), as :func:`gan_course.modes.coverage.mode_coverage` defines it."""
    from gan_course.modes.coverage import mode_coverage

    rng = np.random.default_rng(0)
    cases = [[10, 0, 0, 0, 0, 0, 0, 0], [5] * 8, [1, 2, 3, 4], [0, 0, 7], [0] * 25, [3] + [0] * 24]
    cases += [list(rng.integers(0, 20, size=k)) for k in (8, 25, 25)]
    for counts in cases:
        K = len(counts)
        # the reference: put counts[k] samples exactly on centre k of K centres on a line
        centers = np.stack([np.arange(K) * 10.0, np.zeros(K)], 1)
        pts = np.repeat(centers, counts, axis=0)
        pts = np.concatenate([pts, [[-1000.0, 0.0]]])  # one far-away sample keeps N >= 1
        want = mode_coverage(pts, centers, 1.0)["reverse_kl"]
        got = float(reverse_kl(list(counts)))
        assert math.isfinite(got), f"reverse_kl({list(counts)}) = {got}: expected a finite number"
        assert abs(got - want) < 1e-9, (
            f"reverse_kl({list(counts)}) = {got:.6f}, expected {want:.6f}. Hints: normalise the counts to p̂; "
            "KL(p̂ ‖ u) = Σ_k p̂_k log(p̂_k / (1/K)) = Σ_k p̂_k log(K p̂_k), skipping p̂_k = 0 (0 log 0 = 0); "
            "K is the number of modes, including empty ones; and log K when there are no samples at all.")
    passed("reverse_kl")


def check_madgan_d_loss(madgan_d_loss) -> None:
    """``madgan_d_loss(real_logits [B, k+1], fake_logits [k, b, k+1]) -> scalar tensor``: the
    (k+1)-way cross-entropy of MAD-GAN's discriminator, real → class k, generator j → class j,
    mean over the real batch plus mean over all fakes (as :func:`gan_course.modes.madgan.madgan_d_loss`)."""
    from gan_course.modes.madgan import madgan_d_loss as ref

    g = torch.Generator().manual_seed(0)
    for k, B, b in [(1, 5, 4), (2, 6, 3), (4, 8, 2), (3, 1, 1)]:
        real = torch.randn(B, k + 1, generator=g) * 2
        fake = torch.randn(k, b, k + 1, generator=g) * 2
        want = ref(real[None], fake[None]).item()
        got = madgan_d_loss(real, fake)
        got = float(got.item() if isinstance(got, torch.Tensor) else got)
        assert abs(got - want) < 1e-5, (
            f"k={k}: got {got:.5f}, expected {want:.5f}. Hints: use the log-softmax over the k+1 logits; "
            "real samples have label k (the last class), samples of generator j have label j; average "
            "−log p(label) over the real batch, average it over all fakes, and add the two.")
    passed("madgan_d_loss")
