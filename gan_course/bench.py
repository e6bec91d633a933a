"""``python -m gan_course bench``: DCGAN training throughput, side by side, in one process.

Used for the README's performance table (no notebook). Four loops, images/s each:

(a) **peer** — pytorch/examples ``dcgan/main.py --dataset mnist`` as a user runs it, without torchvision:
    MNIST resized to 64×64 (``Resize(64)`` → bilinear with antialias, ``Normalize(0.5, 0.5)``), its
    64-filter G and D (nz = 100, ngf = ndf = 64, Sigmoid + ``BCELoss``), batch 64, a
    ``torch.utils.data.DataLoader`` with 2 workers, per-batch ``.to(device)``, fp32, eager, ``.item()`` of
    the losses every step (:mod:`gan_course.bench_peer`);
(b) **naive ours** — our 28×28 :class:`gan_course.nets.DCGANGenerator`/``DCGANDiscriminator`` through
    :func:`gan_course.train.gan_step` fed by the same kind of DataLoader (per-batch copies, fp32, eager):
    (b)/(a) is the gain of the model;
(c) **fast ours** — the same nets, MNIST resident on the device (:func:`gan_course.data.mnist_tensor`, batches
    by index), noise drawn on the device, one G forward reused by both players (as the peer does), no
    per-step host sync (losses read every ``sync_every`` steps, still NaN-checked), bf16 autocast +
    channels_last where bf16 is native (CUDA; CPUs with AMX/AVX512-BF16), ``torch.compile`` on CUDA (all
    options: ``--bf16``/``--channels-last``/``--compile``): (c)/(b) is the gain of the loop;
(d) **bound** — (c)'s step on one fixed device-resident random batch (no data access at all).

Each loop runs a few warm-up steps, then is timed for ``seconds`` (or ``max_steps``).
``--quality`` adds time-to-equal-classifier-FID (:mod:`gan_course.bench_quality`).
"""

from __future__ import annotations

import contextlib
import json
import time

import torch

from . import nets
from .bench_peer import _forever, _loader, peer_parts
from .config import get_device, native_bf16, seed_everything
from .data import load_mnist, to_unit_range
from .ema import EMA
from .losses import d_loss, g_loss
from .train import ResidentSampler, gan_step


# ---------------------------------------------------------------------------------------------- (b) naive ours
def naive_parts(device, width=32, z_dim=100):
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


# ---------------------------------------------------------------------------------------------- (c)/(d) fast ours
def fast_options(device, channels_last=None, compile_=None, bf16=None) -> dict:
    """(c)'s options with ``None`` resolved (auto): bf16 autocast where native (:func:`gan_course.config.native_bf16`),
    channels_last with it, ``torch.compile`` on CUDA only."""
    bf16 = native_bf16(device) if bf16 is None else bf16
    return {"bf16_autocast": bf16, "channels_last": bf16 if channels_last is None else channels_last,
            "compile": device.type == "cuda" if compile_ is None else compile_}


def fast_parts(device, width=32, z_dim=100, channels_last=None, compile_=None, sync_every=100, lr=2e-4, bf16=None,
               ema=0.999, refine=False, refine_depth=1, mid_depth=0):
    """Our nets with the fast loop; returns ``(G, step)`` where ``step(real)`` takes a device batch;
    ``step(real, lr_scale)`` first sets both players' Adam learning rate to ``lr * lr_scale`` (for the rest of the
    run: :func:`gan_course.bench_quality.run_budget`'s decay).

    With ``ema`` > 0 the returned ``G`` (the one to sample from) is an exponential moving average of the trained
    generator's weights and BatchNorm buffers (:class:`gan_course.ema.EMA`: β_n = min(``ema``, (1 + n)/(10 + n))),
    updated every step.

    Adam(``lr``, β = (0.5, 0.999)) for both players: the DCGAN paper's 2e-4 by default (throughput does not
    depend on it); the quality runs of :mod:`gan_course.bench_quality` use a larger, measured one. ``None``
    options mean auto (:func:`fast_options`). ``refine``/``refine_depth``: the nets' optional 3×3 layers at 28×28,
    ``mid_depth``: at 14×14 in G and in D (:class:`gan_course.nets.DCGANGenerator`).
    """
    cuda = device.type == "cuda"
    opts = fast_options(device, channels_last, compile_, bf16)
    bf16, channels_last, compile_ = opts["bf16_autocast"], opts["channels_last"], opts["compile"]
    G = nets.DCGANGenerator(z_dim, width, refine, refine_depth if refine else 1, mid_depth).to(device)
    D = nets.DCGANDiscriminator(width, refine, mid_depth).to(device)
    G.apply(nets.weights_init)
    D.apply(nets.weights_init)
    if channels_last:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
    opt_g = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999), fused=cuda or None)
    opt_d = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999), fused=cuda or None)
    Gc, Dc = (torch.compile(G), torch.compile(D)) if compile_ else (G, D)
    amp = torch.autocast(device.type, dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
    count = {"n": 0}
    avg = EMA(G, ema) if ema > 0 else None

    def step(real, lr_scale=None):
        b = real.shape[0]
        if lr_scale is not None:
            for opt in (opt_g, opt_d):
                for group in opt.param_groups:
                    group["lr"] = lr * lr_scale
        if channels_last:
            real = real.contiguous(memory_format=torch.channels_last)
        z = torch.randn(b, z_dim, device=device)
        with amp:
            fake = Gc(z)
            loss_d = d_loss("non_saturating", Dc(real), Dc(fake.detach()))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        with amp:
            loss_g = g_loss("non_saturating", Dc(fake))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        if avg is not None:
            avg.update()
        count["n"] += 1
        if count["n"] % sync_every == 0 and not torch.isfinite(loss_d + loss_g):   # one host sync per sync_every
            raise FloatingPointError(f"non-finite loss at step {count['n']}")
        return loss_d, loss_g
    return (G if avg is None else avg.module), step


# ---------------------------------------------------------------------------------------------- timing
def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_loop(step, batches, device, seconds=10.0, warmup=2, max_steps=10_000, batch=64) -> dict:
    """Run ``step(next(batches))`` ``warmup`` times, then for ``seconds`` (or ``max_steps``); images/s."""
    for _ in range(warmup):
        step(next(batches))
    _sync(device)
    t0 = time.perf_counter()
    n = 0
    while n < max_steps and (n == 0 or time.perf_counter() - t0 < seconds):
        step(next(batches))
        n += 1
    _sync(device)
    dt = time.perf_counter() - t0
    return {"steps": n, "seconds": round(dt, 3), "images_per_s": n * batch / dt}


def run_bench(device="cpu", seconds=10.0, warmup=2, max_steps=10_000, width=32, batch=64, workers=2,
              channels_last=None, compile_=None, seed=0, n_images=None, bf16=None) -> dict:
    """Time (a)–(d) on ``device``; returns ``{name: {"steps", "seconds", "images_per_s"}, "ratios": {...}}``."""
    device = torch.device(device)
    seed_everything(seed)
    images, _ = load_mnist("train")
    if n_images:
        images = images[:n_images]
    res = {}
    G, step = peer_parts(device)
    res["a_peer"] = time_loop(step, _forever(_loader(images, 64, batch, workers)), device, seconds, warmup, max_steps, batch)
    G, step = naive_parts(device, width)
    res["b_naive_ours"] = time_loop(step, _forever(_loader(images, 28, batch, workers)), device, seconds, warmup, max_steps, batch)
    data = to_unit_range(images.to(device))
    sampler = ResidentSampler(data)
    gen = torch.Generator(device=device).manual_seed(seed)
    G, step = fast_parts(device, width, channels_last=channels_last, compile_=compile_, bf16=bf16)
    res["c_fast_ours"] = time_loop(step, iter(lambda: sampler(batch, gen), None), device, seconds, warmup, max_steps, batch)
    fixed = torch.randn(batch, 1, 28, 28, device=device).clamp_(-1, 1)
    G, step = fast_parts(device, width, channels_last=channels_last, compile_=compile_, bf16=bf16)
    res["d_bound"] = time_loop(step, iter(lambda: fixed, None), device, seconds, warmup, max_steps, batch)
    ips = {k: v["images_per_s"] for k, v in res.items()}
    res["ratios"] = {"b/a (model)": ips["b_naive_ours"] / ips["a_peer"],
                     "c/b (loop)": ips["c_fast_ours"] / ips["b_naive_ours"],
                     "c/a (total)": ips["c_fast_ours"] / ips["a_peer"],
                     "c/d (of bound)": ips["c_fast_ours"] / ips["d_bound"]}
    res["config"] = {"device": str(device), "threads": torch.get_num_threads(), "width": width, "batch": batch,
                     "workers": workers, "seconds_per_loop": seconds,
                     **fast_options(device, channels_last, compile_, bf16)}
    return res


# ---------------------------------------------------------------------------------------------- CLI
def _table(res: dict) -> str:
    names = {"a_peer": "(a) peer: pytorch/examples dcgan, 64×64, DataLoader",
             "b_naive_ours": "(b) our DCGAN, naive loop (DataLoader)", "c_fast_ours": "(c) our DCGAN, fast loop",
             "d_bound": "(d) bound: (c) on fixed random data"}
    lines = [f"{'loop':<55} {'images/s':>10} {'steps':>7}"]
    for k, label in names.items():
        r = res[k]
        lines.append(f"{label:<55} {r['images_per_s']:>10.1f} {r['steps']:>7}")
    lines += [""] + [f"{k:<20} {v:6.2f}×" for k, v in res["ratios"].items()]
    return "\n".join(lines)


def _flag(v):
    return None if v == "auto" else v == "on"


def register(subparsers) -> None:
    p = subparsers.add_parser("bench", help="DCGAN training throughput: the pytorch/examples peer vs ours")
    p.add_argument("--device", default=None, help="cpu or cuda (default: gan_course.config.get_device())")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--seconds", type=float, default=12.0, help="timed seconds per loop (default 12)")
    p.add_argument("--max-steps", type=int, default=10_000)
    p.add_argument("--width", type=int, default=32, help="our ngf = ndf (default 32, the CLI's default)")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    p.add_argument("--compile", choices=("auto", "on", "off"), default="auto", help="torch.compile (auto: CUDA only)")
    p.add_argument("--channels-last", choices=("auto", "on", "off"), default="auto", help="(auto: with bf16)")
    p.add_argument("--bf16", choices=("auto", "on", "off"), default="auto",
                   help="bf16 autocast in (c), (d) (auto: where native, gan_course.config.native_bf16)")
    p.add_argument("--quality", action="store_true", help="also time-to-equal-classifier-FID (long: ~peer-seconds + 2×max)")
    p.add_argument("--peer-seconds", type=float, default=600.0, help="--quality: the peer's training time (default 600)")
    p.add_argument("--quality-max-seconds", type=float, default=600.0)
    p.add_argument("--budget-seconds", type=float, default=300.0,
                   help="--quality: train (c) this long and compare its FID with the real-data floor (default 300)")
    p.add_argument("--budget-refine", choices=("on", "off"), default="on",
                   help="--quality: the budget run uses the nets' refine=True variant (default on)")
    p.add_argument("--budget-refine-depth", type=int, default=None, metavar="N",
                   help="--quality: 3×3 convs at 28×28 in the budget run's G (default: bench_quality.REFINE_DEPTH)")
    p.add_argument("--budget-mid-depth", type=int, default=None, metavar="N",
                   help="--quality: 3×3 convs at 14×14 in the budget run's G and D (default: bench_quality.MID_DEPTH)")
    p.add_argument("--budget-lr-decay", type=float, default=None, metavar="F",
                   help="--quality: the budget run's lr falls linearly to 0 over the last fraction F of its time, "
                        "0 ≤ F ≤ 1, 0: constant (default: bench_quality.LR_DECAY)")
    p.add_argument("--fast-lr", type=float, default=None, help="--quality: Adam lr of (c) (default: bench_quality.FAST_LR)")
    p.set_defaults(func=run)


def run(args) -> int:
    for name in ("seconds", "peer_seconds", "quality_max_seconds", "budget_seconds", "fast_lr", "budget_refine_depth"):
        if getattr(args, name) is not None and getattr(args, name) <= 0:
            raise ValueError(f"--{name.replace('_', '-')} must be > 0, got {getattr(args, name)}")
    if args.budget_refine == "off" and args.budget_refine_depth is not None:
        raise ValueError(f"--budget-refine-depth needs --budget-refine on, got --budget-refine-depth "
                         f"{args.budget_refine_depth} with --budget-refine off")
    if args.budget_mid_depth is not None and args.budget_mid_depth < 0:
        raise ValueError(f"--budget-mid-depth must be ≥ 0, got {args.budget_mid_depth}")
    if args.budget_lr_decay is not None and not 0 <= args.budget_lr_decay <= 1:
        raise ValueError(f"--budget-lr-decay must be in [0, 1], got {args.budget_lr_decay}")
    if args.threads:
        torch.set_num_threads(args.threads)
    device = get_device(args.device)
    res = run_bench(device, args.seconds, max_steps=args.max_steps, width=args.width,
                    channels_last=_flag(args.channels_last), compile_=_flag(args.compile), bf16=_flag(args.bf16))
    if args.quality:
        from .bench_quality import FAST_LR, LR_DECAY, MID_DEPTH, REFINE_DEPTH, run_quality
        res["quality"] = run_quality(device, args.peer_seconds, args.quality_max_seconds, width=args.width,
                                     budget_seconds=args.budget_seconds, lr=args.fast_lr or FAST_LR,
                                     bf16=_flag(args.bf16), refine=args.budget_refine == "on",
                                     refine_depth=args.budget_refine_depth or REFINE_DEPTH,
                                     mid_depth=MID_DEPTH if args.budget_mid_depth is None else args.budget_mid_depth,
                                     lr_decay=LR_DECAY if args.budget_lr_decay is None else args.budget_lr_decay)
    print(json.dumps(res, indent=2) if args.json else _table(res))
    if args.quality and not args.json:
        from .bench_quality import format_quality
        print(format_quality(res["quality"]))
    return 0
