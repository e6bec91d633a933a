"""``python -m gan_course bench --quality``: time to equal classifier-FID, the peer vs ours.

Used for the README's performance figures (no notebook). (a) the peer (pytorch/examples ``dcgan/main.py``,
see :mod:`gan_course.bench`) trains for ``peer_seconds``; its samples (64×64, downsampled to 28×28 by area
averaging) set the classifier-FID (:func:`gan_course.fid.classifier_fid`, ``n_fid`` samples against as many
test images) to reach; then (b) our DCGAN in a naive loop and (c) in the fast loop train until they reach it
(checked every ``eval_every`` seconds of training; evaluation time is not counted) or run out of
``max_seconds``. The issue's target: (c) reaches the peer's 10-minute quality in <= 1/20 of the time.

:func:`run_budget` answers the second target, "near the real-data floor within 5 minutes, with samples the
classifier is confident about": it trains (c) for a fixed time and reports its classifier-FID next to the
real-data floor (training vs test images), the part of the FID due to class proportions alone
(:func:`gan_course.fid.balance_floor`) and the classifier's mean confidence on samples and on real digits.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from .bench import _sync, fast_parts, naive_parts
from .bench_peer import _forever, _loader, peer_parts
from .config import seed_everything
from .data import load_mnist, to_unit_range
from .train import ResidentSampler, linear_decay

#: Adam learning rate of (c) in the quality runs (both players; β₁ = 0.5 as in the paper). Measured on the 2-core
#: CPU, width 32, batch 64, classifier-FID after 300 s (seed 0, fp32, no EMA): 2e-4 (the paper's) 78.8, 5e-4 57.2,
#: 1e-3 51.8, 2e-3 39.4 (seed 1: see the README). (b) keeps the paper's 2e-4: the chase compares loops *and* this.
FAST_LR = 2e-3

#: 3×3 convolutions at 28×28 in G for :func:`run_budget` (``refine_depth`` of :class:`gan_course.nets.DCGANGenerator`).
#: Measured on a 2-core AMD EPYC (bf16, lr 2e-3, EMA 0.999, 300 s; classifier-FID, seeds 0 / 1): depth 1 18.5 / 15.3,
#: depth 2 11.9 / 11.0, depth 3 9.95 / 11.9, depth 4 10.3 / — (README, "Five minutes of (c)"): 2–4 are within the
#: run-to-run spread of each other; 3 had the best mean of the two-seed settings.
REFINE_DEPTH = 3

#: 3×3 convolutions at 14×14 in G and in D for :func:`run_budget` (``mid_depth`` of the nets). Measured on the
#: 2-core EPYC, with depth 3 and the settings above, classifier-FID after 300 s, seeds 0 / 1 / 2 / 3 (README, "After
#: depth 3"): mid depth 0 11.9 / 11.9 / 12.4 / 10.3; 1 9.39 / 8.53 (an exploratory script: 9.18 / 9.93 / 8.95 / 10.1);
#: 2 7.21 / 9.46 / 7.07 / 8.45 (mean 8.05); 3 6.59 / 11.1. 2 has the best mean over four seeds and no outlier.
MID_DEPTH = 2

#: The last fraction of :func:`run_budget`'s time over which both players' Adam lr falls linearly to 0
#: (:func:`gan_course.train.linear_decay`). Measured on the 2-core EPYC with the settings above, classifier-FID after
#: 300 s, seeds 0 / 1 / 2 / 3 (README, "After depth 3"): constant lr 7.21 / 9.46 / 7.07 / 8.45 (mean 8.05); decay over
#: the last 40 % 6.07 / 5.01 / 6.30 / 5.73 (mean 5.78 = 1.7× the floor, lower on every seed, class proportions closer
#: to MNIST's); over the last 70 % 6.83 / 5.41. (Decay over all 300 s had not helped the nets without ``mid_depth``.)
LR_DECAY = 0.4


def _samples(G, z_dim, device, n=2000, peer=False) -> torch.Tensor:
    """``n`` samples ``[n, 1, 28, 28]`` on the CPU, G in eval mode (BatchNorm running averages)."""
    G.eval()
    with torch.no_grad():
        z = torch.randn(n, z_dim, 1, 1, device=device) if peer else torch.randn(n, z_dim, device=device)
        x = G(z).float()
        if peer:
            x = F.interpolate(x, size=(28, 28), mode="area")          # 64×64 → 28×28 by area averaging
    G.train()
    return x.cpu().contiguous()


def _fid_of(G, z_dim, device, real, n=2000, peer=False):
    from .fid import classifier_fid
    return classifier_fid(_samples(G, z_dim, device, n, peer), real)


def run_budget(device="cpu", seconds=300.0, width=32, batch=64, seed=0, n_fid=2000, data=None, lr=FAST_LR,
               bf16=None, refine=True, refine_depth=REFINE_DEPTH, mid_depth=MID_DEPTH, lr_decay=LR_DECAY) -> dict:
    """Train (c) for ``seconds`` (wall clock, from a fresh seeded start) and judge its samples. ``refine``: with
    the nets' 3×3 layers at 28×28, ``refine_depth`` of them in G; ``mid_depth``: 3×3 layers at 14×14 in G and D
    (:class:`gan_course.nets.DCGANGenerator`); the throughput loops keep the lesson's nets. ``lr_decay``: Adam's
    lr falls linearly to 0 over that last fraction of ``seconds`` (:func:`gan_course.train.linear_decay`; 0:
    constant ``lr``).

    Returns ``steps``, ``refine``, ``refine_depth`` (0 without refine), ``mid_depth``, ``lr_decay``, ``seconds``,
    ``fid`` (``n_fid`` samples vs as many test images), ``floor`` (as many training vs test images),
    ``balance_floor`` (real training digits in the samples' class proportions vs the test images: what perfect
    digits in those proportions would score), ``confidence`` (mean max-softmax of the classifier on the samples)
    and ``real_confidence`` (the same on the test images), ``histogram``.
    """
    from .fid import balance_floor, class_histogram, classifier_fid, predict
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
    _sync(device)
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


def run_quality(device="cpu", peer_seconds=600.0, max_seconds=600.0, eval_every=15.0, width=32, batch=64,
                workers=2, seed=0, n_fid=2000, budget_seconds=300.0, lr=FAST_LR, bf16=None, refine=True,
                refine_depth=REFINE_DEPTH, mid_depth=MID_DEPTH, lr_decay=LR_DECAY) -> dict:
    """Time for (b) and (c) to reach the classifier-FID that (a) has after ``peer_seconds`` of training.

    Keys ``a_peer``, ``b_naive_ours``, ``c_fast_ours`` (``seconds``, ``steps``, ``fid``, ``reached``) and
    ``c_budget``: :func:`run_budget` with ``budget_seconds``, ``refine``, ``refine_depth``, ``mid_depth`` and
    ``lr_decay`` (a fresh run of (c)).
    (c) trains with Adam(``lr``).
    """
    device = torch.device(device)
    seed_everything(seed)
    images, labels = load_mnist("train")
    real = to_unit_range(load_mnist("test")[0][:n_fid])
    G, step = peer_parts(device)
    batches = _forever(_loader(images, 64, batch, workers))
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < peer_seconds:
        step(next(batches))
        n += 1
    target = _fid_of(G, 100, device, real, n_fid, peer=True)
    out = {"a_peer": {"seconds": peer_seconds, "steps": n, "fid": target}}

    def chase(name, G, step, batches):
        t, k, fid, t_run = time.perf_counter(), 0, float("inf"), 0.0
        next_eval = eval_every
        while t_run < max_seconds:
            step(next(batches))
            k += 1
            t_run = time.perf_counter() - t
            if t_run >= next_eval:
                _sync(device)
                t_eval = time.perf_counter()
                fid = _fid_of(G, 100, device, real, n_fid)
                t += time.perf_counter() - t_eval                       # evaluation time not counted
                next_eval += eval_every
                if fid <= target:
                    break
        out[name] = {"seconds": t_run, "steps": k, "fid": fid, "reached": fid <= target}

    G, step = naive_parts(device, width)
    chase("b_naive_ours", G, step, _forever(_loader(images, 28, batch, workers)))
    data = to_unit_range(images.to(device))
    sampler = ResidentSampler(data)
    gen = torch.Generator(device=device).manual_seed(seed)
    G, step = fast_parts(device, width, lr=lr, bf16=bf16)
    chase("c_fast_ours", G, step, iter(lambda: sampler(batch, gen), None))
    out["c_budget"] = run_budget(device, budget_seconds, width, batch, seed, n_fid, data=(images, labels), lr=lr,
                                 bf16=bf16, refine=refine, refine_depth=refine_depth, mid_depth=mid_depth,
                                 lr_decay=lr_decay)
    return out


def format_quality(res: dict) -> str:
    """The ``--quality`` results of :func:`run_quality` as text lines."""
    lines = [f"{k:<14} FID {v['fid']:8.2f} after {v['seconds']:7.1f} s ({v['steps']} steps)" for k, v in res.items()]
    b = res["c_budget"]
    parts = ([f"refine nets, depth {b['refine_depth']}"] if b["refine"] else []) + \
        ([f"mid depth {b['mid_depth']}"] if b.get("mid_depth") else []) + \
        ([f"lr decay over the last {b['lr_decay']:.0%}"] if b.get("lr_decay") else [])
    nets = f" ({', '.join(parts)})" if parts else ""
    lines.append(f"c_budget{nets}: FID {b['fid']:.2f} = "
                 f"{b['fid'] / b['floor']:.1f}x the real-data floor {b['floor']:.2f}; "
                 f"class proportions alone: {b['balance_floor']:.2f}; confidence {b['confidence']:.3f} "
                 f"(real {b['real_confidence']:.3f}); histogram {b['histogram']}")
    return "\n".join(lines)
