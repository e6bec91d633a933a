"""The shipped classifier (data/weights/classifier.pt) reaches >= 99 % on the 10,000 MNIST test images."""

import torch

from gan_course.data import load_mnist, mnist_tensor
from gan_course.mnist.classifier import (
    DEFAULT_WEIGHTS,
    MNISTClassifier,
    accuracy,
    random_shift,
)
from gan_course.mnist.fid import load_classifier


def test_shipped_weights_reach_99_percent():
    assert DEFAULT_WEIGHTS.stat().st_size < 1_000_000  # small enough to ship in git
    model = load_classifier()
    acc = accuracy(model, mnist_tensor("test"), load_mnist("test")[1])
    assert acc >= 0.99, f"test accuracy {acc:.4f} < 0.99"


def test_weights_load_with_weights_only():
    blob = torch.load(DEFAULT_WEIGHTS, map_location="cpu", weights_only=True)
    MNISTClassifier().load_state_dict(blob["state_dict"])  # strict: every key matches


def test_random_shift_keeps_pixels():
    x = torch.full((3, 1, 28, 28), -1.0)
    x[:, :, 14, 14] = 1.0
    out = random_shift(x, 2, torch.Generator().manual_seed(0))
    assert out.shape == x.shape
    assert (out == 1.0).sum(dim=(1, 2, 3)).tolist() == [1, 1, 1]  # the bright pixel moved, not lost
