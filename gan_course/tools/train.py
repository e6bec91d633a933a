"""``python -m gan_course train {mlp,dcgan,cgan}`` (``sample``: :mod:`gan_course.tools.sample`).

The command-line face of :class:`gan_course.train.GANTrainer` (notebook 02's Algorithm 1, used on
MNIST in notebooks 08–09): the nets of :mod:`gan_course.mnist.nets` (``--refine``/``--mid-depth``: the fast
recipe's nets, :mod:`gan_course.mnist.recipe`), MNIST resident on the device
(:func:`gan_course.data.mnist_tensor`, minibatches by index — no DataLoader, no per-batch
host→device copy), Adam(lr, β₁ = 0.5) as in DCGAN, atomic checkpoints every N steps, and
``--resume`` that continues the run exactly (weights, optimiser moments, RNG and data-order states).

Nothing is lost: an existing ``--out`` is replaced only by ``--resume`` from it or with ``--force`` (an existing
``--export`` with ``--resume`` or ``--force``); both paths are probed for writing before training starts; a run
that would train 0 steps is refused; checkpoints carry a SHA-256, verified on ``--resume``, and never hold
non-finite weights (:class:`gan_course.train.TrainingDiverged` names the last good step).

Under ``torchrun --nproc_per_node=N`` the same command trains with DistributedDataParallel
(:mod:`gan_course.mnist.distributed`): each rank its own shard and permutation of the data and its own
noise stream; only rank 0 writes checkpoints and logs; the checkpoint holds every rank's RNG state.

The conditional GAN (``cgan``) goes through the unconditional trainer by packing the label with
the data (:mod:`gan_course.mnist.packing`): noise rows are ``[z, y]`` (``[B, z_dim + 1]``) and images carry a
second, constant channel equal to ``y`` (``[B, 2, 28, 28]``).
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import torch

from gan_course.config import get_device, seed_everything
from gan_course.data import FILES, load_mnist, to_unit_range
from gan_course.fileio import check_writable, load
from gan_course.losses import KINDS as LOSSES
from gan_course.mnist import distributed as ddp
from gan_course.mnist import nets, precision
from gan_course.mnist.checkpoints import export_generator
from gan_course.mnist.ema import EMA
from gan_course.mnist.packing import (
    PackedDiscriminator,
    PackedGenerator,
    ShardSampler,
    noise_sampler,
)
from gan_course.mnist.recipe import RECIPE, FastDCGANDiscriminator, FastDCGANGenerator, train_for
from gan_course.tools.args import (
    device,
    non_negative_int,
    positive_float,
    positive_int,
    unit_interval,
)
from gan_course.train import GANTrainer, linear_decay, set_lr

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
    ``refine`` (dcgan only): 3×3 layers at 28×28, ``refine_depth`` of them in G; ``mid_depth`` (dcgan only): 3×3
    layers at 14×14 in G and D. Either one gives the fast recipe's nets (:mod:`gan_course.mnist.recipe`)."""
    if (refine or refine_depth != 1) and kind != "dcgan":
        raise ValueError(f"refine applies to the dcgan kind only, got kind {kind!r}")
    if mid_depth and kind != "dcgan":
        raise ValueError(f"mid_depth applies to the dcgan kind only, got kind {kind!r}")
    if refine_depth != 1 and not refine:
        raise ValueError(f"refine_depth applies with refine=True only, got refine_depth={refine_depth!r}")
    if kind == "mlp":
        gk = {"z_dim": z_dim, "hidden": width}
        return nets.MLPGenerator(**gk), nets.MLPDiscriminator(hidden=width), {"class": "MLPGenerator", "kwargs": gk}
    if kind == "dcgan" and (refine or mid_depth):
        gk = {"z_dim": z_dim, "ngf": width, "refine_depth": refine_depth if refine else 0, "mid_depth": mid_depth}
        return (FastDCGANGenerator(**gk), FastDCGANDiscriminator(ndf=width, refine=refine, mid_depth=mid_depth),
                {"class": "FastDCGANGenerator", "kwargs": gk})
    if kind == "dcgan":
        gk = {"z_dim": z_dim, "ngf": width}
        return nets.DCGANGenerator(**gk), nets.DCGANDiscriminator(ndf=width), {"class": "DCGANGenerator", "kwargs": gk}
    if kind == "cgan":
        gk = {"z_dim": z_dim, "ngf": width}
        return (PackedGenerator(nets.ConditionalGenerator(**gk)), PackedDiscriminator(nets.ConditionalDiscriminator(ndf=width)),
                {"class": "ConditionalGenerator", "kwargs": gk})
    raise ValueError(f"model kind must be one of {', '.join(KINDS)}, got {kind!r}")


class CLITrainer(GANTrainer):
    """:class:`GANTrainer` whose checkpoints hold the *unwrapped* nets (no DDP / Autocast ``module.`` prefix) and, with
    ``ema`` (a :class:`gan_course.mnist.ema.EMA`, also in ``callbacks``), the averaged generator as ``"G_ema"``."""

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


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="train an MNIST GAN (mlp, dcgan, cgan) with checkpoints; torchrun-ready")
    p.add_argument("kind", choices=KINDS, help="mlp: an MLP GAN; dcgan: DCGAN 28×28; cgan: conditional DCGAN")
    p.add_argument("--epochs", type=positive_int("epochs"), default=1, help="passes over (this rank's share of) MNIST")
    p.add_argument("--steps", type=positive_int("steps"), default=None, help="total iterations (overrides --epochs)")
    p.add_argument("--batch-size", type=positive_int("batch-size"), default=64, help="minibatch per rank (default 64)")
    p.add_argument("--lr", type=positive_float("lr"), default=2e-4,
                   help="Adam learning rate, β₁ = 0.5 (default 2e-4); with --resume it replaces the saved one")
    p.add_argument("--width", type=positive_int("width"), default=32, help="ngf = ndf (DCGAN) or hidden (MLP); default 32")
    p.add_argument("--z-dim", type=positive_int("z-dim"), default=100)
    p.add_argument("--ema", type=unit_interval("ema", closed=False), default=0.0, metavar="BETA",
                   help="also keep an EMA of G's weights (e.g. 0.999; gan_course.mnist.ema), saved and exported; 0: off")
    p.add_argument("--lr-decay", type=unit_interval("lr-decay"), default=0.0, metavar="F",
                   help="lr falls linearly to 0 over the last fraction F of the run's steps (default 0: constant)")
    p.add_argument("--refine", action="store_true",
                   help="dcgan: 3×3 convs at 28×28 in G and D (the fast recipe's nets, gan_course.mnist.recipe)")
    p.add_argument("--refine-depth", type=positive_int("refine-depth"), default=1, metavar="N",
                   help="with --refine: N 3×3 convs at 28×28 in G (default 1; the recipe: 3)")
    p.add_argument("--mid-depth", type=non_negative_int("mid-depth"), default=0, metavar="N",
                   help="dcgan: N 3×3 convs at 14×14 in G and in D (default 0; the recipe: 2)")
    p.add_argument("--bf16", choices=("off", "on", "auto"), default="off",
                   help="forward passes under bf16 autocast (gan_course.mnist.precision); auto: where native "
                        "(CUDA, CPUs with AMX/AVX512-BF16; docs/benchmarks.md); default off (fp32)")
    p.add_argument("--loss", choices=LOSSES, default="non_saturating",
                   help="a kind from gan_course.losses (default non_saturating)")
    p.add_argument("--device", type=device, default=None, help="cpu, cuda, mps (default: gan_course.config.get_device())")
    p.add_argument("--seed", type=non_negative_int("seed"), default=0)
    p.add_argument("--out", default=None, help="checkpoint path (default runs/KIND.pt); an existing one is replaced "
                                               "only with --resume from it or --force")
    p.add_argument("--checkpoint-every", type=non_negative_int("checkpoint-every"), default=500,
                   help="write the checkpoint every N steps (0: only at the end)")
    p.add_argument("--resume", nargs="?", const=True, default=None, metavar="CHECKPOINT",
                   help="continue from CHECKPOINT (default: --out) exactly where it stopped")
    p.add_argument("--export", default=None, help="also write the generator alone (state_dict + kwargs) to this path")
    p.add_argument("--force", action="store_true", help="replace an existing --out or --export")
    p.add_argument("--threads", type=positive_int("threads"), default=None,
                   help="torch CPU threads per process (default: torch's choice; 1 is fastest on a busy machine)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--recipe", action="store_true",
                   help="dcgan: train the course's fast recipe (gan_course.mnist.recipe: its nets and RECIPE's settings, "
                        "notebook 08's train_for) for --seconds, then write its EMA generator to --export")
    p.add_argument("--seconds", type=positive_float("seconds"), default=300.0,
                   help="with --recipe: the time budget in seconds (default 300)")
    p.set_defaults(func=run_train)


def run_recipe(args) -> int:
    """``train dcgan --recipe --seconds S --export G.pt``: the same code as notebook 08's cells."""
    if args.kind != "dcgan":
        raise ValueError(f"--recipe trains the dcgan kind only, got kind {args.kind!r}")
    if not args.export:
        raise ValueError("--recipe writes the generator alone: give --export PATH (e.g. --export G.pt)")
    _check_export(args)
    check_writable(args.export, "--export")
    device = get_device(args.device)
    print(f"training the fast recipe for {args.seconds:g} s on {device}: {RECIPE}", flush=True)
    run = train_for(args.seconds, RECIPE, device=device, seed=args.seed, progress=not args.quiet)
    G = run["G"]
    export_generator(G, {"class": "FastDCGANGenerator", "kwargs": {"z_dim": G.z_dim, "ngf": G.ngf,
                     "refine_depth": G.refine_depth, "mid_depth": G.mid_depth}}, args.export)
    print(f"done: width {run['width']}, {run['steps']} steps in {run['seconds']:.0f} s ({run['images_per_s']:.0f} "
          f"images/s, bf16 {'on' if run['bf16'] else 'off'}); EMA generator exported to {args.export}")
    return 0


def _say(rank: int, msg: str) -> None:
    if rank == 0:
        print(msg, flush=True)


def _check_outputs(args, out: Path, resume_from: Path | None) -> None:
    """Refuse to replace a file without ``--resume``/``--force``, before anything is built or written."""
    if resume_from and not resume_from.is_file():
        raise FileNotFoundError(f"checkpoint {resume_from} does not exist (nothing to resume)")
    if out.is_file() and not args.force and not (resume_from and resume_from.resolve() == out.resolve()):
        what = f"and is not the checkpoint resumed ({resume_from})" if resume_from else "(pass --resume to continue it)"
        raise ValueError(f"--out {out} already exists {what}: pass --force to replace it, or choose another --out")
    _check_export(args, resume_from)


def _check_export(args, resume_from: Path | None = None) -> None:
    """Refuse to replace an existing ``--export`` file without ``--force`` (a resumed run rewrites its own)."""
    if args.export and Path(args.export).is_file() and not (args.force or resume_from):
        raise ValueError(f"--export {args.export} already exists: pass --force to replace it or choose another path")


def run_train(args) -> int:
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.recipe:
        return run_recipe(args)
    device = get_device(args.device)
    rank, world, device = ddp.init(device)
    try:
        return _train(args, rank, world, device)
    finally:
        ddp.shutdown()


def _train(args, rank: int, world: int, device: torch.device) -> int:
    out = Path(args.out or f"runs/{args.kind}.pt")
    resume_from = None if not args.resume else out if args.resume is True else Path(args.resume)
    _check_outputs(args, out, resume_from)
    share = len(ddp.shard(FILES["train"][2], rank, world))       # this rank's training images
    if args.batch_size > share:
        raise ValueError(f"--batch-size {args.batch_size} is larger than the {share} training images"
                         f"{' of each process' if world > 1 else ''}: the run would train 0 steps")
    check_writable(out, "--out")                                 # on every rank, so that all of them stop
    if args.export:
        check_writable(args.export, "--export")
    seed_everything(args.seed)                                   # same initial weights on every rank
    G, D, spec = build(args.kind, args.z_dim, args.width, args.refine, args.refine_depth, args.mid_depth)
    G.apply(nets.weights_init)
    D.apply(nets.weights_init)
    G, D = G.to(device), D.to(device)
    bf16 = precision.use_bf16(args.bf16, device)
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
             "refine": args.refine, "refine_depth": args.refine_depth,
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

    if resume_from:
        path = resume_from
        blob = load(path, "checkpoint")
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
        set_lr((opt_g, opt_d), args.lr)                           # the saved state holds the old rate
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
            set_lr((opt_g, opt_d), args.lr * linear_decay(t.step, total, args.lr_decay))
        decay(tr)
        tr.callbacks.append(decay)
    todo = total - tr.step
    if todo <= 0:
        raise ValueError(f"nothing to train: {resume_from} is at step {tr.step} and the run ends at step {total}; "
                         "raise --steps or --epochs")
    _say(rank, f"training {args.kind} on {device} × {world} process(es), {'bf16 autocast' if bf16 else 'fp32'}: "
               f"steps {tr.step} → {total} ({per_epoch} per epoch, batch {args.batch_size} per process)")
    t0 = time.perf_counter()
    hist = tr.train(todo, progress=(rank == 0 and not args.quiet), desc=f"train {args.kind}")
    dt = time.perf_counter() - t0
    _say(rank, f"done: step {tr.step}, d_loss {hist['d_loss'][-1]:.3f}, g_loss {hist['g_loss'][-1]:.3f}, "
               f"{todo * args.batch_size * world / dt:.0f} images/s; checkpoint {out}")
    if rank == 0 and args.export:
        export_generator(tr.ema.module if tr.ema else tr.G, spec, args.export)
        _say(rank, f"{'EMA ' if tr.ema else ''}generator exported to {args.export}")
    return 0
