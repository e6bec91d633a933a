"""Argument types of the command line: each checks its value at parse time and names it in the error.

``argparse`` turns an :class:`argparse.ArgumentTypeError` into ``error: argument --NAME: MESSAGE`` and exit 2.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from gan_course.config import get_device


def _number(name: str, v: str, kind: type):
    try:
        x = kind(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name} must be {'an integer' if kind is int else 'a number'}, "
                                         f"got {v!r}") from None
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"{name} must be a finite number, got {v!r}")
    return x


def integer(name: str, minimum: int = 1, maximum: int | None = None):
    """An integer ≥ ``minimum`` (``--steps``, ``--batch-size``: 1; ``--mid-depth``, ``--seed``: 0) and, when given,
    ≤ ``maximum`` (``sample -n``)."""
    def parse(v):
        x = _number(name, v, int)
        if x < minimum or (maximum is not None and x > maximum):
            bound = "> 0" if minimum == 1 else f"≥ {minimum}"
            bound += f" and ≤ {maximum:,}" if maximum is not None else ""
            raise argparse.ArgumentTypeError(f"{name} must be {bound}, got {v!r}")
        return x
    return parse


def positive_int(name: str):
    """An integer ≥ 1."""
    return integer(name, 1)


def non_negative_int(name: str):
    """An integer ≥ 0."""
    return integer(name, 0)


def positive_float(name: str):
    """A finite number > 0 (``--lr``, ``--seconds``)."""
    def parse(v):
        x = _number(name, v, float)
        if x <= 0:
            raise argparse.ArgumentTypeError(f"{name} must be > 0, got {v!r}")
        return x
    return parse


def unit_interval(name: str, closed: bool = True):
    """A number in [0, 1] (``closed``; a fraction such as ``--lr-decay``) or in [0, 1) (an EMA β, 0 = off)."""
    def parse(v):
        x = _number(name, v, float)
        if not (0 <= x <= 1 if closed else 0 <= x < 1):
            allowed = "a fraction in [0, 1]" if closed else "0 (off) or in (0, 1)"
            raise argparse.ArgumentTypeError(f"{name} must be {allowed}, got {v!r}")
        return x
    return parse


def device(v: str) -> str:
    """A device :func:`gan_course.config.get_device` accepts and finds on this machine (``cpu``, ``cuda``,
    ``cuda:1``, ``mps``)."""
    try:
        get_device(v)
    except (ValueError, RuntimeError) as e:
        raise argparse.ArgumentTypeError(str(e).splitlines()[0]) from None
    return v


def file_with_suffix(name: str, allowed: tuple):
    """A file path whose extension is one of ``allowed`` (case-insensitive, e.g. ``sample --out``)."""
    def parse(v):
        if Path(v).suffix.lower().lstrip(".") not in allowed:
            raise argparse.ArgumentTypeError(f"{name} {v!r} must end in one of {', '.join('.' + a for a in allowed)}")
        return v
    return parse
