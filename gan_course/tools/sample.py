"""``python -m gan_course sample``: a grid of digits from a ``train`` checkpoint or an exported generator."""

from __future__ import annotations

from pathlib import Path

from gan_course.config import get_device
from gan_course.mnist.checkpoints import draw, load_generator
from gan_course.plots import image_grid
from gan_course.tools.args import positive_int


def register(subparsers) -> None:
    s = subparsers.add_parser("sample", help="draw a grid of samples from a checkpoint or exported generator")
    s.add_argument("--checkpoint", required=True,
                   help="a train checkpoint (its EMA generator if trained with --ema) or a file written by --export")
    s.add_argument("--out", default="grid.png", help="PNG to write (default grid.png)")
    s.add_argument("-n", type=positive_int("n"), default=100, help="number of samples (cgan: rows of 10 digits 0..9)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--device", default=None)
    s.set_defaults(func=run_sample)


def run_sample(args) -> int:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    G = load_generator(args.checkpoint, get_device(args.device))
    imgs = draw(G, args.n, args.seed)
    grid = image_grid(imgs.cpu(), nrow=10, pad_value=0.0)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    plt.imsave(out, 1 - grid, cmap="gray", vmin=0, vmax=1)
    print(f"wrote {args.n} samples to {out}")
    return 0
