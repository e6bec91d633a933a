"""``python -m gan_course bench --quality``: time to equal classifier-FID, the peer vs ours.

Used for the README's performance figures (no notebook). (a) the peer (pytorch/examples ``dcgan/main.py``,
see :mod:`gan_course.bench`) trains for ``peer_seconds``; its samples (64×64, downsampled to 28×28 by area
averaging) set the classifier-FID (:func:`gan_course.fid.classifier_fid`, ``n_fid`` samples against as many
test images) to reach; then (b) our DCGAN in a naive loop and (c) in the fast loop train until they reach it
(checked every ``eval_every`` seconds of training; evaluation time is not counted) or run out of
``max_seconds``. The issue's target: (c) reaches the peer's 10-minute quality in <= 1/20 of the time.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from .bench import _forever, _loader, _sync, fast_parts, naive_parts, peer_parts
from .config import seed_everything
from .data import load_mnist, to_unit_range
from .train import ResidentSampler


def _fid_of(G, z_dim, device, real, n=2000, peer=False):
    from .fid import classifier_fid
    G.eval()
    with torch.no_grad():
        z = torch.randn(n, z_dim, 1, 1, device=device) if peer else torch.randn(n, z_dim, device=device)
        x = G(z).float()
        if peer:
            x = F.interpolate(x, size=(28, 28), mode="area")          # 64×64 → 28×28 by area averaging
    G.train()
    return classifier_fid(x.cpu().contiguous(), real)


def run_quality(device="cpu", peer_seconds=600.0, max_seconds=600.0, eval_every=15.0, width=32, batch=64,
                workers=2, seed=0, n_fid=2000) -> dict:
    """Time for (b) and (c) to reach the classifier-FID that (a) has after ``peer_seconds`` of training."""
    device = torch.device(device)
    seed_everything(seed)
    images, _ = load_mnist("train")
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
    G, step = fast_parts(device, width)
    chase("c_fast_ours", G, step, iter(lambda: sampler(batch, gen), None))
    return out
