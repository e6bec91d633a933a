"""``python -m gan_course sample``: a grid of digits from a ``train`` checkpoint or an exported generator.

Also the generator file format: :func:`export_generator` writes ``{"class", "kwargs", "state_dict"}`` (what
``train --export`` and the shipped ``data/weights/dcgan_generator.pt`` hold), :func:`load_generator` reads it or a
``train`` checkpoint (``weights_only=True``; the EMA generator when the run had ``--ema``). Notebook 08 loads the
shipped generator with it.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from . import nets, precision
from .config import get_device
from .packing import PackedGenerator
from .train import atomic_save


def register(subparsers) -> None:
    from .train_cli import _positive                             # the CLI's one number check (no import cycle here)
    s = subparsers.add_parser("sample", help="draw a grid of samples from a checkpoint or exported generator")
    s.add_argument("--checkpoint", required=True,
                   help="a train checkpoint (its EMA generator if trained with --ema) or a file written by --export")
    s.add_argument("--out", default="grid.png", help="PNG to write (default grid.png)")
    s.add_argument("-n", type=_positive("n"), default=100, help="number of samples (cgan: rows of 10 digits 0..9)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--device", default=None)
    s.set_defaults(func=run_sample)


def _inner_generator(G: nn.Module) -> nn.Module:
    G = precision.unwrap(G)                                      # DDP / Autocast wrappers off
    return G.net if isinstance(G, PackedGenerator) else G


def export_generator(G: nn.Module, spec: dict, path) -> Path:
    """Write ``{"class", "kwargs", "state_dict"}`` of the generator alone (loads with ``weights_only=True``)."""
    G = _inner_generator(G)
    sd = {k: v.detach().cpu().clone() for k, v in G.state_dict().items()}
    return atomic_save({"class": spec["class"], "kwargs": dict(spec["kwargs"]), "state_dict": sd}, path)


def load_generator(path, device=None) -> nn.Module:
    """A generator in eval mode from an ``--export`` file or a ``train`` checkpoint (``weights_only=True``).

    ``data/weights/dcgan_generator.pt`` (shipped) loads with this: ``G = load_generator(path)``;
    ``G(torch.randn(16, G.z_dim))`` → ``[16, 1, 28, 28]`` in [−1, 1].
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"generator file {path} does not exist")
    blob = torch.load(path, map_location="cpu", weights_only=True)
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
    allowed = ("MLPGenerator", "DCGANGenerator", "ConditionalGenerator")
    if cls not in allowed:
        raise ValueError(f"{path}: generator class {cls!r} is not one of {allowed}")
    G = getattr(nets, cls)(**kwargs)
    G.load_state_dict(sd)
    return G.to(device or "cpu").eval()


@torch.no_grad()
def draw(G: nn.Module, n: int, seed: int = 0) -> torch.Tensor:
    """``n`` samples ``[n, 1, 28, 28]`` from ``G`` (a conditional G draws digits 0..9 in turn, row-wise)."""
    dev = next(G.parameters()).device
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, G.z_dim, generator=g).to(dev)
    if isinstance(G, nets.ConditionalGenerator):
        return G(z, (torch.arange(n) % G.n_classes).to(dev))
    return G(z)


def run_sample(args) -> int:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import image_grid

    G = load_generator(args.checkpoint, get_device(args.device))
    imgs = draw(G, args.n, args.seed)
    grid = image_grid(imgs.cpu(), nrow=10, pad_value=0.0)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    plt.imsave(out, 1 - grid, cmap="gray", vmin=0, vmax=1)
    print(f"wrote {args.n} samples to {out}")
    return 0
