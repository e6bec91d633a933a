"""The playground's pictures: the 2-D view and the charts, drawn by matplotlib (Agg) into PNG bytes.

One :class:`Renderer` keeps two figures and their artists and only updates their data each frame (no new
figure, no pyplot), so a frame costs one Agg draw and one fast PNG encoding.

- **the view** (square, in data units x₁, x₂): D's output on a grid as a heat map (green: D says real, purple:
  D says fake; P(real) in [0, 1] for the two log losses and least squares, the raw score centred on 0 for hinge
  and WGAN-GP), G's manifold (a grid of the first two noise coordinates warped by G), the real and generated
  samples, and the generator's gradient arrows on some samples (scaled so that the longest is 12 % of the view);
- **the charts** (against the step counter): both losses; the JSD and KL(p_data ‖ p_g) estimates with the
  estimator's floor (log scale); modes captured (as a share of K) and the high-quality share, each with the
  noise baseline as a dashed line.
"""

from __future__ import annotations

import io

import numpy as np
import torch
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from PIL import Image

from gan_course.playground.data import DRAW_BOUNDS
from gan_course.playground.game import LOG_LOSSES, Game

VIEWS = ("heatmap", "manifold", "samples", "arrows")
REAL, FAKE, ARROW, DRAWN = "#1b7837", "#762a83", "#111111", "#e66101"
HEAT_RES = 48          # D is evaluated on HEAT_RES² points
HEAT_CMAP = ListedColormap(0.8 * colormaps["PRGn"](np.linspace(0, 1, 256)) + 0.2, name="PRGn_light")
"""Purple (fake) – white – green (real), lightened so the dots stay visible (an opaque map: cheaper than alpha)."""
SHOW = 300             # samples of each kind drawn
ARROWS = 48


def encode(canvas: FigureCanvasAgg, draw: bool = True, fmt: str = "png") -> bytes:
    """The canvas as ``fmt`` bytes: ``"png"`` (lossless, fast zlib level) or ``"jpeg"`` (quality 90: what the
    widget sends each frame, about 10× faster to encode and 3× smaller). ``draw=False``: the canvas as it is
    (already drawn, e.g. by blitting)."""
    if draw:
        canvas.draw()
    w, h = canvas.get_width_height()
    buf = io.BytesIO()
    im = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    if fmt == "jpeg":
        im.save(buf, format="jpeg", quality=90)
    elif fmt == "png":
        im.save(buf, format="png", compress_level=1)
    else:
        raise ValueError(f"fmt must be 'png' or 'jpeg', got {fmt!r}")
    return buf.getvalue()


def side_by_side(*pngs: bytes) -> bytes:
    """PNG images joined left to right (top-aligned, white background) into one PNG."""
    ims = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    out = Image.new("RGB", (sum(i.width for i in ims), max(i.height for i in ims)), "white")
    x = 0
    for im in ims:
        out.paste(im, (x, 0))
        x += im.width
    buf = io.BytesIO()
    out.save(buf, format="png", optimize=True)
    return buf.getvalue()


def _thin(xs, ys, most: int = 400):
    """At most ``most`` points of a long curve: means over equal chunks (keeps the trend, drops the jitter)."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    if len(xs) <= most:
        return xs, ys
    k = -(-len(xs) // most)
    n = len(xs) // k * k
    return xs[:n].reshape(-1, k).mean(1), ys[:n].reshape(-1, k).mean(1)


class Renderer:
    """Draws a :class:`~gan_course.playground.game.Game`: :meth:`view` and :meth:`charts` return PNG bytes;
    :meth:`to_data` maps a pixel of the last view to data coordinates (for drawing points)."""

    def __init__(self, view_px: int = 400, charts_px: tuple[int, int] = (420, 400), dpi: int = 80):
        # --- the view: static parts (axes, ticks, legend) drawn once per layout and kept as a background;
        # the dynamic artists (animated=True) are drawn over it each frame ("blitting")
        self.fig = Figure(figsize=(view_px / dpi, view_px / dpi), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.add_axes((0.12, 0.09, 0.85, 0.80))
        ax.set_xlabel("x₁", labelpad=1)
        ax.set_ylabel("x₂", labelpad=1)
        ax.tick_params(labelsize=8)
        self.heat = ax.imshow(np.zeros((HEAT_RES, HEAT_RES)), origin="lower", cmap=HEAT_CMAP, vmin=0, vmax=1,
                              interpolation="bilinear", extent=(0, 1, 0, 1), animated=True)
        self.lines = LineCollection([], colors=FAKE, linewidths=0.6, alpha=0.55, animated=True, label="G's manifold")
        ax.add_collection(self.lines)
        self.real = ax.scatter([], [], s=5, c=REAL, edgecolors="none", animated=True, label="real")
        self.fake = ax.scatter([], [], s=5, c=FAKE, edgecolors="none", animated=True, label="generated")
        self.drawn = ax.scatter([], [], s=40, c=DRAWN, marker="x", animated=True, label="your points")
        z = np.zeros(ARROWS)
        self.quiver = ax.quiver(z, z, z, z, color=ARROW, angles="xy", scale_units="xy", scale=1, width=0.004,
                                animated=True, label="G's gradient")
        self.title = self.fig.text(0.12, 0.905, "", fontsize=9, animated=True)
        self.fig.legend(handles=[self.real, self.fake, self.lines, self.quiver], loc="upper center", ncol=4,
                        fontsize=7, markerscale=2, frameon=False, bbox_to_anchor=(0.54, 1.0))
        self.dynamic = (self.heat, self.lines, self.real, self.fake, self.quiver, self.drawn)
        self.background = None
        self.bounds = None
        # --- the charts
        cw, ch = charts_px
        self.cfig = Figure(figsize=(cw / dpi, ch / dpi), dpi=dpi)
        self.ccanvas = FigureCanvasAgg(self.cfig)
        a1, a2, a3 = self.cax = self.cfig.subplots(3, 1, sharex=True)
        self.cfig.subplots_adjust(left=0.15, right=0.97, top=0.95, bottom=0.1, hspace=0.35)
        (self.c_d,) = a1.plot([], [], color=REAL, lw=1, label="D's loss")
        (self.c_g,) = a1.plot([], [], color=FAKE, lw=1, label="G's loss")
        a1.set_ylabel("loss", fontsize=8)
        (self.c_jsd,) = a2.plot([], [], "o-", color="C0", ms=2, lw=1, label="JSD")
        (self.c_kl,) = a2.plot([], [], "o-", color="C1", ms=2, lw=1, label="KL(p_data‖p_g)")
        self.c_jsd0 = a2.axhline(1e-3, color="C0", ls=":", lw=1, label="JSD floor (data vs data)")
        a2.set_yscale("log")
        a2.set_ylabel("nats", fontsize=8)
        (self.c_modes,) = a3.plot([], [], "o-", color="C2", ms=2, lw=1, label="modes / K")
        (self.c_hq,) = a3.plot([], [], "o-", color="C3", ms=2, lw=1, label="high-quality share")
        self.c_modes0 = a3.axhline(0, color="C2", ls="--", lw=1, label="noise: modes / K")
        self.c_hq0 = a3.axhline(0, color="C3", ls="--", lw=1, label="noise: high quality")
        a3.set_ylim(-0.03, 1.03)
        a3.set_ylabel("share", fontsize=8)
        a3.set_xlabel("step", fontsize=8)
        for a in self.cax:
            a.tick_params(labelsize=7)
            a.legend(fontsize=6, loc="upper right", ncol=2, framealpha=0.7)

    # ------------------------------------------------------------------ the view
    def view(self, game: Game, views=VIEWS, drawn=None, draw_mode: bool = False, fmt: str = "png") -> bytes:
        """The view of ``game`` with the named ``views`` on (a subset of :data:`VIEWS`), as ``fmt`` bytes
        (:func:`encode`). ``draw_mode``: show the drawing canvas (:data:`~gan_course.playground.data.DRAW_BOUNDS`)
        with the points ``drawn``."""
        views = set(views)
        bounds = DRAW_BOUNDS if draw_mode else game.bounds
        x0, x1, y0, y1 = bounds
        ax = self.ax
        if bounds != self.bounds or self.background is None:
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            self.heat.set_extent(bounds)
            self.bounds = bounds
            self.canvas.draw()               # the static parts only (the others are animated)
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        pts = np.asarray(drawn if drawn is not None else np.zeros((0, 2)), float).reshape(-1, 2)
        self.drawn.set_offsets(pts)
        self.drawn.set_visible(bool(draw_mode or game.data.name == "drawn") and len(pts) > 0)
        show = (lambda v: v in views and not draw_mode)
        if show("heatmap"):
            gx = torch.linspace(x0, x1, HEAT_RES)
            gy = torch.linspace(y0, y1, HEAT_RES)
            grid = torch.stack(torch.meshgrid(gx, gy, indexing="xy"), -1).reshape(-1, 2)
            d = game.d_on(grid).reshape(HEAT_RES, HEAT_RES).numpy()
            if not np.all(np.isfinite(d)):
                d = np.nan_to_num(d, nan=0.5 if game.settings.loss in LOG_LOSSES else 0.0)
            self.heat.set_data(d)
            if game.settings.loss in LOG_LOSSES or game.settings.loss == "least_squares":
                self.heat.set_clim(0, 1)
            else:
                top = float(np.abs(d).max()) or 1.0
                self.heat.set_clim(-top, top)
        self.heat.set_visible(show("heatmap"))
        if show("samples"):
            self.real.set_offsets(game.eval_real[:SHOW].numpy())
            self.fake.set_offsets(np.nan_to_num(game.samples(SHOW).numpy()))
        self.real.set_visible(show("samples"))
        self.fake.set_visible(show("samples"))
        if show("manifold"):
            self.lines.set_segments(list(np.nan_to_num(game.manifold())))
        self.lines.set_visible(show("manifold"))
        if show("arrows"):
            x, g = game.arrows(ARROWS)
            x, g = np.nan_to_num(x), np.nan_to_num(g)
            longest = float(np.linalg.norm(g, axis=1).max())
            g = g * (0.12 * (x1 - x0) / longest) if longest > 0 else g
            self.quiver.set_offsets(x)
            self.quiver.set_UVC(g[:, 0], g[:, 1])
        self.quiver.set_visible(show("arrows"))
        if draw_mode:
            self.title.set_text(f"draw mode: click or drag to add points ({len(pts)} so far)")
        else:
            what = "D(x) = P(real)" if game.settings.loss in LOG_LOSSES else (
                "D's score (1 real, 0 fake)" if game.settings.loss == "least_squares" else "D's score")
            self.title.set_text(f"step {game.steps} · {game.data.name} · heat map: {what}")
        self.canvas.restore_region(self.background)
        for a in self.dynamic:
            if a.get_visible():
                ax.draw_artist(a)
        self.fig.draw_artist(self.title)
        return encode(self.canvas, draw=False, fmt=fmt)

    def to_data(self, px: float, py: float):
        """Data coordinates ``(x, y)`` of the pixel ``(px, py)`` of the last view (origin top left, as in the
        PNG), or ``None`` when it is outside the axes."""
        h = self.canvas.get_width_height()[1]
        box = self.ax.get_window_extent()
        fx, fy = (px - box.x0) / box.width, (h - py - box.y0) / box.height
        if not (0 <= fx <= 1 and 0 <= fy <= 1):
            return None
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        return (x0 + fx * (x1 - x0), y0 + fy * (y1 - y0))

    def to_pixel(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of :meth:`to_data`: the PNG pixel (origin top left) of the data point ``(x, y)``."""
        h = self.canvas.get_width_height()[1]
        box = self.ax.get_window_extent()
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        return (box.x0 + (x - x0) / (x1 - x0) * box.width, h - (box.y0 + (y - y0) / (y1 - y0) * box.height))

    # ------------------------------------------------------------------ the charts
    def charts(self, game: Game, fmt: str = "png") -> bytes:
        """The three charts of ``game``'s history (losses every step; metrics as recorded), as ``fmt`` bytes."""
        h = game.history
        if h["step"]:
            self.c_d.set_data(*_thin(h["step"], h["d_loss"]))
            self.c_g.set_data(*_thin(h["step"], h["g_loss"]))
        else:
            self.c_d.set_data([], [])
            self.c_g.set_data([], [])
        mh = game.metric_history
        st = [m["step"] for m in mh]
        self.c_jsd.set_data(st, [max(m["jsd"], 1e-6) for m in mh])
        self.c_kl.set_data(st, [min(max(m["kl"], 1e-6), 1e3) for m in mh])
        self.c_modes.set_data(st, [m["modes"] / m["n_modes"] for m in mh])
        self.c_hq.set_data(st, [m["high_quality"] for m in mh])
        b, K = game.baseline, len(game.data.centers)
        self.c_jsd0.set_ydata([max(b["jsd_floor"], 1e-6)] * 2)
        self.c_modes0.set_ydata([b["modes"] / K] * 2)
        self.c_hq0.set_ydata([b["high_quality"]] * 2)
        last = max(st[-1] if st else 0, h["step"][-1] if h["step"] else 0, 10)
        for a in self.cax:
            a.set_xlim(0, last * 1.02)
        a1, a2, _ = self.cax
        a1.relim()
        a1.autoscale_view(scalex=False)
        vals = [v for m in mh for v in (m["jsd"], m["kl"]) if np.isfinite(v) and v > 0] + [max(b["jsd_floor"], 1e-6)]
        a2.set_ylim(min(vals) / 2, max(max(vals) * 2, 1.0))
        return encode(self.ccanvas, fmt=fmt)

    def snapshot(self, game: Game, views=VIEWS, drawn=None) -> bytes:
        """The view and the charts side by side, one PNG (the still shown where widgets cannot run)."""
        return side_by_side(self.view(game, views, drawn), self.charts(game))
