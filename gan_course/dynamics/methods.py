"""The Dirac-GAN under every loss of the zoo, and the update rules proposed to make it converge
(notebook 04, "Fixes for the dynamics"; the loss zoo of notebook 03).

Setting (Mescheder et al. 2018, §2): data δ₀, generator δ_θ, and a discriminator whose *real* score on x is
the linear ψ·x (so on the data it is 0 and on the generator's point it is t = ψθ). Each loss is a pair
(L_G, L_D), both functions of t, minimised by G over θ and by D over ψ:

- minimax: L_D = softplus(t) (+ const), L_G = −softplus(t)          (D(x) = σ(ψx) = P(real | x))
- non_saturating: L_D as minimax, L_G = softplus(−t)
- least_squares (Mao et al. 2017, a = −1, b = 1, c = 0): L_D = ½(0 − 1)² + ½(t + 1)², L_G = ½t²
- hinge (Lim & Ye 2017): L_D = max(0, 1 − 0) + max(0, 1 + t), L_G = −t
- wasserstein (Arjovsky et al. 2017): L_D = t, L_G = −t

Gradient play follows v(θ, ψ) = (−∂L_G/∂θ, −∂L_D/∂ψ − γψ) (γ: the R1 weight). Flipping the sign convention of
ψ (ψx as the logit of "fake", as in :mod:`gan_course.dynamics.dirac`) conjugates the Jacobian by diag(1, −1) and
leaves its eigenvalues unchanged.

Update rules on x = (θ, ψ), with step sizes H = diag(h_G, h_D):

- ``simultaneous``: x + H v(x); with h_G ≠ h_D this is the two time-scale rule, TTUR (Heusel et al. 2017);
- ``extragradient``: y = x + H v(x), then x + H v(y) (Korpelevich 1976; for GANs, Gidel et al. 2019);
- ``optimistic``: x_{t+1} = x_t + 2H v(x_t) − H v(x_{t−1}) (Daskalakis et al. 2018);
- ``consensus``: x + H (v − η ∇½‖v‖²) (Mescheder et al. 2017), ∇½‖v‖² = Jᵀv with J the Jacobian of v.

Near the equilibrium each rule is linear: :func:`update_matrix` gives its matrix, whose spectral radius
(< 1: converges; = 1: orbits; > 1: diverges) the trajectories are checked against.
"""

from __future__ import annotations

import numpy as np

LOSSES = ("minimax", "non_saturating", "least_squares", "hinge", "wasserstein")
METHODS = ("simultaneous", "extragradient", "optimistic", "consensus")


def _sig(t):
    return np.exp(-np.logaddexp(0.0, -t))


def _derivatives(loss: str, t):
    """(dL_G/dt, dL_D/dt) at t = ψθ."""
    if loss == "minimax":
        return -_sig(t), _sig(t)
    if loss == "non_saturating":
        return -_sig(-t), _sig(t)
    if loss == "least_squares":
        return t, t + 1.0
    if loss == "hinge":
        return -np.ones_like(t), (1.0 + t > 0).astype(float)
    if loss == "wasserstein":
        return -np.ones_like(t), np.ones_like(t)
    raise ValueError(f"unknown loss {loss!r}; allowed: {', '.join(LOSSES)}")


def field(loss: str, theta, psi, r1: float = 0.0):
    """v(θ, ψ) = (−∂L_G/∂θ, −∂L_D/∂ψ − γψ) for ``loss``; arrays broadcast."""
    if r1 < 0:
        raise ValueError(f"r1 (the penalty weight γ) must be >= 0, got {r1}")
    theta, psi = np.asarray(theta, dtype=float), np.asarray(psi, dtype=float)
    gp, dp = _derivatives(loss, psi * theta)
    return -gp * psi, -dp * theta - r1 * psi


def jacobian(loss: str, theta: float = 0.0, psi: float = 0.0, r1: float = 0.0, eps: float = 1e-6) -> np.ndarray:
    """2×2 Jacobian of :func:`field` at (θ, ψ) by central differences (error O(eps²) for smooth losses)."""
    out = np.empty((2, 2))
    for j, (dt, dp) in enumerate(((eps, 0.0), (0.0, eps))):
        hi = np.array(field(loss, theta + dt, psi + dp, r1))
        lo = np.array(field(loss, theta - dt, psi - dp, r1))
        out[:, j] = (hi - lo) / (2 * eps)
    return out


def _check(method: str, h_g: float, h_d: float, eta: float) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; allowed: {', '.join(METHODS)}")
    if not (h_g > 0 and h_d > 0):
        raise ValueError(f"step sizes must be > 0, got h_G = {h_g}, h_D = {h_d}")
    if eta < 0:
        raise ValueError(f"the consensus weight η must be >= 0, got {eta}")


def trajectory(loss: str, method: str, x0, steps: int, h_g: float, h_d: float | None = None, r1: float = 0.0,
               eta: float = 0.0) -> np.ndarray:
    """Iterate ``method`` for ``steps`` steps from x0 = (θ₀, ψ₀); returns ``[steps + 1, 2]``."""
    h_d = h_g if h_d is None else h_d
    _check(method, h_g, h_d, eta)
    H = np.array([h_g, h_d], dtype=float)

    def v(x):
        return np.array(field(loss, x[0], x[1], r1))

    x = np.asarray(x0, dtype=float).copy()
    out = [x.copy()]
    prev = v(x)
    for _ in range(int(steps)):
        now = v(x)
        if method == "simultaneous":
            x = x + H * now
        elif method == "extragradient":
            x = x + H * v(x + H * now)
        elif method == "optimistic":
            x = x + H * (2 * now - prev)
        else:
            x = x + H * (now - eta * jacobian(loss, x[0], x[1], r1).T @ now)
        prev = now
        out.append(x.copy())
    return np.array(out)


def update_matrix(J, method: str, h_g: float, h_d: float | None = None, eta: float = 0.0) -> np.ndarray:
    """The linearised update of ``method`` at an equilibrium with field Jacobian ``J`` (2×2).

    simultaneous: I + HJ; extragradient: I + HJ + (HJ)²; optimistic (state (x_t, x_{t−1})):
    [[I + 2HJ, −HJ], [I, 0]]; consensus: I + H(J − η JᵀJ).
    """
    h_d = h_g if h_d is None else h_d
    _check(method, h_g, h_d, eta)
    J = np.asarray(J, dtype=float)
    HJ = np.diag([h_g, h_d]) @ J
    eye = np.eye(2)
    if method == "simultaneous":
        return eye + HJ
    if method == "extragradient":
        return eye + HJ + HJ @ HJ
    if method == "optimistic":
        return np.block([[eye + 2 * HJ, -HJ], [eye, np.zeros((2, 2))]])
    return eye + np.diag([h_g, h_d]) @ (J - eta * J.T @ J)


def spectral_radius(M) -> float:
    """max |eigenvalue| of a square matrix."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(M, dtype=float)))))


def measured_rate(M, traj) -> float:
    """Per-step growth factor of a trajectory ``[T + 1, 2]`` measured in the eigenbasis of its linearised map ``M``.

    In that basis each coordinate is multiplied by its eigenvalue at every step, so the norm's ratio over T steps
    is the spectral radius up to the start's share of the other eigenvectors (for a 4×4 optimistic map the state is
    (x_t, x_{t−1}), with x_{−1} = x_0) and the nonlinearity (O(‖x‖²)), without the wobble an elongated orbit puts
    into the plain Euclidean norm.
    """
    M, traj = np.asarray(M, dtype=float), np.asarray(traj, dtype=float)
    states = traj if len(M) == 2 else np.concatenate([traj, np.concatenate([traj[:1], traj[:-1]])], axis=1)
    V = np.linalg.eig(M)[1]
    n = np.linalg.norm(np.linalg.solve(V, states.T.astype(complex)), axis=0)
    return float((n[-1] / n[0]) ** (1.0 / (len(traj) - 1)))
