"""Training dynamics: why simultaneous gradient play circles or spirals (notebook 04).

- :mod:`gan_course.dynamics.dirac`: the Dirac-GAN of Mescheder et al. (2018), its vector field, steps and
  the spectral radius of the update map. Re-exported here (``gan_course.dynamics.step``).
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
