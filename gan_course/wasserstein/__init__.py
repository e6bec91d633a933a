"""The Wasserstein-1 distance and the critics that estimate it (notebook 07).

- :mod:`gan_course.wasserstein.critic`: Example 1 of Arjovsky et al. (2017), the exact W₁ of point clouds,
  batched critics with weight clipping (WGAN) or the gradient penalty (WGAN-GP, Gulrajani et al. 2017).
  Re-exported here (``gan_course.wasserstein.empirical_w1``).
- :mod:`gan_course.wasserstein.spectral`: spectral normalisation (Miyato et al. 2018) by power iteration.
"""

from gan_course.wasserstein.critic import (  # noqa: F401
    BatchedCritic,
    critic_estimate,
    empirical_w1,
    grad_norms,
    interpolates,
    parallel_lines,
    sample_parallel_lines,
    train_critic,
)
from gan_course.wasserstein.spectral import SpectralNormCritic, power_iteration  # noqa: F401
