"""Unrolled optimisation of the discriminator (Metz et al. 2017, "Unrolled generative adversarial networks", §2.2).

The generator's loss is taken at D's weights θ_D^K after K more optimiser steps of D, θ_D^{k+1} = θ_D^k − η·Adam(∇L_D),
and differentiated *through* those steps: G's gradient then sees how D would answer its move, which discourages
G from moving all its mass to the place D rates best now (eq. 6–7 of the paper). Used by notebook 06's own
table (:func:`gan_course.modes.remedies.unrolled_d_params`), by its row on PacGAN's authors' setup
(:class:`gan_course.modes.pacsteps.UnrolledStep`) and by the playground (notebook 11).
"""

from __future__ import annotations

import torch


def unrolled_adam(params, opt: torch.optim.Adam, loss_at, steps: int, first_grads=None) -> list[torch.Tensor]:
    """``params`` after ``steps`` Adam updates on ``loss_at(params, u)`` (u = 0, …, steps − 1), each update a
    differentiable function of the previous weights and of whatever else the loss depends on (the generator's
    samples). ``params``: the parameters ``opt`` optimises, in its order; Adam's constants come from ``opt``'s first
    group and its state (moments, step count) from ``opt.state``, so the unrolled steps continue where ``opt`` stands
    (PyTorch's update, θ − lr·m̂ / (√v̂ + eps)). ``opt`` itself is not changed. ``first_grads``: the gradient of
    ``loss_at(params, 0)``, when the caller has already taken it with ``create_graph=True`` (D's own update needs
    it too, so it is computed once)."""
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    group = opt.param_groups[0]
    lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
    st = [opt.state.get(p, {}) for p in params]
    params = list(params)
    m = [s["exp_avg"] if s else torch.zeros_like(p) for s, p in zip(st, params)]
    v = [s["exp_avg_sq"] if s else torch.zeros_like(p) for s, p in zip(st, params)]
    t = int(st[0]["step"]) if st[0] else 0
    for u in range(steps):
        if u == 0 and first_grads is not None:
            grads = first_grads
        else:
            grads = torch.autograd.grad(loss_at(params, u), params, create_graph=True)
        t += 1
        new = []
        for i, (p, g) in enumerate(zip(params, grads)):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            mh, vh = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
            new.append(p - lr * mh / ((vh + 1e-16).sqrt() + eps))  # +1e-16: finite d√v/dv at v = 0
        params = new
    return params
