"""Generative models before GANs (notebook 01).

- :mod:`gan_course.generative.autoencoders`: an autoencoder and a VAE (Kingma & Welling 2014) on MNIST, to
  compare their samples with what a GAN draws.
"""
