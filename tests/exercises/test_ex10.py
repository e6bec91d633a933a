"""Plausible wrong answers to the exercises of notebook 10 are rejected (and right ones accepted)."""

import datetime
import warnings

import numpy as np
import pytest
import torch

from gan_course.exercises import ex10


def _dom(x):
    return np.abs(np.fft.rfft(x, axis=-1))[:, 1:].argmax(1) + 1


def test_dominant_frequency():
    ex10.check_dominant_frequency(_dom)
    wrongs = [lambda x: np.abs(np.fft.rfft(x, axis=-1)).argmax(1),            # DC not skipped
              lambda x: np.abs(np.fft.rfft(x, axis=-1))[:, 1:].argmax(1),     # forgot the +1 after skipping DC
              lambda x: np.abs(np.fft.rfft(x, axis=0))[1:].argmax(0) + 1]     # transform along the wrong axis
    for w in wrongs:
        with pytest.raises(AssertionError):
            ex10.check_dominant_frequency(w)


def _means(x, y, k):
    out = []
    for c in range(k):
        if not np.any(y == c):
            raise ValueError(c)
        out.append(x[y == c].mean(0))
    return np.stack(out)


def test_class_means():
    ex10.check_class_means(_means)
    wrongs = [lambda x, y, k: np.stack([x[y == c].mean(0) for c in range(k)]),      # NaN row instead of an error
              lambda x, y, k: np.stack([x[y == c].mean(1).mean() * np.ones(x.shape[1]) for c in range(k)]),
              lambda x, y, k: np.stack([x[y == c].sum(0) for c in range(k)])]       # sum, not mean
    for w in wrongs:
        with pytest.raises(AssertionError), warnings.catch_warnings():
            warnings.simplefilter("ignore")                                          # numpy's empty-mean warning
            ex10.check_class_means(w)


def test_gumbel_softmax():
    ex10.check_gumbel_softmax(lambda l, u, t: torch.softmax((l - torch.log(-torch.log(u))) / t, -1))
    wrongs = [lambda l, u, t: torch.softmax((l + torch.log(-torch.log(u))) / t, -1),   # noise sign flipped
              lambda l, u, t: torch.softmax(l - torch.log(-torch.log(u)), -1),         # τ ignored
              lambda l, u, t: torch.softmax((l - torch.log(u)) / t, -1),               # exponential, not Gumbel
              lambda l, u, t: torch.softmax((l - torch.log(-torch.log(u))) / t, 0)]    # wrong axis
    for w in wrongs:
        with pytest.raises(AssertionError):
            ex10.check_gumbel_softmax(w)


def _valid(s):
    try:
        d = datetime.date.fromisoformat(s)
    except ValueError:
        return False
    return len(s) == 10 and 1900 <= d.year <= 2099


def test_is_valid_date():
    ex10.check_is_valid_date(_valid)
    def no_leap(s):          # wrong: every February has 28 days
        return _valid(s) and s[5:] != "02-29"
    def every_4th(s):        # wrong: leap every 4th year, 1900 included
        if s == "1900-02-29":
            return True
        return _valid(s)
    def no_range(s):         # wrong: any year
        try:
            datetime.date.fromisoformat(s)
            return len(s) == 10
        except ValueError:
            return False
    def day_31(s):           # wrong: every month has 31 days
        if len(s) == 10 and s[4] == s[7] == "-" and (s[:4] + s[5:7] + s[8:]).isdigit():
            return 1900 <= int(s[:4]) <= 2099 and 1 <= int(s[5:7]) <= 12 and 1 <= int(s[8:]) <= 31
        return False
    for w in (no_leap, every_4th, no_range, day_31):
        with pytest.raises(AssertionError):
            ex10.check_is_valid_date(w)
