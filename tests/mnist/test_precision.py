"""``gan_course.mnist.precision``: autocast on the forward pass only, fp32 out, plain nets back."""

import pytest
import torch

from gan_course import nets, precision


def test_autocast_runs_bf16_inside_and_returns_fp32():
    torch.manual_seed(0)
    G = nets.DCGANGenerator(z_dim=8, ngf=4)
    seen = []
    G.net[0].register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    z = torch.randn(3, 8)
    out = precision.Autocast(G)(z)
    assert seen == [torch.bfloat16] and out.dtype == torch.float32 and out.shape == (3, 1, 28, 28)
    ref = G(z)                                                    # same net in fp32
    assert seen[-1] == torch.float32
    assert 0 < (out - ref).abs().max() < 0.1                      # bf16 keeps ~3 significant digits: close, not equal
    out.sum().backward()                                          # gradients reach the fp32 weights
    assert G.net[0].weight.grad.dtype == torch.float32


def test_unwrap_and_bad_dtype():
    D = nets.DCGANDiscriminator(ndf=4)
    wrapped = precision.Autocast(D)
    assert precision.unwrap(wrapped) is D and precision.unwrap(D) is D
    assert list(wrapped.state_dict()) == ["module." + k for k in D.state_dict()]
    with pytest.raises(ValueError, match="torch.float32"):
        precision.Autocast(D, torch.float32)


def test_use_bf16_resolves_one_rule(monkeypatch):
    assert precision.use_bf16("on", "cpu") is True and precision.use_bf16(True, "cpu") is True
    assert precision.use_bf16("off", "cpu") is False and precision.use_bf16(False, "cpu") is False
    monkeypatch.setattr(precision, "native_bf16", lambda device: "native?")
    assert precision.use_bf16("auto", "cpu") == precision.use_bf16(None, "cpu") == "native?"
    with pytest.raises(ValueError, match=r"bf16 must be one of \('auto', 'on', 'off'\).*got 'yes'"):
        precision.use_bf16("yes", "cpu")


def test_autocast_context():
    lin = torch.nn.Linear(4, 4)
    with precision.autocast("cpu", True):
        assert lin(torch.randn(2, 4)).dtype == torch.bfloat16
    with precision.autocast("cpu", False):
        assert lin(torch.randn(2, 4)).dtype == torch.float32
