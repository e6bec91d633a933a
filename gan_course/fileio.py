"""Files written whole or not at all, and read back only when they are what was written.

**Writing.** :func:`atomic_write` writes a file to a temporary file in the same folder, flushes and ``fsync``-s
it, gives it the permissions an ordinary new file gets (``0o666`` less the umask; ``tempfile.mkstemp`` alone
would leave it ``0o600``), renames it over the target (``os.replace``, atomic on POSIX and Windows) and
``fsync``-s the folder, so the rename itself survives a power cut. On any exception, a ``KeyboardInterrupt``
included, the temporary file is removed and the target is left as it was. A ``kill -9`` can leave a
temporary file ``NAME.PID.XXXX.tmp`` beside the target, never a half-written target; the next write of the
same target removes the temporaries of processes that are no longer running (:func:`remove_stale_temporaries`).

**Checkpoints.** :func:`atomic_save` is ``torch.save`` through :func:`atomic_write`; a ``dict`` gets a
``"sha256"`` entry, the :func:`digest` of everything else in it (every tensor's dtype, shape and bytes, every
other value's ``repr``). :func:`load` reads a file with ``torch.load(..., weights_only=True)`` (no code in a
file is ever run) and, when the file carries a digest, recomputes it: a file with flipped or overwritten bytes
is refused with :class:`CorruptFile` naming it. Files without a digest (written before it existed, such as the
shipped ``data/weights/*.pt``) load unverified.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO, Callable, Iterator

CHECKSUM_KEY = "sha256"


class CorruptFile(ValueError):
    """A file that cannot be read back as it was written: truncated, overwritten, or not a checkpoint."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (POSIX; elsewhere every process counts as running)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                                      # someone else's process
        return True
    return True


def _temporary(path: Path) -> tuple[int, str]:
    """An open temporary file ``NAME.PID.XXXX.tmp`` beside ``path``: ``(fd, name)``."""
    return tempfile.mkstemp(prefix=f"{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)


def remove_stale_temporaries(path) -> list[Path]:
    """Remove the ``NAME.PID.*.tmp`` files beside ``path`` whose writing process ``PID`` is no longer running
    (left by a killed :func:`atomic_write`); returns them. Temporaries of running writers are left alone."""
    path = Path(path)
    stale = []
    for p in sorted(path.parent.glob(path.name + ".*.tmp")) if path.parent.is_dir() else []:
        pid = p.name[len(path.name) + 1:].split(".", 1)[0]
        if not pid.isdigit() or not _alive(int(pid)):
            p.unlink(missing_ok=True)
            stale.append(p)
    return stale


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:                                              # Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path, write: Callable[[IO], None], binary: bool = True) -> Path:
    """Write ``path`` atomically: ``write(f)`` fills an open temporary file ``f`` (binary or text).

    >>> import json, tempfile
    >>> out = Path(tempfile.mkdtemp()) / "a.json"
    >>> atomic_write(out, lambda f: json.dump({"x": 1}, f), binary=False).read_text()
    '{"x": 1}'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb" if binary else "w") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def check_writable(path, what: str) -> Path:
    """Raise ``ValueError`` naming ``what`` and ``path`` unless a file can be written at ``path``: its folder is
    created if needed and a probe file is written there and removed. Run it before work whose result goes to
    ``path``, so that a bad path fails in a second, not after the work."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{what} {path} is a folder: give a file path, e.g. {path / 'file.pt'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = _temporary(path)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise ValueError(f"cannot write {what} {path}: its folder {path.parent} is not writable "
                         f"({e.strerror or e})") from None
    return path


def iter_tensors(obj, prefix: str = "") -> Iterator[tuple[str, object]]:
    """``(name, tensor)`` for every tensor in a nest of dicts, lists and tuples, names like ``"opt_g.state.0"``."""
    import torch

    if isinstance(obj, torch.Tensor):
        yield prefix, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_tensors(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from iter_tensors(v, f"{prefix}.{i}" if prefix else str(i))


def _feed(h, obj) -> None:
    import torch

    if isinstance(obj, torch.Tensor):
        t = obj.detach().cpu().contiguous()
        h.update(f"T{t.dtype}{tuple(t.shape)}".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy())
    elif isinstance(obj, dict):
        h.update(f"D{len(obj)}".encode())
        for k, v in obj.items():
            h.update(repr(k).encode())
            _feed(h, v)
    elif isinstance(obj, (list, tuple)):
        h.update(f"{type(obj).__name__}{len(obj)}".encode())
        for v in obj:
            _feed(h, v)
    else:
        h.update(f"V{obj!r}".encode())


def digest(obj) -> str:
    """SHA-256 (hex) of a nest of dicts, lists, tuples, tensors and plain values: tensors by dtype, shape and
    bytes, other values by ``repr``; a changed byte in any tensor, key or value changes it."""
    h = hashlib.sha256()
    _feed(h, obj)
    return h.hexdigest()


def atomic_save(obj, path) -> Path:
    """``torch.save(obj)`` to ``path`` through :func:`atomic_write` (a checkpoint is never half-written); a
    ``dict`` is saved with its :func:`digest` under ``"sha256"``, which :func:`load` verifies."""
    import torch

    if isinstance(obj, dict):
        body = {k: v for k, v in obj.items() if k != CHECKSUM_KEY}
        obj = {**body, CHECKSUM_KEY: digest(body)}
    return atomic_write(path, lambda f: torch.save(obj, f))


def load(path, what: str = "checkpoint"):
    """``torch.load(path, map_location="cpu", weights_only=True)``, verified against its ``"sha256"`` entry when it
    has one (the entry is removed from the result). Raises ``FileNotFoundError`` for a missing file and
    :class:`CorruptFile` (a ``ValueError``) naming ``what`` and ``path`` for an unreadable, refused or altered one."""
    import pickle

    import torch

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} {path} does not exist" if not path.is_dir() else f"{what} {path} is a folder")
    try:
        blob = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CorruptFile(f"{what} {path} was refused: it is not a plain checkpoint of tensors and numbers, or it "
                          f"is corrupt ({first})") from None
    except (RuntimeError, EOFError, OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CorruptFile(f"{what} {path} cannot be read: truncated or corrupt ({first})") from None
    if isinstance(blob, dict) and CHECKSUM_KEY in blob:
        stored = blob.pop(CHECKSUM_KEY)
        if stored != digest(blob):
            raise CorruptFile(f"{what} {path} is corrupt: its contents do not match the SHA-256 stored in it "
                              "(bytes changed after it was written); use another copy or retrain")
    return blob
