"""Named starting points of the playground: a data set and settings (:class:`gan_course.playground.game.Settings`).

- ``default``: notebook 06's toy GAN, non-saturating loss, on two Gaussians, with D judging pairs of samples
  (PacGAN2): it covers both Gaussians within a few hundred steps and D's heat map flattens to ½ (without the
  pairs, these nets collapse onto one of the two);
- ``collapse``: notebook 06's *vanilla* GAN: the minimax (saturating) loss on PacGAN's ring; it collapses;
- ``pacgan``: the same with the non-saturating loss and D judging packs of 4 (PacGAN4, Lin et al. 2018);
- ``unrolled``: the same with the non-saturating loss and 5 unrolled steps of D (Metz et al. 2017): the remedy
  that covers the ring with sharp samples within 1,500 steps in notebook 06's table;
- ``wgan_gp``: the Wasserstein critic with gradient penalty, 5 critic steps per G step, on the grid (07);
- ``hinge_grid``: the hinge loss on the grid, with R1 on the real data.
"""

from __future__ import annotations

PRESETS = {
    "default": {"data": "two_gaussians", "loss": "non_saturating", "pack": 2},
    "collapse": {"data": "ring", "loss": "minimax"},
    "pacgan": {"data": "ring", "loss": "non_saturating", "pack": 4},
    "unrolled": {"data": "ring", "loss": "non_saturating", "unroll": 5},
    "wgan_gp": {"data": "grid", "loss": "wgan_gp", "d_steps": 5},
    "hinge_grid": {"data": "grid", "loss": "hinge", "r1": 1.0},
}

DESCRIPTIONS = {
    "default": "two Gaussians, non-saturating loss, D judges pairs",
    "collapse": "06's collapse: minimax loss on the ring",
    "pacgan": "remedy: PacGAN4 on the ring",
    "unrolled": "remedy: 5 unrolled D steps on the ring",
    "wgan_gp": "WGAN-GP on the grid (5 critic steps)",
    "hinge_grid": "hinge loss + R1 on the grid",
}


def preset(name: str) -> dict:
    """The settings of the preset ``name`` (a copy)."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; allowed: {', '.join(PRESETS)}")
    return dict(PRESETS[name])
