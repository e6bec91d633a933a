"""Test-session setup for ``python -m pytest`` (unit tests and nbval notebooks alike).

- fast mode (``GAN_COURSE_FAST=1``), a non-interactive matplotlib backend, no progress bars;
- no network: any socket connection to a non-loopback address fails, in this process and in
  every notebook kernel (a ``sitecustomize`` put first on the kernels' PYTHONPATH), so the
  course is known never to download anything.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ["GAN_COURSE_FAST"] = "1"
os.environ["MPLBACKEND"] = "Agg"
os.environ["TQDM_DISABLE"] = "1"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

_GUARD = '''
import ipaddress, socket

class NetworkBlocked(OSError):
    """Raised when the course tries to reach the network during tests."""

def _loopback(address):
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name other than localhost

def _guard(orig):
    def connect(self, address, *a, **k):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
            raise NetworkBlocked(f"network access to {address!r} is blocked during tests: the course must work offline")
        return orig(self, address, *a, **k)
    return connect

socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
'''

_guard_dir = Path(tempfile.mkdtemp(prefix="gan-course-netguard-"))
(_guard_dir / "sitecustomize.py").write_text(_GUARD)
atexit.register(shutil.rmtree, _guard_dir, ignore_errors=True)
os.environ["PYTHONPATH"] = os.pathsep.join([str(_guard_dir)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
exec(compile(_GUARD, "netguard", "exec"), {"__name__": "netguard"})
