"""gan-course: helpers for a Jupyter course on generative adversarial networks.

Modules (one concept each; each docstring names the notebook that teaches it):

- ``config``   – lesson/fast mode, device choice, seeding (notebook 00)
- ``data``     – offline MNIST loader with md5 verification (notebook 00)
- ``toy``      – 1-D Gaussian mixtures and the 2-D ring/grid (notebooks 02, 03, 06)
- ``theory``   – D*, V(D, G), C(G), JSD/KL by quadrature (notebook 03)
- ``losses``   – GAN losses and the gradient penalty (notebooks 02, 05, 07)
- ``train``    – Algorithm 1 of Goodfellow et al. (2014), shared by every lesson (notebook 02)
- ``nets``, ``metrics`` – MNIST networks and quality metrics (notebooks 06, 08, 09)
"""

__version__ = "0.1.0"
