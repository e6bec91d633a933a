"""Checks for the exercises of ``notebooks/09_conditional_gan.ipynb`` (conditional GAN, progressive growing)."""

from __future__ import annotations

import torch

from . import passed


def check_label_planes(label_planes) -> None:
    """``label_planes(labels [B], n_classes, size) -> [B, n_classes, size, size]``: the one-hot code of each label
    broadcast over a size×size image — the extra input channels of a conditional D (Mirza & Osindero 2014)."""
    for labels, n, size in ((torch.tensor([0, 3, 9]), 10, 28), (torch.tensor([1, 1, 0, 2]), 3, 5), (torch.tensor([4]), 5, 1)):
        got = torch.as_tensor(label_planes(labels, n, size))
        want = torch.nn.functional.one_hot(labels, n).float()[:, :, None, None].expand(-1, -1, size, size)
        assert tuple(got.shape) == tuple(want.shape), (
            f"labels {labels.tolist()}, n_classes={n}, size={size}: expected shape {tuple(want.shape)}, got "
            f"{tuple(got.shape)}. Hint: one channel per class, each a constant size×size plane.")
        assert torch.allclose(got.float(), want), (
            f"labels {labels.tolist()}: channel c of image i must be all ones when labels[i] == c and all zeros "
            "otherwise. Hint: torch.nn.functional.one_hot(labels, n_classes), then [:, :, None, None].expand(...).")
    passed("label_planes")


def check_grid_labels(grid_labels) -> None:
    """``grid_labels(digits, per_row) -> LongTensor [len(digits)·per_row]``: labels for a grid drawn row by row
    (``nrow = per_row``) where row i shows ``per_row`` samples of digit ``digits[i]``."""
    for digits, per_row in (([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10), ([7, 2], 3), ([5], 4)):
        got = torch.as_tensor(grid_labels(digits, per_row))
        want = torch.tensor(digits).repeat_interleave(per_row)
        assert got.shape == want.shape, f"grid_labels({digits}, {per_row}): expected {len(want)} labels, got shape {tuple(got.shape)}"
        hint = (" It looks like one COLUMN per digit (torch.tensor(digits).repeat(per_row)): the grid is filled row by row, "
                "so each digit must repeat per_row times in a row (repeat_interleave).") \
            if torch.equal(got, torch.tensor(digits).repeat(per_row)) else ""
        assert torch.equal(got.long(), want), f"grid_labels({digits}, {per_row}) = {got.tolist()}, expected {want.tolist()}.{hint}"
    passed("grid_labels")
