"""gan_course.mnist.nets: output shapes and ranges, parameter counts, the DCGAN init, input validation."""

import pytest
import torch

from gan_course.mnist.nets import (
    ConditionalDiscriminator,
    ConditionalGenerator,
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
    count_parameters,
    parameter_table,
    weights_init,
)

B = 5


@pytest.mark.parametrize("G, D", [
    (MLPGenerator(), MLPDiscriminator()),
    (MLPGenerator(z_dim=16, hidden=32), MLPDiscriminator(hidden=32)),
    (DCGANGenerator(), DCGANDiscriminator()),
    (DCGANGenerator(z_dim=32, ngf=8), DCGANDiscriminator(ndf=8)),
])
def test_unconditional_shapes(G, D):
    torch.manual_seed(0)
    x = G(torch.randn(B, G.z_dim))
    assert x.shape == (B, 1, 28, 28)
    assert x.min() >= -1 and x.max() <= 1  # Tanh output
    logits = D(x)
    assert logits.shape == (B,)
    D(x).sum().backward()  # differentiable end to end


def test_conditional_shapes():
    G, D = ConditionalGenerator(ngf=8), ConditionalDiscriminator(ndf=8)
    y = torch.tensor([0, 3, 9, 9, 1])
    x = G(torch.randn(B, 100), y)
    assert x.shape == (B, 1, 28, 28) and x.abs().max() <= 1
    assert D(x, y).shape == (B,)


def test_conditional_output_depends_on_label():
    torch.manual_seed(0)
    G, D = ConditionalGenerator(ngf=8).eval(), ConditionalDiscriminator(ndf=8).eval()
    z = torch.randn(2, 100)
    a, b = G(z, torch.tensor([1, 1])), G(z, torch.tensor([7, 7]))
    assert not torch.allclose(a, b)
    assert not torch.allclose(D(a, torch.tensor([1, 1])), D(a, torch.tensor([2, 2])))


def test_parameter_counts():
    # MLP: Linear layers 100→256→512→1024→784 and 784→1024→512→256→1 (weights + biases)
    lin = lambda i, o: i * o + o
    assert count_parameters(MLPGenerator()) == lin(100, 256) + lin(256, 512) + lin(512, 1024) + lin(1024, 784)
    assert count_parameters(MLPDiscriminator()) == lin(784, 1024) + lin(1024, 512) + lin(512, 256) + lin(256, 1)
    # DCGAN, bias-free convs: G 100·256·7² + 256·128·4² + 128·1·4² + BN (2·256 + 2·128)
    assert count_parameters(DCGANGenerator()) == 100 * 256 * 49 + 256 * 128 * 16 + 128 * 16 + 2 * 256 + 2 * 128 == 1_781_504
    # D 1·64·4² + 64·128·4² + 128·1·7² + BN(2·128)
    assert count_parameters(DCGANDiscriminator()) == 64 * 16 + 64 * 128 * 16 + 128 * 49 + 2 * 128 == 138_624
    # conditional: the embedding (10×10) and 10 more input channels
    assert count_parameters(ConditionalGenerator()) == 110 * 256 * 49 + 256 * 128 * 16 + 128 * 16 + 768 + 100
    assert count_parameters(ConditionalDiscriminator()) == 11 * 64 * 16 + 64 * 128 * 16 + 128 * 49 + 256
    table = parameter_table(DCGANGenerator())
    assert table.splitlines()[-1].split()[-1] == "1,781,504"


def test_no_dense_hidden_layers_in_dcgan():
    for net in (DCGANGenerator(), DCGANDiscriminator()):
        assert not any(isinstance(m, torch.nn.Linear) for m in net.modules())


def test_weights_init_statistics():
    torch.manual_seed(0)
    G = DCGANGenerator()
    G.apply(weights_init)
    w = G.net[0].weight
    assert abs(w.mean().item()) < 1e-3 and abs(w.std().item() - 0.02) < 1e-3  # 1.25M draws: SE of std ≈ 1e-5
    bn = G.net[1]
    assert abs(bn.weight.mean().item() - 1) < 0.01 and bn.bias.abs().max() == 0  # 256 draws: SE ≈ 0.0013


def test_bad_inputs_raise_value_error():
    with pytest.raises(ValueError, match="noise"):
        DCGANGenerator()(torch.randn(2, 64))
    with pytest.raises(ValueError, match="images"):
        DCGANDiscriminator()(torch.randn(2, 1, 32, 32))
    with pytest.raises(ValueError, match="labels"):
        ConditionalGenerator(ngf=4)(torch.randn(2, 100), torch.tensor([0, 10]))
    with pytest.raises(ValueError, match="ngf"):
        DCGANGenerator(ngf=0)
    with pytest.raises(ValueError, match="in_channels"):
        DCGANDiscriminator(in_channels=0)


def test_paper_nets_have_no_tuning_switches():
    """The paper's nets take sizes only: the recipe's deeper nets are their own classes (gan_course.mnist.recipe)."""
    import inspect
    assert list(inspect.signature(DCGANGenerator).parameters) == ["z_dim", "ngf"]
    assert list(inspect.signature(DCGANDiscriminator).parameters) == ["ndf", "in_channels"]
    assert all(isinstance(m, (torch.nn.Sequential,)) for m in (DCGANGenerator().net, DCGANDiscriminator().net))
