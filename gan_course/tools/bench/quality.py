"""``python -m gan_course bench --quality``: time to equal classifier-FID, and a fixed-time run of the recipe.

:func:`run_quality`: the reference (pytorch/examples ``dcgan/main.py``, :mod:`gan_course.tools.bench.reference`)
trains for ``reference_seconds``; its samples (64×64, downsampled to 28×28 by area averaging) set the
classifier-FID (:func:`gan_course.mnist.fid.classifier_fid`, ``n_fid`` samples against as many test images) to
reach; then the course's DCGAN in the plain loop and in the fast loop train until they reach it (checked every
``eval_every`` seconds of training; evaluation time is not counted) or run out of ``max_seconds``.

:func:`run_budget` trains the fast recipe (:data:`gan_course.mnist.recipe.RECIPE`) for a fixed time and reports
its classifier-FID next to the real-data figure (training vs test images), the part of the FID due to class
proportions alone (:func:`gan_course.mnist.fid.balance_floor`) and the classifier's mean confidence on samples
and on real digits.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from gan_course.config import seed_everything
from gan_course.data import load_mnist, to_unit_range
from gan_course.mnist.fid import balance_floor, class_histogram, classifier_fid, predict
from gan_course.mnist.recipe import RECIPE
from gan_course.tools.bench.loops import fast_parts, plain_parts, sync
from gan_course.tools.bench.reference import forever, make_loader, reference_parts
from gan_course.train import ResidentSampler, linear_decay


def _samples(G, z_dim, device, n=2000, reference=False) -> torch.Tensor:
    """``n`` samples ``[n, 1, 28, 28]`` on the CPU, G in eval mode (BatchNorm running averages)."""
    G.eval()
    with torch.no_grad():
        z = torch.randn(n, z_dim, 1, 1, device=device) if reference else torch.randn(n, z_dim, device=device)
        x = G(z).float()
        if reference:
            x = F.interpolate(x, size=(28, 28), mode="area")          # 64×64 → 28×28 by area averaging
    G.train()
    return x.cpu().contiguous()


def _fid_of(G, z_dim, device, real, n=2000, reference=False):
    return classifier_fid(_samples(G, z_dim, device, n, reference), real)


def run_budget(device="cpu", seconds=300.0, width=32, batch=64, seed=0, n_fid=2000, data=None, lr=RECIPE.lr,
               bf16=None, refine=True, refine_depth=RECIPE.refine_depth, mid_depth=RECIPE.mid_depth,
               lr_decay=RECIPE.lr_decay) -> dict:
    """Train the fast loop for ``seconds`` (wall clock, from a fresh seeded start) and judge its samples. ``refine``:
    3×3 layers at 28×28, ``refine_depth`` of them in G; ``mid_depth``: 3×3 layers at 14×14 in G and D (the recipe's
    nets, :mod:`gan_course.mnist.recipe`); the throughput loops keep the paper's nets. ``lr_decay``: Adam's
    lr falls linearly to 0 over that last fraction of ``seconds`` (:func:`gan_course.train.linear_decay`; 0:
    constant ``lr``).

    Returns ``steps``, ``refine``, ``refine_depth`` (0 without refine), ``mid_depth``, ``lr_decay``, ``seconds``,
    ``fid`` (``n_fid`` samples vs as many test images), ``floor`` (as many training vs test images),
    ``balance_floor`` (real training digits in the samples' class proportions vs the test images: what perfect
    digits in those proportions would score), ``confidence`` (mean max-softmax of the classifier on the samples)
    and ``real_confidence`` (the same on the test images), ``histogram``.
    """
    linear_decay(0.0, seconds, lr_decay)                               # a bad lr_decay fails before training
    device = torch.device(device)
    seed_everything(seed)
    train_x, train_y = load_mnist("train") if data is None else data
    real = to_unit_range(load_mnist("test")[0][:n_fid])
    train_all = to_unit_range(train_x)                                 # [60000, 1, 28, 28] in [-1, 1], once
    sampler = ResidentSampler(train_all.to(device))
    gen = torch.Generator(device=device).manual_seed(seed)
    G, step = fast_parts(device, width, lr=lr, bf16=bf16, refine=refine, refine_depth=refine_depth,
                         mid_depth=mid_depth)
    k, t0 = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < seconds:
        step(sampler(batch, gen), linear_decay(elapsed, seconds, lr_decay) if lr_decay else None)
        k += 1
    sync(device)
    t_run = time.perf_counter() - t0
    fake = _samples(G, G.z_dim, device, n_fid)
    hist = class_histogram(fake)
    return {"seconds": t_run, "steps": k, "refine": refine, "refine_depth": refine_depth if refine else 0,
            "mid_depth": mid_depth, "lr_decay": lr_decay,
            "fid": classifier_fid(fake, real),
            "floor": classifier_fid(train_all[:n_fid], real),
            "balance_floor": balance_floor(hist, train_all, train_y.numpy(), real, seed=seed),
            "confidence": float(predict(fake).max(1).mean()), "real_confidence": float(predict(real).max(1).mean()),
            "histogram": hist.tolist()}


def run_quality(device="cpu", reference_seconds=600.0, max_seconds=600.0, eval_every=15.0, width=32, batch=64,
                workers=2, seed=0, n_fid=2000, budget_seconds=300.0, lr=RECIPE.lr, bf16=None, refine=True,
                refine_depth=RECIPE.refine_depth, mid_depth=RECIPE.mid_depth, lr_decay=RECIPE.lr_decay) -> dict:
    """Time for the plain and the fast loop to reach the classifier-FID that the reference has after
    ``reference_seconds`` of training.

    Keys ``reference``, ``plain``, ``fast`` (``seconds``, ``steps``, ``fid``, ``reached``) and ``budget``:
    :func:`run_budget` with ``budget_seconds``, ``refine``, ``refine_depth``, ``mid_depth`` and ``lr_decay`` (a
    fresh run of the fast loop). The fast loop trains with Adam(``lr``), the plain loop with the paper's 2e-4.
    """
    device = torch.device(device)
    seed_everything(seed)
    images, labels = load_mnist("train")
    real = to_unit_range(load_mnist("test")[0][:n_fid])
    G, step = reference_parts(device)
    batches = forever(make_loader(images, 64, batch, workers))
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < reference_seconds:
        step(next(batches))
        n += 1
    target = _fid_of(G, 100, device, real, n_fid, reference=True)
    out = {"reference": {"seconds": reference_seconds, "steps": n, "fid": target}}

    def chase(name, G, step, batches):
        t, k, fid, t_run = time.perf_counter(), 0, float("inf"), 0.0
        next_eval = eval_every
        while t_run < max_seconds:
            step(next(batches))
            k += 1
            t_run = time.perf_counter() - t
            if t_run >= next_eval:
                sync(device)
                t_eval = time.perf_counter()
                fid = _fid_of(G, 100, device, real, n_fid)
                t += time.perf_counter() - t_eval                       # evaluation time not counted
                next_eval += eval_every
                if fid <= target:
                    break
        out[name] = {"seconds": t_run, "steps": k, "fid": fid, "reached": fid <= target}

    G, step = plain_parts(device, width)
    chase("plain", G, step, forever(make_loader(images, 28, batch, workers)))
    data = to_unit_range(images.to(device))
    sampler = ResidentSampler(data)
    gen = torch.Generator(device=device).manual_seed(seed)
    G, step = fast_parts(device, width, lr=lr, bf16=bf16)
    chase("fast", G, step, iter(lambda: sampler(batch, gen), None))
    out["budget"] = run_budget(device, budget_seconds, width, batch, seed, n_fid, data=(images, labels), lr=lr,
                                 bf16=bf16, refine=refine, refine_depth=refine_depth, mid_depth=mid_depth,
                                 lr_decay=lr_decay)
    return out


def format_quality(res: dict) -> str:
    """The ``--quality`` results of :func:`run_quality` as text lines."""
    lines = [f"{k:<14} FID {v['fid']:8.2f} after {v['seconds']:7.1f} s ({v['steps']} steps)" for k, v in res.items()]
    b = res["budget"]
    parts = ([f"refine nets, depth {b['refine_depth']}"] if b["refine"] else []) + \
        ([f"mid depth {b['mid_depth']}"] if b.get("mid_depth") else []) + \
        ([f"lr decay over the last {b['lr_decay']:.0%}"] if b.get("lr_decay") else [])
    nets = f" ({', '.join(parts)})" if parts else ""
    lines.append(f"budget{nets}: FID {b['fid']:.2f} = "
                 f"{b['fid'] / b['floor']:.1f}x the real-data floor {b['floor']:.2f}; "
                 f"class proportions alone: {b['balance_floor']:.2f}; confidence {b['confidence']:.3f} "
                 f"(real {b['real_confidence']:.3f}); histogram {b['histogram']}")
    return "\n".join(lines)
