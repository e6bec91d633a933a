"""GANs on MNIST (notebooks 08 and 09).

- :mod:`gan_course.mnist.nets`: the MLP GAN, the DCGAN of Radford et al. (2016) at 28×28, the conditional DCGAN;
- :mod:`gan_course.mnist.recipe`: the course's fast recipe: deeper DCGAN nets and their tuned settings;
- :mod:`gan_course.mnist.classifier`: the small MNIST classifier whose features the quality metrics use;
- :mod:`gan_course.mnist.fid`: classifier-FID, class histograms and the class-proportion baseline;
- :mod:`gan_course.mnist.quality`: the real-vs-real baseline, KID, precision and recall, memorisation;
- :mod:`gan_course.mnist.latent`: spherical interpolation in the latent space;
- :mod:`gan_course.mnist.ema`: an exponential moving average of G's weights;
- :mod:`gan_course.mnist.precision`: bf16 autocast around a net;
- :mod:`gan_course.mnist.packing`: conditional GANs through the unconditional trainer (labels packed with data);
- :mod:`gan_course.mnist.progressive`: progressive growing in miniature (Karras et al. 2018);
- :mod:`gan_course.mnist.distributed`: DistributedDataParallel helpers for ``torchrun``;
- :mod:`gan_course.mnist.checkpoints`: exported generators, written and loaded.
"""
