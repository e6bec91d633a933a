"""1-D theory of the GAN game and its explorer (notebooks 02, 03, 05).

- :mod:`gan_course.theory.divergences`: D*, V(D, G), C(G), KL and JSD by quadrature (Goodfellow et al. 2014, §4);
- :mod:`gan_course.theory.explorer`: the C(G) slider explorer of notebook 03;
- :mod:`gan_course.theory.zoo`: the loss zoo as divergences — each loss's D* and the divergence it minimises (03).

The functions of :mod:`~gan_course.theory.divergences` are re-exported here (``gan_course.theory.js_divergence``).
"""

from gan_course.theory.divergences import (  # noqa: F401
    integrate_over,
    js_divergence,
    kl_divergence,
    optimal_discriminator,
    value_function,
    virtual_criterion,
)
