"""Test-session setup for ``python -m pytest`` (unit tests and nbval notebooks alike).

- fast mode (``GAN_COURSE_FAST=1``), a non-interactive matplotlib backend, no progress bars;
- no network, in this process and in every notebook kernel (a ``sitecustomize`` put first on the kernels'
  PYTHONPATH), so the course is known never to download anything: a socket connection (TCP or UDP) or a UDP
  datagram (``sendto``/``sendmsg``) to a non-loopback address fails, and so does name resolution
  (``getaddrinfo``, ``gethostbyname``, ``gethostbyname_ex``, ``gethostbyaddr``, ``getnameinfo``) of any host
  but ``localhost`` and IP literals (which need no lookup).
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
import ipaddress, socket, _socket

class NetworkBlocked(OSError):
    """Raised when the course tries to reach the network during tests."""

def _host(address):
    return address[0] if isinstance(address, tuple) and address else address

def _literal(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        return ipaddress.ip_address(str(host).split("%")[0])
    except ValueError:
        return None

def _local_name(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).rstrip(".").lower()
    return name in ("", "localhost", "localhost.localdomain") or name.endswith(".localhost")

def _loopback(address):
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = _host(address)
    if _local_name(host):
        return True
    ip = _literal(host)
    return ip is not None and ip.is_loopback  # a host name other than localhost is not loopback

def _blocked(what):
    return NetworkBlocked(f"{what} is blocked during tests: the course must work offline")

def _inet(sock):
    return sock.family in (socket.AF_INET, socket.AF_INET6)

def _guard_connect(orig):
    def connect(self, address, *a, **k):
        if _inet(self) and not _loopback(address):
            raise _blocked(f"network access to {address!r}")
        return orig(self, address, *a, **k)
    return connect

def _guard_sendto(orig):
    def sendto(self, data, *rest):
        if _inet(self) and rest and not _loopback(rest[-1]):
            raise _blocked(f"a datagram to {rest[-1]!r}")
        return orig(self, data, *rest)
    return sendto

def _guard_sendmsg(orig):
    def sendmsg(self, buffers, *rest, **k):
        address = k.get("address", rest[2] if len(rest) > 2 else None)
        if _inet(self) and address is not None and not _loopback(address):
            raise _blocked(f"a datagram to {address!r}")
        return orig(self, buffers, *rest, **k)
    return sendmsg

def _guard_lookup(orig, name_only):
    def lookup(host, *a, **k):
        if isinstance(host, tuple):  # getnameinfo((host, port), flags)
            host = _host(host)
        ip = _literal(host) if host is not None else None
        remote = (not _local_name(host) and ip is None) if name_only else not _loopback((host,))
        if remote:
            raise _blocked(f"name resolution of {host!r}")
        return orig(host, *a, **k)
    return lookup

socket.socket.connect = _guard_connect(socket.socket.connect)
socket.socket.connect_ex = _guard_connect(socket.socket.connect_ex)
socket.socket.sendto = _guard_sendto(socket.socket.sendto)
if hasattr(socket.socket, "sendmsg"):
    socket.socket.sendmsg = _guard_sendmsg(socket.socket.sendmsg)
for _mod in (socket, _socket):
    for _name, _name_only in (("getaddrinfo", True), ("gethostbyname", True), ("gethostbyname_ex", True),
                              ("gethostbyaddr", False), ("getnameinfo", False)):
        if hasattr(_mod, _name):
            setattr(_mod, _name, _guard_lookup(getattr(_mod, _name), _name_only))
'''

_guard_dir = Path(tempfile.mkdtemp(prefix="gan-course-netguard-"))
(_guard_dir / "sitecustomize.py").write_text(_GUARD)
atexit.register(shutil.rmtree, _guard_dir, ignore_errors=True)
os.environ["PYTHONPATH"] = os.pathsep.join([str(_guard_dir)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
exec(compile(_GUARD, "netguard", "exec"), {"__name__": "netguard"})
