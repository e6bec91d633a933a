"""gan-course: the helpers behind a Jupyter course on generative adversarial networks.

Every lesson's code is in its notebook; what several lessons share, or what is too long to read in a cell,
is here, one concept a module. Each module's docstring gives the equations, the paper and the notebook that
teaches it.

**The base every lesson stands on**

- ``config``  lesson/fast mode, device, seeding, paths in the course's folder (notebook 00)
- ``data``    MNIST from the shipped files, md5-checked (notebook 00)
- ``toy``     1-D Gaussian mixtures, the 2-D ring and grid (notebooks 01–07)
- ``losses``  the GAN losses on logits and the gradient penalty (notebooks 02, 05, 07)
- ``train``   Algorithm 1 of Goodfellow et al. (2014): ``gan_step`` and ``GANTrainer`` (notebook 02, then all)
- ``plots``   image grids, training curves, Figure 1 animated (notebooks 00, 02, then all)
- ``fileio``  files written whole or not at all (checkpoints, results)

**Lesson helpers, by topic** (notebook → modules)

- 01 generative models: ``generative.autoencoders``
- 02 the GAN game: ``train``, ``losses``, ``plots``, ``toy``
- 03 D* and the JSD, the loss zoo: ``theory`` (``theory.divergences``, ``theory.explorer``, ``theory.zoo``),
  ``dynamics.methods``
- 04 training dynamics: ``dynamics`` (``dynamics.dirac``, ``dynamics.methods``)
- 05 vanishing gradients: ``theory``, ``losses``, ``train``
- 06 mode collapse: ``modes`` (``coverage``, ``baselines``, ``ensemble``, ``toynets``, ``remedies``, ``madgan``,
  ``pacgan``, ``table``)
- 07 Wasserstein: ``wasserstein`` (``wasserstein.critic``, ``wasserstein.spectral``), ``losses.gradient_penalty``
- 08 DCGAN on MNIST: ``mnist.nets``, ``mnist.recipe``, ``mnist.fid``, ``mnist.quality``, ``mnist.latent``,
  ``mnist.ema``, ``mnist.precision``, ``mnist.checkpoints``
- 09 conditional GAN: ``mnist.nets``, ``mnist.packing``, ``mnist.progressive``, ``mnist.fid``, ``mnist.quality``
- 10 beyond images: ``beyond.signals``, ``beyond.tabular``, ``beyond.sequences``
- 11 the playground: ``playground`` (``game``, ``data``, ``render``, ``widget``, ``presets``, ``bench``)
- every notebook's exercises: ``exercises.exNN``

**Tooling** (no lesson helper imports it): ``tools`` — the command line (``python -m gan_course``), the
``train``/``sample`` commands, the benchmark, the modes-table command, student copies, notebook execution.

Import paths from before this layout (``gan_course.nets``, ``gan_course.fid``, …) still work: :mod:`gan_course.moved`.
"""

from gan_course import moved as _moved

__version__ = "0.1.0"

_moved.install()
