"""Interactive explorer of Theorem 1 (Goodfellow et al. 2014): move p_g, watch D*, C(G) and the JSD.

Taught in ``notebooks/03_optimal_discriminator_and_jsd.ipynb``. Sliders (``ipywidgets.interactive``):
μ_g and σ_g of the generator's Gaussian p_g, and the weight and position of a second data mode.
Each move redraws p_data, p_g and D*(x) = p_data/(p_data + p_g) and rewrites a text read-out
``C(G) = …   JSD = …   −log 4 + 2·JSD = …`` (quadrature, :mod:`gan_course.theory.divergences`).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from gan_course.theory.divergences import (
    js_divergence,
    optimal_discriminator,
    virtual_criterion,
)
from gan_course.toy import GaussianMixture1D


def data_density(mu_data: float = 4.0, sigma_data: float = 0.5, w2: float = 0.0, mu2: float = 1.5) -> GaussianMixture1D:
    """p_data = (1 − w2)·N(mu_data, σ²) + w2·N(mu2, σ²); a single Gaussian when ``w2`` = 0."""
    if not 0.0 <= w2 < 1.0:
        raise ValueError(f"the second mode's weight w2 must lie in [0, 1), got {w2!r}")
    if w2 == 0:
        return GaussianMixture1D([mu_data], [sigma_data])
    return GaussianMixture1D([mu_data, mu2], [sigma_data, sigma_data], [1.0 - w2, w2])


def readout(p_data, p_g) -> str:
    """The read-out line: C(G) (V(D*, G) integrated directly), JSD (via KL) and −log 4 + 2·JSD."""
    c, j = virtual_criterion(p_data, p_g), js_divergence(p_data, p_g)
    j = 0.0 if abs(j) < 5e-13 else j  # show quadrature round-off (±1e-17) as 0, not −0.000000
    return f"C(G) = {c:+.6f}   JSD = {j:.6f} nats   −log 4 + 2·JSD = {-math.log(4) + 2 * j:+.6f}"


def draw(p_data, p_g, ax=None, x=None):
    """Plot p_data, p_g (left axis) and D* (right axis, dashed ½ line) on ``ax``; returns the axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    x = np.linspace(-2, 10, 600) if x is None else x
    ax.plot(x, p_data.pdf(x), "k", label="p_data")
    ax.plot(x, p_g.pdf(x), "C1", label="p_g")
    ax.set_xlabel("x")
    ax.set_ylabel("density (1/unit of x)")
    ax2 = ax.twinx()
    ax2.plot(x, optimal_discriminator(p_data, p_g, x), "C0--", label="D*(x)")
    ax2.axhline(0.5, color="gray", ls=":", lw=1)
    ax2.set_ylim(-0.02, 1.02)
    ax2.set_ylabel("D*(x) = P(real | x)")
    lines = ax.get_lines()[:2] + ax2.get_lines()[:1]
    ax.legend(lines, [l.get_label() for l in lines], loc="upper left", fontsize=8)
    return ax, ax2


def cg_explorer(mu_data: float = 4.0, sigma_data: float = 0.5):
    """The explorer widget: sliders μ_g, σ_g, 'mode 2 weight', 'mode 2 at'; a text read-out
    (an ``ipywidgets.HTML`` whose text contains ``C(G) =`` and ``JSD =``) and the plot.
    Returns an ``ipywidgets.VBox``; display it as the last expression of a cell."""
    import ipywidgets as W
    from IPython.display import display

    style = {"description_width": "110px"}
    sliders = {
        "mu_g": W.FloatSlider(value=2.5, min=-1.0, max=9.0, step=0.1, description="μ_g", style=style, continuous_update=False),
        "sigma_g": W.FloatSlider(value=1.0, min=0.1, max=3.0, step=0.05, description="σ_g", style=style, continuous_update=False),
        "w2": W.FloatSlider(value=0.0, min=0.0, max=0.9, step=0.05, description="mode 2 weight", style=style, continuous_update=False),
        "mu2": W.FloatSlider(value=1.5, min=-1.0, max=9.0, step=0.1, description="mode 2 at", style=style, continuous_update=False),
    }
    text = W.HTML()  # the read-out; <pre> keeps the columns aligned

    def update(mu_g, sigma_g, w2, mu2):
        p_data = data_density(mu_data, sigma_data, w2, mu2)
        p_g = GaussianMixture1D([mu_g], [sigma_g])
        text.value = f"<pre>{readout(p_data, p_g)}</pre>"
        fig, ax = plt.subplots(figsize=(8, 3.2))
        draw(p_data, p_g, ax)
        ax.set_title("p_data, p_g and the optimal discriminator D*")
        fig.tight_layout()
        display(fig)
        plt.close(fig)

    ui = W.interactive(update, **sliders)
    return W.VBox([W.HBox([W.VBox(list(ui.children[:2])), W.VBox(list(ui.children[2:4]))]), text, ui.children[-1]])
