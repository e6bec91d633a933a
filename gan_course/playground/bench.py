"""Frames per second of the playground, without a browser: ``python -m gan_course playground-bench``.

A frame is what the widget's Play loop does between two yields to the kernel (``Playground._loop`` in
:mod:`gan_course.playground.widget`): ``steps_per_frame`` training steps, the view drawn to PNG and put
into the ``ipywidgets.Image``, the charts redrawn when a metrics point is due (every ``metrics_every`` steps),
and the counter's text. The widget is built (without a kernel its messages go nowhere), so everything but the
transfer to the browser is timed. The goal: ≥ 10 frames/s at one step per frame for the default nets on a 2-core
CPU, so that the playground feels live. Results: ``docs/benchmarks.md`` (``--json`` also gives the CPU model).

``ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2`` in the environment makes PyTorch use AVX2 kernels only, as
on an older CPU; the result reports the capability PyTorch ran with.
"""

from __future__ import annotations

import json
import os
import time

from gan_course.config import cpu_model  # re-exported: a public name of this module


def frame_rate(seconds: float = 10.0, preset: str = "default", steps_per_frame: int = 1,
               threads: int = 1, warmup: int = 20, metrics_every: int = 25) -> dict:
    """Run the Play loop's frames for ``seconds`` (after ``warmup`` frames) and return a dict: ``fps``,
    ``frames``, ``seconds``, ``ms`` (mean milliseconds per frame in ``steps``, ``view``, ``charts`` and
    ``total``), ``steps_per_frame``, ``preset``, ``threads`` (the playground's PyTorch threads, its default 1),
    ``cpu``, ``capability`` (PyTorch's CPU kernels), ``load_average`` (at the start, Unix)."""
    import torch

    from gan_course.playground.widget import Playground, torch_threads

    if seconds <= 0 or steps_per_frame < 1 or threads < 1:
        raise ValueError("seconds must be > 0, steps_per_frame >= 1 and threads >= 1")
    with torch_threads(threads):
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        pg = Playground(preset, steps_per_frame=steps_per_frame, metrics_every=metrics_every, threads=threads)
        _ = pg.widget  # build the widget
        spent = {"steps": 0.0, "view": 0.0, "charts": 0.0}

        def one_frame():
            t0 = time.perf_counter()
            for _ in range(pg.steps_per_frame):
                pg.advance("both")
            t1 = time.perf_counter()
            charts_due = pg.charts_stale
            pg.frame()
            t2 = time.perf_counter()
            return t1 - t0, t2 - t1, charts_due

        for _ in range(warmup):
            one_frame()
        frames, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            st, draw, charts_due = one_frame()
            spent["steps"] += st
            spent["charts" if charts_due else "view"] += draw
            frames += 1
        total = time.perf_counter() - start
        ms = {k: 1e3 * v / frames for k, v in spent.items()}
        ms["total"] = 1e3 * total / frames
        return {"fps": frames / total, "frames": frames, "seconds": total, "ms": ms,
                "steps_per_frame": steps_per_frame, "preset": preset, "threads": torch.get_num_threads(),
                "cpu": cpu_model(), "capability": torch.backends.cpu.get_cpu_capability(),
                "load_average": load, "torch": torch.__version__}


def format_result(r: dict) -> str:
    ms = r["ms"]
    return (f"playground: {r['fps']:.1f} frames/s ({r['frames']} frames in {r['seconds']:.1f} s; "
            f"{r['steps_per_frame']} step(s) per frame, preset {r['preset']}, {r['threads']} torch thread(s))\n"
            f"  per frame: {ms['total']:.1f} ms = steps {ms['steps']:.1f} + view {ms['view']:.1f} "
            f"+ charts {ms['charts']:.1f} (charts averaged over all frames) + rest\n"
            f"  PyTorch {r['torch']} kernels: {r['capability']}; "
            f"load average at start {r['load_average']:.2f}")


def cmd_playground_bench(args) -> int:
    r = frame_rate(args.seconds, args.preset, args.steps_per_frame, args.threads)
    print(json.dumps(r, indent=1) if args.json else format_result(r))
    if args.min_fps and r["fps"] < args.min_fps:
        print(f"below --min-fps {args.min_fps}")
        return 1
    return 0


def register(subparsers) -> None:
    """Add the ``playground-bench`` command (called by :mod:`gan_course.tools.cli`)."""
    p = subparsers.add_parser("playground-bench", help="frames per second of notebook 11's playground (no browser)")
    p.add_argument("--seconds", type=float, default=10.0, help="how long to time (after warm-up); default 10")
    p.add_argument("--preset", default="default", help="a preset of gan_course.playground.presets (default: default)")
    p.add_argument("--steps-per-frame", type=int, default=1, help="training steps per frame (default 1)")
    p.add_argument("--threads", type=int, default=1, help="the playground's PyTorch threads (default 1, its own default)")
    p.add_argument("--min-fps", type=float, default=None, help="exit 1 when below this many frames/s")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=cmd_playground_bench)
