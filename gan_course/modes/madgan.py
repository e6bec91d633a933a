"""MAD-GAN: k generators and one (k+1)-way discriminator (Ghosh et al. 2018, "Multi-Agent Diverse GANs").

Taught in ``notebooks/06_mode_collapse.ipynb``. Generators G_1 … G_k share nothing; the
discriminator D outputs k+1 logits and is trained by cross-entropy against the one-hot label
"which generator made this sample, or real (class k)":

    L_D = −E_x[log D_k(x)] − Σ_j E_z[log D_j(G_j(z))]          (D_c = softmax of D's logits)
    L_G_j = −E_z[log D_k(G_j(z))]                              (each G_j wants to be judged real)

To lower L_D the discriminator must tell the generators *apart*, so two generators on the same
mode are penalised: the easiest way for each G_j to be both realistic and identifiable is to take
modes of its own. Ghosh et al.'s Theorem 1: at the optimum the *mixture* (1/k)Σ_j p_{G_j} = p_data.

MAD-GAN-Sim (the paper's §3.1 variant) adds a hinge constraint on D's features φ: a sample of G_i
should be at least a margin Δ(z, z') = ν·‖z − z'‖ less similar (cosine) to samples of the other
generators than to itself — not implemented here (see the notebook's note); the plain objective
already separates the generators on these data sets.

Shapes: E seeds × k generators → G is a :class:`gan_course.modes.ensemble.BatchedMLP` with E·k members
(member e·k + j is generator j of seed e), D one with E members and k+1 outputs.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from gan_course.modes.ensemble import MemberRNG
from gan_course.modes.toynets import adam, lr_factor, make_nets
from gan_course.train import set_lr


class Rescaled:
    """``mixture`` seen through x ↦ (x − loc)/scale, so networks work at unit scale; ``unscale``
    maps samples back. Used for the paper's 1-D mixture (modes 10 … 110)."""

    def __init__(self, mixture, loc: float, scale: float):
        if not scale > 0:
            raise ValueError(f"scale must be > 0, got {scale!r}")
        self.mixture, self.loc, self.scale = mixture, float(loc), float(scale)

    def sample(self, n, generator=None):
        return (self.mixture.sample(n, generator=generator) - self.loc) / self.scale

    def unscale(self, x):
        return x * self.scale + self.loc


def madgan_d_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of the (k+1)-way D: ``real_logits`` ``[E, B, k+1]`` (label k),
    ``fake_logits`` ``[E, k, b, k+1]`` (label j for generator j). Returns Σ_e member e's loss."""
    E, k, b, c = fake_logits.shape
    if c != k + 1 or real_logits.shape[-1] != c:
        raise ValueError(f"D must output k+1 = {k + 1} logits for k = {k} generators, got {c} and {real_logits.shape[-1]}")
    real_t = torch.full(real_logits.shape[:2], k, dtype=torch.long)
    fake_t = torch.arange(k).view(1, k, 1).expand(E, k, b)
    return E * (F.cross_entropy(real_logits.reshape(-1, c), real_t.reshape(-1)) +
                F.cross_entropy(fake_logits.reshape(-1, c), fake_t.reshape(-1)))


def madgan_g_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """Σ_e Σ_j −E[log D_k(G_j(z))] for ``fake_logits`` ``[E, k, b, k+1]``: every generator
    wants its samples classified as real (non-saturating form)."""
    E, k, b, c = fake_logits.shape
    return -(E * k) * F.log_softmax(fake_logits, -1)[..., k].mean()


def train_madgan(mixture, seeds, cfg, n_eval: int = 2500, snapshot_steps=(), progress: bool = True,
                 k: int | None = None) -> dict:
    """Train MAD-GAN with ``k`` (default ``cfg.madgan_k``) generators for every seed at once.

    Each step: D sees ``cfg.batch`` real samples and ``cfg.batch // k`` from each generator.
    Returns ``{"samples": [E, n_eval, d], "labels": [E, n_eval] (generator index), "snapshots": {}}``
    with the n_eval samples split evenly over the generators (the mixture (1/k)Σ_j p_{G_j}).
    """
    k = int(k or cfg.madgan_k)
    if k < 1:
        raise ValueError(f"k (number of generators) must be >= 1, got {k}")
    seeds = [int(s) for s in seeds]
    E, B = len(seeds), cfg.batch
    b = max(1, B // k)
    rng = MemberRNG(seeds)
    d = mixture.sample(1).shape[-1]
    G, D = make_nets(cfg, seeds, d, d_out=k + 1, g_members=k)
    opt_g, opt_d = adam(G.parameters(), cfg), adam(D.parameters(), cfg)
    m = -(-n_eval // k)
    eval_z = MemberRNG(seeds, offset=7).randn(k, m, cfg.z_dim).reshape(E * k, m, cfg.z_dim)

    def generate(z):  # z [E, k, b, z_dim] -> [E, k, b, d]
        return G(z.reshape(E * k, -1, cfg.z_dim)).reshape(E, k, -1, d)

    def evaluate():
        with torch.no_grad():
            s = G(eval_z).reshape(E, k, m, d).transpose(1, 2).reshape(E, m * k, d)[:, :n_eval]
        return s

    snaps = {}
    for step in tqdm(range(cfg.steps), desc="madgan", disable=not progress, leave=False):
        set_lr((opt_g, opt_d), cfg.lr * lr_factor(cfg, step))
        x = rng.sample(mixture, B)
        with torch.no_grad():
            fake = generate(rng.randn(k, b, cfg.z_dim))
        loss_d = madgan_d_loss(D(x), D(fake.reshape(E, k * b, d)).reshape(E, k, b, k + 1))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        fake = generate(rng.randn(k, b, cfg.z_dim))
        loss_g = madgan_g_loss(D(fake.reshape(E, k * b, d)).reshape(E, k, b, k + 1))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        opt_d.zero_grad(set_to_none=True)
        if step + 1 in snapshot_steps:
            snaps[step + 1] = evaluate()
    labels = torch.arange(k).repeat(m)[:n_eval].expand(E, n_eval).clone()
    return {"samples": evaluate(), "labels": labels, "snapshots": snaps}
