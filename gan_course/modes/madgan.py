"""MAD-GAN: k generators and one (k+1)-way discriminator (Ghosh et al. 2018, "Multi-Agent Diverse GANs").

Taught in ``notebooks/06_mode_collapse.ipynb``. Generators G_1 … G_k share nothing; the
discriminator D outputs k+1 logits and is trained by cross-entropy against the one-hot label
"which generator made this sample, or real (class k)":

    L_D = −E_x[log D_k(x)] − Σ_j E_z[log D_j(G_j(z))]          (D_c = softmax of D's logits)
    L_G_j = −E_z[log D_k(G_j(z))]                              (each G_j wants to be judged real)

To lower L_D the discriminator must tell the generators *apart*, so two generators on the same
mode are penalised: the easiest way for each G_j to be both realistic and identifiable is to take
modes of its own. Ghosh et al.'s Theorem 1: at the optimum the *mixture* (1/k)Σ_j p_{G_j} = p_data.

**Theory** (Ghosh et al. 2018, §3): for fixed generators with densities p_{g_i}, the D maximising
E_data[log D_{k+1}] + Σ_i E_{g_i}[log D_i] is (:func:`optimal_discriminator`)

    D*_i(x) = p_{g_i}(x) / (p_data(x) + Σ_j p_{g_j}(x)),   D*_{k+1}(x) = p_data(x) / (p_data(x) + Σ_j p_{g_j}(x)),

and at D* the generators' objective E_data[log D*_{k+1}] + Σ_i E_{g_i}[log(1 − D*_{k+1})] depends on the
generators only through their mixture p̄ = (1/k)Σ_i p_{g_i}; it is minimal, −(k+1)·log(k+1) + k·log k, exactly
when p̄ = p_data (:func:`generator_objective`, :func:`generator_objective_minimum`). Individual generators need
not match p_data.

**MAD-GAN-Sim** (Ghosh et al. §3.1): for one noise z and generators i ≠ j, the constraint

    D_i(G_i(z)) ≥ D_i(G_j(z)) + Δ(φ(G_i(z)), φ(G_j(z)))

with D_i the discriminator's probability of "made by generator i", φ the generator's last hidden layer and
Δ the cosine similarity of the two feature vectors: the more alike two generators' samples are, the more D
must tell them apart. Where it holds, a generator's gradient is MAD-GAN's; where it is violated, the violation
is added to the generator's loss as a hinge (:func:`sim_hinge`, :func:`madgan_sim_g_loss`).

Shapes: E seeds × k generators → G is a :class:`gan_course.modes.ensemble.BatchedMLP` with E·k members
(member e·k + j is generator j of seed e), D one with E members and k+1 outputs.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from gan_course.modes.ensemble import MemberRNG, mlp_forward
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


def optimal_discriminator(p_data, p_gens):
    """D* for densities on a grid: ``p_data`` ``[N]``, ``p_gens`` ``[k, N]`` → ``[k+1, N]`` (rows D*_1 … D*_k,
    then D*_{k+1} = "real"); where every density is 0 the point is given the uniform 1/(k+1)."""
    p_data, p_gens = torch.as_tensor(p_data, dtype=torch.float64), torch.as_tensor(p_gens, dtype=torch.float64)
    num = torch.cat([p_gens, p_data[None]])
    tot = num.sum(0, keepdim=True)
    return torch.where(tot > 0, num / tot.clamp_min(1e-300), torch.full_like(num, 1 / len(num)))


def d_objective(d_probs, x, p_data, p_gens):
    """E_data[log D_{k+1}] + Σ_i E_{g_i}[log D_i] by the trapezoid rule on the grid ``x`` ``[N]``
    (``d_probs`` ``[k+1, N]``; terms with zero density count 0)."""
    x = torch.as_tensor(x, dtype=torch.float64)
    w = torch.cat([torch.as_tensor(p_gens, dtype=torch.float64), torch.as_tensor(p_data, dtype=torch.float64)[None]])
    d = torch.as_tensor(d_probs, dtype=torch.float64)
    integrand = torch.where(w > 0, w * torch.log(d.clamp_min(1e-300)), torch.zeros_like(w)).sum(0)
    return torch.trapezoid(integrand, x).item()


def generator_objective(x, p_data, p_gens) -> float:
    """E_data[log D*_{k+1}] + Σ_i E_{g_i}[log(1 − D*_{k+1})] by the trapezoid rule on ``x``."""
    p_data = torch.as_tensor(p_data, dtype=torch.float64)
    s = torch.as_tensor(p_gens, dtype=torch.float64).sum(0)
    tot = (p_data + s).clamp_min(1e-300)
    f = (torch.where(p_data > 0, p_data * torch.log((p_data / tot).clamp_min(1e-300)), torch.zeros_like(s)) +
         torch.where(s > 0, s * torch.log((s / tot).clamp_min(1e-300)), torch.zeros_like(s)))
    return torch.trapezoid(f, torch.as_tensor(x, dtype=torch.float64)).item()


def generator_objective_minimum(k: int) -> float:
    """−(k+1)·log(k+1) + k·log k: the value of :func:`generator_objective` when (1/k)Σ_i p_{g_i} = p_data."""
    return -(k + 1) * math.log(k + 1) + (k * math.log(k) if k > 1 else 0.0)


def generator_features(G, z: torch.Tensor):
    """``(φ, x)`` for a :class:`~gan_course.modes.ensemble.BatchedMLP` generator: φ its last hidden layer
    (after the ReLU) ``[M, B, h]`` and x its output ``[M, B, d]``."""
    ps = list(G.params)
    phi = G.act(mlp_forward(ps[:-2], z, G.act))
    return phi, torch.baddbmm(ps[-1], phi, ps[-2])


def sim_hinge(d_probs, phi) -> torch.Tensor:
    """MAD-GAN-Sim's violations for one noise per column: ``d_probs`` ``[E, k, b, k+1]`` (D's softmax on the
    sample of generator j for noise z_n), ``phi`` ``[E, k, b, h]``. Returns ``[E, k, k, b]``: entry (i, j, n) =
    max(0, D_i(G_j(z_n)) + cos(φ(G_i(z_n)), φ(G_j(z_n))) − D_i(G_i(z_n))), zero on the diagonal."""
    E, k, b, _ = d_probs.shape
    own = torch.diagonal(d_probs[..., :k], dim1=1, dim2=3)              # [E, b, k]: D_i(G_i(z))
    own = own.permute(0, 2, 1)[:, :, None, :]                          # [E, k(i), 1, b]
    cross = d_probs[..., :k].permute(0, 3, 1, 2)                        # [E, k(i), k(j), b]: D_i(G_j(z))
    unit = F.normalize(phi, dim=-1)
    cos = torch.einsum("einh,ejnh->eijn", unit, unit)                  # [E, k, k, b]
    v = torch.relu(cross + cos - own)
    return v * (1 - torch.eye(k)).view(1, k, k, 1)


def madgan_sim_g_loss(fake_logits, phi, weight: float = 1.0) -> torch.Tensor:
    """MAD-GAN's generator loss plus ``weight`` × the mean hinge of :func:`sim_hinge` (summed over pairs),
    for samples of all generators made from the *same* noise: ``fake_logits`` ``[E, k, b, k+1]``."""
    E, k, b, _ = fake_logits.shape
    hinge = sim_hinge(F.softmax(fake_logits, -1), phi)
    return madgan_g_loss(fake_logits) + weight * E * hinge.sum((1, 2)).mean()


def mode_ownership(samples, labels, centers, stds, k: int, threshold: float = 3.0) -> dict:
    """Which generator's samples sit on which mode: ``counts`` ``[k, K]`` high-quality samples of generator j on
    mode c; ``purity`` = share of high-quality samples on their mode's majority generator (1 = every mode is
    one generator's; nan without any high-quality sample); ``modes_per_generator`` (modes holding ≥ 5 % of that generator's good samples);
    ``shared`` = number of modes where two or more generators each hold ≥ 20 % of the mode's good samples.
    ``samples`` ``[N, d]``, ``labels`` ``[N]`` (generator of each sample), ``centers`` ``[K, d]`` (or ``[K]`` in 1-D),
    ``stds`` one σ or one per mode; a sample is good within ``threshold``·σ of its nearest centre."""
    x = torch.as_tensor(samples, dtype=torch.float64).reshape(len(labels), -1)
    c = torch.as_tensor(centers, dtype=torch.float64)
    c = c.reshape(len(c), -1)
    d2 = torch.cdist(x, c) ** 2
    nearest = d2.argmin(1)
    std = torch.as_tensor(stds, dtype=torch.float64).expand(len(c))
    good = d2[torch.arange(len(x)), nearest] <= (threshold * std[nearest]) ** 2
    lab = torch.as_tensor(labels)
    counts = torch.zeros(k, len(c), dtype=torch.long)
    counts.index_put_((lab[good], nearest[good]), torch.ones(int(good.sum()), dtype=torch.long), accumulate=True)
    tot = counts.sum(0)
    purity = (counts.max(0).values.sum() / tot.sum()).item() if tot.sum() > 0 else float("nan")
    per_gen = counts.sum(1, keepdim=True).clamp_min(1)
    share = counts / tot.clamp_min(1)
    return {"counts": counts.tolist(), "purity": purity,
            "modes_per_generator": ((counts / per_gen) >= 0.05).sum(1).tolist(),
            "shared": int(((share >= 0.2).sum(0) >= 2).sum())}


def train_madgan(mixture, seeds, cfg, n_eval: int = 2500, snapshot_steps=(), progress: bool = True,
                 k: int | None = None, sim_weight: float = 0.0) -> dict:
    """Train MAD-GAN with ``k`` (default ``cfg.madgan_k``) generators for every seed at once.

    Each step: D sees ``cfg.batch`` real samples and ``cfg.batch // k`` from each generator. With
    ``sim_weight`` > 0 it is MAD-GAN-Sim: the generators' step uses one noise batch for all k generators and
    :func:`madgan_sim_g_loss` with that weight.
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
        if sim_weight > 0:
            z = rng.randn(1, b, cfg.z_dim).expand(E, k, b, cfg.z_dim).reshape(E * k, b, cfg.z_dim)
            phi, fake = generator_features(G, z)
            logits = D(fake.reshape(E, k * b, d)).reshape(E, k, b, k + 1)
            loss_g = madgan_sim_g_loss(logits, phi.reshape(E, k, b, -1), sim_weight)
        else:
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
