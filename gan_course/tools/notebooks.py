"""Executing the course notebooks and keeping them clean in git (for maintainers).

``python -m gan_course execute [NOTEBOOK ...] [--fast]`` runs notebooks top to bottom in a fresh
kernel (lesson mode unless ``--fast``), stores the outputs in place, strips volatile metadata
(execution timestamps, widget state), and prints the wall time of each run: the lesson times in the
README's course map come from this command.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from gan_course.config import repo_path

NOTEBOOKS = repo_path("notebooks")


def clean(nb) -> None:
    """Strip volatile metadata from a notebook object in place (cell timings, widget state)."""
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        cell.pop("id", None) if nb.nbformat_minor < 5 else None


def execute(path, fast: bool = False, timeout: int = 1800) -> float:
    """Run the notebook at ``path`` in place (fresh kernel, cwd = its folder); return wall seconds."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env_before = {k: os.environ.get(k) for k in ("GAN_COURSE_FAST", "MPLBACKEND", "TQDM_DISABLE")}
    os.environ["GAN_COURSE_FAST"] = "1" if fast else "0"
    os.environ.pop("MPLBACKEND", None)  # inline figures must be stored
    os.environ["TQDM_DISABLE"] = "1"  # progress bars are noise in stored outputs
    try:
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        dt = time.perf_counter() - t0
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    clean(nb)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, path)
    return dt


def _cmd_execute(args) -> int:
    paths = [Path(p) for p in args.notebooks] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"no such notebook: {', '.join(missing)}")
        return 1
    for p in paths:
        dt = execute(p, fast=args.fast, timeout=args.timeout)
        print(f"{p.name:<45} {dt:7.1f} s  ({'fast' if args.fast else 'lesson'} mode, {os.cpu_count()} CPUs)", flush=True)
    return 0


def register(sub) -> None:
    p = sub.add_parser("execute", help="run notebooks top to bottom and store their outputs (maintainers)")
    p.add_argument("notebooks", nargs="*", help="paths (default: every numbered notebook)")
    p.add_argument("--fast", action="store_true", help="fast mode (default: lesson mode, what is stored in git)")
    p.add_argument("--timeout", type=int, default=1800, help="seconds per cell (default 1800)")
    p.set_defaults(func=_cmd_execute)
