"""An exponential moving average (EMA) of a generator's weights: sample from the average, train the original.

GAN generators oscillate around a good solution; averaging their weights over the last ~1/(1 − β) steps
damps the oscillation (Yazıcı et al. 2019, "The unusual effectiveness of averaging in GAN training").
Part of the fast recipe (:mod:`gan_course.mnist.recipe`, notebook 08); used by the benchmark's fast loop and by
``python -m gan_course train --ema BETA``.

After every training step:  avg ← β_n·avg + (1 − β_n)·G,  β_n = min(β, (1 + n)/(10 + n)),  n = updates so far
(the warm-up keeps the first, random weights from lingering; the first update copies G). BatchNorm's running
statistics are averaged the same way; its integer step counters are copied.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel


class EMA:
    """EMA of ``G`` (any ``nn.Module``) in ``self.module``, a deep copy that :meth:`update` moves toward ``G``.

    Built on :class:`torch.optim.swa_utils.AveragedModel` (``use_buffers=True``) with one ``foreach`` lerp per
    (device, dtype) group; the update count lives on the host, so an update never waits for the GPU.
    Callable as a :class:`gan_course.train.GANTrainer` callback; :meth:`state_dict` / :meth:`load_state_dict`
    for exact resume.
    """

    def __init__(self, G: nn.Module, beta: float = 0.999):
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not 0 < beta < 1:
            raise ValueError(f"EMA beta must be a number in (0, 1), got {beta!r}")
        self.source, self.beta = G, float(beta)
        self.averaged = AveragedModel(G, use_buffers=True, multi_avg_fn=self._lerp)

    def _lerp(self, averaged, current, _n_on_device):
        n = int(self.averaged.n_averaged)                       # a CPU buffer: no device sync
        if averaged[0].is_floating_point():
            torch._foreach_lerp_(averaged, current, 1 - min(self.beta, (1 + n) / (10 + n)))
        else:                                                   # BatchNorm's num_batches_tracked
            torch._foreach_copy_(averaged, current)

    @property
    def module(self) -> nn.Module:
        """The averaged generator (same class and call signature as ``G``)."""
        return self.averaged.module

    @property
    def updates(self) -> int:
        return int(self.averaged.n_averaged)

    def update(self) -> None:
        self.averaged.update_parameters(self.source)

    def __call__(self, trainer=None) -> None:
        self.update()

    def state_dict(self) -> dict:
        return self.averaged.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.averaged.load_state_dict(state)
