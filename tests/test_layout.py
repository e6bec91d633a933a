"""The package's layout, checked from its source with ``ast``: no import cycles, no ``_private`` name imported
from another module, no lesson helper importing the tooling, and the old import paths still working."""

import ast
import importlib
from pathlib import Path

import pytest

import gan_course
from gan_course.moved import MOVED

PACKAGE = Path(gan_course.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path):
    """``(imported module, imported names)`` for every import in the file, nested ones (inside functions) too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            names = [a.name for a in node.names]
            subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            yield base, [n for n in names if f"{base}.{n}" not in MODULES]
            for s in subs:
                yield s, []


def _graph() -> dict:
    return {name: {m for m, _ in _imports(name, path) if m in MODULES and m != name}
            for name, path in MODULES.items()}


def _cycles(graph: dict) -> list:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_private_names_imported_across_modules():
    bad = [(name, mod, n) for name, path in MODULES.items() for mod, names in _imports(name, path)
           for n in names if n.startswith("_") and not (n.startswith("__") and n.endswith("__"))]
    assert bad == []


def test_lesson_helpers_do_not_import_the_tooling():
    teaching = [n for n in MODULES if not n.startswith("gan_course.tools") and n != "gan_course.__main__"]
    bad = [(n, m) for n in teaching for m in _graph()[n] if m.startswith("gan_course.tools")]
    assert bad == []


def test_every_module_imports():
    for name in MODULES:
        if name != "gan_course.__main__":
            importlib.import_module(name)


@pytest.mark.parametrize("old, new", sorted(MOVED.items()))
def test_old_import_paths_still_work(old, new):
    assert importlib.import_module(f"gan_course.{old}") is importlib.import_module(f"gan_course.{new}")


def test_public_names_fixed_earlier():
    from gan_course.data import load_mnist
    from gan_course.losses import d_loss
    from gan_course.metrics import mode_coverage
    from gan_course.theory import js_divergence
    from gan_course.toy import ring
    assert all(callable(f) for f in (load_mnist, d_loss, mode_coverage, js_divergence, ring))
