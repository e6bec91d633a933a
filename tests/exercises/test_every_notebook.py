"""Every exercise: its check accepts the reference solution and rejects the student stub.

Pairs come from the notebooks themselves (a cell tagged ``solution`` followed by one tagged
``check``; see ``gan_course.exercises``), so a new exercise is tested without editing this file.
"""

import json
from pathlib import Path

import pytest

from gan_course.exercises import stub_for

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _pairs():
    for nb in NOTEBOOKS:
        code = [c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
        for i, cell in enumerate(code):
            if "solution" in cell.get("metadata", {}).get("tags", []):
                nxt = code[i + 1] if i + 1 < len(code) else None
                yield pytest.param(nb.name, "".join(cell["source"]),
                                   "".join(nxt["source"]) if nxt else None,
                                   nxt is not None and "check" in nxt.get("metadata", {}).get("tags", []),
                                   id=f"{nb.stem}-{i}")


PAIRS = list(_pairs())


def test_every_lesson_has_two_exercises():
    counts = {nb.name: 0 for nb in NOTEBOOKS if not nb.name.startswith("00")}
    for p in PAIRS:
        counts[p.values[0]] = counts.get(p.values[0], 0) + 1
    few = {k: v for k, v in counts.items() if v < 2}
    assert not few, f"notebooks with fewer than two checked exercises: {few}"


@pytest.mark.parametrize("nb,solution,check,tagged", PAIRS)
def test_check_accepts_solution_rejects_stub(nb, solution, check, tagged, capsys):
    assert tagged, f"{nb}: the cell after a 'solution' cell must be tagged 'check'"
    ns: dict = {}
    exec(compile(solution, f"{nb}:solution", "exec"), ns)
    exec(compile(check, f"{nb}:check", "exec"), ns)
    stub_ns: dict = {}
    exec(compile(stub_for(solution), f"{nb}:stub", "exec"), stub_ns)
    with pytest.raises(Exception):
        exec(compile(check, f"{nb}:check", "exec"), stub_ns)
