"""``python -m gan_course train-classifier``: train the MNIST classifier whose features the quality metrics use.

The network and its training are :mod:`gan_course.mnist.classifier`; this writes ``data/weights/classifier.pt``
(or ``--out``) atomically.
"""

from __future__ import annotations

import time
from pathlib import Path

from gan_course.fileio import atomic_save
from gan_course.mnist.classifier import DEFAULT_WEIGHTS, train_classifier


def run(args) -> int:
    t0 = time.perf_counter()
    model, acc = train_classifier(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                                  device=args.device)
    print(f"test accuracy {acc:.4f} on the 10,000 MNIST test images ({time.perf_counter() - t0:.0f} s)")
    if acc < 0.99:
        print("warning: below the 99 % the course expects; try more --epochs")
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    out = Path(args.out)
    atomic_save({"state_dict": state, "test_accuracy": acc,
                 "config": {"epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr, "seed": args.seed}},
                out)
    try:
        shown = out.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = out.name
    print(f"saved {shown} ({out.stat().st_size / 1024:.0f} KiB)")
    return 0 if acc >= 0.99 else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("train-classifier", help="train the MNIST CNN used by classifier-FID (data/weights)",
                              description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default=None, help="cpu, cuda or mps (default: gan_course.config.get_device())")
    p.add_argument("--out", default=str(DEFAULT_WEIGHTS), help="output file (default: data/weights/classifier.pt)")
    p.set_defaults(func=run)
