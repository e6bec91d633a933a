"""Generators written to and read from files: what ``train --export``, ``sample`` and notebook 08 use.

The generator file format: :func:`export_generator` writes ``{"class", "kwargs", "state_dict"}`` (what
``train --export`` and the shipped ``data/weights/dcgan_generator.pt`` hold), :func:`load_generator` reads it or a
``train`` checkpoint (``weights_only=True``, SHA-256 verified when the file carries one: :mod:`gan_course.fileio`;
the EMA generator when the run had ``--ema``) and refuses a generator whose weights are not finite. Notebook 08
loads the shipped generator with it. :func:`draw` runs the generator in batches of at most :data:`BATCH` samples.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from gan_course.fileio import atomic_save, load
from gan_course.mnist import nets, precision
from gan_course.mnist.packing import PackedGenerator
from gan_course.mnist.recipe import FastDCGANGenerator


def _inner_generator(G: nn.Module) -> nn.Module:
    G = precision.unwrap(G)                                      # DDP / Autocast wrappers off
    return G.net if isinstance(G, PackedGenerator) else G


def export_generator(G: nn.Module, spec: dict, path) -> Path:
    """Write ``{"class", "kwargs", "state_dict"}`` of the generator alone (loads with ``weights_only=True``)."""
    G = _inner_generator(G)
    sd = {k: v.detach().cpu().clone() for k, v in G.state_dict().items()}
    return atomic_save({"class": spec["class"], "kwargs": dict(spec["kwargs"]), "state_dict": sd}, path)


#: the generator classes a file may name
GENERATORS = {"MLPGenerator": nets.MLPGenerator, "DCGANGenerator": nets.DCGANGenerator,
              "FastDCGANGenerator": FastDCGANGenerator, "ConditionalGenerator": nets.ConditionalGenerator}


def _current(cls: str, kwargs: dict) -> tuple[str, dict]:
    """Files written before the recipe's nets had their own class name them ``DCGANGenerator`` with
    ``refine``/``refine_depth``/``mid_depth`` keywords: the same layers as :class:`FastDCGANGenerator`."""
    deeper = {"refine", "refine_depth", "mid_depth"}
    if cls != "DCGANGenerator" or not deeper & set(kwargs):
        return cls, kwargs
    kw = {k: v for k, v in kwargs.items() if k not in deeper}
    return "FastDCGANGenerator", {**kw, "refine_depth": kwargs.get("refine_depth", 1) if kwargs.get("refine") else 0,
                                  "mid_depth": kwargs.get("mid_depth", 0)}


def load_generator(path, device=None) -> nn.Module:
    """A generator in eval mode from an ``--export`` file or a ``train`` checkpoint (``weights_only=True``).

    ``data/weights/dcgan_generator.pt`` (shipped) loads with this: ``G = load_generator(path)``;
    ``G(torch.randn(16, G.z_dim))`` → ``[16, 1, 28, 28]`` in [−1, 1].
    """
    blob = load(path, "generator file")
    if not isinstance(blob, dict):
        raise ValueError(f"{path} is neither a train checkpoint nor an exported generator")
    if "class" in blob:
        cls, kwargs, sd = blob["class"], blob["kwargs"], blob["state_dict"]
    elif "extra" in blob and "generator" in blob["extra"]:
        spec = blob["extra"]["generator"]
        cls, kwargs, sd = spec["class"], spec["kwargs"], blob["G"]
        if "G_ema" in blob:                                       # trained with --ema: sample from the average
            sd = {k[len("module."):]: v for k, v in blob["G_ema"].items() if k.startswith("module.")}
        if cls == "ConditionalGenerator":
            sd = {k[len("net."):]: v for k, v in sd.items()}
    else:
        raise ValueError(f"{path} is neither a train checkpoint nor an exported generator")
    cls, kwargs = _current(cls, kwargs)
    if cls not in GENERATORS:
        raise ValueError(f"{path}: generator class {cls!r} is not one of {tuple(GENERATORS)}")
    bad = [k for k, v in sd.items() if v.is_floating_point() and not torch.isfinite(v).all()]
    if bad:
        raise ValueError(f"{path}: the generator's weights are not finite (NaN or inf) in {', '.join(bad[:3])}: "
                         "the run that wrote it diverged; use an earlier checkpoint")
    G = GENERATORS[cls](**kwargs)
    G.load_state_dict(sd)
    return G.to(device or "cpu").eval()


#: the most samples :func:`draw` puts through the generator at once
BATCH = 1000


@torch.no_grad()
def draw(G: nn.Module, n: int, seed: int = 0) -> torch.Tensor:
    """``n`` samples ``[n, 1, 28, 28]`` from ``G`` (a conditional G draws digits 0..9 in turn, row-wise), generated
    in batches of at most :data:`BATCH` from one noise draw ``[n, z_dim]``."""
    dev = next(G.parameters()).device
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, G.z_dim, generator=g)
    y = torch.arange(n) % G.n_classes if isinstance(G, nets.ConditionalGenerator) else None
    out = []
    for i in range(0, n, BATCH):
        zb = z[i:i + BATCH].to(dev)
        out.append((G(zb) if y is None else G(zb, y[i:i + BATCH].to(dev))).cpu())
    return torch.cat(out)
