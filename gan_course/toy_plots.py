"""Plots for 1-D GANs: the animated Figure 1 of Goodfellow et al. (2014).

Taught in ``notebooks/02_the_gan_game.ipynb``. Figure 1 of the paper shows, over training, the
data density p_data (black), the generator's density p_g (green), the discriminator D(x) (blue,
dashed) and, below, how G maps the noise line z onto the data line x. :func:`snapshot` records one
frame from a generator/discriminator pair (use it in a ``GANTrainer`` callback); :func:`figure1_animation`
turns the frames into a ``matplotlib.animation.FuncAnimation`` (show it with ``HTML(anim.to_jshtml())``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib import animation


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
