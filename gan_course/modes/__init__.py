"""Mode collapse, measured and remedied on the 2-D ring and grid of PacGAN (notebook 06).

- :mod:`gan_course.modes.coverage`: modes captured, high-quality share, reverse KL (Lin et al. 2018, Table 1);
- :mod:`gan_course.modes.baselines`: what noise, a uniform circle and real data score on them; precision and recall;
- :mod:`gan_course.modes.ensemble`: many small MLPs trained at once (one batched matmul per layer);
- :mod:`gan_course.modes.toynets`: the toy nets' settings (:class:`~gan_course.modes.toynets.ToyConfig`);
- :mod:`gan_course.modes.remedies`: the remedies, each a training method on that setup;
- :mod:`gan_course.modes.unrolling`: D's Adam steps unrolled for G's loss (the unrolled GAN, Metz et al. 2017);
- :mod:`gan_course.modes.madgan`: MAD-GAN (Ghosh et al. 2018), k generators and a (k+1)-way discriminator, its
  optimal discriminator and MAD-GAN-Sim;
- :mod:`gan_course.modes.pacgan`: PacGAN's Table 1 with the authors' networks (``python -m gan_course pacgan``);
  its networks in :mod:`gan_course.modes.pacnets`, its step and the remedies' steps in
  :mod:`gan_course.modes.pacsteps`, MAD-GAN(-Sim) on that setup in :mod:`gan_course.modes.pacmad`;
- :mod:`gan_course.modes.table`: the table of every method × data set × seed, and how it is read.

``mode_coverage`` is re-exported here (``gan_course.modes.mode_coverage``).
"""

from gan_course.modes.coverage import mode_coverage  # noqa: F401
