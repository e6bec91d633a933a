"""The benchmark's training loops, and the timer that runs them side by side in one process.

Four loops, images/s each (``docs/benchmarks.md`` has the current figures):

- **reference** — the pytorch/examples ``dcgan/main.py --dataset mnist`` as a user runs it
  (:mod:`gan_course.tools.bench.reference`);
- **plain** — the course's 28×28 :class:`gan_course.mnist.nets.DCGANGenerator`/``DCGANDiscriminator`` through
  :func:`gan_course.train.gan_step` fed by the same kind of DataLoader (per-batch copies, fp32, eager):
  plain/reference is the gain of the model;
- **fast** — the same nets, MNIST resident on the device (:func:`gan_course.data.mnist_tensor`, batches
  by index), noise drawn on the device, one G forward reused by both players (as the reference does), no
  per-step host sync (losses read every ``sync_every`` steps, still NaN-checked), bf16 autocast +
  channels_last where bf16 is native (CUDA; CPUs with AMX/AVX512-BF16), ``torch.compile`` on CUDA (all
  options: ``--bf16``/``--channels-last``/``--compile``): fast/plain is the gain of the loop;
- **bound** — the fast loop's step on one fixed device-resident random batch (no data access at all).

Each loop runs a few warm-up steps, then is timed for ``seconds`` (or ``max_steps``).
"""

from __future__ import annotations

import time

import torch

from gan_course.config import seed_everything
from gan_course.data import load_mnist, to_unit_range
from gan_course.mnist import nets
from gan_course.mnist.ema import EMA
from gan_course.mnist.precision import autocast, use_bf16
from gan_course.mnist.recipe import shared_fake_step
from gan_course.tools.bench.reference import forever, make_loader, reference_parts
from gan_course.tools.train import build
from gan_course.train import ResidentSampler, gan_step, set_lr


# ---------------------------------------------------------------------------------------------- plain loop
def plain_parts(device, width=32, z_dim=100):
    G, D = nets.DCGANGenerator(z_dim, width).to(device), nets.DCGANDiscriminator(width).to(device)
    G.apply(nets.weights_init)
    D.apply(nets.weights_init)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step(real):
        real = real.to(device)
        return gan_step(G, D, opt_g, opt_d, lambda m, g: real, lambda m, g: torch.randn(m, z_dim, device=device),
                        m=real.shape[0])
    return G, step


# ---------------------------------------------------------------------------------------------- fast loop
def fast_options(device, channels_last=None, compile_=None, bf16=None) -> dict:
    """The fast loop's options with ``None`` resolved (auto): bf16 autocast where native
    (:func:`gan_course.mnist.precision.use_bf16`), channels_last with it, ``torch.compile`` on CUDA only."""
    bf16 = use_bf16(bf16, device)
    return {"bf16_autocast": bf16, "channels_last": bf16 if channels_last is None else channels_last,
            "compile": device.type == "cuda" if compile_ is None else compile_}


def fast_parts(device, width=32, z_dim=100, channels_last=None, compile_=None, sync_every=100, lr=2e-4, bf16=None,
               ema=0.999, refine=False, refine_depth=1, mid_depth=0):
    """The course's nets with the fast loop; returns ``(G, step)`` where ``step(real)`` takes a device batch;
    ``step(real, lr_scale)`` first sets both players' Adam learning rate to ``lr * lr_scale`` (for the rest of the
    run: :func:`gan_course.tools.bench.quality.run_budget`'s decay).

    With ``ema`` > 0 the returned ``G`` (the one to sample from) is an exponential moving average of the trained
    generator's weights and BatchNorm buffers (:class:`gan_course.mnist.ema.EMA`: β_n = min(``ema``, (1 + n)/(10 + n))),
    updated every step.

    Adam(``lr``, β = (0.5, 0.999)) for both players: the DCGAN paper's 2e-4 by default (throughput does not
    depend on it); the quality runs of :mod:`gan_course.tools.bench.quality` use the recipe's. ``None``
    options mean auto (:func:`fast_options`). ``refine``/``refine_depth``: 3×3 layers at 28×28, ``mid_depth``: at
    14×14 in G and in D (either one: the fast recipe's nets, :mod:`gan_course.mnist.recipe`).
    """
    cuda = device.type == "cuda"
    opts = fast_options(device, channels_last, compile_, bf16)
    bf16, channels_last, compile_ = opts["bf16_autocast"], opts["channels_last"], opts["compile"]
    G, D, _ = build("dcgan", z_dim, width, refine, refine_depth if refine else 1, mid_depth)
    G, D = G.to(device), D.to(device)
    G.apply(nets.weights_init)
    D.apply(nets.weights_init)
    if channels_last:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999), fused=cuda or None)
    opt_d = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999), fused=cuda or None)
    Gc, Dc = (torch.compile(G), torch.compile(D)) if compile_ else (G, D)
    amp = autocast(device, bf16)
    count = {"n": 0}
    avg = EMA(G, ema) if ema > 0 else None

    def step(real, lr_scale=None):
        b = real.shape[0]
        if lr_scale is not None:
            set_lr((opt_g, opt_d), lr * lr_scale)
        if channels_last:
            real = real.contiguous(memory_format=torch.channels_last)
        z = torch.randn(b, z_dim, device=device)
        loss_d, loss_g = shared_fake_step(Gc, Dc, opt_g, opt_d, real, z, amp)
        if avg is not None:
            avg.update()
        count["n"] += 1
        if count["n"] % sync_every == 0 and not torch.isfinite(loss_d + loss_g):   # one host sync per sync_every
            raise FloatingPointError(f"non-finite loss at step {count['n']}")
        return loss_d, loss_g
    return (G if avg is None else avg.module), step


# ---------------------------------------------------------------------------------------------- timing
def sync(device):
    """Wait for the device's queued work (CUDA); timings read the clock after it."""
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_loop(step, batches, device, seconds=10.0, warmup=2, max_steps=10_000, batch=64) -> dict:
    """Run ``step(next(batches))`` ``warmup`` times, then for ``seconds`` (or ``max_steps``); images/s."""
    for _ in range(warmup):
        step(next(batches))
    sync(device)
    t0 = time.perf_counter()
    n = 0
    while n < max_steps and (n == 0 or time.perf_counter() - t0 < seconds):
        step(next(batches))
        n += 1
    sync(device)
    dt = time.perf_counter() - t0
    return {"steps": n, "seconds": round(dt, 3), "images_per_s": n * batch / dt}


def run_bench(device="cpu", seconds=10.0, warmup=2, max_steps=10_000, width=32, batch=64, workers=2,
              channels_last=None, compile_=None, seed=0, n_images=None, bf16=None) -> dict:
    """Time the four loops on ``device``; returns ``{name: {"steps", "seconds", "images_per_s"}, "ratios": {...}}``
    with names ``reference``, ``plain``, ``fast``, ``bound``."""
    device = torch.device(device)
    seed_everything(seed)
    images, _ = load_mnist("train")
    if n_images:
        images = images[:n_images]
    res = {}
    G, step = reference_parts(device)
    res["reference"] = time_loop(step, forever(make_loader(images, 64, batch, workers)), device, seconds, warmup,
                                 max_steps, batch)
    G, step = plain_parts(device, width)
    res["plain"] = time_loop(step, forever(make_loader(images, 28, batch, workers)), device, seconds, warmup,
                             max_steps, batch)
    data = to_unit_range(images.to(device))
    sampler = ResidentSampler(data)
    gen = torch.Generator(device=device).manual_seed(seed)
    G, step = fast_parts(device, width, channels_last=channels_last, compile_=compile_, bf16=bf16)
    res["fast"] = time_loop(step, iter(lambda: sampler(batch, gen), None), device, seconds, warmup, max_steps, batch)
    fixed = torch.randn(batch, 1, 28, 28, device=device).clamp_(-1, 1)
    G, step = fast_parts(device, width, channels_last=channels_last, compile_=compile_, bf16=bf16)
    res["bound"] = time_loop(step, iter(lambda: fixed, None), device, seconds, warmup, max_steps, batch)
    ips = {k: v["images_per_s"] for k, v in res.items()}
    res["ratios"] = {"plain/reference (model)": ips["plain"] / ips["reference"],
                     "fast/plain (loop)": ips["fast"] / ips["plain"],
                     "fast/reference (total)": ips["fast"] / ips["reference"],
                     "fast/bound (of bound)": ips["fast"] / ips["bound"]}
    res["config"] = {"device": str(device), "threads": torch.get_num_threads(), "width": width, "batch": batch,
                     "workers": workers, "seconds_per_loop": seconds,
                     **fast_options(device, channels_last, compile_, bf16)}
    return res
