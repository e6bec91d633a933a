"""One training step of PacGAN's authors' setup: the plain step and the same step with one remedy of notebook 06.

Taught in ``notebooks/06_mode_collapse.ipynb`` (section 5); used by :func:`gan_course.modes.pacgan.train_pacgan`.

The plain step (:func:`simultaneous_step`) is ALI's ``ali_algorithm``, which the PacGAN code trains with: one forward
pass, D's gradient of softplus(−D(x)) + softplus(D(G(z))) and G's gradient of the non-saturating softplus(−D(G(z)))
taken at the same parameters and applied together. A remedy (:class:`RemedyStep`) changes only what its paper
changes and keeps the rest of the step — nets, optimiser, batch, data pipeline and simultaneous updates:

- ``label_smoothing``  D's target for real data is 0.9, not 1 (one-sided; Salimans et al. 2016, §3.4);
- ``instance_noise``   N(0, σ_t²) added to every real and generated sample D sees (G's loss sees its noisy samples
                       too), σ_t annealed linearly from σ₀ to 0 over the first half of training (Sønderby et al. 2017;
                       Arjovsky & Bottou 2017); σ₀ is 0.1 × the RMS norm of the mixture's centres;
- ``replay``           half of D's generated packs come from a buffer of packs made by earlier generators
                       (Shrivastava et al. 2017); G's gradient comes from all of its fresh packs;
- ``minibatch_std``    the step is the plain one; what changes is D: the standard deviation over groups of
                       samples of one batch enters its last maxout layer as one more feature (Karras et al. 2018,
                       §3): :class:`gan_course.modes.pacgan.PacStdDiscriminator`.

WGAN-GP (Gulrajani et al. 2017) changes the loss, the updates and the optimiser's betas: :class:`WganGpStep`.
The unrolled GAN (Metz et al. 2017) changes G's loss only, which it takes at D's weights after k more Adam steps:
:class:`UnrolledStep`.

The constants are those of notebook 06's own table (:class:`gan_course.modes.toynets.ToyConfig`), and for minibatch
std the group of 4 of Karras et al.'s code: :class:`RemedyConfig` (which also holds the constants of MAD-GAN's rows,
:mod:`gan_course.modes.pacmad`).

Shapes: E members (trials) at once; ``real`` ``[E, B, 2m]`` packs, ``z`` ``[E, m·B, z_dim]`` noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from gan_course.losses import d_loss, g_loss, gradient_penalty, smoothed_d_loss
from gan_course.modes.ensemble import MemberRNG
from gan_course.modes.unrolling import unrolled_adam

REMEDIES = ("label_smoothing", "instance_noise", "replay", "minibatch_std")


def pack(x: torch.Tensor, m: int) -> torch.Tensor:
    """``[E, m·B, 2]`` → ``[E, B, 2·m]``: pack position j holds the j-th block of B samples (the authors
    generate each position from its own batch of noise and concatenate them)."""
    E, n, d = x.shape
    if n % m:
        raise ValueError(f"{n} samples cannot be split into packs of {m}")
    return x.view(E, m, n // m, d).permute(0, 2, 1, 3).reshape(E, n // m, d * m)


def apply_simultaneous(G, D, opt_g, opt_d, d_loss: torch.Tensor | None, g_loss: torch.Tensor, d_grads=None) -> None:
    """Both players' gradients at the current parameters, then both optimisers step (not alternating).
    ``d_grads``: D's gradients when the caller has already taken them (:class:`UnrolledStep` takes them with
    ``create_graph=True``); ``d_loss`` is then not differentiated again and may be None."""
    d_params, g_params = list(D.parameters()), list(G.parameters())
    if d_grads is None:
        d_grads = torch.autograd.grad(d_loss, d_params, retain_graph=True)
    g_grads = torch.autograd.grad(g_loss, g_params)
    for p, gr in zip(d_params + g_params, list(d_grads) + list(g_grads)):
        p.grad = gr.detach()
    opt_d.step()
    opt_g.step()


def simultaneous_step(G, D, opt_g, opt_d, real, z, m: int) -> None:
    """One step of the authors' training (ALI's ``ali_algorithm``): ``real`` ``[E, B, 2m]`` packs, ``z``
    ``[E, m·B, z_dim]`` noise (pack position j from its own block of B). D's gradient of
    softplus(−D(x)) + softplus(D(G(z))) and G's gradient of softplus(−D(G(z))) are both taken at the current
    parameters, then both optimisers step (simultaneous, not alternating, updates)."""
    E = real.shape[0]
    fake = pack(G(z, chunks=m), m)
    d_real, d_fake = D(real), D(fake)
    # every member's loss is its own mean; summing over members keeps their gradients separate
    loss_d = E * d_loss("non_saturating", d_real, d_fake)
    loss_g = E * g_loss("non_saturating", d_fake)
    apply_simultaneous(G, D, opt_g, opt_d, loss_d, loss_g)


def centre_spread(mixture) -> float:
    """The RMS norm of ``mixture.centers`` (1 for the ring, 4 for the grid; 1 for a mixture without centres):
    the scale of instance noise's σ₀ here and in notebook 06's table (:mod:`gan_course.modes.remedies`)."""
    if not hasattr(mixture, "centers"):
        return 1.0
    return float(mixture.centers.pow(2).sum(1).mean().sqrt())


@dataclass(frozen=True)
class RemedyConfig:
    """Each remedy's constant (notebook 06's table uses the same: :class:`gan_course.modes.toynets.ToyConfig`)."""
    smoothing: float = field(default=0.9, metadata={"doc": "D's target for real data (label smoothing)"})
    noise: float = field(default=0.1, metadata={"doc": "instance noise's σ₀, × the RMS norm of the centres"})
    noise_until: float = field(default=0.5, metadata={"doc": "share of training over which σ falls to 0"})
    replay_size: int = field(default=4096, metadata={"doc": "packs kept in the replay buffer"})
    std_group: int = field(default=4, metadata={"doc": "samples per group of minibatch std (Karras et al.'s code)"})
    madgan_k: int = field(default=4, metadata={"doc": "generators per trial of MAD-GAN and MAD-GAN-Sim"})
    sim_weight: float = field(default=1.0, metadata={"doc": "weight of MAD-GAN-Sim's hinge"})
    wide_g_hidden: int = field(default=800, metadata={"doc": "width of the wide-G control (MAD-GAN's 4 generators' weights)"})
    n_critic: int = field(default=5, metadata={"doc": "WGAN-GP's critic steps per generator step"})
    gp_weight: float = field(default=10.0, metadata={"doc": "WGAN-GP's gradient-penalty weight λ"})
    toy_gp_weight: float = field(default=0.1, metadata={"doc": "λ of Gulrajani et al.'s script for 2-D data"})
    wgan_betas: tuple = field(default=(0.5, 0.9), metadata={"doc": "WGAN-GP's Adam betas (its paper's)"})
    unroll: int = field(default=5, metadata={"doc": "D's Adam steps unrolled in G's loss (unrolled GAN)"})


class RemedyStep:
    """:func:`simultaneous_step` with one of :data:`REMEDIES`, called the same way: ``step(G, D, opt_g, opt_d,
    real, z, m)``. It counts its calls (instance noise's schedule over ``steps``) and keeps its own per-member
    random streams (``seeds``) and, for ``replay``, the buffer ``[E, replay_size, 2m]``."""

    def __init__(self, remedy: str, seeds, steps: int, spread: float = 1.0, cfg: RemedyConfig = RemedyConfig()):
        if remedy not in REMEDIES:
            raise ValueError(f"unknown remedy {remedy!r}; allowed: {', '.join(REMEDIES)}")
        if steps < 1 or not spread > 0:
            raise ValueError(f"steps must be >= 1 and spread > 0, got {steps} and {spread}")
        self.remedy, self.steps, self.cfg = remedy, int(steps), cfg
        self.sigma0 = cfg.noise * float(spread)
        self.rng = MemberRNG(seeds, offset=11)
        self.t, self.buffer = 0, None

    def sigma(self, t: int) -> float:
        """Instance noise's σ at step t (0-based): σ₀ · max(0, 1 − t / (noise_until · steps))."""
        return self.sigma0 * max(0.0, 1 - t / (self.cfg.noise_until * self.steps))

    def __call__(self, G, D, opt_g, opt_d, real, z, m: int) -> None:
        E, B, width = real.shape
        fake = pack(G(z, chunks=m), m)
        if self.remedy == "instance_noise":
            s = self.sigma(self.t)
            real, fake = real + s * self.rng.randn(B, width), fake + s * self.rng.randn(B, width)
        if self.remedy == "replay":
            d_real, d_fake, g_fake = self._replay_logits(D, real, fake)
        else:
            d_real, d_fake = D(real), D(fake)
            g_fake = d_fake
        target = self.cfg.smoothing if self.remedy == "label_smoothing" else 1.0
        loss_d = E * smoothed_d_loss(d_real, d_fake, target)            # BCE(D(x), target) + BCE(D(G(z)), 0)
        loss_g = E * g_loss("non_saturating", g_fake)
        apply_simultaneous(G, D, opt_g, opt_d, loss_d, loss_g)
        self.t += 1

    def _replay_logits(self, D, real, fake):
        """D's logits on the real packs, on half fresh + half replayed packs (D's loss), and on every fresh pack
        (G's loss), from one forward pass; then half of the fresh packs replace random buffer entries."""
        _, B, width = fake.shape
        half = B // 2
        if self.buffer is None:
            reps = -(-self.cfg.replay_size // B)
            self.buffer = fake.detach().repeat(1, reps, 1)[:, :self.cfg.replay_size].clone()
        idx = self.rng.randint(self.cfg.replay_size, half)
        old = torch.gather(self.buffer, 1, idx[..., None].expand(-1, -1, width))
        logits = D(torch.cat([real, fake, old], 1))
        d_real, g_fake, d_old = logits[:, :B], logits[:, B:2 * B], logits[:, 2 * B:]
        slots = self.rng.randint(self.cfg.replay_size, half)
        self.buffer.scatter_(1, slots[..., None].expand(-1, -1, width), fake[:, :half].detach())
        return d_real, torch.cat([g_fake[:, half:], d_old], 1), g_fake


class WganGpStep:
    """WGAN-GP (Gulrajani et al. 2017, Algorithm 1) on the authors' setup, called as :func:`simultaneous_step`.

    One call is one *critic* step on the call's batch: D's logit is the critic's value and its loss is
    D(G(z)) − D(x) + λ·(‖∇D(x̂)‖₂ − 1)², x̂ between a real and a generated pack
    (:func:`gan_course.losses.gradient_penalty`). Every ``n_critic``-th call then makes one *generator* step on
    −D(G(z')), z' fresh noise from the step's own per-member streams (``seeds``), with the critic just updated
    (alternating updates, as the paper's algorithm). So T calls see the same data and make the same number of D
    updates as T steps of the GAN, and T / n_critic G updates. The paper's Adam betas (0.5, 0.9) are
    :class:`RemedyConfig`'s ``wgan_betas``, which :func:`gan_course.modes.pacgan.row_parts` passes to the optimisers.
    Notebook 07 teaches the critic and the penalty; notebook 06 (section 5) shows this row."""

    def __init__(self, seeds, n_critic: int = 5, gp_weight: float = 10.0):
        if n_critic < 1 or not gp_weight >= 0:
            raise ValueError(f"n_critic must be >= 1 and gp_weight >= 0, got {n_critic} and {gp_weight}")
        self.n_critic, self.gp_weight = int(n_critic), float(gp_weight)
        self.rng = MemberRNG(seeds, offset=13)
        self.t = 0

    def __call__(self, G, D, opt_g, opt_d, real, z, m: int) -> None:
        E, B, _ = real.shape
        with torch.no_grad():
            fake = pack(G(z, chunks=m), m)
        d_fake = D(fake)                                  # before D(real): the committed row's order of float sums
        loss_d = E * d_loss("wasserstein", D(real), d_fake) + \
            gradient_penalty(D, real, fake, self.gp_weight, eps=self.rng.rand(B, 1), members=True)
        step_on(D, opt_d, loss_d)
        self.t += 1
        if self.t % self.n_critic == 0:
            fresh = pack(G(self.rng.randn(m * B, z.shape[-1]), chunks=m), m)
            step_on(G, opt_g, E * g_loss("wasserstein", D(fresh)))


class UnrolledStep:
    """The authors' step with the unrolled GAN's generator loss (Metz et al. 2017, §2.2), called as
    :func:`simultaneous_step`.

    D's update is the plain one. G's loss is the non-saturating softplus(−D_k(G(z))), where D_k is D after ``unroll``
    more Adam steps on L_D — steps taken with ``opt_d``'s constants and state, on the step's own batch (as Metz et
    al.'s demo code unrolls on the same batch) — and G's gradient flows through those steps
    (:func:`gan_course.modes.unrolling.unrolled_adam`). Both gradients are taken at the current parameters and
    applied together, as in the authors' step. D's own gradient is the first unrolled step's, taken once. A step
    costs about ``unroll`` of D's forward and backward passes, one forward pass at the unrolled weights, and
    backpropagation through them all."""

    def __init__(self, unroll: int = 5):
        if unroll < 1:
            raise ValueError(f"unroll must be >= 1, got {unroll}")
        self.unroll = int(unroll)

    def __call__(self, G, D, opt_g, opt_d, real, z, m: int) -> None:
        E = real.shape[0]
        fake = pack(G(z, chunks=m), m)
        names = [n for n, _ in D.named_parameters()]

        def logits(params, x):
            return torch.func.functional_call(D, dict(zip(names, params)), (x,))

        def loss_at(params, u):
            return E * d_loss("non_saturating", logits(params, real), logits(params, fake))

        d_params = list(D.parameters())
        d_grads = torch.autograd.grad(loss_at(d_params, 0), d_params, create_graph=True)  # D's own gradient ...
        unrolled = unrolled_adam(d_params, opt_d, loss_at, self.unroll, first_grads=d_grads)  # ... is the 1st unroll's
        loss_g = E * g_loss("non_saturating", logits(unrolled, fake))
        apply_simultaneous(G, D, opt_g, opt_d, None, loss_g, d_grads=d_grads)


def step_on(net, opt, loss: torch.Tensor) -> None:
    """One optimiser step of ``net`` alone on ``loss`` (the other player's parameters get no gradient)."""
    params = list(net.parameters())
    for p, g in zip(params, torch.autograd.grad(loss, params)):
        p.grad = g
    opt.step()
