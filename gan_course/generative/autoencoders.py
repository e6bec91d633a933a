"""An autoencoder and a variational autoencoder on MNIST: generators that learn alone.

Taught in ``notebooks/01_generative_models.ipynb``, to show why a generator needs a teacher:
decoding random latent points of a plain autoencoder gives poor samples; a VAE (Kingma &
Welling 2014) adds a KL term that shapes the latent space, so decoding z ~ N(0, I) works, but its
pixel-wise reconstruction loss makes the samples blurry.

Shapes: images ``[B, 1, 28, 28]`` in [-1, 1]; latents ``[B, z_dim]``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm


def _mlp(sizes, out_act=None):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    layers = layers[:-1]
    if out_act is not None:
        layers.append(out_act)
    return nn.Sequential(*layers)


class AutoEncoder(nn.Module):
    """x ``[B,1,28,28]`` → encoder → z ``[B, z_dim]`` → decoder → x̂ (Tanh, [-1, 1]).
    Loss: mean squared reconstruction error. Nothing says where in z-space the codes lie."""

    def __init__(self, z_dim: int = 8, hidden: int = 256):
        super().__init__()
        if z_dim < 1 or hidden < 1:
            raise ValueError(f"z_dim and hidden must be >= 1, got z_dim={z_dim}, hidden={hidden}")
        self.z_dim = z_dim
        self.encoder = _mlp([784, hidden, z_dim])
        self.decoder = _mlp([z_dim, hidden, 784], nn.Tanh())

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(1))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z).view(-1, 1, 28, 28)

    def loss(self, x: torch.Tensor, generator=None) -> torch.Tensor:
        return F.mse_loss(self.decode(self.encode(x)), x)


class VAE(AutoEncoder):
    """Variational autoencoder: the encoder gives q(z|x) = N(μ(x), diag σ²(x)); loss = the negative
    ELBO per image (up to a constant), reconstruction (Gaussian decoder with std ``decoder_std``:
    squared error / (2·decoder_std²) summed over pixels)
    + KL(q(z|x) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²)."""

    def __init__(self, z_dim: int = 8, hidden: int = 256, decoder_std: float = 0.7):
        super().__init__(z_dim, hidden)
        if decoder_std <= 0:
            raise ValueError(f"decoder_std must be > 0, got {decoder_std}")
        self.decoder_std = decoder_std
        self.encoder = _mlp([784, hidden, 2 * z_dim])   # → (μ, log σ²)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x.flatten(1))[:, : self.z_dim]   # the mean code μ(x)

    def loss(self, x: torch.Tensor, generator=None) -> torch.Tensor:
        mu, logvar = self.encoder(x.flatten(1)).chunk(2, dim=1)
        eps = torch.randn(mu.shape, generator=generator, device=mu.device)
        z = mu + (0.5 * logvar).exp() * eps                  # reparameterisation trick
        rec = ((self.decode(z) - x) ** 2).flatten(1).sum(1) / (2 * self.decoder_std**2)
        kl = 0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum(1)
        return (rec + kl).mean()


def train_autoencoder(model: AutoEncoder, data: torch.Tensor, epochs: int = 3, batch_size: int = 128,
                      lr: float = 2e-3, generator: torch.Generator | None = None, desc: str = "autoencoder") -> list:
    """Minimise ``model.loss`` over ``data`` ``[N, 1, 28, 28]`` with Adam; returns the loss per step."""
    if epochs < 0 or batch_size < 1:
        raise ValueError(f"epochs must be >= 0 and batch_size >= 1, got {epochs}, {batch_size}")
    if data.ndim != 4 or tuple(data.shape[1:]) != (1, 28, 28):
        raise ValueError(f"data must be [N, 1, 28, 28] MNIST images, got {tuple(data.shape)}")
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    model.train()
    n = len(data)
    for _ in tqdm(range(epochs), desc=desc, leave=False):
        perm = torch.randperm(n, generator=generator)
        for i in range(0, n - batch_size + 1, batch_size):
            loss = model.loss(data[perm[i:i + batch_size]], generator=generator)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    model.eval()
    return losses
