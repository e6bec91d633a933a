"""``python -m gan_course student-copy OUT_DIR`` on the real notebooks: what the learner gets.

tests/test_exercises.py checks each check function against reference and stub in memory; here
the files the command writes are checked: stubs in place of solutions, cleared outputs, other
cells untouched, and the copy's check cells fail when run against the copy's stubs.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gan_course.exercises import STUB_LINE
from gan_course.tools.cli import main
from tests.helpers import cli_error

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _code(path):
    return [c for c in json.loads(Path(path).read_text())["cells"] if c["cell_type"] == "code"]


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.fixture(scope="module")
def copy_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert main(["student-copy", str(out)]) == 0
    return out


def test_every_notebook_is_copied(copy_dir):
    assert SOURCES, "no notebooks in notebooks/"
    assert sorted(p.name for p in copy_dir.glob("*.ipynb")) == [p.name for p in SOURCES]


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_solutions_replaced_outputs_cleared_rest_unchanged(copy_dir, src):
    ref, stu = _code(src), _code(copy_dir / src.name)
    assert len(ref) == len(stu)
    after_solution = False
    for r, s in zip(ref, stu):
        if "solution" in _tags(r):
            src_text = "".join(s["source"])
            assert STUB_LINE in src_text
            assert s["outputs"] == [] and s["execution_count"] is None
            assert src_text != "".join(r["source"]), "the reference solution leaked into the student copy"
        elif after_solution and "check" in _tags(r):
            assert s["outputs"] == [] and s["execution_count"] is None
            assert s["source"] == r["source"]
        else:
            assert s["source"] == r["source"] and s["outputs"] == r["outputs"]
        after_solution = "solution" in _tags(r)


def test_copy_checks_fail_against_copy_stubs(copy_dir, capsys):
    pairs = 0
    for path in sorted(copy_dir.glob("*.ipynb")):
        code = _code(path)
        for cell, nxt in zip(code, code[1:]):
            if "solution" in _tags(cell):
                assert "check" in _tags(nxt), f"{path.name}: a solution cell without a check cell after it"
                ns: dict = {}
                exec(compile("".join(cell["source"]), f"{path.name}:stub", "exec"), ns)
                with pytest.raises((NotImplementedError, AssertionError, TypeError, NameError)):
                    exec(compile("".join(nxt["source"]), f"{path.name}:check", "exec"), ns)
                pairs += 1
    n_src = sum("solution" in _tags(c) for p in SOURCES for c in _code(p))
    assert pairs == n_src


def test_refuses_the_source_folder():
    before = {p: p.stat().st_mtime_ns for p in SOURCES}
    r = subprocess.run([sys.executable, "-m", "gan_course", "student-copy", str(NOTEBOOKS)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "source notebooks folder" in r.stderr and "Traceback" not in r.stderr
    assert {p: p.stat().st_mtime_ns for p in SOURCES} == before


def test_clear_errors(tmp_path, capsys):
    f = tmp_path / "a_file"
    f.write_text("x")
    assert "not a folder" in cli_error(capsys, ["student-copy", str(f)])
    assert "does not exist" in cli_error(capsys, ["student-copy", str(tmp_path / "out"),
                                                  "--source", str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    assert "no numbered notebooks" in cli_error(capsys, ["student-copy", str(tmp_path / "out"),
                                                         "--source", str(tmp_path / "empty")])
