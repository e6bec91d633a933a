"""``python -m gan_course train {mlp,dcgan,cgan}`` (``sample``: :mod:`gan_course.sample_cli`).

The command-line face of :class:`gan_course.train.GANTrainer` (notebook 02's Algorithm 1, used on
MNIST in notebooks 08–09): the nets of :mod:`gan_course.nets`, MNIST resident on the device
(:func:`gan_course.data.mnist_tensor`, minibatches by index — no DataLoader, no per-batch
host→device copy), Adam(lr, β₁ = 0.5) as in DCGAN, atomic checkpoints every N steps, and
``--resume`` that continues the run exactly (weights, optimiser moments, RNG and data-order states).

Under ``torchrun --nproc_per_node=N`` the same command trains with DistributedDataParallel
(:mod:`gan_course.distributed`): each rank its own shard and permutation of the data and its own
noise stream; only rank 0 writes checkpoints and logs; the checkpoint holds every rank's RNG state.

The conditional GAN (``cgan``) goes through the unconditional trainer by packing the label with
the data (:mod:`gan_course.packing`): noise rows are ``[z, y]`` (``[B, z_dim + 1]``) and images carry a
second, constant channel equal to ``y`` (``[B, 2, 28, 28]``).
"""

from __future__ import annotations

import argparse
import functools
import time
from pathlib import Path

import torch

from . import distributed as ddp
from . import nets
from . import precision
from .config import get_device, native_bf16, seed_everything
from .data import load_mnist, to_unit_range
from .ema import EMA
from .packing import PackedDiscriminator, PackedGenerator, ShardSampler, noise_sampler  # also imported from here by notebook 09
from .sample_cli import export_generator, load_generator  # noqa: F401  (load_generator: also imported from here)
from .train import GANTrainer, linear_decay

KINDS = ("mlp", "dcgan", "cgan")


@functools.lru_cache(maxsize=1)
def _mnist_train():
    """The training split, read (and md5-checked) once per process."""
    return load_mnist("train")


#: values of the resume-checked keys in checkpoints written before the key existed
_OLD_DEFAULTS = {"refine": False, "refine_depth": 1, "mid_depth": 0, "ema": 0.0}


def build(kind: str, z_dim: int = 100, width: int = 32, refine: bool = False, refine_depth: int = 1,
          mid_depth: int = 0):
    """``(G, D, generator_spec)`` for ``kind``; ``generator_spec`` = ``{"class", "kwargs"}`` rebuilds G.
    ``refine`` (dcgan only): the nets' 3×3 layers at 28×28, ``refine_depth`` of them in G; ``mid_depth`` (dcgan
    only): 3×3 layers at 14×14 in G and D (:class:`gan_course.nets.DCGANGenerator`)."""
    if (refine or refine_depth != 1) and kind != "dcgan":
        raise ValueError(f"refine applies to the dcgan kind only, got kind {kind!r}")
    if mid_depth and kind != "dcgan":
        raise ValueError(f"mid_depth applies to the dcgan kind only, got kind {kind!r}")
    if kind == "mlp":
        gk = {"z_dim": z_dim, "hidden": width}
        return nets.MLPGenerator(**gk), nets.MLPDiscriminator(hidden=width), {"class": "MLPGenerator", "kwargs": gk}
    if kind == "dcgan":
        gk = {"z_dim": z_dim, "ngf": width, **({"refine": True} if refine else {}),
              **({"refine_depth": refine_depth} if refine_depth != 1 else {}),        # old files' kwargs unchanged
              **({"mid_depth": mid_depth} if mid_depth else {})}
        return (nets.DCGANGenerator(**gk), nets.DCGANDiscriminator(ndf=width, refine=refine, mid_depth=mid_depth),
                {"class": "DCGANGenerator", "kwargs": gk})
    if kind == "cgan":
        gk = {"z_dim": z_dim, "ngf": width}
        return (PackedGenerator(nets.ConditionalGenerator(**gk)), PackedDiscriminator(nets.ConditionalDiscriminator(ndf=width)),
                {"class": "ConditionalGenerator", "kwargs": gk})
    raise ValueError(f"model kind must be one of {', '.join(KINDS)}, got {kind!r}")


class CLITrainer(GANTrainer):
    """:class:`GANTrainer` whose checkpoints hold the *unwrapped* nets (no DDP / Autocast ``module.`` prefix) and, with
    ``ema`` (a :class:`gan_course.ema.EMA`, also in ``callbacks``), the averaged generator as ``"G_ema"``."""

    ema: EMA | None = None

    def state_dict(self) -> dict:
        G, D = self.G, self.D
        self.G, self.D = precision.unwrap(G), precision.unwrap(D)
        try:
            s = super().state_dict()
        finally:
            self.G, self.D = G, D
        return {**s, "G_ema": self.ema.state_dict()} if self.ema else s

    def load_state_dict(self, s: dict) -> None:
        G, D = self.G, self.D
        self.G, self.D = precision.unwrap(G), precision.unwrap(D)
        try:
            super().load_state_dict(s)
        finally:
            self.G, self.D = G, D
        if self.ema:
            self.ema.load_state_dict(s["G_ema"])


def _positive(name, zero_ok=False):
    def parse(v):
        try:
            x = type_(v)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {v!r}") from None
        if x < 0 or (x == 0 and not zero_ok):
            raise argparse.ArgumentTypeError(f"{name} must be {'≥' if zero_ok else '>'} 0, got {v!r}")
        return x
    type_ = float if name == "lr" else int
    return parse


def _non_negative(name):
    return _positive(name, zero_ok=True)


def _ema_beta(v):
    try:
        x = float(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ema must be a number, got {v!r}") from None
    if not 0 <= x < 1:
        raise argparse.ArgumentTypeError(f"ema must be 0 (off) or in (0, 1), got {v!r}")
    return x


def _fraction(v):
    try:
        x = float(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"lr-decay must be a number, got {v!r}") from None
    if not 0 <= x <= 1:
        raise argparse.ArgumentTypeError(f"lr-decay must be a fraction in [0, 1], got {v!r}")
    return x


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="train an MNIST GAN (mlp, dcgan, cgan) with checkpoints; torchrun-ready")
    p.add_argument("kind", choices=KINDS, help="mlp: the seed's MLP GAN; dcgan: DCGAN 28×28; cgan: conditional DCGAN")
    p.add_argument("--epochs", type=_positive("epochs"), default=1, help="passes over (this rank's share of) MNIST")
    p.add_argument("--steps", type=_positive("steps"), default=None, help="total iterations (overrides --epochs)")
    p.add_argument("--batch-size", type=_positive("batch-size"), default=64, help="minibatch per rank (default 64)")
    p.add_argument("--lr", type=_positive("lr"), default=2e-4,
                   help="Adam learning rate, β₁ = 0.5 (default 2e-4); with --resume it replaces the saved one")
    p.add_argument("--width", type=_positive("width"), default=32, help="ngf = ndf (DCGAN) or hidden (MLP); default 32")
    p.add_argument("--z-dim", type=_positive("z-dim"), default=100)
    p.add_argument("--ema", type=_ema_beta, default=0.0, metavar="BETA",
                   help="also keep an EMA of G's weights (e.g. 0.999; gan_course.ema), saved and exported; 0: off")
    p.add_argument("--lr-decay", type=_fraction, default=0.0, metavar="F",
                   help="lr falls linearly to 0 over the last fraction F of the run's steps (default 0: constant)")
    p.add_argument("--refine", action="store_true",
                   help="dcgan: a 3×3 conv at 28×28 in G and D (nets' refine=True; the bench's 5-minute run)")
    p.add_argument("--refine-depth", type=_positive("refine-depth"), default=1, metavar="N",
                   help="with --refine: N 3×3 convs at 28×28 in G (nets' refine_depth; default 1)")
    p.add_argument("--mid-depth", type=_non_negative("mid-depth"), default=0, metavar="N",
                   help="dcgan: N 3×3 convs at 14×14 in G and in D (nets' mid_depth; default 0)")
    p.add_argument("--bf16", choices=("off", "on", "auto"), default="off",
                   help="forward passes under bf16 autocast (gan_course.precision); auto: where native "
                        "(CUDA, CPUs with AMX/AVX512-BF16; 1.7x the images/s on a 2-core EPYC, README); default off (fp32)")
    p.add_argument("--loss", default="non_saturating", help="a kind from gan_course.losses (default non_saturating)")
    p.add_argument("--device", default=None, help="cpu, cuda, mps (default: gan_course.config.get_device())")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="checkpoint path (default runs/KIND.pt)")
    p.add_argument("--checkpoint-every", type=int, default=500, help="write the checkpoint every N steps (0: only at the end)")
    p.add_argument("--resume", nargs="?", const=True, default=None, metavar="CHECKPOINT",
                   help="continue from CHECKPOINT (default: --out) exactly where it stopped")
    p.add_argument("--export", default=None, help="also write the generator alone (state_dict + kwargs) to this path")
    p.add_argument("--threads", type=_positive("threads"), default=None,
                   help="torch CPU threads per process (default: torch's choice; 1 is fastest on a busy machine)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run_train)


def _say(rank: int, msg: str) -> None:
    if rank == 0:
        print(msg, flush=True)


def run_train(args) -> int:
    if args.seed < 0:
        raise ValueError(f"--seed must be >= 0, got {args.seed}")
    if args.threads:
        torch.set_num_threads(args.threads)
    device = get_device(args.device)
    rank, world, device = ddp.init(device)
    try:
        return _train(args, rank, world, device)
    finally:
        ddp.shutdown()


def _train(args, rank: int, world: int, device: torch.device) -> int:
    out = Path(args.out or f"runs/{args.kind}.pt")
    seed_everything(args.seed)                                   # same initial weights on every rank
    G, D, spec = build(args.kind, args.z_dim, args.width, args.refine, args.refine_depth, args.mid_depth)
    G.apply(nets.weights_init)
    D.apply(nets.weights_init)
    G, D = G.to(device), D.to(device)
    bf16 = args.bf16 == "on" or (args.bf16 == "auto" and native_bf16(device))
    if bf16:                                                     # DDP(Autocast(net)): only the forward is autocast
        if args.kind != "mlp":                                   # oneDNN/cuDNN's fast bf16 convolutions want NHWC
            G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
        G, D = precision.Autocast(G), precision.Autocast(D)
    G, D = ddp.wrap(G, device), ddp.wrap(D, device)
    opt_g = torch.optim.Adam(G.parameters(), lr=args.lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=args.lr, betas=(0.5, 0.999))

    images, labels = _mnist_train()
    x = to_unit_range(images.to(device))                          # [60000, 1, 28, 28] on the device
    y = labels.to(device) if args.kind == "cgan" else None
    sampler = ShardSampler(x, y, ddp.shard(len(x), rank, world))
    gen = torch.Generator(device=device).manual_seed(args.seed * 1000 + rank)   # this rank's stream
    per_epoch = len(sampler.index.data) // args.batch_size
    total = args.steps if args.steps is not None else args.epochs * per_epoch

    extra = {"kind": args.kind, "generator": spec, "width": args.width, "z_dim": args.z_dim,
             "refine": spec["kwargs"].get("refine", False), "refine_depth": spec["kwargs"].get("refine_depth", 1),
             "mid_depth": args.mid_depth, "ema": args.ema, "bf16": bf16, "world_size": world,
             "batch_size": args.batch_size, "lr": args.lr, "lr_decay": args.lr_decay, "seed": args.seed}
    tr = CLITrainer(G, D, opt_g, opt_d, sampler, noise_sampler(args.z_dim, args.kind == "cgan"),
                    batch_size=args.batch_size, loss=args.loss, generator=gen,
                    checkpoint=out if rank == 0 else None, checkpoint_every=args.checkpoint_every,
                    extra_state=extra)
    if args.ema:
        tr.ema = EMA(precision.unwrap(G), args.ema)
        tr.callbacks.append(tr.ema)

    def record_ranks(t):                                         # every rank's RNG + data order, into rank 0's file
        t.extra_state["ranks"] = ddp.gather_objects({"generator": t.generator.get_state().cpu(),
                                                     "sampler": t.sample_real.state_dict()})
    if world > 1:
        n = args.checkpoint_every or total
        tr.callbacks.append(lambda t: record_ranks(t) if (t.step % n == 0 or t.step == total) else None)

    if args.resume:
        path = out if args.resume is True else Path(args.resume)
        if not path.is_file():
            raise FileNotFoundError(f"checkpoint {path} does not exist (nothing to resume)")
        blob = torch.load(path, map_location="cpu", weights_only=True)
        old = blob.get("extra", {})
        for key in ("kind", "width", "z_dim", "refine", "refine_depth", "mid_depth", "ema", "world_size", "batch_size"):
            was = old.get(key, _OLD_DEFAULTS.get(key))
            if was != extra[key]:
                raise ValueError(f"cannot resume {path}: it was trained with {key}={was!r}, "
                                 f"this run asks for {key}={extra[key]!r}")
        tr.load_state_dict(blob)
        if world > 1 and "ranks" in old:
            mine = old["ranks"][rank]
            tr.generator.set_state(mine["generator"].to(tr.generator.get_state().device))
            tr.sample_real.load_state_dict(mine["sampler"])
        tr.extra_state = {**extra, **{k: v for k, v in old.items() if k == "ranks"}}
        for group in (*opt_g.param_groups, *opt_d.param_groups):
            group["lr"] = args.lr                                 # the saved state holds the old rate
        if old.get("lr") != args.lr:
            _say(rank, f"learning rate {old.get('lr')} -> {args.lr} from step {tr.step}")
        if old.get("lr_decay", 0.0) != args.lr_decay:
            _say(rank, f"lr decay {old.get('lr_decay', 0.0)} -> {args.lr_decay} from step {tr.step}")
        if old.get("bf16", False) != bf16:                       # allowed (another machine), but not bit-exact
            _say(rank, f"precision {'bf16' if old.get('bf16') else 'fp32'} -> {'bf16' if bf16 else 'fp32'} "
                       f"from step {tr.step}")
        _say(rank, f"resumed {path} at step {tr.step}")
    if args.lr_decay:                                            # from the step reached: exact after --resume too
        def decay(t):
            for group in (*opt_g.param_groups, *opt_d.param_groups):
                group["lr"] = args.lr * linear_decay(t.step, total, args.lr_decay)
        decay(tr)
        tr.callbacks.append(decay)
    todo = max(total - tr.step, 0)
    _say(rank, f"training {args.kind} on {device} × {world} process(es), {'bf16 autocast' if bf16 else 'fp32'}: "
               f"steps {tr.step} → {total} ({per_epoch} per epoch, batch {args.batch_size} per process)")
    t0 = time.perf_counter()
    hist = tr.train(todo, progress=(rank == 0 and not args.quiet), desc=f"train {args.kind}")
    dt = time.perf_counter() - t0
    if todo:
        _say(rank, f"done: step {tr.step}, d_loss {hist['d_loss'][-1]:.3f}, g_loss {hist['g_loss'][-1]:.3f}, "
                   f"{todo * args.batch_size * world / dt:.0f} images/s; checkpoint {out}")
    if rank == 0 and args.export:
        export_generator(tr.ema.module if tr.ema else tr.G, spec, args.export)
        _say(rank, f"{'EMA ' if tr.ema else ''}generator exported to {args.export}")
    return 0
