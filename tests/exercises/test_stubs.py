"""The stub rule (``gan_course.exercises``) and nbgrader's markers, on examples and on every exercise.

For every exercise of the course, in both versions a learner can get — nbgrader's (``mark`` + its
``ClearSolutions`` rule) and ``student-copy``'s — the check passes with the reference and fails with the stub,
the two stubs are the same, and no stub contains the reference answer's key expressions. nbgrader itself
runs in ``tests/integration/test_nbgrader.py``.
"""

import argparse
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from gan_course.exercises import STUB, STUB_LINE, clear_solution, key_expressions, leaked, mark_solution, stub_for
from gan_course.tools import nbgrader as nbg
from gan_course.tools.student import student_notebook
from tests.tools.test_grade import run_pair

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _cases():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        student = nbformat.from_dict(nb)
        student_notebook(student)
        for name, i, j in nbg.exercises(nb):
            yield pytest.param(nb.cells[i].source, nb.cells[j].source, student.cells[i].source,
                               id=f"{path.stem[:2]}-{name}")


CASES = list(_cases())


def test_the_course_has_exercises():
    assert len(CASES) >= 20


@pytest.mark.parametrize("solution, check, student_stub", CASES)
def test_reference_passes_stubs_fail_in_both_versions(solution, check, student_stub, capsys):
    marked = mark_solution(solution)
    run_pair(solution, check)
    run_pair(marked, check)
    nbgrader_stub = clear_solution(marked)
    assert nbgrader_stub == student_stub, "nbgrader's stub and student-copy's differ"
    with pytest.raises((NotImplementedError, AssertionError, TypeError, NameError)):
        run_pair(nbgrader_stub, check)


@pytest.mark.parametrize("solution, check, student_stub", CASES)
def test_stub_leaks_no_answer(solution, check, student_stub):
    assert not leaked(solution, student_stub), (
        f"the stub shows the reference answer's key expressions {leaked(solution, student_stub)}: reword the "
        f"docstring's first line or the function's first comment line so it says what, not how:\n{student_stub}")
    assert STUB_LINE in student_stub and "SOLUTION" not in student_stub
    for line in student_stub.split("\n"):
        if line.startswith((" ", "\t")) and line.strip().startswith(("'''", '"""')):
            assert line.strip()[3:].count(line.strip()[:3]) == 1, f"a stub's docstring must be one line: {line}"


def test_key_expressions_and_leaks():
    src = "def f(x, mu):\n    d = (x - mu) ** 2 / 2.0\n    return np.sqrt(np.mean(d))\n"
    keys = key_expressions(src)
    assert "(x-mu)**2/2.0" in keys and "np.sqrt(np.mean(d))" in keys and "np.mean(d)" in keys
    assert leaked(src, "def f(x, mu):\n    # sqrt(mean(d)) where d = (x - mu) ** 2 / 2.0\n") == ["(x-mu)**2/2.0"]
    assert leaked(src, stub_for(src)) == []


EXAMPLE = '''import numpy as np
# a top-level comment is an instruction: the learner sees it


@staticmethod
def f(x,
      y):
    """What f returns.

    How it does it: x + y.
    """
    z = x + y  # the answer
    return z
    # a trailing note in the body


def g(x):
    # x: [B] values -> [B] doubled
    # multiply by two
    return 2 * x


class Model:
    """A model."""
    size = 3

    def forward(self, x):
        return x * self.size


print(f(1, 2))'''

EXAMPLE_STUB = '''import numpy as np
# a top-level comment is an instruction: the learner sees it


@staticmethod
def f(x,
      y):
    """What f returns."""
    # YOUR CODE HERE
    raise NotImplementedError()


def g(x):
    # x: [B] values -> [B] doubled
    # YOUR CODE HERE
    raise NotImplementedError()


class Model:
    """A model."""
    # YOUR CODE HERE
    raise NotImplementedError()

    def forward(self, x):
        # YOUR CODE HERE
        raise NotImplementedError()


# YOUR CODE HERE
raise NotImplementedError()'''


def test_the_stub_rule_on_an_example():
    marked = mark_solution(EXAMPLE)
    assert stub_for(EXAMPLE) == EXAMPLE_STUB
    assert mark_solution(marked) == marked and stub_for(marked) == EXAMPLE_STUB
    assert "How it does it" in marked and "the answer" in marked and "multiply by two" in marked
    for hidden in ("How it does it", "the answer", "trailing note", "multiply by two", "size = 3", "print("):
        assert hidden not in EXAMPLE_STUB
    ns: dict = {}
    exec(compile(marked.replace("@staticmethod\n", ""), "marked", "exec"), ns)   # markers are comments
    assert ns["g"](4) == 8 and ns["Model"]().forward(2) == 6


def test_edge_cases():
    assert stub_for("import torch\nx = torch.ones(3)\n") == f"import torch\n{STUB}\n"
    assert stub_for("import torch") == f"import torch\n{STUB}"
    assert stub_for("def f(x):\n    return 1  # a one-liner body\n") == f"def f(x):\n    {STUB_LINE}\n    raise NotImplementedError()\n"
    for one_line in ("def f(x): return x\n", "def f(x,\n      y): return x\n"):
        with pytest.raises(ValueError, match="own lines"):
            mark_solution(one_line)
    assert clear_solution("x = 1") == STUB       # nbgrader: a solution cell without markers becomes the stub
    with pytest.raises(ValueError):
        clear_solution("### BEGIN SOLUTION\nx = 1\n")


def test_mark_is_idempotent_and_gives_nbgrader_metadata(tmp_path):
    marked_any = False
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        once = nbg.mark(nbformat.from_dict(nb))
        twice = nbg.mark(nbformat.from_dict(once))
        assert once == twice, f"{path.name}: mark is not idempotent"
        for name, i, j in nbg.exercises(once):
            marked_any = True
            sol, chk = once.cells[i].metadata["nbgrader"], once.cells[j].metadata["nbgrader"]
            assert sol == {"grade": False, "grade_id": name.replace("check_", "solution_"), "locked": False,
                           "schema_version": 3, "solution": True, "task": False}
            assert chk == {"grade": True, "grade_id": name, "locked": True, "points": 1, "schema_version": 3,
                           "solution": False, "task": False}
            assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
            assert "### BEGIN SOLUTION" in once.cells[i].source
        other = [k for k in range(len(nb.cells)) if k not in {c for _, a, b in nbg.exercises(nb) for c in (a, b)}]
        assert all(once.cells[k] == nb.cells[k] for k in other), f"{path.name}: mark changed a non-exercise cell"
    assert marked_any


def _unmarked(path: Path, out: Path) -> None:
    """A copy of a course notebook as it was before ``nbgrader-mark``: no nbgrader metadata, no markers."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.source = "\n".join(line for line in cell.source.split("\n")
                                    if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    nbformat.write(nb, out)


def test_the_stored_notebooks_are_marked():
    parser = argparse.ArgumentParser()
    nbg.register(parser.add_subparsers())
    args = parser.parse_args(["nbgrader-mark", "--check", *map(str, NOTEBOOKS)])
    assert args.func(args) == 0, "run `python -m gan_course nbgrader-mark` after editing an exercise"


def test_mark_command_on_copies(tmp_path):
    for p in NOTEBOOKS[:2]:
        _unmarked(p, tmp_path / p.name)
    copies = sorted(tmp_path.glob("*.ipynb"))
    parser = argparse.ArgumentParser()
    nbg.register(parser.add_subparsers())

    def run(*argv):
        args = parser.parse_args(list(argv))
        return args.func(args)

    before = [p.read_bytes() for p in copies]
    assert run("nbgrader-mark", "--check", *map(str, copies)) == 1
    assert [p.read_bytes() for p in copies] == before, "--check wrote a file"
    assert run("nbgrader-mark", *map(str, copies)) == 0
    after = [p.read_bytes() for p in copies]
    assert run("nbgrader-mark", *map(str, copies)) == 0 and [p.read_bytes() for p in copies] == after
    assert run("nbgrader-mark", "--check", *map(str, copies)) == 0
    assert run("nbgrader-course", str(tmp_path / "course"), "--source", str(tmp_path)) == 0
    assert (tmp_path / "course" / "nbgrader_config.py").exists()
    assert sorted(p.name for p in (tmp_path / "course" / "source").glob("*/*.ipynb")) == [
        p.name for p in copies if nbg.exercises(nbformat.read(p, as_version=4))]
