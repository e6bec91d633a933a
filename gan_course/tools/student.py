"""``python -m gan_course student-copy OUT_DIR``: the notebooks a learner gets in a lab session.

Every numbered notebook is copied to ``OUT_DIR`` with each code cell tagged ``solution`` replaced
by :func:`gan_course.exercises.stub_for` of it (signatures kept, bodies → ``# YOUR CODE HERE`` +
``raise NotImplementedError``). The outputs of those cells and of the ``check`` cells that follow
them are cleared, so no reference answer leaks through a stored output. All other cells, with
their outputs, are copied unchanged. The source folder is never overwritten.

Convention: ``gan_course/exercises/__init__.py``; instructor notes: ``notebooks/INSTRUCTORS.md``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from gan_course.config import repo_path
from gan_course.exercises import stub_for

NOTEBOOKS = repo_path("notebooks")


def _tags(cell) -> list:
    return list(cell.get("metadata", {}).get("tags", []))


def _clear(cell) -> None:
    cell["outputs"] = []
    cell["execution_count"] = None


def student_notebook(nb) -> int:
    """Turn a notebook object (``nbformat`` v4) into its student version in place; returns the number
    of solution cells replaced. The first code cell after a ``solution`` cell (its ``check``) is cleared too."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    replaced = 0
    for i, cell in enumerate(code):
        if "solution" not in _tags(cell):
            continue
        cell.source = stub_for(cell.source)
        _clear(cell)
        replaced += 1
        if i + 1 < len(code) and "check" in _tags(code[i + 1]):
            _clear(code[i + 1])
    return replaced


def _write_atomic(nb, path: Path) -> None:
    import nbformat

    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        nbformat.write(nb, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def student_copy(out_dir, source=NOTEBOOKS) -> dict:
    """Write student copies of every ``NN_*.ipynb`` in ``source`` into ``out_dir`` (created if needed).

    Returns ``{notebook name: number of solution cells replaced}``. Raises ``ValueError`` when
    ``out_dir`` is the source folder (it would overwrite the reference solutions), is an existing
    file, or when ``source`` holds no numbered notebook.
    """
    import nbformat

    source, out_dir = Path(source), Path(out_dir)
    if not source.is_dir():
        raise ValueError(f"notebook folder {source} does not exist")
    paths = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError(f"no numbered notebooks (NN_name.ipynb) in {source}")
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"OUT_DIR {out_dir} exists and is not a folder")
    if out_dir.resolve() == source.resolve():
        raise ValueError(f"OUT_DIR {out_dir} is the source notebooks folder: the student copy would "
                         "overwrite the reference solutions; choose another folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        summary[p.name] = student_notebook(nb)
        _write_atomic(nb, out_dir / p.name)
    return summary


def _cmd(args) -> int:
    try:
        summary = student_copy(args.out_dir, args.source)
    except ValueError as e:
        print(f"student-copy: {e}")
        return 1
    for name, n in summary.items():
        print(f"{name:<45} {n} solution cell(s) replaced by stubs")
    print(f"wrote {len(summary)} student notebooks to {args.out_dir}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("student-copy", help="copies of the notebooks with the exercise solutions replaced by stubs")
    p.add_argument("out_dir", metavar="OUT_DIR", help="folder to write the student notebooks to (not the notebooks folder)")
    p.add_argument("--source", default=str(NOTEBOOKS), help="folder with the reference notebooks (default: the course's notebooks/)")
    p.set_defaults(func=_cmd)
