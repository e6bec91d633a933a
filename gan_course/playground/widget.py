"""The playground widget: a 2-D GAN you can watch, pause, step and change while it trains (notebook 11).

``Playground(preset, **settings)`` wraps a :class:`~gan_course.playground.game.Game` and a
:class:`~gan_course.playground.render.Renderer`. Displayed in JupyterLab it is a set of ipywidgets: the view and
the charts (``ipywidgets.Image``, frames drawn by matplotlib's Agg, sent as JPEG), the controls, and a drawing canvas
(mouse events on the view come from ``ipyevents``). Every button calls a public method, so a script drives the
very same code:

- ``run(steps)``: train ``steps`` steps now (blocking; what the notebook's asserts use);
- ``play()`` / ``pause()``: train in the background, one frame per ``steps_per_frame`` steps, as an asyncio task
  on the kernel's event loop that yields to it after every frame — widget events (a slider moved, Pause
  pressed) are handled between two frames, so the kernel never blocks;
- ``step("d" | "g" | "both")``, ``reset()``, ``load(preset)``, ``update(**settings)``;
- ``add_point(x, y)``, ``clear_points()``, ``use_drawn()``: draw your own data;
- ``state()``, ``metrics()``: plain dicts; ``snapshot()``: a still (PNG) of the view and the charts.

**Frames.** A frame = ``steps_per_frame`` training steps (default 1), the view redrawn and sent; the charts are
redrawn when a new metrics point is recorded (every ``metrics_every`` steps). ``slow motion`` waits
:data:`SLOW_SECONDS` between frames. :mod:`gan_course.playground.bench` measures frames per second.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import math
import time
import traceback

import torch

from gan_course.playground.data import DATASETS, make_data
from gan_course.playground.game import LOSSES, NOISES, OPTIMISERS, Game, Settings
from gan_course.playground.presets import DESCRIPTIONS, PRESETS
from gan_course.playground.presets import preset as preset_settings
from gan_course.playground.render import VIEWS, Renderer

SLOW_SECONDS = 0.5
FRAME_FORMAT = "jpeg"    # live frames: JPEG encodes ~10x faster than PNG and is ~3x smaller; stills are PNG
MIN_POINT_GAP = 0.08     # data units between two points added by one drag


@contextlib.contextmanager
def torch_threads(n: int | None):
    """Run the block with ``n`` PyTorch threads (``None``: as they are), then restore the number."""
    old = torch.get_num_threads()
    if not n or n == old:
        yield
        return
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _guarded(method):
    """A widget callback that reports its exception in the status line instead of the kernel log."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as e:  # noqa: BLE001 - shown to the learner, the traceback kept in self.errors
            self.errors.append(traceback.format_exc())
            self.say(f"error: {type(e).__name__}: {e}", error=True)
    return wrapper


class Playground:
    """A live 2-D GAN (see the module docstring). ``preset``: a name of
    :data:`gan_course.playground.presets.PRESETS`; ``settings`` override it (:class:`Settings` fields).

    ``threads``: PyTorch threads while the playground computes (default 1: for nets this small one thread is
    faster than two, and on a busy 2-core machine two threads wait on each other, 10× slower); the number is
    restored after each frame, ``run`` or step, so the rest of the notebook keeps its own."""

    def __init__(self, preset: str | None = "default", *, n_eval: int = 2500, metrics_every: int = 25,
                 steps_per_frame: int = 1, views=VIEWS, threads: int | None = 1, **settings):
        if int(metrics_every) < 1:
            raise ValueError(f"metrics_every must be >= 1, got {metrics_every!r}")
        base = preset_settings(preset) if preset else {}
        self.preset = preset
        self.threads = threads
        self.game = Game(Settings(**{**base, **settings}), n_eval=n_eval)
        self.renderer = Renderer()
        self.views = [v for v in VIEWS if v in set(views)]
        self.metrics_every = int(metrics_every)
        self.steps_per_frame = int(steps_per_frame)
        self.slow = False
        self.playing = False
        self.frames = 0
        self.draw_mode = False
        self.drawn_points: list[tuple[float, float]] = []
        self.errors: list[str] = []
        self.message = ""
        self._task = None
        self._ui = None
        self._syncing = False
        self.charts_stale = False
        self.game.record_metrics()

    # ================================================================== scripted use
    def run(self, steps: int, progress: bool = False):
        """Train ``steps`` steps of both players now (blocking); metrics every ``metrics_every`` steps.
        ``progress``: a tqdm bar. Returns ``self``."""
        if int(steps) != steps or steps < 0:
            raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
        if progress:
            from tqdm.auto import tqdm
            it = tqdm(range(int(steps)), desc="training", leave=False)
        else:
            it = range(int(steps))
        with torch_threads(self.threads):
            for _ in it:
                self.advance("both")
        self.refresh(charts=True)
        return self

    def advance(self, what: str = "both") -> None:
        """One step without redrawing (what ``run`` and the Play loop repeat); marks the charts stale when a
        metrics point is recorded."""
        self.game.step(what)
        if self.game.steps % self.metrics_every == 0:
            self.game.record_metrics()
            self.charts_stale = True

    def step(self, what: str = "both") -> int:
        """One step (``"both"``, ``"d"`` or ``"g"``); the counter moves by one. Returns the counter."""
        with torch_threads(self.threads):
            self.advance(what)
        self.refresh(charts=True)
        return self.game.steps

    def metrics(self) -> dict:
        """:meth:`Game.metrics` now (losses, mode metric, JSD and KL, the noise baseline)."""
        return self.game.metrics()

    def state(self) -> dict:
        """:meth:`Game.state` plus the playground's own: playing, frames, views, draw mode, drawn points."""
        return {**self.game.state(), "preset": self.preset, "playing": self.playing, "frames": self.frames,
                "views": list(self.views), "draw_mode": self.draw_mode, "drawn_points": list(self.drawn_points),
                "steps_per_frame": self.steps_per_frame, "slow": self.slow, "errors": len(self.errors)}

    def update(self, mixture=None, **settings) -> list[str]:
        """Change settings now, training or not (:meth:`Game.update`); returns what was rebuilt."""
        rebuilt = self.game.update(mixture, **settings)
        if "data" in rebuilt:
            self.game.record_metrics()
        self.sync_controls()
        self.refresh(charts=True)
        return rebuilt

    def load(self, name: str) -> None:
        """Start the preset ``name`` from step 0 (the seed is kept)."""
        s = Settings(**{**preset_settings(name), "seed": self.game.settings.seed})
        self.preset = name
        self.game = Game(s, n_eval=self.game.n_eval)
        self.game.record_metrics()
        self.sync_controls()
        self.refresh(charts=True)

    def reset(self) -> None:
        """Fresh networks (same settings and seed), counter back to 0."""
        self.game.reset()
        self.game.record_metrics()
        self.frames = 0
        self.refresh(charts=True)

    def set_views(self, **on) -> None:
        """Turn views on or off: ``set_views(arrows=False, manifold=True)`` (names: :data:`VIEWS`)."""
        for name, value in on.items():
            if name not in VIEWS:
                raise ValueError(f"unknown view {name!r}; allowed: {', '.join(VIEWS)}")
            if value and name not in self.views:
                self.views.append(name)
            if not value and name in self.views:
                self.views.remove(name)
        self.sync_controls()
        self.refresh()

    # ------------------------------------------------------------------ drawing
    def set_draw_mode(self, on: bool) -> None:
        self.draw_mode = bool(on)
        self.sync_controls()
        self.refresh()

    def add_point(self, x: float, y: float) -> None:
        """Add a point (data units) to the drawing."""
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(f"a point needs finite coordinates, got ({x!r}, {y!r})")
        self.drawn_points.append((float(x), float(y)))
        self.refresh()

    def click(self, px: float, py: float, drag: bool = False) -> bool:
        """A mouse press (or, ``drag``, a move with the button down) at pixel ``(px, py)`` of the view (origin
        top left): adds a point in draw mode when inside the axes (a drag only every :data:`MIN_POINT_GAP`).
        Returns whether a point was added."""
        if not self.draw_mode:
            return False
        p = self.renderer.to_data(px, py)
        if p is None:
            return False
        if drag and self.drawn_points:
            last = self.drawn_points[-1]
            if math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_POINT_GAP:
                return False
        self.add_point(*p)
        return True

    def clear_points(self) -> None:
        self.drawn_points = []
        self.refresh()

    def use_drawn(self) -> None:
        """Make the drawn points the data (a Gaussian of std ``DRAW_STD`` around each); a new game starts."""
        mixture = make_data("drawn", self.drawn_points)   # raises when there is no point
        self.draw_mode = False
        self.update(mixture=mixture, data="drawn")

    # ================================================================== pictures
    def view_png(self, fmt: str = "png") -> bytes:
        """The view now, as PNG (or ``fmt="jpeg"``, what each live frame sends) bytes."""
        with torch_threads(self.threads):
            return self.renderer.view(self.game, self.views, self.drawn_points, self.draw_mode, fmt=fmt)

    def charts_png(self, fmt: str = "png") -> bytes:
        """The charts now, as PNG (or ``fmt="jpeg"``) bytes."""
        with torch_threads(self.threads):
            return self.renderer.charts(self.game, fmt=fmt)

    def snapshot(self):
        """A still of the view and the charts (``IPython.display.Image``; ``.data`` holds the PNG bytes)."""
        from IPython.display import Image

        from gan_course.playground.render import side_by_side
        return Image(data=side_by_side(self.view_png(), self.charts_png()), format="png")

    def frame(self, charts: bool | None = None) -> None:
        """Draw one frame into the widget (the charts too when they are stale, or when ``charts``)."""
        if self._ui is None:
            return
        self.w["view"].value = self.view_png(FRAME_FORMAT)
        if charts or (charts is None and self.charts_stale):
            self.w["charts"].value = self.charts_png(FRAME_FORMAT)
            self.charts_stale = False
        self.w["counter"].value = self._counter_text()

    def refresh(self, charts: bool = False) -> None:
        """Redraw the widget (when it exists), e.g. after a change while paused."""
        if self._ui is not None:
            self.frame(charts=True if charts else None)

    def _counter_text(self) -> str:
        g = self.game
        return (f"<b class='gan-playground-step'>step {g.steps}</b> &nbsp; (D updates {g.d_updates}, "
                f"G updates {g.g_updates})")

    def say(self, text: str, error: bool = False) -> None:
        """Show ``text`` in the status line (red for an error)."""
        self.message = text
        if self._ui is not None:
            colour = "#b00" if error else "#333"
            notes = self.game.describe_ignored()
            extra = "".join(f"<br>note: {html.escape(n)}" for n in notes)
            self.w["status"].value = f"<span style='color:{colour}'>{html.escape(text)}</span>{extra}"

    # ================================================================== play / pause
    def play(self) -> None:
        """Train in the background until :meth:`pause` (needs a running event loop: Jupyter's kernel)."""
        if self.playing:
            return
        loop = asyncio.get_running_loop() if _loop_running() else None
        if loop is None:
            raise RuntimeError("play() needs a running asyncio event loop (a Jupyter kernel); use run(steps) in a script")
        self.playing = True
        self.draw_mode = False
        self._task = loop.create_task(self._loop())
        self.sync_controls()

    def pause(self) -> None:
        """Stop after the current frame."""
        self.playing = False
        self.sync_controls()

    async def _loop(self) -> None:
        try:
            while self.playing:
                t0 = time.perf_counter()
                with torch_threads(self.threads):
                    for _ in range(self.steps_per_frame):
                        self.advance("both")
                    self.frame()
                self.frames += 1
                wait = SLOW_SECONDS - (time.perf_counter() - t0) if self.slow else 0.0
                await asyncio.sleep(max(wait, 0.0))   # widget events are handled here
        except Exception as e:  # noqa: BLE001 - shown in the status line, the traceback kept in self.errors
            self.errors.append(traceback.format_exc())
            self.say(f"error: {type(e).__name__}: {e} (paused)", error=True)
        finally:
            self.playing = False
            self.sync_controls()

    # ================================================================== the widget
    @property
    def widget(self):
        """The ipywidgets box (built on first use)."""
        if self._ui is None:
            self._build()
        return self._ui

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    def _build(self) -> None:
        import ipywidgets as W
        from ipyevents import Event

        s = self.game.settings
        w = self.w = {}
        lay = W.Layout(width="auto")
        sty = {"description_width": "initial"}

        def button(name, text, tip, cls, icon=""):
            b = W.Button(description=text, tooltip=tip, icon=icon, layout=W.Layout(width="auto"))
            b.add_class(f"gan-playground-{cls}")
            w[name] = b
            return b

        button("play", "Play", "train until paused", "play", "play")
        button("step_d", "step D", "one update of the discriminator", "step-d")
        button("step_g", "step G", "one update of the generator", "step-g")
        button("step_both", "step both", "one step of Algorithm 1: D then G", "step-both")
        button("reset", "reset", "fresh networks, counter to 0", "reset", "refresh")
        w["slow"] = W.ToggleButton(value=False, description="slow motion", tooltip=f"{SLOW_SECONDS} s per frame",
                                   layout=W.Layout(width="auto"))
        w["spf"] = W.IntSlider(value=self.steps_per_frame, min=1, max=20, description="steps per frame",
                               style=sty, layout=W.Layout(width="260px"))
        w["counter"] = W.HTML(self._counter_text())
        w["counter"].add_class("gan-playground-counter")

        w["preset"] = W.Dropdown(options=[(f"{k}: {DESCRIPTIONS[k]}", k) for k in PRESETS], value=self.preset
                                 if self.preset in PRESETS else None, description="preset", style=sty)
        w["data"] = W.Dropdown(options=list(DATASETS), value=s.data, description="data", style=sty,
                               layout=W.Layout(width="200px"))
        w["draw"] = W.ToggleButton(value=False, description="draw", tooltip="click or drag on the view to add points",
                                   icon="pencil", layout=W.Layout(width="auto"))
        w["draw"].add_class("gan-playground-draw")
        button("clear", "clear points", "remove your points", "clear")
        button("use", "use as data", "your points become the data (a new game)", "use")
        w["loss"] = W.Dropdown(options=list(LOSSES), value=s.loss, description="loss", style=sty,
                               layout=W.Layout(width="220px"))
        w["loss"].add_class("gan-playground-loss")

        def islider(name, lo, hi, text):
            w[name] = W.IntSlider(value=getattr(s, name), min=lo, max=hi, description=text, style=sty, layout=lay)
            return w[name]

        def fslider(name, lo, hi, step, text):
            w[name] = W.FloatSlider(value=getattr(s, name), min=lo, max=hi, step=step, description=text,
                                    style=sty, layout=lay)
            return w[name]

        def logslider(name, text):
            w[name] = W.FloatLogSlider(value=getattr(s, name), min=-5, max=-1, step=0.1, base=10,
                                       description=text, style=sty, layout=lay, readout_format=".1e")
            return w[name]

        model = W.VBox([islider("g_layers", 0, 5, "G hidden layers"), islider("g_width", 1, 256, "G width"),
                        islider("d_layers", 0, 5, "D hidden layers"), islider("d_width", 1, 256, "D width"),
                        islider("z_dim", 1, 16, "noise dimension"),
                        W.Dropdown(options=list(NOISES), value=s.noise, description="noise", style=sty),
                        islider("batch", 8, 512, "batch size"), islider("d_steps", 1, 10, "D steps per G step")])
        w["noise"] = model.children[5]
        remedies = W.VBox([fslider("instance_noise", 0, 1, 0.01, "instance noise σ (× spread)"),
                           fslider("smoothing", 0, 0.3, 0.05, "label smoothing"),
                           islider("pack", 1, 8, "PacGAN pack m"), islider("unroll", 0, 10, "unrolled steps k"),
                           fslider("r1", 0, 10, 0.1, "R1 weight γ"), fslider("gp_weight", 0, 20, 0.5, "GP weight λ")])
        optim = W.VBox([W.Dropdown(options=list(OPTIMISERS), value=s.g_optimiser, description="G optimiser", style=sty),
                        logslider("g_lr", "G learning rate"),
                        W.Dropdown(options=list(OPTIMISERS), value=s.d_optimiser, description="D optimiser", style=sty),
                        logslider("d_lr", "D learning rate")])
        w["g_optimiser"], w["d_optimiser"] = optim.children[0], optim.children[2]
        w["views"] = {v: W.Checkbox(value=v in self.views, description=t, indent=False) for v, t in (
            ("heatmap", "D's output (heat map)"), ("manifold", "G's manifold"), ("samples", "samples"),
            ("arrows", "G's gradient arrows"))}
        views = W.VBox(list(w["views"].values()))
        tabs = W.Tab(children=[model, remedies, optim, views])
        tabs.titles = ("model", "remedies", "optimisers", "views")

        w["view"] = W.Image(value=self.view_png(FRAME_FORMAT), format=FRAME_FORMAT,
                            layout=W.Layout(width="400px", height="400px"))
        w["view"].add_class("gan-playground-view")
        w["charts"] = W.Image(value=self.charts_png(FRAME_FORMAT), format=FRAME_FORMAT,
                              layout=W.Layout(width="420px", height="400px"))
        w["status"] = W.HTML("")
        w["status"].add_class("gan-playground-status")
        w["data_info"] = W.HTML(self._data_text())
        w["data_info"].add_class("gan-playground-data")

        # mouse events on the view, for drawing (press: a point; move with the button down: a trail)
        self._events = [Event(source=w["view"], watched_events=["mousedown"], prevent_default_action=True),
                        Event(source=w["view"], watched_events=["mousemove"], prevent_default_action=True,
                              wait=40, throttle_or_debounce="throttle")]
        self._events[0].on_dom_event(self._on_mouse)
        self._events[1].on_dom_event(self._on_mouse)

        w["play"].on_click(lambda _: self._toggle_play())
        w["step_d"].on_click(lambda _: self._ui_step("d"))
        w["step_g"].on_click(lambda _: self._ui_step("g"))
        w["step_both"].on_click(lambda _: self._ui_step("both"))
        w["reset"].on_click(lambda _: self._ui_call(self.reset))
        w["clear"].on_click(lambda _: self._ui_call(self.clear_points))
        w["use"].on_click(lambda _: self._ui_call(self.use_drawn))
        w["slow"].observe(lambda c: setattr(self, "slow", bool(c["new"])), "value")
        w["spf"].observe(lambda c: setattr(self, "steps_per_frame", int(c["new"])), "value")
        w["draw"].observe(lambda c: self._ui_draw(c["new"]), "value")
        w["preset"].observe(lambda c: self._ui_preset(c["new"]), "value")
        w["data"].observe(lambda c: self._ui_data(c["new"]), "value")
        for name in ("loss", "g_layers", "g_width", "d_layers", "d_width", "z_dim", "noise", "batch", "d_steps",
                     "instance_noise", "smoothing", "pack", "unroll", "r1", "gp_weight", "g_optimiser", "g_lr",
                     "d_optimiser", "d_lr"):
            w[name].observe(functools.partial(self._ui_setting, name), "value")
        for v, box in w["views"].items():
            box.observe(functools.partial(self._ui_view, v), "value")

        row1 = W.HBox([w["play"], w["step_d"], w["step_g"], w["step_both"], w["reset"], w["slow"], w["spf"],
                       w["counter"]], layout=W.Layout(align_items="center", flex_flow="row wrap"))
        row2 = W.HBox([w["preset"], w["data"], w["draw"], w["clear"], w["use"], w["loss"]],
                      layout=W.Layout(align_items="center", flex_flow="row wrap"))
        pictures = W.HBox([w["view"], w["charts"]])
        self._ui = W.VBox([row1, row2, w["data_info"], pictures, tabs, w["status"]])
        self._ui.add_class("gan-playground")
        self.say("ready: press Play, or step one player at a time")

    def _data_text(self) -> str:
        g = self.game
        return (f"<span class='gan-playground-data-text'>data: {g.data.name} ({len(g.data.centers)} "
                f"{'points' if g.data.name == 'drawn' else 'modes'}, σ = {g.data.std:g})</span>")

    def sync_controls(self) -> None:
        """Make the controls show the current settings and state (after a scripted change)."""
        if self._ui is None:
            return
        self._syncing = True
        try:
            w, s = self.w, self.game.settings
            for name in ("loss", "g_layers", "g_width", "d_layers", "d_width", "z_dim", "noise", "batch", "d_steps",
                         "instance_noise", "smoothing", "pack", "unroll", "r1", "gp_weight", "g_optimiser", "g_lr",
                         "d_optimiser", "d_lr", "data"):
                if w[name].value != getattr(s, name):
                    w[name].value = getattr(s, name)
            for v, box in w["views"].items():
                box.value = v in self.views
            w["draw"].value = self.draw_mode
            w["play"].description = "Pause" if self.playing else "Play"
            w["play"].icon = "pause" if self.playing else "play"
            w["data_info"].value = self._data_text()
        finally:
            self._syncing = False

    # ------------------------------------------------------------------ callbacks (all guarded)
    @_guarded
    def _toggle_play(self):
        self.pause() if self.playing else self.play()

    @_guarded
    def _ui_step(self, what):
        self.pause()
        self.step(what)

    @_guarded
    def _ui_call(self, fn):
        fn()
        self.say("")

    @_guarded
    def _ui_draw(self, on):
        if not self._syncing:
            if on:
                self.pause()
            self.set_draw_mode(on)
            self.say("draw mode: click or drag on the view; then 'use as data'" if on else "")

    @_guarded
    def _ui_preset(self, name):
        if not self._syncing and name:
            self.load(name)
            self.say(f"preset {name}: {DESCRIPTIONS[name]}")

    @_guarded
    def _ui_data(self, name):
        if self._syncing or name == self.game.settings.data:
            return
        if name == "drawn":
            if not self.drawn_points:
                self.sync_controls()
                self.set_draw_mode(True)
                self.say("no points yet: click on the view to add some, then 'use as data'")
                return
            self.use_drawn()
        else:
            self.update(data=name)
        self.say(f"data: {name} (a new game)")

    @_guarded
    def _ui_setting(self, name, change):
        if self._syncing:
            return
        rebuilt = self.update(**{name: change["new"]})
        self.say(f"{name} = {change['new']}" + (f" (rebuilt {' and '.join(rebuilt)})" if rebuilt else ""))

    @_guarded
    def _ui_view(self, name, change):
        if not self._syncing:
            self.set_views(**{name: bool(change["new"])})

    @_guarded
    def _on_mouse(self, event):
        if not self.draw_mode:
            return
        if event.get("type") == "mousemove" and not (event.get("buttons", 0) & 1):
            return
        x, y = event.get("dataX"), event.get("dataY")
        if x is None or y is None:
            return
        if self.click(float(x), float(y), drag=event.get("type") == "mousemove"):
            self.say(f"{len(self.drawn_points)} points; 'use as data' when done")


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False
