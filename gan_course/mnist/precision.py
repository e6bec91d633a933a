"""Mixed precision for training: a net whose forward pass runs under ``torch.autocast``.

Taught in ``notebooks/08_dcgan_mnist.ipynb`` (the fast recipe, :func:`gan_course.mnist.recipe.train_for`, autocasts
where bf16 is native); used by ``python -m gan_course train --bf16`` (:mod:`gan_course.tools.train`) and the
benchmark's fast loop (:func:`gan_course.tools.bench.loops.fast_parts`). Every other lesson trains in fp32.

Autocast (PyTorch AMP) runs convolutions and matrix products in bfloat16 (8-bit mantissa, fp32's 8-bit
exponent, so no loss scaling is needed) and keeps reductions, losses and the weights in fp32. Only the forward
pass is wrapped — PyTorch's guidance: backward ops run in the dtype the forward chose, and a backward under
autocast is not recommended. bf16 is fast where it is native (:func:`gan_course.config.native_bf16`: CUDA, CPUs
with AMX or AVX512-BF16); elsewhere it is emulated, and can be slower than fp32 (hence ``--bf16 auto``).
"""

from __future__ import annotations

import contextlib

import torch
from torch import nn

from gan_course.config import native_bf16

BF16_SETTINGS = ("auto", "on", "off")


def use_bf16(setting, device) -> bool:
    """Resolve a bf16 setting for ``device``: ``"on"``/``True`` → on, ``"off"``/``False`` → off, ``"auto"``/``None``
    → on where bf16 is native (:func:`gan_course.config.native_bf16`). One rule for the recipe, the ``train``
    command and the benchmark."""
    if setting is None or setting == "auto":
        return native_bf16(device)
    if isinstance(setting, bool):
        return setting
    if setting in ("on", "off"):
        return setting == "on"
    raise ValueError(f"bf16 must be one of {BF16_SETTINGS} (or True/False/None), got {setting!r}")


def autocast(device, bf16: bool):
    """The context for a forward pass: ``torch.autocast(device type, bfloat16)`` when ``bf16``, else a no-op."""
    kind = torch.device(device).type
    return torch.autocast(kind, dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()


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
