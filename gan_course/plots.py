"""Plotting helpers shared by several lessons: image grids and training curves.

``image_grid`` is introduced in notebook 00 (a first look at MNIST) and used by 01, 08, 09;
``plot_history`` in notebook 02 (losses, D(x), D(G(z)) over training) and used by 04–09.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch


def image_grid(images, nrow: int = 10, pad: int = 1, pad_value: float = 1.0) -> np.ndarray:
    """Tile ``[N, 1, H, W]`` or ``[N, H, W]`` images (uint8 0..255 or float in [-1, 1]) into one
    float array ``[rows·(H+pad)−pad, nrow·(W+pad)−pad]`` in [0, 1] (0 = black); padding and
    empty cells take ``pad_value``."""
    x = torch.as_tensor(images).detach().cpu()
    if x.ndim == 4:
        if x.shape[1] != 1:
            raise ValueError(f"image_grid takes 1-channel images [N, 1, H, W], got {tuple(x.shape)}")
        x = x[:, 0]
    if x.ndim != 3 or len(x) == 0:
        raise ValueError(f"images must be [N, H, W] or [N, 1, H, W] with N >= 1, got {tuple(x.shape)}")
    if nrow < 1:
        raise ValueError(f"nrow must be >= 1, got {nrow}")
    x = x.float() / 255.0 if x.dtype == torch.uint8 else (x.float().clamp(-1, 1) + 1) / 2
    n, h, w = x.shape
    rows = -(-n // nrow)
    grid = np.full((rows * (h + pad) - pad, nrow * (w + pad) - pad), pad_value, dtype=np.float32)
    for i in range(n):
        r, c = divmod(i, nrow)
        grid[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = x[i].numpy()
    return grid


def show_images(images, nrow: int = 10, title: str | None = None, ax=None, invert: bool = True):
    """Draw :func:`image_grid` of ``images`` (dark digits on white when ``invert``); returns the axes."""
    if ax is None:
        n = len(images)
        _, ax = plt.subplots(figsize=(min(nrow, n) * 0.6 + 0.4, -(-n // nrow) * 0.6 + 0.6))
    g = image_grid(images, nrow, pad_value=0.0 if invert else 1.0)  # padding = background
    ax.imshow(1 - g if invert else g, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_history(history: dict, keys=(("d_loss", "g_loss"), ("d_real", "d_fake")), smooth: int = 1, axes=None):
    """Plot a ``GANTrainer.history``: one panel per group of keys, against the step.

    Default panels: the two losses, and the mean D(x) vs D(G(z)) (½ is the equilibrium of the
    minimax game, notebook 03). ``smooth`` > 1 applies a moving average of that many steps.
    """
    labels = {"d_loss": "discriminator loss", "g_loss": "generator loss", "d_real": "D(x), real",
              "d_fake": "D(G(z)), fake", "d_grad_norm": "‖∇D‖", "g_grad_norm": "‖∇G‖"}
    if axes is None:
        _, axes = plt.subplots(1, len(keys), figsize=(5 * len(keys), 3.2))
    axes = np.atleast_1d(axes)
    steps = np.asarray(history["step"])
    for ax, group in zip(axes, keys):
        for k in group:
            v = np.asarray(history[k], dtype=float)
            if smooth > 1 and len(v) >= smooth:
                v = np.convolve(v, np.ones(smooth) / smooth, mode="valid")
            ax.plot(steps[len(steps) - len(v):], v, label=labels.get(k, k))
        ax.set_xlabel("training step")
        ax.legend()
        ax.grid(alpha=0.3)
    if tuple(keys[-1]) == ("d_real", "d_fake"):
        axes[-1].axhline(0.5, color="gray", ls=":", lw=1)
        axes[-1].set_ylabel("mean discriminator output")
        axes[-1].set_ylim(0, 1)
    axes[0].set_ylabel("loss")
    plt.tight_layout()
    return axes
