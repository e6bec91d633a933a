"""A live 2-D GAN playground in JupyterLab: GAN Lab's views plus the course's losses, remedies and mode metric.

Taught in ``notebooks/11_playground.ipynb``.

- :mod:`gan_course.playground.data`: the data sets (ring, grid, two Gaussians, a line, clusters, your drawing),
  all 2-D Gaussian mixtures, and the noise baseline of the mode metric;
- :mod:`gan_course.playground.game`: the GAN itself, every setting changeable between steps (losses, remedies,
  optimisers, architecture), and what the views and charts show;
- :mod:`gan_course.playground.render`: the view and the charts as PNG frames (matplotlib, Agg);
- :mod:`gan_course.playground.widget`: :class:`~gan_course.playground.widget.Playground`, the widget and its
  scripted twin (``run``, ``state``, ``metrics``);
- :mod:`gan_course.playground.presets`: named starting points (06's collapse, PacGAN, unrolled, ...);
- :mod:`gan_course.playground.bench`: the frame-rate benchmark (``python -m gan_course playground-bench``).
"""

from gan_course.playground.data import noise_baseline
from gan_course.playground.presets import PRESETS
from gan_course.playground.widget import Playground

__all__ = ["PRESETS", "Playground", "noise_baseline"]
