"""Small helpers shared by the tests (``from tests.helpers import ...``)."""

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (for JupyterLab and torchrun in the tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_error(capsys, argv) -> str:
    """Run ``python -m gan_course ARGV`` in this process, expecting an expected error: exit 1 and one line
    ``error: …`` on stderr (no traceback). Returns that line."""
    from gan_course.tools.cli import main

    capsys.readouterr()
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    return err


def tiny_pacgan_parser(monkeypatch, tiny):
    """An argument parser with ``pacgan`` registered whose runs use the small nets of ``tiny`` (a
    :class:`~gan_course.modes.pacgan.PacConfig`) with the requested steps."""
    import argparse

    import gan_course.modes.pacgan as mod
    from gan_course.tools import pacgan as tool

    monkeypatch.setattr(mod, "PacConfig", lambda steps: tiny.__class__(**{**tiny.__dict__, "steps": steps}))
    monkeypatch.setattr(tool, "PacConfig", mod.PacConfig)
    p = argparse.ArgumentParser()
    tool.register(p.add_subparsers())
    return p


def tiny_pacgan_command(monkeypatch, tiny, *base):
    """``run(*flags)``: ``python -m gan_course pacgan BASE FLAGS`` in this process with the small nets of ``tiny``
    (:func:`tiny_pacgan_parser`); returns the command's exit status."""
    p = tiny_pacgan_parser(monkeypatch, tiny)

    def run(*flags):
        args = p.parse_args(["pacgan", *base, *flags])
        return args.func(args)

    return run


def tiny_pac_players(tiny, seeds=(0, 1)):
    """The authors' G and D of PacGAN (small widths from ``tiny``, a :class:`~gan_course.modes.pacgan.PacConfig`)
    for ``seeds``, with a batch of 8 real points and 8 noise vectors per member: ``G, D, real, z``."""
    import torch

    from gan_course.modes.pacnets import PacDiscriminator, PacGenerator
    torch.manual_seed(0)
    G, D = PacGenerator(tiny, list(seeds)), PacDiscriminator(tiny, list(seeds), pack=1)
    real, z = torch.randn(len(seeds), 8, 2), torch.randn(len(seeds), 8, 2)
    return G, D, real, z
