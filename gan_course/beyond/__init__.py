"""GANs beyond images (notebook 10).

- :mod:`gan_course.beyond.signals`: 1-D signals: two-tone waveforms, a 1-D convolutional GAN, spectral checks;
- :mod:`gan_course.beyond.tabular`: tables, and a fair test of augmentation with synthetic rows;
- :mod:`gan_course.beyond.sequences`: discrete sequences through the Gumbel-softmax.
"""
