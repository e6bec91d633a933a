"""Offline MNIST: read the four original IDX .gz files with numpy and verify their md5 sums.

Taught in ``notebooks/00_start_here.ipynb``; used by notebooks 01, 08 and 09.

The files live in the repository's ``data/mnist/`` (copied from the original distribution;
nothing is ever downloaded). The md5 sums are those of the *uncompressed* IDX bytes, the
same sums torchvision and the original site publish.

IDX layout: big-endian int32 magic (0x00000803 images, 0x00000801 labels), the dimension
sizes as big-endian int32, then uint8 data.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import numpy as np
import torch

from gan_course.config import repo_path

DEFAULT_ROOT = repo_path("data", "mnist")

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60_000),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10_000),
}

MD5 = {
    "train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637",
}

_FIX = (
    "Fix: restore it from the original MNIST distribution, e.g. "
    "`git checkout -- data/mnist/` in the course repository, or copy the four .gz files "
    "of the MNIST release (yann.lecun.com / torchvision mirrors) into {root}."
)


class DataError(RuntimeError):
    """A data file is missing, corrupt, fails its checksum, or has the wrong IDX layout."""


def _fail(path: Path, what: str) -> DataError:
    return DataError(f"MNIST file {path.name} ({path}): {what}. " + _FIX.format(root=path.parent))


def _root(root) -> Path:
    return Path(root) if root is not None else DEFAULT_ROOT


def _read_idx(path: Path, magic: int, ndim: int, n: int) -> np.ndarray:
    """Read one IDX .gz file, verify md5 (uncompressed) and header; return the uint8 array."""
    if path.is_dir():
        raise _fail(path, "is a directory, not a file")
    if not path.is_file():
        raise _fail(path, "file is missing")
    if path.stat().st_size == 0:
        raise _fail(path, "is empty (0 bytes)")
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as e:
        raise _fail(path, f"not a readable gzip file, truncated or corrupt ({e})") from None
    expected = MD5.get(path.name)
    got = hashlib.md5(raw).hexdigest()
    if expected is not None and got != expected:
        raise _fail(path, f"md5 of the uncompressed bytes is {got}, expected {expected}")
    if len(raw) < 4 + 4 * ndim:
        raise _fail(path, f"only {len(raw)} bytes, too short for an IDX header")
    head = np.frombuffer(raw, dtype=">i4", count=1 + ndim)
    if int(head[0]) != magic:
        raise _fail(path, f"IDX magic is 0x{int(head[0]):08x}, expected 0x{magic:08x}")
    shape = tuple(int(s) for s in head[1:])
    want = (n, 28, 28) if ndim == 3 else (n,)
    if shape != want:
        raise _fail(path, f"IDX shape is {shape}, expected {want}")
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise _fail(path, f"{data.size} data bytes, expected {int(np.prod(shape))} for shape {shape}")
    return data.reshape(shape)


def verify(root=None) -> dict[str, str]:
    """Check every MNIST file; return ``{file name: "ok" or the DataError message}``."""
    r = _root(root)
    out = {}
    for split, (img, lab, n) in FILES.items():
        for name, magic, ndim in ((img, 0x803, 3), (lab, 0x801, 1)):
            try:
                _read_idx(r / name, magic, ndim, n)
                out[name] = "ok"
            except DataError as e:
                out[name] = str(e)
    return out


def load_mnist(split: str = "train", root=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Load an MNIST split from the IDX files.

    Returns ``(images, labels)``: ``images`` uint8 ``[N, 28, 28]``, ``labels`` int64 ``[N]``,
    N = 60,000 for ``"train"`` and 10,000 for ``"test"``. Raises ``ValueError`` for another
    ``split`` and ``DataError`` (naming the file and the fix) for a bad file.
    """
    if split not in FILES:
        raise ValueError(f"split must be one of {sorted(FILES)}, got {split!r}")
    img, lab, n = FILES[split]
    r = _root(root)
    images = _read_idx(r / img, 0x803, 3, n)
    labels = _read_idx(r / lab, 0x801, 1, n)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def to_unit_range(images: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
    """uint8 ``[N, 28, 28]`` in 0..255 → ``dtype`` ``[N, 1, 28, 28]`` in [-1, 1] (the Tanh range of G)."""
    return images.unsqueeze(1).to(dtype).div(127.5).sub(1.0)


def mnist_tensor(split: str = "train", device=None, dtype=torch.float32, root=None) -> torch.Tensor:
    """MNIST images scaled to [-1, 1], shape ``[N, 1, 28, 28]``, resident on ``device``.

    The fast path for training (notebooks 08, 09): the whole split (188 MB fp32 for train)
    stays on the device and minibatches are taken by index, with no DataLoader and no
    per-batch host→device copy.
    """
    images, _ = load_mnist(split, root)
    return to_unit_range(images.to(device=device) if device is not None else images, dtype)
