"""Check functions for the notebooks' exercises, one module per notebook (``ex01`` … ``ex10``), and the
rules that turn a reference solution into the learner's stub.

Convention (relied on by ``tests/exercises/``, ``python -m gan_course student-copy``, ``grade`` and the
nbgrader commands in :mod:`gan_course.tools.nbgrader`):

- the reference solution is a code cell tagged ``solution``; it is self-contained (does its own
  imports, uses nothing defined earlier in the notebook) and defines the names the check needs;
- the very next code cell is tagged ``check``; it imports a check function from
  ``gan_course.exercises.exNN`` and calls it on those names. A check function raises
  ``AssertionError`` with a hint for a wrong answer and prints a short "Correct" message otherwise;
- the student copy replaces each solution cell with :func:`stub_for` of it, so the check fails
  until the learner writes the solution.

**The stub rule** (what a learner sees of a solution cell). Visible: top-level imports, blank lines and
top-level comments (write instructions there, never answers); each ``def`` and ``class`` with its decorators
and signature; the **first line** of its docstring only (or, without a docstring, the first line of the
comment block that opens its body). Hidden: everything else — the rest of the docstring, every comment and
statement in a function's body, any other top-level statement — becomes ``# YOUR CODE HERE`` +
``raise NotImplementedError()``. So a docstring's first line must say *what* the function returns, never the
formula or the trick that computes it.

:func:`mark_solution` writes this rule into the cell as nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION``
markers; :func:`clear_solution` removes the marked regions exactly as nbgrader's ``ClearSolutions`` does (with
its default stub), and ``stub_for = clear_solution ∘ mark_solution``: nbgrader's ``generate_assignment`` and
``student-copy`` give the learner the same stubs.
"""

from __future__ import annotations

import ast
import inspect
import re

STUB_LINE = "# YOUR CODE HERE"
STUB = STUB_LINE + "\nraise NotImplementedError()"  # nbgrader's default code stub for Python
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"


def _indent(line: str) -> str:
    return re.match(r"\s*", line).group(0)


def _blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _docstring_node(node):
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first
    return None


def _summary_docstring(indent: str, text: str) -> str:
    summary = (inspect.cleandoc(text).splitlines() or [""])[0].strip()
    if '"""' in summary or summary.endswith('"') or "\\" in summary:
        return indent + repr(summary)
    return f'{indent}"""{summary}"""'


class _Marker:
    def __init__(self, source: str):
        self.lines = source.split("\n")
        self.out: list[str] = []
        self.pending: list[str] = []     # lines of a top-level/class-level region not yet written
        self.pending_indent = ""

    def flush(self):
        if self.pending:
            while self.pending and not self.pending[-1].strip():
                self.pending.pop()
            self.out += [self.pending_indent + BEGIN_SOLUTION, *self.pending, self.pending_indent + END_SOLUTION]
            self.pending = []

    def region(self, indent: str, body: list[str]):
        self.out += [indent + BEGIN_SOLUTION, *body, indent + END_SOLUTION]

    def block(self, stmts, start: int, stop: int):
        """Lines ``start``..``stop`` (0-based, stop exclusive) holding the statements ``stmts``."""
        cur = start
        for node in stmts:
            first = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno) - 1
            end = node.end_lineno
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                # indented comments right after a def belong to its body
                j = end
                while j < stop and _blank_or_comment(self.lines[j]):
                    if self.lines[j].strip() and _indent(self.lines[j]) > _indent(self.lines[node.lineno - 1]):
                        end = j + 1
                    j += 1
            gap = self.lines[cur:first]
            if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.flush()
                self.out += gap
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    self.out += self.lines[first:end]
                else:
                    self.definition(node, first, end)
            else:
                if self.pending:
                    self.pending += gap
                else:
                    self.out += gap
                    self.pending_indent = _indent(self.lines[node.lineno - 1])
                self.pending += self.lines[first:end]
            cur = end
        self.flush()
        self.out += self.lines[cur:stop]

    def definition(self, node, first: int, end: int):
        lines = self.lines
        top = node.body[0].decorator_list[0] if getattr(node.body[0], "decorator_list", None) else node.body[0]
        b = top.lineno - 1
        if top.col_offset != len(_indent(lines[b])) or b <= node.lineno - 1:   # body on the signature's line
            raise ValueError(f"line {node.lineno}: write the body of {node.name!r} on its own lines")
        sig_end = b
        while sig_end - 1 > node.lineno - 1 and _blank_or_comment(lines[sig_end - 1]):
            sig_end -= 1
        self.out += lines[first:sig_end]
        indent = _indent(lines[b])
        lead = [ln for ln in lines[sig_end:b] if ln.strip()]
        hidden: list[str] = []
        doc = _docstring_node(node)
        rest = node.body[1:] if doc else node.body
        if doc:
            hidden += lead
            if doc.lineno == doc.end_lineno:
                self.out.append(lines[doc.lineno - 1])
            else:
                self.out.append(_summary_docstring(indent, doc.value.value))
                more = inspect.cleandoc(doc.value.value).splitlines()[1:]
                hidden += [indent + ("# " + m if m.strip() else "#") for m in more]
            body_start = doc.end_lineno
        else:
            if lead:
                self.out.append(lead[0])
                hidden += lead[1:]
            body_start = b
        if isinstance(node, ast.ClassDef):
            self.flush()
            if hidden:
                self.region(indent, hidden)
            inner = _Marker.__new__(_Marker)
            inner.lines, inner.out, inner.pending, inner.pending_indent = lines, [], [], ""
            inner.block(rest, body_start, end)
            self.out += inner.out
        else:
            self.region(indent, hidden + lines[body_start:end])


def mark_solution(source: str) -> str:
    """The reference solution with nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers around what
    the stub rule hides (see the module docstring). A source that already has markers is returned unchanged, so
    marking is idempotent; the marked source runs exactly like the original (the markers are comments)."""
    if "BEGIN SOLUTION" in source or "END SOLUTION" in source:
        return source
    try:
        tree = ast.parse(source)
    except SyntaxError as e:
        raise ValueError(f"the solution does not parse (line {e.lineno}: {e.msg})") from None
    m = _Marker(source)
    m.block(tree.body, 0, len(m.lines))
    if BEGIN_SOLUTION not in "\n".join(m.out):   # nothing to hide (only imports): hide nothing, stub the cell
        m.out += [BEGIN_SOLUTION, END_SOLUTION]
    return "\n".join(m.out)


def clear_solution(marked: str, stub: str = STUB) -> str:
    """Replace each marked region by ``stub`` at the indentation of its ``BEGIN SOLUTION`` line, as nbgrader's
    ``ClearSolutions`` preprocessor does; a source without markers becomes ``stub`` alone (nbgrader does the same
    for a solution cell without markers)."""
    out, inside, found = [], False, False
    for line in marked.split("\n"):
        if "BEGIN SOLUTION" in line:
            if inside:
                raise ValueError("nested BEGIN SOLUTION")
            inside = found = True
            out += [_indent(line) + s for s in stub.split("\n")]
        elif "END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out) if found else stub


def stub_for(source: str) -> str:
    """The learner's stub for a solution cell (marked or not): :func:`clear_solution` of :func:`mark_solution`."""
    return clear_solution(mark_solution(source))


def key_expressions(source: str, min_chars: int = 10) -> list[str]:
    """The reference answer's key expressions, whitespace removed: the value of every ``return`` and of every
    assignment inside the solution's functions, and the arithmetic and calls within them, when at least
    ``min_chars`` long. No stub may contain one (``tests/exercises/test_stubs.py``)."""
    keys: list[str] = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if not isinstance(node, (ast.Return, ast.Assign, ast.AugAssign)) or node.value is None:
                continue
            for sub in ast.walk(node.value):
                if sub is node.value or isinstance(sub, (ast.BinOp, ast.Call)):
                    text = re.sub(r"\s+", "", ast.unparse(sub))
                    if len(text) >= min_chars and text not in keys:
                        keys.append(text)
    return keys


def leaked(source: str, stub: str) -> list[str]:
    """The key expressions of the reference ``source`` that its ``stub`` shows (whitespace ignored)."""
    flat = re.sub(r"\s+", "", stub)
    return [k for k in key_expressions(source) if k in flat]


def passed(name: str) -> None:
    """Print the success message of a check."""
    print(f"Correct: {name} passes every check.")
