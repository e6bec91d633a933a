"""``python -m gan_course train-classifier``: train the MNIST classifier whose features the quality metrics use.

The network and its training are :mod:`gan_course.mnist.classifier`. The new weights are written (atomically, with
a SHA-256) to a new file beside ``--out`` (``classifier.new.pt`` for the default ``data/weights/classifier.pt``);
they replace ``--out`` only when the test accuracy reaches :data:`MIN_ACCURACY`. Otherwise ``--out`` is left as it
was, the new file is kept for a look, and the command fails.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from gan_course.fileio import atomic_save, check_writable
from gan_course.mnist.classifier import DEFAULT_WEIGHTS, train_classifier
from gan_course.tools.args import device, non_negative_int, positive_float, positive_int

#: the test accuracy the course's metrics assume of the judge
MIN_ACCURACY = 0.99


def _shown(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def run(args) -> int:
    out = Path(args.out)
    new = check_writable(out.with_name(f"{out.stem}.new{out.suffix}"), "--out")
    check_writable(out, "--out")
    t0 = time.perf_counter()
    model, acc = train_classifier(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                                  device=args.device)
    print(f"test accuracy {acc:.4f} on the 10,000 MNIST test images ({time.perf_counter() - t0:.0f} s)")
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    atomic_save({"state_dict": state, "test_accuracy": acc,
                 "config": {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed}},
                new)
    if acc < MIN_ACCURACY:
        raise ValueError(f"test accuracy {acc:.4f} is below the {MIN_ACCURACY:.0%} the course expects: {_shown(out)} "
                         f"is unchanged, the new weights are in {_shown(new)}; try more --epochs")
    os.replace(new, out)
    print(f"saved {_shown(out)} ({out.stat().st_size / 1024:.0f} KiB)")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("train-classifier", help="train the MNIST CNN used by classifier-FID (data/weights)",
                              description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=positive_int("epochs"), default=4)
    p.add_argument("--batch-size", type=positive_int("batch-size"), default=128)
    p.add_argument("--lr", type=positive_float("lr"), default=2e-3)
    p.add_argument("--seed", type=non_negative_int("seed"), default=0)
    p.add_argument("--device", type=device, default=None, help="cpu, cuda or mps (default: gan_course.config.get_device())")
    p.add_argument("--out", default=str(DEFAULT_WEIGHTS),
                   help="output file (default: data/weights/classifier.pt), replaced only when the accuracy reaches 99 %%")
    p.set_defaults(func=run)
