"""``python -m gan_course grade SUBMISSIONS_DIR`` on a fake class: one learner right, one wrong, one whose
notebook breaks in its first cell, one whose notebook is not JSON, one who submitted nothing; plus the time
limit and the network guard of the grading kernels."""

import argparse
import csv
import io
import shutil
import subprocess
import sys

import nbformat
import pytest

from gan_course.exercises import STUB, clear_solution
from gan_course.tools import grade as grade_mod
from gan_course.tools.nbgrader import exercises, exercises_notebook, write_notebook
from gan_course.tools.student import student_notebook

NOTEBOOKS = grade_mod.Path(__file__).resolve().parents[2] / "notebooks"
QUIZ_NAME = "99_exercises.ipynb"


def run_pair(solution: str, check: str, name: str = "exercise") -> None:
    """Run a solution cell then its check cell in a fresh namespace (raises when the check fails)."""
    ns: dict = {"__name__": "__main__"}
    exec(compile(solution, f"{name}:solution", "exec"), ns)
    exec(compile(check, f"{name}:check", "exec"), ns)


def _answer(marked: str) -> str:
    """What a learner who found the reference answer writes: the solution without nbgrader's markers."""
    return "\n".join(ln for ln in marked.split("\n") if "BEGIN SOLUTION" not in ln and "END SOLUTION" not in ln)


def fake_class(folder, student_nb, reference_nb, layout="{learner}/" + QUIZ_NAME) -> str:
    """Write two learners' submissions of ``student_nb`` into ``folder``: alice answers every exercise with the
    reference, bob the same but a wrong answer (``return None``) to the first one. Returns that exercise."""
    found = exercises(reference_nb)
    for learner in ("alice", "bob"):
        nb = nbformat.from_dict(student_nb)
        for k, (name, i, _) in enumerate(found):
            ref = reference_nb.cells[i].source
            nb.cells[i].source = (clear_solution(ref, "return None") if learner == "bob" and k == 0 else _answer(ref))
        write_notebook(nb, folder / layout.format(learner=learner))
    return found[0][0]


@pytest.fixture(scope="module")
def quiz(tmp_path_factory):
    """A reference folder with a short exercise notebook (notebooks 01 and 04's exercises) and its student copy."""
    d = tmp_path_factory.mktemp("quiz")
    for name in ("01_generative_models.ipynb", "04_training_dynamics.ipynb"):
        shutil.copy(NOTEBOOKS / name, d / name)
    ref = exercises_notebook(d)
    for p in d.glob("*.ipynb"):
        p.unlink()
    write_notebook(ref, d / "source" / QUIZ_NAME)
    student = nbformat.from_dict(ref)
    assert student_notebook(student) == len(exercises(ref)) == 4
    return d / "source", ref, student


@pytest.fixture(scope="module")
def graded(quiz, tmp_path_factory):
    source, ref, student = quiz
    subs = tmp_path_factory.mktemp("submitted")
    wrong = fake_class(subs, student, ref)
    broken = nbformat.from_dict(ref)
    broken.cells.insert(0, nbformat.v4.new_code_cell("raise RuntimeError('a broken first cell')"))
    write_notebook(broken, subs / "erin" / "work" / QUIZ_NAME)
    (subs / "carol").mkdir()
    (subs / "carol" / QUIZ_NAME).write_text('{"cells": [')
    (subs / "dave").mkdir()
    parser = argparse.ArgumentParser()
    grade_mod.register(parser.add_subparsers())
    args = parser.parse_args(["grade", str(subs), "--source", str(source), "--timeout", "240"])
    assert args.func(args) == 0
    rows = list(csv.DictReader(io.StringIO((subs / "grades.csv").read_text())))
    return wrong, rows, (subs / "grades.md").read_text()


def _results(rows, learner):
    return {r["exercise"]: (r["result"], r["message"]) for r in rows if r["learner"] == learner}


def test_right_learner_passes_everything(graded):
    _, rows, _ = graded
    got = _results(rows, "alice")
    assert len(got) == 4 and all(r == "pass" for r, _ in got.values()), got
    assert all(m.startswith("Correct") for _, m in got.values())


def test_wrong_answer_fails_with_the_checks_message(graded):
    wrong, rows, _ = graded
    got = _results(rows, "bob")
    assert {k for k, (r, _) in got.items() if r == "fail"} == {wrong}
    assert got[wrong][1] and "Error" in got[wrong][1]


def test_broken_cell_invalid_json_and_missing_do_not_stop_the_class(graded):
    _, rows, md = graded
    assert all(r == "pass" for r, _ in _results(rows, "erin").values()), "a broken first cell stopped the checks"
    carol = _results(rows, "carol")
    assert carol and all(r == "fail" and "not valid JSON" in m for r, m in carol.values())
    dave = _results(rows, "dave")
    assert dave and all(r == "fail" and m == "notebook not submitted" for r, m in dave.values())
    assert {r["learner"] for r in rows} == {"alice", "bob", "carol", "dave", "erin"}
    assert "| alice | 4/4 |" in md and "| bob | 3/4 |" in md and "not valid JSON" in md


def test_a_notebook_over_its_time_limit_fails_its_exercises(quiz, tmp_path):
    _, ref, _ = quiz
    slow = nbformat.from_dict(ref)
    slow.cells.insert(0, nbformat.v4.new_code_cell("import time\ntime.sleep(120)"))
    write_notebook(slow, tmp_path / QUIZ_NAME)
    expected = [(name, ref.cells[j].source) for name, _, j in exercises(ref)]
    got = grade_mod.grade_notebook(tmp_path / QUIZ_NAME, expected, timeout=5)
    assert all(r == "fail" and "timed out" in m for r, m in got.values()), got


def test_an_edited_check_cell_is_restored(quiz, tmp_path):
    _, ref, student = quiz
    cheat = nbformat.from_dict(student)
    found = exercises(ref)
    for _, _, j in found:
        cheat.cells[j].source = "print('Correct!')  # " + cheat.cells[j].source.replace("\n", " ")
    write_notebook(cheat, tmp_path / QUIZ_NAME)
    expected = [(name, ref.cells[j].source) for name, _, j in found]
    got = grade_mod.grade_notebook(tmp_path / QUIZ_NAME, expected, timeout=120, exercises_only=True)
    assert all(r == "fail" for r, _ in got.values()), got


def test_grading_kernels_have_no_network():
    guard = grade_mod.network_guard_dir()
    try:
        code = ("import socket\n"
                "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); c = socket.socket()\n"
                "c.connect(s.getsockname()); print('loopback ok')\n"
                "try:\n    socket.socket().connect(('192.0.2.1', 9))\nexcept OSError as e:\n    print(type(e).__name__)\n")
        r = subprocess.run([sys.executable, "-c", code], env=grade_mod.kernel_env(guard), capture_output=True,
                           text=True, timeout=120)
    finally:
        shutil.rmtree(guard, ignore_errors=True)
    assert r.stdout.split() == ["loopback", "ok", "NetworkBlocked"], r.stderr
    assert STUB.startswith("# YOUR CODE HERE")


def test_markdown_table_escapes_and_lists_failures():
    R = grade_mod.Result
    md = grade_mod.to_markdown([R("a|b", "01_x", "check_f", "fail", "AssertionError: 1 | 2"),
                                R("c", "01_x", "check_f", "pass", "Correct")])
    assert "| a\\|b | 0/1 | ✗ |" in md and "| c | 1/1 | ✓ |" in md and "1 \\| 2" in md
    assert grade_mod.to_csv([R("c", "01_x", "check_f", "pass", "ok, fine")]).splitlines()[1] == 'c,01_x,check_f,pass,"ok, fine"'
