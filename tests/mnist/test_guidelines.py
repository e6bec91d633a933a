"""gan_course.mnist.guidelines: the DCGAN variants change exactly the layers they name; the effective number."""

import numpy as np
import pytest
import torch
from torch import nn

from gan_course.metrics import effective_number
from gan_course.mnist.guidelines import VARIANTS, run_variant, variant_nets
from gan_course.mnist.nets import DCGANDiscriminator, DCGANGenerator


def _kinds(net):
    return [type(layer).__name__ for layer in net.net]


def test_variants_change_only_the_layers_they_name():
    paper_g, paper_d = _kinds(DCGANGenerator(ngf=8)), _kinds(DCGANDiscriminator(ndf=8))
    for variant, (activation, batchnorm) in VARIANTS.items():
        G, D = variant_nets(variant, width=8)
        g, d = _kinds(G), _kinds(D)
        assert len(g) == len(paper_g) and len(d) == len(paper_d)     # same depth: one layer swapped for another
        want_d = [("ReLU" if k == "LeakyReLU" and activation == "relu" else k) for k in paper_d]
        want_d = [("Identity" if k == "BatchNorm2d" and not batchnorm else k) for k in want_d]
        want_g = [("Identity" if k == "BatchNorm2d" and not batchnorm else k) for k in paper_g]
        assert (g, d) == (want_g, want_d), variant
        assert G(torch.randn(3, 100)).shape == (3, 1, 28, 28) and D(torch.randn(3, 1, 28, 28)).shape == (3,)
    # the paper's variant is the paper's nets
    assert _kinds(variant_nets("paper", 8)[1]) == paper_d and "LeakyReLU" in paper_d and "BatchNorm2d" in paper_g
    with pytest.raises(ValueError, match="variant must be one of"):
        variant_nets("no_leaky", 8)


def test_variant_nets_use_the_papers_initialisation():
    torch.manual_seed(0)
    G, _ = variant_nets("no_batchnorm", width=16)
    w = G.net[0].weight
    assert abs(w.std().item() - 0.02) < 1e-3 and not any(isinstance(m, nn.BatchNorm2d) for m in G.modules())


def test_effective_number():
    assert effective_number([5, 5, 5, 5]) == pytest.approx(4)
    assert effective_number([0, 7, 0]) == pytest.approx(1)
    p = np.array([0.5, 0.25, 0.25])
    assert effective_number(p * 100) == pytest.approx(np.exp(-(p * np.log(p)).sum()))
    for bad in ([0, 0], [-1, 2], [[1, 2]]):
        with pytest.raises(ValueError, match="counts must be"):
            effective_number(bad)


def test_run_variant_returns_a_judged_row():
    from gan_course.data import mnist_tensor
    from gan_course.mnist.quality import real_vs_real
    images = mnist_tensor("train")[:512]
    reference = real_vs_real(mnist_tensor("test"), 50, seed=0)
    row = run_variant("relu_in_d", seed=0, steps=3, images=images, reference=reference, width=4, n_eval=50)
    assert row["variant"] == "relu_in_d" and row["steps"] == 3 and sum(row["histogram"]) == 50
    assert row["fid_ratio"] == pytest.approx(row["fid"] / reference["fid"])
    assert 1 <= row["effective_digits"] <= 10 and 0 <= row["near_duplicates"] <= 1
