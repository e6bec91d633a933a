"""The Dirac-GAN of Mescheder, Geiger & Nowozin (2018), *Which Training Methods for GANs do
actually Converge?*, §2: the smallest GAN that shows why gradient play oscillates.

Taught in ``notebooks/04_training_dynamics.ipynb``.

p_data = δ₀ (all data at x = 0), the generator G = δ_θ (one parameter θ: it puts all its mass at
x = θ) and a linear discriminator with one parameter ψ. Convention (Mescheder et al.'s): ψ·x is the
discriminator's logit of *fake*, so its probability of "real" is D_ψ(x) = σ(−ψx), and notebook 02's
V = E_data log D + E_g log(1 − D) = log σ(0) + log σ(ψθ). (With ψ·x as the logit of real, V = f(0) + f(−ψθ):
ψ's sign flips, the eigenvalues do not.) The game is

    V(θ, ψ) = f(ψ·θ) + f(0),      G minimises V over θ, D maximises it over ψ,

with f(t) = −log(1 + e^{−t}) = log σ(t) for the GAN of Goodfellow et al. ("gan") and f(t) = t for
WGAN ("wasserstein"). The unique equilibrium is (θ, ψ) = (0, 0). Gradient play follows the field

    v(θ, ψ) = (−∂V/∂θ, ∂V/∂ψ) = (−f'(ψθ)·ψ,  f'(ψθ)·θ − γ·ψ)

where γ ≥ 0 is the weight of the R1 penalty (γ/2)·E_{p_data}[‖∇_x D(x)‖²] = (γ/2)·ψ² (Mescheder
et al. 2018, eq. 9). All functions broadcast over numpy arrays of (θ, ψ).

Facts the notebook measures (a = f'(0) = ½ for "gan", 1 for "wasserstein"):

- continuous time, γ = 0: d/dt (θ² + ψ²) = 0 exactly — the flow circles the equilibrium forever;
- *simultaneous* steps of size h: ‖(θ, ψ)‖² is multiplied by exactly 1 + h²·f'(ψθ)² > 1 per step —
  an outward spiral; near 0 the linearised map has spectral radius √(1 + h²a²);
- *alternating* steps (D first, then G answers the new ψ: Algorithm 1 with k = 1): the linearised
  map has determinant 1 and, for h·a < 2, eigenvalues on the unit circle — bounded orbits that
  neither converge nor diverge;
- with R1 (γ > 0) and a small enough h, every eigenvalue lies inside the unit circle: convergence.
"""

from __future__ import annotations

import numpy as np

KINDS = ("gan", "wasserstein")
MODES = ("simultaneous", "alternating")


def _check(kind: str, mode: str | None = None) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown Dirac-GAN kind {kind!r}; allowed: {', '.join(KINDS)}")
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown update mode {mode!r}; allowed: {', '.join(MODES)}")


def f(t, kind: str = "gan"):
    """The game's f: log σ(t) = −log(1 + e^{−t}) for "gan", t for "wasserstein"."""
    _check(kind)
    t = np.asarray(t, dtype=float)
    return -np.logaddexp(0.0, -t) if kind == "gan" else t


def f_prime(t, kind: str = "gan"):
    """f'(t): σ(−t) = 1/(1 + e^{t}) for "gan" (so f'(0) = ½), 1 for "wasserstein"."""
    _check(kind)
    t = np.asarray(t, dtype=float)
    return np.exp(-np.logaddexp(0.0, t)) if kind == "gan" else np.ones_like(t)


def value(theta, psi, kind: str = "gan"):
    """V(θ, ψ) = f(ψθ) + f(0)."""
    return f(np.asarray(psi) * np.asarray(theta), kind) + f(0.0, kind)


def vector_field(theta, psi, kind: str = "gan", r1: float = 0.0):
    """v(θ, ψ) = (−f'(ψθ)ψ, f'(ψθ)θ − γψ): the direction gradient play moves (θ, ψ) in.

    ``theta``, ``psi``: arrays of any (equal or broadcastable) shape; returns ``(dθ, dψ)`` of that shape.
    """
    if r1 < 0:
        raise ValueError(f"r1 (the penalty weight γ) must be >= 0, got {r1}")
    theta, psi = np.asarray(theta, dtype=float), np.asarray(psi, dtype=float)
    fp = f_prime(psi * theta, kind)
    return -fp * psi, fp * theta - r1 * psi


def step(theta, psi, lr: float, mode: str = "simultaneous", kind: str = "gan", r1: float = 0.0):
    """One gradient step of both players with step size ``lr``.

    ``"simultaneous"``: both use the old (θ, ψ). ``"alternating"``: D moves first, then G
    responds to the *new* ψ — Algorithm 1 of Goodfellow et al. (2014) with k = 1.
    """
    _check(kind, mode)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if mode == "simultaneous":
        dth, dps = vector_field(theta, psi, kind, r1)
        return theta + lr * dth, psi + lr * dps
    _, dps = vector_field(theta, psi, kind, r1)
    psi = psi + lr * dps
    dth, _ = vector_field(theta, psi, kind, r1)
    return theta + lr * dth, psi


def trajectory(theta0, psi0, steps: int, lr: float, mode: str = "simultaneous", kind: str = "gan",
               r1: float = 0.0) -> np.ndarray:
    """Iterate :func:`step` ``steps`` times from (θ₀, ψ₀) (scalars or arrays of shape ``S``).

    Returns ``[steps + 1, *S, 2]``: (θ, ψ) after each step, the start included.
    """
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    th, ps = np.broadcast_arrays(np.asarray(theta0, dtype=float), np.asarray(psi0, dtype=float))
    out = np.empty((int(steps) + 1,) + th.shape + (2,))
    out[0, ..., 0], out[0, ..., 1] = th, ps
    for i in range(int(steps)):
        th, ps = step(th, ps, lr, mode, kind, r1)
        out[i + 1, ..., 0], out[i + 1, ..., 1] = th, ps
    return out


def norms(traj: np.ndarray) -> np.ndarray:
    """‖(θ, ψ)‖ along a trajectory ``[T, ..., 2]`` → ``[T, ...]`` (distance to the equilibrium)."""
    return np.linalg.norm(np.asarray(traj), axis=-1)


def growth_per_step(traj: np.ndarray) -> np.ndarray:
    """Geometric-mean factor by which ‖(θ, ψ)‖ changes per step: (‖x_T‖/‖x_0‖)^{1/T}.

    > 1: spirals out; = 1: orbits; < 1: converges. Shape ``[...]``.
    """
    n = norms(traj)
    return (n[-1] / n[0]) ** (1.0 / (len(n) - 1))


def update_matrix(lr: float, mode: str = "simultaneous", kind: str = "gan", r1: float = 0.0) -> np.ndarray:
    """The 2×2 Jacobian of one :func:`step` at the equilibrium (0, 0) (linearisation, a = f'(0)).

    simultaneous: I + h·[[0, −a], [a, −γ]];  alternating (D first): [[1 − h²a², −ha(1 − hγ)], [ha, 1 − hγ]]
    (determinant 1 − hγ, trace 2 − h²a² − hγ).
    Its eigenvalues' largest modulus is the predicted :func:`growth_per_step` near the equilibrium.
    """
    _check(kind, mode)
    a, h = float(f_prime(0.0, kind)), float(lr)
    if mode == "simultaneous":
        return np.eye(2) + h * np.array([[0.0, -a], [a, -r1]])
    return np.array([[1.0 - h * h * a * a, -h * a * (1.0 - h * r1)], [h * a, 1.0 - h * r1]])


def spectral_radius(lr: float, mode: str = "simultaneous", kind: str = "gan", r1: float = 0.0) -> float:
    """max |eigenvalue| of :func:`update_matrix`: > 1 diverges, = 1 orbits, < 1 converges (locally)."""
    return float(np.max(np.abs(np.linalg.eigvals(update_matrix(lr, mode, kind, r1)))))
