"""Notebook 09's checks reject plausible wrong answers."""

import pytest
import torch

from gan_course.exercises.ex09 import check_grid_labels, check_label_planes


def test_reference_passes():
    check_label_planes(lambda y, n, s: torch.nn.functional.one_hot(y, n).float()[:, :, None, None].expand(-1, -1, s, s))
    check_grid_labels(lambda d, k: torch.tensor(d).repeat_interleave(k))


def test_columns_instead_of_rows_rejected():
    with pytest.raises(AssertionError, match="COLUMN"):
        check_grid_labels(lambda d, k: torch.tensor(d).repeat(k))


def test_label_value_plane_rejected():
    # a single channel holding the label value is not a one-hot code
    with pytest.raises(AssertionError, match="shape"):
        check_label_planes(lambda y, n, s: y.float()[:, None, None, None].expand(-1, 1, s, s))


def test_off_by_one_rejected():
    with pytest.raises(AssertionError):
        check_label_planes(lambda y, n, s: torch.nn.functional.one_hot((y + 1) % n, n).float()[:, :, None, None].expand(-1, -1, s, s))
