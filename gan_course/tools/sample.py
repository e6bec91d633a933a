"""``python -m gan_course sample``: a grid of digits from a ``train`` checkpoint or an exported generator.

At most :data:`MAX_SAMPLES` samples, drawn in batches (:func:`gan_course.mnist.checkpoints.draw`); the image is
written atomically in a format matplotlib's ``imsave`` writes, chosen by the extension of ``--out``
(:data:`FORMATS`).
"""

from __future__ import annotations

from pathlib import Path

from gan_course.config import get_device
from gan_course.fileio import atomic_write, check_writable
from gan_course.mnist.checkpoints import draw, load_generator
from gan_course.plots import image_grid
from gan_course.tools.args import device, file_with_suffix, integer, non_negative_int

#: the image formats ``--out`` may end in
FORMATS = ("png", "jpg", "jpeg", "pdf", "svg", "tif", "tiff")
#: the most samples one grid holds (10,000 digits: a 2,800 × 2,800-pixel image)
MAX_SAMPLES = 10_000


def register(subparsers) -> None:
    s = subparsers.add_parser("sample", help="draw a grid of samples from a checkpoint or exported generator")
    s.add_argument("--checkpoint", required=True,
                   help="a train checkpoint (its EMA generator if trained with --ema) or a file written by --export")
    s.add_argument("--out", type=file_with_suffix("out", FORMATS), default="grid.png",
                   help=f"image to write (default grid.png), one of: {', '.join(FORMATS)}")
    s.add_argument("-n", type=integer("n", 1, MAX_SAMPLES), default=100,
                   help=f"number of samples, at most {MAX_SAMPLES:,} (cgan: rows of 10 digits 0..9)")
    s.add_argument("--seed", type=non_negative_int("seed"), default=0)
    s.add_argument("--device", type=device, default=None)
    s.set_defaults(func=run_sample)


def run_sample(args) -> int:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = check_writable(args.out, "--out")
    G = load_generator(args.checkpoint, get_device(args.device))
    grid = image_grid(draw(G, args.n, args.seed), nrow=10, pad_value=0.0)
    fmt = Path(out).suffix.lower().lstrip(".")
    fmt = {"jpg": "jpeg", "tif": "tiff"}.get(fmt, fmt)                # the names Pillow knows them by
    atomic_write(out, lambda f: plt.imsave(f, 1 - grid, cmap="gray", vmin=0, vmax=1, format=fmt))
    print(f"wrote {args.n} samples to {out}")
    return 0
