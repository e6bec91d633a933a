"""Training dynamics: why simultaneous gradient play circles or spirals (notebook 04).

- :mod:`gan_course.dynamics.dirac`: the Dirac-GAN of Mescheder et al. (2018), its vector field, steps and
  the spectral radius of the update map. Re-exported here (``gan_course.dynamics.step``).
- :mod:`gan_course.dynamics.methods`: the Dirac-GAN under every loss of the zoo (notebook 03) and the update rules
  proposed as fixes (TTUR, extragradient, optimistic, consensus), with their linearised maps (notebook 04).
"""

from gan_course.dynamics.dirac import (  # noqa: F401
    KINDS,
    MODES,
    f,
    f_prime,
    growth_per_step,
    norms,
    spectral_radius,
    step,
    trajectory,
    update_matrix,
    value,
    vector_field,
)
