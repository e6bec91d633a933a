"""Files written whole or not at all: the one atomic write every command and helper uses.

A file is written to a temporary file in the same folder, flushed and ``fsync``-ed, given the permissions
an ordinary new file gets (``0o666`` less the umask; ``tempfile.mkstemp`` alone would leave it ``0o600``),
then renamed over the target (``os.replace``, atomic on POSIX and Windows). On any exception, a
``KeyboardInterrupt`` included, the temporary file is removed and the target is left as it was.
A ``kill -9`` between the two steps can leave a ``NAME.*.tmp`` file beside the target, never a half-written
target; :func:`remove_stale_temporaries` clears such leftovers.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Callable


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path, write: Callable[[IO], None], binary: bool = True) -> Path:
    """Write ``path`` atomically: ``write(f)`` fills an open temporary file ``f`` (binary or text).

    >>> import json, tempfile
    >>> out = Path(tempfile.mkdtemp()) / "a.json"
    >>> atomic_write(out, lambda f: json.dump({"x": 1}, f), binary=False).read_text()
    '{"x": 1}'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb" if binary else "w") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def atomic_save(obj, path) -> Path:
    """``torch.save(obj)`` to ``path`` through :func:`atomic_write` (a checkpoint is never half-written)."""
    import torch

    return atomic_write(path, lambda f: torch.save(obj, f))


def remove_stale_temporaries(path) -> list[Path]:
    """Remove the ``NAME.*.tmp`` files that a killed :func:`atomic_write` of ``path`` may have left; returns them."""
    path = Path(path)
    stale = sorted(path.parent.glob(path.name + ".*.tmp")) if path.parent.is_dir() else []
    for p in stale:
        p.unlink(missing_ok=True)
    return stale
