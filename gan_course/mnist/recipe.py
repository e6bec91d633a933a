"""The course's fast recipe for DCGAN on MNIST: deeper nets and the settings that train them quickly.

Taught in ``notebooks/08_dcgan_mnist.ipynb``, after the paper's nets (:mod:`gan_course.mnist.nets`). The nets add
3×3 convolutions (stride 1, BatchNorm) to the DCGAN of Radford et al. (2016) where the images are largest:

- :class:`FastDCGANGenerator`: ``mid_depth`` 3×3 convs at 14×14, then a 14 → 28 transposed conv to ``ngf``
  channels and ``refine_depth`` 3×3 convs at 28×28, the last one making the image;
- :class:`FastDCGANDiscriminator`: a 3×3 conv at 28×28 first (``refine``), ``mid_depth`` 3×3 convs at 14×14.

:data:`RECIPE` (a frozen :class:`Recipe`) holds the tuned settings: the nets' width (narrower on a machine too slow
for enough steps in the budget: :func:`pick_width`) and depths, Adam's larger learning rate
with a linear decay to 0 at the end (:func:`gan_course.train.linear_decay`), an exponential moving average of G
(:class:`gan_course.mnist.ema.EMA`) and bf16 autocast where the hardware has it (:mod:`gan_course.mnist.precision`).
How each setting was measured: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, replace

import torch
from torch import nn
from tqdm.auto import tqdm

from gan_course.config import get_device, seed_everything
from gan_course.data import mnist_tensor
from gan_course.losses import d_loss, g_loss
from gan_course.mnist.ema import EMA
from gan_course.mnist.nets import (
    check_images,
    check_noise,
    check_positive,
    weights_init,
)
from gan_course.mnist.precision import autocast, use_bf16
from gan_course.train import ResidentSampler, linear_decay, set_lr


@dataclass(frozen=True)
class Recipe:
    """The fast recipe's settings (``python -m gan_course train dcgan`` and the benchmark use them)."""
    width: int = 32                  # ngf = ndf, where a time budget holds min_steps of these nets
    narrower: tuple = (24, 16)       # ngf = ndf tried next, in order, on a machine too slow for min_steps at width
    min_steps: int = 2000            # steps a time budget should hold (speed measured in its first seconds)
    refine_depth: int = 3            # 3×3 convs at 28×28 in G (the last makes the image)
    mid_depth: int = 2               # 3×3 convs at 14×14 in G and in D
    batch_size: int = 64             # images per step
    lr: float = 2e-3                 # Adam's learning rate, both players (the paper: 2e-4)
    betas: tuple = (0.5, 0.999)      # Adam's β₁, β₂ (β₁ = 0.5 as in the paper)
    lr_decay: float = 0.4            # the lr falls linearly to 0 over this last fraction of the run
    ema: float = 0.999               # β of the moving average of G's weights that is sampled
    bf16: str = "auto"               # bf16 autocast: "auto" where native (CUDA; CPUs with AMX or AVX512-BF16)
    channels_last: bool = True       # NHWC activations: oneDNN's and cuDNN's fastest convolutions


RECIPE = Recipe()


class FastDCGANGenerator(nn.Module):
    """The recipe's G: ``[B, z_dim]`` → ``[B, 1, 28, 28]`` in [−1, 1].

    ``refine_depth`` ≥ 1: the 14 → 28 layer gives ``ngf`` channels and ``refine_depth`` 3×3 convs follow at 28×28
    (the first ``refine_depth − 1`` ngf → ngf with BatchNorm and ReLU, the last ngf → 1); ``refine_depth`` 0 keeps
    the paper's 14 → 28 output layer. ``mid_depth``: 3×3 convs 2·ngf → 2·ngf (BatchNorm, ReLU) at 14×14.
    """

    def __init__(self, z_dim: int = 100, ngf: int = RECIPE.width, refine_depth: int = RECIPE.refine_depth,
                 mid_depth: int = RECIPE.mid_depth):
        super().__init__()
        check_positive(z_dim=z_dim, ngf=ngf)
        check_positive(0, refine_depth=refine_depth, mid_depth=mid_depth)
        self.z_dim, self.ngf, self.refine_depth, self.mid_depth = z_dim, ngf, refine_depth, mid_depth
        layers: list[nn.Module] = [
            nn.ConvTranspose2d(z_dim, ngf * 4, 7, 1, 0, bias=False),              # [B, z_dim, 1, 1] → [B, 4·ngf, 7, 7]
            nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),            # → [B, 2·ngf, 14, 14]
            nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
        ]
        for _ in range(mid_depth):                                                # → [B, 2·ngf, 14, 14]
            layers += [nn.Conv2d(ngf * 2, ngf * 2, 3, 1, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True)]
        if refine_depth:
            layers += [nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),     # → [B, ngf, 28, 28]
                       nn.BatchNorm2d(ngf), nn.ReLU(True)]
            for _ in range(refine_depth - 1):                                     # → [B, ngf, 28, 28]
                layers += [nn.Conv2d(ngf, ngf, 3, 1, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True)]
            layers.append(nn.Conv2d(ngf, 1, 3, 1, 1))                             # → [B, 1, 28, 28]
        else:
            layers.append(nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False))   # → [B, 1, 28, 28]
        self.net = nn.Sequential(*layers, nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        check_noise(z, self.z_dim)
        return self.net(z[:, :, None, None])


class FastDCGANDiscriminator(nn.Module):
    """The recipe's D: ``[B, 1, 28, 28]`` → logits ``[B]``.

    ``refine``: a 3×3 conv 1 → ndf (LeakyReLU) at 28×28 first, and BatchNorm after the 28 → 14 layer.
    ``mid_depth``: 3×3 convs ndf → ndf (BatchNorm, LeakyReLU) at 14×14.
    """

    def __init__(self, ndf: int = RECIPE.width, refine: bool = True, mid_depth: int = RECIPE.mid_depth):
        super().__init__()
        check_positive(ndf=ndf)
        check_positive(0, mid_depth=mid_depth)
        if not isinstance(refine, bool):
            raise ValueError(f"refine must be True or False, got {refine!r}")
        self.ndf, self.refine, self.mid_depth = ndf, refine, mid_depth
        if refine:
            layers: list[nn.Module] = [
                nn.Conv2d(1, ndf, 3, 1, 1), nn.LeakyReLU(0.2, inplace=True),      # [B, 1, 28, 28] → [B, ndf, 28, 28]
                nn.Conv2d(ndf, ndf, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf),    # → [B, ndf, 14, 14]
            ]
        else:
            layers = [nn.Conv2d(1, ndf, 4, 2, 1, bias=False)]                     # [B, 1, 28, 28] → [B, ndf, 14, 14]
        layers.append(nn.LeakyReLU(0.2, inplace=True))
        for _ in range(mid_depth):                                                # → [B, ndf, 14, 14]
            layers += [nn.Conv2d(ndf, ndf, 3, 1, 1, bias=False), nn.BatchNorm2d(ndf), nn.LeakyReLU(0.2, inplace=True)]
        layers += [
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),                         # → [B, 2·ndf, 7, 7]
            nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False),                           # → [B, 1, 1, 1]: the logit
        ]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_images(x)
        return self.net(x).flatten()


def shared_fake_step(G, D, opt_g, opt_d, real: torch.Tensor, z: torch.Tensor, amp=contextlib.nullcontext()):
    """One step of Algorithm 1 (k = 1, non-saturating loss) with one generator pass for both players: D's update
    on ``real`` ``[B, 1, 28, 28]`` and ``G(z)`` (detached), then G's update on the same fake batch, each forward
    pass under ``amp`` (e.g. ``torch.autocast``). Returns the two losses as tensors (no host sync)."""
    with amp:
        fake = G(z)
        loss_d = d_loss("non_saturating", D(real), D(fake.detach()))
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    with amp:
        loss_g = g_loss("non_saturating", D(fake))
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_d, loss_g


def build_nets(recipe: Recipe = RECIPE, device="cpu", z_dim: int = 100) -> tuple[nn.Module, nn.Module]:
    """The recipe's G and D at ``recipe.width``, DCGAN-initialised (N(0, 0.02)), on ``device``, NHWC when
    ``recipe.channels_last``."""
    G = FastDCGANGenerator(z_dim, recipe.width, recipe.refine_depth, recipe.mid_depth).to(device)
    D = FastDCGANDiscriminator(recipe.width, True, recipe.mid_depth).to(device)
    G.apply(weights_init)
    D.apply(weights_init)
    if recipe.channels_last:
        G, D = G.to(memory_format=torch.channels_last), D.to(memory_format=torch.channels_last)
    return G, D


def build_optimisers(G: nn.Module, D: nn.Module, recipe: Recipe = RECIPE) -> tuple[torch.optim.Adam, torch.optim.Adam]:
    """Adam for G and for D with the recipe's learning rate and betas (notebook 08, section 3)."""
    return (torch.optim.Adam(G.parameters(), lr=recipe.lr, betas=recipe.betas),
            torch.optim.Adam(D.parameters(), lr=recipe.lr, betas=recipe.betas))


def steps_per_second(recipe: Recipe = RECIPE, device="cpu", bf16: bool = False, seconds: float = 1.0) -> float:
    """Measured training speed of the recipe's nets at ``recipe.width`` on ``device``: steps per second on random
    batches, after two warm-up steps, over at least ``seconds`` and 3 steps."""
    device = torch.device(device)
    G, D = build_nets(recipe, device)
    opt_g, opt_d = build_optimisers(G, D, recipe)
    real = torch.rand(recipe.batch_size, 1, 28, 28, device=device) * 2 - 1
    if recipe.channels_last:
        real = real.contiguous(memory_format=torch.channels_last)
    amp, n, t0 = autocast(device, bf16), 0, 0.0
    while n < 5 or time.perf_counter() - t0 < seconds:
        if n == 2:                                                # two warm-up steps, then the clock starts
            if device.type == "cuda":
                torch.cuda.synchronize()
            t0 = time.perf_counter()
        shared_fake_step(G, D, opt_g, opt_d, real, torch.randn(recipe.batch_size, G.z_dim, device=device), amp)
        n += 1
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (n - 2) / (time.perf_counter() - t0)


def pick_width(seconds: float, recipe: Recipe = RECIPE, device="cpu", bf16: bool = False, max_steps: int | None = None,
               speed=None) -> tuple[int, dict]:
    """The widest of ``recipe.width, *recipe.narrower`` at which ``seconds`` hold ``recipe.min_steps`` steps (or
    ``max_steps``, if fewer), by ``speed(recipe at that width, device, bf16)`` in steps/s (default
    :func:`steps_per_second`), measured one width after the other; the time spent measuring counts against
    ``seconds``. The narrowest when none is fast enough.

    Returns ``(width, {width: steps/s measured})``; with one width to choose from, nothing is measured.
    """
    widths, speed = (recipe.width, *recipe.narrower), speed or steps_per_second
    if len(widths) == 1:
        return recipe.width, {}
    need = recipe.min_steps if max_steps is None else min(recipe.min_steps, max_steps)
    rates, t0 = {}, time.perf_counter()
    for w in widths:
        rates[w] = speed(replace(recipe, width=w, narrower=()), device, bf16)
        if rates[w] * (seconds - (time.perf_counter() - t0)) >= need:
            return w, rates
    return widths[-1], rates


def train_for(seconds: float, recipe: Recipe = RECIPE, device=None, seed: int = 0, images=None, z_dim: int = 100,
              max_steps: int | None = None, progress: bool = True) -> dict:
    """Train the recipe's nets on MNIST for ``seconds`` of wall time or ``max_steps`` steps, whichever comes first,
    and return the averaged G.

    The loop of Algorithm 1 (k = 1, non-saturating loss) with what makes it fast and good on a small budget:
    MNIST resident on the device (``images`` ``[N, 1, 28, 28]`` in [−1, 1], default the training set), one G
    forward per step reused by both players, Adam with the recipe's lr and its linear decay to 0 over the last
    ``recipe.lr_decay`` of the budget (of the time, or of the steps when ``max_steps`` comes first: the schedule
    follows whichever fraction is larger), an EMA of G, bf16 autocast where native. Losses are read every 100
    steps only (no host sync per step) and checked to be finite.

    The budget adapts the nets to the machine: :func:`pick_width` measures the speed of ``recipe.width`` (then of
    ``recipe.narrower`` widths) in the first seconds and trains the widest that gets ``recipe.min_steps`` steps into
    the budget — few steps of wide nets draw worse digits than many steps of narrower ones.

    Returns ``{"G": the EMA generator in eval mode, "steps", "seconds" (of training, after the speed
    measurement), "bf16", "width", "speeds" ({width: steps/s measured}), "images_per_s"}``.
    """
    if not seconds > 0:
        raise ValueError(f"seconds must be > 0, got {seconds!r}")
    t_start = time.perf_counter()
    device = get_device(device) if device is None or isinstance(device, str) else torch.device(device)
    bf16 = use_bf16(recipe.bf16, device)
    width, rates = pick_width(seconds, recipe, device, bf16, max_steps)
    recipe = replace(recipe, width=width, narrower=())
    seconds = max(seconds - (time.perf_counter() - t_start), 0.0)   # what the measurement left of the budget
    seed_everything(seed)
    G, D = build_nets(recipe, device, z_dim)
    amp = autocast(device, bf16)
    opt_g, opt_d = build_optimisers(G, D, recipe)
    ema = EMA(G, recipe.ema)
    sample = ResidentSampler(mnist_tensor("train", device=device) if images is None else images.to(device))
    gen = torch.Generator(device=device).manual_seed(seed)
    step, t0 = 0, time.perf_counter()
    with tqdm(total=round(seconds), unit="s", desc="recipe", disable=not progress, leave=False) as bar:
        while (elapsed := time.perf_counter() - t0) < seconds and (max_steps is None or step < max_steps):
            used = max(elapsed / seconds, step / max_steps if max_steps else 0.0)     # fraction of the budget
            set_lr((opt_g, opt_d), recipe.lr * linear_decay(used, 1.0, recipe.lr_decay))
            real = sample(recipe.batch_size, gen)
            if recipe.channels_last:
                real = real.contiguous(memory_format=torch.channels_last)
            z = torch.randn(recipe.batch_size, z_dim, device=device, generator=gen)
            loss_d, loss_g = shared_fake_step(G, D, opt_g, opt_d, real, z, amp)
            ema.update()
            step += 1
            if step % 100 == 0:
                if not torch.isfinite(loss_d + loss_g):
                    raise FloatingPointError(f"non-finite loss at step {step}: try a lower recipe.lr")
                bar.update(round(elapsed) - bar.n)
                bar.set_postfix(step=step, d_loss=f"{loss_d.item():.2f}", g_loss=f"{loss_g.item():.2f}")
    elapsed = time.perf_counter() - t0
    return {"G": ema.module.eval(), "steps": step, "seconds": elapsed, "bf16": bf16, "width": width,
            "speeds": rates, "images_per_s": step * recipe.batch_size / elapsed}
