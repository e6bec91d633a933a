"""Checks for the exercises of ``notebooks/10_beyond_images.ipynb``."""

from __future__ import annotations

import datetime

import numpy as np
import torch

from . import passed


def check_dominant_frequency(dominant_frequency) -> None:
    """``dominant_frequency(x)``: ``x`` ``[B, L]`` real signals → ``[B]`` index of the strongest
    non-DC bin of ``|rfft(x)|`` (bins 1..L/2)."""
    L = 64
    n = np.arange(L)
    x = np.stack([np.sin(2 * np.pi * 5 * n / L),                                    # a pure tone: bin 5
                  0.3 * np.sin(2 * np.pi * 3 * n / L + 1) + np.cos(2 * np.pi * 17 * n / L),  # the stronger tone wins
                  4.0 + 0.5 * np.sin(2 * np.pi * 9 * n / L),                         # a big DC offset must be ignored
                  np.cos(2 * np.pi * 31 * n / L)])                                   # near Nyquist (32)
    want = np.array([5, 17, 9, 31])
    got = np.asarray(dominant_frequency(x.copy()))
    assert got.shape == (4,), f"expected one integer per signal, shape (4,), got shape {got.shape}"
    if got[2] == 0:
        raise AssertionError("for a signal 4 + 0.5·sin(2π·9n/64) you returned bin 0: the constant offset (DC) "
                             "is the largest coefficient, so skip bin 0 and search bins 1..L/2")
    assert np.array_equal(got, want), (
        f"for tones at bins {want.tolist()} you returned {got.tolist()}. Hint: rfft along the last axis, "
        "then the argmax of the power over bins 1..L/2, plus 1 for the skipped DC bin.")
    passed("dominant_frequency")


def check_class_means(class_means) -> None:
    """``class_means(x, y, n_classes)`` → ``[n_classes, d]`` per-class feature means; a class with no
    rows raises ``ValueError``."""
    rng = np.random.default_rng(0)
    y = np.array([2, 0, 1, 2, 0, 2, 1, 1, 0, 2])
    x = rng.normal(size=(10, 3)) + 10 * y[:, None]
    want = np.stack([x[y == c].mean(0) for c in range(3)])
    got = np.asarray(class_means(x.copy(), y.copy(), 3))
    assert got.shape == (3, 3), f"expected shape (3, 3) = [n_classes, d], got {got.shape}"
    assert np.allclose(got, want, atol=1e-12), (
        f"row c must be the mean of the rows labelled c; got {np.round(got, 3).tolist()}, expected {np.round(want, 3).tolist()}. "
        "Hint: x[y == c].mean(axis=0).")
    try:
        out = class_means(x, y, 4)
    except ValueError:
        pass
    else:
        raise AssertionError(f"class 3 has no rows, so class_means(x, y, 4) must raise ValueError; it returned {np.asarray(out).tolist()}")
    passed("class_means")


def check_gumbel_softmax(gumbel_softmax) -> None:
    """``gumbel_softmax(logits, u, tau)`` = softmax((logits − log(−log u))/tau) over the last axis."""
    g = torch.Generator().manual_seed(0)
    logits = torch.tensor([[2.0, 0.5, -1.0, 0.0]]).repeat(3, 1)
    u = torch.rand(3, 4, generator=g).clamp(1e-6, 1 - 1e-6)
    for tau in (1.0, 0.5, 2.0):
        want = torch.softmax((logits - torch.log(-torch.log(u))) / tau, dim=-1)
        got = gumbel_softmax(logits.clone(), u.clone(), tau)
        assert torch.is_tensor(got) and got.shape == logits.shape, f"return a tensor of shape {tuple(logits.shape)}"
        assert torch.allclose(got.sum(-1), torch.ones(3), atol=1e-5), "each sample must sum to 1 over the last axis (a softmax over tokens)"
        assert torch.allclose(got, want, atol=1e-5), (
            f"τ = {tau}: got {got[0].tolist()}, expected {want[0].tolist()}. Hint: g = −log(−log u) is added to the "
            "logits, and the sum is divided by τ before the softmax.")
    # the Gumbel-max trick: argmax of the sample ~ softmax(logits). 40,000 draws: std of a frequency ≤ 0.0025,
    # so 0.015 is 6 standard deviations.
    n = 40000
    u = torch.rand(n, 4, generator=g).clamp(1e-7, 1 - 1e-7)
    freq = torch.bincount(gumbel_softmax(logits[:1].expand(n, 4), u, 1.0).argmax(-1), minlength=4).float() / n
    p = torch.softmax(logits[0], -1)
    assert torch.allclose(freq, p, atol=0.015), f"argmax frequencies {freq.tolist()} do not follow softmax(logits) = {p.tolist()}"
    passed("gumbel_softmax")


def check_is_valid_date(is_valid_date) -> None:
    """``is_valid_date(s)``: True exactly for dates ``YYYY-MM-DD`` from 1900-01-01 to 2099-12-31."""
    cases = {
        "2024-02-29": True, "2000-02-29": True, "1900-01-01": True, "2099-12-31": True, "1999-12-31": True,
        "1900-02-29": False,   # 1900 is a century not divisible by 400
        "2023-02-29": False, "2023-04-31": False, "2023-13-01": False, "2023-00-10": False, "2023-01-00": False,
        "1899-12-31": False, "2100-01-01": False,   # outside the range
        "2023/01/01": False, "20230-1-01": False, "2023-1-011": False, "12-01-2023": False, "----------": False,
        "2023-01-1": False, "2023-01-011": False, "": False, "2023-0a-11": False,
    }
    rng = np.random.default_rng(1)
    for _ in range(300):   # random real dates in range
        d = datetime.date.fromordinal(int(rng.integers(datetime.date(1900, 1, 1).toordinal(), datetime.date(2099, 12, 31).toordinal() + 1)))
        cases[d.isoformat()] = True
    for s, want in cases.items():
        got = is_valid_date(s)
        assert got is want or (isinstance(got, (bool, np.bool_)) and bool(got) == want), (
            f"is_valid_date({s!r}) returned {got!r}, expected {want}")
    passed("is_valid_date")
