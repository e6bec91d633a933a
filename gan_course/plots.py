"""Plotting helpers shared by several lessons: image grids, training curves, Figure 1 animated.

- :func:`image_grid`, :func:`show_images`: introduced in notebook 00 (a first look at MNIST), used by 01, 08, 09;
- :func:`plot_history`: notebook 02 (losses, D(x), D(G(z)) over training), used by 04–09;
- :func:`snapshot`, :func:`figure1_animation`: notebook 02. Figure 1 of Goodfellow et al. (2014) shows, over
  training, the data density p_data (black), the generator's density p_g (green), the discriminator D(x) (blue,
  dashed) and, below, how G maps the noise line z onto the data line x. :func:`snapshot` records one frame from a
  generator/discriminator pair (use it in a ``GANTrainer`` callback); :func:`figure1_animation` turns the frames
  into a ``matplotlib.animation.FuncAnimation`` (show it with ``HTML(anim.to_jshtml())``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import animation


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


# ---------------------------------------------------------------------------------------------- Figure 1

@torch.no_grad()
def snapshot(G, D, step: int, x_grid: np.ndarray, z_line: torch.Tensor, z_samples: torch.Tensor) -> dict:
    """One frame: D(x) on ``x_grid`` (sigmoid of D's logits), G on ``z_line`` ``[L, 1]`` (the
    mapping arrows) and on ``z_samples`` ``[N, 1]`` (the histogram of p_g). Plain numpy inside."""
    x = torch.as_tensor(x_grid, dtype=torch.float32).reshape(-1, 1)
    return {"step": int(step),
            "d": torch.sigmoid(D(x)).reshape(-1).numpy().astype(float),
            "z": z_line.reshape(-1).numpy().astype(float),
            "gz": G(z_line).reshape(-1).numpy().astype(float),
            "samples": G(z_samples).reshape(-1).numpy().astype(float)}


def figure1_animation(frames: list, p_data, x_grid: np.ndarray, z_range=(0.0, 1.0), bins: int = 60,
                      interval: int = 250, dpi: int = 70):
    """Animate ``frames`` (from :func:`snapshot`) like Figure 1 of the paper; returns the animation.

    Top: p_data (black), histogram of G(z) samples (green), D(x) (blue dashes) and ½ (grey).
    Bottom: the z line (lower) and x line (upper), a segment from each z to G(z).
    """
    if not frames:
        raise ValueError("frames is empty: record at least one snapshot")
    if len(frames) > 40:
        raise ValueError(f"{len(frames)} frames: keep animations to <= 40 frames (notebook size)")
    x_grid = np.asarray(x_grid, dtype=float)
    lo, hi = float(x_grid[0]), float(x_grid[-1])
    edges = np.linspace(lo, hi, bins + 1)
    fig, (ax, axm) = plt.subplots(2, 1, figsize=(7, 4.6), dpi=dpi, gridspec_kw={"height_ratios": [3, 1.3]})
    pd = p_data.pdf(x_grid)
    ymax = 1.25 * max(pd.max(), 1e-9)
    zl, zh = z_range

    def z_to_x(z):  # draw the z line under the x range, scaled to it
        return lo + (np.asarray(z) - zl) / (zh - zl) * (hi - lo)

    def draw(i):
        f = frames[i]
        ax.clear()
        axm.clear()
        hist, _ = np.histogram(np.clip(f["samples"], lo, hi), bins=edges, density=True)
        ax.stairs(hist, edges, color="C2", fill=True, alpha=0.35, label="p_g (histogram of G(z))")
        ax.plot(x_grid, pd, "k", lw=2, label="p_data")
        ax.plot(x_grid, f["d"] * ymax, "C0--", lw=2, label="D(x), scaled: top of panel = 1, dotted = ½")
        ax.axhline(0.5 * ymax, color="gray", ls=":", lw=1)
        ax.set_xlim(lo, hi)
        ax.set_ylim(0, ymax)
        ax.set_ylabel("density (1/unit of x)")
        ax.set_title(f"Figure 1, animated: training step {f['step']}")
        ax.legend(loc="upper left", fontsize=8)
        for z, gz in zip(f["z"], f["gz"]):
            axm.plot([z_to_x(z), np.clip(gz, lo, hi)], [0, 1], color="C2", lw=0.8, alpha=0.7)
        axm.axhline(0, color="k", lw=1)
        axm.axhline(1, color="k", lw=1)
        axm.set_xlim(lo, hi)
        axm.set_ylim(-0.2, 1.2)
        axm.set_yticks([0, 1], [f"z ∈ [{zl:g}, {zh:g}]", "x = G(z)"])
        axm.set_xlabel("x (z rescaled onto the same axis)")
        return []

    draw(0)
    fig.tight_layout()
    return animation.FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False)
