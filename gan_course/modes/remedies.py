"""The mode-collapse remedies of notebook 06, trained side by side on PacGAN's ring and grid.

Every method shares one architecture, optimiser, batch size and step count (:class:`gan_course.modes.toynets.ToyConfig`) and
trains E seeds at once with :mod:`gan_course.modes.ensemble`. A method only changes the step of
Algorithm 1 (``gan_course.train.gan_step``) where its paper says so:

- ``vanilla``        saturating minimax loss, L_G = E[log(1 − D(G(z)))] (Goodfellow et al. 2014, eq. 1)
- ``non_saturating`` L_G = −E[log D(G(z))] (same paper, §3); every remedy below builds on it
- ``label_smoothing`` one-sided: D's target for real data is 0.9, not 1 (Salimans et al. 2016, §3.4)
- ``instance_noise``  N(0, σ_t²) added to D's real *and* fake inputs, σ_t annealed linearly to 0
                      (Sønderby et al. 2017; Arjovsky & Bottou 2017)
- ``replay``          D sees half fresh fakes, half fakes replayed from a buffer of old generators
                      (Shrivastava et al. 2017; Pfau & Vinyals 2016)
- ``pacgan``          D judges packs of 4 samples concatenated, PacGAN4 (Lin et al. 2018); the
                      batch of B samples becomes B/4 packs, so D sees as many samples as the others
- ``unrolled``        G's loss uses D after 5 *unrolled* Adam steps, differentiated through
                      (Metz et al. 2017, eq. 6–7)
- ``wgan_gp``         Wasserstein loss, 5 critic steps, gradient penalty λ = 10 (Gulrajani et al. 2017)
- ``madgan``          k generators + a (k+1)-way discriminator (Ghosh et al. 2018): :mod:`gan_course.modes.madgan`

:func:`train_method` returns the final samples ``[E, n, 2]`` (and optional snapshots);
:mod:`gan_course.modes.table` turns them into the table with :func:`gan_course.modes.coverage.mode_coverage`.
"""

from __future__ import annotations

import torch
from tqdm.auto import tqdm

from gan_course.losses import d_loss, g_loss, gradient_penalty, smoothed_d_loss
from gan_course.modes.ensemble import MemberRNG, mlp_forward
from gan_course.modes.madgan import train_madgan
from gan_course.modes.pacsteps import centre_spread
from gan_course.modes.toynets import ToyConfig, adam, lr_factor, make_nets
from gan_course.modes.unrolling import unrolled_adam
from gan_course.train import set_lr

METHODS = ("vanilla", "non_saturating", "label_smoothing", "instance_noise", "replay",
           "pacgan", "unrolled", "wgan_gp", "madgan")


def pack(x: torch.Tensor, p: int) -> torch.Tensor:
    """PacGAN packing: ``[E, B·p, d]`` → ``[E, B, p·d]`` (p consecutive samples side by side)."""
    E, n, d = x.shape
    return x.reshape(E, n // p, p * d)


def unrolled_d_params(D, opt_d, real, fake, steps: int, kind: str = "non_saturating"):
    """D's weights after ``steps`` Adam updates on L_D, as differentiable functions of ``fake``
    (Metz et al. 2017; :func:`gan_course.modes.unrolling.unrolled_adam`): G's gradient then sees how D would react to
    its move. Adam's state (moments, step count) starts from ``opt_d``'s. ``real``/``fake`` ``[E, U, B, d]``
    (U ≥ steps): unrolled step u sees batch u."""
    E = real.shape[0]

    def loss_at(params, u):
        return E * d_loss(kind, mlp_forward(params, real[:, u]), mlp_forward(params, fake[:, u]))
    return unrolled_adam(list(D.params), opt_d, loss_at, steps)


def train_method(method: str, mixture, seeds, cfg: ToyConfig = ToyConfig(), n_eval: int = 2500,
                 snapshot_steps=(), progress: bool = True) -> dict:
    """Train ``method`` on ``mixture`` (``.sample(n, generator)`` → ``[n, d]``) for every seed at once.

    Returns ``{"samples": [E, n_eval, d], "snapshots": {step: [E, n_eval, d]}, "labels": …}``;
    ``labels`` ``[E, n_eval]`` (which generator made each sample) for ``madgan``, else ``None``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    seeds = [int(s) for s in seeds]
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be a non-empty list of distinct integers, got {seeds}")
    if method == "madgan":
        return train_madgan(mixture, seeds, cfg, n_eval=n_eval, snapshot_steps=snapshot_steps, progress=progress)
    E, B = len(seeds), cfg.batch
    rng = MemberRNG(seeds)
    data_dim = mixture.sample(1).shape[-1]
    p = cfg.pac if method == "pacgan" else 1
    if B % p:
        raise ValueError(f"batch {B} must be a multiple of the pack size {p}")
    G, D = make_nets(cfg, seeds, data_dim, d_in_mult=p)
    wgan = method == "wgan_gp"
    opt_g = adam(G.parameters(), cfg, (0.5, 0.9) if wgan else None)
    opt_d = adam(D.parameters(), cfg, (0.5, 0.9) if wgan else None)
    kind = {"vanilla": "saturating", "wgan_gp": "wasserstein"}.get(method, "non_saturating")
    spread = centre_spread(mixture)
    buffer = None
    snaps = {}
    eval_z = MemberRNG(seeds, offset=7).randn(n_eval, cfg.z_dim)

    def noise_sigma(step):
        frac = step / max(1, cfg.steps)
        return cfg.noise * spread * max(0.0, 1 - frac / cfg.noise_until)

    for step in tqdm(range(cfg.steps), desc=method, disable=not progress, leave=False):
        set_lr((opt_g, opt_d), cfg.lr * lr_factor(cfg, step))
        for _ in range(cfg.n_critic if wgan else 1):
            x = rng.sample(mixture, B)
            with torch.no_grad():
                fake = G(rng.randn(B, cfg.z_dim))
            if method == "replay":
                if buffer is None:
                    buffer = fake.clone().repeat(1, -(-cfg.replay_size // (B)), 1)[:, :cfg.replay_size]
                half = (B) // 2
                idx = rng.randint(buffer.shape[1], half)
                old = torch.gather(buffer, 1, idx[..., None].expand(-1, -1, data_dim))
                slots = rng.randint(buffer.shape[1], half)
                buffer.scatter_(1, slots[..., None].expand(-1, -1, data_dim), fake[:, :half])
                fake = torch.cat([fake[:, half:], old], 1)
            if method == "instance_noise":
                s = noise_sigma(step)
                x, fake = x + s * rng.randn(B, data_dim), fake + s * rng.randn(B, data_dim)
            rl, fl = D(pack(x, p)), D(pack(fake, p))
            if method == "label_smoothing":
                loss_d = E * smoothed_d_loss(rl, fl, cfg.smoothing)
            else:
                loss_d = E * d_loss(kind, rl, fl)
            if wgan:
                loss_d = loss_d + gradient_penalty(D, x, fake, cfg.gp_weight, eps=rng.rand(B, 1), members=True)
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()

        fake = G(rng.randn(B, cfg.z_dim))
        if method == "instance_noise":
            fake = fake + noise_sigma(step) * rng.randn(B, data_dim)
        if method == "unrolled":
            K = cfg.unroll
            xs = rng.sample(mixture, B * K).reshape(E, K, B, data_dim)
            fs = torch.cat([fake, G(rng.randn(B * (K - 1), cfg.z_dim))], 1).reshape(E, K, B, data_dim)
            params = unrolled_d_params(D, opt_d, xs, fs, K)
            loss_g = E * g_loss(kind, mlp_forward(params, fake))
        else:
            loss_g = E * g_loss(kind, D(pack(fake, p)))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        opt_d.zero_grad(set_to_none=True)
        if step + 1 in snapshot_steps:
            with torch.no_grad():
                snaps[step + 1] = G(eval_z).clone()
    with torch.no_grad():
        samples = G(eval_z)
    return {"samples": samples, "snapshots": snaps, "labels": None}
