"""Quality metrics, one import place for the lessons.

- the effective number of categories of a histogram, exp(entropy): :func:`effective_number` (digits in notebook
  08, modes in notebooks 11; defined here)
- the radius of each point's k-nearest-neighbour ball, :func:`kth_neighbour_radii` (defined here): the balls of
  Kynkäänniemi et al.'s (2019) precision and recall, on 2-D points (``gan_course.modes.baselines``, notebook 06)
  and on classifier features (``gan_course.mnist.quality``, notebook 08)

- mode coverage on the 2-D ring/grid (notebook 06): :func:`mode_coverage`, in ``gan_course.modes.coverage``
- MNIST quality (notebooks 08, 09): :func:`load_classifier`, :func:`frechet_distance`,
  :func:`classifier_fid`, :func:`class_histogram`, :func:`balance_floor`, in ``gan_course.mnist.fid``
"""

from gan_course.mnist.fid import (  # noqa: F401
    balance_floor,
    class_histogram,
    classifier_fid,
    frechet_distance,
    load_classifier,
)
from gan_course.modes.coverage import mode_coverage  # noqa: F401


def effective_number(counts) -> float:
    """exp(H) of a histogram ``counts`` ``[K]`` (non-negative, not all 0), H the entropy of its shares: K for equal
    shares, 1 when everything is in one category (the "effective number of species" of ecology, Hill 1973).
    Notebook 08 counts digits with it (class histograms), notebook 11 the modes a generator uses."""
    import numpy as np

    c = np.asarray(counts, dtype=float)
    if c.ndim != 1 or (c < 0).any() or not c.sum() > 0:
        raise ValueError(f"counts must be a 1-d histogram of non-negative numbers with a positive sum, got {counts!r}")
    p = c[c > 0] / c.sum()
    return float(np.exp(-(p * np.log(p)).sum()))


def kth_neighbour_radii(x, k: int):
    """``[N]``: the distance from each row of ``x`` ``[N, d]`` (a tensor) to its k-th nearest *other* row."""
    import torch

    d = torch.cdist(x, x)
    # the (k+1)-th smallest distance per row, as each point is its own nearest neighbour (distance 0); topk selects
    # the same value as kthvalue, several times faster on a CPU
    return d.topk(k + 1, dim=1, largest=False).values[:, -1]
