"""The course's exercises for nbgrader: cell metadata and ``### BEGIN SOLUTION`` markers, and a course folder.

- ``python -m gan_course nbgrader-mark [NOTEBOOK ...]`` gives every exercise of the notebooks (default: the
  course's numbered notebooks) nbgrader's cell metadata (schema 3) — the ``solution`` cell
  ``{"solution": true, "grade": false, "grade_id": "solution_NAME"}``, the ``check`` cell after it
  ``{"grade": true, "locked": true, "points": 1, "grade_id": "check_NAME"}`` — and puts ``### BEGIN SOLUTION`` /
  ``### END SOLUTION`` around what the stub rule of :mod:`gan_course.exercises` hides. Idempotent: a second run
  changes nothing (``--check`` exits 1 when a notebook is not marked yet, and writes nothing).
- ``python -m gan_course nbgrader-course COURSE_DIR`` writes an nbgrader course folder: ``nbgrader_config.py``
  and ``source/NN_name/NN_name.ipynb`` (marked) for every numbered notebook, one assignment each. Then, in
  ``COURSE_DIR``: ``nbgrader generate_assignment NN_name`` (the learner's version: the same stubs as
  ``student-copy``), collect into ``submitted/LEARNER/NN_name/``, and
  ``GAN_COURSE_FAST=1 nbgrader autograde NN_name``.

Exercise identity (shared with ``grade``): the notebook and the check function its check cell calls.
Instructor notes: ``notebooks/INSTRUCTORS.md``. nbgrader itself is the optional extra ``[instructor]``.
"""

from __future__ import annotations

import re
from pathlib import Path

from gan_course.config import repo_path
from gan_course.exercises import mark_solution
from gan_course.fileio import atomic_write

NOTEBOOKS = repo_path("notebooks")
SCHEMA_VERSION = 3

CONFIG = '''\
# nbgrader settings for gan-course (written by `python -m gan_course nbgrader-course`).
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "gan-course"
# The stub nbgrader writes in place of each ### BEGIN SOLUTION ... ### END SOLUTION region (its default; the
# course's `student-copy` writes the same one).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}
# Autograde runs a submitted notebook top to bottom; export GAN_COURSE_FAST=1 first to grade in fast mode.
c.Execute.timeout = 600
'''


def tags(cell) -> list:
    return list(cell.get("metadata", {}).get("tags", []))


def check_name(source: str) -> str | None:
    """The check function a check cell calls (``check_gaussian_mle``), or None."""
    calls = re.findall(r"\b(check_\w+)\s*\(", source)
    return calls[-1] if calls else None


def exercises(nb) -> list[tuple[str, int, int]]:
    """``[(name, solution cell index, check cell index)]`` of a notebook (``nbformat`` node or JSON dict), in
    order; indices count all cells. ``name`` is the check function called (``check_NAME``), made unique within
    the notebook with ``_2``, ``_3`` … A ``solution`` cell whose next code cell is not a ``check`` cell is skipped."""
    cells = nb["cells"]
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    out, seen = [], {}
    for k, i in enumerate(code):
        if "solution" not in tags(cells[i]) or k + 1 >= len(code) or "check" not in tags(cells[code[k + 1]]):
            continue
        j = code[k + 1]
        src = cells[j]["source"]
        name = check_name(src if isinstance(src, str) else "".join(src)) or f"check_{len(out) + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append((name if seen[name] == 1 else f"{name}_{seen[name]}", i, j))
    return out


def _meta(grade_id: str, solution: bool) -> dict:
    return {"grade": not solution, "grade_id": grade_id, "locked": not solution,
            **({} if solution else {"points": 1}), "schema_version": SCHEMA_VERSION, "solution": solution,
            "task": False}


def mark(nb):
    """Give a notebook (``nbformat`` v4 node) nbgrader's metadata and solution markers, in place; returns it.
    Idempotent: ``mark(mark(nb)) == mark(nb)``. Solution cells keep running as before (the markers are comments)."""
    for name, i, j in exercises(nb):
        sol, chk = nb.cells[i], nb.cells[j]
        try:
            sol.source = mark_solution(sol.source)
        except ValueError as e:
            raise ValueError(f"cell {i} (the solution checked by {name}): {e}") from None
        sol.setdefault("metadata", {})["nbgrader"] = _meta(name.replace("check_", "solution_", 1), True)
        chk.setdefault("metadata", {})["nbgrader"] = _meta(name, False)
    return nb


def write_notebook(nb, path) -> None:
    import nbformat

    atomic_write(path, lambda f: nbformat.write(nb, f), binary=False)


def mark_files(paths, check: bool = False) -> list[Path]:
    """Mark notebook files in place; returns those that changed (with ``check``: that would change)."""
    import nbformat

    changed = []
    for p in map(Path, paths):
        before = nbformat.read(p, as_version=4)
        try:
            after = mark(nbformat.from_dict(before))
        except ValueError as e:
            raise ValueError(f"{p}: {e}") from None
        if after != before:
            changed.append(p)
            if not check:
                write_notebook(after, p)
    return changed


def make_course(course_dir, source=NOTEBOOKS) -> list[str]:
    """An nbgrader course folder: ``nbgrader_config.py`` (kept when present) and ``source/NN_name/NN_name.ipynb``
    (marked copies) for each numbered notebook of ``source`` that has exercises. Returns the assignment names."""
    import nbformat

    course_dir, source = Path(course_dir), Path(source)
    if course_dir.exists() and not course_dir.is_dir():
        raise ValueError(f"COURSE_DIR {course_dir} exists and is not a folder")
    paths = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise ValueError(f"no numbered notebooks (NN_name.ipynb) in {source}")
    course_dir.mkdir(parents=True, exist_ok=True)
    if not (course_dir / "nbgrader_config.py").exists():
        (course_dir / "nbgrader_config.py").write_text(CONFIG)
    names = []
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        if not exercises(nb):
            continue
        write_notebook(mark(nb), course_dir / "source" / p.stem / p.name)
        names.append(p.stem)
    return names


def exercises_notebook(source=NOTEBOOKS):
    """One notebook with every exercise of the numbered notebooks in ``source``: a heading per notebook, then
    each solution cell and its check cell (references, outputs cleared), marked. A short quiz, or a quick
    class to grade (``tests/integration/test_nbgrader.py`` uses it)."""
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    quiz = new_notebook(metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                  "language_info": {"name": "python"}})
    for p in sorted(Path(source).glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        found = exercises(nb)
        if found:
            quiz.cells.append(new_markdown_cell(f"## {p.stem}"))
        for _, i, j in found:
            for cell in (nb.cells[i], nb.cells[j]):
                cell.outputs, cell.execution_count = [], None
                quiz.cells.append(cell)
    return mark(quiz)


def _cmd_mark(args) -> int:
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    changed = mark_files(paths, check=args.check)
    for p in changed:
        print(f"{'not marked' if args.check else 'marked'}: {p}")
    print(f"{len(changed)} of {len(paths)} notebooks {'need marking' if args.check else 'changed'}")
    return 1 if args.check and changed else 0


def _cmd_course(args) -> int:
    names = make_course(args.course_dir, args.source)
    print(f"wrote {len(names)} assignments to {args.course_dir}/source: {', '.join(names)}")
    print(f"next: cd {args.course_dir} && nbgrader generate_assignment {names[0] if names else 'NN_name'}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("nbgrader-mark", help="give the notebooks' exercises nbgrader metadata and solution markers")
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebooks to mark in place (default: the course's)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when a notebook is not marked yet")
    p.set_defaults(func=_cmd_mark)
    p = sub.add_parser("nbgrader-course", help="an nbgrader course folder with the marked notebooks as assignments")
    p.add_argument("course_dir", metavar="COURSE_DIR", help="folder for nbgrader_config.py and source/")
    p.add_argument("--source", default=str(NOTEBOOKS), help="folder with the reference notebooks (default: the course's)")
    p.set_defaults(func=_cmd_course)
