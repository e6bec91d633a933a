"""Import paths from before the package was grouped by topic keep working: ``gan_course.nets`` is
:mod:`gan_course.mnist.nets`, and so on (:data:`MOVED`). New code and the lessons use the new paths.

A finder on ``sys.meta_path`` answers ``import gan_course.OLD`` with the module at its new place (the same
module object, not a copy).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

#: old module (under ``gan_course.``) → new module
MOVED = {
    "autoencoders": "generative.autoencoders", "widgets": "theory.explorer", "toy_plots": "plots",
    "ensemble": "modes.ensemble", "remedies": "modes.remedies", "madgan": "modes.madgan", "mode_table": "modes.table",
    "nets": "mnist.nets", "classifier": "mnist.classifier", "fid": "mnist.fid", "ema": "mnist.ema",
    "precision": "mnist.precision", "packing": "mnist.packing", "progressive": "mnist.progressive",
    "distributed": "mnist.distributed", "sample_cli": "mnist.checkpoints",
    "signals": "beyond.signals", "tabular": "beyond.tabular", "sequences": "beyond.sequences",
    "cli": "tools.cli", "train_cli": "tools.train", "student": "tools.student", "nbtools": "tools.notebooks",
    "bench": "tools.bench.command", "bench_peer": "tools.bench.reference", "bench_quality": "tools.bench.quality",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        old = fullname.partition("gan_course.")[2] if fullname.startswith("gan_course.") else None
        if old in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("gan_course." + MOVED[spec.name.partition("gan_course.")[2]])

    def exec_module(self, module):
        pass


def install() -> None:
    """Put the finder on ``sys.meta_path`` once (``gan_course/__init__.py`` calls it)."""
    if not any(isinstance(f, _Alias) for f in sys.meta_path):
        sys.meta_path.append(_Alias())
