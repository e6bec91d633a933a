"""``python -m gan_course grade SUBMISSIONS_DIR``: run a class's notebooks and tabulate who passed which exercise.

``SUBMISSIONS_DIR`` holds one folder per learner; each learner's notebooks may lie anywhere below it (so
nbgrader's ``submitted/LEARNER/ASSIGNMENT/NN_name.ipynb`` works as it is) and are matched to the course's
notebooks by file name. Each notebook with exercises runs in its own kernel, in fast mode
(``GAN_COURSE_FAST=1``), with the network blocked and a time limit per notebook; an error in one cell does
not stop the notebook (the checks after it still run), and one learner's notebook cannot stop another's.
Before it runs, each ``check`` cell gets the course's source back, so an edited check grades nothing.

An exercise is a notebook and the check function its ``check`` cell calls (see
:func:`gan_course.tools.nbgrader.exercises`). Results: ``grades.csv`` (one row per learner × exercise:
``learner, notebook, exercise, result, message``, result ``pass`` or ``fail``) and ``grades.md`` (the
learner × exercise table, then every failure with the check's message), written to ``--out`` (default:
``SUBMISSIONS_DIR``). A notebook that is missing, not valid JSON, or times out fails its exercises with that
message; nothing stops the run.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import os
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CSV_FIELDS = ("learner", "notebook", "exercise", "result", "message")
MESSAGE_CHARS = 300


class NetworkBlocked(OSError):
    """Raised when a graded notebook tries to reach a non-loopback address."""


def _loopback(address) -> bool:
    if not isinstance(address, tuple):          # AF_UNIX path, or something without a host
        return True
    host = str(address[0]).split("%")[0] if address else ""
    if host in ("", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def block_network() -> None:
    """From now on, connecting a socket to anything but loopback raises :class:`NetworkBlocked`."""
    for name in ("connect", "connect_ex"):
        orig = getattr(socket.socket, name)
        if getattr(orig, "_gan_course_guard", False):
            continue

        def guarded(self, address, *a, _orig=orig, **k):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
                raise NetworkBlocked(f"network access to {address!r} is blocked while grading")
            return _orig(self, address, *a, **k)

        guarded._gan_course_guard = True
        setattr(socket.socket, name, guarded)


def network_guard_dir() -> Path:
    """A fresh folder holding a ``sitecustomize.py`` that calls :func:`block_network`: put it first on a kernel's
    ``PYTHONPATH`` and that kernel has no network. The caller removes the folder."""
    d = Path(tempfile.mkdtemp(prefix="gan-course-grade-guard-"))
    (d / "sitecustomize.py").write_text("from gan_course.tools.grade import block_network\n\nblock_network()\n")
    return d


def kernel_env(guard_dir) -> dict:
    """The environment of a grading kernel: fast mode, no display, no progress bars, the network guard."""
    path = os.pathsep.join([str(guard_dir)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    return {**os.environ, "GAN_COURSE_FAST": "1", "MPLBACKEND": "Agg", "TQDM_DISABLE": "1", "PYTHONPATH": path,
            "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


@dataclass
class Result:
    learner: str
    notebook: str
    exercise: str
    result: str       # "pass" or "fail"
    message: str


def _short(text: str) -> str:
    lines = [ln for ln in str(text).strip().splitlines() if ln.strip()]
    text = lines[0] if lines else ""
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


def reference_exercises(source) -> dict:
    """``{notebook file name: [(exercise, check cell source)]}`` for every numbered notebook of ``source`` with
    exercises."""
    from gan_course.tools.nbgrader import exercises

    out = {}
    for p in sorted(Path(source).glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(p.read_text(encoding="utf-8"))
        ex = [(name, _text(nb["cells"][j]["source"])) for name, _, j in exercises(nb)]
        if ex:
            out[p.name] = ex
    return out


def _text(source) -> str:
    return source if isinstance(source, str) else "".join(source)


def _outcome(cell) -> tuple[str, str]:
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            ename, evalue = o.get("ename", "Error"), str(o.get("evalue", "")).strip()
            return "fail", _short(f"{ename}: {evalue}" if evalue else ename)
    if cell.get("execution_count") is None:
        return "fail", "check cell did not run"
    said = "".join(_text(o.get("text", "")) for o in cell.get("outputs", []) if o.get("output_type") == "stream")
    return "pass", _short(said) or "passed"


def grade_notebook(path, expected, timeout: float = 300.0, exercises_only: bool = False,
                   env: dict | None = None) -> dict:
    """Run one learner's notebook and return ``{exercise: (result, message)}`` for the ``expected``
    ``[(exercise, check source)]``. Never raises for a broken notebook: the reason is the message."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from gan_course.tools.nbgrader import check_name, exercises

    def all_fail(message):
        return {name: ("fail", message) for name, _ in expected}

    try:
        text = Path(path).read_text(encoding="utf-8")
        json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return all_fail(_short(f"notebook is not valid JSON: {e}"))
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as e:  # noqa: BLE001 -- any unreadable notebook is a message, not a crash
        return all_fail(_short(f"not a readable notebook: {e}"))
    found = {name: j for name, _, j in exercises(nb)}
    for j, cell in enumerate(nb.cells):         # a check cell whose tags were lost: find it by its call
        if cell.cell_type == "code" and (name := check_name(cell.source)) and j not in found.values():
            found.setdefault(name, j)
    results, keep = {}, set()
    for name, check_source in expected:
        j = found.get(name)
        if j is None:
            results[name] = ("fail", f"no check cell calling {name}")
            continue
        nb.cells[j].source = check_source
        keep.update({j, max((i for i in range(j) if nb.cells[i].cell_type == "code"), default=j)})
    if exercises_only:
        nb.cells = [c for i, c in enumerate(nb.cells) if i in keep]
        found = {name: sorted(keep).index(j) for name, j in found.items() if j in keep}
    workdir = Path(tempfile.mkdtemp(prefix="gan-course-grade-"))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    deadline = time.monotonic() + timeout
    stopped = None
    try:
        with client.setup_kernel(env=env or os.environ.copy(), cwd=str(workdir)):
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    stopped = f"timed out: the notebook ran longer than {timeout:g} s"
                    break
                client.timeout = max(1, int(left))
                try:
                    client.execute_cell(cell, i)
                except CellTimeoutError:
                    stopped = f"timed out: the notebook ran longer than {timeout:g} s"
                    break
                except DeadKernelError:
                    stopped = f"the kernel died in cell {i} (out of memory?)"
                    break
    except Exception as e:  # noqa: BLE001 -- a kernel that cannot start is reported, not fatal
        stopped = stopped or _short(f"could not run the notebook: {type(e).__name__}: {e}")
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    for name, _ in expected:
        if name in results:
            continue
        outcome = _outcome(nb.cells[found[name]])
        if stopped and outcome[1] == "check cell did not run":
            outcome = ("fail", stopped)
        results[name] = outcome
    return results


def _notebooks(folder: Path) -> dict:
    found = {}
    for p in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in p.parts:
            found.setdefault(p.name, p)
    return found


def grade(submissions, source=None, timeout: float = 300.0, exercises_only: bool = False, log=print) -> list[Result]:
    """Grade every learner folder of ``submissions`` against the reference notebooks in ``source`` (default:
    the course's ``notebooks/``); returns one :class:`Result` per learner × exercise."""
    import shutil

    from gan_course.config import repo_path

    source = Path(source or repo_path("notebooks"))
    if not source.is_dir():
        raise ValueError(f"reference folder {source} does not exist")
    reference = reference_exercises(source)
    if not reference:
        raise ValueError(f"no numbered notebooks with exercises (NN_name.ipynb) in {source}")
    learners = sorted(p for p in Path(submissions).iterdir() if p.is_dir() and not p.name.startswith("."))
    guard = network_guard_dir()
    env = kernel_env(guard)
    results = []
    try:
        for learner in learners:
            mine = _notebooks(learner)
            for nb_name, expected in reference.items():
                path = mine.get(nb_name)
                if path is None:
                    got = {name: ("fail", "notebook not submitted") for name, _ in expected}
                else:
                    t0 = time.monotonic()
                    got = grade_notebook(path, expected, timeout, exercises_only, env)
                    log(f"{learner.name:<20} {nb_name:<40} {sum(r == 'pass' for r, _ in got.values())}/"
                        f"{len(expected)} passed  ({time.monotonic() - t0:.0f} s)")
                results += [Result(learner.name, Path(nb_name).stem, name, *got[name]) for name, _ in expected]
    finally:
        shutil.rmtree(guard, ignore_errors=True)
    return results


def _column(notebook: str, exercise: str) -> str:
    return f"{notebook[:2]} {exercise.removeprefix('check_')}"


def to_csv(results) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for r in results:
        w.writerow([r.learner, r.notebook, r.exercise, r.result, r.message])
    return buf.getvalue()


def to_markdown(results, note: str = "") -> str:
    def cell(text):
        return str(text).replace("|", "\\|").replace("\n", " ")

    columns = list(dict.fromkeys((r.notebook, r.exercise) for r in results))
    learners = list(dict.fromkeys(r.learner for r in results))
    table = {(r.learner, r.notebook, r.exercise): r for r in results}
    out = ["# Grades", ""]
    if note:
        out += [note, ""]
    out += ["| learner | passed | " + " | ".join(_column(*c) for c in columns) + " |",
            "|---|---|" + "---|" * len(columns)]
    for who in learners:
        mine = [table[(who, *c)] for c in columns]
        marks = ["✓" if r.result == "pass" else "✗" for r in mine]
        out.append(f"| {cell(who)} | {marks.count('✓')}/{len(mine)} | " + " | ".join(marks) + " |")
    out += ["", "## Failures", ""]
    failures = [r for r in results if r.result != "pass"]
    for who in learners:
        mine = [r for r in failures if r.learner == who]
        if mine:
            out += [f"### {cell(who)}", ""] + [f"- `{r.notebook}` `{r.exercise}`: {cell(r.message)}" for r in mine] + [""]
    if not failures:
        out.append("None: every learner passed every exercise.")
    return "\n".join(out).rstrip() + "\n"


def _cmd(args) -> int:
    submissions = Path(args.submissions)
    if not submissions.is_dir():
        raise ValueError(f"SUBMISSIONS_DIR {submissions} is not a folder")
    results = grade(submissions, args.source, args.timeout, args.exercises_only)
    out = Path(args.out or submissions)
    out.mkdir(parents=True, exist_ok=True)
    note = (f"Fast mode, network blocked, at most {args.timeout:g} s per notebook"
            + (", only the exercise cells run" if args.exercises_only else "") + ".")
    (out / "grades.csv").write_text(to_csv(results), encoding="utf-8")
    (out / "grades.md").write_text(to_markdown(results, note), encoding="utf-8")
    learners = len({r.learner for r in results})
    passed = sum(r.result == "pass" for r in results)
    print(f"{learners} learners, {passed}/{len(results)} exercise results passed; "
          f"wrote {out / 'grades.csv'} and {out / 'grades.md'}")
    return 0


def register(sub) -> None:
    from gan_course.tools.args import positive_float

    p = sub.add_parser("grade", help="run every learner's notebooks and tabulate the exercise checks")
    p.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="one folder per learner, notebooks anywhere below it")
    p.add_argument("--source", default=None, help="folder with the reference notebooks (default: the course's notebooks/)")
    p.add_argument("--out", default=None, help="folder for grades.csv and grades.md (default: SUBMISSIONS_DIR)")
    p.add_argument("--timeout", type=positive_float("--timeout"), default=300.0, help="seconds per notebook (default: 300)")
    p.add_argument("--exercises-only", action="store_true",
                   help="run only each exercise's solution and check cells (much faster; solutions must be self-contained)")
    p.set_defaults(func=_cmd)
