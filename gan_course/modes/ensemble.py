"""Many small networks trained at once: one batched MLP whose weights carry a leading "member" axis.

Toy GANs (notebook 06) are so small that on a CPU a step costs mostly Python and kernel-launch
overhead, not arithmetic. Stacking E independent networks — one per seed, or per generator of a
MAD-GAN — into weights ``W_l`` ``[E, in, out]`` and running them with one batched matmul
(``torch.baddbmm``) makes 5 seeds cost little more than 1. This is the "grouped weights" form of
``torch.func.stack_module_state`` + ``vmap``, written out so that the forward pass is also a plain
function of a list of tensors (needed to *unroll* a discriminator's updates, Metz et al. 2017).

Independence of members: every loss is written as Σ_e (member e's mean loss), so member e's
gradient only involves member e's weights, and Adam's update is elementwise — E runs in one are
exactly E separate runs (up to floating-point summation order).
"""

from __future__ import annotations

import math

import torch
from torch import nn


def mlp_forward(params, x: torch.Tensor, act=torch.relu) -> torch.Tensor:
    """Functional batched MLP: ``params`` = [W1, b1, W2, b2, …] with ``W`` ``[E, in, out]`` and
    ``b`` ``[E, 1, out]``; ``x`` ``[E, B, in]`` → ``[E, B, out]``; ``act`` between layers."""
    h = x
    n = len(params) // 2
    for i in range(n):
        h = torch.baddbmm(params[2 * i + 1], h, params[2 * i])
        if i < n - 1:
            h = act(h)
    return h


class BatchedMLP(nn.Module):
    """E independent MLPs ``sizes[0] → … → sizes[-1]`` (ReLU between layers), run as one.

    ``seeds``: one integer per member; member e is initialised like ``nn.Linear`` (U(±1/√fan_in))
    from ``torch.Generator().manual_seed(seeds[e])``, so its initial weights do not depend on which
    other members share the ensemble. ``forward(x)``: ``[E, B, sizes[0]]`` → ``[E, B, sizes[-1]]``.
    """

    def __init__(self, sizes, seeds, act=torch.relu):
        super().__init__()
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list >= 2 positive layer widths, got {sizes}")
        seeds = [int(s) for s in seeds]
        if not seeds:
            raise ValueError("seeds must list at least one seed (one per ensemble member)")
        self.sizes, self.seeds, self.act = sizes, seeds, act
        gens = [torch.Generator().manual_seed(s) for s in seeds]
        ps = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            bound = 1.0 / math.sqrt(fan_in)
            W = torch.stack([(torch.rand(fan_in, fan_out, generator=g) * 2 - 1) * bound for g in gens])
            b = torch.stack([(torch.rand(1, fan_out, generator=g) * 2 - 1) * bound for g in gens])
            ps += [nn.Parameter(W), nn.Parameter(b)]
        self.params = nn.ParameterList(ps)

    @property
    def members(self) -> int:
        return len(self.seeds)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim != 3 or x.shape[0] != self.members or x.shape[2] != self.sizes[0]:
            raise ValueError(f"input must be [E={self.members}, B, {self.sizes[0]}], got {tuple(x.shape)}")
        return mlp_forward(list(self.params), x, self.act)


class MemberRNG:
    """One ``torch.Generator`` per member, so member e's noise and data depend only on its seed.

    ``randn(B, d)`` → ``[E, B, d]``; ``sample(mixture, B)`` → ``[E, B, 2]`` (any object with
    ``.sample(n, generator)``); ``rand(*shape)`` → ``[E, *shape]``.
    """

    def __init__(self, seeds, offset: int = 0):
        self.gens = [torch.Generator().manual_seed(int(s) * 1000 + offset) for s in seeds]

    def randn(self, *shape) -> torch.Tensor:
        return torch.stack([torch.randn(*shape, generator=g) for g in self.gens])

    def rand(self, *shape) -> torch.Tensor:
        return torch.stack([torch.rand(*shape, generator=g) for g in self.gens])

    def randint(self, high: int, *shape) -> torch.Tensor:
        return torch.stack([torch.randint(high, shape, generator=g) for g in self.gens])

    def sample(self, dist, n: int) -> torch.Tensor:
        return torch.stack([dist.sample(n, generator=g) for g in self.gens])
