"""Check functions for the notebooks' exercises, one module per notebook (``ex01`` … ``ex10``).

Convention (relied on by ``tests/test_exercises.py`` and ``python -m gan_course student-copy``):

- the reference solution is a code cell tagged ``solution``; it is self-contained (does its own
  imports, uses nothing defined earlier in the notebook) and defines the names the check needs;
- the very next code cell is tagged ``check``; it imports a check function from
  ``gan_course.exercises.exNN`` and calls it on those names. A check function raises
  ``AssertionError`` with a hint for a wrong answer and prints a short "Correct" message otherwise;
- the student copy replaces each solution cell with :func:`stub_for` of it, so the check fails
  until the learner writes the solution.
"""

from __future__ import annotations

import re

STUB_LINE = "# YOUR CODE HERE"


def stub_for(source: str) -> str:
    """The student's stub for a solution cell: each top-level ``def`` keeps its signature (and
    docstring), its body becomes ``# YOUR CODE HERE`` + ``raise NotImplementedError``; top-level imports
    are kept, any other top-level statements are dropped. A cell without ``def`` becomes just the marker.
    """
    lines = source.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^(import|from) \w", line):
            out.append(line)
        elif re.match(r"^(def|async def) \w+", line):
            sig = [line]
            while not sig[-1].rstrip().endswith(":"):
                i += 1
                sig.append(lines[i])
            out.extend(sig)
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            body = lines[j] if j < len(lines) else ""
            indent = re.match(r"^(\s*)", body).group(1) or "    "
            if body.strip().startswith(('"""', "'''")):
                q = body.strip()[:3]
                doc = [body]
                if body.strip().count(q) < 2 or body.strip() == q:
                    j += 1
                    while j < len(lines) and q not in lines[j]:
                        doc.append(lines[j])
                        j += 1
                    if j < len(lines):
                        doc.append(lines[j])
                out.extend(doc)
            out.append(f"{indent}{STUB_LINE}")
            out.append(f'{indent}raise NotImplementedError("write your solution here")')
            out.append("")
        i += 1
    if not any(l.startswith(("def ", "async def ")) for l in out):
        return "\n".join(out + [STUB_LINE]).strip() + "\n"
    return "\n".join(out).rstrip() + "\n"


def passed(name: str) -> None:
    """Print the success message of a check."""
    print(f"Correct: {name} passes every check.")
