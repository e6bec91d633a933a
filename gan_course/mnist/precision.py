"""Mixed precision for training: a net whose forward pass runs under ``torch.autocast``.

Used by ``python -m gan_course train --bf16`` (:mod:`gan_course.tools.train`); the benchmark's fast loop
(:func:`gan_course.tools.bench.loops.fast_parts`) autocasts its own step. No lesson needs it: the notebooks train in fp32.

Autocast (PyTorch AMP) runs convolutions and matrix products in bfloat16 (8-bit mantissa, fp32's 8-bit
exponent, so no loss scaling is needed) and keeps reductions, losses and the weights in fp32. Only the forward
pass is wrapped — PyTorch's guidance: backward ops run in the dtype the forward chose, and a backward under
autocast is not recommended. bf16 is fast where it is native (:func:`gan_course.config.native_bf16`: CUDA, CPUs
with AMX or AVX512-BF16); elsewhere it is emulated, and can be slower than fp32 (hence ``--bf16 auto``).
"""

from __future__ import annotations

import torch
from torch import nn


class Autocast(nn.Module):
    """``module`` with its forward pass under ``torch.autocast(device, dtype)``; the output is cast to fp32.

    Shapes are ``module``'s own (e.g. G: ``[B, z_dim]`` → ``[B, 1, 28, 28]``; D: ``[B, 1, 28, 28]`` → ``[B]``
    logits). The parameters stay fp32 and are ``module``'s: :func:`unwrap` gives the plain net back, whose
    ``state_dict`` has no ``module.`` prefix.
    """

    def __init__(self, module: nn.Module, dtype: torch.dtype = torch.bfloat16):
        super().__init__()
        if dtype not in (torch.bfloat16, torch.float16):
            raise ValueError(f"autocast dtype must be torch.bfloat16 or torch.float16, got {dtype}")
        self.module, self.dtype = module, dtype

    def forward(self, *args):
        device = next(self.module.parameters()).device.type
        with torch.autocast(device, dtype=self.dtype):
            out = self.module(*args)
        return out.float()


def unwrap(module: nn.Module) -> nn.Module:
    """The plain net inside :class:`Autocast` and/or ``DistributedDataParallel`` wrappers (any nesting)."""
    while isinstance(module, (Autocast, nn.parallel.DistributedDataParallel)):
        module = module.module
    return module
