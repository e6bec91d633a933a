"""Algorithm 1 of Goodfellow et al. (2014), the one trainer every lesson uses.

Taught in ``notebooks/02_the_gan_game.ipynb`` (which prints :func:`gan_step` and runs it on
1-D data); reused unchanged by notebooks 04–09 and the ``python -m gan_course train`` CLI.

    for number of training iterations:
        for k steps:
            sample m noise samples z ~ p_z and m examples x ~ p_data
            update D by descending ∇_θd L_D(D(x), D(G(z)))
        sample m noise samples z ~ p_z
        update G by descending ∇_θg L_G(D(G(z)))

``L_D``/``L_G`` are any kind from :mod:`gan_course.losses`. :class:`GANTrainer` adds what a
real run needs around the step: history (losses, mean D(x), D(G(z)), gradient norms),
``tqdm.auto`` progress, callbacks, atomic checksummed checkpoints every N steps (:mod:`gan_course.fileio`), exact
resume (RNG states saved), and a divergence guard: training stops on a non-finite loss (before the update) or
non-finite weights (checked after every step: one sum per tensor), naming the last good step, and a checkpoint
never holds a non-finite value.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import torch
from tqdm.auto import tqdm

from gan_course.fileio import atomic_save, iter_tensors, load
from gan_course.losses import d_loss, g_loss, gradient_penalty


class TrainingDiverged(RuntimeError):
    """A loss or a weight became NaN or inf; the last good checkpoint (if any) is kept."""


def _grad_norm(module: torch.nn.Module) -> float:
    sq = [p.grad.detach().pow(2).sum() for p in module.parameters() if p.grad is not None]
    return float(torch.stack(sq).sum().sqrt()) if sq else 0.0


def _finite(name: str, value: torch.Tensor, step: int) -> None:
    if not torch.isfinite(value).all():
        raise TrainingDiverged(f"{name} is {value.item()} at step {step}")


@torch.no_grad()
def _finite_weights(*modules: torch.nn.Module) -> bool:
    """Whether every floating parameter and buffer of ``modules`` is finite. Fast path: one sum per tensor, stacked
    (NaN and inf propagate into a sum); only a non-finite sum is looked at element by element, so a sum that
    overflowed from finite values is not mistaken for divergence."""
    ts = [t for m in modules for t in (*m.parameters(), *m.buffers()) if t.is_floating_point()]
    if not ts:
        return True
    sums = torch.stack([t.sum().float() for t in ts])
    if bool(torch.isfinite(sums).all()):
        return True
    return all(bool(torch.isfinite(t).all()) for t, ok in zip(ts, torch.isfinite(sums).tolist()) if not ok)


def gan_step(G, D, opt_g, opt_d, sample_real, sample_noise, *, m: int, k: int = 1,
             loss: str = "non_saturating", gp_weight: float = 0.0, clip: float | None = None,
             generator: torch.Generator | None = None, step: int = 0) -> dict:
    """One iteration of Algorithm 1: ``k`` discriminator updates, then one generator update.

    ``sample_real(m, generator)`` → ``[m, ...]`` examples from p_data;
    ``sample_noise(m, generator)`` → ``[m, z_dim]`` noise from p_z; ``D`` returns logits.
    ``gp_weight`` > 0 adds the WGAN-GP penalty; ``clip`` clamps D's weights (WGAN).
    Returns the step's statistics (floats).
    """
    for _ in range(k):
        x = sample_real(m, generator)                     # minibatch of m examples from p_data
        z = sample_noise(m, generator)                    # minibatch of m noise samples from p_z
        fake = G(z).detach()                              # no gradient into G on D's turn
        real_logits, fake_logits = D(x), D(fake)
        loss_d = d_loss(loss, real_logits, fake_logits)
        if gp_weight > 0:
            loss_d = loss_d + gradient_penalty(D, x, fake, gp_weight, generator=generator)
        _finite("discriminator loss", loss_d, step)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()                                 # descend D's loss = ascend V(D, G)
        d_grad = _grad_norm(D)
        opt_d.step()
        if clip is not None:
            with torch.no_grad():
                for p in D.parameters():
                    p.clamp_(-clip, clip)

    z = sample_noise(m, generator)                        # fresh noise for the generator's turn
    fake_logits_g = D(G(z))
    loss_g = g_loss(loss, fake_logits_g)
    _finite("generator loss", loss_g, step)
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()                                     # descend G's loss
    g_grad = _grad_norm(G)
    opt_g.step()
    opt_d.zero_grad(set_to_none=True)                     # D got gradients from G's loss: drop them

    with torch.no_grad():
        sig = loss in ("saturating", "non_saturating")
        return {
            "d_loss": loss_d.item(), "g_loss": loss_g.item(),
            "d_real": (torch.sigmoid(real_logits) if sig else real_logits).mean().item(),
            "d_fake": (torch.sigmoid(fake_logits) if sig else fake_logits).mean().item(),
            "d_grad_norm": d_grad, "g_grad_norm": g_grad,
        }


class ResidentSampler:
    """Minibatches from a tensor that stays on its device, shuffled by index each epoch.

    ``data`` ``[N, ...]`` (e.g. ``gan_course.data.mnist_tensor``); calling it with ``(m, generator)``
    returns the next ``m`` rows of a random permutation, drawn on ``data``'s device — no DataLoader,
    no host→device copy. Its position is part of a checkpoint, so resume is exact.
    """

    def __init__(self, data: torch.Tensor):
        if data.ndim < 1 or len(data) == 0:
            raise ValueError(f"data must be a non-empty tensor [N, ...], got shape {tuple(data.shape)}")
        self.data = data
        self.perm: torch.Tensor | None = None
        self.pos = 0
        self.epoch = 0

    def __call__(self, m: int, generator: torch.Generator | None = None) -> torch.Tensor:
        if m > len(self.data):
            raise ValueError(f"batch size {m} exceeds the {len(self.data)} examples")
        if self.perm is None or self.pos + m > len(self.perm):
            dev = generator.device if generator is not None else self.data.device
            self.perm = torch.randperm(len(self.data), generator=generator, device=dev).to(self.data.device)
            self.pos = 0
            self.epoch += 1
        idx = self.perm[self.pos:self.pos + m]
        self.pos += m
        return self.data[idx]

    def state_dict(self) -> dict:
        return {"perm": self.perm, "pos": self.pos, "epoch": self.epoch}

    def load_state_dict(self, s: dict) -> None:
        self.perm = None if s["perm"] is None else s["perm"].to(self.data.device)
        self.pos, self.epoch = int(s["pos"]), int(s["epoch"])


def set_lr(optimizers, lr: float) -> None:
    """Set the learning rate of every parameter group of each optimiser in ``optimizers`` to ``lr``
    (a schedule such as :func:`linear_decay` calls it each step)."""
    for opt in optimizers:
        for group in opt.param_groups:
            group["lr"] = lr


class GANTrainer:
    """Runs :func:`gan_step` with history, progress, callbacks, checkpoints and exact resume.

    ``G``: ``[m, z_dim]`` → ``[m, ...]``; ``D``: ``[m, ...]`` → logits ``[m]`` or ``[m, 1]``.
    ``sample_real``/``sample_noise``: ``(m, generator) -> tensor`` (see :func:`gan_step`).
    ``callbacks``: callables ``cb(trainer)`` run after every step (check ``trainer.step``).
    ``checkpoint``: path written atomically every ``checkpoint_every`` steps and at the end.
    """

    def __init__(self, G, D, opt_g, opt_d, sample_real: Callable, sample_noise: Callable, *,
                 batch_size: int = 64, k: int = 1, loss: str = "non_saturating", gp_weight: float = 0.0,
                 clip: float | None = None, generator: torch.Generator | None = None,
                 checkpoint=None, checkpoint_every: int = 0, callbacks=(), extra_state: dict | None = None):
        if batch_size < 1 or k < 1:
            raise ValueError(f"batch_size and k must be >= 1, got batch_size={batch_size}, k={k}")
        d_loss(loss, torch.zeros(1), torch.zeros(1))  # validates the kind early (ValueError)
        self.G, self.D, self.opt_g, self.opt_d = G, D, opt_g, opt_d
        self.sample_real, self.sample_noise = sample_real, sample_noise
        self.batch_size, self.k, self.loss = batch_size, k, loss
        self.gp_weight, self.clip = gp_weight, clip
        self.generator = generator if generator is not None else torch.Generator().manual_seed(0)
        self.checkpoint = Path(checkpoint) if checkpoint else None
        self.checkpoint_every = checkpoint_every
        self.callbacks = list(callbacks)
        self.extra_state = extra_state or {}
        self.step = 0
        self.saved_step: int | None = None        # the step of the last checkpoint this trainer wrote
        self.history: dict[str, list] = {"step": []}

    def train(self, steps: int, progress: bool = True, desc: str = "training", seconds: float | None = None) -> dict:
        """Run ``steps`` more iterations, or fewer if ``seconds`` of wall time run out first (a fixed time budget:
        a faster machine gets more steps, as in notebook 08's equal-time comparison); returns ``history`` (lists
        keyed by statistic)."""
        if steps < 0:
            raise ValueError(f"steps must be >= 0, got {steps}")
        if seconds is not None and not seconds > 0:
            raise ValueError(f"seconds must be > 0 (or None for no time limit), got {seconds}")
        self.G.train()
        self.D.train()
        bar = tqdm(range(steps), desc=desc, disable=not progress, leave=False)
        deadline = None if seconds is None else time.perf_counter() + seconds
        try:
            for _ in bar:
                self._one_step(bar)
                if deadline is not None and time.perf_counter() >= deadline:
                    break
            bar.close()
            if self.checkpoint:
                self.save(self.checkpoint)
        except TrainingDiverged as e:
            kept = (f"the last good checkpoint (step {self.saved_step}) is kept at {self.checkpoint}"
                    if self.saved_step is not None else "no checkpoint was written by this run")
            raise TrainingDiverged(f"training stopped: {e}; {kept}. Try a lower learning rate, "
                                   "a different loss kind, or gradient penalty.") from None
        return self.history

    def _one_step(self, bar) -> None:
        try:
            stats = gan_step(self.G, self.D, self.opt_g, self.opt_d, self.sample_real, self.sample_noise,
                             m=self.batch_size, k=self.k, loss=self.loss, gp_weight=self.gp_weight,
                             clip=self.clip, generator=self.generator, step=self.step + 1)
            if not _finite_weights(self.D, self.G):
                name = "discriminator" if not _finite_weights(self.D) else "generator"
                raise TrainingDiverged(f"the {name}'s weights are not finite (NaN or inf) after step {self.step + 1}")
        except TrainingDiverged as e:
            raise TrainingDiverged(f"{e}, the last good step is {self.step}") from None
        self.step += 1
        self.history["step"].append(self.step)
        for key, v in stats.items():
            self.history.setdefault(key, []).append(v)
        if self.step % 50 == 0:
            bar.set_postfix(d_loss=f"{stats['d_loss']:.3f}", g_loss=f"{stats['g_loss']:.3f}")
        for cb in self.callbacks:
            cb(self)
        if self.checkpoint and self.checkpoint_every and self.step % self.checkpoint_every == 0:
            self.save(self.checkpoint)

    def state_dict(self) -> dict:
        sampler = self.sample_real.state_dict() if hasattr(self.sample_real, "state_dict") else None
        return {
            "step": self.step, "G": self.G.state_dict(), "D": self.D.state_dict(),
            "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
            "generator": self.generator.get_state(), "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
            "sampler": sampler, "history": self.history,
            "config": {"batch_size": self.batch_size, "k": self.k, "loss": self.loss,
                       "gp_weight": self.gp_weight, "clip": self.clip},
            "extra": self.extra_state,
        }

    def load_state_dict(self, s: dict) -> None:
        self.step = int(s["step"])
        self.G.load_state_dict(s["G"])
        self.D.load_state_dict(s["D"])
        self.opt_g.load_state_dict(s["opt_g"])
        self.opt_d.load_state_dict(s["opt_d"])
        self.generator.set_state(s["generator"])
        torch.set_rng_state(s["torch_rng"])
        if s["cuda_rng"] and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(s["cuda_rng"])
        if s["sampler"] is not None and hasattr(self.sample_real, "load_state_dict"):
            self.sample_real.load_state_dict(s["sampler"])
        self.history = s["history"]
        self.extra_state = s.get("extra", {})

    def save(self, path) -> Path:
        """Write a checkpoint atomically with its SHA-256 (:func:`gan_course.fileio.atomic_save`); raises
        :class:`TrainingDiverged`, writing nothing, when a floating tensor of the state is not finite."""
        state = self.state_dict()
        bad = [name for name, t in iter_tensors(state) if t.is_floating_point() and not torch.isfinite(t).all()]
        if bad:
            raise TrainingDiverged(f"the state at step {self.step} holds non-finite values "
                                   f"({', '.join(bad[:3])}{', …' if len(bad) > 3 else ''}) and was not written")
        out = atomic_save(state, path)
        if out == self.checkpoint:
            self.saved_step = self.step
        return out

    def resume(self, path) -> "GANTrainer":
        """Load a checkpoint written by :meth:`save` (``weights_only=True``, SHA-256 verified); continues exactly."""
        self.load_state_dict(load(path, "checkpoint"))
        return self


def every(n: int, fn: Callable) -> Callable:
    """A callback that calls ``fn(trainer)`` every ``n`` steps (``GANTrainer(callbacks=[every(100, f)])``)."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    return lambda tr: fn(tr) if tr.step % n == 0 else None


def linear_decay(t: float, total: float, fraction: float) -> float:
    """Learning-rate multiplier at ``t`` of ``total`` (steps or seconds): 1, then linear to 0 over the last
    ``fraction`` · ``total`` — constant, then "linearly decay the rate to zero" as in CycleGAN (Zhu et al. 2017) —
    and 0 from ``total`` on. ``fraction`` in [0, 1] (0: always 1). Used by ``python -m gan_course train --lr-decay``
    (in steps), by the toy remedies of notebook 06 (in steps) and by the fast recipe's fixed-time run (in seconds,
    :mod:`gan_course.mnist.recipe`).

    >>> linear_decay(0, 300, 0.4), linear_decay(240, 300, 0.4), linear_decay(300, 300, 0.4)
    (1.0, 0.5, 0.0)
    """
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 <= fraction <= 1:
        raise ValueError(f"lr decay must be a fraction in [0, 1], got {fraction!r}")
    if not total > 0:
        raise ValueError(f"lr decay needs a total > 0, got {total!r}")
    if fraction == 0:
        return 1.0
    return min(1.0, max(0.0, (total - t) / (fraction * total)))
