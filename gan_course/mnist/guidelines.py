"""The DCGAN guidelines of Radford et al. (2016), §3, tested one change at a time (notebook 08, section 2).

Two of the paper's guidelines are switched off, alone and together, on its nets
(:class:`~gan_course.mnist.nets.DCGANGenerator`, :class:`~gan_course.mnist.nets.DCGANDiscriminator`):

- **LeakyReLU(0.2) in D** ("within the discriminator we found the leaky rectified activation to work well"):
  the variant puts ReLU there, as in G;
- **BatchNorm in G and D** ("this proved critical to get deep generators to begin learning"): the variant
  replaces every BatchNorm layer of both nets by the identity (their convolutions have no bias, so the variant
  has none either, as in the paper's nets where BatchNorm's shift stands in for it).

The variants are made by replacing layers of the paper's ``Sequential`` (:func:`variant_nets`), so the teaching
nets carry no switches. Every variant trains as notebook 08 trains the DCGAN — non-saturating loss, Adam(2·10⁻⁴,
β₁ = 0.5) for both players, batch 64, N(0, 0.02) initialisation — for the same number of steps, and is judged
against the real-vs-real baseline (:mod:`gan_course.mnist.quality`) and by its class histogram.
``python -m gan_course guidelines`` writes the committed ``data/results/dcgan_guidelines.json``.
"""

from __future__ import annotations

import time

import torch
from torch import nn

from gan_course.config import seed_everything
from gan_course.metrics import effective_number
from gan_course.mnist.fid import class_histogram
from gan_course.mnist.nets import DCGANDiscriminator, DCGANGenerator, weights_init
from gan_course.mnist.quality import judge, near_duplicates, real_vs_real
from gan_course.train import GANTrainer, ResidentSampler

# variant name → (D's activation, BatchNorm kept)
VARIANTS = {
    "paper": ("leaky_relu", True),
    "relu_in_d": ("relu", True),
    "no_batchnorm": ("leaky_relu", False),
    "relu_in_d_no_batchnorm": ("relu", False),
}


# the paper's training settings, used by every variant (and recorded in the results file)
SETTINGS = {"batch": 64, "lr": 2e-4, "betas": (0.5, 0.999), "loss": "non_saturating"}


def replace_layers(net: nn.Sequential, kind: type, make) -> nn.Sequential:
    """``net`` with every layer of type ``kind`` replaced by ``make()`` (in place; returned for chaining)."""
    for i, layer in enumerate(net):
        if isinstance(layer, kind):
            net[i] = make()
    return net


def variant_nets(variant: str, width: int = 16, z_dim: int = 100) -> tuple[DCGANGenerator, DCGANDiscriminator]:
    """G ``[B, z_dim]`` → ``[B, 1, 28, 28]`` and D ``[B, 1, 28, 28]`` → logits ``[B]`` of one of :data:`VARIANTS`,
    initialised as in the paper (seed first)."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")
    activation, batchnorm = VARIANTS[variant]
    G, D = DCGANGenerator(z_dim=z_dim, ngf=width), DCGANDiscriminator(ndf=width)
    if activation == "relu":
        replace_layers(D.net, nn.LeakyReLU, lambda: nn.ReLU(inplace=True))
    if not batchnorm:
        replace_layers(G.net, nn.BatchNorm2d, nn.Identity)
        replace_layers(D.net, nn.BatchNorm2d, nn.Identity)
    return G.apply(weights_init), D.apply(weights_init)


def run_variant(variant: str, seed: int, steps: int, images: torch.Tensor, reference: dict, width: int = 16,
                n_eval: int = 1000) -> dict:
    """Train one variant for ``steps`` on ``images`` ``[N, 1, 28, 28]`` and judge ``n_eval`` samples against
    ``reference`` (:func:`~gan_course.mnist.quality.real_vs_real` at ``n_eval``). Returns the row of the table."""
    seed_everything(seed)
    G, D = variant_nets(variant, width)
    opt_g = torch.optim.Adam(G.parameters(), lr=SETTINGS["lr"], betas=SETTINGS["betas"])
    opt_d = torch.optim.Adam(D.parameters(), lr=SETTINGS["lr"], betas=SETTINGS["betas"])
    noise = lambda m, g: torch.randn(m, G.z_dim, generator=g)
    trainer = GANTrainer(G, D, opt_g, opt_d, ResidentSampler(images), noise, batch_size=SETTINGS["batch"],
                         loss=SETTINGS["loss"], generator=torch.Generator().manual_seed(seed))
    t0 = time.perf_counter()
    trainer.train(steps, progress=False)
    seconds = time.perf_counter() - t0
    G.eval()
    with torch.no_grad():
        x = G(torch.randn(n_eval, G.z_dim, generator=torch.Generator().manual_seed(seed + 1)))
    scores = judge(x, reference["A"])
    hist = class_histogram(x)
    return {"variant": variant, "seed": seed, "steps": steps, "seconds": round(seconds, 1),
            "fid": scores["fid"], "fid_ratio": scores["fid"] / reference["fid"],
            "precision": scores["precision_recall"][0], "recall": scores["precision_recall"][1],
            "effective_digits": effective_number(hist), "histogram": hist.tolist(),
            "near_duplicates": near_duplicates(x, reference["B"])["share"]}


def run_guidelines(variants, seeds, steps: int, width: int = 16, n_eval: int = 1000, log=print) -> dict:
    """Every variant × seed (:func:`run_variant`) on MNIST's training images, with the real-vs-real baseline of the
    test set at ``n_eval`` images. Returns ``{"baseline": {...}, "rows": [...]}``."""
    from gan_course.data import mnist_tensor

    images, test = mnist_tensor("train"), mnist_tensor("test")
    reference = real_vs_real(test, n_eval, seed=0)
    baseline = {"fid": reference["fid"], "precision": reference["precision_recall"][0],
                "recall": reference["precision_recall"][1],
                "effective_digits": effective_number(class_histogram(reference["B"])),
                "near_duplicates": near_duplicates(reference["B"], reference["A"])["share"]}
    rows = []
    for variant in variants:
        for seed in seeds:
            rows.append(run_variant(variant, seed, steps, images, reference, width=width, n_eval=n_eval))
            r = rows[-1]
            log(f"{variant:<24} seed {seed}: FID {r['fid']:.1f} ({r['fid_ratio']:.0f}x), recall {r['recall']:.2f}, "
                f"{r['effective_digits']:.2f} effective digits, {r['seconds']:.0f} s")
    return {"baseline": baseline, "rows": rows}
