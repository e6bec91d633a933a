"""Small helpers shared by the tests (``from tests.helpers import ...``)."""

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (for JupyterLab and torchrun in the tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
