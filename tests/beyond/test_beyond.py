"""Helpers of notebook 10: signals, tabular rows, discrete sequences."""

import numpy as np
import pytest
import torch

from gan_course import sequences as seq
from gan_course import signals as sig
from gan_course import tabular as tab

# --- signals -------------------------------------------------------------------------------------

def test_two_tone_shape_and_dominant_frequency():
    g = torch.Generator().manual_seed(0)
    x = sig.two_tone(500, length=64, generator=g)
    assert x.shape == (500, 1, 64)
    dom = sig.dominant_frequency(x)
    # the strong tone f1 ~ U[2, 8] rounds to bins 2..8; the weaker tone (amplitude 0.3 vs 0.6) never wins
    assert dom.min() >= 2 and dom.max() <= 8
    assert set(range(3, 8)) <= set(dom.tolist())


def test_two_tone_rejects_bad_input():
    with pytest.raises(ValueError, match="multiple of 8"):
        sig.two_tone(4, length=60)
    with pytest.raises(ValueError, match="f2_range"):
        sig.two_tone(4, length=32, f2_range=(10.0, 20.0))   # above Nyquist (16)
    with pytest.raises(ValueError, match="noise"):
        sig.two_tone(4, noise=-0.1)
    with pytest.raises(ValueError, match="n must be"):
        sig.two_tone(0)


def test_power_spectrum_of_a_pure_tone():
    n = torch.arange(64, dtype=torch.float64)
    x = torch.sin(2 * np.pi * 5 * n / 64).view(1, 1, 64).float()
    p = sig.power_spectrum(x)
    assert p.shape == (1, 33)
    # Parseval: a unit sine has mean power 1/2; |X[5]|²/L = L/4 = 16 and bin 5 holds (almost) all of it
    assert p[0, 5] == pytest.approx(16.0, rel=1e-5)
    assert p[0].sum() - p[0, 5] < 1e-6
    assert sig.dominant_frequency(x).tolist() == [5]


def test_histogram_overlap_extremes():
    bins = np.arange(0.5, 10.5)
    a = np.array([1, 2, 3, 3])
    assert sig.histogram_overlap(a, a, bins) == pytest.approx(1.0)
    assert sig.histogram_overlap(a, np.array([7, 8]), bins) == 0.0
    assert sig.histogram_overlap(np.array([1, 2]), np.array([2, 3]), bins) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="no value inside"):
        sig.histogram_overlap(a, np.array([20]), bins)


def test_signal_nets_shapes():
    G, D = sig.SignalGenerator(z_dim=8, length=32, width=4), sig.SignalDiscriminator(length=32, width=4)
    x = G(torch.randn(5, 8))
    assert x.shape == (5, 1, 32)
    assert D(x).shape == (5,)
    with pytest.raises(ValueError, match=r"\[B, 8\]"):
        G(torch.randn(5, 9))
    with pytest.raises(ValueError, match=r"\[B, 1, 32\]"):
        D(torch.randn(5, 1, 64))


# --- tabular -------------------------------------------------------------------------------------

def test_wine_split_sizes_and_standardisation():
    x_tr, y_tr, x_te, y_te = tab.load_wine_split(5, seed=3)
    assert x_tr.shape == (15, 13) and x_te.shape == (163, 13)
    assert np.bincount(y_tr).tolist() == [5, 5, 5]
    np.testing.assert_allclose(x_tr.mean(0), 0, atol=1e-9)     # standardised with the training subset
    np.testing.assert_allclose(x_tr.std(0), 1, atol=1e-6)
    assert abs(x_te.mean()) < 1.0 and not np.allclose(x_te.mean(0), 0)  # the test set is not re-standardised
    again = tab.load_wine_split(5, seed=3)
    np.testing.assert_array_equal(again[0], x_tr)              # a seed gives the same split
    with pytest.raises(ValueError, match="n_per_class"):
        tab.load_wine_split(1)
    with pytest.raises(ValueError, match="n_per_class"):
        tab.load_wine_split(45)                               # the smallest class has 48 rows


def test_row_gan_carries_the_label():
    x, y = np.random.default_rng(0).normal(size=(12, 4)), np.array([0, 1, 2] * 4)
    sample_real, sample_noise = tab.samplers(x, y, z_dim=6)
    g = torch.Generator().manual_seed(0)
    real, zc = sample_real(32, g), sample_noise(32, g)
    assert real.shape == (32, 4 + 3) and zc.shape == (32, 6 + 3)
    assert torch.equal(real[:, 4:].sum(1), torch.ones(32))      # one-hot label appended to each real row
    G, D = tab.RowGenerator(4, 3, z_dim=6, hidden=8), tab.RowDiscriminator(4, 3, hidden=8)
    out = G(zc)
    assert out.shape == (32, 7) and torch.equal(out[:, 4:], zc[:, 6:])   # G passes the requested label through
    assert D(out).shape == (32,)
    rows = tab.synthesize(G, [2, 0, 1])
    assert rows.shape == (3, 4) and rows.dtype == np.float64
    with pytest.raises(ValueError, match=r"\[B, 9\]"):
        G(torch.randn(2, 6))


# --- sequences -----------------------------------------------------------------------------------

def test_encode_decode_roundtrip():
    s = ["2024-02-29", "1900-01-01"]
    x = seq.encode(s)
    assert x.shape == (2, 10, 11) and torch.equal(x.sum(-1), torch.ones(2, 10))
    assert seq.decode(x) == s
    with pytest.raises(ValueError, match="10 characters"):
        seq.encode(["2024/02/29"])
    with pytest.raises(ValueError, match=r"\[B, 10, 11\]"):
        seq.decode(torch.zeros(2, 10, 10))


@pytest.mark.parametrize("s,ok", [("2024-02-29", True), ("2000-02-29", True), ("1900-02-29", False),
                                  ("2023-04-31", False), ("2023-13-01", False), ("1899-12-31", False),
                                  ("2100-01-01", False), ("2099-12-31", True), ("20-3-01-01", False), ("abcd", False)])
def test_is_valid_date(s, ok):
    assert seq.is_valid_date(s) is ok


def test_random_dates_and_scores():
    d = seq.random_dates(1000, torch.Generator().manual_seed(0))
    assert all(seq.is_valid_date(s) for s in d)
    years = np.array([int(s[:4]) for s in d])
    assert years.min() < 1920 and years.max() > 2080             # the whole range is used
    sc = seq.validity_and_diversity(d[:10] + ["2023-02-30"] * 10)
    assert sc == {"valid": 0.5, "distinct": 11 / 20, "distinct_valid": 10 / 20}
    with pytest.raises(ValueError):
        seq.validity_and_diversity([])


def test_gumbel_generator_gives_one_hots_and_gradients():
    G, D = seq.SequenceGenerator(z_dim=4, hidden=8), seq.SequenceDiscriminator(hidden=8)
    x = G(torch.randn(6, 4))
    assert x.shape == (6, 10, 11)
    assert set(x.detach().flatten().tolist()) == {0.0, 1.0} and torch.equal(x.detach().sum(-1), torch.ones(6, 10))
    D(x).sum().backward()
    assert G.net[0].weight.grad is not None and G.net[0].weight.grad.abs().sum() > 0
    soft = seq.SequenceGenerator(z_dim=4, hidden=8, hard=False)(torch.randn(6, 4))
    assert ((soft > 0) & (soft < 1)).any()                        # hard=False: relaxed, not one-hot
    with pytest.raises(ValueError, match="tau"):
        seq.SequenceGenerator(tau=0)


def test_date_sampler():
    s = seq.DateSampler(50, generator=torch.Generator().manual_seed(0))
    batch = s(7, torch.Generator().manual_seed(1))
    assert batch.shape == (7, 10, 11)
    assert all(seq.is_valid_date(t) for t in seq.decode(batch))
