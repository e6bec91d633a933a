"""nbgrader on the course (the optional extra ``[instructor]``; skipped with the reason without it).

An nbgrader course folder from ``nbgrader-course``, plus one assignment holding every exercise of the
course (``exercises_notebook``): ``generate_assignment`` must give the learner exactly ``student-copy``'s
stubs, each check must fail on the released stub and pass on the reference, and ``autograde`` must grade a
fake class of two learners — one right everywhere, one with a wrong answer — as ``grade`` does.
"""

import subprocess
import sys

import nbformat
import pytest

from gan_course.tools.grade import grade
from gan_course.tools.nbgrader import (
    exercises,
    exercises_notebook,
    make_course,
    write_notebook,
)
from gan_course.tools.student import student_notebook
from tests.tools.test_grade import fake_class, run_pair

pytest.importorskip("nbgrader", reason="nbgrader is not installed (the optional extra: pip install -e '.[instructor]')")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

QUIZ = "exercises"


def _nbgrader(course, *args, timeout=600):
    r = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, capture_output=True, text=True,
                       timeout=timeout)
    assert r.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    d = tmp_path_factory.mktemp("course")
    assert make_course(d), "no assignment written"
    write_notebook(exercises_notebook(), d / "source" / QUIZ / "99_exercises.ipynb")
    _nbgrader(d, "generate_assignment", "*")
    return d


def _read(path):
    return nbformat.read(path, as_version=4)


def test_release_gives_student_copy_stubs(course):
    sources = sorted((course / "source").glob("*/*.ipynb"))
    assert len(sources) >= 11
    for src in sources:
        release = _read(course / "release" / src.parent.name / src.name)
        student = _read(src)
        student_notebook(student)
        ref = _read(src)
        found = exercises(ref)
        assert found, src.name
        for name, i, j in found:
            rel = release.cells[i]
            assert rel.source == student.cells[i].source, f"{src.name} {name}: nbgrader's stub is not student-copy's"
            assert "SOLUTION" not in rel.source and rel.source != ref.cells[i].source
            assert release.cells[j].source == ref.cells[j].source
            assert release.cells[j].metadata["nbgrader"]["locked"] is True
            assert all(not c.get("outputs") for c in (rel, release.cells[j]))


def test_release_checks_fail_on_stubs_pass_on_references(course, capsys):
    ref = _read(course / "source" / QUIZ / "99_exercises.ipynb")
    release = _read(course / "release" / QUIZ / "99_exercises.ipynb")
    found = exercises(ref)
    assert len(found) >= 20
    for name, i, j in found:
        run_pair(ref.cells[i].source, ref.cells[j].source, name)
        with pytest.raises(Exception):
            run_pair(release.cells[i].source, release.cells[j].source, name)


@pytest.fixture(scope="module")
def graded(course):
    release = _read(course / "release" / QUIZ / "99_exercises.ipynb")
    ref = _read(course / "source" / QUIZ / "99_exercises.ipynb")
    wrong = fake_class(course / "submitted", release, ref, layout=f"{{learner}}/{QUIZ}/99_exercises.ipynb")
    _nbgrader(course, "autograde", QUIZ)
    return wrong, [name for name, _, _ in exercises(ref)]


def test_autograde_grades_the_fake_class(course, graded):
    from nbgrader.api import Gradebook

    wrong, names = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for learner, expect_wrong in (("alice", set()), ("bob", {wrong})):
            scores = {n: gb.find_grade(n, "99_exercises", QUIZ, learner).score for n in names}
            assert {n for n, s in scores.items() if s == 0} == expect_wrong, (learner, scores)
            assert all(s == 1 for n, s in scores.items() if n not in expect_wrong)
            sub = gb.find_submission_notebook("99_exercises", QUIZ, learner)
            assert sub.max_score == len(names) and sub.score == len(names) - len(expect_wrong)


def test_grade_command_agrees_with_autograde(course, graded, tmp_path):
    wrong, names = graded
    results = grade(course / "submitted", source=course / "source" / QUIZ, timeout=300, log=lambda *a: None)
    got = {(r.learner, r.exercise): r.result for r in results}
    assert len(got) == 2 * len(names)
    assert {k for k, v in got.items() if v == "fail"} == {("bob", wrong)}
