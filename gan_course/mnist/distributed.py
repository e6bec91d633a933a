"""Data-parallel training helpers for ``torchrun --nproc_per_node=N -m gan_course train ...``.

Used by :mod:`gan_course.tools.train` (``CONTRIBUTING.md`` and ``notebooks/INSTRUCTORS.md`` show the command; no notebook needs it).

DistributedDataParallel (Li et al. 2020, "PyTorch Distributed: experiences on accelerating data
parallel training"): every process (rank) holds a full copy of G and D, draws its own minibatch
from its own shard of the data, and the gradients are averaged over ranks (all-reduce) inside
``backward()``, so every rank applies the same update. With N ranks and batch ``m`` per rank one
step sees ``N·m`` images. Backend: ``nccl`` on CUDA, ``gloo`` on CPU. Only rank 0 writes files.
"""

from __future__ import annotations

import os

import torch
import torch.distributed as dist
from torch import nn


def launched() -> bool:
    """True when started by ``torchrun`` (it sets ``WORLD_SIZE``, ``RANK``, ``LOCAL_RANK``)."""
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def init(device: torch.device) -> tuple[int, int, torch.device]:
    """Join the process group if launched by torchrun; returns ``(rank, world_size, device)``.

    On CUDA each rank takes GPU ``LOCAL_RANK`` and uses NCCL; on CPU, gloo. Without torchrun:
    ``(0, 1, device)`` and nothing happens.
    """
    if not launched():
        return 0, 1, device
    if not dist.is_initialized():
        backend = "nccl" if device.type == "cuda" else "gloo"
        if device.type == "cuda":
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
        dist.init_process_group(backend)
    return dist.get_rank(), dist.get_world_size(), device


def shutdown() -> None:
    """Leave the process group (no-op when not distributed), after every rank got here: a rank that left
    while another was still in a collective would make that one fail."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def wrap(module: nn.Module, device: torch.device) -> nn.Module:
    """``DistributedDataParallel(module)`` when a process group is up, else ``module`` unchanged.

    BatchNorm statistics stay per rank (buffers are broadcast from rank 0 at each forward, the DDP
    default), as in pytorch/examples' DDP recipes. :func:`gan_course.mnist.precision.unwrap` gives the plain net back.
    """
    if not (dist.is_available() and dist.is_initialized()):
        return module
    ids = [device.index] if device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(module, device_ids=ids)


def shard(n: int, rank: int, world: int) -> torch.Tensor:
    """Indices ``rank, rank + world, ...`` of ``n`` examples: this rank's disjoint share (int64 ``[≈n/world]``)."""
    if not 0 <= rank < world:
        raise ValueError(f"rank must be in 0..{world - 1}, got {rank}")
    return torch.arange(rank, n, world)


def gather_objects(obj) -> list:
    """``[obj of rank 0, obj of rank 1, ...]`` on every rank (``[obj]`` when not distributed)."""
    if not (dist.is_available() and dist.is_initialized()):
        return [obj]
    out = [None] * dist.get_world_size()
    dist.all_gather_object(out, obj)
    return out
