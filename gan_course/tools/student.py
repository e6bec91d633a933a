"""``python -m gan_course student-copy OUT_DIR``: the notebooks a learner gets in a lab session.

Every numbered notebook is copied to ``OUT_DIR`` with each code cell tagged ``solution`` replaced
by :func:`gan_course.exercises.stub_for` of it (signatures kept, bodies → ``# YOUR CODE HERE`` +
``raise NotImplementedError``). The outputs of those cells and of the ``check`` cells that follow
them are cleared, so no reference answer leaks through a stored output. All other cells, with
their outputs, are copied unchanged. Nothing is written inside the source folder or the course's ``notebooks/``,
and a learner's existing notebooks in ``OUT_DIR`` are never replaced without ``--force`` (the command lists them
and writes nothing). Each notebook is written atomically (:func:`gan_course.fileio.atomic_write`).

Convention: ``gan_course/exercises/__init__.py``; instructor notes: ``notebooks/INSTRUCTORS.md``.
"""

from __future__ import annotations

from pathlib import Path

from gan_course.config import repo_path
from gan_course.exercises import stub_for
from gan_course.fileio import atomic_write

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


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def student_copy(out_dir, source=NOTEBOOKS, force: bool = False) -> dict:
    """Write student copies of every ``NN_*.ipynb`` in ``source`` into ``out_dir`` (created if needed).

    Returns ``{notebook name: number of solution cells replaced}``. Raises ``ValueError``, writing nothing, when
    ``out_dir`` is or lies inside the source folder or the course's ``notebooks/`` (it would overwrite the
    reference solutions), is an existing file, already holds any of the notebooks (they are listed; ``force``
    replaces them), or when ``source`` holds no numbered notebook.
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
    for folder, what in ((source, "the source notebooks folder"), (NOTEBOOKS, "the course's notebooks folder")):
        if _inside(out_dir, folder):
            raise ValueError(f"OUT_DIR {out_dir} is {what} or inside it ({folder}): the student copy would "
                             "overwrite or sit beside the reference solutions; choose another folder")
    existing = [out_dir / p.name for p in paths if (out_dir / p.name).exists()]
    if existing and not force:
        raise ValueError(f"OUT_DIR {out_dir} already holds {len(existing)} of the notebooks "
                         f"({', '.join(p.name for p in existing)}): a learner's work would be lost; "
                         "choose another folder or pass --force to replace them")
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        summary[p.name] = student_notebook(nb)
        atomic_write(out_dir / p.name, lambda f: nbformat.write(nb, f), binary=False)
    return summary


def _cmd(args) -> int:
    summary = student_copy(args.out_dir, args.source, args.force)
    for name, n in summary.items():
        print(f"{name:<45} {n} solution cell(s) replaced by stubs")
    print(f"wrote {len(summary)} student notebooks to {args.out_dir}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("student-copy", help="copies of the notebooks with the exercise solutions replaced by stubs")
    p.add_argument("out_dir", metavar="OUT_DIR", help="folder to write the student notebooks to (not the notebooks folder)")
    p.add_argument("--source", default=str(NOTEBOOKS), help="folder with the reference notebooks (default: the course's notebooks/)")
    p.add_argument("--force", action="store_true", help="replace notebooks that already exist in OUT_DIR")
    p.set_defaults(func=_cmd)
